#pragma once

namespace safecell::cli {

// True when argv names a command-line action (`run`, `--version`, ...),
// which needs no window and no display.
bool isCliInvocation(int argc, char **argv);

// Runs the command-line action; returns the process exit code.
int cliMain(int argc, char **argv);

} // namespace safecell::cli
