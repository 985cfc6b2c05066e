#include "BudgetProvider.h"

#include "budget/BudgetController.h"
#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <memory>
#include <optional>

namespace safecell::api {

namespace {

using Answer = Expected<QJsonObject, QString>;

struct LedgerView {
    QString path;
    BudgetPolicy policy;
    std::unique_ptr<SpendLedger> ledger;
    std::unique_ptr<BudgetController> controller;

    Answer read()
    {
        if (!controller) {
            auto opened = SpendLedger::open(path.isEmpty() ? defaultLedgerPath() : path);
            if (!opened)
                return unexpected(opened.error().message);
            ledger = std::move(opened).value();
            controller = std::make_unique<BudgetController>(*ledger, policy);
        }
        const auto snapshot = controller->snapshot(BudgetScopes::forLocalUser());
        if (!snapshot)
            return unexpected(snapshot.error().message);
        return snapshot->toJson();
    }
};

// With a team server, a snapshot asks it, which takes up to its connect
// timeout while it is away: on the server's thread that stalled every
// request behind the GET. So the snapshot is read each second on a thread
// of its own, and GET answers with the latest; only the first GET waits
// for the first read. Ending it waits for a read in flight (at most the
// connect timeout).
class TeamPoll {
public:
    TeamPoll(BudgetPolicy policy, QString ledgerPath)
    {
        m_thread.reset(QThread::create([this, policy, ledgerPath] { loop(policy, ledgerPath); }));
        m_thread->setObjectName(QStringLiteral("team-figures"));
        m_thread->start();
    }
    ~TeamPoll()
    {
        {
            QMutexLocker lock(&m_mutex);
            m_stop = true;
            m_wake.wakeAll();
        }
        m_thread->wait();
    }
    TeamPoll(const TeamPoll &) = delete;
    TeamPoll &operator=(const TeamPoll &) = delete;

    Answer latest()
    {
        QMutexLocker lock(&m_mutex);
        const QDeadlineTimer deadline(kFirstReadWaitMs);
        while (!m_latest) {
            if (!m_ready.wait(&m_mutex, deadline))
                return unexpected(QStringLiteral("the team budget figures have not been read yet"));
        }
        return *m_latest;
    }

private:
    static constexpr int kPollMs = 1000;
    static constexpr int kFirstReadWaitMs = 15000; // the server's connect timeout, with room

    void loop(const BudgetPolicy &policy, const QString &ledgerPath)
    {
        LedgerView view{ledgerPath, policy, {}, {}}; // opened and closed on this thread
        for (;;) {
            Answer answer = view.read();
            QMutexLocker lock(&m_mutex);
            m_latest = std::move(answer);
            m_ready.wakeAll();
            if (!m_stop)
                m_wake.wait(&m_mutex, kPollMs);
            if (m_stop)
                return;
        }
    }

    std::unique_ptr<QThread> m_thread;
    QMutex m_mutex;
    QWaitCondition m_ready; // a first answer is there
    QWaitCondition m_wake;  // time to stop
    std::optional<Answer> m_latest;
    bool m_stop = false;
};

} // namespace

ApiServer::BudgetProvider ledgerBudgetProvider(BudgetPolicy policy, QString ledgerPath)
{
    if (policy.team) {
        // Started by the first GET: a server nobody asks for figures is not polled.
        auto poll = std::make_shared<std::unique_ptr<TeamPoll>>();
        return [poll, policy, ledgerPath]() -> Answer {
            if (!*poll)
                *poll = std::make_unique<TeamPoll>(policy, ledgerPath);
            return (*poll)->latest();
        };
    }
    auto view = std::make_shared<LedgerView>(LedgerView{ledgerPath, policy, {}, {}});
    return [view]() -> Answer { return view->read(); };
}

} // namespace safecell::api
