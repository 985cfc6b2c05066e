#pragma once

#include "budget/LedgerQueryThread.h"
#include "pipeline/RunHistory.h"
#include "request/Language.h"

#include <QDialog>
#include <QTimer>

#include <memory>

namespace Ui {
class HistoryDialog;
}

namespace safecell {

// Every run from the history: filterable by text, outcome and language;
// a run's code re-opens into a new editor tab; what was sent to Cohere is
// one click away; the list exports to CSV or JSON.
class HistoryDialog : public QDialog {
    Q_OBJECT
public:
    enum Column {
        Time,
        LanguageColumn,
        Outcome,
        Verdict,
        DecidedBy,
        Model,
        Sandbox,
        Duration,
        Cost,
        SentToE2b,
        ColumnCount
    };
    enum class Format { Csv, Json };

    // ledgerPath empty: the default ledger.
    explicit HistoryDialog(QString ledgerPath = {}, QWidget *parent = nullptr);
    ~HistoryDialog() override;

    void setFilter(const HistoryFilter &filter);
    const QList<RunRecord> &runs() const { return m_runs; }
    int selectedRow() const;
    bool exportTo(const QString &path, Format format);
    // The runs are read on a query thread: true from a change of filter
    // until the newest reload's answer is shown (then loaded()).
    bool isLoading() const;

public Q_SLOTS:
    void reload();
    void openSelected();
    void showSentToCohere();

Q_SIGNALS:
    void openRequested(const QString &code, safecell::Language language);
    void loaded();

private:
    void exportAsked(Format format);
    void updateButtons();
    void showRuns(const Expected<QList<RunRecord>, LedgerError> &runs);

    std::unique_ptr<Ui::HistoryDialog> m_ui;
    LedgerQueryThread *m_queries;
    QList<RunRecord> m_runs;
    QTimer m_typing; // the search waits for a pause in typing
};

} // namespace safecell
