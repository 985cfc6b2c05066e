#include "EditorTabs.h"

#include "gui/EditorTab.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QFileInfo>
#include <QSet>
#include <QTabBar>
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
        Q_EMIT sessionChanged();
    });
    connect(m_tabs->tabBar(), &QTabBar::tabMoved, this, &EditorTabs::sessionChanged);
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
    // Untitled tabs told apart: "Untitled", then "Untitled 2", ..., the lowest number no open tab has.
    if (const int n = nextUntitledNumber(); n > 1)
        tab->file()->setUntitledName(tr("Untitled %1").arg(n));
    if (m_prompt)
        tab->file()->setUnsavedPrompt(m_prompt);
    connect(tab, &EditorTab::titleChanged, this, [this, tab] {
        updateTitle(tab);
        Q_EMIT sessionChanged(); // the file may have changed
    });
    connect(tab, &EditorTab::languageChanged, this, &EditorTabs::sessionChanged);
    connect(tab->editor(), &QsciScintilla::textChanged, this, &EditorTabs::sessionChanged);
    return tab;
}

void EditorTabs::renumberUntitled()
{
    int n = 0;
    for (int i = 0; i < m_tabs->count(); ++i) {
        SnippetFile *file = tab(i)->file();
        const QString name = file->untitledName();
        if (!file->path().isEmpty() || (!name.isEmpty() && !name.startsWith(tr("Untitled"))))
            continue;
        file->setUntitledName(++n > 1 ? tr("Untitled %1").arg(n) : QString());
    }
}

int EditorTabs::nextUntitledNumber() const
{
    QSet<int> taken;
    for (int i = 0; i < m_tabs->count(); ++i) {
        const SnippetFile *file = tab(i)->file();
        if (!file->path().isEmpty())
            continue;
        const QString name = file->untitledName();
        if (name.isEmpty())
            taken.insert(1);
        else if (name.startsWith(tr("Untitled ")))
            taken.insert(name.mid(tr("Untitled ").size()).toInt());
    }
    int n = 1;
    while (taken.contains(n))
        ++n;
    return n;
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
    Q_EMIT sessionChanged();
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

TabSession EditorTabs::snapshot() const
{
    TabSession session;
    for (int i = 0; i < m_tabs->count(); ++i) {
        const EditorTab *t = tab(i);
        // An untitled tab's own name ("Welcome"), not its number ("Untitled 2"), which is given again.
        const QString name = t->file()->untitledName();
        const bool numbered = name.isEmpty() || name.startsWith(tr("Untitled"));
        session.tabs.append(
            TabState{t->editor()->text(), t->language(), t->file()->path(), numbered ? QString() : name});
    }
    session.current = std::max(0, m_tabs->currentIndex());
    return session;
}

void EditorTabs::saveForOlderVersions() const
{
    // All three together, at a clean quit only: a file name kept apart from
    // its code once made an empty tab of a file after a crash.
    if (const EditorTab *t = current()) {
        m_settings.setValue(Setting::EditorLastCode, t->editor()->text());
        m_settings.setValue(Setting::EditorLastLanguage, languageName(t->language()));
        m_settings.setValue(Setting::EditorLastFile, t->file()->path());
    }
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
