#pragma once

#include "gui/SnippetFile.h"
#include "gui/TabSession.h"
#include "request/Language.h"

#include <QObject>

class QTabWidget;

namespace safecell {

class EditorTab;
class Settings;

// Several snippets at once: the editor tabs of the window, with new, close
// (asking about unsaved changes), next and previous. What they hold is a
// TabSession (snapshot()), autosaved by TabAutosave and brought back by
// SessionRecovery.
class EditorTabs : public QObject {
    Q_OBJECT
public:
    EditorTabs(QTabWidget *tabs, Settings &settings, QWidget *dialogParent);

    EditorTab *current() const;
    EditorTab *tab(int index) const;
    int count() const;
    int indexOf(EditorTab *tab) const;
    int currentIndex() const;
    void setCurrentIndex(int index);

    // A new tab after the others, made current.
    EditorTab *addTab(const QString &code = {}, Language language = Language::Python);
    // The file in a new tab, made current; the tab that has it already
    // when one does. Null when it cannot be read (the analyst is told).
    EditorTab *openFile(const QString &path);
    // False when the analyst kept the tab (Cancel). The last tab closed
    // leaves a fresh empty one.
    bool closeTab(int index);
    void next();
    void previous();

    // Untitled tabs numbered in order again ("Untitled", "Untitled 2"...),
    // tabs with names of their own ("Welcome") left as they are.
    void renumberUntitled();

    // Every tab asks about its unsaved file; false when one was kept.
    bool maybeKeepAllChanges();
    // Every tab's code, language and file, and which one is current.
    TabSession snapshot() const;
    // The current tab where versions without tabs look for it (settings).
    void saveForOlderVersions() const;

    // Applied to every tab, now and later (tests answer it without a dialog).
    void setUnsavedPrompt(SnippetFile::UnsavedPrompt prompt);

Q_SIGNALS:
    void currentChanged(safecell::EditorTab *tab);
    void currentTitleChanged(const QString &title);
    // Something snapshot() holds changed: text, a language, a file, a tab
    // added, closed, moved or made current.
    void sessionChanged();

private:
    EditorTab *makeTab();
    int nextUntitledNumber() const;
    void updateTitle(EditorTab *tab);

    QTabWidget *m_tabs;
    Settings &m_settings;
    QWidget *m_dialogParent;
    SnippetFile::UnsavedPrompt m_prompt;
};

} // namespace safecell
