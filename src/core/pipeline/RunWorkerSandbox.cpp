#include "RunWorker.h"

#include "pipeline/SandboxBilling.h"
#include "sandbox/LocalSandbox.h"
#include "sandbox/e2b/E2bSandbox.h"

// The run worker's sandboxes: which one a run uses, made on first use, and
// what each one reports folded into the run's report.
namespace safecell {

Sandbox *RunWorker::sandbox()
{
    if (m_config.e2b && !m_config.e2b->apiKey.isEmpty()) {
        if (!m_e2b) {
            m_billing = std::make_unique<SandboxBilling>([this] { return budget(); }, m_config.e2bRates,
                                                         m_config.e2bSize, m_sessionKey,
                                                         BudgetScopes::forLocalUser(m_sessionKey));
            m_e2b = new E2bSandbox(m_network, *m_config.e2b, this);
            m_e2b->setMeter(m_billing.get());
            attach(m_e2b);
            connect(m_e2b, &E2bSandbox::warmSessionEnded, this, &RunWorker::onWarmSessionEnded);
        }
        return m_e2b;
    }
    if (!m_local) {
        m_local = new LocalSandbox(m_config.sandboxLimits, this);
        attach(m_local);
    }
    return m_local;
}

void RunWorker::attach(Sandbox *box)
{
    connect(box, &Sandbox::stdoutReceived, this, [this](const QString &text) {
        m_report.result.stdoutText += text;
        Q_EMIT stdoutReceived(text);
    });
    connect(box, &Sandbox::stderrReceived, this, [this](const QString &text) {
        m_report.result.stderrText += text;
        Q_EMIT stderrReceived(text);
    });
    connect(box, &Sandbox::resultReceived, this, [this](const RichResult &result) {
        m_report.richResults << result;
        if (result.isMainResult)
            m_report.result.result = result.text;
        Q_EMIT resultReceived(result);
    });
    connect(box, &Sandbox::variablesListed, this,
            [this](const VariableListing &listing) { m_report.variables = listing; });
    connect(box, &Sandbox::workFilesListed, this,
            [this](const WorkFileListing &listing) { m_report.workFiles = listing; });
    connect(box, &Sandbox::finished, this, &RunWorker::onExecutionFinished);
    connect(box, &Sandbox::dataPageReady, this, &RunWorker::dataPageReady);
}

} // namespace safecell
