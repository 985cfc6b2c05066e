#include "EditorTabs.h"

#include "gui/EditorTab.h"
#include "gui/TabSession.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QFileInfo>
#include <QTabWidget>

namespace safecell {

EditorTabs::EditorTabs(QTabWidget *tabs, Settings &settings, QWidget *dialogParent)
    : QObject(tabs)
    , m_tabs(tabs)
    , m_settings(settings)
    , m_dialogParent(dialogParent)
{
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) { closeTab(index); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (EditorTab *tab = current()) {
            Q_EMIT currentChanged(tab);
            Q_EMIT currentTitleChanged(tab->file()->displayName());
        }
    });
}

EditorTab *EditorTabs::current() const
{
    return qobject_cast<EditorTab *>(m_tabs->currentWidget());
}

EditorTab *EditorTabs::tab(int index) const
{
    return qobject_cast<EditorTab *>(m_tabs->widget(index));
}

int EditorTabs::count() const
{
    return m_tabs->count();
}

int EditorTabs::indexOf(EditorTab *tab) const
{
    return m_tabs->indexOf(tab);
}

int EditorTabs::currentIndex() const
{
    return m_tabs->currentIndex();
}

void EditorTabs::setCurrentIndex(int index)
{
    m_tabs->setCurrentIndex(index);
}

EditorTab *EditorTabs::makeTab()
{
    auto *tab = new EditorTab(m_settings, m_dialogParent);
    // Untitled tabs told apart: the first is "Untitled", then "Untitled 2", ...
    if (++m_untitledCount > 1)
        tab->file()->setUntitledName(tr("Untitled %1").arg(m_untitledCount));
    if (m_prompt)
        tab->file()->setUnsavedPrompt(m_prompt);
    connect(tab, &EditorTab::titleChanged, this, [this, tab] { updateTitle(tab); });
    return tab;
}

EditorTab *EditorTabs::addTab(const QString &code, Language language)
{
    EditorTab *tab = makeTab();
    tab->setLanguage(language);
    tab->editor()->setText(code);
    tab->editor()->setModified(false);
    const int index = m_tabs->addTab(tab, tab->file()->displayName());
    m_tabs->setCurrentIndex(index);
    updateTitle(tab);
    tab->setFocus();
    return tab;
}

EditorTab *EditorTabs::openFile(const QString &path)
{
    const QString wanted = QFileInfo(path).canonicalFilePath();
    for (int i = 0; i < m_tabs->count() && !wanted.isEmpty(); ++i) {
        if (QFileInfo(tab(i)->file()->path()).canonicalFilePath() == wanted) {
            m_tabs->setCurrentIndex(i);
            return tab(i);
        }
    }
    EditorTab *opened = addTab(QString(), languageForPath(path).value_or(Language::Python));
    if (opened->file()->open(path))
        return opened;
    closeTab(indexOf(opened));
    return nullptr;
}

bool EditorTabs::closeTab(int index)
{
    EditorTab *tab = this->tab(index);
    if (!tab || !tab->file()->maybeKeepChanges())
        return false;
    if (m_tabs->count() == 1)
        addTab(); // never without an editor
    m_tabs->removeTab(m_tabs->indexOf(tab));
    tab->deleteLater();
    if (EditorTab *now = current())
        now->setFocus();
    return true;
}

void EditorTabs::next()
{
    if (m_tabs->count() > 1)
        m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count());
}

void EditorTabs::previous()
{
    if (m_tabs->count() > 1)
        m_tabs->setCurrentIndex((m_tabs->currentIndex() + m_tabs->count() - 1) % m_tabs->count());
}

bool EditorTabs::maybeKeepAllChanges()
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (!tab(i)->file()->maybeKeepChanges(true)) {
            m_tabs->setCurrentIndex(i);
            return false;
        }
    }
    return true;
}

void EditorTabs::saveSession() const
{
    TabSession session;
    for (int i = 0; i < m_tabs->count(); ++i) {
        const EditorTab *t = tab(i);
        session.tabs.append(TabState{t->editor()->text(), t->language(), t->file()->path()});
    }
    session.current = m_tabs->currentIndex();
    session.save(m_settings);
    // The current tab also where versions without tabs look for it.
    if (const EditorTab *t = current()) {
        m_settings.setValue(Setting::EditorLastCode, t->editor()->text());
        m_settings.setValue(Setting::EditorLastLanguage, languageName(t->language()));
        m_settings.setValue(Setting::EditorLastFile, t->file()->path());
    }
}

void EditorTabs::restoreSession()
{
    auto session = TabSession::load(m_settings);
    if (!session) {
        TabState single;
        single.code = m_settings.string(Setting::EditorLastCode);
        single.language = languageFromName(m_settings.string(Setting::EditorLastLanguage)).value_or(Language::Python);
        single.path = m_settings.string(Setting::EditorLastFile);
        session = TabSession{{single}, 0};
    }
    const int first = m_tabs->count();
    m_untitledCount = 0; // the restored tabs are numbered from the start
    for (const TabState &state : std::as_const(session->tabs)) {
        EditorTab *tab = addTab(state.code, state.language);
        // A file's unsaved edit comes back marked modified (SnippetFile::restore).
        tab->file()->restore(state.path);
    }
    m_tabs->setCurrentIndex(first + session->current);
}

void EditorTabs::setUnsavedPrompt(SnippetFile::UnsavedPrompt prompt)
{
    m_prompt = std::move(prompt);
    for (int i = 0; i < m_tabs->count(); ++i)
        tab(i)->file()->setUnsavedPrompt(m_prompt);
}

void EditorTabs::updateTitle(EditorTab *tab)
{
    const int index = m_tabs->indexOf(tab);
    if (index < 0)
        return;
    m_tabs->setTabText(index, tab->file()->displayName());
    m_tabs->setTabToolTip(index, tab->file()->path().isEmpty() ? tab->file()->displayName()
                                                               : QFileInfo(tab->file()->path()).absoluteFilePath());
    if (tab == current())
        Q_EMIT currentTitleChanged(tab->file()->displayName());
}

} // namespace safecell
