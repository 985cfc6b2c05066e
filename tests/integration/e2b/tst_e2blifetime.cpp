// E2bSandbox's billable lifetimes against FakeE2b, through a recording meter
// (issue 16): every lifetime asked of E2B (create, /timeout) is covered
// first; a run or a keep-warm step the meter refuses is never asked (the run
// ends refused, the warm sandbox is killed and the analyst told why); the
// time used is reported as it goes, from the create request on; a kill that
// fails, or a create whose answer was lost, counts the whole lifetime; an
// extension E2B took later than was covered is covered again or ends the
// sandbox.
#include "FakeE2b.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace safecell;
using namespace safecell::fake;

namespace {

// Records the meter's calls, in order with the lifetimes E2B was asked for,
// and refuses covers above `refuseAboveS` (for `refusedUse`, or any use).
class RecordingMeter : public E2bLifetimeMeter {
public:
    struct Call {
        QString what; // "cover", "used", "ended"
        quint64 life = 0;
        double seconds = 0;
        LifetimeUse use = LifetimeUse::Run;
        bool granted = true;
    };
    QList<Call> calls;
    double refuseAboveS = -1; // -1: never refuse
    std::optional<LifetimeUse> refusedUse;

    bool cover(quint64 life, double seconds, LifetimeUse use) override
    {
        const bool refuse = refuseAboveS >= 0 && seconds > refuseAboveS && (!refusedUse || *refusedUse == use);
        calls.append({QStringLiteral("cover"), life, seconds, use, !refuse});
        return !refuse;
    }
    void used(quint64 life, double seconds) override { calls.append({QStringLiteral("used"), life, seconds}); }
    void ended(quint64 life, double seconds) override { calls.append({QStringLiteral("ended"), life, seconds}); }

    QList<Call> only(const QString &what) const
    {
        QList<Call> out;
        for (const Call &c : calls)
            if (c.what == what)
                out << c;
        return out;
    }
};

} // namespace

class TestE2bLifetime : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<FakeE2b> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_network;
    E2bConfig m_config;
    RecordingMeter m_meter;
    std::unique_ptr<E2bSandbox> m_sandbox;

    E2bSandbox *makeSandbox()
    {
        m_sandbox = std::make_unique<E2bSandbox>(m_network.get(), m_config);
        m_sandbox->setMeter(&m_meter);
        return m_sandbox.get();
    }

    ExecutionOutcome run(const QString &code, qint64 timeLimitMs = 1000)
    {
        if (!m_sandbox)
            makeSandbox();
        QSignalSpy finished(m_sandbox.get(), &Sandbox::finished);
        m_sandbox->execute({code, Language::Python, timeLimitMs, false});
        if (finished.isEmpty() && !finished.wait(30000))
            return {ExecutionStatus::SandboxFailed, std::nullopt, QStringLiteral("test: no finished()"), 0};
        return finished.first().first().value<ExecutionOutcome>();
    }

    // The lifetimes asked of E2B, in seconds, in order.
    QList<qint64> asked() const
    {
        QList<qint64> out;
        for (const HttpRequest &r : m_fake->requests())
            if (r.method == "POST" && (r.path == "/v2/sandboxes" || r.path.endsWith("/timeout")))
                out << QJsonDocument::fromJson(r.body).object().value(QLatin1String("timeout")).toInteger();
        return out;
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<ExecutionOutcome>(); }

    void init()
    {
        m_fake = std::make_unique<FakeE2b>();
        QVERIFY(m_fake->listen());
        m_fake->setKeepaliveIntervalMs(200);
        m_network = std::make_unique<QNetworkAccessManager>();
        m_config = E2bConfig();
        m_config.apiKey = FakeE2b::defaultApiKey();
        m_config.apiUrl = m_fake->url();
        m_config.sandboxUrl = m_fake->url();
        m_config.requestTimeoutMs = 5000;
        m_config.lifetimeMarginS = 1;
        m_config.idleTimeoutMs = 3000;
        m_meter = RecordingMeter();
    }

    void cleanup()
    {
        m_sandbox.reset();
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 10000);
        m_network.reset();
        m_fake.reset();
    }

    void everyLifetimeIsCoveredBeforeItIsAsked()
    {
        m_config.idleTimeoutMs = 2500;
        m_config.keepWarmStepMs = 1000;
        QCOMPARE(run(QStringLiteral("x = 1")).status, ExecutionStatus::Completed);
        QTest::qWait(1200); // a keep-warm step goes by
        QCOMPARE(run(QStringLiteral("x + 1"), 4000).status, ExecutionStatus::Completed);
        QTRY_VERIFY(asked().size() >= 4);
        // Each lifetime asked (counted from when it was asked) was covered
        // before, counted from the create request: so at least as much.
        qsizetype from = 0;
        const QList<RecordingMeter::Call> covers = m_meter.only(QStringLiteral("cover"));
        const QList<qint64> lifetimes = asked();
        QVERIFY(covers.size() >= lifetimes.size());
        for (qint64 lifetime : lifetimes) {
            while (from < covers.size() && covers.at(from).seconds < double(lifetime))
                ++from;
            QVERIFY2(from < covers.size(), qPrintable(QStringLiteral("%1 s asked, never covered").arg(lifetime)));
            QVERIFY(covers.at(from).granted);
            ++from;
        }
        QCOMPARE(lifetimes.first(), 1 + 1); // the run's second and the margin
        QCOMPARE(covers.first().use, LifetimeUse::Run);
    }

    void usedTimeIsReportedFromTheCreateRequestAsItGoes()
    {
        QCOMPARE(run(QStringLiteral("x = 1")).status, ExecutionStatus::Completed);
        QTest::qWait(300);
        QCOMPARE(run(QStringLiteral("x + 1")).status, ExecutionStatus::Completed);
        m_sandbox->restartSession();
        QTRY_COMPARE(m_meter.only(QStringLiteral("ended")).size(), 1);
        const QList<RecordingMeter::Call> used = m_meter.only(QStringLiteral("used"));
        // The first run's end, the warm time up to the second run, its end (keep-warm
        // checkpoints between may add more): rising, and never zero.
        QVERIFY(used.size() >= 3);
        QVERIFY(used.first().seconds > 0);
        for (qsizetype i = 1; i < used.size(); ++i)
            QVERIFY(used.at(i).seconds >= used.at(i - 1).seconds);
        QVERIFY(used.last().seconds - used.first().seconds >= 0.3);
        const double end = m_meter.only(QStringLiteral("ended")).first().seconds;
        QVERIFY(end >= used.last().seconds);
        QVERIFY(end < 3.0); // killed at once: not the whole lifetime
    }

    void aRunTheBudgetCannotCoverAsksNothing()
    {
        m_meter.refuseAboveS = 0;
        const ExecutionOutcome outcome = run(QStringLiteral("print('x')"));
        QCOMPARE(outcome.status, ExecutionStatus::SandboxFailed);
        QVERIFY(outcome.budgetRefused);
        QCOMPARE(m_fake->requests().size(), 0);
        QCOMPARE(m_meter.only(QStringLiteral("used")).size(), 0);
    }

    void aWarmSandboxTheBudgetCannotKeepIsKilledAndSaysSo()
    {
        m_meter.refuseAboveS = 0;
        m_meter.refusedUse = LifetimeUse::KeepWarm;
        QSignalSpy ended(makeSandbox(), &E2bSandbox::warmSessionEnded);
        QCOMPARE(run(QStringLiteral("print('x')")).status, ExecutionStatus::Completed);
        QCOMPARE(ended.size(), 1); // as the run ended
        QCOMPARE(ended.first().first().value<E2bSandbox::WarmEnd>(), E2bSandbox::WarmEnd::Budget);
        QTRY_COMPARE(m_fake->liveSandboxes(), 0);
        QTRY_COMPARE(m_meter.only(QStringLiteral("ended")).size(), 1);
        QCOMPARE(asked().size(), 1); // the create: no keep-warm lifetime was asked
        QVERIFY(!m_sandbox->hasSession());
    }

    void aWarmSandboxIsExtendedStepByStepUntilItsIdleTimeout()
    {
        m_config.idleTimeoutMs = 2500;
        m_config.keepWarmStepMs = 1000;
        QSignalSpy ended(makeSandbox(), &E2bSandbox::warmSessionEnded);
        QCOMPARE(run(QStringLiteral("pass")).status, ExecutionStatus::Completed);
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 6000);
        QCOMPARE(ended.first().first().value<E2bSandbox::WarmEnd>(), E2bSandbox::WarmEnd::IdleTimeout);
        QTRY_COMPARE(m_fake->liveSandboxes(), 0);
        // Create (1 + 1), then steps of at most a second (+ 1) while more than
        // the margin of idle time is left: at the run's end, and 1 s later.
        QCOMPARE(asked(), (QList<qint64>{2, 2, 2}));
        int warmCovers = 0;
        for (const RecordingMeter::Call &c : m_meter.only(QStringLiteral("cover")))
            warmCovers += c.use == LifetimeUse::KeepWarm && c.granted;
        QVERIFY(warmCovers >= 2);
        QVERIFY(m_meter.only(QStringLiteral("used")).size() >= 3); // warm time settled as it goes
    }

    void setUpThatUsesTheMarginExtendsBeforeExecuting()
    {
        m_fake->setCreateDelayMs(1500); // of the 2 s asked, 0.5 s are left for a 1 s run
        QCOMPARE(run(QStringLiteral("print('x')")).status, ExecutionStatus::Completed);
        const QStringList log = m_fake->requestLog();
        const qsizetype timeout = log.indexOf(QStringLiteral("POST /sandboxes/%1/timeout").arg(m_sandbox->sandboxId()));
        QVERIFY2(timeout >= 0 && timeout < log.indexOf(QStringLiteral("POST /execute")), qPrintable(log.join(u',')));
    }

    void aKillThatFailsCountsTheWholeLifetime()
    {
        m_config.idleTimeoutMs = 400;
        QCOMPARE(run(QStringLiteral("pass")).status, ExecutionStatus::Completed);
        QTRY_COMPARE(asked().size(), 2); // keep-warm: 1 s (the idle time) + 1 s
        m_fake->failNext("DELETE", "/sandboxes/", 500, QStringLiteral("no"));
        QTRY_COMPARE_WITH_TIMEOUT(m_meter.only(QStringLiteral("ended")).size(), 1, 5000);
        // E2B bills it until the keep-warm lifetime asked ends: 2 s after it was taken.
        const double end = m_meter.only(QStringLiteral("ended")).first().seconds;
        QVERIFY2(end >= 2.0 && end < 3.0, qPrintable(QString::number(end)));
        m_fake->expireSandbox(m_fake->sandboxIds().value(0));
    }

    void aCreateWhoseAnswerWasLostCountsItsWholeLifetime()
    {
        m_config.requestTimeoutMs = 500;
        m_fake->faultNext("POST", "/v2/sandboxes", FakeFault::noAnswer());
        const ExecutionOutcome outcome = run(QStringLiteral("print('x')"));
        QCOMPARE(outcome.status, ExecutionStatus::SandboxFailed);
        QVERIFY(!outcome.budgetRefused);
        const QList<RecordingMeter::Call> ended = m_meter.only(QStringLiteral("ended"));
        QCOMPARE(ended.size(), 1);
        QCOMPARE(ended.first().seconds, 2.0); // the lifetime asked: a sandbox may live it unseen
    }

    void anExtensionTakenLaterThanCoveredEndsTheSandboxWhenNoMoreCanBeCovered()
    {
        m_config.idleTimeoutMs = 10000;
        // Keep-warm asks 10 s + 1 s, covered from when it is sent (~11 s);
        // E2B takes it a second late (429, Retry-After: 1): ~12 s may be billed.
        m_meter.refuseAboveS = 11.5;
        m_fake->failNext("POST", "/sandboxes/", 429, QStringLiteral("slow down"), "1");
        QSignalSpy ended(makeSandbox(), &E2bSandbox::warmSessionEnded);
        QCOMPARE(run(QStringLiteral("pass")).status, ExecutionStatus::Completed);
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 5000);
        QCOMPARE(ended.first().first().value<E2bSandbox::WarmEnd>(), E2bSandbox::WarmEnd::Budget);
        QTRY_COMPARE(m_fake->liveSandboxes(), 0);
        const QList<RecordingMeter::Call> covers = m_meter.only(QStringLiteral("cover"));
        QVERIFY(!covers.last().granted);
        QVERIFY(covers.last().seconds > 11.5);
        // Killed about when the late answer came: well within what was covered.
        QTRY_COMPARE(m_meter.only(QStringLiteral("ended")).size(), 1);
        QVERIFY(m_meter.only(QStringLiteral("ended")).first().seconds < 11.0);
    }
};

QTEST_GUILESS_MAIN(TestE2bLifetime)
#include "tst_e2blifetime.moc"
