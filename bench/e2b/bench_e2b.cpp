// bench_e2b: create+run+kill, a warm run and a run that prints many short
// lines, p50 and p99, for SafeCell's E2bSandbox and for the official JS SDK,
// both against one FakeE2b running on its own thread with no added latency.
// Prints figures; asserts nothing about time.
// Usage: bench_e2b [cold runs] [warm runs] [stream runs] [stream lines]
#include "BenchCommon.h"
#include "FakeE2b.h"
#include "StreamBench.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QThread>

#include <cstdio>

using namespace safecell;
using namespace safecell::bench;

namespace {

bool runOnce(E2bSandbox *sandbox, const QString &code)
{
    ExecutionOutcome outcome;
    QObject context;
    QObject::connect(sandbox, &Sandbox::finished, &context, [&outcome](const ExecutionOutcome &o) { outcome = o; });
    ExecutionRequest request;
    request.code = code;
    request.timeLimitMs = 30000;
    sandbox->execute(request);
    return waitFor(sandbox, &Sandbox::finished) && outcome.status == ExecutionStatus::Completed;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("safecell.*.info=false\nsafecell.*.debug=false"));
    const int coldRuns = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 50;
    const int warmRuns = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 200;
    const int streamRuns = argc > 3 ? QString::fromLocal8Bit(argv[3]).toInt() : 7;
    const int streamLines = argc > 4 ? QString::fromLocal8Bit(argv[4]).toInt() : 20000;
    qRegisterMetaType<ExecutionOutcome>();

    QThread serverThread;
    serverThread.setObjectName(QStringLiteral("fake-e2b")); // names the thread for perf
    auto *fake = new fake::FakeE2b;
    fake->moveToThread(&serverThread);
    QObject::connect(&serverThread, &QThread::finished, fake, &QObject::deleteLater);
    serverThread.start();
    QUrl base;
    QMetaObject::invokeMethod(
        fake,
        [&] {
        fake->listen();
        base = fake->url();
        },
        Qt::BlockingQueuedConnection);
    const auto live = [&] {
        int n = 0;
        QMetaObject::invokeMethod(
            fake, [&] { n = fake->liveSandboxes(); }, Qt::BlockingQueuedConnection);
        return n;
    };

    QNetworkAccessManager network;
    E2bConfig config;
    config.apiKey = fake::FakeE2b::defaultApiKey();
    config.apiUrl = base;
    config.sandboxUrl = base;
    std::printf("bench_e2b: FakeE2b at %s, no added latency; %d cold, %d warm, %d stream runs (%d lines) per "
                "client\n",
                qPrintable(base.toString()), coldRuns, warmRuns, streamRuns, streamLines);

    // A loop printing short lines: E2B sends one stdout line per chunk.
    const QString streamCode = QStringLiteral("for i in range(%1): print(i)").arg(streamLines);
    QString streamText;
    {
        fake::FakeScript script;
        for (int i = 0; i < streamLines; ++i) {
            script.append(fake::FakeStep::out(QString::number(i) + QLatin1Char('\n')));
            streamText += script.last().text;
        }
        QMetaObject::invokeMethod(
            fake, [&] { fake->setScript(streamCode, script); }, Qt::BlockingQueuedConnection);
    }

    // SafeCell: create + run + kill (until E2B answered the DELETE).
    QList<double> cold, warm;
    {
        E2bSandbox warmup(&network, config); // connection set-up, not measured
        if (!runOnce(&warmup, QStringLiteral("pass")))
            return 1;
        warmup.shutdown();
        waitFor(&warmup, &E2bSandbox::sessionClosed);
    }
    for (int i = 0; i < coldRuns; ++i) {
        QElapsedTimer clock;
        clock.start();
        E2bSandbox sandbox(&network, config);
        if (!runOnce(&sandbox, QStringLiteral("print('x')")))
            return 1;
        sandbox.shutdown();
        if (!waitFor(&sandbox, &E2bSandbox::sessionClosed))
            return 1;
        cold.append(clock.nsecsElapsed() / 1e6);
    }
    {
        E2bSandbox sandbox(&network, config);
        if (!runOnce(&sandbox, QStringLiteral("x = 0")))
            return 1;
        for (int i = 0; i < warmRuns; ++i) {
            QElapsedTimer clock;
            clock.start();
            if (!runOnce(&sandbox, QStringLiteral("x + 1")))
                return 1;
            warm.append(clock.nsecsElapsed() / 1e6);
        }
        sandbox.shutdown();
        waitFor(&sandbox, &E2bSandbox::sessionClosed);
    }
    print("safecell", "create+run+kill", cold);
    print("safecell", "warm run", warm);

    // The official JS SDK, same fake, same run.
    const QString sdkDir = QStringLiteral(SAFECELL_E2B_SDK_DIR);
    const bool sdkInstalled = QFileInfo::exists(sdkDir + QStringLiteral("/node_modules/@e2b/code-interpreter"));
    if (!sdkInstalled) {
        std::printf("js-sdk     not installed (run scripts/setup.d/50-e2b-conformance)\n");
    } else {
        QProcess node;
        node.start(QStringLiteral(SAFECELL_NODE_EXECUTABLE),
                   {QStringLiteral(SAFECELL_E2B_SDK_BENCH), sdkDir, base.toString(), QString::number(coldRuns),
                    QString::number(warmRuns)});
        waitFor(&node, &QProcess::finished, 300000);
        const QJsonObject figures = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
        if (node.exitCode() != 0 || figures.isEmpty()) {
            std::printf("js-sdk     failed: %s\n", node.readAllStandardError().constData());
        } else {
            const auto list = [](const QJsonValue &value) {
                QList<double> out;
                for (const QJsonValue &v : value.toArray())
                    out.append(v.toDouble());
                return out;
            };
            print("js-sdk", "create+run+kill", list(figures.value(QLatin1String("cold"))));
            print("js-sdk", "warm run", list(figures.value(QLatin1String("warm"))));
        }
    }

    // Many short lines: SafeCell, the SDK and a bare socket take turns.
    if (streamRuns > 0) {
        SdkCommand sdk;
        if (sdkInstalled)
            sdk = {QStringLiteral(SAFECELL_NODE_EXECUTABLE),
                   {QStringLiteral(SAFECELL_E2B_SDK_STREAM), sdkDir, base.toString(), streamCode,
                    QString::number(streamLines)}};
        const StreamFigures stream = benchStream(config, base, streamCode, streamText, streamRuns, sdk);
        if (!stream.failure.isEmpty()) {
            std::printf("stream     failed: %s\n", qPrintable(stream.failure));
            return 1;
        }
        const QByteArray label = QByteArray::number(streamLines) + " lines";
        print("safecell", label.constData(), stream.safecellMs);
        std::printf("safecell   %-22s p50=%.0f stdout signals per run, the first after %.2f ms\n", label.constData(),
                    percentile(stream.safecellSignals, 0.5), percentile(stream.safecellFirstMs, 0.5));
        if (!stream.sdkMs.isEmpty()) {
            print("js-sdk", label.constData(), stream.sdkMs);
            std::printf("ratio      %-22s safecell/js-sdk: p50 of the run-by-run ratios %.2f (p99 %.2f); "
                        "of the p50s %.2f\n",
                        label.constData(), percentile(stream.ratios, 0.5), percentile(stream.ratios, 0.99),
                        percentile(stream.safecellMs, 0.5) / percentile(stream.sdkMs, 0.5));
        }
        print("raw-socket", label.constData(), stream.rawMs);
    }
    std::printf("live sandboxes at the end: %d\n", live());
    serverThread.quit();
    serverThread.wait();
    return 0;
}
