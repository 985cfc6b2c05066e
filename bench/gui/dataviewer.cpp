// bench_gui_dataviewer: the worst GUI-thread stall while the data viewer
// opens a 1,000,000-row DataFrame held by a real local kernel, scrolls
// through it to the end, sorts it both ways and filters it (target: < 50 ms
// each). The stall is the longest gap between 2 ms timer ticks on the GUI
// thread, less the interval; how long each step took to show its rows is
// printed beside it, and how much of the worst gap the GUI thread spent on
// the CPU (the rest is waiting for a core: on a loaded machine the kernel's
// sort and other processes compete with it). Prints figures; asserts nothing.
#include "gui/DataFrameViewer.h"
#include "gui/DataViewers.h"
#include "gui/MainWindow.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <ctime>
#include <functional>

using namespace safecell;

namespace {

constexpr int kProbeMs = 2;

qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// The longest gap between probe ticks since the last take().
class StallProbe {
public:
    StallProbe()
    {
        m_probe.setInterval(kProbeMs);
        m_probe.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_probe, &QTimer::timeout, [this] {
            const qint64 cpu = threadCpuNs();
            if (m_gap.nsecsElapsed() > m_worstNs) {
                m_worstNs = m_gap.nsecsElapsed();
                m_worstCpuNs = cpu - m_cpuAtTick;
            }
            m_cpuAtTick = cpu;
            m_gap.restart();
        });
        m_cpuAtTick = threadCpuNs();
        m_gap.start();
        m_probe.start();
    }
    // The worst stall since the last take(), and the GUI thread's CPU time in it (ms).
    std::pair<double, double> take()
    {
        const double ms = std::max(0.0, double(m_worstNs - kProbeMs * 1'000'000LL) / 1e6);
        const double cpuMs = double(m_worstCpuNs) / 1e6;
        m_worstNs = 0;
        m_worstCpuNs = 0;
        m_cpuAtTick = threadCpuNs();
        m_gap.restart();
        return {ms, cpuMs};
    }

private:
    QTimer m_probe;
    QElapsedTimer m_gap;
    qint64 m_worstNs = 0;
    qint64 m_worstCpuNs = 0;
    qint64 m_cpuAtTick = 0;
};

void spin(int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

// Spins the event loop until `done`; the milliseconds it took, -1 on timeout.
double until(const std::function<bool()> &done, int timeoutMs = 120000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return -1;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return double(clock.nsecsElapsed()) / 1e6;
}

bool visibleRowsLoaded(const DataFrameViewer &viewer)
{
    const QTableView *view = viewer.view();
    const int first = view->rowAt(0);
    int last = view->rowAt(view->viewport()->height() - 1);
    if (last < 0)
        last = viewer.model()->rowCount() - 1;
    if (first < 0)
        return viewer.model()->shapeKnown() && viewer.model()->rowCount() == 0;
    for (int row = first; row <= last; ++row) {
        if (!viewer.model()->isRowLoaded(row))
            return false;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QTextStream out(stdout);
    QTemporaryDir dir;
    qputenv("SAFECELL_DATA_DIR", dir.filePath(QStringLiteral("data")).toUtf8());
    qunsetenv("E2B_API_KEY");
    qunsetenv("COHERE_API_KEY");
    Settings settings(dir.filePath(QStringLiteral("bench.ini")));
    KeyStore keys(QStringLiteral("org.safecell.bench"));
    MainWindow window(settings, keys);
    window.show();
    spin(500);

    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.setLanguage(Language::Python);
    window.setCode(QStringLiteral(
        "import numpy as np\nimport pandas as pd\n"
        "n = 1_000_000\n"
        "rng = np.random.default_rng(7)\n"
        "big = pd.DataFrame({'id': np.arange(n), 'amount': rng.normal(100, 30, n).round(2),\n"
        "                    'region': pd.Categorical(rng.choice(['North', 'South', 'East', 'West'], n)),\n"
        "                    'label': ['row %d' % i for i in range(n)],\n"
        "                    'when': pd.date_range('2020-01-01', periods=n, freq='min')})\n"));
    QElapsedTimer made;
    made.start();
    window.run();
    if (!finished.wait(300000)) {
        out << "the run making the frame did not end\n";
        return 1;
    }
    out << "1,000,000 x 5 DataFrame made in the kernel in " << made.elapsed() << " ms\n";
    spin(300);

    StallProbe probe;
    const auto report = [&out, &probe](const char *step, double ms) {
        const auto [stall, cpu] = probe.take();
        out << step << ": rows shown after " << QString::number(ms, 'f', 1) << " ms, worst GUI-thread stall "
            << QString::number(stall, 'f', 1) << " ms (target < 50 ms), " << QString::number(cpu, 'f', 1)
            << " ms of it on the GUI thread's CPU\n";
        out.flush();
    };
    probe.take();
    DataFrameViewer *viewer = window.dataViewers()->open(QStringLiteral("big"));
    report("open", until([viewer] { return viewer->model()->shapeKnown() && visibleRowsLoaded(*viewer); }));
    if (!viewer->model()->error().isEmpty()) {
        out << "the viewer failed: " << viewer->model()->error() << '\n';
        return 1;
    }

    // As a drag of the scroll bar's thumb: 100 positions, 20 ms apart, then the end.
    QScrollBar *bar = viewer->view()->verticalScrollBar();
    QElapsedTimer scrolled;
    scrolled.start();
    for (int step = 1; step <= 100; ++step) {
        bar->setValue(int(qint64(bar->maximum()) * step / 100));
        spin(20);
    }
    viewer->view()->scrollToBottom();
    until([viewer] { return visibleRowsLoaded(*viewer); });
    report("scroll to the end (100 drag steps, 2 s)", double(scrolled.nsecsElapsed()) / 1e6);

    viewer->view()->sortByColumn(1, Qt::AscendingOrder); // as a click on the amount header
    report("sort by amount, ascending (at the end)", until([viewer] { return visibleRowsLoaded(*viewer); }));
    viewer->view()->scrollToTop();
    viewer->view()->sortByColumn(3, Qt::DescendingOrder);
    report("sort by label (text), descending", until([viewer] { return visibleRowsLoaded(*viewer); }));
    viewer->filterEdit()->setText(QStringLiteral("row 99"));
    QElapsedTimer filtered;
    filtered.start();
    until([viewer] { return viewer->model()->rowCount() < 1'000'000 && visibleRowsLoaded(*viewer); });
    report("filter 'row 99' in any column (300 ms debounce included)", double(filtered.nsecsElapsed()) / 1e6);
    out << "rows matching the filter: " << viewer->model()->rowCount() << '\n';
    viewer->close();
    return 0;
}
