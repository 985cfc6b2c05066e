// bench/pipeline: what the pipeline adds to a run (validate, classify,
// budget snapshots, reserve/settle, history, signals across threads),
// measured as a run's wall time minus the time its sandbox reported, for a
// safe one-line snippet on the warm local kernel and on FakeE2b, and for a
// snippet the local rules escalate, classified by the LLM on FakeCohere and
// run on FakeE2b (both fakes).
#include "FakeE2b.h"
#include "cohere/FakeCohere.h"

#include "budget/SpendLedger.h"
#include "pipeline/RunHistory.h"
#include "pipeline/RunThread.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace safecell;
using safecell::fake::FakeCohere;
using safecell::fake::FakeE2b;
using safecell::fake::ScriptedResponse;

namespace {

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

struct Figures {
    std::vector<double> totalMs;
    std::vector<double> overheadMs;
    int failures = 0;
};

// Runs `count` snippets one after another, waiting on the event loop;
// `beforeEach` scripts the fakes for the next run.
Figures measure(RunWorkerConfig config, const QString &code, int count, RunOutcome expected = RunOutcome::Ok,
                const std::function<void()> &beforeEach = {})
{
    Figures figures;
    RunThread runner(std::move(config));
    QElapsedTimer clock;
    int done = 0;
    RunRequest request;
    request.code = code;
    QObject::connect(runner.worker(), &RunWorker::finished, qApp, [&](const RunReport &report) {
        const double total = double(clock.nsecsElapsed()) / 1e6;
        if (report.outcome != expected)
            ++figures.failures;
        if (++done > 20) { // the first runs warm the kernel and the caches
            figures.totalMs.push_back(total);
            figures.overheadMs.push_back(std::max(0.0, total - double(report.executionMs)));
        }
        if (done == count + 20) {
            QCoreApplication::exit(0);
            return;
        }
        if (beforeEach)
            beforeEach();
        clock.start();
        runner.start(request);
    });
    if (beforeEach)
        beforeEach();
    clock.start();
    runner.start(request);
    QCoreApplication::exec();
    return figures;
}

void print(const char *name, const Figures &f)
{
    std::printf("%-34s total p50 %7.3f ms  p99 %7.3f ms | overhead p50 %7.3f ms  p99 %7.3f ms%s\n", name,
                percentile(f.totalMs, 0.5), percentile(f.totalMs, 0.99), percentile(f.overheadMs, 0.5),
                percentile(f.overheadMs, 0.99), f.failures ? "  (some runs failed)" : "");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("safecell.*.info=false\nsafecell.*.debug=false"));
    const int count = argc > 1 ? std::max(50, atoi(argv[1])) : 300;
    QTemporaryDir dir;
    std::printf("bench/pipeline: %d runs each after 20 warm-up; overhead = wall time - sandbox-reported time\n", count);
    std::printf("(the sandbox reports whole milliseconds, so overhead is within +-1 ms per run; p50 is what counts)\n");

    RunWorkerConfig local;
    local.ledgerPath = dir.filePath(QStringLiteral("local.sqlite"));
    print("local sandbox, print(1)", measure(local, QStringLiteral("print(1)"), count));

    // The fake answers from its own thread, as a remote service would, so a
    // worker's shutdown (which waits for the sandbox's kill) is not stalled.
    QThread fakeThread;
    fakeThread.start();
    auto *fakePtr = new FakeE2b;
    fakePtr->moveToThread(&fakeThread);
    QMetaObject::invokeMethod(
        fakePtr, [fakePtr] { fakePtr->listen(); }, Qt::BlockingQueuedConnection);
    FakeE2b &fake = *fakePtr;
    RunWorkerConfig e2b;
    e2b.ledgerPath = dir.filePath(QStringLiteral("e2b.sqlite"));
    E2bConfig e2bConfig;
    e2bConfig.apiKey = FakeE2b::defaultApiKey();
    e2bConfig.apiUrl = fake.url();
    e2bConfig.sandboxUrl = fake.url();
    e2b.e2b = e2bConfig;
    e2b.budgetPolicy.setLimit(ScopeLevel::Org, Money::fromUsd(1000.0));
    print("E2B (FakeE2b), reserve+settle", measure(e2b, QStringLiteral("print(\"1\")"), count));

    // Both fakes: the local rules escalate the snippet (remote data), the
    // LLM says safe (its call reserved and settled), then E2B runs it. The
    // fake E2B does not run pandas, so the run ends Failed after executing:
    // the pipeline did every step. The overhead here includes the Cohere
    // round trip on loopback.
    auto *coherePtr = new FakeCohere;
    coherePtr->moveToThread(&fakeThread);
    QMetaObject::invokeMethod(
        coherePtr, [coherePtr] { coherePtr->listen(); }, Qt::BlockingQueuedConnection);
    RunWorkerConfig both = e2b;
    both.ledgerPath = dir.filePath(QStringLiteral("both.sqlite"));
    both.llm.baseUrl = coherePtr->baseUrl();
    both.llm.apiKey = QStringLiteral("bench-cohere-key");
    both.llm.breakers = std::make_shared<CircuitBreakers>();
    const QString escalated = QStringLiteral(
        "import pandas as pd\ntry:\n    pd.read_csv(\"https://example.com/d.csv\")\n"
        "except Exception:\n    pass\nprint(\"1\")\n");
    const auto scriptSafe = [coherePtr] {
        QMetaObject::invokeMethod(
            coherePtr,
            [coherePtr] {
            coherePtr->enqueue(
                ScriptedResponse::chat(QStringLiteral(
                                           "{\"label\":\"safe\",\"confidence\":0.95,\"reason\":\"reads a CSV\"}"),
                                       400, 20));
            },
            Qt::BlockingQueuedConnection);
    };
    print("LLM (FakeCohere) + E2B (FakeE2b)", measure(both, escalated, count, RunOutcome::Failed, scriptSafe));

    // The ledger's fsync: one history record written with synchronous=FULL.
    auto ledger = SpendLedger::open(dir.filePath(QStringLiteral("fsync.sqlite")));
    if (ledger) {
        RunHistory history(**ledger);
        history.setDurability(SpendLedger::Durability::Full);
        std::vector<double> ms;
        QElapsedTimer clock;
        for (int i = 0; i < 100; ++i) {
            RunRecord record;
            record.runId = QString::number(i);
            record.started = QDateTime::currentDateTimeUtc();
            clock.start();
            if (const auto recorded = history.record(record); !recorded) {
                std::printf("ledger write failed: %s\n", qPrintable(recorded.error().message));
                return 1;
            }
            ms.push_back(double(clock.nsecsElapsed()) / 1e6);
        }
        std::printf("%-34s p50 %7.3f ms  p99 %7.3f ms\n", "ledger write with fsync (FULL)", percentile(ms, 0.5),
                    percentile(ms, 0.99));
    }
    std::printf("target: overhead p50 < 1 ms on the local path\n");
    QMetaObject::invokeMethod(
        fakePtr,
        [fakePtr, coherePtr] {
        delete fakePtr;
        delete coherePtr;
        },
        Qt::BlockingQueuedConnection);
    fakeThread.quit();
    fakeThread.wait();
    return 0;
}
