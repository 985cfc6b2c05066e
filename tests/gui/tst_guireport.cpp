// Issue 20 item 6 in the window: File > Export Report… is there once the
// tab's run has ended, and writes the run (snippet, output, figure, cost,
// verdict, time) as one HTML page with the figure embedded, or as a PDF.
#include "gui/EditorTabs.h"
#include "gui/MainWindow.h"
#include "gui/ReportExport.h"
#include "gui/RunResultsView.h"
#include "support/LocalWindow.h"
#include "support/RunAndWait.h"

#include <QAction>
#include <QFile>
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

class TestGuiReport : public QObject {
    Q_OBJECT
private:
    LocalWindow m_local;
    std::unique_ptr<MainWindow> &m_window = m_local.window;

    QAction *exportAction() const { return m_window->findChild<QAction *>(u"actionExportReport"_s); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_local.open(u"org.safecell.tests.guireport"_s)); }

    void cleanupTestCase() { m_window.reset(); }

    void exportIsOfferedOnlyForATabWithAFinishedRun()
    {
        QVERIFY(exportAction());
        QVERIFY(!exportAction()->isEnabled());
        QVERIFY(runAndWait(*m_window, u"import matplotlib.pyplot as plt\nplt.plot([3, 1, 2])\nprint('<rows>', 3)\n"_s,
                           Language::Python));
        QVERIFY(exportAction()->isEnabled());
        QVERIFY(m_window->resultsView()->lastRun());
        m_window->tabs()->addTab(QString(), Language::Python); // a new tab has no run
        QVERIFY(!exportAction()->isEnabled());
        m_window->tabs()->setCurrentIndex(0);
        QVERIFY(exportAction()->isEnabled());
    }

    void theReportHoldsTheRunAsHtmlAndAsPdf()
    {
        const auto &run = m_window->resultsView()->lastRun();
        QVERIFY(run);
        const QString htmlPath = m_local.dir.filePath(u"report.html"_s);
        const auto html = writeRunReport(*run, htmlPath);
        QVERIFY2(html, qPrintable(html ? QString() : html.error()));
        const QString page = QString::fromUtf8(readAll(htmlPath));
        QVERIFY(page.contains(u"plt.plot([3, 1, 2])"_s));
        QVERIFY(page.contains(u"&lt;rows&gt; 3"_s));
        QVERIFY(page.contains(u"data:image/png;base64,iVBORw0KGgo"_s)); // the PNG signature, base64
        QVERIFY(page.contains(u"safe (decided by local rules)"_s));
        QVERIFY(page.contains(u"Cost"_s));

        const QString pdfPath = m_local.dir.filePath(u"report.pdf"_s);
        const auto pdf = writeRunReport(*run, pdfPath);
        QVERIFY2(pdf, qPrintable(pdf ? QString() : pdf.error()));
        const QByteArray bytes = readAll(pdfPath);
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY2(bytes.contains("/Subtype /Image") || bytes.contains("/Subtype/Image"), "the figure is in the PDF");
    }

    void aPathThatCannotBeWrittenSaysSoAndLeavesNothing()
    {
        const auto &run = m_window->resultsView()->lastRun();
        QVERIFY(run);
        const QString path = m_local.dir.filePath(u"no-such-folder/report.html"_s);
        const auto written = writeRunReport(*run, path);
        QVERIFY(!written);
        QVERIFY2(written.error().contains(path), qPrintable(written.error()));
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_MAIN(TestGuiReport)
#include "tst_guireport.moc"
