#pragma once

#include <QList>
#include <QObject>

#include <functional>

class QAction;
class QWidget;

namespace safecell {

// F6 and Shift+F6 move the keyboard between the window's panes, since the
// editor keeps Tab for indenting: the editor, the results, the findings
// (when shown) and the Ask box. Inside a pane, Tab moves as usual.
class PaneFocus : public QObject {
    Q_OBJECT
public:
    // Each pane as it is now; a pane that is null, hidden or disabled is skipped.
    using Pane = std::function<QWidget *()>;

    PaneFocus(QWidget *window, QList<Pane> panes);

    QAction *nextAction() const { return m_next; }
    QAction *previousAction() const { return m_previous; }
    // The pane that holds the focus; -1 when none does.
    int currentPane() const;
    void move(int step);

private:
    static bool focusInto(QWidget *pane);

    QWidget *m_window;
    QList<Pane> m_panes;
    QAction *m_next;
    QAction *m_previous;
};

} // namespace safecell
