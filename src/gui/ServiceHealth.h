#pragma once

#include "cohere/CodeAssistant.h"
#include "pipeline/RunReport.h"
#include "routing/CircuitBreaker.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;

namespace safecell {

// The health of one provider as the status bar shows it.
struct ProviderHealth {
    QString name;       // "Cohere", "E2B"
    QString state;      // "closed", "half-open", "open", "1 of 3 models open", "not used"
    bool healthy = true;
    QString lastError;  // empty: none seen this session
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
};

// Two status-bar labels, "Cohere: closed" and "E2B: closed", coloured when
// unhealthy, with the details and last error in their tooltips.
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
