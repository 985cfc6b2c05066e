#pragma once

#include "CommandSpec.h"

class QCommandLineParser;

namespace safecell::cli {

// The option's description with its default: "At most N runs (default: 500).".
QString optionDescription(const OptionSpec &option);

// "run FILE [--language python|sql] [--timeout-ms MS] [--json] [--allow-ambiguous]"
QString commandSynopsis(const CommandSpec &command);

// What `safecell --help` prints (and a wrong command line on stderr):
// the window's use, every command with its options, the program's options.
QString programUsage();

// Gives `parser` the command's options, its positional argument and
// -h/--help: the parser accepts exactly what the table says.
void setUpParser(QCommandLineParser &parser, const CommandSpec &command);

} // namespace safecell::cli
