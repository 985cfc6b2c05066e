#pragma once

namespace safecell::cli {

// Runs the command-line action that argv[1] names (a command of the table
// in CommandSpec.h, --version or --help; planLaunch() said so); returns the
// process exit code.
int cliMain(int argc, char **argv);

} // namespace safecell::cli
