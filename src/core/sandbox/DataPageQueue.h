#pragma once

#include "sandbox/DataPage.h"
#include "sandbox/KernelProtocol.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace safecell {

class KernelProcess;

// The local sandbox's data viewer pages: asked for at any time, sent to the
// session's kernel one at a time and only between runs (LocalSandbox calls
// sendNext() when no run is in progress), so a page never delays a run by
// more than one page's work and never shares a run's output. Every request
// gets exactly one pageReady(), an error one when the kernel is gone.
class DataPageQueue : public QObject {
    Q_OBJECT
public:
    // A page that takes longer is interrupted (a sort of a huge frame of
    // Python objects): the kernel answers with an error and lives on.
    static constexpr int kPageTimeLimitMs = 60000;
    static constexpr qsizetype kMaxWaiting = 64;

    explicit DataPageQueue(QObject *parent = nullptr);

    void enqueue(const DataPageRequest &request);
    // Sends the next waiting page to `kernel` unless one is in flight;
    // without a kernel every waiting page is answered with an error.
    void sendNext(KernelProcess *kernel);
    // True when `message` was about the page in flight (it is consumed).
    bool take(KernelProcess *kernel, const kernel::Message &message);
    // A run was sent to the kernel: the page in flight (a filter over a
    // million rows may take seconds) is interrupted so that the run does
    // not wait for it, and is answered with an error saying so.
    void yieldToRun();
    // The kernel is gone: every page asked for is answered with `why`.
    void abandon(const QString &why);
    bool inFlight() const { return m_inFlight.has_value(); }

Q_SIGNALS:
    void pageReady(const safecell::DataPage &page);

private:
    void answerWithError(const DataPageRequest &request, const QString &why);

    struct InFlight {
        QString id;
        DataPageRequest request;
        std::optional<DataPage> answer;
        bool yielded = false;
    };
    QList<DataPageRequest> m_waiting;
    std::optional<InFlight> m_inFlight;
    QPointer<KernelProcess> m_kernel;
    QTimer m_deadline;
};

} // namespace safecell
