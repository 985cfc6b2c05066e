#include "BudgetSnapshot.h"

#include <QJsonArray>

namespace safecell {

namespace {
QJsonValue dollars(const std::optional<Money> &money)
{
    return money ? QJsonValue(money->usd()) : QJsonValue(QJsonValue::Null);
}
} // namespace

QJsonObject BudgetSnapshot::toJson() const
{
    QJsonArray scopeArray;
    for (const ScopeSnapshot &s : scopes) {
        scopeArray.append(QJsonObject{
            {QStringLiteral("scope"), scopeLevelName(s.level)},
            {QStringLiteral("key"), s.key},
            {QStringLiteral("spent"), s.spent.usd()},
            {QStringLiteral("chargedOnLapse"), s.chargedOnLapse.usd()},
            {QStringLiteral("reserved"), s.reserved.usd()},
            {QStringLiteral("limit"), dollars(s.limit)},
            {QStringLiteral("remaining"), dollars(s.remaining)},
            {QStringLiteral("state"), budgetStateWireName(s.state)},
            {QStringLiteral("utilisation"), s.utilisation},
            {QStringLiteral("breach"), s.breach},
        });
    }
    return QJsonObject{
        {QStringLiteral("spent"), spent.usd()},
        {QStringLiteral("remaining"), dollars(remaining)},
        {QStringLiteral("state"), budgetStateWireName(state)},
        {QStringLiteral("limit"), dollars(limit)},
        {QStringLiteral("reserved"), reserved.usd()},
        {QStringLiteral("chargedOnLapse"), chargedOnLapse.usd()},
        {QStringLiteral("decidingScope"),
         decidingScope ? QJsonValue(scopeLevelName(*decidingScope)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("periodStart"), periodStart.toString(Qt::ISODate)},
        {QStringLiteral("periodEnd"), periodEnd.toString(Qt::ISODate)},
        {QStringLiteral("scopes"), scopeArray},
    };
}

const ScopeSnapshot *BudgetSnapshot::scope(ScopeLevel level) const
{
    for (const ScopeSnapshot &s : scopes) {
        if (s.level == level)
            return &s;
    }
    return nullptr;
}

double BudgetSnapshot::utilisationOf(ScopeLevel level) const
{
    const ScopeSnapshot *s = scope(level);
    return s ? s->utilisation : 0.0;
}

} // namespace safecell
