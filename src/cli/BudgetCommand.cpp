#include "BudgetCommand.h"

#include "CommandLine.h"

#include "budget/BudgetController.h"
#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"
#include "settings/Settings.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QTextStream>

namespace safecell::cli {

namespace {

QString limitText(const std::optional<Money> &money)
{
    return money ? money->toString() : QStringLiteral("no limit");
}

// Spend charged for holds that lapsed unsettled, named as such.
QString lapseText(Money chargedOnLapse)
{
    return chargedOnLapse.nanos() > 0 ? QStringLiteral(" (%1 charged on lapse)").arg(chargedOnLapse.toString())
                                      : QString();
}

QString localTime(const QDateTime &utc)
{
    return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

void printText(QTextStream &out, const BudgetSnapshot &s)
{
    out << "Budget: " << budgetStateName(s.state) << '\n';
    out << "Period: " << localTime(s.periodStart) << " to " << localTime(s.periodEnd) << " (local time)\n";
    out << "Spent: " << s.spent.toString() << lapseText(s.chargedOnLapse) << "  reserved: " << s.reserved.toString()
        << "  remaining: " << limitText(s.remaining) << "  limit: " << limitText(s.limit) << '\n';
    for (const ScopeSnapshot &scope : s.scopes) {
        out << "  " << scopeLevelName(scope.level) << ' ' << scope.key << ": " << budgetStateName(scope.state)
            << ", spent " << scope.spent.toString() << lapseText(scope.chargedOnLapse) << ", reserved "
            << scope.reserved.toString() << ", limit " << limitText(scope.limit) << '\n';
    }
    if (s.chargedOnLapse.nanos() > 0)
        out << "Charged on lapse: held by a SafeCell that ended without settling; the provider may have billed it.\n";
}

} // namespace

int budgetCommand(const QStringList &arguments)
{
    QCommandLineParser parser; // its options are the table's (CommandSpec.cpp)
    if (const auto done = parseArguments(parser, arguments, u"budget"))
        return *done;
    const QString jsonOption = QStringLiteral("json");

    const QString path = defaultLedgerPath();
    auto ledger = SpendLedger::open(path);
    if (!ledger) {
        QTextStream(stderr) << ledger.error().message << '\n';
        return kExitUnavailable;
    }
    const Settings settings;
    BudgetController budget(**ledger, BudgetPolicy::fromSettings(settings));
    const auto snapshot = budget.snapshot(BudgetScopes::forLocalUser());
    if (!snapshot) {
        QTextStream(stderr) << snapshot.error().message << '\n';
        return kExitUnavailable;
    }
    QTextStream out(stdout);
    if (parser.isSet(jsonOption))
        out << QJsonDocument(snapshot->toJson()).toJson(QJsonDocument::Indented);
    else
        printText(out, *snapshot);
    return 0;
}

} // namespace safecell::cli
