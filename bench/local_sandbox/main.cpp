// Latency of the local sandbox: the first run of a session (cold: bwrap,
// python and the kernel driver start) and later runs (warm: one JSON line
// each way), beside a bare `python3 -c 'print(1)'` measured in the same run.
// Prints figures; asserts nothing.
#include "sandbox/LocalSandbox.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QProcess>

#include <algorithm>
#include <cstdio>

using namespace safecell;

namespace {

double runOnce(LocalSandbox &box, const QString &code, bool *ok)
{
    QEventLoop loop;
    QObject context;
    ExecutionOutcome outcome;
    QString out;
    QObject::connect(&box, &Sandbox::stdoutReceived, &context, [&out](const QString &text) { out += text; });
    QObject::connect(&box, &Sandbox::finished, &context, [&](const ExecutionOutcome &o) {
        outcome = o;
        loop.quit();
    });
    QElapsedTimer clock;
    clock.start();
    box.execute({code, Language::Python, 30000, false});
    loop.exec();
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    *ok = *ok && outcome.status == ExecutionStatus::Completed && out == QStringLiteral("1\n");
    return ms;
}

double percentile(QList<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const qsizetype index = std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size() - 1) + 0.5));
    return values.at(index);
}

void report(const char *what, const QList<double> &samples)
{
    if (samples.isEmpty()) { // asked for none (`bench_local_sandbox N 0`): nothing to sort or index
        std::printf("%-34s n=0\n", what);
        return;
    }
    std::printf("%-34s n=%-4lld p50 %8.2f ms   p99 %8.2f ms   min %8.2f ms\n", what, qlonglong(samples.size()),
                percentile(samples, 0.5), percentile(samples, 0.99), percentile(samples, 0.0));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("safecell.*.info=false"));
    const int coldRuns = argc > 1 ? std::atoi(argv[1]) : 20;
    const int warmRuns = argc > 2 ? std::atoi(argv[2]) : 500;
    const QString code = QStringLiteral("print(1)");
    bool ok = true;

    QList<double> bare;
    for (int i = 0; i < coldRuns; ++i) {
        QProcess python;
        QElapsedTimer clock;
        clock.start();
        python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QStringLiteral("print(1)")});
        python.waitForFinished(30000);
        bare << double(clock.nsecsElapsed()) / 1e6;
        ok = ok && python.readAllStandardOutput() == "1\n";
    }

    QList<double> cold;
    for (int i = 0; i < coldRuns; ++i) {
        LocalSandbox box(SandboxLimits{});
        cold << runOnce(box, code, &ok);
    }

    QList<double> warm;
    LocalSandbox box(SandboxLimits{});
    runOnce(box, code, &ok);
    for (int i = 0; i < warmRuns; ++i)
        warm << runOnce(box, code, &ok);

    QList<double> afterRestart;
    for (int i = 0; i < coldRuns; ++i) {
        box.restartSession(); // starts the fresh kernel at once
        afterRestart << runOnce(box, code, &ok);
    }

    std::printf("local sandbox latency of print(1)%s\n", ok ? "" : "  (SOME RUNS FAILED)");
    std::printf("(compare cold with the bare python3 start: both scale with the machine's load)\n");
    report("python3 -c 'print(1)' (bare)", bare);
    report("cold: first run of a session", cold);
    report("warm: later runs", warm);
    report("first run right after restart", afterRestart);
    return ok ? 0 : 1;
}
