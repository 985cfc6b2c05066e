// The budget controller under random interleavings (issue 16): reserve,
// settle (and settle again), settling part of a hold, re-sizing it, release,
// holds lapsing, clock jumps (within the month, back a little, into the
// next month) and process kills, over two connections in this process (each
// a "process" that is killed and restarted: its holds are orphaned and
// lapse) and a real second process (ledger_client hold) killed with
// SIGKILL at a random moment. After every step, from the ledger itself: for
// every scope with a limit and no breach, settled + held <= its cap. Against
// an in-test model: every entry the model settled is in the ledger exactly
// once at its cost and nothing else is (the killed process's rows are taken
// in once it is gone, and its printed settles must be among them); every
// hold that lapsed unsettled (a killed process's, or one its process
// outlived) is charged in full exactly once, and a late settle, part or
// release of it draws on that charge instead of charging again: nothing
// lost, nothing doubled; the held and settled sums of each scope match; a
// reservation is granted exactly when the model says it fits; a breach
// happens exactly when spend was not covered (a provider billing more than
// was held, or than its charge on lapse left), and a breached scope grants
// nothing more.
//
// The seed is printed; SAFECELL_PROPERTY_SEED=<n> replays it, and
// SAFECELL_PROPERTY_SECONDS=<s> runs longer (default 3 s and at least
// kMinSteps steps).
#include "BudgetModel.h"

#include "budget/BudgetController.h"
#include "budget/LedgerBreaches.h"
#include "budget/SpendLedger.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace budgettest;
using namespace Qt::StringLiterals;

namespace {

constexpr int kMinSteps = 3000;
constexpr qint64 kTtlMs = 10 * 60 * 1000;
const std::array<qint64, 4> kLimits{12'000'000, 7'000'000, 4'000'000, 1'000'000}; // org, user, session, task

QString client()
{
    return qEnvironmentVariable("LEDGER_CLIENT");
}

struct Connection {
    std::unique_ptr<SpendLedger> ledger;
    std::unique_ptr<BudgetController> budget;
};

using ScopeId = QPair<int, QString>; // level, key

} // namespace

class TestBudgetProperty : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<ManualClock> m_clock;
    BudgetPolicy m_policy;
    std::array<Connection, 2> m_connections;
    std::unique_ptr<SpendLedger> m_checker;
    QRandomGenerator m_random;
    quint32 m_seed = 0;
    int m_step = 0;
    QString m_lastOp;

    BudgetModel m_model{kLimits};
    QHash<QString, Hold> &m_holds = m_model.holds;
    QList<QPair<Reservation, int>> m_settled; // for settling again
    QSet<ScopeId> m_scopes;                   // every scope ever used
    QSet<ScopeId> m_touched;                  // by this step
    int m_nextKey = 0;
    int m_months = 0;
    int m_granted = 0;
    int m_refused = 0;
    int m_lateDraws = 0; // settles, parts and releases drawing on a charge on lapse

    std::unique_ptr<QProcess> m_child;
    QString m_childTag;
    int m_children = 0;
    int m_childKills = 0;
    bool m_exact = true; // no second process rows the model has not taken in

    QString where() const { return u"seed %1, step %2 (%3)"_s.arg(m_seed).arg(m_step).arg(m_lastOp); }
    qint64 nowMs() const { return m_clock->nowUtc().toMSecsSinceEpoch(); }
    BudgetPeriod period() const { return BudgetPeriod::containing(m_clock->nowUtc(), QTimeZone::utc()); }

    void open(int i)
    {
        m_connections[i].budget.reset();
        m_connections[i].ledger.reset();
        auto ledger = SpendLedger::open(m_path);
        QVERIFY2(ledger, qPrintable(where()));
        m_connections[i].ledger = std::move(ledger).value();
        m_connections[i].budget = std::make_unique<BudgetController>(*m_connections[i].ledger, m_policy, *m_clock);
    }

    void note(const BudgetScopes &scopes)
    {
        for (ScopeLevel level : kScopeLevels) {
            if (scopes.key(level).isEmpty())
                continue;
            m_scopes.insert({int(level), scopes.key(level)});
            m_touched.insert({int(level), scopes.key(level)});
        }
    }

    BudgetScopes randomScopes()
    {
        const QString user = m_random.bounded(2) ? u"u1"_s : u"u2"_s;
        // Sessions live for a month here: a breach stops one for ever.
        const QString session = u"s%1-%2"_s.arg(m_months).arg(m_random.bounded(4));
        const QString task = m_random.bounded(3) == 0 ? u"t%1"_s.arg(m_nextKey) : QString();
        return BudgetScopes::of(u"acme"_s, user, session, task);
    }

    // A hold a living connection of ours can act on.
    // Mostly a live one: a hold that lapsed under a process still using it
    // (settled late: a breach) is the rarer case.
    QString pickHold()
    {
        QStringList live, lapsed;
        for (auto it = m_holds.cbegin(); it != m_holds.cend(); ++it)
            if (it->owner == 0 || it->owner == 1)
                (it->liveAt(nowMs()) ? live : lapsed) << it.key();
        // Sorted: the same seed picks the same holds whatever QHash's order.
        live.sort();
        lapsed.sort();
        const QStringList &from = live.isEmpty() || (!lapsed.isEmpty() && m_random.bounded(20) == 0) ? lapsed : live;
        return from.isEmpty() ? QString() : from.at(m_random.bounded(int(from.size())));
    }

    Charge priced(qint64 costNanos)
    {
        Charge c;
        c.kind = ChargeKind::Sandbox;
        c.resource = u"e2b"_s;
        c.durationMs = costNanos / 30;
        c.cost = Money::fromNanos(costNanos);
        return c;
    }

    // The amount billed for a hold: mostly within it, sometimes more (a
    // provider billing above what was held).
    qint64 billed(Money held)
    {
        if (m_random.bounded(150) == 0)
            return held.nanos() + 1 + m_random.bounded(500'000);
        return qint64(m_random.bounded(double(held.nanos()) + 1.0));
    }

    // `held`: what stood for the hold (its live amount, or what was left of its charge on lapse).
    void recordEntry(const SettleResult &s, const BudgetScopes &scopes, Money held, qint64 cost)
    {
        QVERIFY2(!s.alreadySettled, qPrintable(where()));
        QCOMPARE(s.entry.charge.cost.nanos(), cost);
        QCOMPARE(s.entry.reserved, held);
        const bool breach = cost > held.nanos();
        QVERIFY2(s.breach == breach,
                 qPrintable(where() + u": breach %1, the model says %2"_s.arg(s.breach).arg(breach)));
        m_model.addEntry(s.entry.idempotencyKey, Entry{s.entry.charge.cost, scopes, nowMs()});
        note(scopes);
        if (breach)
            m_model.breaches.append({scopes, nowMs()});
    }

    void reserve();
    void settle();
    void settleAgain();
    void settlePart();
    void adjust();
    void release();
    void jumpClock();
    void killConnection();
    void startChild();
    void endChild(bool kill);
    void checkInvariant(bool everyScope);
    void checkAgainstModel();

private Q_SLOTS:
    void initTestCase();
    void randomInterleavingsNeverOverspendNorLoseMoney();
};

void TestBudgetProperty::initTestCase()
{
    QVERIFY(QFile::exists(client()));
}

void TestBudgetProperty::reserve()
{
    const int i = int(m_random.bounded(2));
    const BudgetScopes scopes = randomScopes();
    Money amount = Money::fromNanos(1 + m_random.bounded(scopes.key(ScopeLevel::Task).isEmpty() ? 900'000 : 1'300'000));
    m_model.lapse(nowMs());       // before room(): what lapsed is spend now
    if (m_random.bounded(5) == 0) // exactly what is left, one nanodollar less, or one more
        amount = Money::fromNanos(std::max<qint64>(1, m_model.room(scopes, nowMs()).nanos() - 1 + m_random.bounded(3)));
    const QString key = u"k%1"_s.arg(m_nextKey++);
    m_lastOp = u"reserve %1 on %2"_s.arg(amount.nanos()).arg(i);
    m_model.lapse(nowMs());
    const bool expected = m_model.fits(scopes, amount, nullptr, nowMs());
    auto r = m_connections[i].budget->reserve(amount, scopes, u"p%1"_s.arg(i), key, key, kTtlMs);
    QVERIFY2(r || r.error().kind == BudgetError::Kind::OverBudget, qPrintable(where()));
    if (m_exact)
        QVERIFY2(bool(r) == expected,
                 qPrintable(where() + u": granted %1, the model says %2"_s.arg(bool(r)).arg(expected)));
    note(scopes);
    (r ? m_granted : m_refused)++;
    if (r)
        m_holds.insert(r->id, Hold{*r, i});
}

void TestBudgetProperty::settle()
{
    const QString id = pickHold();
    if (id.isEmpty())
        return reserve();
    m_model.lapse(nowMs());
    const Hold h = m_holds.take(id);
    const bool live = h.liveAt(nowMs());
    const Money held = m_model.standing(h, nowMs());
    const qint64 cost = billed(held);
    m_lastOp = u"settle %1 of %2 held (%3)"_s.arg(cost).arg(held.nanos()).arg(live ? u"live" : u"lapsed");
    auto s = m_connections[h.owner].budget->settle(h.r, priced(cost));
    QVERIFY2(s, qPrintable(where()));
    recordEntry(*s, h.r.scopes, held, cost);
    if (!live)
        m_model.lowerLapse(h, held); // the actual cost replaces its charge on lapse
    m_lateDraws += !live && held.nanos() > 0;
    m_settled.append({h.r, h.owner});
}

void TestBudgetProperty::settleAgain()
{
    if (m_settled.isEmpty())
        return settle();
    const auto &[r, owner] = m_settled.at(m_random.bounded(int(m_settled.size())));
    const int i = owner == 0 || owner == 1 ? owner : int(m_random.bounded(2));
    m_lastOp = u"settle %1 again"_s.arg(r.idempotencyKey);
    m_model.lapse(nowMs());
    auto s = m_connections[i].budget->settle(r, priced(1 + m_random.bounded(2'000'000)));
    QVERIFY2(s && s->alreadySettled && !s->breach, qPrintable(where()));
    QCOMPARE(s->entry.charge.cost, m_model.entries.value(r.idempotencyKey).cost);
}

void TestBudgetProperty::settlePart()
{
    const QString id = pickHold();
    if (id.isEmpty())
        return reserve();
    m_model.lapse(nowMs());
    Hold &h = m_holds[id];
    const bool live = h.liveAt(nowMs());
    const Money held = m_model.standing(h, nowMs());
    const qint64 cost = billed(held);
    const QString key = u"%1/part%2"_s.arg(id).arg(m_nextKey++);
    m_lastOp = u"settle part %1 of %2 held (%3)"_s.arg(cost).arg(held.nanos()).arg(live ? u"live" : u"lapsed");
    auto p = m_connections[h.owner].budget->settlePart(h.r, priced(cost), key, u"p%1"_s.arg(h.owner), u"part"_s);
    QVERIFY2(p, qPrintable(where()));
    recordEntry(p->settled, h.r.scopes, held, cost);
    QCOMPARE(p->hold.amount, held - Money::fromNanos(cost));
    if (!live)
        m_model.lowerLapse(h, std::min(held, Money::fromNanos(cost)));
    m_lateDraws += !live && held.nanos() > 0;
    h.r = p->hold;
}

void TestBudgetProperty::adjust()
{
    const QString id = pickHold();
    if (id.isEmpty())
        return reserve();
    Hold &h = m_holds[id];
    BudgetScopes scopes = h.r.scopes;
    if (m_random.bounded(4) == 0) // a run's task joins or leaves the hold
        scopes.set(ScopeLevel::Task, scopes.key(ScopeLevel::Task).isEmpty() ? u"t%1"_s.arg(m_nextKey++) : QString());
    const Money amount = Money::fromNanos(m_random.bounded(int(2 * h.r.amount.nanos() + 2)));
    m_lastOp = u"adjust %1 to %2"_s.arg(h.r.amount.nanos()).arg(amount.nanos());
    m_model.lapse(nowMs());
    const bool expected = m_model.fits(scopes, amount, &h, nowMs());
    const bool wasLive = h.liveAt(nowMs());
    const Money lapseLeft = m_model.standing(h, nowMs());
    auto r = m_connections[h.owner].budget->adjust(h.r, scopes, amount, kTtlMs);
    QVERIFY2(r || r.error().kind == BudgetError::Kind::OverBudget, qPrintable(where()));
    if (m_exact)
        QVERIFY2(bool(r) == expected,
                 qPrintable(where() + u": granted %1, the model says %2"_s.arg(bool(r)).arg(expected)));
    note(scopes);
    if (r) {
        if (!wasLive)
            m_model.lowerLapse(h, lapseLeft); // held again in place of its charge on lapse
        h.r = *r;
        h.purged = false;
    }
}

void TestBudgetProperty::release()
{
    const QString id = pickHold();
    if (id.isEmpty())
        return reserve();
    m_model.lapse(nowMs());
    const Hold h = m_holds.take(id);
    m_lastOp = u"release %1"_s.arg(h.r.amount.nanos());
    const auto released = m_connections[h.owner].budget->release(h.r);
    QVERIFY2(released, qPrintable(where()));
    if (!h.liveAt(nowMs())) {
        const Money left = m_model.standing(h, nowMs());
        QVERIFY2(*released == (left.nanos() > 0), qPrintable(where()));
        m_model.lowerLapse(h, left); // its process says the rest was never billed
        m_lateDraws += left.nanos() > 0;
    }
}

void TestBudgetProperty::jumpClock()
{
    const int kind = int(m_random.bounded(20));
    // A breach stops the org for the month: a new month goes on testing.
    const bool orgStopped = m_model.breached(ScopeLevel::Org, u"acme"_s, nowMs());
    if ((kind == 0 || (orgStopped && kind < 8)) && !m_child) {
        ++m_months;
        const QDateTime next = period().end.addSecs(qint64(m_random.bounded(3600)));
        m_lastOp = u"jump into the next month"_s;
        m_clock->set(next);
    } else if (kind <= 3 && !m_child) { // the second process's clock stands still: never behind it
        const qint64 back = 1000 + qint64(m_random.bounded(60'000));
        m_lastOp = u"jump back %1 ms"_s.arg(back);
        if (m_clock->nowUtc().addMSecs(-back) >= period().start)
            m_clock->set(m_clock->nowUtc().addMSecs(-back));
    } else {
        const qint64 ahead = kind <= 6 ? kTtlMs / 2 + qint64(m_random.bounded(int(kTtlMs))) // holds lapse
                                       : 1 + qint64(m_random.bounded(60'000));
        m_lastOp = u"jump ahead %1 ms"_s.arg(ahead);
        m_clock->advanceMs(ahead);
    }
}

void TestBudgetProperty::killConnection()
{
    const int i = int(m_random.bounded(2));
    m_lastOp = u"kill connection %1"_s.arg(i);
    for (Hold &h : m_holds)
        if (h.owner == i)
            h.owner = -1; // never settled nor released: it lapses
    open(i);
}

void TestBudgetProperty::startChild()
{
    m_childTag = u"child%1"_s.arg(++m_children);
    m_lastOp = u"start %1"_s.arg(m_childTag);
    m_child = std::make_unique<QProcess>();
    QStringList args{u"hold"_s, m_path,    QString::number(nowMs()), QString::number(m_random.generate()),
                     u"400"_s,  m_childTag};
    for (qint64 limit : kLimits)
        args << QString::number(limit);
    m_child->start(client(), args);
    QVERIFY2(m_child->waitForStarted(10'000), qPrintable(where()));
    m_exact = false;
    note(BudgetScopes::of(u"acme"_s, m_childTag, m_childTag));
}

void TestBudgetProperty::endChild(bool kill)
{
    m_lastOp = u"%1 %2"_s.arg(kill ? u"kill" : u"wait for", m_childTag);
    if (kill)
        m_child->kill(); // SIGKILL, wherever it is
    QVERIFY2(m_child->waitForFinished(30'000), qPrintable(where()));
    if (!kill)
        QVERIFY2(m_child->exitStatus() == QProcess::NormalExit && m_child->exitCode() == 0,
                 qPrintable(where() + QString::fromUtf8(m_child->readAllStandardError())));
    m_childKills += kill && m_child->exitStatus() == QProcess::CrashExit;
    // What it printed was committed: none of it may be missing.
    QHash<QString, qint64> printed;
    for (const QByteArray &line : m_child->readAllStandardOutput().split('\n')) {
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() == 3 && parts.at(0) == "settled")
            printed.insert(QString::fromUtf8(parts.at(1)), parts.at(2).toLongLong());
    }
    m_child.reset();
    // It charged the holds lapsed on its clock (each once: we may have
    // seen some of them lapse too).
    for (auto it = m_holds.begin(); it != m_holds.end(); ++it) {
        auto row = m_checker->findReservation(it.key());
        QVERIFY(row);
        if (!it->purged && !*row)
            m_model.charge(*it);
    }
    // Its rows join the model: its holds are orphans now, and lapse.
    QSqlQuery q(m_checker->database());
    QVERIFY(q.exec(u"SELECT id FROM reservations WHERE run_id = '%1'"_s.arg(m_childTag)));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    q.finish();
    for (const QString &id : std::as_const(ids)) {
        auto r = m_checker->findReservation(id);
        QVERIFY(r && *r);
        m_holds.insert(id, Hold{**r, 2});
    }
    auto entries = m_checker->entriesForRun(m_childTag);
    QVERIFY(entries);
    for (const LedgerEntry &e : *entries) {
        QVERIFY2(!m_model.entries.contains(e.idempotencyKey), qPrintable(where()));
        m_model.addEntry(e.idempotencyKey, Entry{e.charge.cost, e.scopes, e.time.toMSecsSinceEpoch()});
    }
    // Its settle after its hold lapsed on our clock (we charged it) above that charge is a breach.
    auto breaches = LedgerBreaches(*m_checker).all();
    QVERIFY(breaches);
    for (const Breach &b : *breaches)
        if (b.runId == m_childTag)
            m_model.breaches.append({b.scopes, b.time.toMSecsSinceEpoch()});
    for (auto it = printed.cbegin(); it != printed.cend(); ++it) {
        QVERIFY2(m_model.entries.contains(it.key()),
                 qPrintable(where() + u": "_s + it.key() + u" was printed, not kept"_s));
        QCOMPARE(m_model.entries.value(it.key()).cost.nanos(), it.value());
    }
    m_exact = true;
}

void TestBudgetProperty::checkInvariant(bool everyScope)
{
    LedgerBreaches breaches(*m_checker);
    const BudgetPeriod p = period();
    for (const ScopeId &scope : std::as_const(m_scopes)) {
        const auto level = ScopeLevel(scope.first);
        // Tasks and sessions pile up: those of this step, and all of them now and then.
        const bool current = level == ScopeLevel::Org || level == ScopeLevel::User
                             || (level == ScopeLevel::Session && scope.second.startsWith(u"s%1-"_s.arg(m_months)));
        if (!everyScope && !current && !m_touched.contains(scope))
            continue;
        const qint64 from = isPeriodic(level) ? p.start.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min() / 2;
        const qint64 to = isPeriodic(level) ? p.end.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
        Money settled, held;
        qint64 breached = 0;
        auto read = m_checker->readTransaction([&]() -> Expected<Done, LedgerError> {
            auto s = m_checker->settled(level, scope.second, from, to);
            auto h = m_checker->reserved(level, scope.second, nowMs());
            auto b = breaches.count(level, scope.second, from, to);
            if (!s || !h || !b)
                return unexpected(LedgerError{u"read failed"_s});
            settled = *s;
            held = *h;
            breached = *b;
            return Done{};
        });
        QVERIFY2(read, qPrintable(where()));
        const Money cap = Money::fromNanos(kLimits[size_t(level)]);
        QVERIFY2(breached > 0 || settled + held <= cap,
                 qPrintable(where()
                            + u": %1 %2 settled %3 + held %4 > %5"_s.arg(scopeLevelName(level), scope.second)
                                  .arg(settled.nanos())
                                  .arg(held.nanos())
                                  .arg(cap.nanos())));
        if (!m_exact)
            continue;
        QVERIFY2(settled == m_model.settled(level, scope.second, nowMs())
                     && held == m_model.held(level, scope.second, nowMs())
                     && (breached > 0) == m_model.breached(level, scope.second, nowMs()),
                 qPrintable(where()
                            + u": %1 %2: the ledger has %3 settled, %4 held, %5 breaches; the model %6, %7, %8"_s
                                  .arg(scopeLevelName(level), scope.second)
                                  .arg(settled.nanos())
                                  .arg(held.nanos())
                                  .arg(breached)
                                  .arg(m_model.settled(level, scope.second, nowMs()).nanos())
                                  .arg(m_model.held(level, scope.second, nowMs()).nanos())
                                  .arg(m_model.breached(level, scope.second, nowMs()))));
    }
}

void TestBudgetProperty::checkAgainstModel()
{
    // Nothing lost, nothing doubled: the ledger's entries are the model's.
    QSqlQuery q(m_checker->database());
    QVERIFY(q.exec(u"SELECT idempotency_key, cost_nanos FROM entries"_s));
    int count = 0;
    while (q.next()) {
        ++count;
        const QString key = q.value(0).toString();
        QVERIFY2(m_model.entries.contains(key), qPrintable(where() + u": an entry the model never settled: "_s + key));
        QCOMPARE(q.value(1).toLongLong(), m_model.entries.value(key).cost.nanos());
    }
    q.finish();
    QCOMPARE(count, int(m_model.entries.size()));
    QVERIFY(*m_checker->aggregatesMatchEntries());
    // And the holds in the ledger are the model's, at their amounts.
    QVERIFY(q.exec(u"SELECT id, amount_nanos FROM reservations"_s));
    int rows = 0;
    while (q.next()) {
        ++rows;
        const Hold h = m_holds.value(q.value(0).toString(), Hold{{}, -3, true});
        QVERIFY2(!h.purged, qPrintable(where() + u": a hold the model does not have"_s));
        QCOMPARE(q.value(1).toLongLong(), h.r.amount.nanos());
    }
    q.finish();
    QCOMPARE(rows, int(std::count_if(m_holds.cbegin(), m_holds.cend(), [](const Hold &h) { return !h.purged; })));
}

void TestBudgetProperty::randomInterleavingsNeverOverspendNorLoseMoney()
{
    m_seed = qEnvironmentVariableIsSet("SAFECELL_PROPERTY_SEED")
                 ? quint32(qEnvironmentVariableIntValue("SAFECELL_PROPERTY_SEED"))
                 : QRandomGenerator::global()->generate();
    const qint64 budgetMs = 1000LL
                            * (qEnvironmentVariableIsSet("SAFECELL_PROPERTY_SECONDS")
                                   ? qEnvironmentVariableIntValue("SAFECELL_PROPERTY_SECONDS")
                                   : 3);
    qInfo("budget property: seed %u (SAFECELL_PROPERTY_SEED=%u replays it)", m_seed, m_seed);
    m_random.seed(m_seed);
    // A RAM disk where there is one: fsyncs are not what is tested here.
    const QString base = QDir(u"/dev/shm"_s).exists() ? u"/dev/shm/safecell-property-XXXXXX"_s : QString();
    m_dir = base.isEmpty() ? std::make_unique<QTemporaryDir>() : std::make_unique<QTemporaryDir>(base);
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"ledger.sqlite"_s);
    m_clock = std::make_unique<ManualClock>(QDateTime(QDate(2026, 11, 10), QTime(12, 0), QTimeZone::utc()));
    for (ScopeLevel level : kScopeLevels)
        m_policy.setLimit(level, Money::fromNanos(kLimits[size_t(level)]));
    m_policy.reservationTtlMs = kTtlMs;
    open(0);
    open(1);
    auto checker = SpendLedger::open(m_path);
    QVERIFY(checker);
    m_checker = std::move(checker).value();

    QElapsedTimer timer;
    timer.start();
    int childDueAt = -1;
    for (m_step = 0; m_step < kMinSteps || timer.elapsed() < budgetMs; ++m_step) {
        if (m_child && (m_step >= childDueAt || m_child->state() == QProcess::NotRunning))
            endChild(m_child->state() != QProcess::NotRunning);
        else if (!m_child && m_random.bounded(400) == 0) {
            startChild();
            childDueAt = m_step + 5 + int(m_random.bounded(60));
        }
        if (QTest::currentTestFailed())
            return;
        m_touched.clear();
        // Holds nobody can act on any more stop mattering once deleted; our
        // processes forget theirs after a while (releasing them is a no-op).
        m_holds.removeIf([this](const auto &it) {
            return it.value().purged
                   && (it.value().owner < 0 || it.value().owner > 1
                       || it.value().r.expires.toMSecsSinceEpoch() < nowMs() - 24 * 3600 * 1000LL);
        });
        const int op = int(m_random.bounded(100));
        if (op < 30)
            reserve();
        else if (op < 48)
            settle();
        else if (op < 53)
            settleAgain();
        else if (op < 62)
            settlePart();
        else if (op < 72)
            adjust();
        else if (op < 78)
            release();
        else if (op < 96)
            jumpClock();
        else
            killConnection();
        if (QTest::currentTestFailed())
            return;
        const bool now = m_step % 200 == 0;
        checkInvariant(now);
        if (m_exact && now)
            checkAgainstModel();
        if (QTest::currentTestFailed())
            return;
    }
    if (m_child)
        endChild(true);
    if (m_children == 0) { // the seed never started one: a kill is part of the property
        startChild();
        QTest::qWait(5);
        endChild(true);
    }
    m_lastOp.clear();
    checkInvariant(true);
    checkAgainstModel();
    QCOMPARE(*m_checker->integrityCheck(), u"ok"_s);
    const qint64 lapses = std::count_if(m_model.entries.keyBegin(), m_model.entries.keyEnd(),
                                        [](const QString &key) { return key.startsWith(u"lapse/"_s); });
    qInfo("budget property: %d steps in %lld ms: %d holds granted, %d refused, %lld entries, %lld breaches, "
          "%lld holds charged on lapse (%d late settles, parts or releases drew on them), "
          "%d months, %d second processes (%d killed mid-way)",
          m_step, qint64(timer.elapsed()), m_granted, m_refused, qint64(m_model.entries.size()),
          qint64(m_model.breaches.size()), lapses, m_lateDraws, m_months + 1, m_children, m_childKills);
    QVERIFY2(m_granted > m_step / 10 && m_refused > 0 && lapses > 0, "the interleavings exercised too little");
}

QTEST_GUILESS_MAIN(TestBudgetProperty)
#include "tst_budgetproperty.moc"
