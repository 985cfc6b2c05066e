#include "TeamSchemaParts.h"

namespace safecell {

namespace {

// Version 6: what guards a team's budget is the server's, as it is the
// local ledger's for one desktop. Until now each desktop judged the team's
// scopes by its own thresholds (two desktops could disagree on Degraded,
// and the server refused only at 100% whatever the stop threshold), a
// settle above its hold stopped nothing, and alerts lived in each
// desktop's memory.
// - The thresholds are one row the admin sets; a reservation is capped at
//   the stop threshold of a limit, as BudgetController caps a local one.
// - A settle (or part) above what its hold held is recorded as a breach,
//   which stops the org's scope and the analyst's for the rest of the
//   month: neither takes new money until the next period.
// - Each threshold a limited scope reaches is recorded once per period,
//   by the settle that reached it, whichever desktop sent it.
const char *const kVersion6[] = {
    R"sql(CREATE TABLE safecell.thresholds (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        warn_ppm bigint NOT NULL,
        degrade_ppm bigint NOT NULL,
        stop_ppm bigint NOT NULL,
        CHECK (warn_ppm > 0 AND warn_ppm <= degrade_ppm AND degrade_ppm <= stop_ppm
               AND stop_ppm <= 1000000000)))sql",
    "INSERT INTO safecell.thresholds (warn_ppm, degrade_ppm, stop_ppm) VALUES (750000, 900000, 1000000)",
    "GRANT SELECT ON safecell.thresholds TO safecell_analyst",

    R"sql(CREATE TABLE safecell.breaches (
        analyst text NOT NULL,
        idempotency_key text NOT NULL,
        run_id text NOT NULL,
        step text NOT NULL,
        held_nanos bigint NOT NULL,
        settled_nanos bigint NOT NULL,
        period_start timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        cleared_at timestamptz,
        PRIMARY KEY (analyst, idempotency_key)))sql",
    "ALTER TABLE safecell.breaches ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY own_breaches ON safecell.breaches FOR SELECT TO safecell_analyst USING (analyst = session_user)",
    "CREATE POLICY all_breaches ON safecell.breaches FOR SELECT TO safecell_admin USING (true)",
    "GRANT SELECT ON safecell.breaches TO safecell_analyst",

    R"sql(CREATE TABLE safecell.alerts (
        level text NOT NULL,
        key text NOT NULL,
        period_start timestamptz NOT NULL,
        state text NOT NULL CHECK (state IN ('warned', 'degraded', 'stopped')),
        used_nanos bigint NOT NULL,
        limit_nanos bigint NOT NULL,
        fired_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (level, key, period_start, state)))sql",
    "ALTER TABLE safecell.alerts ENABLE ROW LEVEL SECURITY",
    R"sql(CREATE POLICY team_alerts ON safecell.alerts FOR SELECT TO safecell_analyst
        USING (level = 'org' OR key = session_user))sql",
    "CREATE POLICY all_alerts ON safecell.alerts FOR SELECT TO safecell_admin USING (true)",
    "GRANT SELECT ON safecell.alerts TO safecell_analyst",

    // Admin only, in parts per million of a limit.
    R"sql(CREATE FUNCTION safecell.set_thresholds(p_warn bigint, p_degrade bigint, p_stop bigint) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        BEGIN
            IF p_warn IS NULL OR p_degrade IS NULL OR p_stop IS NULL
               OR NOT (p_warn > 0 AND p_warn <= p_degrade AND p_degrade <= p_stop AND p_stop <= 1000000000) THEN
                RAISE EXCEPTION 'thresholds must run 0 < warn <= degrade <= stop <= 1000 times the limit'
                    USING ERRCODE = '22023';
            END IF;
            UPDATE safecell.thresholds SET warn_ppm = p_warn, degrade_ppm = p_degrade, stop_ppm = p_stop;
            PERFORM pg_notify('safecell_spend', '');
        END $$)sql",

    // What a limit lets be used: floor(limit x stop), never rounded up.
    R"sql(CREATE FUNCTION safecell.cap(p_limit bigint) RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        SELECT least(floor(p_limit::numeric * t.stop_ppm / 1000000), 9223372036854775807)::bigint
        FROM safecell.thresholds t $$)sql",

    // A scope with a breach this period takes no new money.
    R"sql(CREATE FUNCTION safecell.stopped(p_level text, p_key text) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        SELECT EXISTS (SELECT FROM safecell.breaches b
                       WHERE b.period_start = safecell.period_start(now()) AND b.cleared_at IS NULL
                         AND (p_level = 'org' OR b.analyst = p_key)) $$)sql",

    // Admin only: the team goes on after a breach the admin has looked
    // into; the breaches stay on record, cleared. How many were cleared.
    R"sql(CREATE FUNCTION safecell.clear_breaches() RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        DECLARE cleared integer;
        BEGIN
            UPDATE safecell.breaches SET cleared_at = now()
                WHERE period_start = safecell.period_start(now()) AND cleared_at IS NULL;
            GET DIAGNOSTICS cleared = ROW_COUNT;
            PERFORM pg_notify('safecell_spend', '');
            RETURN cleared;
        END $$)sql",

    // Each threshold reached by the org's or the analyst's limited scope,
    // once per period (a breach reaches Stopped whatever the figures).
    R"sql(CREATE FUNCTION safecell.note_alerts(p_analyst text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        DECLARE
            t safecell.thresholds%ROWTYPE;
            scope record;
            reached record;
            scope_used bigint;
            period timestamptz := safecell.period_start(now());
        BEGIN
            SELECT * INTO t FROM safecell.thresholds;
            FOR scope IN SELECT s.level, s.key, s.limit_nanos FROM safecell.scopes s
                         WHERE ((s.level = 'org' AND s.key = 'team') OR (s.level = 'user' AND s.key = p_analyst))
                           AND s.limit_nanos IS NOT NULL
                         ORDER BY s.level, s.key LOOP
                scope_used := safecell.used(scope.level, scope.key);
                FOR reached IN SELECT v.state, v.ppm FROM (VALUES (1, 'warned', t.warn_ppm),
                                                                  (2, 'degraded', t.degrade_ppm),
                                                                  (3, 'stopped', t.stop_ppm)) AS v (n, state, ppm)
                               ORDER BY v.n LOOP
                    IF scope_used::numeric * 1000000 >= scope.limit_nanos::numeric * reached.ppm
                       OR (reached.state = 'stopped' AND safecell.stopped(scope.level, scope.key)) THEN
                        INSERT INTO safecell.alerts (level, key, period_start, state, used_nanos, limit_nanos)
                            VALUES (scope.level, scope.key, period, reached.state, scope_used, scope.limit_nanos)
                            ON CONFLICT DO NOTHING;
                    END IF;
                END LOOP;
            END LOOP;
        END $$)sql",

    // After the totals' trigger (triggers fire in name order), so the
    // alerts see the entry counted. Only a breach can raise what a scope
    // uses at a settle (a hold already counts in full until it settles),
    // so only a breach notes alerts here; reserve and adjust note the rest,
    // under the scopes' locks. A charge on lapse costs what was held; a
    // late settle that raises it past that is a breach.
    R"sql(CREATE FUNCTION safecell.watch_entry() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        BEGIN
            IF NEW.cost_nanos > NEW.reserved_nanos THEN
                INSERT INTO safecell.breaches (analyst, idempotency_key, run_id, step, held_nanos, settled_nanos,
                                               period_start)
                    VALUES (NEW.analyst, NEW.idempotency_key, NEW.run_id, NEW.step, NEW.reserved_nanos,
                            NEW.cost_nanos, safecell.period_start(NEW.created_at))
                    ON CONFLICT DO NOTHING;
                PERFORM safecell.note_alerts(NEW.analyst);
            END IF;
            RETURN NULL;
        END $$)sql",
    R"sql(CREATE TRIGGER entries_totals_watch AFTER INSERT OR UPDATE OF cost_nanos ON safecell.entries
        FOR EACH ROW EXECUTE FUNCTION safecell.watch_entry())sql",

    // Locks the org's scope row, then the analyst's (every writer takes
    // them in that order), and says which limited scope `p_more` more would
    // take past its cap, the one with the least left when several would,
    // as BudgetController does; no row when all have room. A stopped scope
    // has nothing left.
    R"sql(CREATE FUNCTION safecell.refusal(p_analyst text, p_more bigint)
        RETURNS TABLE (level text, used_nanos bigint, cap_nanos bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            scope record;
            scope_used bigint;
            scope_cap bigint;
            least_left bigint;
        BEGIN
            FOR scope IN SELECT s.level, s.key, s.limit_nanos FROM safecell.scopes s
                         WHERE (s.level = 'org' AND s.key = 'team') OR (s.level = 'user' AND s.key = p_analyst)
                         ORDER BY s.level, s.key FOR UPDATE LOOP
                CONTINUE WHEN scope.limit_nanos IS NULL;
                scope_used := safecell.used(scope.level, scope.key);
                scope_cap := safecell.cap(scope.limit_nanos);
                IF safecell.stopped(scope.level, scope.key) THEN
                    scope_used := greatest(scope_used, scope_cap);
                END IF;
                IF scope_used + p_more > scope_cap AND (least_left IS NULL OR scope_cap - scope_used < least_left) THEN
                    least_left := scope_cap - scope_used;
                    level := scope.level;
                    used_nanos := scope_used;
                    cap_nanos := scope_cap;
                END IF;
            END LOOP;
            IF least_left IS NOT NULL THEN
                RETURN NEXT;
            END IF;
        END $$)sql",

    // Version 5's reserve, checked by refusal() against the caps, noting
    // the thresholds its hold reaches.
    R"sql(CREATE OR REPLACE FUNCTION safecell.reserve(p_key text, p_run_id text, p_step text, p_kind text,
                                                       p_resource text, p_amount bigint, p_ttl_seconds integer)
        RETURNS TABLE (outcome text, hold_id uuid, expires_at timestamptz, refused_level text,
                       used_nanos bigint, limit_nanos bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            me text := session_user;
            existing safecell.holds%ROWTYPE;
            refused record;
            new_id uuid;
            new_expiry timestamptz;
        BEGIN
            IF p_amount IS NULL OR p_amount <= 0 THEN
                RAISE EXCEPTION 'the amount to reserve must be positive' USING ERRCODE = '22023';
            END IF;
            IF p_ttl_seconds IS NULL OR p_ttl_seconds <= 0 OR p_ttl_seconds > 86400 THEN
                RAISE EXCEPTION 'a hold lasts 1 to 86400 seconds' USING ERRCODE = '22023';
            END IF;
            SELECT * INTO existing FROM safecell.holds h WHERE h.idempotency_key = p_key AND h.analyst = me;
            IF FOUND THEN
                RETURN QUERY SELECT 'held'::text, existing.id, existing.expires_at, NULL::text, NULL::bigint, NULL::bigint;
                RETURN;
            END IF;
            IF EXISTS (SELECT FROM safecell.entries e WHERE e.idempotency_key = p_key AND e.analyst = me) THEN
                RETURN QUERY SELECT 'settled'::text, NULL::uuid, NULL::timestamptz, NULL::text, NULL::bigint, NULL::bigint;
                RETURN;
            END IF;
            INSERT INTO safecell.scopes (level, key) VALUES ('user', me) ON CONFLICT DO NOTHING;
            SELECT * INTO refused FROM safecell.refusal(me, p_amount);
            IF FOUND THEN
                RETURN QUERY SELECT 'refused'::text, NULL::uuid, NULL::timestamptz, refused.level, refused.used_nanos,
                                    refused.cap_nanos;
                RETURN;
            END IF;
            PERFORM safecell.charge_lapsed();
            INSERT INTO safecell.holds AS h (idempotency_key, analyst, run_id, step, kind, resource,
                                             amount_nanos, expires_at)
                VALUES (p_key, me, p_run_id, p_step, p_kind, p_resource, p_amount,
                        now() + make_interval(secs => p_ttl_seconds))
                RETURNING h.id, h.expires_at INTO new_id, new_expiry;
            PERFORM safecell.note_alerts(me);
            PERFORM pg_notify('safecell_spend', me);
            RETURN QUERY SELECT 'held'::text, new_id, new_expiry, NULL::text, NULL::bigint, NULL::bigint;
        END $$)sql",

    // Version 3's adjust, checked by refusal() when it grows.
    R"sql(CREATE OR REPLACE FUNCTION safecell.adjust(p_hold uuid, p_amount bigint, p_ttl_seconds integer)
        RETURNS TABLE (outcome text, expires_at timestamptz, refused_level text, used_nanos bigint,
                       limit_nanos bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        #variable_conflict use_column
        DECLARE
            me text := session_user;
            held safecell.holds%ROWTYPE;
            refused record;
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
                SELECT * INTO refused FROM safecell.refusal(me, p_amount - held.amount_nanos);
                IF FOUND THEN
                    RETURN QUERY SELECT 'refused'::text, NULL::timestamptz, refused.level, refused.used_nanos,
                                        refused.cap_nanos;
                    RETURN;
                END IF;
            END IF;
            UPDATE safecell.holds h SET amount_nanos = p_amount,
                                        expires_at = now() + make_interval(secs => p_ttl_seconds)
                WHERE h.id = p_hold RETURNING h.expires_at INTO new_expiry;
            PERFORM safecell.note_alerts(me);
            PERFORM pg_notify('safecell_spend', me);
            RETURN QUERY SELECT 'held'::text, new_expiry, NULL::text, NULL::bigint, NULL::bigint;
        END $$)sql",

    // status() gains whether each scope is stopped and the thresholds its
    // state is judged by (a new row type: dropped and made again).
    "DROP FUNCTION safecell.status()",
    R"sql(CREATE FUNCTION safecell.status()
        RETURNS TABLE (level text, key text, used_nanos bigint, held_nanos bigint, limit_nanos bigint,
                       period_start timestamptz, server_time timestamptz, stopped boolean,
                       warn_ppm bigint, degrade_ppm bigint, stop_ppm bigint)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        SELECT w.level, w.key, safecell.used(w.level, w.key),
               (SELECT coalesce(sum(h.amount_nanos), 0)::bigint FROM safecell.holds h
                WHERE w.level = 'org' OR h.analyst = w.key),
               s.limit_nanos, safecell.period_start(now()), now(), safecell.stopped(w.level, w.key),
               t.warn_ppm, t.degrade_ppm, t.stop_ppm
        FROM (VALUES ('org', 'team'), ('user', session_user::text)) AS w (level, key)
        LEFT JOIN safecell.scopes s ON s.level = w.level AND s.key = w.key
        CROSS JOIN safecell.thresholds t
        ORDER BY w.level $$)sql",

    "REVOKE ALL ON FUNCTION safecell.set_thresholds(bigint, bigint, bigint) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.clear_breaches() FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.cap(bigint) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.stopped(text, text) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.refusal(text, bigint) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.note_alerts(text) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.watch_entry() FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.status() FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION safecell.set_thresholds(bigint, bigint, bigint) TO safecell_admin",
    "GRANT EXECUTE ON FUNCTION safecell.clear_breaches() TO safecell_admin",
    "GRANT EXECUTE ON FUNCTION safecell.status() TO safecell_analyst",
    // Which alerts are this period's: the server's month, not a desktop's.
    "GRANT EXECUTE ON FUNCTION safecell.period_start(timestamptz) TO safecell_analyst",
};

// Version 5's settle, except that the first late settle of a hold charged
// on lapse sets that charge to the actual cost, up as well as down (spend
// that happened is never hidden; more than was held is a breach, as on the
// desktop's ledger), and takes the settle's key, so a retry finds it
// settled and changes nothing.
QString settleReplacingTheLapseCharge()
{
    const QString lowered = QStringLiteral("SET cost_nanos = least(e.cost_nanos, p_cost)\n"
                                           "                WHERE e.lapsed_hold = p_hold AND e.analyst = me");
    QString text = teamSettleAsOfVersion5();
    if (!text.contains(lowered))
        qFatal("team schema version 6: version 5's settle has changed; derive it again");
    return text.replace(lowered, QStringLiteral("SET cost_nanos = p_cost, idempotency_key = p_key\n"
                                                "                WHERE e.lapsed_hold = p_hold AND e.analyst = me\n"
                                                "                  AND e.idempotency_key = 'lapse:' || p_hold"));
}

} // namespace

QStringList teamSchemaVersion6()
{
    return statements(kVersion6) << settleReplacingTheLapseCharge();
}

} // namespace safecell
