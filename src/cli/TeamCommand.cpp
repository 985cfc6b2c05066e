#include "TeamCommand.h"

#include "CommandLine.h"

#include "budget/TeamLedger.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <memory>

namespace safecell::cli {

namespace {

constexpr int kExitDenied = 3;

int exitCodeFor(const TeamError &error)
{
    switch (error.kind) {
    case TeamError::Kind::Unreachable:
        return kExitUnavailable;
    case TeamError::Kind::Denied:
        return kExitDenied;
    case TeamError::Kind::NotInitialised:
    case TeamError::Kind::Invalid:
        return kExitInvalid;
    case TeamError::Kind::Failed:
        break;
    }
    return kExitUnavailable;
}

int fail(const TeamError &error)
{
    writeErr(QStringLiteral("safecell team: %1\n").arg(error.message));
    return exitCodeFor(error);
}

int invalid(const QString &message)
{
    writeErr(QStringLiteral("safecell team: %1\n").arg(message));
    return kExitInvalid;
}

// --url, else the setting, else SAFECELL_TEAM_URL.
Expected<TeamServer, QString> serverFrom(const QCommandLineParser &parser)
{
    QString url = parser.value(QStringLiteral("url"));
    if (url.isEmpty())
        url = Settings().string(Setting::TeamServerUrl);
    if (url.isEmpty())
        url = qEnvironmentVariable("SAFECELL_TEAM_URL");
    if (url.isEmpty())
        return unexpected(QStringLiteral("no team server: give --url postgresql://USER@HOST/DATABASE, or set it in "
                                         "Settings > Team"));
    return TeamServer::fromUrl(url);
}

// The password Settings > Team stored, or PGPASSWORD (KeyId::TeamPassword's
// override); empty when neither: libpq may still find ~/.pgpass, or the
// server may not ask. A keychain that cannot be read is not an error here.
QString storedPassword()
{
    KeyStore keys;
    QString password;
    bool answered = false;
    QEventLoop loop;
    lookupKey(keys, KeyId::TeamPassword, &loop, [&](const KeyLookup &found) {
        password = found.value;
        answered = true;
        loop.quit();
    });
    if (!answered) // PGPASSWORD answers at once, before the loop runs
        loop.exec();
    return password;
}

// "12.50" or "none".
Expected<std::optional<Money>, QString> limitFrom(const QString &text)
{
    if (text.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return std::optional<Money>();
    const auto money = Money::fromDecimalUsd(text);
    if (!money)
        return unexpected(
            QStringLiteral("a limit is a dollar amount such as 50 or 12.50, or none; not '%1'").arg(text));
    return std::optional<Money>(*money);
}

QString limitText(const std::optional<Money> &limit)
{
    return limit ? limit->toString() : QStringLiteral("no limit");
}

QString utcText(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

int init(TeamLedger &ledger)
{
    const auto before = ledger.schemaVersion();
    if (!before)
        return fail(before.error());
    const auto after = ledger.migrate();
    if (!after)
        return fail(after.error());
    QTextStream out(stdout);
    if (*after == *before)
        out << "The team ledger on " << ledger.server().describe() << " is up to date (schema version " << *after
            << ").\n";
    else
        out << "The team ledger on " << ledger.server().describe() << " is at schema version " << *after << " (was "
            << *before << ").\n";
    out << "Next: one login role per analyst (createuser NAME), then `safecell team grant NAME` "
           "(--admin for the owner), and `safecell team set-limit --org USD`.\n";
    return 0;
}

int grant(TeamLedger &ledger, const QCommandLineParser &parser)
{
    const QString role = parser.positionalArguments().value(0);
    const bool admin = parser.isSet(QStringLiteral("admin"));
    if (const auto granted = ledger.grant(role, admin); !granted)
        return fail(granted.error());
    QTextStream(stdout) << role << " is now a team " << (admin ? "admin" : "analyst") << ".\n";
    return 0;
}

// `team audit [on|off]`: switches the audit log (admin), then says how it is.
int audit(TeamLedger &ledger, const QCommandLineParser &parser)
{
    const QString want = parser.positionalArguments().value(0);
    if (!want.isEmpty()) {
        if (want != QLatin1String("on") && want != QLatin1String("off"))
            return invalid(QStringLiteral("the audit log is switched on or off, not '%1'").arg(want));
        if (const auto set = ledger.setAudit(want == QLatin1String("on")); !set)
            return fail(set.error());
    }
    const auto on = ledger.auditEnabled();
    if (!on)
        return fail(on.error());
    QTextStream(stdout) << (*on ? "The team audit log is on: each desktop sends every run's code, output, outcome "
                                  "and cost to the team server, where the admin reads them.\n"
                                : "The team audit log is off: code and output stay on each desktop; the server "
                                  "holds amounts, models, sandboxes, times and run ids.\n");
    return 0;
}

QString percentText(qint64 ppm)
{
    return QString::number(double(ppm) / 10'000, 'g', 6) + QLatin1Char('%');
}

// The thresholds named by --warn, --degrade and --stop (percentages), the
// ones not named kept as the server has them; nullopt when none is named.
Expected<std::optional<BudgetThresholds>, QString> thresholdsFrom(TeamLedger &ledger, const QCommandLineParser &parser)
{
    const QStringList names{QStringLiteral("warn"), QStringLiteral("degrade"), QStringLiteral("stop")};
    if (std::none_of(names.begin(), names.end(), [&](const QString &name) { return parser.isSet(name); }))
        return std::optional<BudgetThresholds>();
    const auto current = ledger.status();
    if (!current)
        return unexpected(current.error().message);
    if (!current->thresholds)
        return unexpected(QStringLiteral("this team server keeps no thresholds yet: run `safecell team init` on it"));
    qint64 ppm[3] = {current->thresholds->warnPpm, current->thresholds->degradePpm, current->thresholds->stopPpm};
    for (int i = 0; i < 3; ++i) {
        if (!parser.isSet(names[i]))
            continue;
        bool ok = false;
        const double percent = parser.value(names[i]).toDouble(&ok);
        if (!ok || !std::isfinite(percent) || percent <= 0 || percent > 100'000)
            return unexpected(QStringLiteral("--%1 is a percentage of a limit, such as 80; not '%2'")
                                  .arg(names[i], parser.value(names[i])));
        ppm[i] = std::llround(percent * 10'000);
        if (ppm[i] <= 0)
            return unexpected(QStringLiteral("--%1 %2 rounds to 0: thresholds are kept in millionths of a limit")
                                  .arg(names[i], parser.value(names[i])));
    }
    if (!(ppm[0] <= ppm[1] && ppm[1] <= ppm[2]))
        return unexpected(QStringLiteral("the thresholds must rise: warn %1 <= degrade %2 <= stop %3")
                              .arg(percentText(ppm[0]), percentText(ppm[1]), percentText(ppm[2])));
    return std::optional<BudgetThresholds>(BudgetThresholds{ppm[0], ppm[1], ppm[2]});
}

int setLimit(TeamLedger &ledger, const QCommandLineParser &parser)
{
    const QString org = parser.value(QStringLiteral("org"));
    const QString user = parser.value(QStringLiteral("user"));
    const QString amount = parser.positionalArguments().value(0);
    const auto thresholds = thresholdsFrom(ledger, parser);
    if (!thresholds)
        return invalid(thresholds.error());
    if (org.isEmpty() && user.isEmpty() && !*thresholds)
        return invalid(QStringLiteral("say which limit: --org USD, --user NAME USD, or both (or --warn, --degrade, "
                                      "--stop PERCENT for the thresholds)"));
    if (!user.isEmpty() && amount.isEmpty())
        return invalid(QStringLiteral("--user %1 needs the limit after it: --user %1 USD").arg(user));
    if (user.isEmpty() && !amount.isEmpty())
        return invalid(QStringLiteral("a limit without --user: write --org %1 for the team's").arg(amount));
    // Everything checked before anything is written.
    std::optional<std::optional<Money>> orgLimit, userLimit;
    if (!org.isEmpty()) {
        const auto limit = limitFrom(org);
        if (!limit)
            return invalid(limit.error());
        orgLimit = *limit;
    }
    if (!user.isEmpty()) {
        const auto limit = limitFrom(amount);
        if (!limit)
            return invalid(limit.error());
        userLimit = *limit;
    }
    QTextStream out(stdout);
    // The thresholds first: the one write a server not yet migrated refuses.
    if (const auto &t = *thresholds) {
        if (const auto set = ledger.setThresholds(*t); !set)
            return fail(set.error());
        out << "Every desktop now warns at " << percentText(t->warnPpm) << " of a team limit, degrades at "
            << percentText(t->degradePpm) << " and stops at " << percentText(t->stopPpm) << ".\n";
    }
    if (orgLimit) {
        if (const auto set = ledger.setLimit(ScopeLevel::Org, {}, *orgLimit); !set)
            return fail(set.error());
        out << "The team's monthly limit is " << limitText(*orgLimit) << ".\n";
    }
    if (userLimit) {
        if (const auto set = ledger.setLimit(ScopeLevel::User, user, *userLimit); !set)
            return fail(set.error());
        out << user << "'s monthly limit is " << limitText(*userLimit) << ".\n";
    }
    return 0;
}

int resume(TeamLedger &ledger)
{
    const auto cleared = ledger.clearBreaches();
    if (!cleared)
        return fail(cleared.error());
    QTextStream(stdout) << (*cleared == 0 ? QStringLiteral("Nothing stopped the team this month.\n")
                                          : QStringLiteral("Cleared %1 breach(es): the team may spend again this "
                                                           "month, within its limits.\n")
                                                .arg(*cleared));
    return 0;
}

// What a scope may still take: nothing once stopped, else its cap (the
// stop threshold of its limit) less what it uses.
std::optional<Money> remainingOf(const TeamScopeStatus &scope, const std::optional<BudgetThresholds> &thresholds)
{
    if (!scope.limit)
        return std::nullopt;
    const Money cap = hardCap(*scope.limit, thresholds.value_or(BudgetThresholds{}));
    return !scope.stopped && scope.used < cap ? cap - scope.used : Money();
}

QJsonValue usdValue(const std::optional<Money> &money)
{
    return money ? QJsonValue(money->usd()) : QJsonValue();
}

int status(TeamLedger &ledger, const QCommandLineParser &parser)
{
    const auto status = ledger.status();
    if (!status)
        return fail(status.error());
    const auto alerts = ledger.alerts();
    if (!alerts)
        return fail(alerts.error());
    QTextStream out(stdout);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray scopes;
        for (const TeamScopeStatus &scope : status->scopes) {
            const std::optional<Money> remaining = remainingOf(scope, status->thresholds);
            scopes.append(QJsonObject{{QStringLiteral("level"), scopeLevelName(scope.level)},
                                      {QStringLiteral("key"), scope.key},
                                      {QStringLiteral("usedUsd"), scope.used.usd()},
                                      {QStringLiteral("heldUsd"), scope.held.usd()},
                                      {QStringLiteral("limitUsd"), usdValue(scope.limit)},
                                      {QStringLiteral("remainingUsd"), usdValue(remaining)},
                                      {QStringLiteral("stopped"), scope.stopped}});
        }
        QJsonArray fired;
        for (const TeamAlertRecord &alert : *alerts) {
            fired.append(QJsonObject{{QStringLiteral("level"), scopeLevelName(alert.level)},
                                     {QStringLiteral("key"), alert.key},
                                     {QStringLiteral("state"), budgetStateName(alert.state)},
                                     {QStringLiteral("usedUsd"), alert.used.usd()},
                                     {QStringLiteral("limitUsd"), alert.limit.usd()},
                                     {QStringLiteral("firedAt"), alert.firedAt.toString(Qt::ISODate)}});
        }
        const QJsonObject body{{QStringLiteral("server"), ledger.server().describe()},
                               {QStringLiteral("periodStart"), status->periodStart.toString(Qt::ISODate)},
                               {QStringLiteral("serverTime"), status->serverTime.toString(Qt::ISODate)},
                               {QStringLiteral("scopes"), scopes},
                               {QStringLiteral("thresholds"),
                                status->thresholds ? QJsonValue(
                                    QJsonObject{{QStringLiteral("warn"), double(status->thresholds->warnPpm) / 1e6},
                                                {QStringLiteral("degrade"),
                                                 double(status->thresholds->degradePpm) / 1e6},
                                                {QStringLiteral("stop"), double(status->thresholds->stopPpm) / 1e6}})
                                                   : QJsonValue()},
                               {QStringLiteral("alerts"), fired}};
        out << QJsonDocument(body).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << "Team server: " << ledger.server().describe() << '\n';
    out << "This month since " << utcText(status->periodStart) << "; server time " << utcText(status->serverTime)
        << '\n';
    for (const TeamScopeStatus &scope : status->scopes) {
        out << "  "
            << (scope.level == ScopeLevel::Org ? QStringLiteral("team") : QStringLiteral("you (%1)").arg(scope.key))
            << ": used " << scope.used.toString() << " (held " << scope.held.toString() << "), limit "
            << limitText(scope.limit);
        if (const auto remaining = remainingOf(scope, status->thresholds))
            out << ", remaining " << remaining->toString();
        if (scope.stopped)
            out << "; STOPPED for the month: a settle went above its hold (the admin may `safecell team resume`)";
        out << '\n';
    }
    if (const auto &t = status->thresholds) {
        out << "Thresholds: warn at " << percentText(t->warnPpm) << ", degrade at " << percentText(t->degradePpm)
            << ", stop at " << percentText(t->stopPpm) << " of a limit\n";
    }
    for (const TeamAlertRecord &alert : *alerts) {
        out << "  " << utcText(alert.firedAt) << ": "
            << (alert.level == ScopeLevel::Org ? QStringLiteral("team") : alert.key) << " reached "
            << budgetStateName(alert.state) << " (" << alert.used.toString() << " of " << alert.limit.toString()
            << ")\n";
    }
    return 0;
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    return QLatin1Char('"') + QString(text).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

int report(TeamLedger &ledger, const QCommandLineParser &parser)
{
    const bool json = parser.isSet(QStringLiteral("json"));
    const bool csv = parser.isSet(QStringLiteral("csv"));
    if (json && csv)
        return invalid(QStringLiteral("--json or --csv, not both"));
    QDate month = QDateTime::currentDateTimeUtc().date();
    if (const QString text = parser.value(QStringLiteral("month")); !text.isEmpty()) {
        month = QDate::fromString(text + QStringLiteral("-01"), QStringLiteral("yyyy-MM-dd"));
        if (!month.isValid())
            return invalid(QStringLiteral("--month is YYYY-MM, such as 2026-12; not '%1'").arg(text));
    }
    const auto rows = ledger.report(month);
    if (!rows)
        return fail(rows.error());
    QTextStream out(stdout);
    const QString monthText = month.toString(QStringLiteral("yyyy-MM"));
    if (json) {
        QJsonArray list;
        for (const TeamReportRow &row : *rows)
            list.append(QJsonObject{{QStringLiteral("analyst"), row.analyst},
                                    {QStringLiteral("kind"), chargeKindName(row.kind)},
                                    {QStringLiteral("resource"), row.resource},
                                    {QStringLiteral("steps"), row.steps},
                                    {QStringLiteral("costUsd"), row.cost.usd()}});
        out << QJsonDocument(QJsonObject{{QStringLiteral("month"), monthText}, {QStringLiteral("rows"), list}})
                   .toJson(QJsonDocument::Indented);
        return 0;
    }
    if (csv) {
        out << "month,analyst,kind,resource,steps,cost_usd\n";
        for (const TeamReportRow &row : *rows)
            out << monthText << ',' << csvField(row.analyst) << ',' << chargeKindName(row.kind) << ','
                << csvField(row.resource) << ',' << row.steps << ','
                << QString::number(row.cost.nanos() / double(Money::kNanosPerUsd), 'f', 9) << '\n';
        return 0;
    }
    out << "Spend in " << monthText << " (UTC) on " << ledger.server().describe() << '\n';
    if (rows->isEmpty()) {
        out << "  nothing\n";
        return 0;
    }
    Money total;
    for (const TeamReportRow &row : *rows) {
        out << "  " << row.analyst.leftJustified(16) << ' ' << chargeKindName(row.kind).leftJustified(8) << ' '
            << row.resource.leftJustified(24) << ' ' << QString::number(row.steps).rightJustified(7) << " steps  "
            << row.cost.toString() << '\n';
        total += row.cost;
    }
    out << "  total " << total.toString() << '\n';
    return 0;
}

} // namespace

int teamCommand(const QStringList &arguments)
{
    const QString action = arguments.value(1);
    const QStringList actions{QStringLiteral("init"),   QStringLiteral("grant"),  QStringLiteral("set-limit"),
                              QStringLiteral("status"), QStringLiteral("report"), QStringLiteral("audit"),
                              QStringLiteral("resume")};
    if (!actions.contains(action))
        return invalid(QStringLiteral("say what to do: safecell team %1 ...").arg(actions.join(QLatin1Char('|'))));
    QStringList rest = arguments;
    rest.removeAt(1);
    const QString command = QStringLiteral("team ") + action;
    QCommandLineParser parser; // its options are the table's (CommandSpec.cpp)
    if (const auto done = parseArguments(parser, rest, command))
        return *done;
    auto server = serverFrom(parser);
    if (!server)
        return invalid(server.error());
    if (server->password.isEmpty())
        server->password = storedPassword();
    auto ledger = TeamLedger::open(*server);
    if (!ledger)
        return fail(ledger.error());
    TeamLedger &team = **ledger;
    if (action == QLatin1String("init"))
        return init(team);
    if (action == QLatin1String("grant"))
        return grant(team, parser);
    if (action == QLatin1String("set-limit"))
        return setLimit(team, parser);
    if (action == QLatin1String("status"))
        return status(team, parser);
    if (action == QLatin1String("audit"))
        return audit(team, parser);
    if (action == QLatin1String("resume"))
        return resume(team);
    return report(team, parser);
}

} // namespace safecell::cli
