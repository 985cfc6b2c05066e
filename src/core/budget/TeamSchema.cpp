#include "TeamSchema.h"
#include "TeamSchemaParts.h"

namespace safecell {

namespace {

// Version 1: the shared ledger. Amounts are nanodollars (bigint), as in
// the SQLite ledger. The analyst is the login role (session_user), so a
// desktop cannot spend or read in another analyst's name. Everything that
// decides runs in SECURITY DEFINER functions with a fixed search_path:
// analysts get no direct write on any table.
const char *const kVersion1[] = {
    R"sql(DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'safecell_analyst') THEN
            CREATE ROLE safecell_analyst NOLOGIN;
        END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'safecell_admin') THEN
            CREATE ROLE safecell_admin NOLOGIN;
        END IF;
        IF NOT pg_has_role('safecell_admin', 'safecell_analyst', 'MEMBER') THEN
            GRANT safecell_analyst TO safecell_admin;
        END IF;
    END $$)sql",
    "CREATE SCHEMA safecell",
    "REVOKE ALL ON SCHEMA safecell FROM PUBLIC",
    "GRANT USAGE ON SCHEMA safecell TO safecell_analyst",
    R"sql(CREATE TABLE safecell.migrations (
        version integer PRIMARY KEY,
        summary text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()))sql",
    "GRANT SELECT ON safecell.migrations TO safecell_analyst",

    // One row per scope with a limit or a hold: reservations lock these
    // rows (org before user), so two desktops never check the same scope at
    // once. A null limit is no limit.
    R"sql(CREATE TABLE safecell.scopes (
        level text NOT NULL CHECK (level IN ('org', 'user')),
        key text NOT NULL,
        limit_nanos bigint CHECK (limit_nanos >= 0),
        PRIMARY KEY (level, key)))sql",
    "INSERT INTO safecell.scopes (level, key) VALUES ('org', 'team')",

    R"sql(CREATE TABLE safecell.holds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        idempotency_key text NOT NULL UNIQUE,
        analyst text NOT NULL,
        run_id text NOT NULL,
        step text NOT NULL,
        kind text NOT NULL,
        resource text NOT NULL,
        amount_nanos bigint NOT NULL CHECK (amount_nanos > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL))sql",
    "CREATE INDEX holds_expiry ON safecell.holds (expires_at)",
    "CREATE INDEX holds_analyst ON safecell.holds (analyst)",

    // Settled spend. A hold that lapsed unsettled is charged in full
    // (lapsed_hold names it) at its expiry, on the server's clock.
    R"sql(CREATE TABLE safecell.entries (
        id bigserial PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        analyst text NOT NULL,
        run_id text NOT NULL,
        step text NOT NULL,
        kind text NOT NULL,
        resource text NOT NULL,
        cost_nanos bigint NOT NULL CHECK (cost_nanos >= 0),
        reserved_nanos bigint NOT NULL DEFAULT 0,
        lapsed_hold uuid,
        created_at timestamptz NOT NULL DEFAULT now()))sql",
    "CREATE INDEX entries_time ON safecell.entries (created_at)",
    "CREATE INDEX entries_analyst_time ON safecell.entries (analyst, created_at)",

    // Analysts read their own runs; the admin reads everyone's.
    "ALTER TABLE safecell.entries ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY own_entries ON safecell.entries FOR SELECT TO safecell_analyst USING (analyst = session_user)",
    "CREATE POLICY all_entries ON safecell.entries FOR SELECT TO safecell_admin USING (true)",
    "GRANT SELECT ON safecell.entries TO safecell_analyst",
    "GRANT SELECT ON safecell.scopes TO safecell_admin",
    "GRANT SELECT ON safecell.holds TO safecell_admin",

    // The period is the calendar month in UTC, so every desktop agrees.
    R"sql(CREATE FUNCTION safecell.period_start(at timestamptz) RETURNS timestamptz
        LANGUAGE sql IMMUTABLE AS $$ SELECT date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' $$)sql",

    // Holds whose expiry has passed become charges in full, once: the
    // DELETE takes each row, so a concurrent caller finds it gone.
    R"sql(CREATE FUNCTION safecell.charge_lapsed() RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        DECLARE charged integer;
        BEGIN
            WITH gone AS (DELETE FROM safecell.holds WHERE expires_at <= now() RETURNING *)
            INSERT INTO safecell.entries (idempotency_key, analyst, run_id, step, kind, resource,
                                          cost_nanos, reserved_nanos, lapsed_hold, created_at)
            SELECT 'lapse:' || id, analyst, run_id, step, kind, resource, amount_nanos, amount_nanos, id, expires_at
            FROM gone ON CONFLICT (idempotency_key) DO NOTHING;
            GET DIAGNOSTICS charged = ROW_COUNT;
            RETURN charged;
        END $$)sql",

    // What a scope has used this period: its settled entries and every hold
    // (a lapsed hold will be charged in full, so it counts either way).
    R"sql(CREATE FUNCTION safecell.used(p_level text, p_key text) RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        SELECT ((SELECT coalesce(sum(e.cost_nanos), 0) FROM safecell.entries e
                 WHERE e.created_at >= safecell.period_start(now())
                   AND (p_level = 'org' OR e.analyst = p_key))
              + (SELECT coalesce(sum(h.amount_nanos), 0) FROM safecell.holds h
                 WHERE p_level = 'org' OR h.analyst = p_key))::bigint $$)sql",

    // One reservation, in one transaction that locks the org row and then
    // the analyst's row: the check and the insert cannot interleave with
    // another desktop's. Idempotent by key: a retry after a lost answer
    // gets the same hold (or its settled entry) back.
    R"sql(CREATE FUNCTION safecell.reserve(p_key text, p_run_id text, p_step text, p_kind text,
                                            p_resource text, p_amount bigint, p_ttl_seconds integer)
        RETURNS TABLE (outcome text, hold_id uuid, expires_at timestamptz, refused_level text,
                       used_nanos bigint, limit_nanos bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            me text := session_user;
            existing safecell.holds%ROWTYPE;
            new_id uuid;
            new_expiry timestamptz;
            scope record;
            scope_used bigint;
        BEGIN
            IF p_amount IS NULL OR p_amount <= 0 THEN
                RAISE EXCEPTION 'the amount to reserve must be positive' USING ERRCODE = '22023';
            END IF;
            IF p_ttl_seconds IS NULL OR p_ttl_seconds <= 0 OR p_ttl_seconds > 86400 THEN
                RAISE EXCEPTION 'a hold lasts 1 to 86400 seconds' USING ERRCODE = '22023';
            END IF;
            SELECT * INTO existing FROM safecell.holds h WHERE h.idempotency_key = p_key;
            IF FOUND THEN
                RETURN QUERY SELECT 'held'::text, existing.id, existing.expires_at, NULL::text, NULL::bigint, NULL::bigint;
                RETURN;
            END IF;
            IF EXISTS (SELECT FROM safecell.entries e WHERE e.idempotency_key = p_key) THEN
                RETURN QUERY SELECT 'settled'::text, NULL::uuid, NULL::timestamptz, NULL::text, NULL::bigint, NULL::bigint;
                RETURN;
            END IF;
            INSERT INTO safecell.scopes (level, key) VALUES ('user', me) ON CONFLICT DO NOTHING;
            FOR scope IN SELECT s.level, s.key, s.limit_nanos FROM safecell.scopes s
                         WHERE (s.level = 'org' AND s.key = 'team') OR (s.level = 'user' AND s.key = me)
                         ORDER BY s.level, s.key FOR UPDATE LOOP
                IF scope.limit_nanos IS NOT NULL THEN
                    scope_used := safecell.used(scope.level, scope.key);
                    IF scope_used + p_amount > scope.limit_nanos THEN
                        RETURN QUERY SELECT 'refused'::text, NULL::uuid, NULL::timestamptz, scope.level,
                                            scope_used, scope.limit_nanos;
                        RETURN;
                    END IF;
                END IF;
            END LOOP;
            PERFORM safecell.charge_lapsed();
            INSERT INTO safecell.holds AS h (idempotency_key, analyst, run_id, step, kind, resource,
                                             amount_nanos, expires_at)
                VALUES (p_key, me, p_run_id, p_step, p_kind, p_resource, p_amount,
                        now() + make_interval(secs => p_ttl_seconds))
                RETURNING h.id, h.expires_at INTO new_id, new_expiry;
            PERFORM pg_notify('safecell_spend', me);
            RETURN QUERY SELECT 'held'::text, new_id, new_expiry, NULL::text, NULL::bigint, NULL::bigint;
        END $$)sql",

    // Settles one of the caller's holds to its actual cost, once per key. A
    // hold that lapsed meanwhile was charged in full: its charge is lowered
    // to the actual cost instead (never raised), so nothing counts twice.
    R"sql(CREATE FUNCTION safecell.settle(p_hold uuid, p_key text, p_cost bigint)
        RETURNS TABLE (outcome text, entry_id bigint, cost_nanos bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            me text := session_user;
            hold safecell.holds%ROWTYPE;
            entry safecell.entries%ROWTYPE;
        BEGIN
            IF p_cost IS NULL OR p_cost < 0 THEN
                RAISE EXCEPTION 'a cost is never negative' USING ERRCODE = '22023';
            END IF;
            SELECT * INTO entry FROM safecell.entries e WHERE e.idempotency_key = p_key;
            IF FOUND THEN
                RETURN QUERY SELECT 'already'::text, entry.id, entry.cost_nanos;
                RETURN;
            END IF;
            DELETE FROM safecell.holds h WHERE h.id = p_hold AND h.analyst = me RETURNING * INTO hold;
            IF FOUND THEN
                INSERT INTO safecell.entries AS e (idempotency_key, analyst, run_id, step, kind, resource,
                                                   cost_nanos, reserved_nanos)
                    VALUES (p_key, me, hold.run_id, hold.step, hold.kind, hold.resource, p_cost, hold.amount_nanos)
                    RETURNING * INTO entry;
                PERFORM pg_notify('safecell_spend', me);
                RETURN QUERY SELECT 'settled'::text, entry.id, entry.cost_nanos;
                RETURN;
            END IF;
            UPDATE safecell.entries e SET cost_nanos = least(e.cost_nanos, p_cost)
                WHERE e.lapsed_hold = p_hold AND e.analyst = me RETURNING * INTO entry;
            IF FOUND THEN
                PERFORM pg_notify('safecell_spend', me);
                RETURN QUERY SELECT 'lapsed'::text, entry.id, entry.cost_nanos;
                RETURN;
            END IF;
            RETURN QUERY SELECT 'unknown'::text, NULL::bigint, NULL::bigint;
        END $$)sql",

    // Gives a hold back unspent; false when it was not the caller's or is gone.
    R"sql(CREATE FUNCTION safecell.release(p_hold uuid) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        BEGIN
            DELETE FROM safecell.holds h WHERE h.id = p_hold AND h.analyst = session_user;
            IF FOUND THEN
                PERFORM pg_notify('safecell_spend', session_user);
            END IF;
            RETURN FOUND;
        END $$)sql",

    // What every analyst may see: the team's and their own figures, not
    // anyone else's.
    R"sql(CREATE FUNCTION safecell.status()
        RETURNS TABLE (level text, key text, used_nanos bigint, held_nanos bigint, limit_nanos bigint,
                       period_start timestamptz, server_time timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        SELECT w.level, w.key, safecell.used(w.level, w.key),
               (SELECT coalesce(sum(h.amount_nanos), 0)::bigint FROM safecell.holds h
                WHERE w.level = 'org' OR h.analyst = w.key),
               s.limit_nanos, safecell.period_start(now()), now()
        FROM (VALUES ('org', 'team'), ('user', session_user::text)) AS w (level, key)
        LEFT JOIN safecell.scopes s ON s.level = w.level AND s.key = w.key
        ORDER BY w.level $$)sql",

    // Admin only: a limit in nanodollars, or null for none.
    R"sql(CREATE FUNCTION safecell.set_limit(p_level text, p_key text, p_limit bigint) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        BEGIN
            IF p_level NOT IN ('org', 'user') THEN
                RAISE EXCEPTION 'a team limit is on the org or a user, not %', p_level USING ERRCODE = '22023';
            END IF;
            IF p_limit IS NOT NULL AND p_limit < 0 THEN
                RAISE EXCEPTION 'a limit is never negative' USING ERRCODE = '22023';
            END IF;
            INSERT INTO safecell.scopes AS s (level, key, limit_nanos)
                VALUES (p_level, CASE WHEN p_level = 'org' THEN 'team' ELSE p_key END, p_limit)
                ON CONFLICT (level, key) DO UPDATE SET limit_nanos = excluded.limit_nanos;
            PERFORM pg_notify('safecell_spend', '');
        END $$)sql",

    "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA safecell FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION safecell.reserve(text, text, text, text, text, bigint, integer) TO safecell_analyst",
    "GRANT EXECUTE ON FUNCTION safecell.settle(uuid, text, bigint) TO safecell_analyst",
    "GRANT EXECUTE ON FUNCTION safecell.release(uuid) TO safecell_analyst",
    "GRANT EXECUTE ON FUNCTION safecell.status() TO safecell_analyst",
    "GRANT EXECUTE ON FUNCTION safecell.charge_lapsed() TO safecell_analyst",
    "GRANT EXECUTE ON FUNCTION safecell.set_limit(text, text, bigint) TO safecell_admin",
};

// Version 2: what each scope settled per period, kept by a trigger on the
// entries, so a reservation reads two small rows instead of summing a
// month of entries (40 ms at 100,000 entries in bench_ledger, before).
const char *const kVersion2[] = {
    R"sql(CREATE TABLE safecell.totals (
        level text NOT NULL,
        key text NOT NULL,
        period_start timestamptz NOT NULL,
        settled_nanos bigint NOT NULL,
        PRIMARY KEY (level, key, period_start)))sql",
    "GRANT SELECT ON safecell.totals TO safecell_admin",
    R"sql(INSERT INTO safecell.totals (level, key, period_start, settled_nanos)
        SELECT 'org', 'team', safecell.period_start(created_at), sum(cost_nanos)
        FROM safecell.entries GROUP BY 3
        UNION ALL
        SELECT 'user', analyst, safecell.period_start(created_at), sum(cost_nanos)
        FROM safecell.entries GROUP BY 2, 3)sql",

    // The org's row first, then the analyst's: every writer takes them in
    // that order, so two settles never wait on each other in a cycle.
    R"sql(CREATE FUNCTION safecell.count_entry() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        DECLARE
            delta bigint := NEW.cost_nanos - CASE WHEN TG_OP = 'UPDATE' THEN OLD.cost_nanos ELSE 0 END;
            period timestamptz := safecell.period_start(NEW.created_at);
        BEGIN
            IF delta <> 0 THEN
                INSERT INTO safecell.totals AS t (level, key, period_start, settled_nanos)
                    VALUES ('org', 'team', period, delta), ('user', NEW.analyst, period, delta)
                    ON CONFLICT (level, key, period_start)
                    DO UPDATE SET settled_nanos = t.settled_nanos + excluded.settled_nanos;
            END IF;
            RETURN NULL;
        END $$)sql",
    "REVOKE ALL ON FUNCTION safecell.count_entry() FROM PUBLIC",
    R"sql(CREATE TRIGGER entries_totals AFTER INSERT OR UPDATE OF cost_nanos ON safecell.entries
        FOR EACH ROW EXECUTE FUNCTION safecell.count_entry())sql",

    R"sql(CREATE OR REPLACE FUNCTION safecell.used(p_level text, p_key text) RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        SELECT ((SELECT coalesce(sum(t.settled_nanos), 0) FROM safecell.totals t
                 WHERE t.level = p_level AND t.key = p_key AND t.period_start = safecell.period_start(now()))
              + (SELECT coalesce(sum(h.amount_nanos), 0) FROM safecell.holds h
                 WHERE p_level = 'org' OR h.analyst = p_key))::bigint $$)sql",
};

// Version 3: a hold that changes while it lives, as an E2B sandbox's does:
// grown or shrunk as its lifetime changes, and settled in parts (the time
// used so far) while it stays.
const char *const kVersion3[] = {
    "ALTER TABLE safecell.holds DROP CONSTRAINT holds_amount_nanos_check",
    "ALTER TABLE safecell.holds ADD CONSTRAINT holds_amount_nanos_check CHECK (amount_nanos >= 0)",

    // Growing is checked as a reservation is, under the same locks;
    // shrinking is never refused.
    R"sql(CREATE FUNCTION safecell.adjust(p_hold uuid, p_amount bigint, p_ttl_seconds integer)
        RETURNS TABLE (outcome text, expires_at timestamptz, refused_level text, used_nanos bigint,
                       limit_nanos bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            me text := session_user;
            held safecell.holds%ROWTYPE;
            scope record;
            scope_used bigint;
            new_expiry timestamptz;
        BEGIN
            IF p_amount IS NULL OR p_amount < 0 THEN
                RAISE EXCEPTION 'a hold is never negative' USING ERRCODE = '22023';
            END IF;
            IF p_ttl_seconds IS NULL OR p_ttl_seconds <= 0 OR p_ttl_seconds > 86400 THEN
                RAISE EXCEPTION 'a hold lasts 1 to 86400 seconds' USING ERRCODE = '22023';
            END IF;
            INSERT INTO safecell.scopes (level, key) VALUES ('user', me) ON CONFLICT DO NOTHING;
            PERFORM 1 FROM safecell.scopes s
                WHERE (s.level = 'org' AND s.key = 'team') OR (s.level = 'user' AND s.key = me)
                ORDER BY s.level, s.key FOR UPDATE;
            SELECT * INTO held FROM safecell.holds h WHERE h.id = p_hold AND h.analyst = me FOR UPDATE;
            IF NOT FOUND OR held.expires_at <= now() THEN
                RETURN QUERY SELECT 'unknown'::text, NULL::timestamptz, NULL::text, NULL::bigint, NULL::bigint;
                RETURN;
            END IF;
            IF p_amount > held.amount_nanos THEN
                FOR scope IN SELECT s.level, s.key, s.limit_nanos FROM safecell.scopes s
                             WHERE (s.level = 'org' AND s.key = 'team') OR (s.level = 'user' AND s.key = me)
                             ORDER BY s.level, s.key LOOP
                    IF scope.limit_nanos IS NOT NULL THEN
                        scope_used := safecell.used(scope.level, scope.key);
                        IF scope_used + p_amount - held.amount_nanos > scope.limit_nanos THEN
                            RETURN QUERY SELECT 'refused'::text, NULL::timestamptz, scope.level, scope_used,
                                                scope.limit_nanos;
                            RETURN;
                        END IF;
                    END IF;
                END LOOP;
            END IF;
            UPDATE safecell.holds h SET amount_nanos = p_amount, expires_at = now() + make_interval(secs => p_ttl_seconds)
                WHERE h.id = p_hold RETURNING h.expires_at INTO new_expiry;
            PERFORM pg_notify('safecell_spend', me);
            RETURN QUERY SELECT 'held'::text, new_expiry, NULL::text, NULL::bigint, NULL::bigint;
        END $$)sql",

    // Settles part of a live hold as an entry of its own, once per key, and
    // lowers the hold by it; the hold stays.
    R"sql(CREATE FUNCTION safecell.settle_part(p_hold uuid, p_key text, p_cost bigint)
        RETURNS TABLE (outcome text, entry_id bigint, cost_nanos bigint, held_nanos bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            me text := session_user;
            held safecell.holds%ROWTYPE;
            entry safecell.entries%ROWTYPE;
        BEGIN
            IF p_cost IS NULL OR p_cost < 0 THEN
                RAISE EXCEPTION 'a cost is never negative' USING ERRCODE = '22023';
            END IF;
            SELECT * INTO held FROM safecell.holds h WHERE h.id = p_hold AND h.analyst = me FOR UPDATE;
            SELECT * INTO entry FROM safecell.entries e WHERE e.idempotency_key = p_key;
            IF FOUND THEN
                RETURN QUERY SELECT 'already'::text, entry.id, entry.cost_nanos, held.amount_nanos;
                RETURN;
            END IF;
            IF held.id IS NULL THEN
                RETURN QUERY SELECT 'unknown'::text, NULL::bigint, NULL::bigint, NULL::bigint;
                RETURN;
            END IF;
            INSERT INTO safecell.entries AS e (idempotency_key, analyst, run_id, step, kind, resource,
                                               cost_nanos, reserved_nanos)
                VALUES (p_key, me, held.run_id, held.step, held.kind, held.resource, p_cost,
                        least(p_cost, held.amount_nanos))
                RETURNING * INTO entry;
            UPDATE safecell.holds h SET amount_nanos = greatest(h.amount_nanos - p_cost, 0)
                WHERE h.id = p_hold RETURNING * INTO held;
            PERFORM pg_notify('safecell_spend', me);
            RETURN QUERY SELECT 'settled'::text, entry.id, entry.cost_nanos, held.amount_nanos;
        END $$)sql",
    "REVOKE ALL ON FUNCTION safecell.adjust(uuid, bigint, integer) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.settle_part(uuid, text, bigint) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION safecell.adjust(uuid, bigint, integer) TO safecell_analyst",
    "GRANT EXECUTE ON FUNCTION safecell.settle_part(uuid, text, bigint) TO safecell_analyst",
};

// Version 5: idempotency keys are each analyst's own. Until now a key was
// unique team-wide and looked up without the analyst, so an analyst who
// reused another's key got that analyst's hold back (and learnt its id), or
// "already settled" with the other's cost, instead of a reservation. The
// functions that look keys up are version 1's and 3's with the analyst
// added to each lookup (derived below, so they cannot drift apart).
const char *const kVersion5Constraints[] = {
    "ALTER TABLE safecell.holds DROP CONSTRAINT holds_idempotency_key_key",
    "ALTER TABLE safecell.holds ADD CONSTRAINT holds_analyst_key UNIQUE (analyst, idempotency_key)",
    "ALTER TABLE safecell.entries DROP CONSTRAINT entries_idempotency_key_key",
    "ALTER TABLE safecell.entries ADD CONSTRAINT entries_analyst_key UNIQUE (analyst, idempotency_key)",
};

template <size_t N>
QString keyedByAnalyst(const char *const (&sql)[N], const char *function)
{
    const QString head = QStringLiteral("CREATE FUNCTION safecell.") + QLatin1String(function) + QLatin1Char('(');
    for (const char *statement : sql) {
        QString text = QString::fromUtf8(statement);
        if (!text.startsWith(head))
            continue;
        text.replace(0, 15, QStringLiteral("CREATE OR REPLACE FUNCTION"));
        text.replace(QStringLiteral("h.idempotency_key = p_key"),
                     QStringLiteral("h.idempotency_key = p_key AND h.analyst = me"));
        text.replace(QStringLiteral("e.idempotency_key = p_key"),
                     QStringLiteral("e.idempotency_key = p_key AND e.analyst = me"));
        text.replace(QStringLiteral("ON CONFLICT (idempotency_key)"),
                     QStringLiteral("ON CONFLICT (analyst, idempotency_key)"));
        return text;
    }
    Q_UNREACHABLE();
}

QStringList version5()
{
    QStringList list;
    for (const char *statement : kVersion5Constraints)
        list << QString::fromUtf8(statement);
    list << keyedByAnalyst(kVersion1, "charge_lapsed") << keyedByAnalyst(kVersion1, "reserve")
         << keyedByAnalyst(kVersion1, "settle") << keyedByAnalyst(kVersion3, "settle_part");
    return list;
}

} // namespace

QString teamSettleAsOfVersion5()
{
    return keyedByAnalyst(kVersion1, "settle");
}

QList<TeamMigration> teamMigrations()
{
    return {TeamMigration{1, QStringLiteral("the shared ledger, its roles and functions"), statements(kVersion1)},
            TeamMigration{2, QStringLiteral("settled totals per scope and period"), statements(kVersion2)},
            TeamMigration{3, QStringLiteral("holds that grow, shrink and settle in parts"), statements(kVersion3)},
            TeamMigration{4, QStringLiteral("the team audit log, off by default; late releases keep the charge"),
                          teamSchemaVersion4()},
            TeamMigration{5, QStringLiteral("idempotency keys are each analyst's own"), version5()},
            TeamMigration{6, QStringLiteral("the team's thresholds, breaches and alerts on the server"),
                          teamSchemaVersion6()}};
}

int latestTeamSchemaVersion()
{
    return teamMigrations().constLast().version;
}

} // namespace safecell
