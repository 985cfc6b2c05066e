#include "PaneFocus.h"

#include <QAction>
#include <QApplication>
#include <QWidget>

namespace safecell {

PaneFocus::PaneFocus(QWidget *window, QList<Pane> panes)
    : QObject(window)
    , m_window(window)
    , m_panes(std::move(panes))
    , m_next(new QAction(tr("Next &pane"), window))
    , m_previous(new QAction(tr("Previous pan&e"), window))
{
    m_next->setObjectName(QStringLiteral("actionNextPane"));
    m_next->setShortcut(QKeySequence(Qt::Key_F6));
    m_next->setToolTip(tr("Move the keyboard to the next pane: editor, results, findings, Ask (F6)"));
    m_previous->setObjectName(QStringLiteral("actionPreviousPane"));
    m_previous->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F6));
    connect(m_next, &QAction::triggered, this, [this] { move(1); });
    connect(m_previous, &QAction::triggered, this, [this] { move(-1); });
}

int PaneFocus::currentPane() const
{
    const QWidget *focus = QApplication::focusWidget();
    for (int i = 0; focus && i < m_panes.size(); ++i) {
        const QWidget *pane = m_panes[i]();
        if (pane && (pane == focus || pane->isAncestorOf(focus)))
            return i;
    }
    return -1;
}

void PaneFocus::move(int step)
{
    const int count = int(m_panes.size());
    int from = currentPane();
    if (from < 0)
        from = step > 0 ? count - 1 : 0; // nothing focused: forward starts at the first pane, back at the last
    for (int n = 1; n <= count; ++n) {
        const int index = ((from + step * n) % count + count) % count;
        QWidget *pane = m_panes[index]();
        if (pane && pane->isVisible() && pane->isEnabled() && focusInto(pane))
            return;
    }
}

bool PaneFocus::focusInto(QWidget *pane)
{
    if (pane->focusPolicy() & Qt::TabFocus) {
        pane->setFocus(Qt::ShortcutFocusReason);
        return true;
    }
    // The pane's first widget that takes the keyboard.
    for (QWidget *w = pane->nextInFocusChain(); w && w != pane; w = w->nextInFocusChain()) {
        if (pane->isAncestorOf(w) && w->isVisibleTo(pane->window()) && w->isEnabled()
            && (w->focusPolicy() & Qt::TabFocus)) {
            w->setFocus(Qt::ShortcutFocusReason);
            return true;
        }
    }
    return false;
}

} // namespace safecell
