#include "SandboxLabel.h"

#include "gui/HelpDialogs.h"
#include "gui/RunController.h"
#include "sandbox/SandboxCgroup.h"
#include "sandbox/SandboxLimits.h"

namespace safecell {

SandboxLabel::SandboxLabel(const RunController &runs, const Settings &settings, QWidget *parent)
    : QLabel(parent)
    , m_runs(runs)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("sandboxLabel"));
}

void SandboxLabel::refresh()
{
    const bool waiting = m_runs.hasPendingFreshSession() && m_runs.pendingSandbox() != m_runs.sandbox();
    QString text;
    QString tip;
    switch (m_runs.sandbox()) {
    case RunController::Sandbox::Unknown:
        text = tr("Sandbox: …");
        tip = tr("Reading the keys from the keychain");
        break;
    case RunController::Sandbox::Local: {
        // Which mechanism bounds the sandbox's memory and processes here.
        const SandboxLimits limits = SandboxLimits::fromSettings(m_settings);
        const MemoryBound bound = memoryBoundFor(limits);
        text = waiting ? tr("Sandbox: local, %1 (E2B after a restart)").arg(memoryBoundName(bound))
                       : tr("Sandbox: local, %1").arg(memoryBoundName(bound));
        tip = tr("Code runs in the local sandbox (no E2B key in the keychain or E2B_API_KEY). %1")
                  .arg(memoryBoundDescription(bound, limits));
        break;
    }
    case RunController::Sandbox::E2b:
        text = waiting ? tr("Sandbox: E2B (local after a restart)") : tr("Sandbox: E2B");
        if (m_runs.sessionHasInternet())
            text += tr(" · internet on");
        tip = tr("Code runs in an E2B cloud sandbox, a paid step checked against the budget.\n%1\n\n%2")
                  .arg(m_runs.sessionHasInternet()
                           ? tr("Internet: ON for this session (Settings > Sandbox); it ends when SafeCell quits.")
                           : tr("Internet: off, as in the local sandbox (Settings > Sandbox allows it for one "
                                "session)."),
                       help::e2bDifferencesText());
        break;
    }
    if (const QString problem = m_runs.keychainProblem(); !problem.isEmpty()) {
        // Not "no key": the keys could not be read. Say so, and how to fix it.
        text += tr(" · keychain unreadable");
        tip = tr("%1\nUntil then, runs use only the keys set in the environment: without an E2B key the local "
                 "sandbox, without a Cohere key no LLM second opinion.\n\n%2")
                  .arg(problem, tip);
    }
    setText(text);
    setToolTip(tip);
}

} // namespace safecell
