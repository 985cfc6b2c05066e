#pragma once

#include "pipeline/RunOutcome.h"
#include "request/Language.h"

#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace safecell::cli {

// Exit codes outside a run (bad arguments, a ledger that will not open) are
// the run outcomes' own, so scripts test one table of codes.
inline const int kExitInvalid = exitCodeFor(RunOutcome::Invalid);
inline const int kExitUnavailable = exitCodeFor(RunOutcome::Unavailable);

void writeErr(const QString &text);

// Sets `parser` up from the table entry of `command` (CommandSpec.h) and
// parses `arguments`. Returns the exit code to end the command with when it
// must end here: 0 after printing the help, or kExitInvalid (with the
// command's usage on stderr) on an unknown option or a wrong number of
// positional arguments.
std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &arguments, QStringView command);

// The usage of `command` for an error message: "usage: safecell run FILE [...]".
QString commandUsage(QStringView command);

// A snippet file's language when --language does not say: .sql is SQL,
// anything else Python (the recipe's default).
Language languageForFile(const QString &path);

} // namespace safecell::cli
