#include "E2bLifetime.h"

#include "common/Logging.h"
#include "sandbox/e2b/E2bTransport.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace safecell {

E2bLifetime::E2bLifetime(E2bTransport *lifecycle, QObject *parent)
    : QObject(parent)
    , m_lifecycle(lifecycle)
{
}

E2bLifetime::~E2bLifetime()
{
    // A kill sent but never answered (SafeCell is going away): E2B may bill
    // the sandbox until its lifetime ends, so that is what is counted, as
    // if an extension still on its way were taken now.
    for (auto it = m_lives.begin(); it != m_lives.end(); ++it) {
        const double pendingEndS = it->extending > 0 ? elapsedS(*it) + double(it->askedS) : 0.0;
        const double billedS = qMax(it->boundS, pendingEndS);
        if (billedS > it->coveredS) // covered when the budget can; a breach when not
            cover(it.key(), *it, billedS, it->use);
        if (m_meter)
            m_meter->ended(it.key(), billedS);
    }
}

double E2bLifetime::elapsedS(const Life &life)
{
    return qMax(0.0, double(life.clock.nsecsElapsed()) / 1e9 - life.originS);
}

bool E2bLifetime::cover(quint64 id, Life &life, double seconds, LifetimeUse use)
{
    if (m_meter && !m_meter->cover(id, seconds, use))
        return false;
    life.coveredS = seconds;
    life.use = use;
    return true;
}

std::optional<quint64> E2bLifetime::begin(qint64 lifetimeS, LifetimeUse use)
{
    const quint64 id = ++m_next;
    Life life;
    life.clock.start();
    if (!cover(id, life, double(lifetimeS), use))
        return std::nullopt;
    life.boundS = life.soonestEndS = double(lifetimeS);
    m_lives.insert(id, life);
    return id;
}

void E2bLifetime::createFailed(quint64 id, bool mayHaveTakenEffect)
{
    const auto it = m_lives.constFind(id);
    if (it == m_lives.cend())
        return;
    if (mayHaveTakenEffect)
        qCWarning(lcE2b) << "the create's answer was lost: a sandbox may exist unseen until its lifetime ends;"
                         << "its" << it->boundS << "s are charged";
    if (m_meter)
        m_meter->ended(id, mayHaveTakenEffect ? it->boundS : 0.0);
    m_lives.remove(id);
}

void E2bLifetime::created(quint64 id, qint64 attemptMs)
{
    const auto it = m_lives.find(id);
    if (it == m_lives.end())
        return;
    // What was covered from the first request covers this later start too.
    it->originS = qMax(0.0, double(it->clock.nsecsElapsed()) / 1e9 - double(attemptMs) / 1000.0);
}

bool E2bLifetime::extend(quint64 id, const QString &sandboxId, qint64 lifetimeS, LifetimeUse use)
{
    const auto it = m_lives.find(id);
    if (it == m_lives.end())
        return false;
    const double sentS = elapsedS(*it);
    // Until E2B takes the call the lifetime asked before still stands, so
    // the cover never drops below it here; the answer may lower it.
    if (!cover(id, *it, qMax(it->coveredS, sentS + double(lifetimeS)), use))
        return false;
    if (it->extending++ > 0)
        it->overlapped = true;
    it->askedEndS = qMax(it->askedEndS, sentS + double(lifetimeS));
    it->askedS = qMax(it->askedS, lifetimeS);
    const QJsonObject body{{QStringLiteral("timeout"), lifetimeS}};
    m_lifecycle->send("POST", m_lifecycle->controlRequest(QStringLiteral("/sandboxes/%1/timeout").arg(sandboxId)),
                      QJsonDocument(body).toJson(QJsonDocument::Compact),
                      [this, id, sentS, lifetimeS, sandboxId](const E2bResponse *, const E2bError *error) {
        // Not fatal here: a sandbox that is gone shows up as a 502 on the run.
        if (error)
            qCWarning(lcE2b) << "could not extend sandbox" << sandboxId << ":" << error->message;
        onExtended(id, sentS, lifetimeS, !error, error && error->mayHaveTakenEffect);
    });
    return true;
}

void E2bLifetime::onExtended(quint64 id, double sentS, qint64 lifetimeS, bool tookEffect, bool mayHaveTakenEffect)
{
    const auto it = m_lives.find(id);
    if (it == m_lives.end())
        return; // killed meanwhile
    const bool alone = --it->extending == 0 && !it->overlapped;
    if (it->extending == 0) {
        it->overlapped = false;
        it->askedEndS = 0;
        it->askedS = 0;
    }
    const double answeredS = elapsedS(*it);
    const double newEndS = answeredS + double(lifetimeS);
    if (tookEffect && alone) {
        // The lifetime restarted when E2B took the call, between sent and answered.
        it->boundS = newEndS;
        it->soonestEndS = sentS + double(lifetimeS);
    } else if (tookEffect || mayHaveTakenEffect) {
        it->boundS = qMax(it->boundS, newEndS);
        it->soonestEndS = qMin(it->soonestEndS, sentS + double(lifetimeS));
    }
    if (it->boundS > it->coveredS) {
        // Usual, not alarming: the lifetime restarts when E2B takes the
        // call, a round trip after the cover was taken from when it was sent.
        qCDebug(lcE2b) << "E2B took a lifetime extension" << (answeredS - sentS) * 1000
                       << "ms after it was sent:" << it->boundS << "s may be billed," << it->coveredS
                       << "s were covered";
        if (!cover(id, *it, it->boundS, it->use) && !it->killFailed) {
            qCWarning(lcE2b) << "the budget does not cover the" << it->boundS
                             << "s a late lifetime extension may bill; the sandbox is ended";
            Q_EMIT mustEnd(id);
        }
    } else if (alone && it->boundS < it->coveredS) {
        cover(id, *it, it->boundS, it->use); // a lower figure is never refused
    }
    if (it->killFailed && it->extending == 0)
        finish(id, it->boundS);
}

double E2bLifetime::secondsLeft(quint64 id) const
{
    const auto it = m_lives.constFind(id);
    if (it == m_lives.cend())
        return 0.0;
    // An extension on its way counts as asked: a failed one shows up as the
    // proxy's 502 on the run, like any lost sandbox.
    return qMax(it->soonestEndS, it->askedEndS) - elapsedS(*it);
}

void E2bLifetime::checkpoint(quint64 id)
{
    const auto it = m_lives.constFind(id);
    if (it != m_lives.cend() && m_meter)
        m_meter->used(id, qMin(elapsedS(*it), it->boundS));
}

void E2bLifetime::ended(quint64 id, bool gone)
{
    const auto it = m_lives.find(id);
    if (it == m_lives.end())
        return;
    if (gone) {
        finish(id, qMin(elapsedS(*it), it->boundS));
        return;
    }
    // It lives until its lifetime ends, which an extension on its way may
    // still lengthen: counted once that is answered.
    it->killFailed = true;
    if (it->extending == 0)
        finish(id, it->boundS);
}

void E2bLifetime::finish(quint64 id, double billedS)
{
    if (m_meter)
        m_meter->ended(id, billedS);
    m_lives.remove(id);
}

} // namespace safecell
