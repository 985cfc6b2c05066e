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
    int owner;             // connection 0 or 1; -1: its process died; 2: the second process
    bool purged = false;   // lapsed, charged and deleted from the ledger (live again only when adjusted)
    QString lapseKey = {}; // its newest charge on lapse, when it lapsed with money held

    bool liveAt(qint64 ms) const { return !purged && r.expires.toMSecsSinceEpoch() > ms; }
};

struct Entry {
    Money cost;
    BudgetScopes scopes;
    qint64 timeMs;
};

class BudgetModel {
public:
    explicit BudgetModel(std::array<qint64, 4> limits)
        : m_limits(limits)
    {
    }

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
            Money counted = live && replaced->r.scopes.key(level) == key ? replaced->r.amount : Money();
            if (replaced && !live && !replaced->lapseKey.isEmpty()) {
                // A lapsed hold held again counts its charge on lapse as its own, in that charge's period.
                const Entry e = entries.value(replaced->lapseKey);
                if (e.scopes.key(level) == key && samePeriod(level, e.timeMs, nowMs))
                    counted = e.cost;
            }
            if (amount <= counted)
                continue; // no new money in this scope
            // `counted` is part of what the scope uses (held, or settled on lapse).
            const Money used = settled(level, key, nowMs) + held(level, key, nowMs);
            if (breached(level, key, nowMs) || (used - counted) + amount > cap(level))
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

    // Every write (reserve, adjust, settle, settle part, release) first
    // charges every lapsed hold in full, even when it refuses: an entry
    // dated at the expiry, so settled + held never drops when a hold lapses.
    void lapse(qint64 nowMs)
    {
        for (Hold &h : holds)
            if (!h.purged && h.r.expires.toMSecsSinceEpoch() <= nowMs)
                charge(h);
    }
    // One hold's lapse, by whoever saw it first.
    void charge(Hold &h)
    {
        h.purged = true;
        if (h.r.amount.nanos() <= 0)
            return;
        h.lapseKey = QStringLiteral("lapse/%1/%2").arg(h.r.id).arg(h.r.expires.toMSecsSinceEpoch());
        addEntry(h.lapseKey, Entry{h.r.amount, h.r.scopes, h.r.expires.toMSecsSinceEpoch()});
    }
    // What stands for a hold: its amount while live, else what is left of its charge on lapse.
    Money standing(const Hold &h, qint64 nowMs) const
    {
        if (h.liveAt(nowMs))
            return h.r.amount;
        return h.lapseKey.isEmpty() ? Money() : entries.value(h.lapseKey).cost;
    }
    // A late settle, part or release (or a hold held again) replaces that much of its charge on lapse.
    void lowerLapse(const Hold &h, Money by)
    {
        if (h.lapseKey.isEmpty() || by.nanos() <= 0)
            return;
        Entry &e = entries[h.lapseKey];
        e.cost = e.cost - by;
        for (ScopeLevel level : kScopeLevels)
            if (!e.scopes.key(level).isEmpty())
                m_settledSums[sumKey(level, e.scopes.key(level), e.timeMs)] =
                    m_settledSums[sumKey(level, e.scopes.key(level), e.timeMs)] - by;
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
