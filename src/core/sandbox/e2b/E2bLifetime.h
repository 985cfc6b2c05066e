#pragma once

#include "sandbox/e2b/E2bLifetimeMeter.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <optional>

namespace safecell {

class E2bTransport;

// The billable lives of one E2bSandbox's sandboxes, and the only place that
// asks E2B for a lifetime. Each life is timed on SafeCell's clock from its
// create request, and E2B cannot bill it past its bound:
// - a create asking T seconds: at most T (E2B counts from its own create,
//   which is later);
// - a /timeout asking T, sent at s and answered at a: at most a + T, since
//   E2B restarts the lifetime when it takes the call (protocols.md 1.2.5).
// So a killed life bills at most min(time to the kill's answer, bound), and
// one whose kill failed its whole bound. The meter covers every bound before
// it is asked; when E2B answers later than was covered, the bound is topped
// up, or the sandbox must go (mustEnd()).
class E2bLifetime : public QObject {
    Q_OBJECT
public:
    explicit E2bLifetime(E2bTransport *lifecycle, QObject *parent = nullptr);
    // Lives still open (a kill never answered) end at their bound.
    ~E2bLifetime() override;

    // nullptr: no meter, every lifetime is allowed (the sandbox on its own).
    void setMeter(E2bLifetimeMeter *meter) { m_meter = meter; }

    // A sandbox is about to be created with a lifetime of `lifetimeS`: a new
    // life, timed from now; nullopt when the meter refused it.
    std::optional<quint64> begin(qint64 lifetimeS, LifetimeUse use);
    // Its create failed. When it may have taken effect, a sandbox nobody can
    // see (nor kill) bills its whole lifetime.
    void createFailed(quint64 life, bool mayHaveTakenEffect);
    // It was created by a request sent `attemptMs` ago (a 429 before it
    // created nothing): E2B bills from then on, at the earliest.
    void created(quint64 life, qint64 attemptMs);
    // Asks E2B for a lifetime of `lifetimeS` from now for the life's
    // sandbox, once covered; false, and nothing asked, when the meter refused.
    bool extend(quint64 life, const QString &sandboxId, qint64 lifetimeS, LifetimeUse use);
    // Seconds until E2B may end the sandbox, at the soonest.
    double secondsLeft(quint64 life) const;
    // Tells the meter how much of the life is used so far.
    void checkpoint(quint64 life);
    // The kill was answered: `gone` when E2B took it or the sandbox had
    // already ended; false when it lives on until its lifetime ends.
    void ended(quint64 life, bool gone);

Q_SIGNALS:
    // E2B took an extension later than was covered and the meter cannot
    // cover the longer bound: the sandbox must be killed now.
    void mustEnd(quint64 life);

private:
    struct Life {
        QElapsedTimer clock;    // since the create request
        double originS = 0;     // on `clock`: E2B bills from here, at the earliest
        double boundS = 0;      // E2B bills at most this much of it
        double coveredS = 0;    // what the meter covers
        double soonestEndS = 0; // when E2B may end it, at the soonest
        LifetimeUse use = LifetimeUse::Run;
        int extending = 0;       // /timeout calls in flight
        double askedEndS = 0;    // the latest end they ask, counted from when sent
        qint64 askedS = 0;       // the longest lifetime they ask
        bool killFailed = false; // ended once the calls in flight are answered
        bool overlapped = false; // two were in flight at once: E2B's order is unknown
    };
    static double elapsedS(const Life &life); // billable seconds so far
    bool cover(quint64 id, Life &life, double seconds, LifetimeUse use);
    void onExtended(quint64 id, double sentS, qint64 lifetimeS, bool tookEffect, bool mayHaveTakenEffect);
    void finish(quint64 id, double billedS);

    E2bTransport *m_lifecycle;
    E2bLifetimeMeter *m_meter = nullptr;
    QHash<quint64, Life> m_lives;
    quint64 m_next = 0;
};

} // namespace safecell
