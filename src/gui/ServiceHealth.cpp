#include "ServiceHealth.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

namespace safecell {

namespace {

constexpr int kPollMs = 2000;

QString when(const QDateTime &at)
{
    return QLocale().toString(at.toLocalTime().time(), QLocale::ShortFormat);
}

// "14:05": the clock time `ms` from now (rounded up to the minute, so
// "until 14:05" is never too early).
QString untilText(qint64 ms)
{
    const QDateTime at = QDateTime::currentDateTime().addMSecs(std::max<qint64>(ms, 0) + 59'999);
    return QLocale().toString(QTime(at.time().hour(), at.time().minute()), QLocale::ShortFormat);
}

// "open, failures in a row: 5, retried in 42 s"
QString describe(const CircuitBreaker &breaker)
{
    const BreakerState state = breaker.state();
    QString text = state == BreakerState::Open       ? ServiceHealth::tr("paused after repeated failures")
                   : state == BreakerState::HalfOpen ? ServiceHealth::tr("trying again")
                                                     : ServiceHealth::tr("ready");
    if (breaker.consecutiveFailures() > 0)
        text += ServiceHealth::tr(", failures in a row: %1").arg(breaker.consecutiveFailures());
    if (state == BreakerState::Open)
        text += ServiceHealth::tr(", tried again in %1 s").arg((breaker.msUntilTrial() + 999) / 1000);
    return text;
}

} // namespace

ServiceHealth::ServiceHealth(std::shared_ptr<CircuitBreakers> breakers, std::shared_ptr<CircuitBreaker> e2bBreaker,
                             QStringList cohereModels, QObject *parent)
    : QObject(parent)
    , m_breakers(std::move(breakers))
    , m_e2bBreaker(std::move(e2bBreaker))
    , m_models(std::move(cohereModels))
{
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &ServiceHealth::changed);
    m_poll.start();
}

ProviderHealth ServiceHealth::cohere() const
{
    ProviderHealth health;
    health.name = tr("Cohere");
    int open = 0, halfOpen = 0;
    qint64 soonestTrialMs = -1;
    for (const QString &model : m_models) {
        CircuitBreaker &breaker = m_breakers->forModel(model);
        const BreakerState state = breaker.state();
        open += state == BreakerState::Open;
        halfOpen += state == BreakerState::HalfOpen;
        if (state == BreakerState::Open && (soonestTrialMs < 0 || breaker.msUntilTrial() < soonestTrialMs))
            soonestTrialMs = breaker.msUntilTrial();
        health.details << tr("%1: %2").arg(model, describe(breaker));
    }
    const int total = int(m_models.size());
    if (m_cohereKey && !*m_cohereKey) {
        health.state = tr("no key");
        health.details.prepend(tr("No Cohere key: Ask is off, and code the local rules are unsure of asks for your "
                                  "confirmation. Add a key in Settings (Ctrl+,)."));
    } else if (total > 0 && open == total) {
        health.state = tr("unavailable until %1").arg(untilText(soonestTrialMs));
    } else if (open > 0) {
        health
            .state = tr("ready (%1 of %2 models paused until %3)").arg(open).arg(total).arg(untilText(soonestTrialMs));
    } else if (halfOpen > 0) {
        health.state = tr("trying again");
    } else {
        health.state = m_cohereKey ? tr("ready") : tr("…");
    }
    const bool noKey = m_cohereKey && !*m_cohereKey;
    health.healthy = noKey || open < total || total == 0;
    health.degraded = !noKey && (open > 0 || halfOpen > 0);
    health.lastError = m_cohereError;
    health.lastErrorAt = m_cohereErrorAt;
    return health;
}

ProviderHealth ServiceHealth::e2b() const
{
    ProviderHealth health;
    health.name = tr("E2B");
    const BreakerState state = m_e2bBreaker->state();
    if (!m_e2bInUse)
        health.state = tr("not used");
    else if (state == BreakerState::Open)
        health.state = tr("unavailable until %1").arg(untilText(m_e2bBreaker->msUntilTrial()));
    else if (state == BreakerState::HalfOpen)
        health.state = tr("trying again");
    else
        health.state = tr("ready");
    health.healthy = !m_e2bInUse || state != BreakerState::Open;
    health.degraded = m_e2bInUse && state == BreakerState::HalfOpen;
    health.details << tr("Sandboxes: %1").arg(describe(*m_e2bBreaker));
    health.relevant = m_e2bInUse || !m_e2bError.isEmpty();
    health.lastError = m_e2bError;
    health.lastErrorAt = m_e2bErrorAt;
    return health;
}

void ServiceHealth::setCohereKey(bool present)
{
    m_cohereKey = present;
    Q_EMIT changed();
}

void ServiceHealth::setE2bInUse(bool inUse)
{
    m_e2bInUse = inUse;
    Q_EMIT changed();
}

void ServiceHealth::noteRun(const RunReport &report, bool e2bInUse)
{
    m_e2bInUse = e2bInUse;
    const bool onE2b = report.sandbox == QLatin1String("e2b") || (report.sandbox.isEmpty() && e2bInUse);
    if (report.outcome == RunOutcome::Unavailable && onE2b) {
        m_e2bError = report.message;
        m_e2bErrorAt = QDateTime::currentDateTimeUtc();
    }
    Q_EMIT changed();
}

void ServiceHealth::noteAssistant(const CodeAssistantResult &result)
{
    if (result.status == PaidChatOutcome::Status::Failed) {
        m_cohereError = result.message;
        m_cohereErrorAt = QDateTime::currentDateTimeUtc();
    }
    Q_EMIT changed();
}

ServiceHealthView::ServiceHealthView(ServiceHealth *health, QWidget *parent)
    : QWidget(parent)
    , m_health(health)
    , m_cohere(new QLabel(this))
    , m_e2b(new QLabel(this))
{
    setObjectName(QStringLiteral("serviceHealth"));
    m_cohere->setObjectName(QStringLiteral("cohereHealth"));
    m_e2b->setObjectName(QStringLiteral("e2bHealth"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    layout->addWidget(m_cohere);
    layout->addWidget(m_e2b);
    connect(health, &ServiceHealth::changed, this, &ServiceHealthView::update);
    update();
}

void ServiceHealthView::update()
{
    show(m_cohere, m_health->cohere());
    show(m_e2b, m_health->e2b());
}

void ServiceHealthView::show(QLabel *label, const ProviderHealth &health)
{
    const bool warn = health.degraded || !health.lastError.isEmpty();
    QString text = tr("%1: %2").arg(health.name, health.state);
    if (!health.lastError.isEmpty())
        text += tr(" (last error %1)").arg(when(health.lastErrorAt));
    if (label->text() != text)
        label->setText(text);
    label->setVisible(health.relevant);
    label->setStyleSheet(!health.healthy ? QStringLiteral("color: #b00020; font-weight: bold;")
                                         : (warn ? QStringLiteral("color: #8a5a00;") : QString()));
    QStringList tip{tr("%1 service health").arg(health.name)};
    tip << health.details;
    tip << (health.lastError.isEmpty() ? tr("No error this session.")
                                       : tr("Last error (%1): %2").arg(when(health.lastErrorAt), health.lastError));
    label->setToolTip(tip.join(QLatin1Char('\n')));
    label->setAccessibleName(text);
}

} // namespace safecell
