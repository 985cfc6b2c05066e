#include "budget/BudgetController.h"
#include "budget/LedgerBreaches.h"
#include "budget/SpendLedger.h"
#include "settings/Settings.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kDollar = 1'000'000'000;

Money nanos(qint64 n)
{
    return Money::fromNanos(n);
}

Charge charge(qint64 costNanos)
{
    Charge c;
    c.kind = ChargeKind::Llm;
    c.resource = u"command-r-08-2024"_s;
    c.inputTokens = 100;
    c.outputTokens = 50;
    c.cost = nanos(costNanos);
    return c;
}

} // namespace

class TestBudgetController : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_n = 0;
    const QTimeZone m_berlin{"Europe/Berlin"};
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<SpendLedger> m_ledger;
    std::unique_ptr<BudgetController> m_budget;
    const BudgetScopes m_scopes = BudgetScopes::of(u"acme"_s, u"alice"_s, u"session-1"_s);

    BudgetPolicy dollarPolicy() const
    {
        BudgetPolicy policy;
        policy.setLimit(ScopeLevel::Org, nanos(kDollar));
        return policy;
    }

    void reopen(const BudgetPolicy &policy)
    {
        m_budget.reset();
        m_ledger.reset();
        auto ledger = SpendLedger::open(m_path);
        QVERIFY2(ledger, qPrintable(ledger ? QString() : ledger.error().message));
        m_ledger = std::move(ledger).value();
        m_budget = std::make_unique<BudgetController>(*m_ledger, policy, *m_clock);
    }

    void spend(qint64 costNanos, const BudgetScopes &scopes)
    {
        auto r = m_budget->reserve(nanos(costNanos), scopes);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QVERIFY(m_budget->settle(*r, charge(costNanos)));
    }
    void spend(qint64 costNanos) { spend(costNanos, m_scopes); }

    BudgetSnapshot snap(const BudgetScopes &scopes)
    {
        auto s = m_budget->snapshot(scopes);
        return s ? *s : BudgetSnapshot{};
    }
    BudgetSnapshot snap() { return snap(m_scopes); }

private Q_SLOTS:
    void init()
    {
        m_path = m_dir.filePath(u"ledger%1.sqlite"_s.arg(++m_n));
        // 2026-11-20 12:00 in Berlin.
        m_clock = std::make_unique<ManualClock>(QDateTime(QDate(2026, 11, 20), QTime(12, 0), m_berlin).toUTC(),
                                                m_berlin);
        reopen(dollarPolicy());
    }

    void cleanup()
    {
        m_budget.reset();
        m_ledger.reset();
    }

    void stateChangesExactlyAtEachThreshold_data()
    {
        QTest::addColumn<qint64>("spent");
        QTest::addColumn<BudgetState>("state");
        QTest::newRow("just below warn") << qint64(750'000'000 - 1) << BudgetState::Active;
        QTest::newRow("at warn") << qint64(750'000'000) << BudgetState::Warned;
        QTest::newRow("just above warn") << qint64(750'000'000 + 1) << BudgetState::Warned;
        QTest::newRow("just below degrade") << qint64(900'000'000 - 1) << BudgetState::Warned;
        QTest::newRow("at degrade") << qint64(900'000'000) << BudgetState::Degraded;
        QTest::newRow("just above degrade") << qint64(900'000'000 + 1) << BudgetState::Degraded;
        QTest::newRow("just below stop") << qint64(kDollar - 1) << BudgetState::Degraded;
        QTest::newRow("at stop") << qint64(kDollar) << BudgetState::Stopped;
    }

    void stateChangesExactlyAtEachThreshold()
    {
        QFETCH(qint64, spent);
        QFETCH(BudgetState, state);
        spend(spent);
        const BudgetSnapshot s = snap();
        QCOMPARE(s.state, state);
        QCOMPARE(s.spent.nanos(), spent);
        QCOMPARE(s.remaining->nanos(), kDollar - spent);
        QCOMPARE(s.limit->nanos(), kDollar);
    }

    void justAboveTheLimitIsStopped()
    {
        // Only a settle above its reservation can pass the limit.
        auto r = m_budget->reserve(nanos(kDollar), m_scopes);
        QVERIFY(r);
        QVERIFY(m_budget->settle(*r, charge(kDollar + 1)));
        QCOMPARE(snap().state, BudgetState::Stopped);
        QCOMPARE(snap().remaining->nanos(), 0);
    }

    void reservedMoneyCountsTowardsTheState()
    {
        auto r = m_budget->reserve(nanos(800'000'000), m_scopes);
        QVERIFY(r);
        const BudgetSnapshot s = snap();
        QCOMPARE(s.state, BudgetState::Warned);
        QCOMPARE(s.spent.nanos(), 0);
        QCOMPARE(s.reserved.nanos(), 800'000'000);
        QCOMPARE(s.remaining->nanos(), 200'000'000);
    }

    void configurableThresholds()
    {
        BudgetPolicy policy = dollarPolicy();
        policy.thresholds = *BudgetThresholds::fromFractions(0.5, 0.6, 0.8);
        reopen(policy);
        spend(500'000'000);
        QCOMPARE(snap().state, BudgetState::Warned);
        spend(100'000'000);
        QCOMPARE(snap().state, BudgetState::Degraded);
        auto refused = m_budget->reserve(nanos(200'000'001), m_scopes); // past 0.8 x $1
        QVERIFY(!refused);
        QCOMPARE(refused.error().overBudget.remaining.nanos(), 200'000'000);
        spend(200'000'000);
        QCOMPARE(snap().state, BudgetState::Stopped);
    }

    void worstScopeDecides()
    {
        BudgetPolicy policy;
        policy.setLimit(ScopeLevel::Org, nanos(10 * kDollar)).setLimit(ScopeLevel::User, nanos(kDollar));
        reopen(policy);
        spend(950'000'000);
        const BudgetSnapshot s = snap();
        QCOMPARE(s.state, BudgetState::Degraded);
        QCOMPARE(s.decidingScope, std::optional<ScopeLevel>(ScopeLevel::User));
        QCOMPARE(s.limit->nanos(), kDollar);
        QCOMPARE(s.scopes.size(), 3); // org, user, session
        QCOMPARE(s.scopes.at(0).state, BudgetState::Active);
        QCOMPARE(s.scopes.at(1).state, BudgetState::Degraded);
        QVERIFY(!s.scopes.at(2).limit);
        // Bob, in the same org, is held back by the org only.
        const BudgetScopes bob = BudgetScopes::of(u"acme"_s, u"bob"_s);
        QVERIFY(m_budget->reserve(nanos(2 * kDollar), bob).hasValue() == false); // user limit $1 for bob too
        auto ok = m_budget->reserve(nanos(kDollar), bob);
        QVERIFY(ok);
        QCOMPARE(snap(bob).scopes.at(0).reserved.nanos(), kDollar);
    }

    void taskScopeIsAPerRunCap()
    {
        BudgetPolicy policy = dollarPolicy();
        policy.setLimit(ScopeLevel::Task, nanos(100'000'000));
        reopen(policy);
        const BudgetScopes run1 = BudgetScopes::of(u"acme"_s, u"alice"_s, u"s"_s, u"run-1"_s);
        const BudgetScopes run2 = BudgetScopes::of(u"acme"_s, u"alice"_s, u"s"_s, u"run-2"_s);
        spend(80'000'000, run1);
        auto refused = m_budget->reserve(nanos(30'000'000), run1);
        QVERIFY(!refused);
        QCOMPARE(refused.error().overBudget.scope, ScopeLevel::Task);
        QCOMPARE(refused.error().overBudget.remaining.nanos(), 20'000'000);
        QVERIFY(m_budget->reserve(nanos(30'000'000), run2));
    }

    void monthRolloverStartsAtZero()
    {
        m_clock->set(QDateTime(QDate(2026, 11, 30), QTime(23, 30), m_berlin).toUTC());
        spend(800'000'000);
        QCOMPARE(snap().state, BudgetState::Warned);
        QCOMPARE(snap().periodEnd, QDateTime(QDate(2026, 12, 1), QTime(0, 0), m_berlin).toUTC());

        m_clock->advanceMs(29 * 60 * 1000); // 23:59 local: still November
        QCOMPARE(snap().spent.nanos(), 800'000'000);
        QVERIFY(!m_budget->reserve(nanos(300'000'000), m_scopes));

        m_clock->advanceMs(60 * 1000); // 00:00 local on 1 December (23:00 UTC)
        const BudgetSnapshot december = snap();
        QCOMPARE(december.state, BudgetState::Active);
        QCOMPARE(december.spent.nanos(), 0);
        QCOMPARE(december.periodStart, QDateTime(QDate(2026, 11, 30), QTime(23, 0), QTimeZone::utc()));
        QVERIFY(m_budget->reserve(nanos(300'000'000), m_scopes));
        QCOMPARE(*m_ledger->entryCount(), 1); // history is kept
    }

    void monthRolloverWithAConfiguredFirstDay()
    {
        BudgetPolicy policy = dollarPolicy();
        policy.periodFirstDay = 15;
        reopen(policy);
        m_clock->set(QDateTime(QDate(2026, 12, 14), QTime(22, 0), m_berlin).toUTC());
        spend(900'000'000);
        QCOMPARE(snap().state, BudgetState::Degraded);
        m_clock->set(QDateTime(QDate(2026, 12, 15), QTime(0, 0), m_berlin).toUTC());
        QCOMPARE(snap().state, BudgetState::Active);
        QCOMPARE(snap().periodStart, QDateTime(QDate(2026, 12, 15), QTime(0, 0), m_berlin).toUTC());
    }

    void alertFiresOncePerPeriodAndScopeAcrossRestarts()
    {
        QSignalSpy spy(m_budget.get(), &BudgetController::thresholdReached);
        spend(760'000'000);
        QCOMPARE(spy.size(), 1);
        auto alert = spy.at(0).at(0).value<BudgetAlert>();
        QCOMPARE(alert.state, BudgetState::Warned);
        QCOMPARE(alert.level, ScopeLevel::Org);
        QCOMPARE(alert.scopeKey, u"acme"_s);
        spend(10'000'000);
        QCOMPARE(spy.size(), 1);

        reopen(dollarPolicy()); // a restart
        QSignalSpy again(m_budget.get(), &BudgetController::thresholdReached);
        spend(10'000'000);
        QCOMPARE(again.size(), 0);
        spend(200'000'000); // 0.98: degraded, once
        QCOMPARE(again.size(), 1);
        QCOMPARE(again.at(0).at(0).value<BudgetAlert>().state, BudgetState::Degraded);
        spend(1'000'000);
        QCOMPARE(again.size(), 1);

        // A new period alerts afresh.
        m_clock->set(QDateTime(QDate(2026, 12, 2), QTime(9, 0), m_berlin).toUTC());
        spend(800'000'000);
        QCOMPARE(again.size(), 2);
        QCOMPARE(again.at(1).at(0).value<BudgetAlert>().state, BudgetState::Warned);
    }

    void aJumpPastSeveralThresholdsAlertsEachOnce()
    {
        QSignalSpy spy(m_budget.get(), &BudgetController::thresholdReached);
        spend(kDollar);
        QCOMPARE(spy.size(), 3);
        QCOMPARE(spy.at(2).at(0).value<BudgetAlert>().state, BudgetState::Stopped);
    }

    void reservationIsRefusedBeforeAnythingIsSpent()
    {
        auto refused = m_budget->reserve(nanos(kDollar + 1), m_scopes);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, BudgetError::Kind::OverBudget);
        QCOMPARE(refused.error().overBudget.scope, ScopeLevel::Org);
        QCOMPARE(refused.error().overBudget.scopeKey, u"acme"_s);
        QCOMPARE(refused.error().overBudget.remaining.nanos(), kDollar);
        QCOMPARE(*m_ledger->entryCount(), 0);
        QCOMPARE(snap().reserved.nanos(), 0);

        auto first = m_budget->reserve(nanos(600'000'000), m_scopes);
        QVERIFY(first);
        auto second = m_budget->reserve(nanos(600'000'000), m_scopes); // held money counts
        QVERIFY(!second);
        QCOMPARE(second.error().overBudget.remaining.nanos(), 400'000'000);
        QVERIFY(m_budget->reserve(nanos(400'000'000), m_scopes)); // exactly to the limit
    }

    void stoppedBudgetNeverBlocksFreeSteps()
    {
        spend(kDollar);
        QCOMPARE(snap().state, BudgetState::Stopped);
        auto local = m_budget->reserve(Money(), m_scopes, u"run-9"_s, u"execute"_s);
        QVERIFY(local);
        auto settled = m_budget->settle(*local, cost::localCharge(2.0));
        QVERIFY(settled);
        QCOMPARE(settled->entry.charge.cost.nanos(), 0);
        QCOMPARE(snap().spent.nanos(), kDollar);
    }

    void settleBelowTheReservationFreesTheRest()
    {
        auto r = m_budget->reserve(nanos(500'000'000), m_scopes, u"run-1"_s, u"generate"_s);
        QVERIFY(r);
        QCOMPARE(r->idempotencyKey, u"run-1/generate"_s);
        auto settled = m_budget->settle(*r, charge(200'000'000));
        QVERIFY(settled);
        QVERIFY(!settled->alreadySettled);
        QCOMPARE(settled->entry.reserved.nanos(), 500'000'000);
        const BudgetSnapshot s = snap();
        QCOMPARE(s.spent.nanos(), 200'000'000);
        QCOMPARE(s.reserved.nanos(), 0);
        QCOMPARE(s.remaining->nanos(), 800'000'000);
        auto entries = m_ledger->entriesForRun(u"run-1"_s);
        QVERIFY(entries);
        QCOMPARE(entries->size(), 1);
        QCOMPARE(entries->at(0).step, u"generate"_s);
        QCOMPARE(entries->at(0).charge.inputTokens, 100);
    }

    void settleAboveTheReservationRecordsTheActualCost()
    {
        // A breach of the invariant: recorded as billed, flagged, the scopes
        // stopped at once (at 30% of the limit), and logged.
        auto r = m_budget->reserve(nanos(100'000'000), m_scopes, u"run-1"_s, u"classify"_s);
        QVERIFY(r);
        QSignalSpy alerts(m_budget.get(), &BudgetController::thresholdReached);
        QTest::ignoreMessage(QtCriticalMsg,
                             QRegularExpression(u"budget invariant breach: classify of run run-1 settled "
                                                "\\$0.30 but only \\$0.10 was held"_s));
        auto settled = m_budget->settle(*r, charge(300'000'000));
        QVERIFY(settled);
        QVERIFY(settled->breach);
        QCOMPARE(settled->entry.reserved.nanos(), 100'000'000);
        const BudgetSnapshot s = snap();
        QCOMPARE(s.spent.nanos(), 300'000'000);
        QCOMPARE(s.reserved.nanos(), 0);
        QCOMPARE(s.state, BudgetState::Stopped);
        QCOMPARE(s.remaining->nanos(), 0);
        QVERIFY(s.scope(ScopeLevel::Org)->breach);
        QVERIFY(s.toJson().value(u"scopes"_s).toArray().first().toObject().value(u"breach"_s).toBool());
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts.first().first().value<BudgetAlert>().state, BudgetState::Stopped);
        auto refused = m_budget->reserve(nanos(1), m_scopes);
        QVERIFY(!refused);
        QCOMPARE(refused.error().overBudget.remaining.nanos(), 0);
        const auto breaches = LedgerBreaches(*m_ledger).all();
        QVERIFY(breaches && breaches->size() == 1);
        QCOMPARE(breaches->first().held.nanos(), 100'000'000);
        QCOMPARE(breaches->first().settled.nanos(), 300'000'000);
        // Free steps still run, and settling again is not a second breach.
        QVERIFY(m_budget->reserve(Money(), m_scopes));
        QVERIFY(!m_budget->settle(*r, charge(300'000'000))->breach);
    }

    void aBreachStopsItsScopesForTheirPeriodOnly()
    {
        const BudgetScopes session2 = BudgetScopes::of(u"acme"_s, u"alice"_s, u"session-2"_s);
        auto r = m_budget->reserve(nanos(10), m_scopes);
        QVERIFY(r);
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"budget invariant breach"_s));
        QVERIFY(m_budget->settle(*r, charge(20))->breach);
        QVERIFY(!m_budget->reserve(nanos(1), session2)); // the org is stopped
        m_clock->set(QDateTime(QDate(2026, 12, 1), QTime(9, 0), m_berlin).toUTC());
        QVERIFY(m_budget->reserve(nanos(1), session2)); // a new month for the org and the user
        BudgetPolicy sessionLimit = dollarPolicy();
        sessionLimit.setLimit(ScopeLevel::Session, nanos(kDollar));
        reopen(sessionLimit);
        QVERIFY(!m_budget->reserve(nanos(1), m_scopes)); // a session's breach lasts its life
        QCOMPARE(snap().state, BudgetState::Stopped);
        QCOMPARE(snap().decidingScope, std::optional(ScopeLevel::Session));
    }

    void adjustGrowsAHoldOnlyWithinTheLimits()
    {
        auto other = m_budget->reserve(nanos(300'000'000), m_scopes);
        auto hold = m_budget->reserve(nanos(200'000'000), m_scopes, u"run-1"_s, u"e2b"_s, u"lease"_s, 60'000);
        QVERIFY(other && hold);
        QCOMPARE(hold->expires, hold->created.addMSecs(60'000));
        auto grown = m_budget->adjust(*hold, m_scopes, nanos(700'000'000), 120'000);
        QVERIFY(grown);
        QCOMPARE(snap().reserved.nanos(), kDollar);
        QCOMPARE(grown->expires, m_clock->nowUtc().addMSecs(120'000));
        auto refused = m_budget->adjust(*grown, m_scopes, nanos(700'000'001));
        QVERIFY(!refused);
        QCOMPARE(refused.error().overBudget.remaining.nanos(), 700'000'000); // what the others leave it
        auto shrunk = m_budget->adjust(*grown, m_scopes, nanos(100'000'000));
        QVERIFY(shrunk);
        QCOMPARE(snap().reserved.nanos(), 400'000'000);
        QCOMPARE(*m_ledger->entryCount(), 0);
    }

    void adjustChecksAScopeTheHoldJoins()
    {
        BudgetPolicy policy = dollarPolicy();
        policy.setLimit(ScopeLevel::Task, nanos(100'000'000));
        reopen(policy);
        const BudgetScopes run = BudgetScopes::of(u"acme"_s, u"alice"_s, u"session-1"_s, u"run-1"_s);
        auto hold = m_budget->reserve(nanos(150'000'000), m_scopes);
        QVERIFY(hold);
        auto refused = m_budget->adjust(*hold, run, nanos(150'000'000)); // the run's cap is $0.10
        QVERIFY(!refused);
        QCOMPARE(refused.error().overBudget.scope, ScopeLevel::Task);
        auto joined = m_budget->adjust(*hold, run, nanos(90'000'000));
        QVERIFY(joined);
        QCOMPARE(snap(run).scope(ScopeLevel::Task)->reserved.nanos(), 90'000'000);
        QVERIFY(m_budget->adjust(*joined, m_scopes, nanos(90'000'000))); // leaving it: never refused
        QCOMPARE(snap(run).scope(ScopeLevel::Task)->reserved.nanos(), 0);
    }

    void settlePartLowersTheHoldItCameFrom()
    {
        auto hold = m_budget->reserve(nanos(500'000'000), m_scopes, u"session:s"_s, u"e2b-sandbox"_s, u"lease"_s);
        QVERIFY(hold);
        auto part = m_budget->settlePart(*hold, charge(200'000'000), u"lease/1"_s, u"run-1"_s, u"execute"_s);
        QVERIFY(part);
        QVERIFY(!part->settled.breach);
        QCOMPARE(part->settled.entry.reserved.nanos(), 500'000'000);
        QCOMPARE(part->hold.amount.nanos(), 300'000'000);
        QCOMPARE(snap().spent.nanos(), 200'000'000);
        QCOMPARE(snap().reserved.nanos(), 300'000'000);
        auto again = m_budget->settlePart(part->hold, charge(200'000'000), u"lease/1"_s, u"run-1"_s, u"execute"_s);
        QVERIFY(again && again->settled.alreadySettled);
        QCOMPARE(snap().reserved.nanos(), 300'000'000); // lowered once
        QCOMPARE(m_ledger->entriesForRun(u"run-1"_s)->first().step, u"execute"_s);
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"budget invariant breach: keep-warm"_s));
        auto over = m_budget->settlePart(part->hold, charge(400'000'000), u"lease/2"_s, u"session:s"_s, u"keep-warm"_s);
        QVERIFY(over && over->settled.breach);
        QCOMPARE(over->hold.amount.nanos(), 0);
        QCOMPARE(snap().spent.nanos(), 600'000'000);
        QCOMPARE(snap().state, BudgetState::Stopped);
        QVERIFY(*m_budget->release(over->hold));
        QCOMPARE(snap().reserved.nanos(), 0);
    }

    void settleIsIdempotent()
    {
        auto r = m_budget->reserve(nanos(100'000'000), m_scopes);
        QVERIFY(r);
        auto first = m_budget->settle(*r, charge(70'000'000));
        QVERIFY(first);
        auto second = m_budget->settle(*r, charge(90'000'000));
        QVERIFY(second);
        QVERIFY(second->alreadySettled);
        QCOMPARE(second->entry.id, first->entry.id);
        QCOMPARE(second->entry.charge.cost.nanos(), 70'000'000);
        QCOMPARE(snap().spent.nanos(), 70'000'000);
        QCOMPARE(*m_ledger->entryCount(), 1);
        reopen(dollarPolicy()); // also after a restart
        QVERIFY(m_budget->settle(*r, charge(70'000'000))->alreadySettled);
        QCOMPARE(snap().spent.nanos(), 70'000'000);
    }

    // A hold its process never settled (it was killed) is charged in full
    // when it lapses: the provider may have billed all of it.
    void aHoldThatLapsesUnsettledIsChargedInFull()
    {
        const qint64 ttl = dollarPolicy().reservationTtlMs;
        auto r = m_budget->reserve(nanos(800'000'000), m_scopes, u"run-1"_s, u"execute"_s, {}, 0, ChargeKind::Sandbox,
                                   u"e2b"_s);
        QVERIFY(r);
        QCOMPARE(r->expires, r->created.addMSecs(ttl));
        QVERIFY(!m_budget->reserve(nanos(300'000'000), m_scopes));
        // The process that held it "crashed"; another one opens the ledger later.
        reopen(dollarPolicy());
        m_clock->advanceMs(ttl - 1);
        QCOMPARE(snap().reserved.nanos(), 800'000'000);
        QCOMPARE(snap().spent.nanos(), 0);
        m_clock->advanceMs(1);
        const BudgetSnapshot lapsed = snap();
        QCOMPARE(lapsed.reserved.nanos(), 0);
        QCOMPARE(lapsed.spent.nanos(), 800'000'000);
        QCOMPARE(lapsed.chargedOnLapse.nanos(), 800'000'000);
        QCOMPARE(lapsed.state, BudgetState::Warned);
        QCOMPARE(lapsed.toJson().value(u"chargedOnLapse"_s).toDouble(), 0.8);
        QVERIFY(!*m_ledger->findReservation(r->id));
        const auto entries = m_ledger->entriesForRun(u"run-1"_s);
        QVERIFY(entries);
        QCOMPARE(entries->size(), 1);
        QCOMPARE(entries->first().lapsedHold, r->id);
        QCOMPARE(entries->first().step, u"execute"_s);
        QCOMPARE(entries->first().charge.kind, ChargeKind::Sandbox);
        QCOMPARE(entries->first().time, r->expires);
        // Still counted against the limit: the next runs cannot overrun it.
        QVERIFY(!m_budget->reserve(nanos(300'000'000), m_scopes));
        auto next = m_budget->reserve(nanos(200'000'000), m_scopes);
        QVERIFY(next);
        QVERIFY(m_budget->release(*next));
        QCOMPARE(*m_ledger->entryCount(), 1); // once, however often it is seen
    }

    // A process that outlived its hold (a machine suspended mid-step)
    // settles late: its actual cost replaces the charge on lapse, which
    // covered it; above that charge it is a breach, as above a live hold.
    void aLateSettleReplacesTheChargeOnLapse()
    {
        auto r = m_budget->reserve(nanos(500'000'000), m_scopes, u"run-1"_s, u"classify"_s);
        QVERIFY(r);
        m_clock->set(r->expires);
        QCOMPARE(snap().spent.nanos(), 500'000'000);
        auto late = m_budget->settle(*r, charge(200'000'000));
        QVERIFY(late && !late->breach && !late->alreadySettled);
        QCOMPARE(late->entry.reserved.nanos(), 500'000'000);
        QCOMPARE(snap().spent.nanos(), 200'000'000);
        QCOMPARE(snap().chargedOnLapse.nanos(), 0);
        QVERIFY(m_budget->settle(*r, charge(200'000'000))->alreadySettled);
        QCOMPARE(snap().spent.nanos(), 200'000'000);

        auto small = m_budget->reserve(nanos(100'000'000), m_scopes, u"run-2"_s, u"classify"_s);
        QVERIFY(small);
        m_clock->set(small->expires);
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"but only \\$0.10 was held"_s));
        auto over = m_budget->settle(*small, charge(150'000'000));
        QVERIFY(over && over->breach);
        QCOMPARE(snap().spent.nanos(), 350'000'000);
        QCOMPARE(snap().state, BudgetState::Stopped);
        QVERIFY(*m_ledger->aggregatesMatchEntries());
    }

    void latePartsAndAReleaseDrawOnTheChargeOnLapse()
    {
        auto hold = m_budget->reserve(nanos(500'000'000), m_scopes, u"session:s"_s, u"e2b-sandbox"_s, u"lease"_s,
                                      60'000, ChargeKind::Sandbox, u"e2b"_s);
        QVERIFY(hold);
        m_clock->set(hold->expires);
        QCOMPARE(snap().spent.nanos(), 500'000'000);
        auto part = m_budget->settlePart(*hold, charge(200'000'000), u"lease/1"_s, u"run-1"_s, u"execute"_s);
        QVERIFY(part && !part->settled.breach);
        QCOMPARE(part->hold.amount.nanos(), 300'000'000); // what of the charge on lapse is left
        QCOMPARE(snap().spent.nanos(), 500'000'000);
        QCOMPARE(snap().chargedOnLapse.nanos(), 300'000'000);
        QCOMPARE(*m_budget->release(part->hold), true); // the rest was never billed
        QCOMPARE(snap().spent.nanos(), 200'000'000);
        QCOMPARE(*m_budget->release(part->hold), false);
        QCOMPARE(snap().spent.nanos(), 200'000'000);
        QVERIFY(*m_ledger->aggregatesMatchEntries());
    }

    void adjustHoldsALapsedHoldAgainInPlaceOfItsCharge()
    {
        auto hold = m_budget->reserve(nanos(600'000'000), m_scopes, u"session:s"_s, u"e2b-sandbox"_s, u"lease"_s,
                                      60'000, ChargeKind::Sandbox, u"e2b"_s);
        QVERIFY(hold);
        m_clock->set(hold->expires);
        QCOMPARE(snap().spent.nanos(), 600'000'000);
        // What is charged on lapse counts as the hold's own: growing it by
        // more than is left is refused, and the charge stands.
        QVERIFY(!m_budget->adjust(*hold, m_scopes, nanos(kDollar + 1)));
        QCOMPARE(snap().spent.nanos(), 600'000'000);
        auto again = m_budget->adjust(*hold, m_scopes, nanos(900'000'000), 60'000);
        QVERIFY(again);
        QCOMPARE(snap().spent.nanos(), 0);
        QCOMPARE(snap().reserved.nanos(), 900'000'000);
        QVERIFY(*m_budget->release(*again));
        QCOMPARE(snap().spent.nanos() + snap().reserved.nanos(), 0);
    }

    void theSnapshotSaysWhenHoldsLapse()
    {
        QVERIFY(!snap().heldUntil.isValid());
        QVERIFY(!snap().nextHoldLapse.isValid());
        auto first = m_budget->reserve(nanos(100'000'000), m_scopes);
        QVERIFY(first);
        m_clock->advanceMs(60'000);
        auto second = m_budget->reserve(nanos(200'000'000), m_scopes);
        QVERIFY(second);
        BudgetSnapshot s = snap();
        QCOMPARE(s.reserved.nanos(), 300'000'000);
        QCOMPARE(s.heldUntil, second->expires);
        QCOMPARE(s.nextHoldLapse, first->expires);
        const ScopeSnapshot *org = s.scope(ScopeLevel::Org);
        QVERIFY(org);
        QCOMPARE(org->firstHoldLapses, first->expires);
        QCOMPARE(org->lastHoldLapses, second->expires);
        // The first hold lapses: the figures and the times move on.
        m_clock->set(first->expires);
        s = snap();
        QCOMPARE(s.reserved.nanos(), 200'000'000);
        QCOMPARE(s.nextHoldLapse, second->expires);
        QCOMPARE(s.heldUntil, second->expires);
        m_clock->set(second->expires);
        s = snap();
        QCOMPARE(s.reserved.nanos(), 0);
        QVERIFY(!s.heldUntil.isValid());
        QVERIFY(!s.nextHoldLapse.isValid());
    }

    void releaseFreesWithoutCharging()
    {
        auto r = m_budget->reserve(nanos(500'000'000), m_scopes);
        QVERIFY(r);
        QCOMPARE(*m_budget->release(*r), true);
        QCOMPARE(*m_budget->release(*r), false);
        QCOMPARE(snap().reserved.nanos(), 0);
        QCOMPARE(*m_ledger->entryCount(), 0);
    }

    void nullNaNAndNegativeUsageNeverCorruptTheTotals()
    {
        auto r = m_budget->reserve(nanos(100'000'000), m_scopes);
        QVERIFY(r);
        Charge bad = cost::llmCharge(u"command-r-08-2024"_s, {150'000'000, 600'000'000}, std::nullopt, -50);
        bad.durationMs = -7;
        auto settled = m_budget->settle(*r, bad);
        QVERIFY(settled);
        QCOMPARE(settled->entry.charge.cost.nanos(), 0);
        QCOMPARE(settled->entry.charge.durationMs, 0);
        auto r2 = m_budget->reserve(nanos(100'000'000), m_scopes);
        QVERIFY(r2);
        QVERIFY(m_budget->settle(*r2, cost::e2bCharge(E2bRates::published(), {}, std::nan(""))));
        const BudgetSnapshot s = snap();
        QCOMPARE(s.spent.nanos(), 0);
        QVERIFY(std::isfinite(s.spent.usd()));
        QVERIFY(std::isfinite(s.utilisationOf(ScopeLevel::Org)));
        QVERIFY(*m_ledger->aggregatesMatchEntries());
    }

    void snapshotJsonHasTheRecipeFields()
    {
        spend(250'000'000);
        const QJsonObject json = snap().toJson();
        QCOMPARE(json.value(u"spent"_s).toDouble(), 0.25);
        QCOMPARE(json.value(u"remaining"_s).toDouble(), 0.75);
        QCOMPARE(json.value(u"limit"_s).toDouble(), 1.0);
        QCOMPARE(json.value(u"state"_s).toString(), u"Active"_s);
        QCOMPARE(json.value(u"chargedOnLapse"_s).toDouble(), 0.0);
        QCOMPARE(json.value(u"scopes"_s).toArray().size(), 3);
        QVERIFY(json.value(u"scopes"_s).toArray().first().toObject().contains(u"chargedOnLapse"_s));
        for (const QJsonValue &scope : json.value(u"scopes"_s).toArray())
            QCOMPARE(scope.toObject().value(u"state"_s).toString(), u"Active"_s); // the recipe's spelling
        QVERIFY(json.value(u"periodStart"_s).toString().startsWith(u"2026-10-31T23:00:00"_s));
    }

    void policyFromSettings()
    {
        Settings settings(m_dir.filePath(u"settings%1.ini"_s.arg(m_n)));
        BudgetPolicy defaults = BudgetPolicy::fromSettings(settings);
        QCOMPARE(defaults.limit(ScopeLevel::Org)->nanos(), 5 * kDollar);
        QCOMPARE(defaults.thresholds.warnPpm, 750'000);
        QCOMPARE(defaults.thresholds.degradePpm, 900'000);
        settings.setValue(Setting::BudgetMonthlyLimitUsd, -3.0);
        settings.setValue(Setting::BudgetWarnThreshold, 0.95); // above degrade: invalid
        BudgetPolicy bad = BudgetPolicy::fromSettings(settings);
        QCOMPARE(bad.limit(ScopeLevel::Org)->nanos(), 0); // fails closed
        QCOMPARE(bad.thresholds.warnPpm, 750'000);
        settings.setValue(Setting::BudgetMonthlyLimitUsd, 12.5);
        settings.setValue(Setting::BudgetWarnThreshold, 0.5);
        BudgetPolicy custom = BudgetPolicy::fromSettings(settings);
        QCOMPARE(custom.limit(ScopeLevel::Org)->nanos(), 12'500'000'000);
        QCOMPARE(custom.thresholds.warnPpm, 500'000);
    }
};

QTEST_GUILESS_MAIN(TestBudgetController)
#include "tst_budgetcontroller.moc"
