#include "StreamBench.h"

#include "BenchCommon.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTcpSocket>
#include <QThread>

#include <functional>
#include <memory>

namespace safecell::bench {

namespace {

// Connects before it asks, so a fast answer cannot slip past the wait.
template <typename Object, typename Signal, typename Call>
bool callAndWait(Object *object, Signal signal, Call call, int timeoutMs = 120000)
{
    QEventLoop loop;
    QObject::connect(object, signal, &loop, [&loop] { loop.quit(); });
    QTimer::singleShot(timeoutMs, &loop, [&loop] { loop.exit(1); });
    QMetaObject::invokeMethod(object, call, Qt::QueuedConnection);
    return loop.exec() == 0;
}

// One /execute read to its last chunk with nothing but a socket: what the
// fake and the kernel cost, whatever the client. Returns the stdout lines seen.
qsizetype rawExecute(const QUrl &base, const QString &sandboxId, const QString &code)
{
    QTcpSocket socket;
    socket.connectToHost(base.host(), quint16(base.port()));
    if (!socket.waitForConnected(5000))
        return -1;
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("code"), code}}).toJson(QJsonDocument::Compact);
    socket.write("POST /execute HTTP/1.1\r\nHost: " + base.authority().toUtf8() + "\r\nE2b-Sandbox-Id: "
                 + sandboxId.toUtf8() + "\r\nE2b-Sandbox-Port: 49999\r\nContent-Type: application/json\r\n"
                 + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray received;
    while (!received.endsWith("\n\r\n0\r\n\r\n")) {
        if (!socket.waitForReadyRead(30000))
            return -1;
        received += socket.readAll();
    }
    return received.count("\"type\": \"stdout\"");
}

// sdk_stream.js, driven line by line: "run" in, {"ms", "lines"} out.
class SdkStream {
public:
    bool start(const SdkCommand &command)
    {
        m_node.start(command.program, command.arguments);
        return readLine(120000) == "ready";
    }
    // The time of one run; -1 when it failed or missed lines.
    double run(qsizetype lines)
    {
        m_node.write("run\n");
        const QJsonObject answer = QJsonDocument::fromJson(readLine(120000)).object();
        if (answer.value(QLatin1String("lines")).toInteger() != lines)
            return -1;
        return answer.value(QLatin1String("ms")).toDouble();
    }
    QString errors() { return QString::fromUtf8(m_node.readAllStandardError()); }
    ~SdkStream()
    {
        if (m_node.state() == QProcess::NotRunning)
            return;
        m_node.write("quit\n"); // it kills its sandbox and ends
        m_node.closeWriteChannel();
        if (!m_node.waitForFinished(10000))
            m_node.kill();
    }

private:
    QByteArray readLine(int timeoutMs)
    {
        QElapsedTimer waited;
        waited.start();
        while (!m_node.canReadLine()) {
            if (waited.elapsed() > timeoutMs || !m_node.waitForReadyRead(int(timeoutMs - waited.elapsed())))
                return {};
        }
        return m_node.readLine().trimmed();
    }

    QProcess m_node;
};

} // namespace

StreamFigures benchStream(const E2bConfig &config, const QUrl &base, const QString &code, const QString &expected,
                          int reps, const SdkCommand &sdk)
{
    StreamFigures figures;
    const qsizetype lines = expected.count(QLatin1Char('\n'));
    QThread runThread;
    runThread.setObjectName(QStringLiteral("run")); // names the thread for perf
    auto *anchor = new QObject;
    anchor->moveToThread(&runThread);
    QObject::connect(&runThread, &QThread::finished, anchor, &QObject::deleteLater);
    runThread.start();
    QNetworkAccessManager *network = nullptr;
    E2bSandbox *sandbox = nullptr;
    QMetaObject::invokeMethod(
        anchor,
        [&] {
        network = new QNetworkAccessManager;
        sandbox = new E2bSandbox(network, config);
        },
        Qt::BlockingQueuedConnection);

    // The window's side: every chunk is taken, counted and kept, as
    // RunWorker keeps the run's stdout.
    QObject receiver;
    QString text;
    qsizetype chunks = 0;
    ExecutionOutcome outcome;
    QElapsedTimer clock;
    double firstMs = 0;
    QObject::connect(sandbox, &Sandbox::stdoutReceived, &receiver, [&](const QString &chunk) {
        if (chunks++ == 0)
            firstMs = clock.nsecsElapsed() / 1e6;
        text += chunk;
    });
    QObject::connect(sandbox, &Sandbox::finished, &receiver, [&](const ExecutionOutcome &o) { outcome = o; });
    ExecutionRequest request;
    request.timeLimitMs = 120000;
    const auto run = [&](const QString &snippet) {
        text.clear();
        chunks = 0;
        outcome = {};
        request.code = snippet;
        clock.start();
        return callAndWait(sandbox, &Sandbox::finished, [sandbox, request] { sandbox->execute(request); })
               && outcome.status == ExecutionStatus::Completed;
    };
    const auto runSafecell = [&] {
        const bool ok = run(code);
        const double ms = clock.nsecsElapsed() / 1e6;
        if (!ok || text != expected) {
            figures.failure = QStringLiteral("safecell delivered %1 of %2 lines (%3)")
                                  .arg(text.count(QLatin1Char('\n')))
                                  .arg(lines)
                                  .arg(outcome.message);
            return;
        }
        figures.safecellMs.append(ms);
        figures.safecellSignals.append(double(chunks));
        figures.safecellFirstMs.append(firstMs);
    };

    // Warm-ups, not measured: the sandbox, its connection, first allocations.
    if (!run(QStringLiteral("x = 0")) || !run(code))
        figures.failure = QStringLiteral("the warm-up run failed");
    QString sandboxId;
    QMetaObject::invokeMethod(
        sandbox, [&] { sandboxId = sandbox->sandboxId(); }, Qt::BlockingQueuedConnection);
    const auto runRaw = [&] {
        QElapsedTimer rawClock;
        rawClock.start();
        const qsizetype seen = rawExecute(base, sandboxId, code);
        if (seen != lines)
            figures.failure = QStringLiteral("the bare socket saw %1 of %2 lines").arg(seen).arg(lines);
        else
            figures.rawMs.append(rawClock.nsecsElapsed() / 1e6);
    };
    std::unique_ptr<SdkStream> node;
    if (!sdk.program.isEmpty() && figures.failure.isEmpty()) {
        node = std::make_unique<SdkStream>();
        if (!node->start(sdk))
            figures.failure = QStringLiteral("the SDK did not start: ") + node->errors();
    }
    const auto runSdk = [&] {
        if (!node)
            return;
        const double ms = node->run(lines);
        if (ms < 0)
            figures.failure = QStringLiteral("the SDK failed or missed lines: ") + node->errors();
        else
            figures.sdkMs.append(ms);
    };

    // Turns rotate, so that no client always follows the same one.
    const std::function<void()> clients[] = {runSafecell, runSdk, runRaw};
    for (int i = 0; i < reps && figures.failure.isEmpty(); ++i) {
        for (int k = 0; k < 3 && figures.failure.isEmpty(); ++k)
            clients[(i + k) % 3]();
        if (figures.failure.isEmpty() && node)
            figures.ratios.append(figures.safecellMs.last() / figures.sdkMs.last());
    }
    node.reset();

    callAndWait(
        sandbox, &E2bSandbox::sessionClosed, [sandbox] { sandbox->shutdown(); }, 10000);
    QMetaObject::invokeMethod(
        anchor,
        [&] {
        delete sandbox;
        delete network;
        },
        Qt::BlockingQueuedConnection);
    runThread.quit();
    runThread.wait();
    return figures;
}

} // namespace safecell::bench
