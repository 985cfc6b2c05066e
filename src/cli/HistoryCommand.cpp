#include "HistoryCommand.h"

#include "CommandLine.h"

#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"
#include "pipeline/RunHistory.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>

namespace safecell::cli {

int historyCommand(const QStringList &arguments)
{
    // The options are the table's (CommandSpec.cpp).
    const QString jsonOption = QStringLiteral("json");
    const QString csvOption = QStringLiteral("csv");
    const QString limitOption = QStringLiteral("limit");
    const QString outcomeOption = QStringLiteral("outcome");
    const QString searchOption = QStringLiteral("search");
    QCommandLineParser parser;
    if (const auto done = parseArguments(parser, arguments, u"history"))
        return *done;
    if (parser.isSet(jsonOption) && parser.isSet(csvOption)) {
        writeErr(QStringLiteral("history: --json and --csv cannot go together\n") + commandUsage(u"history")
                 + QLatin1Char('\n'));
        return kExitInvalid;
    }
    bool limitOk = false;
    HistoryFilter filter;
    filter.limit = parser.value(limitOption).toInt(&limitOk);
    if (!limitOk || filter.limit < 1) {
        QTextStream(stderr) << "history: --limit must be a positive whole number\n";
        return kExitInvalid;
    }
    filter.outcome = parser.value(outcomeOption);
    filter.text = parser.value(searchOption);

    auto ledger = SpendLedger::open(defaultLedgerPath());
    if (!ledger) {
        QTextStream(stderr) << ledger.error().message << '\n';
        return kExitUnavailable;
    }
    RunHistory history(**ledger);
    const auto runs = history.list(filter);
    if (!runs) {
        QTextStream(stderr) << runs.error().message << '\n';
        return kExitUnavailable;
    }
    QFile out;
    if (!out.open(stdout, QIODevice::WriteOnly))
        return kExitUnavailable;
    if (parser.isSet(jsonOption)) {
        out.write(QJsonDocument(RunHistory::toJson(*runs)).toJson(QJsonDocument::Indented));
    } else if (parser.isSet(csvOption)) {
        out.write(RunHistory::toCsv(*runs));
    } else {
        for (const RunRecord &r : *runs) {
            // What left the machine, after the columns every run has.
            QString sent;
            if (r.internet)
                sent += QStringLiteral("  internet on");
            if (!r.uploadedFiles.isEmpty())
                sent += QStringLiteral("  uploaded: ") + r.uploadedFiles.join(QStringLiteral(", "));
            out.write(QStringLiteral("%1  %2  %3  %4  %5  %6%7\n")
                          .arg(r.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                               r.outcome.leftJustified(18), r.language.leftJustified(6), r.sandbox.leftJustified(5),
                               (r.llmCost + r.sandboxCost).toString(), r.runId, sent)
                          .toUtf8());
        }
    }
    return 0;
}

} // namespace safecell::cli
