// bench_classify [ITERATIONS] [--no-bandit] — figures only, no assertions.
//
// Classifies a realistic 50,000-character pandas/numpy analysis script (and a
// SQL script of the same size) ITERATIONS times and prints p50/p99 per run and
// throughput; then runs Bandit (Debian's `bandit`) on the same file, once for
// one file and once for ten copies in one call (its start-up amortised), and
// prints how many times faster the classifier is per file.
#include "safety/Classifier.h"
#include "safety/PyLexer.h"
#include "safety/SqlLexer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kTarget = 50000;

// A block of typical analysis code; %1 varies names so blocks differ.
const char16_t kPythonBlock[] = uR"PY(

# --- section %1: load, clean and summarise the sales extract -------------
def load_sales_%1(path=os.path.join("data", "sales_%1.csv")):
    """Read one extract; dates parsed, amounts as float, bad rows dropped."""
    df = pd.read_csv(path, parse_dates=["date"], dtype={"store": "category"})
    df = df.dropna(subset=["amount"]).query("amount > 0")
    df["month"] = df["date"].dt.to_period("M")
    df["net_%1"] = df["amount"] * (1 - df["discount"].fillna(0.0))
    return df.rename(columns={"store": "store_id"})


def summarise_%1(df: pd.DataFrame) -> pd.DataFrame:
    grouped = df.groupby(["store_id", "month"], observed=True)
    out = grouped.agg(total=("net_%1", "sum"), orders=("order_id", "nunique"),
                      mean_basket=("net_%1", "mean"))
    out["share"] = out["total"] / out["total"].sum()
    out = out.sort_values("total", ascending=False)
    print(f"section %1: {len(out):,} groups, top share {out['share'].iloc[0]:.2%}")
    return out


stats_%1 = {
    "n": 0, "mean": 0.0, "std": 0.0,
    "quantiles": [0.05, 0.25, 0.5, 0.75, 0.95],
}
values_%1 = np.random.default_rng(%1).normal(loc=10.0, scale=2.5, size=5_000)
stats_%1["n"] = int(values_%1.size)
stats_%1["mean"] = float(values_%1.mean())
stats_%1["std"] = float(values_%1.std(ddof=1))
q_%1 = np.quantile(values_%1, stats_%1["quantiles"])
for label, value in zip(["p5", "p25", "p50", "p75", "p95"], q_%1):
    print(f"{label:>4}: {value:8.3f}")

fig, ax = plt.subplots(figsize=(8, 4))
ax.hist(values_%1, bins=40, color="#4477aa", alpha=0.8)
ax.set_title(f"Distribution %1 (n={stats_%1['n']})")
ax.axvline(stats_%1["mean"], linestyle="--", color="k")
model_%1 = sm.OLS(values_%1[1:], sm.add_constant(values_%1[:-1])).fit()
print(model_%1.summary().tables[1])
result_%1 = df_all.eval("ratio = a / b").query('ratio < 2 and region == "north"')
)PY";

const char16_t kPythonHeader[] = uR"PY(import os
import json
import math
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import statsmodels.api as sm

pd.set_option("display.width", 120)
df_all = pd.DataFrame({"a": np.arange(100), "b": np.arange(1, 101), "region": ["north"] * 100})
)PY";

const char16_t kSqlBlock[] = uR"SQL(
-- report %1: monthly revenue by store with a rolling average
WITH monthly_%1 AS (
    SELECT store_id, strftime('%Y-%m', sold_at) AS month, SUM(amount * (1 - discount)) AS revenue,
           COUNT(DISTINCT order_id) AS orders
    FROM sales
    WHERE sold_at >= '2024-01-01' AND status <> 'cancelled' AND note NOT LIKE '%DROP%'
    GROUP BY store_id, month
), ranked_%1 AS (
    SELECT m.*, AVG(revenue) OVER (PARTITION BY store_id ORDER BY month ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS rolling,
           RANK() OVER (PARTITION BY month ORDER BY revenue DESC) AS rnk
    FROM monthly_%1 m
)
SELECT r.store_id, s."name", r.month, ROUND(r.revenue, 2) AS revenue, ROUND(r.rolling, 2) AS rolling_3m, r.rnk
FROM ranked_%1 r JOIN stores s ON s.id = r.store_id
WHERE r.rnk <= 10 AND s.region IN ('north', 'south') /* top ten; 'it''s' quoted */
ORDER BY r.month, r.rnk
LIMIT 500;
)SQL";

QString build(const char16_t *header, const char16_t *block)
{
    QString text = QString::fromUtf16(header);
    const QString unit = QString::fromUtf16(block);
    for (int i = 1; text.size() < kTarget; ++i)
        text += unit.arg(i);
    // cut at the last full line within the target size
    text.truncate(text.lastIndexOf(u'\n', kTarget - 1) + 1);
    return text;
}

struct Timing {
    double p50Us = 0;
    double p99Us = 0;
    double mbPerS = 0;
    double cpuP50Us = 0; // this thread's CPU time: what the work costs, without
    double cpuP99Us = 0; // the time other processes took the core away
};

double threadCpuUs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(double(values.size()) * p))];
}

Timing measure(const safety::Classifier &classifier, const QString &text, Language language, int iterations,
               Verdict *last)
{
    std::vector<double> us, cpu;
    us.reserve(iterations);
    cpu.reserve(iterations);
    for (int i = 0; i < 20; ++i) // warm up caches and allocators
        *last = classifier.classify(text, language);
    QElapsedTimer clock;
    for (int i = 0; i < iterations; ++i) {
        const double cpuStart = threadCpuUs();
        clock.start();
        *last = classifier.classify(text, language);
        us.push_back(double(clock.nsecsElapsed()) / 1000.0);
        cpu.push_back(threadCpuUs() - cpuStart);
    }
    Timing t;
    t.p50Us = percentile(us, 0.5);
    t.p99Us = percentile(us, 0.99);
    t.cpuP50Us = percentile(cpu, 0.5);
    t.cpuP99Us = percentile(cpu, 0.99);
    const double bytes = double(text.toUtf8().size());
    t.mbPerS = bytes / (t.p50Us / 1e6) / 1e6;
    return t;
}

// Median wall time of `runs` Bandit calls on `files`, in microseconds.
double banditMedianUs(const QString &bandit, const QStringList &files, int runs)
{
    std::vector<double> us;
    for (int i = 0; i < runs; ++i) {
        QProcess process;
        QElapsedTimer clock;
        clock.start();
        process.start(bandit, QStringList{u"-q"_s, u"-f"_s, u"json"_s} + files);
        // A benchmark program, not product code: blocking here is fine.
        if (!process.waitForFinished(120000))
            return -1;
        us.push_back(double(clock.nsecsElapsed()) / 1000.0);
    }
    std::sort(us.begin(), us.end());
    return us[us.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int iterations = argc > 1 ? std::max(100, atoi(argv[1])) : 2000;
    QTextStream out(stdout);
    const safety::Classifier classifier;

    const QString python = build(kPythonHeader, kPythonBlock);
    const QString sql = build(u"", kSqlBlock);
    Verdict pyVerdict, sqlVerdict;
    const Timing py = measure(classifier, python, Language::Python, iterations, &pyVerdict);
    const Timing sq = measure(classifier, sql, Language::Sql, iterations, &sqlVerdict);

    out << "bench/classify: " << iterations << " runs each\n";
    auto line = [&out](const char *name, const QString &text, const Timing &t, const Verdict &v) {
        out << QStringLiteral("%1 %2 chars (%3 lines): wall p50 %4 us, p99 %5 us; cpu p50 %6 us, p99 %7 us; "
                              "%8 MB/s; verdict %9 (%10 findings)\n")
                   .arg(QLatin1String(name))
                   .arg(text.size())
                   .arg(text.count(u'\n'))
                   .arg(t.p50Us, 0, 'f', 1)
                   .arg(t.p99Us, 0, 'f', 1)
                   .arg(t.cpuP50Us, 0, 'f', 1)
                   .arg(t.cpuP99Us, 0, 'f', 1)
                   .arg(t.mbPerS, 0, 'f', 1)
                   .arg(safetyLabelName(v.label))
                   .arg(v.findings.size());
    };
    // Where the time goes: the lexers alone.
    auto lexP50 = [iterations](auto lex) {
        std::vector<double> us;
        QElapsedTimer clock;
        for (int i = 0; i < iterations; ++i) {
            clock.start();
            lex();
            us.push_back(double(clock.nsecsElapsed()) / 1000.0);
        }
        return percentile(us, 0.5);
    };
    const double pyLex = lexP50([&python] { return safety::lexPython(python).size(); });
    const double sqlLex = lexP50([&sql] { return safety::lexSql(sql).size(); });
    out << QStringLiteral("lexers alone: python p50 %1 us, sql p50 %2 us\n")
               .arg(pyLex, 0, 'f', 1)
               .arg(sqlLex, 0, 'f', 1);
    // Linear time: pathological inputs at 16,000 and 64,000 repetitions. A
    // linear lexer shows a ratio near 4, a quadratic one near 16.
    for (const QString &unit : {u"f'{"_s, u"(["_s, u"'"_s, u"\"\"\""_s, u"a.b("_s, u"x = 1 # c\n"_s}) {
        const QString small = unit.repeated(16000);
        const QString large = unit.repeated(64000);
        const double a = lexP50([&small] { return safety::lexPython(small).size(); });
        const double b = lexP50([&large] { return safety::lexPython(large).size(); });
        out << QStringLiteral("scaling x4 input, %1: %2 us -> %3 us (ratio %4)\n")
                   .arg(QString(unit).replace(u'\n', u' ').trimmed())
                   .arg(a, 0, 'f', 1)
                   .arg(b, 0, 'f', 1)
                   .arg(b / std::max(a, 0.001), 0, 'f', 1);
    }
    line("python", python, py, pyVerdict);
    line("sql   ", sql, sq, sqlVerdict);
    out << QStringLiteral("target: p99 < 1000 us per 50,000 chars -> wall %1, cpu %2\n")
               .arg(py.p99Us < 1000 ? u"met"_s : u"NOT met"_s, py.cpuP99Us < 1000 ? u"met"_s : u"NOT met"_s);
    out.flush();

    const QString bandit = QStandardPaths::findExecutable(u"bandit"_s);
    if (app.arguments().contains(u"--no-bandit"_s)) {
        out << "bandit: skipped (--no-bandit)\n";
        return 0;
    }
    if (bandit.isEmpty()) {
        out << "bandit: not installed (scripts/setup.d/41-bandit), no ratio\n";
        return 0;
    }
    QTemporaryDir dir;
    QStringList files;
    for (int i = 0; i < 10; ++i) {
        const QString path = dir.filePath(QStringLiteral("analysis_%1.py").arg(i));
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(python.toUtf8());
        files << path;
    }
    const double one = banditMedianUs(bandit, files.mid(0, 1), 5);
    const double ten = banditMedianUs(bandit, files, 3);
    if (one < 0 || ten < 0) {
        out << "bandit: did not finish\n";
        return 0;
    }
    const double perFile = ten / 10.0;
    out << QStringLiteral("bandit: one file %1 ms per call; ten files %2 ms per call = %3 ms per file\n")
               .arg(one / 1000.0, 0, 'f', 1)
               .arg(ten / 1000.0, 0, 'f', 1)
               .arg(perFile / 1000.0, 0, 'f', 1);
    out << QStringLiteral(
               "ratio: %1x faster than bandit per file (start-up amortised), %2x per call; target >= 50x -> %3\n")
               .arg(perFile / py.p50Us, 0, 'f', 0)
               .arg(one / py.p50Us, 0, 'f', 0)
               .arg(perFile / py.p50Us >= 50 ? u"met"_s : u"NOT met"_s);
    return 0;
}
