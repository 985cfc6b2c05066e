// Every front end of the real `safecell` binary in every keychain state a
// user's machine can be in (issue 15.3): no session bus, a bus without a
// Secret Service, a locked collection, the keys stored, the keys only in the
// environment, and "entry not found". Each command must end with its
// documented exit code and message, never by a signal; `serve` answers 200
// escalated requests in a row and is still up; the window starts and lives
// until it is asked to quit.
#include "KeychainState.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using safecell::test::KeychainState;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUnavailable = 6;
constexpr int kExitNeedsConfirmation = 7;
constexpr int kServeRequests = 200;

// A snippet the local rules escalate (PY-LOOP): the path that crashed.
const QString kEscalated = u"while True:\n    pass\n"_s;

struct Ran {
    int exitCode = -1;
    bool crashed = false;
    QString out;
    QString err;
};

QString describe(const Ran &ran)
{
    return u"exit %1%2\nstdout: %3\nstderr: %4"_s.arg(ran.exitCode)
        .arg(ran.crashed ? u" (killed by a signal)"_s : QString(), ran.out.left(2000), ran.err.left(2000));
}

} // namespace

class TestKeychainMatrix : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_snippet;
    QProcess m_fakeCohere;
    QUrl m_fakeCohereUrl;

    QString binary() const { return qEnvironmentVariable("SAFECELL_BINARY"); }

    Ran runSafecell(const QProcessEnvironment &env, const QStringList &arguments, int timeoutMs = 60000)
    {
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(binary(), arguments);
        Ran ran;
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished();
            ran.err = u"timed out"_s;
            ran.crashed = true;
            return ran;
        }
        ran.crashed = process.exitStatus() != QProcess::NormalExit;
        ran.exitCode = process.exitCode();
        ran.out = QString::fromUtf8(process.readAllStandardOutput());
        ran.err = QString::fromUtf8(process.readAllStandardError());
        return ran;
    }

    int cohereChats()
    {
        QNetworkAccessManager network;
        QNetworkReply *reply = network.get(QNetworkRequest(m_fakeCohereUrl.resolved(QUrl(u"/fake/requests"_s))));
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(10000))
            return -1;
        int chats = 0;
        for (const QJsonValue &request : QJsonDocument::fromJson(reply->readAll()).array())
            chats += request.toObject().value(u"path"_s).toString() == u"/v2/chat"_s;
        reply->deleteLater();
        return chats;
    }

    void checkAllFrontEnds(KeychainState::Kind kind);
    void checkServe(const KeychainState &state);
    void checkWindow(const KeychainState &state);

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!binary().isEmpty());
        QVERIFY(m_dir.isValid());
        m_snippet = m_dir.filePath(u"escalated.py"_s);
        QFile file(m_snippet);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kEscalated.toUtf8());
        file.close();
        m_fakeCohere.start(qEnvironmentVariable("SAFECELL_FAKE_COHERE_SERVER"), {});
        QVERIFY(m_fakeCohere.waitForReadyRead(20000));
        const auto port = QRegularExpression(u"port (\\d+)"_s).match(QString::fromUtf8(m_fakeCohere.readLine()));
        QVERIFY(port.hasMatch());
        m_fakeCohereUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port.captured(1)));
    }

    void cleanupTestCase()
    {
        m_fakeCohere.closeWriteChannel(); // it exits when stdin closes
        m_fakeCohere.waitForFinished(5000);
    }

    void noSessionBus() { checkAllFrontEnds(KeychainState::Kind::NoBus); }
    void busWithoutSecretService() { checkAllFrontEnds(KeychainState::Kind::BusOnly); }
    void lockedCollection() { checkAllFrontEnds(KeychainState::Kind::Locked); }
    void keysStored() { checkAllFrontEnds(KeychainState::Kind::KeysStored); }
    void keysOnlyInTheEnvironment() { checkAllFrontEnds(KeychainState::Kind::KeysInEnvironment); }
    void entryNotFound() { checkAllFrontEnds(KeychainState::Kind::NotFound); }
};

void TestKeychainMatrix::checkAllFrontEnds(KeychainState::Kind kind)
{
    KeychainState state(kind, m_dir.filePath(KeychainState::name(kind)), m_fakeCohereUrl);
    QVERIFY2(state.start(), qPrintable(state.error()));
    const QProcessEnvironment env = state.environment();
    const bool unreadable = state.keychainUnreadable();
    const bool cohereKey = state.hasCohereKey();

    // run: the escalated snippet asks for confirmation whatever the keys;
    // with a Cohere key the LLM was asked first (FakeCohere's answer is no
    // usable label), and an unreadable keychain is said, with the fix.
    const int chatsBefore = cohereChats();
    Ran ran = runSafecell(env, {u"run"_s, m_snippet});
    QVERIFY2(!ran.crashed && ran.exitCode == kExitNeedsConfirmation, qPrintable(describe(ran)));
    QCOMPARE(cohereChats() - chatsBefore, cohereKey ? 1 : 0);
    if (unreadable) {
        QVERIFY2(ran.err.contains(u"keychain"_s) && ran.err.contains(u"Running without the stored keys"_s),
                 qPrintable(describe(ran)));
        QVERIFY2(ran.err.contains(state.expectedFix()), qPrintable(describe(ran)));
    } else {
        QVERIFY2(!ran.err.contains(u"Running without the stored keys"_s) && !ran.err.contains(u"keychain is"_s),
                 qPrintable(describe(ran)));
    }

    ran = runSafecell(env, {u"classify"_s, m_snippet});
    QVERIFY2(!ran.crashed && ran.exitCode == kExitNeedsConfirmation, qPrintable(describe(ran)));
    ran = runSafecell(env, {u"budget"_s, u"--json"_s});
    QVERIFY2(!ran.crashed && ran.exitCode == kExitOk, qPrintable(describe(ran)));
    QVERIFY(QJsonDocument::fromJson(ran.out.toUtf8()).isObject());
    ran = runSafecell(env, {u"history"_s, u"--json"_s});
    QVERIFY2(!ran.crashed && ran.exitCode == kExitOk, qPrintable(describe(ran)));

    // token: from the keychain, or from SAFECELL_API_TOKEN; an unreadable
    // keychain without it is exit 6 with what to do.
    ran = runSafecell(state.environmentWithoutApiToken(), {u"token"_s});
    QVERIFY2(!ran.crashed, qPrintable(describe(ran)));
    if (!state.hasKeychain()) {
        QVERIFY2(ran.exitCode == kExitUnavailable && ran.err.contains(u"SAFECELL_API_TOKEN"_s),
                 qPrintable(describe(ran)));
        QVERIFY2(ran.err.contains(state.expectedFix()), qPrintable(describe(ran)));
        ran = runSafecell(state.environmentWithoutApiToken(), {u"serve"_s, u"--port"_s, u"0"_s});
        QVERIFY2(!ran.crashed && ran.exitCode == kExitUnavailable && ran.err.contains(u"SAFECELL_API_TOKEN"_s),
                 qPrintable(describe(ran)));
    } else {
        QVERIFY2(ran.exitCode == kExitOk && ran.out.trimmed().size() >= 40, qPrintable(describe(ran)));
    }

    checkServe(state);
    checkWindow(state);
}

void TestKeychainMatrix::checkServe(const KeychainState &state)
{
    const QProcessEnvironment env = state.environment();
    QString token = env.value(u"SAFECELL_API_TOKEN"_s);
    if (token.isEmpty()) {
        const Ran ran = runSafecell(env, {u"token"_s});
        QVERIFY2(!ran.crashed && ran.exitCode == kExitOk, qPrintable(describe(ran)));
        token = ran.out.trimmed();
    }
    QProcess server;
    server.setProcessEnvironment(env);
    server.start(binary(), {u"serve"_s, u"--port"_s, u"0"_s});
    QVERIFY(server.waitForStarted());
    QRegularExpressionMatch port;
    QTRY_VERIFY_WITH_TIMEOUT((port = QRegularExpression(u"http://127\\.0\\.0\\.1:(\\d+)/api/code"_s)
                                         .match(QString::fromUtf8(server.peek(4096))))
                                     .hasMatch()
                                 || server.state() == QProcess::NotRunning,
                             30000);
    QVERIFY2(port.hasMatch(), qPrintable(QString::fromUtf8(server.readAllStandardError())));
    const QUrl url(u"http://127.0.0.1:%1/api/code"_s.arg(port.captured(1)));

    QNetworkAccessManager network;
    const QByteArray body = QJsonDocument(QJsonObject{{u"code"_s, kEscalated}, {u"language"_s, u"python"_s}}).toJson();
    for (int i = 0; i < kServeRequests; ++i) {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        QNetworkReply *reply = network.post(request, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY2(done.wait(30000), qPrintable(u"request %1 got no answer"_s.arg(i)));
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        QVERIFY2(status == 409, qPrintable(u"request %1: HTTP %2; serve: %3"_s.arg(i).arg(status).arg(
                                    QString::fromUtf8(server.readAllStandardError()))));
        QCOMPARE(server.state(), QProcess::Running);
    }
    QNetworkRequest budget(url);
    budget.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply *reply = network.get(budget);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(30000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();
    QCOMPARE(server.state(), QProcess::Running);

    server.terminate();
    QVERIFY(server.waitForFinished(15000));
    QVERIFY2(server.exitStatus() == QProcess::NormalExit && server.exitCode() == 0,
             qPrintable(QString::fromUtf8(server.readAllStandardError())));
}

void TestKeychainMatrix::checkWindow(const KeychainState &state)
{
    // The window reads its keys at start; it must still be up seconds later
    // and end when asked (timeout's SIGTERM gives 124; a crash gives 128+signal).
    QProcessEnvironment env = state.environment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    QProcess window;
    window.setProcessEnvironment(env);
    window.start(u"timeout"_s, {u"-s"_s, u"TERM"_s, u"6"_s, binary()});
    QVERIFY(window.waitForFinished(30000));
    QVERIFY2(window.exitStatus() == QProcess::NormalExit && window.exitCode() == 124,
             qPrintable(u"the window ended with %1: %2"_s.arg(window.exitCode())
                            .arg(QString::fromUtf8(window.readAllStandardError()).left(3000))));
}

QTEST_GUILESS_MAIN(TestKeychainMatrix)
#include "tst_keychainmatrix.moc"
