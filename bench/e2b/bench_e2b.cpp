// bench_e2b: create+run+kill and a warm run, p50 and p99, for SafeCell's
// E2bSandbox and for the official JS SDK, both against one FakeE2b running
// on its own thread with no added latency. Prints figures; asserts nothing
// about time. Usage: bench_e2b [cold runs] [warm runs]
#include "FakeE2b.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace safecell;

namespace {

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype index = qMin(values.size() - 1, qsizetype(p * values.size()));
    return values.at(index);
}

void print(const char *client, const char *what, const QList<double> &ms)
{
    std::printf("%-10s %-22s n=%-4lld p50=%8.2f ms  p99=%8.2f ms\n", client, what, static_cast<long long>(ms.size()),
                percentile(ms, 0.50), percentile(ms, 0.99));
}

// Waits for a signal in a benchmark (not product code): a local loop is fine here.
template <typename Object, typename Signal>
bool waitFor(Object *object, Signal signal, int timeoutMs = 30000)
{
    QEventLoop loop;
    QObject::connect(object, signal, &loop, [&loop] { loop.quit(); });
    QTimer::singleShot(timeoutMs, &loop, [&loop] { loop.exit(1); });
    return loop.exec() == 0;
}

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

    QThread serverThread;
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
    std::printf("bench_e2b: FakeE2b at %s, no added latency; %d cold, %d warm runs per client\n",
                qPrintable(base.toString()), coldRuns, warmRuns);

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
    if (!QFileInfo::exists(sdkDir + QStringLiteral("/node_modules/@e2b/code-interpreter"))) {
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
    std::printf("live sandboxes at the end: %d\n", live());
    serverThread.quit();
    serverThread.wait();
    return 0;
}
