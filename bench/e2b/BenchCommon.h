#pragma once

#include <QEventLoop>
#include <QList>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace safecell::bench {

inline double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype index = qMin(values.size() - 1, qsizetype(p * values.size()));
    return values.at(index);
}

inline void print(const char *client, const char *what, const QList<double> &ms)
{
    std::printf("%-10s %-22s n=%-4lld p50=%8.2f ms  p99=%8.2f ms\n", client, what, static_cast<long long>(ms.size()),
                percentile(ms, 0.50), percentile(ms, 0.99));
}

// Waits for a signal in a benchmark (not product code): a local loop is fine here.
template <typename Object, typename Signal>
bool waitFor(Object *object, Signal signal, int timeoutMs = 30000)
{
    QEventLoop loop;
    QObject::connect(object, signal, &loop, [&loop] { loop.quit(); });
    QTimer::singleShot(timeoutMs, &loop, [&loop] { loop.exit(1); });
    return loop.exec() == 0;
}

} // namespace safecell::bench
