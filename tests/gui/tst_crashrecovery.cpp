// Work survives a crash, tried on the real `safecell` window process: it
// runs on Qt's VNC platform (headless, like offscreen, but with an input
// path), the test types into it as a VNC viewer would, kills it with
// SIGKILL mid-edit, starts it again, and checks the file on disk and the
// restored tab. Each process gets its own XDG folders and data folder.
#include "gui/TabSession.h"
#include "support/VncKeyboard.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kSaved = "SELECT region, SUM(amount) AS total\nFROM sales\nGROUP BY region;\n";
constexpr int kWaitMs = 30000;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

quint16 freePort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost) ? server.serverPort() : 0;
}

} // namespace

class TestCrashRecovery : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_file;
    QString m_slot; // the first window's autosave

    // The real window, on a VNC screen; its log lines arrive on stderr.
    struct Window {
        std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
        QByteArray log;
        VncKeyboard keyboard;

        // Waits until the log has `line` (the window's own safecell.gui log).
        bool waitForLog(const QByteArray &line)
        {
            QDeadlineTimer deadline(kWaitMs);
            while (!log.contains(line) && !deadline.hasExpired()) {
                process->waitForReadyRead(100);
                log += process->readAllStandardError();
                if (process->state() != QProcess::Running) {
                    log += process->readAllStandardError();
                    break;
                }
            }
            return log.contains(line);
        }
    };

    std::unique_ptr<Window> start()
    {
        auto window = std::make_unique<Window>();
        const quint16 port = freePort();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"vnc:size=1200x800:port=%1"_s.arg(port));
        for (const QString &xdg : {u"XDG_CONFIG_HOME"_s, u"XDG_DATA_HOME"_s, u"XDG_CACHE_HOME"_s, u"XDG_STATE_HOME"_s})
            env.insert(xdg, m_dir.filePath(xdg.toLower()));
        env.insert(u"SAFECELL_DATA_DIR"_s, m_dir.filePath(u"data"_s));
        env.insert(u"QT_LOGGING_RULES"_s, u"safecell.*.info=false;safecell.gui.info=true"_s);
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s); // never the developer's keychain
        env.remove(u"COHERE_API_KEY"_s);
        env.remove(u"E2B_API_KEY"_s);
        window->process->setProcessEnvironment(env);
        window->process->start(qEnvironmentVariable("SAFECELL_BINARY"), {});
        if (!window->process->waitForStarted(kWaitMs) || !window->keyboard.connectTo(port, kWaitMs))
            return nullptr;
        return window;
    }

    static std::optional<TabSession> autosaved(const QString &path) { return TabSession::fromJson(readAll(path)); }

    // Waits until the autosave holds a session that `accept` likes.
    static bool waitForAutosave(const QString &path, const std::function<bool(const TabSession &)> &accept)
    {
        QDeadlineTimer deadline(kWaitMs);
        while (!deadline.hasExpired()) {
            if (const auto session = autosaved(path); session && accept(*session))
                return true;
            QTest::qWait(50);
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(qEnvironmentVariable("SAFECELL_BINARY")), "SAFECELL_BINARY names the built app");
        m_file = m_dir.filePath(u"tables.sql"_s);
        QFile file(m_file);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kSaved);
        file.close();
        // The last session (a clean quit) had tables.sql open.
        const QString folder = m_dir.filePath(u"data/editor-tabs"_s);
        QVERIFY(QDir().mkpath(folder));
        m_slot = QDir(folder).filePath(u"tabs-1.json"_s);
        TabSession session;
        session.tabs = {TabState{QString::fromUtf8(kSaved), Language::Sql, m_file}};
        session.cleanExit = true;
        QVERIFY(session.save(m_slot));
    }

    void aKillMidEditLosesOnlyTheLastKeystrokesAndNeverTheFile()
    {
        auto first = start();
        QVERIFY2(first, "the window did not start on its VNC screen");
        // Up and autosaving: the restored session is written back as not cleanly closed.
        QVERIFY(waitForAutosave(m_slot, [](const TabSession &s) { return !s.cleanExit; }));
        QVERIFY2(first->keyboard.type(u"-- kept after the crash\n"_s), qPrintable(first->keyboard.error()));
        QVERIFY2(waitForAutosave(
                     m_slot,
                     [](const TabSession &s) { return s.tabs.value(0).code.contains(u"-- kept after the crash\n"_s); }),
                 "the typing never reached the autosave");
        // Mid-edit: more keys, and the kill right behind them.
        QVERIFY(first->keyboard.type(u"-- and this"_s));
        first->process->kill();
        QVERIFY(first->process->waitForFinished(kWaitMs));
        QCOMPARE(first->process->exitStatus(), QProcess::CrashExit);

        QCOMPARE(readAll(m_file), kSaved); // the file itself was never touched
        const auto left = autosaved(m_slot);
        QVERIFY(left);
        QVERIFY(!left->cleanExit);
        QCOMPARE(left->tabs.size(), 1);
        QCOMPARE(left->tabs[0].path, m_file);
        QCOMPARE(left->tabs[0].language, Language::Sql);
        QVERIFY(left->tabs[0].code.startsWith(u"-- kept after the crash\n"_s));
        QVERIFY(left->tabs[0].code.endsWith(QString::fromUtf8(kSaved)));

        // Restarted: the window asks about the recovered text; Enter keeps it (the default).
        auto second = start();
        QVERIFY2(second, "the window did not start again");
        QVERIFY2(second->waitForLog("asking about the recovered text of \"tables.sql\""), second->log.constData());
        QVERIFY(second->keyboard.press(VncKeyboard::Return));
        QVERIFY2(second->waitForLog("recovered text of \"tables.sql\" kept"), second->log.constData());
        QCOMPARE(readAll(m_file), kSaved); // keeping it wrote nothing

        // The restored tab holds the recovered text: saving it writes exactly that.
        QVERIFY(second->keyboard.press('s', true));
        QDeadlineTimer deadline(kWaitMs);
        while (readAll(m_file) == kSaved && !deadline.hasExpired())
            QTest::qWait(50);
        const QByteArray saved = readAll(m_file);
        QVERIFY2(saved.startsWith("-- kept after the crash\n") && saved.endsWith(kSaved), saved.constData());

        // The reported loss: an empty editor and Enter on the quit question.
        // Enter now means Cancel: the window stays and the file keeps its text.
        QVERIFY(second->keyboard.press('a', true));
        QVERIFY(second->keyboard.press(VncKeyboard::Delete));
        QVERIFY(second->keyboard.press('q', true));
        QVERIFY2(second->waitForLog("asking whether to save \"tables.sql\" (the editor is empty)"),
                 second->log.constData());
        QVERIFY(second->keyboard.press(VncKeyboard::Return));
        QVERIFY2(second->waitForLog("answer: Cancel"), second->log.constData());
        QCOMPARE(second->process->state(), QProcess::Running);
        QCOMPARE(readAll(m_file), saved);
        second->process->kill();
        QVERIFY(second->process->waitForFinished(kWaitMs));
        QCOMPARE(readAll(m_file), saved);
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
