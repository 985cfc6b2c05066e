#include "CommandSpec.h"

namespace safecell::cli {

namespace {

QString text(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

OptionSpec flag(const char *name, const char *description)
{
    return OptionSpec{text(name), QString(), QString(), text(description), QString()};
}

OptionSpec valued(const char *name, const char *valueName, const char *description, const char *defaultValue = "")
{
    return OptionSpec{text(name), QString(), text(valueName), text(description), text(defaultValue)};
}

QList<CommandSpec> makeCommandSpecs()
{
    const OptionSpec teamUrl = valued("url", "URL",
                                      "The team server, postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=MODE] "
                                      "(default: the setting team/url, or SAFECELL_TEAM_URL). The password comes "
                                      "from PGPASSWORD or ~/.pgpass, never from a file of SafeCell's.");
    const QString kTeamExitCodes = text("0 done, 2 invalid arguments or a database without the team schema, 3 the "
                                        "role may not do this, 6 the team server cannot be reached.");
    const OptionSpec language = valued("language", "python|sql",
                                       "The snippet's language (default: from the file name: "
                                       ".sql is SQL, anything else Python).");
    return {
        CommandSpec{text("run"),
                    text("FILE"),
                    text("The snippet to run (.py or .sql)."),
                    text("Run a snippet through SafeCell's safety check, budget and sandbox and print its output."),
                    text("0 it ran, 1 the code raised, 2 invalid input, 3 blocked, 4 timed out, 5 over budget, "
                         "6 a service is unavailable, 7 ambiguous code needs --allow-ambiguous, or the run needs "
                         "--upload-data."),
                    {language, valued("timeout-ms", "MS", "The run's time limit in milliseconds (default 30000)."),
                     flag("json", "Print the HTTP API's response body as JSON instead of the plain output."),
                     valued("save-figures", "DIR",
                            "Write the run's figures into DIR (made if missing) as FILE-1.png, FILE-2.png, ... "
                            "(and .svg when the sandbox sends one). A folder that cannot be written exits 2 "
                            "before the run; a figure that cannot be written exits 6."),
                     valued("report", "FILE",
                            "Write the run as one self-contained HTML page: the snippet, its output, figures and "
                            "tables, the verdict, the cost and the time. A path that cannot be written exits 2 "
                            "before the run."),
                     valued("data", "PATH",
                            "Share a file or folder with the snippet, read-only at /data/NAME (NAME: its file "
                            "name, made unique); give it once per path. A path that cannot be shared exits 2 "
                            "before the run. Local sandbox only."),
                     flag("allow-ambiguous", "Run a snippet the safety check finds ambiguous (never a dangerous one)."),
                     flag("allow-internet", "On E2B, let the snippet reach the internet for this run (off by default, "
                                            "as in the local sandbox, which never has a network)."),
                     flag("upload-data", "On E2B, upload the local files the run needs (the workspace database "
                                         "for SQL); without it such a run is not sent and says what it skipped.")}},
        CommandSpec{text("classify"),
                    text("FILE"),
                    text("The snippet to check (.py or .sql)."),
                    text("Print a snippet's safety verdict and findings without running it."),
                    text("0 safe, 2 invalid input, 3 dangerous, 7 ambiguous."),
                    {language, flag("json", "Print {label, confidence, findings} as JSON.")}},
        CommandSpec{text("budget"),
                    QString(),
                    QString(),
                    text("Print this month's spending, reservations and budget state, per scope."),
                    QString(),
                    {flag("json", "Print the budget as JSON (the body of GET /api/code).")}},
        CommandSpec{text("history"),
                    QString(),
                    QString(),
                    text("Print or export the run history, newest first."),
                    QString(),
                    {flag("json", "Export as JSON."), flag("csv", "Export as CSV (not with --json)."),
                     valued("limit", "N", "At most N runs.", "500"),
                     valued("outcome", "OUTCOME",
                            "Only runs with this outcome: ok, failed, invalid, blocked, "
                            "needs-confirmation, over-budget, unavailable, timed-out or cancelled."),
                     valued("search", "TEXT", "Only runs whose code or message contains TEXT.")}},
        CommandSpec{text("serve"),
                    QString(),
                    QString(),
                    text("Serve the HTTP API (POST and GET /api/code, DELETE /api/sessions/ID) on a loopback "
                         "address until interrupted. Every request needs the header \"Authorization: Bearer "
                         "TOKEN\" (see token). A POST without \"sessionId\" runs on a fresh, pre-started kernel "
                         "no other request has used; with one, on that session's kernel (or E2B sandbox), whose "
                         "variables survive until DELETE or the idle timeout."),
                    QString(),
                    {valued("port", "PORT", "The port (default from the settings, 8765; 0 picks a free one)."),
                     valued("address", "ADDRESS", "A loopback address to listen on.", "127.0.0.1"),
                     valued("max-runs", "N", "Runs at once (sessions' too) before requests get 429.", "4"),
                     valued("warm", "N", "Kernels kept started for requests without a session (at most --max-runs).",
                            "2"),
                     valued("max-sessions", "N", "Sessions alive at once before a new one gets 429.", "8"),
                     valued("session-idle-s", "S", "Seconds without a run after which a session ends.", "600")}},
        CommandSpec{text("team init"),
                    QString(),
                    QString(),
                    text("Create or update a team's shared ledger on PostgreSQL: the schema (versioned migrations) "
                         "and the roles safecell_analyst and safecell_admin. Run it as the database's owner."),
                    kTeamExitCodes,
                    {teamUrl}},
        CommandSpec{text("team grant"),
                    text("ROLE"),
                    text("A PostgreSQL login role (one per analyst)."),
                    text("Let ROLE reserve and settle on the team ledger and read the team's figures and its own "
                         "runs; with --admin, also set limits and read every analyst's runs."),
                    kTeamExitCodes,
                    {teamUrl, flag("admin", "Grant the admin role.")}},
        CommandSpec{text("team set-limit"),
                    text("[USD]"),
                    text("The limit of the analyst named by --user, in dollars, or \"none\"."),
                    text("Set the team's monthly limits (calendar months in UTC): the org's with --org, one "
                         "analyst's with --user NAME USD; and the thresholds every desktop judges them by, "
                         "--warn, --degrade and --stop together. Admin only."),
                    kTeamExitCodes,
                    {teamUrl, valued("org", "USD", "The whole team's limit in dollars, or \"none\"."),
                     valued("user", "NAME", "The analyst (login role) whose limit USD is."),
                     valued("warn", "PERCENT", "Warned at this share of a limit (default 75)."),
                     valued("degrade", "PERCENT", "Degraded (the cheaper model) at this share (default 90)."),
                     valued("stop", "PERCENT",
                            "Stopped at this share: no paid step takes a scope past it "
                            "(default 100).")}},
        CommandSpec{text("team status"),
                    QString(),
                    QString(),
                    text("Print the team's and your own spend, holds and limits this month, from the server."),
                    kTeamExitCodes,
                    {teamUrl, flag("json", "Print the figures as JSON.")}},
        CommandSpec{text("team report"),
                    QString(),
                    QString(),
                    text("Print a month's spend by analyst, kind and model or sandbox. Analysts see their own "
                         "rows; the admin sees everyone's."),
                    kTeamExitCodes,
                    {teamUrl, valued("month", "YYYY-MM", "The month (UTC; default: this one)."),
                     flag("json", "Print the report as JSON."), flag("csv", "Print the report as CSV.")}},
        CommandSpec{text("team audit"),
                    text("[on|off]"),
                    text("Switch the audit log on or off (admin only); without it, say whether it is on."),
                    text("The team audit log, off by default: while it is on, each desktop sends every run's "
                         "code, output, outcome and cost to the team server, where only the admin reads them. "
                         "While it is off, code and output never leave the desktop."),
                    kTeamExitCodes,
                    {teamUrl}},
        CommandSpec{text("team resume"),
                    QString(),
                    QString(),
                    text("After a settle above its hold (spend nothing covered) stopped the team's scopes for the "
                         "month, let the team spend again, within its limits; the breaches stay on record. "
                         "Admin only."),
                    kTeamExitCodes,
                    {teamUrl}},
        CommandSpec{text("token"),
                    QString(),
                    QString(),
                    text("Print the HTTP API's bearer token, creating it in the keychain on first use."),
                    QString(),
                    {}},
    };
}

} // namespace

const QList<CommandSpec> &commandSpecs()
{
    static const QList<CommandSpec> specs = makeCommandSpecs();
    return specs;
}

const CommandSpec *findCommandSpec(QStringView name)
{
    for (const CommandSpec &spec : commandSpecs()) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

bool isCommandWord(QStringView word)
{
    for (const CommandSpec &spec : commandSpecs()) {
        if (QStringView(spec.name.section(QLatin1Char(' '), 0, 0)) == word)
            return true;
    }
    return false;
}

const OptionSpec &helpOptionSpec()
{
    static const OptionSpec help{text("help"), text("h"), QString(), text("Print the command's help."), QString()};
    return help;
}

const QList<OptionSpec> &programOptionSpecs()
{
    static const QList<OptionSpec> options{
        OptionSpec{text("version"), text("v"), QString(), text("Print the version."), QString()},
        OptionSpec{text("help"), text("h"), QString(), text("Print this help; COMMAND --help describes a command."),
                   QString()},
    };
    return options;
}

} // namespace safecell::cli
