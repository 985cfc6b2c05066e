// Issue 20 item 1 in the window: File > Add Data…, files and folders
// dropped on the window and the Files pane (name, /data path, size, type,
// Remove); a snippet reads what is shared, and no longer what was removed.
#include "gui/FilesPane.h"
#include "gui/MainWindow.h"
#include "gui/RunController.h"
#include "support/LocalWindow.h"
#include "support/RunAndWait.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QDir>
#include <QDropEvent>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

QString writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return {};
    return path;
}

// What a file manager's drop delivers to the widget under the pointer.
bool dropOn(QWidget *target, QMimeData *mime)
{
    const QPointF at(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(at, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
    return drop.isAccepted();
}

} // namespace

class TestGuiFiles : public QObject {
    Q_OBJECT
private:
    LocalWindow m_local;
    std::unique_ptr<MainWindow> &m_window = m_local.window;
    QTemporaryDir m_host;

    QStringList column(int which) const
    {
        const QTableWidget *table = m_window->filesPane()->table();
        QStringList cells;
        for (int row = 0; row < table->rowCount(); ++row)
            cells << table->item(row, which)->text();
        return cells;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_local.open(u"org.safecell.tests.guifiles"_s));
        // As an analyst's files are: readable by others (the sandbox runs
        // as nobody when the suite runs as root).
        QVERIFY(QFile::setPermissions(m_host.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                         | QFile::ReadOther | QFile::ExeOther));
        QVERIFY(!writeFile(m_host.filePath(u"sales.csv"_s), "region,amount\nNorth,10\nSouth,32\n").isEmpty());
        QVERIFY(!writeFile(m_host.filePath(u"plan.xlsx"_s), QByteArray(2048, 'x')).isEmpty());
        QVERIFY(QDir(m_host.path()).mkpath(u"survey"_s));
        QVERIFY(QFile::setPermissions(m_host.filePath(u"survey"_s), QFile::ReadOwner | QFile::WriteOwner
                                                                        | QFile::ExeOwner | QFile::ReadOther
                                                                        | QFile::ExeOther));
        QVERIFY(!writeFile(m_host.filePath(u"survey/answers.tsv"_s), "q\ta\n1\tyes\n").isEmpty());
    }

    void cleanupTestCase() { m_window.reset(); }

    void addDataIsInTheFileMenuAndThePaneIsShown()
    {
        FilesPane *pane = m_window->filesPane();
        QVERIFY(pane);
        QVERIFY(pane->isVisible());
        QCOMPARE(pane->table()->rowCount(), 0);
        QVERIFY(pane->note().contains(u"/data/<name>"_s));
        const QMenu *file = m_window->menuBar()->findChild<QMenu *>(u"menuFile"_s);
        QVERIFY(file);
        QVERIFY(file->actions().contains(pane->addDataAction()));
        QVERIFY(file->actions().contains(pane->addFolderAction()));
        QCOMPARE(pane->addDataAction()->text(), u"Add &Data…"_s);
    }

    void addedFilesAreListedWithPathSizeAndType()
    {
        FilesPane *pane = m_window->filesPane();
        const QStringList errors = pane->addPaths(
            {m_host.filePath(u"sales.csv"_s), m_host.filePath(u"plan.xlsx"_s), m_host.filePath(u"missing.csv"_s)});
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(u"does not exist"_s), qPrintable(errors.first()));
        QCOMPARE(column(FilesPane::NameColumn), (QStringList{u"sales.csv"_s, u"plan.xlsx"_s}));
        QCOMPARE(column(FilesPane::PathColumn), (QStringList{u"/data/sales.csv"_s, u"/data/plan.xlsx"_s}));
        QCOMPARE(column(FilesPane::TypeColumn), (QStringList{u"CSV"_s, u"Excel"_s}));
        QCOMPARE(column(FilesPane::SizeColumn).at(1), u"2.0 kB"_s);
        // The status line says what changed, and the runs have it.
        QVERIFY2(m_window->statusText().contains(u"added /data/sales.csv, /data/plan.xlsx"_s),
                 qPrintable(m_window->statusText()));
        QCOMPARE(m_window->runController()->shares().size(), 2);
    }

    void aFolderDroppedOnTheEditorIsShared()
    {
        auto *mime = new QMimeData;
        mime->setUrls({QUrl::fromLocalFile(m_host.filePath(u"survey"_s))});
        QVERIFY(dropOn(m_window->editor()->viewport(), mime));
        QCOMPARE(column(FilesPane::NameColumn).last(), u"survey"_s);
        QCOMPARE(column(FilesPane::TypeColumn).last(), u"folder"_s);
        QCOMPARE(column(FilesPane::SizeColumn).last(), u"folder"_s);
        // Not pasted into the editor as text.
        QVERIFY(!m_window->editor()->text().contains(u"survey"_s));
        delete mime;

        // Text is the editor's, as before: no share.
        auto *text = new QMimeData;
        text->setText(u"print(1)"_s);
        dropOn(m_window->editor()->viewport(), text);
        QCOMPARE(m_window->filesPane()->table()->rowCount(), 3);
        delete text;
    }

    void aSnippetReadsWhatIsSharedAndNotWhatWasRemoved()
    {
        QVERIFY(runAndWait(*m_window,
                           u"import pandas as pd\nprint('total', pd.read_csv('/data/sales.csv')['amount'].sum())\n"
                           "print('answers', len(pd.read_csv('/data/survey/answers.tsv', sep='\\t')))\n"_s,
                           Language::Python, 60000));
        QVERIFY2(m_window->outputText().contains(u"total 42"_s), qPrintable(m_window->outputText()));
        QVERIFY2(m_window->outputText().contains(u"answers 1"_s), qPrintable(m_window->outputText()));

        // Remove sales.csv with the pane's button.
        FilesPane *pane = m_window->filesPane();
        QVERIFY(!pane->removeButton()->isEnabled());
        pane->table()->selectRow(0);
        QVERIFY(pane->removeButton()->isEnabled());
        QTest::mouseClick(pane->removeButton(), Qt::LeftButton);
        QCOMPARE(column(FilesPane::NameColumn), (QStringList{u"plan.xlsx"_s, u"survey"_s}));
        // The session held state: the analyst is told it restarts.
        QVERIFY2(m_window->statusText().contains(u"removed /data/sales.csv"_s), qPrintable(m_window->statusText()));
        QVERIFY2(m_window->statusText().contains(u"restarts the session"_s), qPrintable(m_window->statusText()));

        QVERIFY(runAndWait(*m_window, u"import os\nprint('present', os.path.exists('/data/sales.csv'))\n"_s,
                           Language::Python, 60000));
        QVERIFY2(m_window->outputText().contains(u"present False"_s), qPrintable(m_window->outputText()));
        QVERIFY2(m_window->outputText().contains(u"removed /data/sales.csv"_s), qPrintable(m_window->outputText()));
    }
};

QTEST_MAIN(TestGuiFiles)
#include "tst_guifiles.moc"
