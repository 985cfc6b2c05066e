// bench_api: print("hello") through the HTTP API, p50 and p99, sequential
// and with concurrent clients, with throughput: SafeCell's server (in this
// process, on its own thread) on the local sandbox with a warm pool, in a
// named session, and on E2B (FakeE2b, a sandbox per request); beside the
// recipe's way, the official E2B SDK creating a sandbox per request on the
// same fake, in the same run. Prints figures; asserts nothing about time.
// Usage: bench_api [sequential n] [concurrent n] [clients] [warm kernels] [gap ms]
#include "FakeE2b.h"
#include "HttpLoad.h"
#include "api/ApiServer.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace safecell;

namespace {

const QByteArray kToken = "bench-token-0123456789abcdef";
const QByteArray kHello = R"x({"code":"print(\"hello\")","language":"python"})x";
const QByteArray kHelloInSession = R"x({"code":"print(\"hello\")","language":"python","sessionId":"bench"})x";

void print(const char *what, int clients, const QList<double> &ms, double wallMs, const QList<double> &pipeline = {})
{
    std::printf("%-38s clients=%-3d n=%-5lld p50=%8.2f ms  p99=%8.2f ms  %8.1f runs/s", what, clients,
                static_cast<long long>(ms.size()), percentile(ms, 0.50), percentile(ms, 0.99),
                wallMs > 0 ? double(ms.size()) * 1000.0 / wallMs : 0.0);
    if (!pipeline.isEmpty())
        std::printf("  (pipeline p50 %.2f ms)", percentile(pipeline, 0.50));
    std::printf("\n");
}

void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// An ApiServer living on a thread of its own, as `safecell serve`'s lives
// on its main thread while clients are other processes.
class ServerThread {
public:
    explicit ServerThread(api::ApiServerConfig config)
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            &m_context,
            [&] {
            m_server = new api::ApiServer(config);
            const auto port = m_server->listenLocal(QHostAddress::LocalHost, 0);
            m_port = port ? *port : 0;
            },
            Qt::BlockingQueuedConnection);
    }
    ~ServerThread()
    {
        QMetaObject::invokeMethod(
            &m_context, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    quint16 port() const { return m_port; }
    int workers()
    {
        int n = 0;
        QMetaObject::invokeMethod(
            &m_context, [&] { n = m_server->pool().workers(); }, Qt::BlockingQueuedConnection);
        return n;
    }

private:
    QThread m_thread;
    QObject m_context;
    api::ApiServer *m_server = nullptr;
    quint16 m_port = 0;
};

LoadSpec spec(quint16 port, const QByteArray &body, int clients, int total)
{
    LoadSpec s;
    s.port = port;
    s.token = kToken;
    s.body = body;
    s.expectStdout = QStringLiteral("hello\n");
    s.clients = clients;
    s.total = total;
    return s;
}

bool measure(const char *what, const LoadSpec &load)
{
    const LoadResult result = runLoad(load);
    print(what, load.clients, result.latencyMs, result.wallMs, result.pipelineMs);
    if (result.failures > 0)
        std::printf("  %d failed, the first: %s\n", result.failures, result.firstFailure.constData());
    return result.failures == 0;
}

QList<double> list(const QJsonValue &value)
{
    QList<double> out;
    for (const QJsonValue &v : value.toArray())
        out.append(v.toDouble());
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("safecell.*.info=false\nsafecell.*.debug=false"));
    const int sequential = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 200;
    const int concurrent = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 400;
    const int clients = argc > 3 ? QString::fromLocal8Bit(argv[3]).toInt() : 20;
    const int warm = argc > 4 ? QString::fromLocal8Bit(argv[4]).toInt() : clients;
    const int gapMs = argc > 5 ? QString::fromLocal8Bit(argv[5]).toInt() : 250;
    QTemporaryDir dir;
    bool ok = true;

    api::ApiServerConfig config;
    config.token = QString::fromLatin1(kToken);
    config.maxRunsInFlight = clients;
    config.warmKernels = warm;
    config.worker.ledgerPath = dir.filePath(QStringLiteral("ledger.sqlite"));
    std::printf("bench_api: print(\"hello\") over HTTP/1.1, one request per connection; %d sequential, %d with "
                "%d clients; pool: %d runs at once, %d warm kernels; %d cores\n",
                sequential, concurrent, clients, clients, warm, QThread::idealThreadCount());
    {
        ServerThread server(config);
        if (!server.port())
            return 1;
        pause(2000);                                                // the warm kernels start
        runLoad(spec(server.port(), kHello, clients, 2 * clients)); // every worker made and warm, not measured
        pause(1000);
        ok = measure("safecell local, no session", spec(server.port(), kHello, 1, sequential)) && ok;
        // The same with a gap between requests: what a request meets when
        // the pool has had time to refill (its kernels restarted).
        LoadSpec paced = spec(server.port(), kHello, 1, std::max(1, sequential / 2));
        paced.gapMs = gapMs;
        const QByteArray pacedName = "safecell local, no session, " + QByteArray::number(gapMs) + "ms gap";
        ok = measure(pacedName.constData(), paced) && ok;
        pause(1000);
        ok = measure("safecell local, no session", spec(server.port(), kHello, clients, concurrent)) && ok;
        runLoad(spec(server.port(), kHelloInSession, 1, 1)); // the session starts, not measured
        ok = measure("safecell local, one session", spec(server.port(), kHelloInSession, 1, sequential)) && ok;
        std::printf("  pool workers at the end: %d (and one session's)\n", server.workers());
    }

    QThread fakeThread;
    auto *fake = new fake::FakeE2b;
    fake->moveToThread(&fakeThread);
    QObject::connect(&fakeThread, &QThread::finished, fake, &QObject::deleteLater);
    fakeThread.start();
    QUrl base;
    QMetaObject::invokeMethod(
        fake,
        [&] {
        fake->listen();
        base = fake->url();
        },
        Qt::BlockingQueuedConnection);
    const int cloudSequential = std::max(1, sequential / 4);
    const int cloudConcurrent = std::max(1, concurrent / 4);
    {
        api::ApiServerConfig cloud = config;
        E2bConfig e2b;
        e2b.apiKey = fake::FakeE2b::defaultApiKey();
        e2b.apiUrl = base;
        e2b.sandboxUrl = base;
        cloud.worker.e2b = e2b;
        cloud.worker.ledgerPath = dir.filePath(QStringLiteral("cloud-ledger.sqlite"));
        ServerThread server(cloud);
        if (!server.port())
            return 1;
        runLoad(spec(server.port(), kHello, clients, 2 * clients)); // not measured
        ok = measure("safecell e2b (fake), no session", spec(server.port(), kHello, 1, cloudSequential)) && ok;
        ok = measure("safecell e2b (fake), no session", spec(server.port(), kHello, clients, cloudConcurrent)) && ok;
        runLoad(spec(server.port(), kHelloInSession, 1, 1)); // not measured
        ok = measure("safecell e2b (fake), one session", spec(server.port(), kHelloInSession, 1, cloudSequential))
             && ok;
    }

    const QString sdkDir = QStringLiteral(SAFECELL_E2B_SDK_DIR);
    if (!QFileInfo::exists(sdkDir + QStringLiteral("/node_modules/@e2b/code-interpreter"))) {
        std::printf("recipe (js sdk)  not installed (run scripts/setup.d/50-e2b-conformance)\n");
    } else {
        QProcess node;
        QEventLoop loop;
        QObject::connect(&node, &QProcess::finished, &loop, &QEventLoop::quit);
        node.start(QStringLiteral(SAFECELL_NODE_EXECUTABLE),
                   {QStringLiteral(SAFECELL_API_SDK_BENCH), sdkDir, base.toString(), QString::number(cloudSequential),
                    QString::number(cloudConcurrent), QString::number(clients)});
        QTimer::singleShot(600000, &loop, &QEventLoop::quit);
        loop.exec();
        const QJsonObject figures = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
        if (node.exitCode() != 0 || figures.isEmpty()) {
            std::printf("recipe (js sdk) failed: %s\n", node.readAllStandardError().constData());
            ok = false;
        } else {
            const QList<double> seq = list(figures.value(QLatin1String("sequential")));
            double seqWall = 0;
            for (double ms : seq)
                seqWall += ms;
            print("recipe: sdk sandbox per request", 1, seq, seqWall);
            print("recipe: sdk sandbox per request", clients, list(figures.value(QLatin1String("concurrent"))),
                  figures.value(QLatin1String("concurrentWallMs")).toDouble());
        }
    }
    int live = 0;
    QMetaObject::invokeMethod(
        fake, [&] { live = fake->liveSandboxes(); }, Qt::BlockingQueuedConnection);
    std::printf("live sandboxes on the fake at the end: %d\n", live);
    fakeThread.quit();
    fakeThread.wait();
    return ok ? 0 : 1;
}
