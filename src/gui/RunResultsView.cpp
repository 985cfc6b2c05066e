#include "RunResultsView.h"

#include "gui/ElidedLabel.h"
#include "gui/OutputBuffer.h"
#include "gui/ResultsPanel.h"
#include "gui/RunText.h"

#include <QPlainTextEdit>
#include <QTabWidget>
#include <QVBoxLayout>

namespace safecell {

namespace {
constexpr int kMaxOutputBlocks = 200000;
}

RunResultsView::RunResultsView(const QFont &outputFont, QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
    , m_output(new QPlainTextEdit(m_tabs))
    , m_buffer(new OutputBuffer(m_output))
    , m_results(new ResultsPanel(m_tabs))
    , m_summary(new ElidedLabel(m_tabs))
{
    m_tabs->setObjectName(QStringLiteral("resultTabs"));
    m_tabs->setAccessibleName(tr("Output and results"));
    m_tabs->setDocumentMode(true);
    m_output->setObjectName(QStringLiteral("output"));
    m_output->setAccessibleName(tr("Output"));
    m_output->setReadOnly(true);
    m_output->setUndoRedoEnabled(false);
    m_output->setPlaceholderText(tr("Output appears here while the code runs."));
    m_output->setMaximumBlockCount(kMaxOutputBlocks);
    m_output->setFont(outputFont);
    m_tabs->addTab(m_output, tr("Output"));
    m_summary->setObjectName(QStringLiteral("runSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setContentsMargins(8, 0, 8, 0);
    m_tabs->setCornerWidget(m_summary, Qt::TopRightCorner);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    setFocusProxy(m_tabs);
}

void RunResultsView::clear()
{
    m_buffer->clear();
    m_results->clear();
    m_summary->setFullText(QString());
    m_summary->setToolTip(QString());
    m_failure.reset();
    m_lastRun.reset();
}

void RunResultsView::appendOutput(const QString &text, bool isError)
{
    m_buffer->append(text, isError);
}

QString RunResultsView::outputText() const
{
    m_buffer->flushAll();
    return m_output->toPlainText();
}

void RunResultsView::showSummary(const RunReport &report)
{
    m_summary->setFullText(runSummaryText(report));
    QStringList tip{
        tr("Outcome: %1")
            .arg(report.outcome == RunOutcome::TimedOut ? timedOutText(report) : outcomeText(report.outcome))};
    if (!report.sandbox.isEmpty())
        tip << tr("Sandbox: %1").arg(report.sandbox);
    if (!report.model.isEmpty())
        tip << tr("Model: %1 (%2)").arg(report.model, report.modelReason);
    tip << tr("LLM cost: %1").arg(report.llmCost.toString())
        << tr("Sandbox cost: %1").arg(report.sandboxCost.toString())
        << tr("Duration: %1 s").arg(double(report.durationMs) / 1000.0, 0, 'f', 2);
    m_summary->setToolTip(tip.join(QLatin1Char('\n')));
}

QString RunResultsView::summary() const
{
    return m_summary->fullText();
}

} // namespace safecell
