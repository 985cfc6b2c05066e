#pragma once

#include "request/Language.h"

#include <QObject>

class QAction;
class QComboBox;
class QWidget;

namespace Ui {
class MainWindow;
}

namespace safecell {

class EditorTab;
class EditorTabs;
class Settings;
class TimeLimitControl;

// What sits beside Run, Stop and Restart session in the run toolbar: the
// current tab's language (also Run > Language, so the keyboard reaches it)
// and the time limit per run. While a run is on, Run and the language are
// disabled and Stop is enabled.
class RunToolBar : public QObject {
    Q_OBJECT
public:
    // `window` carries the Language menu (a menu needs a widget for a parent).
    RunToolBar(Ui::MainWindow &ui, Settings &settings, EditorTabs &tabs, QWidget *window);

    TimeLimitControl *timeLimit() const { return m_timeLimit; }
    // Shows `language` and gives it to the current tab.
    void setLanguage(Language language);
    // Shows the language of `tab`, just made current, without setting it back on the tab.
    void showLanguageOf(const EditorTab &tab);
    void setRunning(bool running);

private:
    void addLanguageMenu(Ui::MainWindow &ui, QWidget *window);
    void selectInBox(Language language);

    EditorTabs &m_tabs;
    QAction *m_run;
    QAction *m_stop;
    QComboBox *m_languageBox;
    TimeLimitControl *m_timeLimit = nullptr;
};

} // namespace safecell
