#include "LedgerQueryThread.h"

#include "common/RetiredThreads.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QThread>

#include <optional>

namespace safecell {

Expected<SpendLedger *, LedgerError> LedgerQueryContext::ledger()
{
    if (!m_ledger) {
        auto opened = SpendLedger::open(m_path);
        if (!opened)
            return unexpected(opened.error());
        m_ledger = std::move(opened).value();
    }
    return m_ledger.get();
}

// The newest query waiting, shared by both threads.
struct LedgerQueryThread::Shared {
    QMutex mutex;
    std::optional<Query> pending;
    quint64 generation = 0;
};

namespace {
// Lives on the query thread; owns the context (and its connection) there.
class QueryWorker : public QObject {
public:
    explicit QueryWorker(QString path)
        : m_context(std::move(path))
    {
    }
    LedgerQueryContext m_context;
};
} // namespace

LedgerQueryThread::LedgerQueryThread(QString ledgerPath, QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
    , m_thread(new QThread)
    , m_worker(new QueryWorker(std::move(ledgerPath)))
{
    m_thread->setObjectName(QStringLiteral("safecell-ledger-query"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

LedgerQueryThread::~LedgerQueryThread()
{
    {
        const QMutexLocker locked(&m_shared->mutex);
        m_shared->pending.reset();
    }
    m_thread->quit(); // after the query in progress, if any; nobody waits for it
    RetiredThreads::adopt(m_thread);
}

void LedgerQueryThread::submit(Query query)
{
    quint64 generation = 0;
    bool scheduled = false;
    {
        const QMutexLocker locked(&m_shared->mutex);
        scheduled = m_shared->pending.has_value(); // the waiting run takes this one instead
        m_shared->pending = std::move(query);
        generation = ++m_shared->generation;
    }
    m_submitted = generation;
    if (scheduled)
        return;
    QPointer<LedgerQueryThread> self(this);
    auto *worker = static_cast<QueryWorker *>(m_worker);
    QMetaObject::invokeMethod(
        worker,
        [worker, shared = m_shared, self] {
        std::optional<Query> query;
        quint64 generation = 0;
        {
            const QMutexLocker locked(&shared->mutex);
            query.swap(shared->pending);
            generation = shared->generation;
        }
        if (!query)
            return;
        Delivery delivery = (*query)(worker->m_context);
        // Posted to the application object, on the GUI thread, where `self`
        // is checked: the owner may be gone by then.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, generation, delivery] {
            if (self)
                self->deliver(generation, delivery);
            },
            Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void LedgerQueryThread::deliver(quint64 generation, const Delivery &delivery)
{
    if (generation != m_submitted)
        return; // overtaken by a newer query, which will deliver
    m_delivered = generation;
    if (delivery)
        delivery();
}

} // namespace safecell
