// Issue 20 item 4 in the window: files a snippet writes in /work appear in
// the Files pane after the run; Save As… copies one out, Open hands a copy
// to the desktop's app, and closing the window with files never saved asks
// first (Cancel keeps the window, Save All… keeps the files).
#include "gui/AmbiguityDialog.h"
#include "gui/Confirmation.h"
#include "gui/FilesPane.h"
#include "gui/MainWindow.h"
#include "gui/OutputFilesPrompt.h"
#include "gui/OutputFilesView.h"
#include "gui/RunController.h"
#include "support/LocalWindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(unreadable)");
}

// Clicks `button` (an object name) of the unsaved-files box once it shows,
// and records the box's text.
void answerUnsavedBox(const char *button, QString *seen)
{
    auto attempt = std::make_shared<std::function<void()>>();
    *attempt = [attempt, button, seen] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != u"unsavedOutputsBox"_s) {
            QTimer::singleShot(20, *attempt);
            return;
        }
        *seen = box->text() + u'\n' + box->informativeText();
        box->findChild<QAbstractButton *>(QLatin1String(button))->click();
    };
    QTimer::singleShot(0, *attempt);
}

} // namespace

class TestGuiOutputs : public QObject {
    Q_OBJECT
private:
    LocalWindow m_local;
    std::unique_ptr<MainWindow> &m_window = m_local.window;
    QTemporaryDir m_out;

    OutputFilesView *outputs() const { return m_window->filesPane()->outputs(); }

    QStringList column(int which) const
    {
        QStringList cells;
        for (int row = 0; row < outputs()->table()->rowCount(); ++row)
            cells << outputs()->table()->item(row, which)->text();
        return cells;
    }

    // A write is ambiguous by the safety policy (PY-WRITE): the analyst
    // confirms it with Run anyway, as in the window.
    bool runConfirmed(const QString &code)
    {
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->setLanguage(Language::Python);
        m_window->setCode(code);
        m_window->run();
        if (!finished.wait(30000))
            return false;
        if (finished.first().at(0).value<RunReport>().outcome != RunOutcome::NeedsConfirmation)
            return finished.first().at(0).value<RunReport>().outcome == RunOutcome::Ok;
        auto *prompt = m_window->findChild<AmbiguityDialog *>(u"ambiguousDialog"_s);
        if (!QTest::qWaitFor([prompt] { return prompt && prompt->isVisible(); }, 10000))
            return false;
        prompt->findChild<QPushButton *>(u"runAnywayButton"_s)->click();
        return QTest::qWaitFor([&finished] { return finished.size() == 2; }, 30000)
               && finished.at(1).at(0).value<RunReport>().outcome == RunOutcome::Ok;
    }

    void select(const QString &path)
    {
        const auto found = outputs()->table()->findItems(path, Qt::MatchExactly);
        QCOMPARE(found.size(), 1);
        outputs()->table()->selectRow(found.first()->row());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_local.open(u"org.safecell.tests.guioutputs"_s)); }
    void cleanupTestCase() { m_window.reset(); }

    void aWrittenFileIsListedAndSavedAs()
    {
        QCOMPARE(outputs()->table()->rowCount(), 0);
        QVERIFY(runConfirmed(u"open('totals.csv', 'w').write('region,total\\nnorth,10\\n')"_s));
        QCOMPARE(column(OutputFilesView::NameColumn), QStringList{u"totals.csv"_s});
        QCOMPARE(column(OutputFilesView::SavedColumn), QStringList{u"not saved"_s});
        QCOMPARE(outputs()->unsaved().size(), 1);

        const QString destination = m_out.filePath(u"totals-out.csv"_s);
        QString suggested;
        outputs()->setDestinationChooser([&](const QString &path) {
            suggested = path;
            return destination;
        });
        select(u"totals.csv"_s);
        QSignalSpy saved(outputs(), &OutputFilesView::saved);
        outputs()->findChild<QAbstractButton *>(u"outputsSaveAs"_s)->click();
        QVERIFY(saved.wait(10000));
        QCOMPARE(suggested, u"totals.csv"_s);
        QCOMPARE(contentOf(destination), QByteArray("region,total\nnorth,10\n"));
        QCOMPARE(column(OutputFilesView::SavedColumn), QStringList{u"saved"_s});
        QVERIFY(outputs()->unsaved().isEmpty());
    }

    void openHandsACopyToTheDesktop()
    {
        QUrl opened;
        outputs()->setOpener([&opened](const QUrl &file) {
            opened = file;
            return true;
        });
        select(u"totals.csv"_s);
        outputs()->findChild<QAbstractButton *>(u"outputsOpen"_s)->click();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isValid(), 10000);
        QVERIFY(opened.isLocalFile());
        QCOMPARE(contentOf(opened.toLocalFile()), QByteArray("region,total\nnorth,10\n"));
        QVERIFY(outputs()->note().contains(u"Opened a copy"_s));
        // Named for what it holds, in a folder of this process's own.
        QVERIFY2(opened.toLocalFile().endsWith(u".txt"_s), qPrintable(opened.toLocalFile()));
        QCOMPARE(QFileInfo(QFileInfo(opened.toLocalFile()).path()).permissions()
                     & (QFile::ReadOther | QFile::ReadGroup),
                 QFile::Permissions());
    }

    // The snippet names the file, so it would choose the app: a page or a
    // script is not handed to the desktop, whatever its name says.
    void openNeverHandsTheDesktopSomethingToRun()
    {
        QVERIFY(runConfirmed(u"open('report.pdf', 'w').write('<html><script>alert(1)</script></html>')\n"
                             "open('launch.txt', 'w').write('#!/bin/sh\\nrm -rf ~\\n')"_s));
        int openedCount = 0;
        outputs()->setOpener([&openedCount](const QUrl &) {
            ++openedCount;
            return true;
        });
        for (const QString &name : {u"report.pdf"_s, u"launch.txt"_s}) {
            select(name);
            outputs()->findChild<QAbstractButton *>(u"outputsOpen"_s)->click();
            QTRY_VERIFY_WITH_TIMEOUT(outputs()->note().contains(u"Open shows images, PDFs and text only"_s), 10000);
            QVERIFY2(outputs()->note().contains(name), qPrintable(outputs()->note()));
            outputs()->showListing(outputs()->listing()); // clears the note for the next one
        }
        QCOMPARE(openedCount, 0);
    }

    // Written again after its save: unsaved once more, even when the
    // snippet sets its modification time back to the saved one.
    void aChangedFileIsUnsavedAgain()
    {
        QTest::qWait(20); // a later change time than the save's
        QVERIFY(runConfirmed(u"import os\nbefore = os.stat('totals.csv')\n"
                             "open('totals.csv', 'a').write('south,5\\n')\n"
                             "os.utime('totals.csv', ns=(before.st_atime_ns, before.st_mtime_ns))"_s));
        const int row = int(column(OutputFilesView::NameColumn).indexOf(u"totals.csv"_s));
        QVERIFY(row >= 0);
        QCOMPARE(column(OutputFilesView::SavedColumn).at(row), u"not saved"_s);
        QVERIFY(!column(OutputFilesView::SavedColumn).contains(u"saved"_s)); // none was ever saved but it
    }

    // A restart keeps /work (only the kernel goes), so its files still count
    // as the session's state; new settings that need a fresh session (which
    // drops /work) ask about unsaved files, and Cancel keeps the session.
    void aFreshSessionAsksAboutUnsavedFilesFirst()
    {
        QVERIFY(runConfirmed(u"open('fresh.txt', 'w').write('f')"_s));
        RunController *runs = m_window->runController();
        runs->restartSession();
        QVERIFY(column(OutputFilesView::NameColumn).contains(u"fresh.txt"_s));
        QVERIFY(runs->sessionHoldsState()); // no variable left, but a file

        QString seen;
        qputenv("E2B_API_KEY", "e2b_not_used_by_this_test");
        Confirmation::setNextAnswers({true}); // "Restart now"
        answerUnsavedBox("cancelClose", &seen);
        runs->reload();
        QTRY_VERIFY_WITH_TIMEOUT(!seen.isEmpty(), 10000);
        QVERIFY2(seen.contains(u"deleted with this session"_s) && seen.contains(u"/work/fresh.txt"_s),
                 qPrintable(seen));
        QVERIFY(runs->hasPendingFreshSession()); // kept, with its files
        QVERIFY(column(OutputFilesView::NameColumn).contains(u"fresh.txt"_s));

        // Later, Run > Restart Session applies the settings once the files are discarded.
        seen.clear();
        Confirmation::setNextAnswers({true});
        answerUnsavedBox("discardOutputs", &seen);
        m_window->restartSession();
        QTRY_VERIFY(!runs->hasPendingFreshSession());
        QCOMPARE(outputs()->table()->rowCount(), 0); // that /work is gone
        QVERIFY(!seen.isEmpty());

        // Back to the local sandbox for the next test: nothing to lose, so no question.
        qunsetenv("E2B_API_KEY");
        QSignalSpy renewed(runs, &RunController::sessionRenewed);
        runs->reload();
        QVERIFY(renewed.wait(10000));
        QCOMPARE(runs->sandbox(), RunController::Sandbox::Local);
    }

    void closingWithUnsavedFilesAsksFirst()
    {
        QVERIFY(runConfirmed(u"open('chart.svg', 'w').write('<svg/>')\nopen('notes.txt', 'w').write('n')\n"
                             "import os\nos.makedirs('a', exist_ok=True)\nopen('a/b.csv', 'w').write('1')\n"
                             "open('a-b.csv', 'w').write('2')\n"
                             "open('<a href=\\'#evil\\'>keep\\nyour files', 'w').write('x')"_s));
        QString seen;
        answerUnsavedBox("cancelClose", &seen);
        QVERIFY(!m_window->close()); // Cancel: the window stays
        QVERIFY(m_window->isVisible());
        // convertFromPlainText keeps spaces as no-break spaces: "<a" is where a link would start.
        QVERIFY2(!seen.contains(u"<a"_s) && seen.contains(u"&lt;a"_s), qPrintable(seen)); // never a link
        QVERIFY2(seen.contains(u"keep\uFFFDyour"_s), qPrintable(seen));                   // nor a fake line
        QVERIFY2(seen.contains(u"5 files"_s) && seen.contains(u"/work/chart.svg"_s)
                     && seen.contains(u"/work/notes.txt"_s) && seen.contains(u"when SafeCell closes"_s),
                 qPrintable(seen));

        // Save All… into a folder: every unsaved file is there, and nothing is asked again.
        QTemporaryDir folder;
        answerUnsavedBox("saveAllOutputs", &seen);
        QVERIFY(
            keepOutputFiles(*outputs(), m_window.get(), SessionEnd::WindowCloses, [&folder] { return folder.path(); }));
        QCOMPARE(contentOf(folder.filePath(u"chart.svg"_s)), QByteArray("<svg/>"));
        QCOMPARE(contentOf(folder.filePath(u"notes.txt"_s)), QByteArray("n"));
        // a/b.csv and a-b.csv flatten to one name: both kept, neither over the other.
        QCOMPARE(QSet<QByteArray>(
                     {contentOf(folder.filePath(u"a-b.csv"_s)), contentOf(folder.filePath(u"a-b (2).csv"_s))}),
                 QSet<QByteArray>({"1", "2"}));
        QVERIFY(outputs()->unsaved().isEmpty());
        QVERIFY(keepOutputFiles(*outputs(), m_window.get())); // no box: nothing left to ask about

        // Discard closes without saving.
        QVERIFY(runConfirmed(u"open('scratch.txt', 'w').write('x')"_s));
        answerUnsavedBox("discardOutputs", &seen);
        QVERIFY(m_window->close());
        QVERIFY(seen.contains(u"/work/scratch.txt"_s) && !seen.contains(u"chart.svg"_s));
    }
};

QTEST_MAIN(TestGuiOutputs)
#include "tst_guioutputs.moc"
