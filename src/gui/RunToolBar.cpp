#include "RunToolBar.h"

#include "ui_MainWindow.h"

#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/TimeLimitControl.h"

#include <QActionGroup>
#include <QComboBox>
#include <QMenu>
#include <QToolButton>

#include <utility>

namespace safecell {

RunToolBar::RunToolBar(Ui::MainWindow &ui, Settings &settings, EditorTabs &tabs, QWidget *window)
    : QObject(window)
    , m_tabs(tabs)
    , m_run(ui.actionRun)
    , m_stop(ui.actionStop)
    , m_languageBox(new QComboBox(window))
{
    ui.actionRun->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_languageBox->setObjectName(QStringLiteral("languageBox"));
    m_languageBox->setAccessibleName(tr("Language"));
    m_languageBox->setToolTip(tr("The language of this tab's snippet"));
    m_languageBox->addItem(tr("Python"), QVariant::fromValue(static_cast<int>(Language::Python)));
    m_languageBox->addItem(tr("SQL"), QVariant::fromValue(static_cast<int>(Language::Sql)));
    ui.runToolBar->insertWidget(ui.actionRun, m_languageBox);
    m_timeLimit = new TimeLimitControl(settings, ui.runToolBar, ui.actionRun, this);
    ui.menuRun->addAction(m_timeLimit->focusAction());
    ui.runToolBar->insertSeparator(ui.actionRun);
    addLanguageMenu(ui, window);
    // The box's choice, not the tab's own language (which is what it changes).
    connect(m_languageBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (EditorTab *tab = m_tabs.current(); tab && index >= 0)
            tab->setLanguage(Language(m_languageBox->itemData(index).toInt()));
    });
    // A label beside each icon: "Restart session" must say what it does.
    for (QAction *action : {ui.actionRun, ui.actionStop, ui.actionRestartSession}) {
        if (auto *button = qobject_cast<QToolButton *>(ui.runToolBar->widgetForAction(action)))
            button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    }
}

// The box's choice from the keyboard: Run > Language > Python / SQL.
void RunToolBar::addLanguageMenu(Ui::MainWindow &ui, QWidget *window)
{
    auto *languageMenu = new QMenu(tr("&Language"), window);
    languageMenu->setObjectName(QStringLiteral("menuLanguage"));
    auto *languages = new QActionGroup(languageMenu);
    const std::pair<QString, Language> choices[] = {{tr("&Python"), Language::Python}, {tr("&SQL"), Language::Sql}};
    for (const auto &[text, language] : choices) {
        QAction *choice = languageMenu->addAction(text);
        choice->setCheckable(true);
        choice->setData(static_cast<int>(language));
        languages->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, language = language] { selectInBox(language); });
    }
    ui.menuRun->insertMenu(ui.actionRun, languageMenu);
    // The menu shows the tab's language, however it was set.
    connect(languageMenu, &QMenu::aboutToShow, this, [this, languages] {
        const int current = static_cast<int>(m_tabs.current()->language());
        for (QAction *choice : languages->actions())
            choice->setChecked(choice->data().toInt() == current);
    });
}

void RunToolBar::setLanguage(Language language)
{
    m_tabs.current()->setLanguage(language);
    selectInBox(language);
}

void RunToolBar::showLanguageOf(const EditorTab &tab)
{
    const QSignalBlocker quiet(m_languageBox);
    selectInBox(tab.language());
}

void RunToolBar::selectInBox(Language language)
{
    m_languageBox->setCurrentIndex(m_languageBox->findData(static_cast<int>(language)));
}

void RunToolBar::setRunning(bool running)
{
    m_run->setEnabled(!running);
    m_stop->setEnabled(running);
    m_languageBox->setEnabled(!running);
}

} // namespace safecell
