#pragma once

#include <QStringList>

namespace safecell::gui {

// Opens the main window, with each of `files` in a tab of its own; returns
// the process exit code. Without a display it says so and points at the
// headless command instead.
int guiMain(int argc, char **argv, const QStringList &files = {});

} // namespace safecell::gui
