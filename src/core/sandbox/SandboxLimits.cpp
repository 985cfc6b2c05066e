#include "SandboxLimits.h"

#include "settings/Settings.h"

namespace safecell {

SandboxLimits SandboxLimits::fromSettings(const Settings &settings)
{
    SandboxLimits limits;
    limits.memoryLimitMb = settings.integer(Setting::SandboxMemoryLimitMb);
    limits.cpuSeconds = settings.integer(Setting::SandboxCpuSeconds);
    limits.maxProcesses = settings.integer(Setting::SandboxMaxProcesses);
    limits.maxOpenFiles = settings.integer(Setting::SandboxMaxOpenFiles);
    limits.maxFileSizeMb = settings.integer(Setting::SandboxMaxFileSizeMb);
    limits.outputCapBytes = settings.integer(Setting::SandboxOutputCapBytes);
    limits.tmpSizeMb = settings.integer(Setting::SandboxTmpSizeMb);
    limits.shmSizeMb = settings.integer(Setting::SandboxShmSizeMb);
    limits.workSizeMb = settings.integer(Setting::SandboxWorkSizeMb);
    limits.dataFolder = settings.string(Setting::SandboxDataFolder);
    limits.python = settings.string(Setting::SandboxPython);
    limits.workspaceDatabase = settings.string(Setting::SandboxWorkspaceDatabase);
    return limits;
}

} // namespace safecell
