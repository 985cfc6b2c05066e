#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace safecell::cli {

// One option, as its parser accepts it and as `--help` and the man page
// describe it.
struct OptionSpec {
    QString name;         // without dashes: "timeout-ms"
    QString shortName;    // one letter ("v"), empty when none
    QString valueName;    // empty for a flag, else what the value is: "MS"
    QString description;  // one sentence
    QString defaultValue; // the parser's default, shown as "(default: X)"; empty for none
};

// One command of `safecell COMMAND`. The table of commands is the single
// source of each command's parser, of `safecell --help` and of the man
// page (safecell_manpage generates it at build time), so none can drift.
struct CommandSpec {
    QString name;         // "run"
    QString argument;     // the positional argument ("FILE"), empty when none
    QString argumentHelp; // what that argument is
    QString summary;      // what the command does
    QString exitCodes;    // the command's own exit codes, empty when only the common ones
    QList<OptionSpec> options;
};

// Every command, in the order the help and the man page list them.
const QList<CommandSpec> &commandSpecs();

// The command called `name`, or nullptr.
const CommandSpec *findCommandSpec(QStringView name);
// Whether `word` starts a command: "run", or "team" of "team init".
bool isCommandWord(QStringView word);

// The option every command takes besides its own: -h, --help.
const OptionSpec &helpOptionSpec();

// The program's own options, used instead of a command: --version, --help.
const QList<OptionSpec> &programOptionSpecs();

} // namespace safecell::cli
