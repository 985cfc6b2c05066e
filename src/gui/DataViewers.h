#pragma once

#include "gui/DataFrameViewer.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace safecell {

class RunController;

// The window's data viewers, one per DataFrame name: opened (or raised)
// from the Variables pane, fed their pages by the session's sandbox
// through the RunController, and asked to reload after each run and when
// the session is cleared, since the frame they show may have changed.
class DataViewers : public QObject {
    Q_OBJECT
public:
    DataViewers(RunController &runs, QWidget *window);

    DataFrameViewer *open(const QString &name);
    DataFrameViewer *viewer(const QString &name) const { return m_viewers.value(name); }

private:
    void reloadAll();

    RunController &m_runs;
    QWidget *m_window;
    QHash<QString, QPointer<DataFrameViewer>> m_viewers;
};

} // namespace safecell
