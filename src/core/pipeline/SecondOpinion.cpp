#include "SecondOpinion.h"

#include "common/Logging.h"

namespace safecell {

SecondOpinion::SecondOpinion(LlmServicesConfig config, QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_nam(nam)
{
}

SecondOpinion::~SecondOpinion()
{
    if (m_classifier)
        m_classifier->cancel();
}

void SecondOpinion::request(const QString &code, Language language, const BudgetScopes &scopes, const QString &runId)
{
    m_busy = true;
    const quint64 generation = ++m_generation;
    // The key was read before the run started (RunWorkerConfig): no key is
    // ever read on a run's thread. Without one there is no second opinion.
    if (!m_config.apiKey)
        m_config.apiKey = QString();
    lookupCohereKey(m_config, nullptr, this,
                    [this, generation, code, language, scopes, runId](const QString &key, const QString &why) {
        if (generation == m_generation && m_busy)
            onKey(key, why, code, language, scopes, runId);
    });
}

void SecondOpinion::onKey(const QString &key, const QString &why, const QString &code, Language language,
                          const BudgetScopes &scopes, const QString &runId)
{
    SecondOpinionResult result;
    if (key.isEmpty()) {
        result.note = QStringLiteral("No LLM second opinion: %1.").arg(why);
        end(result);
        return;
    }
    if (!m_services) {
        auto services = LlmServices::create(m_nam, m_config);
        if (!services) {
            result.note = QStringLiteral("No LLM second opinion: %1.").arg(services.error());
            end(result);
            return;
        }
        m_services = std::move(services.value());
    }
    const auto state = m_services->budgetState(scopes);
    if (!state) {
        result.note = QStringLiteral("No LLM second opinion: the budget cannot be read (%1).").arg(state.error());
        end(result);
        return;
    }
    if (*state == BudgetState::Degraded || *state == BudgetState::Stopped) {
        result.note = QStringLiteral("No LLM second opinion: the budget is %1, so the LLM classifier is skipped.")
                          .arg(budgetStateName(*state));
        end(result);
        return;
    }
    auto *classifier = new safety::LlmClassifier(*m_services, this);
    m_classifier = classifier;
    connect(classifier, &safety::LlmClassifier::finished, this,
            [this, classifier](const safety::LlmClassification &llm) {
        classifier->deleteLater();
        SecondOpinionResult r;
        r.llm = llm;
        switch (llm.status) {
        case PaidChatOutcome::Status::Ok:
            r.kind = SecondOpinionResult::Kind::Answered;
            if (!llm.label.valid)
                r.note = QStringLiteral("The LLM classifier's answer was unusable (%1).").arg(llm.label.reason);
            break;
        case PaidChatOutcome::Status::Cancelled:
            r.kind = SecondOpinionResult::Kind::Cancelled;
            r.note = QStringLiteral("Cancelled during the LLM classification.");
            break;
        case PaidChatOutcome::Status::NotRouted:
            r.note = QStringLiteral("No LLM second opinion: no model is available (%1).").arg(llm.message);
            break;
        default:
            r.note = QStringLiteral("No LLM second opinion: %1").arg(llm.message);
            break;
        }
        end(r);
    });
    classifier->classify(code, language, key, scopes, runId);
}

void SecondOpinion::cancel()
{
    if (!m_busy)
        return;
    if (m_classifier) {
        m_classifier->cancel(); // ends through the classifier's finished()
        return;
    }
    ++m_generation;
    SecondOpinionResult r;
    r.kind = SecondOpinionResult::Kind::Cancelled;
    r.note = QStringLiteral("Cancelled during the LLM classification.");
    end(r);
}

void SecondOpinion::end(SecondOpinionResult result)
{
    m_busy = false;
    m_classifier = nullptr;
    if (result.kind != SecondOpinionResult::Kind::Answered)
        qCInfo(lcSafety).noquote() << result.note;
    Q_EMIT decided(result);
}

} // namespace safecell
