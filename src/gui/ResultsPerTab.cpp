#include "ResultsPerTab.h"

#include "gui/EditorTab.h"
#include "gui/RunResultsView.h"

#include <QStackedWidget>

namespace safecell {

ResultsPerTab::ResultsPerTab(QStackedWidget *stack, QFont outputFont)
    : QObject(stack)
    , m_stack(stack)
    , m_font(std::move(outputFont))
{
}

RunResultsView *ResultsPerTab::viewFor(EditorTab *tab)
{
    if (RunResultsView *view = m_views.value(tab))
        return view;
    auto *view = new RunResultsView(m_font, m_stack);
    m_stack->addWidget(view);
    m_views.insert(tab, view);
    connect(tab, &QObject::destroyed, this, [this, tab] {
        if (RunResultsView *gone = m_views.take(tab)) {
            m_stack->removeWidget(gone);
            gone->deleteLater();
        }
    });
    return view;
}

void ResultsPerTab::show(EditorTab *tab)
{
    if (tab)
        m_stack->setCurrentWidget(viewFor(tab));
}

RunResultsView *ResultsPerTab::current() const
{
    return qobject_cast<RunResultsView *>(m_stack->currentWidget());
}

} // namespace safecell
