#pragma once

namespace safecell::gui {

// Opens the main window; returns the process exit code. Without a display
// it says so and points at the headless command instead.
int guiMain(int argc, char **argv);

} // namespace safecell::gui
