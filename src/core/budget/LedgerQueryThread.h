#pragma once

#include "LedgerTypes.h"
#include "SpendLedger.h"

#include "common/Expected.h"

#include <QMutex>
#include <QObject>

#include <functional>
#include <memory>

class QThread;

namespace safecell {

// What a query sees on the query thread: the ledger at the thread's path,
// opened on the first query that asks for it and kept for the next.
class LedgerQueryContext {
public:
    explicit LedgerQueryContext(QString path)
        : m_path(std::move(path))
    {
    }
    Expected<SpendLedger *, LedgerError> ledger();

private:
    QString m_path;
    std::unique_ptr<SpendLedger> m_ledger;
};

// Runs a window's ledger queries (the history, the spend dashboard) on a
// thread of their own, so the GUI thread never waits on SQLite. Only the
// newest query matters: one submitted while another waits replaces it, and
// the answer of a query overtaken by a newer one is dropped. A query runs
// on the query thread and returns what to do with its result, which runs on
// this object's thread (the GUI's). Retiring it never waits.
class LedgerQueryThread : public QObject {
    Q_OBJECT
public:
    using Delivery = std::function<void()>;
    // Runs on the query thread: must not touch the GUI's objects; its
    // Delivery may (it runs on this object's thread).
    using Query = std::function<Delivery(LedgerQueryContext &context)>;

    explicit LedgerQueryThread(QString ledgerPath, QObject *parent = nullptr);
    ~LedgerQueryThread() override;

    void submit(Query query);
    // A submitted query has not delivered yet.
    bool isBusy() const { return m_submitted != m_delivered; }

private:
    struct Shared;
    void deliver(quint64 generation, const Delivery &delivery);

    std::shared_ptr<Shared> m_shared;
    QThread *m_thread;
    QObject *m_worker; // lives on m_thread; deleted there when it finishes
    quint64 m_submitted = 0;
    quint64 m_delivered = 0;
};

} // namespace safecell
