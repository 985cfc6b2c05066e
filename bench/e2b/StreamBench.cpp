#include "StreamBench.h"

#include "BenchCommon.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTcpSocket>
#include <QThread>

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

} // namespace

StreamFigures benchStream(const E2bConfig &config, const QUrl &base, const QString &code, const QString &expected,
                          int reps)
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
        return callAndWait(sandbox, &Sandbox::finished, [sandbox, request] { sandbox->execute(request); })
               && outcome.status == ExecutionStatus::Completed;
    };

    if (!run(QStringLiteral("x = 0"))) // the sandbox and its connection, not measured
        figures.failure = QStringLiteral("the warm-up run failed");
    for (int i = 0; i < reps && figures.failure.isEmpty(); ++i) {
        clock.start();
        const bool ok = run(code);
        const double ms = clock.nsecsElapsed() / 1e6;
        if (!ok || text != expected) {
            figures.failure = QStringLiteral("safecell delivered %1 of %2 lines (%3)")
                                  .arg(text.count(QLatin1Char('\n')))
                                  .arg(lines)
                                  .arg(outcome.message);
            break;
        }
        figures.safecellMs.append(ms);
        figures.safecellSignals.append(double(chunks));
        figures.safecellFirstMs.append(firstMs);
    }

    QString sandboxId;
    QMetaObject::invokeMethod(
        sandbox, [&] { sandboxId = sandbox->sandboxId(); }, Qt::BlockingQueuedConnection);
    for (int i = 0; i < reps && figures.failure.isEmpty(); ++i) {
        clock.start();
        const qsizetype seen = rawExecute(base, sandboxId, code);
        if (seen != lines) {
            figures.failure = QStringLiteral("the bare socket saw %1 of %2 lines").arg(seen).arg(lines);
            break;
        }
        figures.rawMs.append(clock.nsecsElapsed() / 1e6);
    }

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
