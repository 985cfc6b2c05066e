#pragma once

#include "budget/Money.h"

#include <QList>
#include <QString>

class QChart;

namespace safecell {

// One named amount of money, a bar of a spend chart.
struct SpendBar {
    QString name;
    Money cost;
};

// Empties `chart` (series and axes) and titles it.
void resetSpendChart(QChart *chart, const QString &title);
// Puts `bars` in `chart` as horizontal bars in dollars, one a name; a chart
// with none says "nothing spent". No legend: the axis names the bars.
void showSpendBars(QChart *chart, const QList<SpendBar> &bars);

} // namespace safecell
