// Files given on the command line (the desktop entry's `safecell %F`) open
// in tabs of their own: EditorTabs::openFile, which guiMain calls for each.
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/MainWindow.h"
#include "gui/SnippetFile.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <Qsci/qsciscintilla.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestOpenFiles : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            return {};
        return path;
    }

private Q_SLOTS:
    void eachFileOpensInANewTabAfterTheSession()
    {
        QVERIFY(startWithOneEmptyTab());
        Settings settings(m_dir.filePath(u"tabs.ini"_s));
        const QString sql = write(u"regions.sql"_s, "SELECT name FROM regions;\n");
        const QString python = write(u"plot.py"_s, "import pandas as pd\n");
        KeyStore keys(QStringLiteral("org.safecell.tests.openfiles"));
        MainWindow window(settings, keys);
        window.setCode(u"unsaved work"_s); // the last session's tab, left as it is
        EditorTabs *tabs = window.tabs();
        QCOMPARE(tabs->count(), 1);

        QVERIFY(tabs->openFile(sql));
        QVERIFY(tabs->openFile(python));
        QCOMPARE(tabs->count(), 3);
        QCOMPARE(tabs->tab(0)->editor()->text(), u"unsaved work"_s);
        QCOMPARE(tabs->tab(1)->file()->path(), sql);
        QCOMPARE(tabs->tab(1)->editor()->text(), u"SELECT name FROM regions;\n"_s);
        QCOMPARE(tabs->tab(1)->language(), Language::Sql);
        QVERIFY(!tabs->tab(1)->file()->isModified());
        QCOMPARE(tabs->tab(2)->file()->path(), python);
        QCOMPARE(tabs->tab(2)->language(), Language::Python);
        // The last file is the current tab, and the window says so.
        QCOMPARE(tabs->currentIndex(), 2);
        QCOMPARE(window.code(), u"import pandas as pd\n"_s);
        QVERIFY2(window.windowTitle().startsWith(u"plot.py"_s), qPrintable(window.windowTitle()));
        // Run acts on the current tab: back on the SQL file, it runs as SQL.
        tabs->setCurrentIndex(1);
        QCOMPARE(window.language(), Language::Sql);
    }

    void aFileOpenAlreadyIsShownNotOpenedTwice()
    {
        Settings settings(m_dir.filePath(u"twice.ini"_s));
        const QString path = write(u"twice.py"_s, "x = 1\n");
        KeyStore keys(QStringLiteral("org.safecell.tests.openfiles"));
        MainWindow window(settings, keys);
        EditorTabs *tabs = window.tabs();
        EditorTab *first = tabs->openFile(path);
        QVERIFY(first);
        first->editor()->setText(u"x = 2\n"_s); // an edit that must not be lost to a second copy
        tabs->addTab(u"other"_s);
        const int count = tabs->count();
        // The same file by another name: a relative path through the folder.
        QCOMPARE(tabs->openFile(m_dir.filePath(u"./twice.py"_s)), first);
        QCOMPARE(tabs->count(), count);
        QCOMPARE(tabs->current(), first);
        QCOMPARE(first->editor()->text(), u"x = 2\n"_s);
    }
};

QTEST_MAIN(TestOpenFiles)
#include "tst_openfiles.moc"
