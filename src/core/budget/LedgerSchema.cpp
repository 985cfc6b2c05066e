#include "LedgerSchema.h"

namespace safecell {

namespace {

// Version 1: spend entries, their per-scope aggregates, live reservations
// and fired alerts.
//
// spend_slots holds each scope's settled spend per 15-minute slot of UTC
// time, kept in the same transaction as the entry. A period's spend is a sum
// over at most ~3,000 slots whatever the number of entries, and any period
// boundary (local midnight in any current time zone) falls on a slot edge,
// so changing the period's first day or the time zone needs no rebuild.
LedgerMigration version1()
{
    return {1,
            {
                QStringLiteral("CREATE TABLE entries ("
                               " id INTEGER PRIMARY KEY,"
                               " idempotency_key TEXT NOT NULL UNIQUE,"
                               " run_id TEXT NOT NULL,"
                               " step TEXT NOT NULL,"
                               " org_key TEXT NOT NULL, user_key TEXT NOT NULL,"
                               " session_key TEXT NOT NULL, task_key TEXT NOT NULL,"
                               " kind TEXT NOT NULL CHECK (kind IN ('llm', 'sandbox', 'local')),"
                               " resource TEXT NOT NULL,"
                               " input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),"
                               " output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),"
                               " duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),"
                               " cost_nanos INTEGER NOT NULL CHECK (cost_nanos >= 0),"
                               " reserved_nanos INTEGER NOT NULL CHECK (reserved_nanos >= 0),"
                               " created_ms INTEGER NOT NULL)"),
                QStringLiteral("CREATE INDEX entries_by_run ON entries (run_id)"),
                QStringLiteral("CREATE INDEX entries_by_time ON entries (created_ms)"),
                QStringLiteral("CREATE TABLE spend_slots ("
                               " level INTEGER NOT NULL, scope_key TEXT NOT NULL, slot INTEGER NOT NULL,"
                               " cost_nanos INTEGER NOT NULL CHECK (cost_nanos >= 0),"
                               " entries INTEGER NOT NULL,"
                               " PRIMARY KEY (level, scope_key, slot)) WITHOUT ROWID"),
                QStringLiteral("CREATE TABLE reservations ("
                               " id TEXT PRIMARY KEY,"
                               " idempotency_key TEXT NOT NULL,"
                               " run_id TEXT NOT NULL, step TEXT NOT NULL,"
                               " org_key TEXT NOT NULL, user_key TEXT NOT NULL,"
                               " session_key TEXT NOT NULL, task_key TEXT NOT NULL,"
                               " amount_nanos INTEGER NOT NULL CHECK (amount_nanos >= 0),"
                               " created_ms INTEGER NOT NULL,"
                               " expires_ms INTEGER NOT NULL)"),
                QStringLiteral("CREATE INDEX reservations_by_expiry ON reservations (expires_ms)"),
                QStringLiteral("CREATE TABLE alerts ("
                               " level INTEGER NOT NULL, scope_key TEXT NOT NULL,"
                               " period_start_ms INTEGER NOT NULL, state TEXT NOT NULL,"
                               " fired_ms INTEGER NOT NULL,"
                               " PRIMARY KEY (level, scope_key, period_start_ms, state)) WITHOUT ROWID"),
            }};
}

// Version 2: the run history (issue 8): one row per run, whatever its
// outcome, beside the money it spent.
LedgerMigration version2()
{
    return {2,
            {
                QStringLiteral("CREATE TABLE runs ("
                               " run_id TEXT PRIMARY KEY,"
                               " started_ms INTEGER NOT NULL,"
                               " session_key TEXT NOT NULL,"
                               " code TEXT NOT NULL,"
                               " code_hash TEXT NOT NULL,"
                               " language TEXT NOT NULL,"
                               " verdict TEXT NOT NULL,"
                               " findings TEXT NOT NULL,"
                               " decided_by TEXT NOT NULL,"
                               " confirmed INTEGER NOT NULL,"
                               " model TEXT NOT NULL,"
                               " model_reason TEXT NOT NULL,"
                               " sandbox TEXT NOT NULL,"
                               " duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),"
                               " llm_cost_nanos INTEGER NOT NULL CHECK (llm_cost_nanos >= 0),"
                               " sandbox_cost_nanos INTEGER NOT NULL CHECK (sandbox_cost_nanos >= 0),"
                               " outcome TEXT NOT NULL,"
                               " budget_before TEXT NOT NULL,"
                               " budget_after TEXT NOT NULL,"
                               " message TEXT NOT NULL)"),
                QStringLiteral("CREATE INDEX runs_by_time ON runs (started_ms)"),
            }};
}

// Version 3: why the classification went as it did (the LLM's answer, or
// why the analyst had to confirm) and exactly what was sent to Cohere, so
// a past run can be audited as well as the last one.
LedgerMigration version3()
{
    return {3,
            {
                QStringLiteral("ALTER TABLE runs ADD COLUMN classification_note TEXT NOT NULL DEFAULT ''"),
                QStringLiteral("ALTER TABLE runs ADD COLUMN llm_request TEXT NOT NULL DEFAULT ''"),
            }};
}

// Version 4: budget breaches (issue 16), settles above what their
// reservation held. A breach stops the scopes it touched for their period.
LedgerMigration version4()
{
    return {4,
            {
                QStringLiteral("CREATE TABLE breaches ("
                               " id INTEGER PRIMARY KEY,"
                               " idempotency_key TEXT NOT NULL UNIQUE,"
                               " run_id TEXT NOT NULL, step TEXT NOT NULL,"
                               " org_key TEXT NOT NULL, user_key TEXT NOT NULL,"
                               " session_key TEXT NOT NULL, task_key TEXT NOT NULL,"
                               " held_nanos INTEGER NOT NULL CHECK (held_nanos >= 0),"
                               " settled_nanos INTEGER NOT NULL CHECK (settled_nanos >= 0),"
                               " created_ms INTEGER NOT NULL)"),
                QStringLiteral("CREATE INDEX breaches_by_time ON breaches (created_ms)"),
            }};
}

// Version 5: a hold that lapses unsettled is charged in full, never dropped
// (its process died; the provider may still have billed all of it). The
// charge is an entry naming the hold it stands for (`lapsed_hold`), so a
// late settle of that hold draws on it instead of charging twice, and the
// hold carries the kind and resource its charge is booked under. Holds from
// before this version are all LLM calls but the E2B sandboxes'.
LedgerMigration version5()
{
    return {5,
            {
                QStringLiteral("ALTER TABLE entries ADD COLUMN lapsed_hold TEXT NOT NULL DEFAULT ''"),
                QStringLiteral("CREATE INDEX entries_by_lapsed_hold ON entries (lapsed_hold) WHERE lapsed_hold <> ''"),
                QStringLiteral("ALTER TABLE reservations ADD COLUMN kind TEXT NOT NULL DEFAULT 'llm'"
                               " CHECK (kind IN ('llm', 'sandbox', 'local'))"),
                QStringLiteral("ALTER TABLE reservations ADD COLUMN resource TEXT NOT NULL DEFAULT ''"),
                QStringLiteral("UPDATE reservations SET kind = 'sandbox', resource = 'e2b' WHERE step = 'e2b-sandbox'"),
            }};
}

// Version 6: what left the machine (issue 23): the local files a run
// uploaded to E2B (a JSON array of paths) and whether its E2B sandbox could
// reach the internet. Older runs uploaded without asking; their rows say
// nothing ('[]', 0) rather than guess.
LedgerMigration version6()
{
    return {6,
            {
                QStringLiteral("ALTER TABLE runs ADD COLUMN uploaded_files TEXT NOT NULL DEFAULT '[]'"),
                QStringLiteral("ALTER TABLE runs ADD COLUMN internet INTEGER NOT NULL DEFAULT 0"),
            }};
}

// Version 7: a team ledger's half of each hold (issue 21). team_holds maps a
// local hold to the team server's hold it stands beside; team_outbox keeps
// the settles and releases the server could not be told yet, so a dropped
// connection loses none of them. Both name the server (its description,
// never a password): a queued call goes to the server it was meant for.
LedgerMigration version7()
{
    return {7,
            {
                QStringLiteral("CREATE TABLE team_holds (local_id TEXT PRIMARY KEY, team_hold TEXT NOT NULL,"
                               " server TEXT NOT NULL, idempotency_key TEXT NOT NULL)"),
                QStringLiteral("CREATE TABLE team_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                               " server TEXT NOT NULL,"
                               " action TEXT NOT NULL CHECK (action IN ('settle', 'part', 'release')),"
                               " team_hold TEXT NOT NULL, idempotency_key TEXT NOT NULL,"
                               " cost_nanos INTEGER NOT NULL CHECK (cost_nanos >= 0),"
                               " queued_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
                               " last_error TEXT NOT NULL DEFAULT '',"
                               " UNIQUE (action, idempotency_key))"),
            }};
}

} // namespace

const std::vector<LedgerMigration> &ledgerMigrations()
{
    static const std::vector<LedgerMigration> migrations{version1(), version2(), version3(), version4(),
                                                         version5(), version6(), version7()};
    return migrations;
}

int latestLedgerVersion()
{
    return ledgerMigrations().back().version;
}

} // namespace safecell
