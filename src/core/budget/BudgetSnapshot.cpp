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
    QJsonObject json{
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
    if (team.isSet()) {
        const auto time = [](const QDateTime &t) {
            return t.isValid() ? QJsonValue(t.toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
        };
        json.insert(QStringLiteral("team"), QJsonObject{
                                                {QStringLiteral("server"), team.server},
                                                {QStringLiteral("readAt"), time(team.readAt)},
                                                {QStringLiteral("staleSince"), time(team.staleSince)},
                                                {QStringLiteral("problem"), team.problem},
                                                {QStringLiteral("queuedCalls"), team.queuedCalls},
                                            });
    }
    return json;
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

void BudgetSnapshot::decide()
{
    const ScopeSnapshot *deciding = nullptr;
    for (const ScopeSnapshot &s : std::as_const(scopes)) {
        if (!s.limit)
            continue;
        if (!deciding || int(s.state) > int(deciding->state)
            || (s.state == deciding->state && s.utilisation > deciding->utilisation))
            deciding = &s;
    }
    if (!deciding && !scopes.isEmpty())
        deciding = &scopes.constFirst();
    nextHoldLapse = QDateTime();
    for (const ScopeSnapshot &s : std::as_const(scopes)) {
        if (s.firstHoldLapses.isValid() && (!nextHoldLapse.isValid() || s.firstHoldLapses < nextHoldLapse))
            nextHoldLapse = s.firstHoldLapses;
    }
    if (deciding) {
        heldUntil = deciding->lastHoldLapses;
        spent = deciding->spent;
        chargedOnLapse = deciding->chargedOnLapse;
        reserved = deciding->reserved;
        limit = deciding->limit;
        remaining = deciding->remaining;
        state = deciding->state;
        decidingScope = deciding->level;
    }
}

} // namespace safecell
