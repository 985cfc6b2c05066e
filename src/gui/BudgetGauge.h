#pragma once

#include "budget/BudgetSnapshot.h"

#include <QWidget>

namespace safecell {

// The toolbar's budget gauge: spent of limit as a bar coloured by the
// budget's state, the reserved (held) amount drawn apart in a lighter
// shade with the time its holds lapse, and a tooltip with every scope's
// figures.
class BudgetGauge : public QWidget {
    Q_OBJECT
public:
    explicit BudgetGauge(QWidget *parent = nullptr);

    void setSnapshot(const BudgetSnapshot &snapshot);
    // Shown instead of figures when the ledger cannot be read.
    void setUnavailable(const QString &reason);
    const BudgetSnapshot &snapshot() const { return m_snapshot; }
    static QColor colourFor(BudgetState state);
    QColor currentColour() const { return colourFor(m_snapshot.state); }
    QString text() const { return m_text; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    static QString stateText(BudgetState state);
    static QString scopeText(const ScopeSnapshot &scope);
    static QString timeText(const QDateTime &utc);

    BudgetSnapshot m_snapshot;
    QString m_text;
    bool m_available = false;
};

} // namespace safecell
