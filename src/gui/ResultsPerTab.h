#pragma once

#include <QFont>
#include <QHash>
#include <QObject>

class QStackedWidget;

namespace safecell {

class EditorTab;
class RunResultsView;

// Each editor tab's results in one place of the window: a stack with a
// RunResultsView per tab, showing the current tab's. A run writes into its
// own tab's view even while another tab is shown; a closed tab's view goes
// with it.
class ResultsPerTab : public QObject {
    Q_OBJECT
public:
    ResultsPerTab(QStackedWidget *stack, QFont outputFont);

    // The tab's view, made on first use.
    RunResultsView *viewFor(EditorTab *tab);
    void show(EditorTab *tab);
    RunResultsView *current() const;
    int viewCount() const { return int(m_views.size()); }

private:
    QStackedWidget *m_stack;
    QFont m_font;
    QHash<EditorTab *, RunResultsView *> m_views;
};

} // namespace safecell
