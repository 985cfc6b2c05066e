#include "cli/CliMain.h"
#include "cli/LaunchPlan.h"
#include "gui/GuiMain.h"

int main(int argc, char **argv)
{
    using safecell::cli::LaunchPlan;
    const LaunchPlan plan = safecell::cli::planLaunch(safecell::cli::argumentsOf(argc, argv));
    switch (plan.kind) {
    case LaunchPlan::Kind::Command:
        return safecell::cli::cliMain(argc, argv);
    case LaunchPlan::Kind::Invalid:
        return safecell::cli::rejectCommandLine(plan.error);
    case LaunchPlan::Kind::Window:
        break;
    }
    return safecell::gui::guiMain(argc, argv, plan.files);
}
