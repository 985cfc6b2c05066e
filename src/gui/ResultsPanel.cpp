#include "ResultsPanel.h"

#include "gui/ImageResultView.h"
#include "gui/TableResultView.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QTabWidget>

namespace safecell {

ResultsPanel::ResultsPanel(QTabWidget *tabs)
    : QObject(tabs)
    , m_tabs(tabs)
{
}

void ResultsPanel::addResult(const RichResult &result)
{
    QWidget *page = nullptr;
    QString title;
    if (result.table) {
        page = new TableResultView(*result.table, m_tabs);
        title = result.isMainResult ? tr("Result") : tr("Table %1").arg(++m_tables);
    } else if (!result.png.isEmpty()) {
        auto *image = new ImageResultView(result.png, m_tabs);
        image->setSvg(result.svg);
        page = image;
        title = tr("Figure %1").arg(++m_figures);
    } else if (result.isMainResult && !result.text.isEmpty()) {
        auto *text = new QPlainTextEdit(m_tabs);
        text->setReadOnly(true);
        text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        text->setPlainText(result.text);
        text->setAccessibleName(tr("Main result"));
        page = text;
        title = tr("Result");
    } else {
        return; // plain text without a main role is already in the output stream
    }
    page->setObjectName(result.table
                            ? QStringLiteral("tableResult")
                            : (result.png.isEmpty() ? QStringLiteral("textResult") : QStringLiteral("imageResult")));
    const int index = m_tabs->addTab(page, title);
    if (result.isMainResult) {
        m_mainIndex = index;
        m_mainIsTable = bool(result.table);
    }
    if (result.table || !result.png.isEmpty())
        m_lastRichIndex = index;
}

void ResultsPanel::clear()
{
    while (m_tabs->count() > 1) {
        QWidget *page = m_tabs->widget(m_tabs->count() - 1);
        m_tabs->removeTab(m_tabs->count() - 1);
        page->deleteLater();
    }
    m_figures = 0;
    m_tables = 0;
    m_mainIndex = -1;
    m_mainIsTable = false;
    m_lastRichIndex = -1;
    m_tabs->setCurrentIndex(0);
}

void ResultsPanel::showBest(bool runFailed)
{
    if (runFailed || m_tabs->count() <= 1)
        m_tabs->setCurrentIndex(0);
    else if (m_mainIndex >= 0 && (m_mainIsTable || m_lastRichIndex < 0))
        m_tabs->setCurrentIndex(m_mainIndex);
    else
        m_tabs->setCurrentIndex(m_lastRichIndex);
}

int ResultsPanel::resultCount() const
{
    return m_tabs->count() - 1;
}

} // namespace safecell
