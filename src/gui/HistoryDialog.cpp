#include "HistoryDialog.h"

#include "ui_HistoryDialog.h"

#include "budget/LedgerLocation.h"
#include "gui/LlmRequestView.h"
#include "gui/RunText.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimeZone>

namespace safecell {

namespace {

constexpr RunOutcome kOutcomes[] = {RunOutcome::Ok,         RunOutcome::Failed,
                                    RunOutcome::Blocked,    RunOutcome::NeedsConfirmation,
                                    RunOutcome::OverBudget, RunOutcome::Unavailable,
                                    RunOutcome::TimedOut,   RunOutcome::Cancelled,
                                    RunOutcome::Invalid};

QTableWidgetItem *cell(const QString &text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(alignment);
    return item;
}

} // namespace

HistoryDialog::HistoryDialog(QString ledgerPath, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::HistoryDialog>())
    , m_queries(new LedgerQueryThread(ledgerPath.isEmpty() ? defaultLedgerPath() : std::move(ledgerPath), this))
{
    m_ui->setupUi(this);
    m_ui->outcomeBox->addItem(tr("Any"), QString());
    for (RunOutcome outcome : kOutcomes)
        m_ui->outcomeBox->addItem(outcomeText(outcome), outcomeName(outcome));
    m_ui->languageBox->addItem(tr("Any"), QString());
    m_ui->languageBox->addItem(tr("Python"), languageName(Language::Python));
    m_ui->languageBox->addItem(tr("SQL"), languageName(Language::Sql));
    m_ui->runsTable->setColumnCount(ColumnCount);
    m_ui->runsTable->setHorizontalHeaderLabels({tr("Time"), tr("Language"), tr("Outcome"), tr("Verdict"),
                                                tr("Decided by"), tr("Model"), tr("Sandbox"), tr("Duration"),
                                                tr("Cost"), tr("Sent to E2B")});
    m_ui->runsTable->verticalHeader()->hide();
    m_ui->runsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->runsTable->horizontalHeader()->setSectionResizeMode(Outcome, QHeaderView::Stretch);

    m_typing.setSingleShot(true);
    m_typing.setInterval(250);
    connect(&m_typing, &QTimer::timeout, this, &HistoryDialog::reload);
    connect(m_ui->textEdit, &QLineEdit::textChanged, &m_typing, qOverload<>(&QTimer::start));
    connect(m_ui->outcomeBox, &QComboBox::currentIndexChanged, this, &HistoryDialog::reload);
    connect(m_ui->languageBox, &QComboBox::currentIndexChanged, this, &HistoryDialog::reload);
    connect(m_ui->runsTable, &QTableWidget::cellDoubleClicked, this, &HistoryDialog::openSelected);
    connect(m_ui->runsTable, &QTableWidget::itemSelectionChanged, this, &HistoryDialog::updateButtons);
    connect(m_ui->openButton, &QPushButton::clicked, this, &HistoryDialog::openSelected);
    connect(m_ui->sentButton, &QPushButton::clicked, this, &HistoryDialog::showSentToCohere);
    connect(m_ui->exportCsvButton, &QPushButton::clicked, this, [this] { exportAsked(Format::Csv); });
    connect(m_ui->exportJsonButton, &QPushButton::clicked, this, [this] { exportAsked(Format::Json); });
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    reload();
}

HistoryDialog::~HistoryDialog() = default;

void HistoryDialog::setFilter(const HistoryFilter &filter)
{
    const QSignalBlocker a(m_ui->textEdit), b(m_ui->outcomeBox), c(m_ui->languageBox);
    m_ui->textEdit->setText(filter.text);
    m_ui->outcomeBox->setCurrentIndex(std::max(0, m_ui->outcomeBox->findData(filter.outcome)));
    m_ui->languageBox->setCurrentIndex(std::max(0, m_ui->languageBox->findData(filter.language)));
    reload();
}

void HistoryDialog::reload()
{
    m_typing.stop();
    HistoryFilter filter;
    filter.text = m_ui->textEdit->text().trimmed();
    filter.outcome = m_ui->outcomeBox->currentData().toString();
    filter.language = m_ui->languageBox->currentData().toString();
    m_queries->submit([this, filter](LedgerQueryContext &context) -> LedgerQueryThread::Delivery {
        // On the query thread: only `filter` and the context are touched here.
        Expected<QList<RunRecord>, LedgerError> runs = [&]() -> Expected<QList<RunRecord>, LedgerError> {
            auto ledger = context.ledger();
            if (!ledger)
                return unexpected(ledger.error());
            return RunHistory(**ledger).list(filter);
        }();
        return [this, runs] { showRuns(runs); };
    });
}

bool HistoryDialog::isLoading() const
{
    // A search waiting for a pause in typing is a reload on its way too.
    return m_typing.isActive() || m_queries->isBusy();
}

void HistoryDialog::showRuns(const Expected<QList<RunRecord>, LedgerError> &runs)
{
    if (!runs) {
        m_ui->statusLabel->setText(tr("The history cannot be read: %1").arg(runs.error().message));
        Q_EMIT loaded();
        return;
    }
    m_runs = *runs;
    QTableWidget *table = m_ui->runsTable;
    table->setRowCount(0);
    table->setRowCount(int(m_runs.size()));
    const Qt::Alignment right = Qt::AlignRight | Qt::AlignVCenter;
    for (int row = 0; row < m_runs.size(); ++row) {
        const RunRecord &run = m_runs.at(row);
        table->setItem(row, Time, cell(QLocale().toString(run.started.toLocalTime(), QLocale::ShortFormat)));
        table->setItem(row, LanguageColumn, cell(run.language));
        table->setItem(row, Outcome, cell(outcomeTextForName(run.outcome)));
        table->setItem(row, Verdict, cell(run.verdict));
        table->setItem(row, DecidedBy, cell(run.decidedBy));
        table->setItem(row, Model, cell(run.model));
        table->setItem(row, Sandbox, cell(run.internet ? tr("%1 · internet on").arg(run.sandbox) : run.sandbox));
        // What left the machine: the files' names, their paths on hover.
        QStringList names;
        for (const QString &path : run.uploadedFiles)
            names << QFileInfo(path).fileName();
        table->setItem(row, SentToE2b, cell(names.join(QStringLiteral(", "))));
        table->item(row, SentToE2b)->setToolTip(run.uploadedFiles.join(QLatin1Char('\n')));
        table->setItem(row, Duration, cell(tr("%1 s").arg(double(run.durationMs) / 1000.0, 0, 'f', 2), right));
        table->setItem(row, Cost, cell((run.llmCost + run.sandboxCost).toString(), right));
        table->item(row, Cost)->setToolTip(costText(run.llmCost, run.sandboxCost, run.model));
        table->item(row, Outcome)->setToolTip(run.message);
        table->item(row, Time)->setToolTip(run.code.left(400));
    }
    m_ui->statusLabel->setText(m_runs.isEmpty() ? tr("No run matches.")
                                                : tr("Runs: %1, newest first.").arg(m_runs.size()));
    if (!m_runs.isEmpty())
        table->selectRow(0);
    updateButtons();
    Q_EMIT loaded();
}

int HistoryDialog::selectedRow() const
{
    const QList<QTableWidgetItem *> selected = m_ui->runsTable->selectedItems();
    return selected.isEmpty() ? -1 : selected.first()->row();
}

void HistoryDialog::updateButtons()
{
    const int row = selectedRow();
    m_ui->openButton->setEnabled(row >= 0);
    m_ui->sentButton->setEnabled(row >= 0 && !m_runs.at(row).llmRequest.isEmpty());
    m_ui->exportCsvButton->setEnabled(!m_runs.isEmpty());
    m_ui->exportJsonButton->setEnabled(!m_runs.isEmpty());
}

void HistoryDialog::openSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const RunRecord &run = m_runs.at(row);
    Q_EMIT openRequested(run.code, languageFromName(run.language).value_or(Language::Python));
}

void HistoryDialog::showSentToCohere()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const RunRecord &run = m_runs.at(row);
    auto *view = new LlmRequestView(run.llmRequest.toUtf8(),
                                    tr("Run of %1 (safety classification, %2)")
                                        .arg(QLocale().toString(run.started.toLocalTime(), QLocale::ShortFormat),
                                             run.model.isEmpty() ? tr("no model") : run.model),
                                    this);
    view->setAttribute(Qt::WA_DeleteOnClose);
    view->open();
}

bool HistoryDialog::exportTo(const QString &path, Format format)
{
    const QByteArray bytes = format == Format::Csv ? RunHistory::toCsv(m_runs)
                                                   : QJsonDocument(RunHistory::toJson(m_runs)).toJson();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) < 0 || !file.commit()) {
        m_ui->statusLabel->setText(tr("Could not export to %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_ui->statusLabel->setText(tr("Runs exported: %1, to %2.").arg(m_runs.size()).arg(path));
    return true;
}

void HistoryDialog::exportAsked(Format format)
{
    const bool csv = format == Format::Csv;
    const QString path = QFileDialog::getSaveFileName(this,
                                                      csv ? tr("Export the runs as CSV")
                                                          : tr("Export the runs as JSON"),
                                                      csv ? QStringLiteral("safecell-runs.csv")
                                                          : QStringLiteral("safecell-runs.json"),
                                                      csv ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
    if (!path.isEmpty())
        exportTo(path, format);
}

} // namespace safecell
