#include "gui/MainWindow.h"
#include "gui/SessionRecovery.h"
#include "gui/SnippetFile.h"
#include "gui/TabAutosave.h"
#include "gui/TabSession.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <Qsci/qsciscintilla.h>

#include <QDir>
#include <QFile>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestSnippetFile : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(content);
        return path;
    }
    static QByteArray read(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void openDetectsTheLanguageAndSaveWrites()
    {
        Settings settings(m_dir.filePath(u"a.ini"_s));
        QsciScintilla editor;
        SnippetFile file(&editor, settings, nullptr);
        QSignalSpy language(&file, &SnippetFile::languageDetected);
        const QString path = write(u"q.sql"_s, "SELECT 1;\n");
        QVERIFY(file.open(path));
        QCOMPARE(editor.text(), u"SELECT 1;\n"_s);
        QCOMPARE(language.count(), 1);
        QCOMPARE(language.first().at(0).value<Language>(), Language::Sql);
        QVERIFY(!file.isModified());
        QCOMPARE(file.displayName(), u"q.sql"_s);
        editor.append(u"SELECT 2;\n"_s);
        QVERIFY(file.isModified());
        QCOMPARE(file.displayName(), u"q.sql*"_s);
        QVERIFY(file.save());
        QCOMPARE(read(path), QByteArray("SELECT 1;\nSELECT 2;\n"));
        QVERIFY(!file.isModified());
        const QString other = m_dir.filePath(u"copy.py"_s);
        QVERIFY(file.saveAs(other));
        QCOMPARE(file.path(), other);
        // The file's name is not kept apart from its code (the window's autosave keeps both).
        QCOMPARE(settings.string(Setting::EditorLastFile), QString());
    }

    void recentFilesNewestFirstWithoutDuplicatesAndCapped()
    {
        Settings settings(m_dir.filePath(u"b.ini"_s));
        QsciScintilla editor;
        SnippetFile file(&editor, settings, nullptr);
        QStringList paths;
        for (int i = 0; i < SnippetFile::kMaxRecentFiles + 2; ++i) {
            paths << write(u"f%1.py"_s.arg(i), "x = 1\n");
            QVERIFY(file.open(paths.last()));
        }
        QVERIFY(file.open(paths.at(5)));
        const QStringList recent = file.recentFiles();
        QCOMPARE(recent.size(), SnippetFile::kMaxRecentFiles);
        QCOMPARE(recent.first(), paths.at(5));
        QCOMPARE(recent.at(1), paths.last());
        QCOMPARE(recent.count(paths.at(5)), 1);
        QMenu menu;
        file.fillRecentMenu(&menu);
        QCOMPARE(menu.actions().size(), SnippetFile::kMaxRecentFiles);
        editor.setText(u"changed"_s);
        editor.setModified(false);
        menu.actions().at(1)->trigger(); // opens the file it names
        QCOMPARE(file.path(), paths.last());
    }

    void unsavedPromptSaveDiscardCancel()
    {
        Settings settings(m_dir.filePath(u"c.ini"_s));
        QsciScintilla editor;
        SnippetFile file(&editor, settings, nullptr);
        const QString first = write(u"one.py"_s, "a = 1\n");
        const QString second = write(u"two.py"_s, "b = 2\n");
        QVERIFY(file.open(first));
        QMessageBox::StandardButton answer = QMessageBox::Cancel;
        int asked = 0;
        file.setUnsavedPrompt([&](QWidget *, const QString &name) {
            ++asked;
            [&] { QCOMPARE(name, u"one.py"_s); }();
            return answer;
        });
        QVERIFY(file.open(second)); // not modified: no question
        QCOMPARE(asked, 0);
        QVERIFY(file.open(first));
        editor.setText(u"a = 10\n"_s);
        QVERIFY(!file.open(second)); // Cancel keeps everything
        QCOMPARE(asked, 1);
        QCOMPARE(editor.text(), u"a = 10\n"_s);
        answer = QMessageBox::Discard;
        QVERIFY(file.open(second));
        QCOMPARE(read(first), QByteArray("a = 1\n"));
        QVERIFY(file.open(first));
        editor.setText(u"a = 11\n"_s);
        answer = QMessageBox::Save;
        QVERIFY(file.newSnippet());
        QCOMPARE(read(first), QByteArray("a = 11\n"));
        QCOMPARE(editor.text(), QString());
        QCOMPARE(file.path(), QString());
    }

    void closingTheWindowAsksForAModifiedFileOnly()
    {
        QVERIFY(startWithOneEmptyTab());
        Settings settings(m_dir.filePath(u"d.ini"_s));
        const QString path = write(u"w.py"_s, "w = 1\n");
        {
            KeyStore keys(QStringLiteral("org.safecell.tests.snippetfile"));
            MainWindow window(settings, keys);
            window.show();
            int asked = 0;
            window.snippetFile()->setUnsavedPrompt([&](QWidget *, const QString &) {
                ++asked;
                return QMessageBox::Cancel;
            });
            window.setCode(u"untitled work"_s); // untitled: kept across restarts, no question
            QVERIFY(window.close());
            QCOMPARE(asked, 0);
            window.show();
            // Opening over modified untitled work asks first.
            window.snippetFile()->setUnsavedPrompt([&](QWidget *, const QString &) {
                ++asked;
                return QMessageBox::Discard;
            });
            QVERIFY(window.snippetFile()->open(path));
            QCOMPARE(asked, 1);
            asked = 0;
            window.snippetFile()->setUnsavedPrompt([&](QWidget *, const QString &) {
                ++asked;
                return QMessageBox::Cancel;
            });
            window.setCode(u"w = 2\n"_s);
            QVERIFY(!window.close());
            QCOMPARE(asked, 1);
            QVERIFY(window.isVisible());
            QVERIFY(window.windowTitle().contains(u"w.py*"_s));
            window.snippetFile()->setUnsavedPrompt([](QWidget *, const QString &) { return QMessageBox::Discard; });
            QVERIFY(window.close());
        }
        // Discarded on close: after a restart the file is named again, as saved.
        {
            KeyStore keys(QStringLiteral("org.safecell.tests.snippetfile"));
            MainWindow reopened(settings, keys);
            QCOMPARE(reopened.snippetFile()->path(), path);
            QCOMPARE(reopened.code(), u"w = 1\n"_s);
            QVERIFY(!reopened.snippetFile()->isModified());
        }
        // An unsaved edit the autosave kept when the window did not close
        // (a crash) comes back marked modified once the analyst keeps it,
        // and Undo returns to the file.
        const QString slot = QDir(TabAutosave::defaultFolder()).filePath(u"tabs-1.json"_s);
        auto session = TabSession::load(slot);
        QVERIFY(session);
        QCOMPARE(session->tabs.size(), 1);
        session->tabs[0].code = u"w = 3\n"_s;
        session->cleanExit = false;
        QVERIFY(session->save(slot));
        KeyStore keys(QStringLiteral("org.safecell.tests.snippetfile"));
        MainWindow restored(settings, keys);
        restored.recovery()->setPrompt(
            [](QWidget *, const RecoveryQuestion &, std::function<void(RecoveryChoice)> answer) {
            answer(RecoveryChoice::KeepRecovered);
        });
        QSignalSpy answered(restored.recovery(), &SessionRecovery::finished);
        restored.show();
        QVERIFY(answered.wait(5000));
        QCOMPARE(restored.code(), u"w = 3\n"_s);
        QVERIFY(restored.snippetFile()->isModified());
        restored.editor()->undo();
        QCOMPARE(restored.code(), u"w = 1\n"_s);
    }
};

QTEST_MAIN(TestSnippetFile)
#include "tst_snippetfile.moc"
