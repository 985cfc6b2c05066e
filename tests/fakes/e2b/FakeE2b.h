#pragma once

#include "FakeHttp.h"
#include "PyJson.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace safecell::fake {

// One step of a scripted /execute answer.
struct FakeStep {
    enum class Kind { Stdout, Stderr, Result, Error, Sleep, Hang, Disconnect, RawLine, Stall, Truncate };
    Kind kind = Kind::Stdout;
    QString text;    // Stdout/Stderr text; RawLine: the bytes to send as one line
    PyFields fields; // Result: the MIME fields (is_main_result is added last)
    bool isMainResult = false;
    QString name, value, traceback; // Error
    int ms = 0;                     // Sleep

    static FakeStep out(const QString &text);
    static FakeStep err(const QString &text);
    static FakeStep result(const PyFields &fields, bool isMainResult = true);
    static FakeStep error(const QString &name, const QString &value, const QString &traceback = {});
    static FakeStep sleep(int ms);
    static FakeStep hang();       // keepalives until the client leaves or the context restarts
    static FakeStep disconnect(); // drops the connection mid-stream
    static FakeStep raw(const QByteArray &line);
    static FakeStep stall(); // stops writing, not even keepalives, connection left open
    // Writes `partial` (no newline) and ends the body without end_of_execution.
    static FakeStep truncate(const QByteArray &partial);
};

// A transport-level fault for one control-plane or sandbox request.
struct FakeFault {
    enum class End {
        Complete, // the bytes are the whole answer
        Stall,    // stop writing, keep the connection open
        Drop,     // abort the connection after the bytes
    };
    QByteArray bytes; // what is written (empty: nothing at all)
    End end = End::Complete;
    // true: the request takes effect first (a sandbox is created or killed)
    // and only its answer is replaced; false: it never reaches the service.
    bool takeEffect = false;

    static FakeFault noAnswer() { return {{}, End::Stall, false}; } // timeout before headers
    static FakeFault resetMidBody(const QByteArray &status201Json, bool takeEffect);
    static FakeFault stallMidBody(const QByteArray &status201Json, bool takeEffect);
    static FakeFault malformed(int status, const QByteArray &body, bool takeEffect);
};
using FakeScript = QList<FakeStep>;

// E2B's control plane and code interpreter in one in-process HTTP/1.1
// server (protocols.md Part 1), for tests, benchmarks and the SDK
// conformance check. It does not run Python. /execute follows a script
// keyed by the exact code (or a fragment of it); otherwise it evaluates a
// tiny deterministic subset, line by line:
//   print("text") / print('text')  -> stdout "text\n"
//   name = <int>[ (+|-|*) <int>]    -> stored in the context
//   <int>[ (+|-|*) <int>] or name   -> the main result (NameError if unknown)
//   raise Name("message")           -> an error, ending the run
//   pass, blank lines, comments     -> nothing
// Anything else is an error (SyntaxError, "the fake does not run this").
class FakeE2b : public QObject {
    Q_OBJECT
public:
    explicit FakeE2b(QObject *parent = nullptr);
    ~FakeE2b() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const;
    QUrl url() const;

    static QString defaultApiKey() { return QStringLiteral("e2b_fake_0123456789abcdef"); }
    void setApiKey(const QString &key) { m_apiKey = key; }

    // Inspection.
    int liveSandboxes() const { return int(m_sandboxes.size()); }
    int sandboxesCreated() const { return m_created; }
    QStringList sandboxIds() const { return m_sandboxes.keys(); }
    QList<HttpRequest> requests() const { return m_requests; }
    QStringList requestLog() const; // "POST /v2/sandboxes", ...
    int count(const QByteArray &method, const QByteArray &pathPrefix) const;
    QStringList executedCode() const { return m_executed; }
    QByteArray uploadedFile(const QString &sandboxId, const QString &path) const;
    // A file the sandbox's code wrote (the fake runs no code): envd serves it
    // at `path` (absolute); empty `bytes` with remove: gone.
    void putFile(const QString &sandboxId, const QString &path, const QByteArray &bytes)
    {
        m_files[sandboxId].insert(path, bytes);
    }
    void removeFile(const QString &sandboxId, const QString &path) { m_files[sandboxId].remove(path); }
    int busyContexts() const;
    qint64 sandboxTimeoutS(const QString &sandboxId) const; // last lifetime asked
    // Every create request's body, in order (both endpoints).
    QList<QJsonObject> createBodies() const { return m_createBodies; }
    // A live sandbox's internet access as its create asked (E2B's default
    // when left out: on); nullopt for an unknown or ended sandbox.
    std::optional<bool> internetAllowed(const QString &sandboxId) const;

    // Scripting.
    void setScript(const QString &code, const FakeScript &script) { m_scripts.insert(code, script); }
    // The first fragment set that the code contains wins; setting a
    // fragment again replaces its script.
    void setScriptContaining(const QString &fragment, const FakeScript &script)
    {
        for (auto &[known, scripted] : m_fragmentScripts) {
            if (known == fragment) {
                scripted = script;
                return;
            }
        }
        m_fragmentScripts.append({fragment, script});
    }
    void setKeepaliveIntervalMs(int ms) { m_keepaliveMs = ms; }
    void setV2CreateAvailable(bool available) { m_v2Create = available; } // false: 404, like an older control plane
    void setCreateDelayMs(int ms) { m_createDelayMs = ms; }
    // The next `times` requests whose method and path start so get this error
    // (JSON body {"code": status, "message": message}, Retry-After if given).
    void failNext(const QByteArray &method, const QByteArray &pathPrefix, int status, const QString &message,
                  const QByteArray &retryAfter = {}, int times = 1);
    // The next request whose method and path start so meets `fault` instead
    // of (or after, with takeEffect) the normal answer.
    void faultNext(const QByteArray &method, const QByteArray &pathPrefix, const FakeFault &fault);
    // Closes the listening port and every open connection: new connections
    // are refused (sandboxes keep living and expire on their own).
    void refuseConnections();
    // Sandbox seconds E2B would bill: every sandbox's life, from its create
    // to its kill or expiry (up to now for live ones).
    double billedSeconds() const;
    // Server-side end of a sandbox (expiry, crash): its ports answer 502 from now on.
    void expireSandbox(const QString &sandboxId);
    // false: a run whose client went away keeps its context busy (a stuck kernel)
    void setInterruptOnDisconnect(bool interrupt) { m_interruptOnDisconnect = interrupt; }
    // Sandboxes created from now on carry a traffic token the proxy enforces.
    void setRequireTrafficToken(bool require) { m_requireTrafficToken = require; }
    // true: SafeCell's SQL runner (unscripted code that imports sqlite3) is
    // run with the real python3 against the files uploaded to its sandbox
    // (FakeSqlRunner.h), so a test sees the rows of the database it sent.
    void setRunSqlWithPython(bool run) { m_runSqlWithPython = run; }

Q_SIGNALS:
    void requestReceived(const QString &methodAndPath);
    // A create request's body as received (fake_e2b_server prints it).
    void createBodyReceived(const QByteArray &body);

private:
    struct Context;
    struct Execution;
    struct Sandbox;
    struct Connection;
    struct PendingFault {
        QByteArray method, pathPrefix;
        FakeFault fault;
    };
    void sendFault(Connection *connection, const FakeFault &fault);
    Connection *liveConnection(Execution *execution);
    struct Failure {
        QByteArray method, pathPrefix, retryAfter;
        int status;
        QString message;
        int times;
    };

    void onNewConnection();
    void onReadyRead(Connection *connection);
    void onDisconnected(Connection *connection);
    void serve(Connection *connection, const HttpRequest &request);
    void reply(Connection *connection, int status, const QByteArray &body,
               const QByteArray &contentType = "application/json",
               const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void replyError(Connection *connection, int status, const QString &message,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void finishResponse(Connection *connection);

    bool authorized(Connection *connection, const HttpRequest &request);
    void serveControlPlane(Connection *connection, const HttpRequest &request);
    void createSandbox(Connection *connection, const HttpRequest &request, bool legacy);
    void serveSandbox(Connection *connection, const HttpRequest &request);
    void serveFiles(Connection *connection, Sandbox *sandbox, const HttpRequest &request);
    void startExecute(Connection *connection, Sandbox *sandbox, Context *context, const QString &code);
    void runNextStep(Execution *execution);
    void writeLine(Execution *execution, const QByteArray &line);
    void endExecution(Execution *execution, bool sendEnd);
    void releaseContext(Context *context);
    void startPending(Context *context);
    FakeScript scriptFor(Context *context, const QString &code);
    void killSandbox(const QString &id);

    QTcpServer *m_server;
    QString m_apiKey = defaultApiKey();
    QMap<QString, std::shared_ptr<Sandbox>> m_sandboxes;
    QHash<QTcpSocket *, Connection *> m_connections;
    QSet<Connection *> m_live; // connections not yet closed
    QSet<Execution *> m_liveExecutions;
    QList<HttpRequest> m_requests;
    QList<QJsonObject> m_createBodies;
    QStringList m_executed;
    QHash<QString, FakeScript> m_scripts;
    QList<QPair<QString, FakeScript>> m_fragmentScripts;
    QList<Failure> m_failures;
    QList<PendingFault> m_faults;
    qint64 m_billedEndedMs = 0;                         // lives of sandboxes already ended
    QHash<QString, QHash<QString, QByteArray>> m_files; // survive the sandbox, for inspection
    QHash<QString, qint64> m_timeouts;
    int m_keepaliveMs = 5000;
    int m_createDelayMs = 0;
    int m_created = 0;
    bool m_v2Create = true;
    bool m_interruptOnDisconnect = true;
    bool m_requireTrafficToken = false;
    bool m_runSqlWithPython = false;
};

} // namespace safecell::fake
