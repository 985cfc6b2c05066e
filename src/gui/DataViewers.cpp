#include "DataViewers.h"

#include "gui/DataFrameViewer.h"
#include "gui/RunController.h"

namespace safecell {

DataViewers::DataViewers(RunController &runs, QWidget *window)
    : QObject(window)
    , m_runs(runs)
    , m_window(window)
{
    connect(&m_runs, &RunController::finished, this, &DataViewers::reloadAll);
    connect(&m_runs, &RunController::sessionCleared, this, &DataViewers::reloadAll);
}

DataFrameViewer *DataViewers::open(const QString &name)
{
    if (DataFrameViewer *existing = m_viewers.value(name)) {
        existing->show();
        existing->raise();
        existing->activateWindow();
        return existing;
    }
    RunController *runs = &m_runs;
    auto *viewer = new DataFrameViewer(
        name, [runs](const DataPageRequest &request) { runs->requestDataPage(request); }, m_window);
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    connect(&m_runs, &RunController::dataPageReady, viewer, &DataFrameViewer::acceptPage);
    m_viewers.insert(name, viewer);
    viewer->show();
    return viewer;
}

void DataViewers::reloadAll()
{
    for (const QPointer<DataFrameViewer> &viewer : std::as_const(m_viewers)) {
        if (viewer)
            viewer->reload();
    }
}

} // namespace safecell
