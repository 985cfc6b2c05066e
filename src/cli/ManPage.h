#pragma once

#include "common/Expected.h"

#include <QString>

namespace safecell::cli {

// The man page's generated parts, in roff, from the table of commands
// (CommandSpec.h): the synopsis, a subsection per command with each of its
// options, and the program's own options.
QString manSynopsis();
QString manCommands();
QString manOptions();

// `manTemplate` (installer/linux/safecell.1.in) with each marker line
// (`.\" safecell_manpage: synopsis`, `... commands`, `... options`)
// replaced by its part; the error names a marker the template lacks.
Expected<QString, QString> fillManPage(const QString &manTemplate);

} // namespace safecell::cli
