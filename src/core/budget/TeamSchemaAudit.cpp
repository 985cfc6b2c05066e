#include "TeamSchemaParts.h"

namespace safecell {

namespace {

// Version 4: the team audit log, off unless the admin turns it on. Only
// then does a desktop send a run's code and output; the server refuses
// them while it is off, and analysts can write their own runs to it but
// read none: the admin reads everyone's.
const char *const kVersion4[] = {
    R"sql(CREATE TABLE safecell.options (
        name text PRIMARY KEY,
        value boolean NOT NULL))sql",
    "INSERT INTO safecell.options (name, value) VALUES ('audit', false)",
    R"sql(CREATE TABLE safecell.audit (
        id bigserial PRIMARY KEY,
        analyst text NOT NULL,
        run_id text NOT NULL,
        language text NOT NULL,
        code text NOT NULL,
        output text NOT NULL,
        outcome text NOT NULL,
        cost_nanos bigint NOT NULL CHECK (cost_nanos >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (analyst, run_id)))sql",
    "ALTER TABLE safecell.audit ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY all_audit ON safecell.audit FOR SELECT TO safecell_admin USING (true)",
    "GRANT SELECT ON safecell.audit TO safecell_admin",
    "GRANT SELECT ON safecell.options TO safecell_analyst",
    R"sql(CREATE FUNCTION safecell.set_audit(p_on boolean) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        UPDATE safecell.options SET value = p_on WHERE name = 'audit' $$)sql",
    // False, and nothing kept, while the audit log is off.
    R"sql(CREATE FUNCTION safecell.record_run(p_run_id text, p_language text, p_code text, p_output text,
                                               p_outcome text, p_cost bigint) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        BEGIN
            IF NOT coalesce((SELECT value FROM safecell.options WHERE name = 'audit'), false) THEN
                RETURN false;
            END IF;
            INSERT INTO safecell.audit (analyst, run_id, language, code, output, outcome, cost_nanos)
                VALUES (session_user, p_run_id, p_language, left(p_code, 50000), left(p_output, 65536),
                        p_outcome, greatest(p_cost, 0))
                ON CONFLICT (analyst, run_id) DO NOTHING;
            RETURN true;
        END $$)sql",
    "REVOKE ALL ON FUNCTION safecell.set_audit(boolean) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION safecell.record_run(text, text, text, text, text, bigint) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION safecell.set_audit(boolean) TO safecell_admin",
    "GRANT EXECUTE ON FUNCTION safecell.record_run(text, text, text, text, text, bigint) TO safecell_analyst",

    // A release that comes after its hold's expiry finds it charged in full,
    // and leaves that charge: parts of it may have been billed and their
    // settles lost on the way. (Version 1 deleted the expired row uncharged
    // when no one had charged it yet.)
    R"sql(CREATE OR REPLACE FUNCTION safecell.release(p_hold uuid) RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, safecell, pg_temp AS $$
        BEGIN
            PERFORM safecell.charge_lapsed();
            DELETE FROM safecell.holds h WHERE h.id = p_hold AND h.analyst = session_user;
            IF FOUND THEN
                PERFORM pg_notify('safecell_spend', session_user);
            END IF;
            RETURN FOUND;
        END $$)sql",
};

} // namespace

QStringList teamSchemaVersion4()
{
    return statements(kVersion4);
}

} // namespace safecell
