// The tabs are autosaved while the window is open and come back after a
// crash without ever costing a file its content.
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/MainWindow.h"
#include "gui/SessionRecovery.h"
#include "gui/SnippetFile.h"
#include "gui/TabAutosave.h"
#include "gui/TabSession.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestTabAutosave : public QObject {
    Q_OBJECT
private:
    // A service name of the test's own: never the user's keys.
    KeyStore m_keys{QStringLiteral("org.safecell.tests.tabautosave")};
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    int m_n = 0;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(content);
        return path;
    }

    static QString slotPath(int slot)
    {
        return QDir(TabAutosave::defaultFolder()).filePath(u"tabs-%1.json"_s.arg(slot));
    }

    // What a crashed window left in the first slot.
    static void leaveCrashedSession(const QList<TabState> &tabs)
    {
        TabSession session;
        session.tabs = tabs;
        session.cleanExit = false;
        session.savedAt = QDateTime::currentDateTimeUtc();
        QDir().mkpath(TabAutosave::defaultFolder());
        QVERIFY(session.save(slotPath(1)));
    }

private Q_SLOTS:
    void init()
    {
        QDir(TabAutosave::defaultFolder()).removeRecursively();
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"autosave%1.ini"_s.arg(++m_n)));
    }

    void cleanup() { m_settings.reset(); }

    void typingIsOnDiskWithinMomentsWithoutAQuit()
    {
        MainWindow window(*m_settings, m_keys);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.autosave()->hasSlot());
        QCOMPARE(window.autosave()->path(), slotPath(1));
        QSignalSpy saved(window.autosave(), &TabAutosave::saved);
        window.editor()->setFocus();
        QTest::keyClicks(window.editor(), u"total = 1"_s);
        QVERIFY(window.autosave()->isSavePending());
        QVERIFY(saved.wait(5000));
        auto session = TabSession::load(slotPath(1));
        QVERIFY(session);
        QVERIFY(!session->cleanExit);
        // A first start: the welcome samples, typed into at the top of the first.
        QVERIFY(session->tabs.size() >= 2);
        QCOMPARE(session->current, 0);
        QVERIFY2(session->tabs[0].code.startsWith(u"total = 1#"_s), qPrintable(session->tabs[0].code.left(40)));
        // Still typing: the timer is not pushed back by each key, so a long burst is saved too.
        QTest::keyClicks(window.editor(), u"2"_s);
        QVERIFY(window.autosave()->isSavePending());
        QVERIFY(saved.wait(5000));
        QVERIFY(TabSession::load(slotPath(1))->tabs[0].code.startsWith(u"total = 12#"_s));

        // A new SQL tab, its language, and which tab is current are saved as well.
        const int count = window.tabs()->count();
        window.tabs()->addTab(u"SELECT 1;"_s, Language::Sql);
        QVERIFY(saved.wait(5000));
        session = TabSession::load(slotPath(1));
        QCOMPARE(session->tabs.size(), count + 1);
        QCOMPARE(session->tabs.constLast().code, u"SELECT 1;"_s);
        QCOMPARE(session->tabs.constLast().language, Language::Sql);
        QCOMPARE(session->current, count);

        // A clean close says so.
        QVERIFY(window.close());
        session = TabSession::load(slotPath(1));
        QVERIFY(session->cleanExit);
        QVERIFY(!window.autosave()->hasSlot());
    }

    void twoWindowsNeverWriteOverEachOther()
    {
        MainWindow first(*m_settings, m_keys);
        MainWindow second(*m_settings, m_keys);
        QCOMPARE(first.autosave()->path(), slotPath(1));
        QCOMPARE(second.autosave()->path(), slotPath(2));
        QSignalSpy savedFirst(first.autosave(), &TabAutosave::saved);
        QSignalSpy savedSecond(second.autosave(), &TabAutosave::saved);
        first.setCode(u"a = 1"_s);
        second.setCode(u"b = 2"_s);
        QVERIFY(savedFirst.wait(5000));
        QVERIFY(savedSecond.count() > 0 || savedSecond.wait(5000));
        const auto firstSaved = TabSession::load(slotPath(1));
        const auto secondSaved = TabSession::load(slotPath(2));
        QCOMPARE(firstSaved->tabs[firstSaved->current].code, u"a = 1"_s);
        QCOMPARE(secondSaved->tabs[secondSaved->current].code, u"b = 2"_s);
    }

    void afterACrashTheAnalystChoosesAndNothingIsWritten()
    {
        const QByteArray saved = "SELECT region FROM sales;\n";
        const QString path = write(u"tables.sql"_s, saved);
        leaveCrashedSession({TabState{u"SELECT region, amount FROM sales;\n"_s, Language::Sql, path},
                             TabState{u"untitled work"_s, Language::Python, QString()}});
        MainWindow window(*m_settings, m_keys);
        SessionRecovery *recovery = window.recovery();
        QCOMPARE(recovery->queuedQuestions(), 1);
        QList<RecoveryQuestion> asked;
        recovery->setPrompt(
            [&](QWidget *, const RecoveryQuestion &question, std::function<void(RecoveryChoice)> answer) {
            asked << question;
            answer(RecoveryChoice::KeepRecovered);
        });
        QSignalSpy finished(recovery, &SessionRecovery::finished);
        window.show(); // the questions come once the window is there
        QVERIFY(finished.wait(5000));
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked[0].path, path);
        QCOMPARE(asked[0].fileBytes, saved.size());
        QCOMPARE(asked[0].recoveredBytes, qint64(u"SELECT region, amount FROM sales;\n"_s.size()));

        EditorTab *tab = window.tabs()->tab(0);
        QCOMPARE(tab->editor()->text(), u"SELECT region, amount FROM sales;\n"_s);
        QVERIFY(tab->file()->isModified());
        QCOMPARE(tab->file()->path(), path);
        QCOMPARE(tab->language(), Language::Sql);
        QCOMPARE(readAll(path), saved); // kept, not written
        tab->editor()->undo();          // back to the file
        QCOMPARE(tab->editor()->text(), QString::fromUtf8(saved));
        QCOMPARE(window.tabs()->tab(1)->editor()->text(), u"untitled work"_s);
        window.tabs()->setUnsavedPrompt([](QWidget *, const QString &) { return QMessageBox::Discard; });
    }

    void reopeningTheFileDropsTheRecoveredText()
    {
        const QString path = write(u"reopen.sql"_s, "SELECT 1;\n");
        leaveCrashedSession({TabState{u"SELECT 2;\n"_s, Language::Sql, path}});
        MainWindow window(*m_settings, m_keys);
        window.recovery()->setPrompt(
            [](QWidget *, const RecoveryQuestion &, std::function<void(RecoveryChoice)> answer) {
            answer(RecoveryChoice::ReopenFile);
        });
        QSignalSpy finished(window.recovery(), &SessionRecovery::finished);
        window.show();
        QVERIFY(finished.wait(5000));
        QCOMPARE(window.code(), u"SELECT 1;\n"_s);
        QVERIFY(!window.snippetFile()->isModified());
        QVERIFY(window.close()); // nothing unsaved: no question
        QCOMPARE(readAll(path), QByteArray("SELECT 1;\n"));
    }

    void theSameTextAfterACrashOrAnyTextAfterACleanQuitAsksNothing()
    {
        const QString same = write(u"same.py"_s, "x = 1\n");
        const QString changed = write(u"changed.py"_s, "y = 2\n");
        leaveCrashedSession({TabState{u"x = 1\n"_s, Language::Python, same}});
        {
            MainWindow window(*m_settings, m_keys);
            QCOMPARE(window.recovery()->queuedQuestions(), 0);
            QVERIFY(!window.snippetFile()->isModified());
        }
        // After a clean quit, a file that differs was changed on disk since: it opens as it is now.
        TabSession clean;
        clean.tabs = {TabState{u"y = 1\n"_s, Language::Python, changed}};
        clean.cleanExit = true;
        QVERIFY(clean.save(slotPath(1)));
        MainWindow window(*m_settings, m_keys);
        QCOMPARE(window.recovery()->queuedQuestions(), 0);
        QCOMPARE(window.code(), u"y = 2\n"_s);
        QVERIFY(!window.snippetFile()->isModified());
    }

    void aFileThatIsGoneLeavesItsTextInAnUntitledTab()
    {
        leaveCrashedSession({TabState{u"gone = True\n"_s, Language::Python, m_dir.filePath(u"gone.py"_s)}});
        MainWindow window(*m_settings, m_keys);
        QCOMPARE(window.code(), u"gone = True\n"_s);
        QCOMPARE(window.snippetFile()->path(), QString());
    }

    // The reported loss: the file's name was kept in the settings when the
    // file was opened, its (empty) code at an older quit; restored together
    // they made an empty, modified tables.sql, and Enter on "Save" emptied it.
    void anOlderVersionsFileNameWithoutItsCodeOpensTheFile()
    {
        const QByteArray saved = "SELECT * FROM sales;\n";
        const QString path = write(u"legacy.sql"_s, saved);
        m_settings->setValue(Setting::EditorLastFile, path);
        m_settings->setValue(Setting::EditorLastLanguage, u"sql"_s);
        m_settings->setValue(Setting::EditorLastCode, QString());
        {
            MainWindow window(*m_settings, m_keys);
            QCOMPARE(window.tabs()->count(), 1);
            QCOMPARE(window.code(), QString::fromUtf8(saved));
            QVERIFY(!window.snippetFile()->isModified());
            QCOMPARE(window.language(), Language::Sql);
            int asked = 0;
            window.tabs()->setUnsavedPrompt([&](QWidget *, const QString &) {
                ++asked;
                return QMessageBox::Save;
            });
            QVERIFY(window.close());
            QCOMPARE(asked, 0);
        }
        QCOMPARE(readAll(path), saved);
        // Code that differs from the file is not lost either: it gets its own tab.
        QDir(TabAutosave::defaultFolder()).removeRecursively();
        m_settings->setValue(Setting::EditorLastCode, u"other = 1"_s);
        MainWindow window(*m_settings, m_keys);
        QCOMPARE(window.tabs()->count(), 2);
        QCOMPARE(window.tabs()->tab(0)->editor()->text(), QString::fromUtf8(saved));
        QCOMPARE(window.tabs()->tab(1)->editor()->text(), u"other = 1"_s);
        QCOMPARE(window.tabs()->tab(1)->file()->path(), QString());
    }

    void saveIsNeverTheDefaultForEmptyingAFile()
    {
        std::unique_ptr<QMessageBox> emptying(SnippetFile::makeUnsavedQuestion(nullptr, u"tables.sql"_s, 120, 0));
        QCOMPARE(emptying->defaultButton(), emptying->button(QMessageBox::Cancel));
        QVERIFY(emptying->informativeText().contains(u"120 bytes"_s));
        std::unique_ptr<QMessageBox> editing(SnippetFile::makeUnsavedQuestion(nullptr, u"tables.sql"_s, 120, 80));
        QCOMPARE(editing->defaultButton(), editing->button(QMessageBox::Save));
        std::unique_ptr<QMessageBox> newFile(SnippetFile::makeUnsavedQuestion(nullptr, u"new.sql"_s, 0, 0));
        QCOMPARE(newFile->defaultButton(), newFile->button(QMessageBox::Save));
    }

    void recoveringEmptyTextDefaultsToTheFile()
    {
        RecoveryQuestion question;
        question.path = u"/tmp/tables.sql"_s;
        question.fileBytes = 300;
        question.recoveredBytes = 0;
        question.fileModified = QDateTime::currentDateTime();
        std::unique_ptr<QMessageBox> empty(SessionRecovery::makeQuestionBox(nullptr, question));
        QCOMPARE(empty->defaultButton()->objectName(), u"reopenFile"_s);
        QVERIFY(empty->text().contains(u"tables.sql"_s));
        question.recoveredBytes = 280;
        std::unique_ptr<QMessageBox> some(SessionRecovery::makeQuestionBox(nullptr, question));
        QCOMPARE(some->defaultButton()->objectName(), u"keepRecovered"_s);
        // Esc changes nothing: the recovered text stays, unsaved.
        QCOMPARE(some->escapeButton()->objectName(), u"keepRecovered"_s);
    }
};

QTEST_MAIN(TestTabAutosave)
#include "tst_tabautosave.moc"
