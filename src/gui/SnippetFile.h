#pragma once

#include "request/Language.h"

#include <QMessageBox>
#include <QObject>
#include <QStringList>

#include <functional>

class QMenu;
class QsciScintilla;
class QWidget;

namespace safecell {

class Settings;

// The editor's file: open and save .py / .sql, the recent files list, and
// the prompt before unsaved changes would be lost.
class SnippetFile : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxRecentFiles = 10;
    // Asks what to do with unsaved changes: Save, Discard or Cancel. A test
    // replaces it to answer without a dialog.
    using UnsavedPrompt = std::function<QMessageBox::StandardButton(QWidget *parent, const QString &name)>;

    SnippetFile(QsciScintilla *editor, Settings &settings, QWidget *dialogParent);

    QString path() const { return m_path; }
    QString displayName() const;
    // What an untitled snippet is called ("Untitled 2" in a second tab).
    void setUntitledName(const QString &name);
    bool isModified() const;
    QStringList recentFiles() const;
    void setUnsavedPrompt(UnsavedPrompt prompt) { m_prompt = std::move(prompt); }

    // Each returns false when nothing happened (cancelled or failed; a
    // failure is shown to the analyst and left in lastError()).
    bool open(const QString &path);
    bool save();
    bool saveAs(const QString &path);
    bool newSnippet();
    // True when the content may be replaced (or, closing, the window closed:
    // an untitled snippet is kept across restarts, so closing never asks for it).
    bool maybeKeepChanges(bool closing = false);
    QString lastError() const { return m_error; }

    // The editor's path after a restart; a missing file leaves it untitled.
    void restore(const QString &path);
    void fillRecentMenu(QMenu *menu);

Q_SIGNALS:
    void languageDetected(safecell::Language language);
    void titleChanged(const QString &title);

private:
    void setPath(const QString &path);
    void addRecent(const QString &path);
    void fail(const QString &message);
    QString askOpenPath();
    QString askSavePath();

    QsciScintilla *m_editor;
    Settings &m_settings;
    QWidget *m_dialogParent;
    QString m_path;
    QString m_untitledName;
    QString m_error;
    UnsavedPrompt m_prompt;
};

// Python for .py, SQL for .sql; nullopt for other names.
std::optional<Language> languageForPath(const QString &path);

} // namespace safecell
