#include "SpendBars.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QCoreApplication>
#include <QHorizontalBarSeries>
#include <QValueAxis>

namespace safecell {

void resetSpendChart(QChart *chart, const QString &title)
{
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    chart->setTitle(title);
}

void showSpendBars(QChart *chart, const QList<SpendBar> &bars)
{
    auto *set = new QBarSet(QCoreApplication::translate("SpendBars", "Spend"));
    QStringList names;
    for (const SpendBar &bar : bars) {
        names << bar.name;
        *set << double(bar.cost.nanos()) / double(Money::kNanosPerUsd);
    }
    auto *series = new QHorizontalBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto *categories = new QBarCategoryAxis;
    categories->append(names.isEmpty() ? QStringList{QCoreApplication::translate("SpendBars", "nothing spent")}
                                       : names);
    auto *values = new QValueAxis;
    values->setLabelFormat(QStringLiteral("$%.2f"));
    chart->addAxis(categories, Qt::AlignLeft);
    chart->addAxis(values, Qt::AlignBottom);
    series->attachAxis(categories);
    series->attachAxis(values);
    chart->legend()->hide();
}

} // namespace safecell
