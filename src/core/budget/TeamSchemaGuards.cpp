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
                       WHERE b.period_start = safecell.period_start(now())
                         AND (p_level = 'org' OR b.analyst = p_key)) $$)sql",

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
    // alerts see the entry counted. A charge on lapse costs what was held,
    // and a late settle only lowers it: neither is a breach.
    R"sql(CREATE FUNCTION safecell.watch_entry() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        BEGIN
            IF NEW.lapsed_hold IS NULL AND NEW.cost_nanos > NEW.reserved_nanos THEN
                INSERT INTO safecell.breaches (analyst, idempotency_key, run_id, step, held_nanos, settled_nanos,
                                               period_start)
                    VALUES (NEW.analyst, NEW.idempotency_key, NEW.run_id, NEW.step, NEW.reserved_nanos,
                            NEW.cost_nanos, safecell.period_start(NEW.created_at))
                    ON CONFLICT DO NOTHING;
            END IF;
            PERFORM safecell.note_alerts(NEW.analyst);
            RETURN NULL;
        END $$)sql",
    R"sql(CREATE TRIGGER entries_totals_watch AFTER INSERT ON safecell.entries
        FOR EACH ROW EXECUTE FUNCTION safecell.watch_entry())sql",

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
    "REVOKE ALL ON FUNCTION safecell.cap(bigint) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.stopped(text, text) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.note_alerts(text) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.watch_entry() FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.status() FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION safecell.set_thresholds(bigint, bigint, bigint) TO safecell_admin",
    "GRANT EXECUTE ON FUNCTION safecell.status() TO safecell_analyst",
    // Which alerts are this period's: the server's month, not a desktop's.
    "GRANT EXECUTE ON FUNCTION safecell.period_start(timestamptz) TO safecell_analyst",
};

QString replacedOnceAtLeast(QString text, const QString &from, const QString &to)
{
    Q_ASSERT_X(text.contains(from), "teamSchemaVersion6", qPrintable(from));
    return text.replace(from, to);
}

// reserve and adjust as version 5 left them, checking each scope against
// its cap, with a stopped scope counted as used up to it.
QString guarded(const char *function)
{
    QString text = teamFunctionAsOfVersion5(function);
    text = replacedOnceAtLeast(text, QStringLiteral("scope_used bigint;"),
                               QStringLiteral("scope_used bigint;\n            scope_cap bigint;"));
    text = replacedOnceAtLeast(text, QStringLiteral("scope_used := safecell.used(scope.level, scope.key);"),
                               QStringLiteral("scope_used := safecell.used(scope.level, scope.key);\n"
                                              "scope_cap := safecell.cap(scope.limit_nanos);\n"
                                              "IF safecell.stopped(scope.level, scope.key) THEN\n"
                                              "    scope_used := greatest(scope_used, scope_cap);\n"
                                              "END IF;"));
    text = replacedOnceAtLeast(text, QStringLiteral("> scope.limit_nanos THEN"), QStringLiteral("> scope_cap THEN"));
    return replacedOnceAtLeast(text, QStringLiteral("scope.limit_nanos;"), QStringLiteral("scope_cap;"));
}

} // namespace

QStringList teamSchemaVersion6()
{
    return statements(kVersion6) << guarded("reserve") << guarded("adjust");
}

} // namespace safecell
