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
    QString untitledName() const { return m_untitledName; }
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

    // After a restart: the file's text as saved, unmodified. False (and
    // nothing changed) when it cannot be read.
    bool reopen(const QString &path);
    // After a crash: the autosaved text over the file's (`fileText`),
    // marked modified, so Undo goes back to the file and nothing is
    // written until the analyst saves.
    void restoreRecovered(const QString &path, const QString &fileText, const QString &recovered);
    void fillRecentMenu(QMenu *menu);

    // The question before unsaved changes are lost. Save is its default
    // unless saving would leave a file that has content empty: then
    // Cancel is, and the question says what saving would do.
    static QMessageBox *makeUnsavedQuestion(QWidget *parent, const QString &name, qint64 fileBytes, qint64 newBytes);
    // The file's text; nullopt when it cannot be read.
    static std::optional<QString> readText(const QString &path);

Q_SIGNALS:
    void languageDetected(safecell::Language language);
    void titleChanged(const QString &title);

private:
    QMessageBox::StandardButton askAboutUnsaved(QWidget *parent, const QString &name) const;
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
