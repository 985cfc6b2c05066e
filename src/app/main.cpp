#include "cli/CliMain.h"
#include "gui/GuiMain.h"

int main(int argc, char **argv)
{
    if (safecell::cli::isCliInvocation(argc, argv))
        return safecell::cli::cliMain(argc, argv);
    return safecell::gui::guiMain(argc, argv);
}
