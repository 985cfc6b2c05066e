#include "WindowMenus.h"

#include "ui_MainWindow.h"

#include "gui/EditorCommands.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindBar.h"
#include "gui/HelpDialogs.h"
#include "gui/MainWindow.h"
#include "gui/PaneFocus.h"
#include "gui/ReportExport.h"
#include "gui/RunController.h"
#include "gui/RunResultsView.h"
#include "gui/SnippetFile.h"
#include "gui/StatusLine.h"
#include "gui/TimeLimitControl.h"

#include <Qsci/qsciscintilla.h>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTabWidget>

namespace safecell {

WindowMenus::WindowMenus(Ui::MainWindow &ui, MainWindow &window, const Settings &settings)
    : QObject(&window)
    , m_ui(ui)
    , m_window(window)
    , m_settings(settings)
{
    wireFileMenu();
    wireEditMenu();
    wireViewMenu();
    addHelpMenu();
}

void WindowMenus::wireFileMenu()
{
    MainWindow *window = &m_window;
    connect(m_ui.actionNew, &QAction::triggered, this, [window] { window->snippetFile()->newSnippet(); });
    connect(m_ui.actionOpen, &QAction::triggered, this, [window] { window->snippetFile()->open(QString()); });
    connect(m_ui.actionSave, &QAction::triggered, this, [window] { window->snippetFile()->save(); });
    connect(m_ui.actionSaveAs, &QAction::triggered, this, [window] { window->snippetFile()->saveAs(QString()); });
    connect(m_ui.actionNewTab, &QAction::triggered, this,
            [window] { window->tabs()->addTab(QString(), window->language()); });
    connect(m_ui.actionCloseTab, &QAction::triggered, this,
            [window] { window->tabs()->closeTab(window->tabs()->currentIndex()); });
    connect(m_ui.actionSettings, &QAction::triggered, window, &MainWindow::openSettings);
    connect(m_ui.actionQuit, &QAction::triggered, window, &QWidget::close);
    connect(m_ui.menuRecent, &QMenu::aboutToShow, this,
            [this] { m_window.snippetFile()->fillRecentMenu(m_ui.menuRecent); });
    connect(m_ui.actionExportReport, &QAction::triggered, this, &WindowMenus::exportReport);
    // A tab's last run ends, or another tab (with or without one) is shown.
    connect(&m_window, &MainWindow::runFinished, this, &WindowMenus::updateExportReport);
    connect(window->tabs(), &EditorTabs::currentChanged, this, &WindowMenus::updateExportReport);
    connect(m_ui.actionRun, &QAction::triggered, this, &WindowMenus::updateExportReport);
}

void WindowMenus::updateExportReport()
{
    const RunResultsView *view = m_window.resultsView();
    m_ui.actionExportReport->setEnabled(view && view->lastRun());
}

void WindowMenus::exportReport()
{
    updateExportReport();
    const RunResultsView *view = m_window.resultsView();
    if (!view || !view->lastRun()) {
        m_window.statusLine()->setText(tr("Nothing to export yet: run this tab's snippet first"));
        return;
    }
    const ReportedRun run = *view->lastRun(); // a copy: the tab may run again while the dialog is open
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = QDir(folder).filePath(
        QStringLiteral("safecell-run-%1.html").arg(run.finishedAt.toString(u"yyyyMMdd-HHmmss")));
    const QString html = tr("Web page (*.html)");
    const QString pdf = tr("PDF (*.pdf)");
    QString filter = html;
    QString path = QFileDialog::getSaveFileName(&m_window, tr("Export Report"), suggested,
                                                html + QStringLiteral(";;") + pdf, &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += filter == pdf ? QStringLiteral(".pdf") : QStringLiteral(".html");
    const auto written = writeRunReport(run, path);
    if (written)
        m_window.statusLine()->setText(tr("Report saved to %1").arg(QDir::toNativeSeparators(*written)));
    else
        QMessageBox::warning(&m_window, tr("Export Report"), written.error());
}

void WindowMenus::wireEditMenu()
{
    MainWindow *window = &m_window;
    FindBar *findBar = window->findBar();
    connect(m_ui.actionFind, &QAction::triggered, findBar, &FindBar::openFind);
    connect(m_ui.actionReplace, &QAction::triggered, findBar, &FindBar::openReplace);
    connect(m_ui.actionFindNext, &QAction::triggered, findBar, &FindBar::findNext);
    connect(m_ui.actionFindPrevious, &QAction::triggered, findBar, &FindBar::findPrevious);
    connect(m_ui.actionToggleComment, &QAction::triggered, this,
            [window] { toggleCommentInEditor(window->editor(), window->language()); });
    m_ui.actionZoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    // Zoom keys act on what has focus: the editor here, a figure in its own view.
    for (QAction *zoom : {m_ui.actionZoomIn, m_ui.actionZoomOut, m_ui.actionZoomReset}) {
        zoom->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_ui.editorPage->addAction(zoom);
    }
    connect(m_ui.actionZoomIn, &QAction::triggered, this, [window] { window->editor()->zoomIn(); });
    connect(m_ui.actionZoomOut, &QAction::triggered, this, [window] { window->editor()->zoomOut(); });
    connect(m_ui.actionZoomReset, &QAction::triggered, this, [window] { window->editor()->zoomTo(0); });
}

// Tabs, panes and the windows of the View menu.
void WindowMenus::wireViewMenu()
{
    m_ui.actionNextTab->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_PageDown), QKeySequence(Qt::CTRL | Qt::Key_Tab)});
    m_ui.actionPreviousTab->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_PageUp), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab)});
    connect(m_ui.actionNextTab, &QAction::triggered, this, [this] { cycleTabs(1); });
    connect(m_ui.actionPreviousTab, &QAction::triggered, this, [this] { cycleTabs(-1); });
    PaneFocus *panes = m_window.paneFocus();
    m_ui.menuView->insertActions(m_ui.actionNextTab, {panes->nextAction(), panes->previousAction()});
    connect(m_ui.actionSpendDashboard, &QAction::triggered, &m_window, &MainWindow::openSpendDashboard);
    connect(m_ui.actionHistory, &QAction::triggered, &m_window, &MainWindow::openHistory);
    connect(m_ui.actionWhatWasSent, &QAction::triggered, &m_window, &MainWindow::showWhatWasSent);
}

// The tabs of the pane that has the keyboard: the results' when they do, else the snippets'.
void WindowMenus::cycleTabs(int step)
{
    QTabWidget *results = m_window.resultTabs();
    if (QWidget *focus = m_window.focusWidget();
        focus && m_ui.resultsStack->isAncestorOf(focus) && results->count() > 1) {
        results->setCurrentIndex((results->currentIndex() + step + results->count()) % results->count());
        results->currentWidget()->setFocus(Qt::TabFocusReason);
    } else if (step > 0) {
        m_window.tabs()->next();
    } else {
        m_window.tabs()->previous();
    }
}

void WindowMenus::addHelpMenu()
{
    MainWindow *window = &m_window;
    QMenu *menu = window->menuBar()->addMenu(tr("&Help"));
    menu->setObjectName(QStringLiteral("menuHelp"));
    QAction *shortcuts = menu->addAction(tr("&Keyboard shortcuts"), this, [window] { help::openShortcuts(window); });
    shortcuts->setObjectName(QStringLiteral("actionShortcuts"));
    shortcuts->setShortcut(QKeySequence::HelpContents);
    QAction *rules = menu->addAction(tr("&What can snippets do?"), this, [this, window] {
        help::openSnippetRules(m_settings, window->timeLimit()->limitMs(),
                               window->runController()->sessionHasInternet(), window);
    });
    rules->setObjectName(QStringLiteral("actionSnippetRules"));
    menu->addSeparator();
    QAction *about = menu->addAction(tr("&About SafeCell"), this, [window] { help::showAbout(window); });
    about->setObjectName(QStringLiteral("actionAbout"));
}

} // namespace safecell
