#pragma once

#include "llm/CodeAssistant.h"
#include "pipeline/RunReport.h"
#include "routing/CircuitBreaker.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class QLabel;

namespace safecell {

// The health of one provider as the status bar shows it.
struct ProviderHealth {
    QString name;          // "Cohere", "E2B"
    QString state;         // in plain words: "ready", "unavailable until 14:05", "no key", "not used"
    bool healthy = true;   // false: unavailable (red)
    bool degraded = false; // some models paused, or trying again (amber)
    bool relevant = true;  // false: not used at all (E2B without a key), so not shown
    QString lastError;     // empty: none seen this session
    QDateTime lastErrorAt;
    QStringList details; // per model breaker, for the tooltip
};

// Per provider: Cohere's circuit breakers (the process-wide ones, one per
// model) and E2B's, each with the last error seen this session (runs that
// ended Unavailable, Ask/Explain failures). Breakers are re-read on a slow
// timer: they change on worker threads.
class ServiceHealth : public QObject {
    Q_OBJECT
public:
    ServiceHealth(std::shared_ptr<CircuitBreakers> breakers, std::shared_ptr<CircuitBreaker> e2bBreaker,
                  QStringList cohereModels, QObject *parent = nullptr);

    ProviderHealth cohere() const;
    ProviderHealth e2b() const;

    void setE2bInUse(bool inUse);
    // Whether a Cohere key is known (keychain or COHERE_API_KEY); until
    // told, Cohere's state is not claimed.
    void setCohereKey(bool present);
    void noteRun(const RunReport &report, bool e2bInUse);
    void noteAssistant(const CodeAssistantResult &result);

Q_SIGNALS:
    void changed();

private:
    std::shared_ptr<CircuitBreakers> m_breakers;
    std::shared_ptr<CircuitBreaker> m_e2bBreaker;
    QStringList m_models;
    QTimer m_poll;
    QString m_cohereError;
    QDateTime m_cohereErrorAt;
    QString m_e2bError;
    QDateTime m_e2bErrorAt;
    bool m_e2bInUse = false;
    std::optional<bool> m_cohereKey;
};

// Status-bar labels, "Cohere: ready" and (when E2B is used) "E2B: ready",
// coloured when unhealthy, with the details and last error in their
// tooltips.
class ServiceHealthView : public QWidget {
    Q_OBJECT
public:
    explicit ServiceHealthView(ServiceHealth *health, QWidget *parent = nullptr);
    QLabel *cohereLabel() const { return m_cohere; }
    QLabel *e2bLabel() const { return m_e2b; }

private:
    void update();
    void show(QLabel *label, const ProviderHealth &health);

    ServiceHealth *m_health;
    QLabel *m_cohere;
    QLabel *m_e2b;
};

} // namespace safecell
