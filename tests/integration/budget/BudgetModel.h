#pragma once
// The property test's model of the budget (tst_budgetproperty.cpp): the
// holds and entries it made, and the figures design.md's Budget section
// says they give, computed without the ledger.
#include "budget/BudgetPeriod.h"
#include "budget/LedgerTypes.h"

#include <QHash>
#include <QList>
#include <QTimeZone>

#include <array>
#include <optional>

namespace budgettest {

using namespace safecell;

struct Hold {
    Reservation r;
    int owner;           // connection 0 or 1; -1: its process died; 2: the second process
    bool purged = false; // lapsed and deleted from the ledger: never live again

    bool liveAt(qint64 ms) const { return !purged && r.expires.toMSecsSinceEpoch() > ms; }
};

struct Entry {
    Money cost;
    BudgetScopes scopes;
    qint64 timeMs;
};

class BudgetModel {
public:
    explicit BudgetModel(std::array<qint64, 4> limits) : m_limits(limits) {}

    QHash<QString, Hold> holds;    // by reservation id
    QHash<QString, Entry> entries; // by idempotency key
    QList<QPair<BudgetScopes, qint64>> breaches;

    Money cap(ScopeLevel level) const { return Money::fromNanos(m_limits[size_t(level)]); }

    Money held(ScopeLevel level, const QString &key, qint64 nowMs) const
    {
        Money sum;
        for (const Hold &h : holds)
            if (h.r.scopes.key(level) == key && h.liveAt(nowMs))
                sum += h.r.amount;
        return sum;
    }
    Money settled(ScopeLevel level, const QString &key, qint64 nowMs) const
    {
        return m_settledSums.value(sumKey(level, key, nowMs));
    }
    bool breached(ScopeLevel level, const QString &key, qint64 nowMs) const
    {
        for (const auto &b : breaches)
            if (b.first.key(level) == key && samePeriod(level, b.second, nowMs))
                return true;
        return false;
    }

    // Would holding `amount` under `scopes`, in place of `replaced`, be granted?
    bool fits(const BudgetScopes &scopes, Money amount, const Hold *replaced, qint64 nowMs) const
    {
        for (ScopeLevel level : kScopeLevels) {
            const QString key = scopes.key(level);
            if (key.isEmpty())
                continue;
            const bool live = replaced && replaced->liveAt(nowMs);
            const Money counted = live && replaced->r.scopes.key(level) == key ? replaced->r.amount : Money();
            if (amount <= counted)
                continue; // no new money in this scope
            if (breached(level, key, nowMs)
                || settled(level, key, nowMs) + (held(level, key, nowMs) - counted) + amount > cap(level))
                return false;
        }
        return true;
    }

    // The least any of `scopes` has left (limits are where bugs hide).
    Money room(const BudgetScopes &scopes, qint64 nowMs) const
    {
        std::optional<Money> least;
        for (ScopeLevel level : kScopeLevels) {
            const QString key = scopes.key(level);
            if (key.isEmpty())
                continue;
            const Money left = cap(level) - settled(level, key, nowMs) - held(level, key, nowMs);
            if (!least || left < *least)
                least = left;
        }
        return least.value_or(Money());
    }

    // reserve() and adjust() first delete every lapsed hold, even when they refuse.
    void purge(qint64 nowMs)
    {
        for (Hold &h : holds)
            h.purged = h.purged || h.r.expires.toMSecsSinceEpoch() <= nowMs;
    }

    void addEntry(const QString &key, const Entry &entry)
    {
        entries.insert(key, entry);
        for (ScopeLevel level : kScopeLevels)
            if (!entry.scopes.key(level).isEmpty())
                m_settledSums[sumKey(level, entry.scopes.key(level), entry.timeMs)] += entry.cost;
    }

private:
    // Org and user scopes count per calendar month (UTC here); sessions and tasks for their whole life.
    static qint64 periodOf(ScopeLevel level, qint64 ms)
    {
        if (!isPeriodic(level))
            return 0;
        return BudgetPeriod::containing(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()), QTimeZone::utc())
            .start.toMSecsSinceEpoch();
    }
    static bool samePeriod(ScopeLevel level, qint64 a, qint64 b) { return periodOf(level, a) == periodOf(level, b); }
    static QString sumKey(ScopeLevel level, const QString &key, qint64 ms)
    {
        return QStringLiteral("%1|%2|%3").arg(int(level)).arg(key).arg(periodOf(level, ms));
    }

    std::array<qint64, 4> m_limits;
    QHash<QString, Money> m_settledSums;
};

} // namespace budgettest
