#pragma once

#include <QObject>

namespace Ui {
class MainWindow;
}

namespace safecell {

class MainWindow;
class Settings;

// The File, Edit, View and Help menus: connects MainWindow.ui's actions to
// what they act on (always the current tab, found when triggered) and
// builds the Help menu, which the form does not hold. The Run menu belongs
// to the run's own parts (RunToolBar, the window's wiring).
class WindowMenus : public QObject {
    Q_OBJECT
public:
    // Needs the window's panels, find bar and pane focus in place.
    WindowMenus(Ui::MainWindow &ui, MainWindow &window, const Settings &settings);

private:
    void wireFileMenu();
    // File > Export Report…: the current tab's last run, as HTML or PDF.
    void exportReport();
    void updateExportReport();
    void wireEditMenu();
    void wireViewMenu();
    void cycleTabs(int step);
    void addHelpMenu();

    Ui::MainWindow &m_ui;
    MainWindow &m_window;
    const Settings &m_settings;
};

} // namespace safecell
