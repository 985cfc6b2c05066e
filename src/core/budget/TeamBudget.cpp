#include "TeamBudget.h"

#include "common/Logging.h"

#include <algorithm>

namespace safecell {

namespace {

// A queued call is delivered with the next call that reaches the server;
// a bounded batch keeps that call quick after a long outage.
constexpr int kOutboxBatch = 50;
// A call the server refuses for good (not a lost connection) is given up
// after this many tries: the hold it was for lapses and is charged in full.
constexpr int kMaxDeliveries = 5;
constexpr qint64 kAuditRetryMs = 30'000;
constexpr qint64 kFlushRetryMs = 5'000;

int ttlSecondsOf(const Reservation &hold)
{
    const qint64 ms = hold.created.isValid() ? hold.created.msecsTo(hold.expires) : 0;
    // The server's hold never lapses before the local one.
    return int(std::clamp<qint64>((ms + 999) / 1000, 1, 86400));
}

TeamRefused unreachable(const QString &problem)
{
    return TeamRefused{TeamRefused::Kind::Unreachable, ScopeLevel::Org, {}, {}, problem};
}

} // namespace

TeamBudget::TeamBudget(SpendLedger &ledger, TeamServer server, const Clock &clock)
    : m_local(ledger)
    , m_server(std::move(server))
    , m_serverName(m_server.describe())
    , m_clock(clock)
{
}

TeamBudget::~TeamBudget() = default;

TeamLedger *TeamBudget::ledger(QString &problem)
{
    if (m_team)
        return m_team.get();
    auto opened = TeamLedger::open(m_server);
    if (!opened) {
        problem = opened.error().message;
        noteUnreachable(problem);
        return nullptr;
    }
    m_team = std::move(opened).value();
    return m_team.get();
}

void TeamBudget::noteUnreachable(const QString &problem)
{
    if (!m_figures.unreachableSince.isValid()) {
        m_figures.unreachableSince = m_clock.nowUtc();
        qCWarning(lcBudget).noquote() << "the team budget server" << m_serverName << "cannot be reached:" << problem;
    }
    m_figures.problem = problem;
    m_lastAttempt = m_clock.nowUtc();
    // A connection that failed is opened afresh next time.
    m_team.reset();
}

void TeamBudget::noteReached()
{
    if (m_figures.unreachableSince.isValid())
        qCInfo(lcBudget).noquote() << "the team budget server" << m_serverName << "answers again";
    m_figures.unreachableSince = QDateTime();
    m_figures.problem.clear();
}

Expected<std::optional<SpendLedger::TeamHoldLink>, QString> TeamBudget::linkOf(const Reservation &hold)
{
    auto link = m_local.teamHold(hold.id);
    if (!link) {
        qCWarning(lcBudget).noquote() << "the team hold of" << hold.id << "cannot be read:" << link.error().message;
        return unexpected(link.error().message);
    }
    if (*link && (*link)->server != m_serverName)
        return std::optional<SpendLedger::TeamHoldLink>(); // taken on a server that is no longer the team's
    return *link;
}

Expected<Done, TeamRefused> TeamBudget::holdAgain(const Reservation &hold, const std::optional<QString> &lapsedHold)
{
    // Under a key of its own: the server hands a held key's row back as it
    // is, lapsed or not, unchecked and not re-sized.
    const QString key = QStringLiteral("%1/again-%2").arg(hold.id).arg(m_clock.nowUtc().toMSecsSinceEpoch());
    if (auto held = reserveKeyed(hold, key); !held)
        return held;
    if (!lapsedHold)
        return Done{};
    // Held again in place of the old hold's charge on lapse, as the local
    // ledger does: checked first (the charge still counted), then lowered.
    SpendLedger::TeamCall lower;
    lower.action = QStringLiteral("settle");
    lower.teamHold = *lapsedHold;
    lower.idempotencyKey = key + QStringLiteral("/replaced");
    lower.queuedMs = m_clock.nowUtc().toMSecsSinceEpoch();
    if (auto queued = m_local.queueTeamCall(m_serverName, lower); !queued)
        qCWarning(lcBudget).noquote() << "a lapsed team hold held again stays charged:" << queued.error().message;
    flushOutbox();
    return Done{};
}

std::optional<TeamRefused> TeamBudget::refusalOf(const Expected<TeamReservation, TeamError> &answer)
{
    if (!answer) {
        if (answer.error().kind != TeamError::Kind::Unreachable)
            return TeamRefused{TeamRefused::Kind::Failed, ScopeLevel::Org, {}, {}, answer.error().message};
        noteUnreachable(answer.error().message);
        return unreachable(answer.error().message);
    }
    noteReached();
    if (!answer->refusal)
        return std::nullopt;
    const TeamRefusal &r = *answer->refusal;
    const Money remaining = r.limit > r.used ? r.limit - r.used : Money();
    const QString key = r.level == ScopeLevel::User ? m_server.user : QStringLiteral("team");
    return TeamRefused{TeamRefused::Kind::OverLimit, r.level, key, remaining,
                       QStringLiteral("the team's %1 budget (%2) has %3 left")
                           .arg(scopeLevelName(r.level), key, remaining.toString())};
}

Expected<Done, TeamRefused> TeamBudget::reserve(const Reservation &hold)
{
    // The local hold's id: a run's key ("<run>/<step>") names the step on
    // this desktop, but the server's keys are the whole team's.
    return reserveKeyed(hold, hold.id);
}

Expected<Done, TeamRefused> TeamBudget::reserveKeyed(const Reservation &hold, const QString &key)
{
    QString problem;
    TeamLedger *team = ledger(problem);
    if (!team)
        return unexpected(unreachable(problem));
    flushOutbox();
    if (!m_team)
        return unexpected(unreachable(m_figures.problem));
    TeamHoldRequest request;
    request.idempotencyKey = key;
    request.runId = hold.runId;
    request.step = hold.step;
    request.kind = hold.kind;
    request.resource = hold.resource;
    request.amount = hold.amount;
    request.ttlSeconds = ttlSecondsOf(hold);
    auto reserved = m_team->reserve(request);
    if (auto refused = refusalOf(reserved))
        return unexpected(*refused);
    if (!reserved->hold) {
        return unexpected(TeamRefused{TeamRefused::Kind::Failed,
                                      ScopeLevel::Org,
                                      {},
                                      {},
                                      QStringLiteral("the team server has already settled step %1 of run %2")
                                          .arg(hold.step, hold.runId)});
    }
    const SpendLedger::TeamHoldLink link{reserved->hold->id, m_serverName, request.idempotencyKey};
    if (auto linked = m_local.linkTeamHold(hold.id, link); !linked) {
        // Without the link its settle could not find it: give it back.
        (void)m_team->release(link.teamHold);
        return unexpected(TeamRefused{TeamRefused::Kind::Failed,
                                      ScopeLevel::Org,
                                      {},
                                      {},
                                      QStringLiteral("the local ledger cannot record the team hold: %1")
                                          .arg(linked.error().message)});
    }
    return Done{};
}

Expected<Done, TeamRefused> TeamBudget::adjust(const Reservation &hold)
{
    const auto linked = linkOf(hold);
    if (!linked)
        return unexpected(TeamRefused{TeamRefused::Kind::Failed, ScopeLevel::Org, {}, {}, linked.error()});
    const auto &link = *linked;
    if (!link)
        return holdAgain(hold, std::nullopt); // taken before the team was set, or on another server
    QString problem;
    if (!ledger(problem))
        return unexpected(unreachable(problem));
    auto adjusted = m_team->adjust(link->teamHold, hold.amount, ttlSecondsOf(hold));
    if (auto refused = refusalOf(adjusted))
        return unexpected(*refused);
    if (!adjusted->hold) // lapsed on the server meanwhile: hold it again
        return holdAgain(hold, link->teamHold);
    return Done{};
}

Expected<Done, LedgerError> TeamBudget::queue(const QString &action, const Reservation &hold, const QString &key,
                                              Money cost)
{
    const auto linked = linkOf(hold);
    if (!linked)
        return unexpected(LedgerError{linked.error()});
    const auto &link = *linked;
    if (!link)
        return Done{}; // nothing was held on the team's server for it
    SpendLedger::TeamCall call;
    call.action = action;
    call.teamHold = link->teamHold;
    call.idempotencyKey = key.isEmpty() ? link->idempotencyKey : key;
    call.cost = cost;
    call.queuedMs = m_clock.nowUtc().toMSecsSinceEpoch();
    if (auto queued = m_local.queueTeamCall(m_serverName, call); !queued)
        return queued;
    if (action != QLatin1String("part"))
        return m_local.unlinkTeamHold(hold.id);
    return Done{};
}

void TeamBudget::deliverQueued()
{
    if (m_figures.unreachableSince.isValid() && m_lastAttempt.isValid()
        && m_lastAttempt.msecsTo(m_clock.nowUtc()) < kFlushRetryMs)
        return;
    flushOutbox();
}

Expected<Done, LedgerError> TeamBudget::queueSettle(const Reservation &hold, Money cost)
{
    return queue(QStringLiteral("settle"), hold, {}, cost);
}

Expected<Done, LedgerError> TeamBudget::queueSettlePart(const Reservation &hold, const QString &idempotencyKey,
                                                        Money cost)
{
    return queue(QStringLiteral("part"), hold, idempotencyKey, cost);
}

Expected<Done, LedgerError> TeamBudget::queueRelease(const Reservation &hold)
{
    return queue(QStringLiteral("release"), hold, {}, Money());
}

bool TeamBudget::deliver(const SpendLedger::TeamCall &call)
{
    std::optional<TeamError> failed;
    if (call.action == QLatin1String("settle")) {
        if (auto done = m_team->settle(call.teamHold, call.idempotencyKey, call.cost); !done)
            failed = done.error();
    } else if (call.action == QLatin1String("part")) {
        if (auto done = m_team->settlePart(call.teamHold, call.idempotencyKey, call.cost); !done)
            failed = done.error();
    } else {
        // A hold gone already lapsed and was charged in full: that charge
        // stays, since parts of it may have been billed and their settles lost.
        if (auto released = m_team->release(call.teamHold); !released)
            failed = released.error();
    }
    if (!failed) {
        (void)m_local.removeTeamCall(call.id);
        return true;
    }
    if (failed->kind == TeamError::Kind::Unreachable) {
        noteUnreachable(failed->message);
        return false;
    }
    if (call.attempts + 1 >= kMaxDeliveries) {
        qCCritical(lcBudget).noquote() << "the team server refused a queued" << call.action << kMaxDeliveries
                                       << "times; given up:" << failed->message;
        (void)m_local.removeTeamCall(call.id);
        return true;
    }
    (void)m_local.noteTeamCallFailed(call.id, failed->message);
    return false; // in order: nothing after it (a release after a part) goes first
}

void TeamBudget::audit(const TeamAuditRun &run)
{
    // Not at every run's end while the server is away: once in a while.
    if (m_figures.unreachableSince.isValid() && m_lastAttempt.isValid()
        && m_lastAttempt.msecsTo(m_clock.nowUtc()) < kAuditRetryMs)
        return;
    QString problem;
    if (!ledger(problem))
        return;
    // Asked each time, so the admin's switch counts at once.
    auto on = m_team->auditEnabled();
    if (!on) {
        if (on.error().kind == TeamError::Kind::Unreachable)
            noteUnreachable(on.error().message);
        return; // an older schema has no audit log: off
    }
    if (!*on)
        return;
    if (auto kept = m_team->recordRun(run); !kept)
        qCWarning(lcBudget).noquote() << "run" << run.runId << "not in the team's audit log:" << kept.error().message;
}

qint64 TeamBudget::flushOutbox()
{
    QString problem;
    auto calls = m_local.queuedTeamCalls(m_serverName, kOutboxBatch);
    if (calls && !calls->isEmpty() && ledger(problem)) {
        for (const SpendLedger::TeamCall &call : std::as_const(*calls)) {
            if (!deliver(call))
                break;
        }
    }
    auto left = m_local.queuedTeamCallCount(m_serverName);
    m_figures.queuedCalls = left ? *left : m_figures.queuedCalls;
    return m_figures.queuedCalls;
}

TeamFigures TeamBudget::figures()
{
    QString problem;
    if (ledger(problem)) {
        flushOutbox();
        if (m_team) {
            auto status = m_team->status();
            if (status) {
                noteReached();
                m_figures.status = *status;
                m_figures.readAt = m_clock.nowUtc();
            } else if (status.error().kind == TeamError::Kind::Unreachable) {
                noteUnreachable(status.error().message);
            } else {
                m_figures.problem = status.error().message;
            }
        }
    }
    return m_figures;
}

void applyTeamFigures(BudgetSnapshot &snap, const TeamFigures &figures, const TeamServer &server,
                      const BudgetThresholds &desktopThresholds)
{
    snap.team.server = server.describe();
    snap.team.readAt = figures.readAt;
    snap.team.staleSince = figures.unreachableSince;
    snap.team.problem = figures.problem;
    snap.team.queuedCalls = figures.queuedCalls;
    QList<ScopeSnapshot> scopes;
    for (ScopeLevel level : {ScopeLevel::Org, ScopeLevel::User}) {
        ScopeSnapshot s;
        s.level = level;
        const TeamScopeStatus *found = nullptr;
        if (figures.status) {
            for (const TeamScopeStatus &status : figures.status->scopes) {
                if (status.level == level)
                    found = &status;
            }
        }
        if (found) {
            s.key = found->key;
            s.reserved = found->held;
            s.spent = found->used - found->held;
            s.limit = found->limit;
            s.breach = found->stopped;
            if (s.limit) {
                // The server refuses a hold past the cap itself, by the
                // admin's thresholds, which every desktop judges by (a
                // server without them: this desktop's).
                const BudgetThresholds team = figures.status->thresholds.value_or(desktopThresholds);
                const Money cap = hardCap(*s.limit, team);
                s.remaining = !found->stopped && found->used < cap ? cap - found->used : Money();
                s.state = found->stopped ? BudgetState::Stopped : budgetStateFor(found->used, *s.limit, team);
                s.utilisation = s.limit->isZero() ? 1.0 : found->used.usd() / s.limit->usd();
            }
        } else {
            s.key = level == ScopeLevel::Org ? QStringLiteral("team") : server.user;
            s.limit = Money();
            s.remaining = Money();
            s.state = BudgetState::Stopped;
            s.utilisation = 1.0;
        }
        scopes << s;
    }
    for (const ScopeSnapshot &local : std::as_const(snap.scopes)) {
        if (local.level != ScopeLevel::Org && local.level != ScopeLevel::User)
            scopes << local;
    }
    snap.scopes = scopes;
    snap.decide();
}

} // namespace safecell
