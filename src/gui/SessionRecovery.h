#pragma once

#include "gui/TabSession.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QMessageBox;
class QWidget;

namespace safecell {

class EditorTab;
class EditorTabs;
class Settings;

// A file tab whose autosaved text differs from its file after a crash.
struct RecoveryQuestion {
    QString path;
    qint64 fileBytes = 0;
    qint64 recoveredBytes = 0;
    QDateTime fileModified; // local time
    QDateTime autosavedAt;  // UTC; invalid when unknown
};

enum class RecoveryChoice { KeepRecovered, ReopenFile };

// Brings the tabs of the last session back when the window opens, and
// never lets a restored tab replace a file's content with less:
// - a file tab whose text matches its file opens the file, unmodified;
// - after a clean exit, a file that differs changed on disk since: it opens
//   as it is now;
// - after a crash, the recovered text is shown (marked modified, Undo goes
//   back to the file) and the analyst chooses: keep it, or reopen the
//   file. Nothing is written either way;
// - a file that is gone leaves its text in an untitled tab.
// Sessions of older versions (editor-tabs.json beside the settings, or the
// single editor's settings) are read when there is no autosave.
class SessionRecovery : public QObject {
    Q_OBJECT
public:
    // Asks one question; `answer` is called once, now or later. A test
    // replaces it to answer without a dialog.
    using Prompt = std::function<void(QWidget *parent, const RecoveryQuestion &question,
                                      std::function<void(RecoveryChoice)> answer)>;

    SessionRecovery(EditorTabs &tabs, QWidget *dialogParent, QObject *parent = nullptr);

    // What older versions left: their editor-tabs.json, else the single
    // editor's settings; nullopt on a first start.
    static std::optional<TabSession> olderVersionsSession(const Settings &settings);

    // Opens the session's tabs after those already there; questions for
    // crashed tabs wait for askQueued().
    void restore(const TabSession &session);
    // Asks the queued questions one after another (modal, without a nested
    // event loop); finished() once all are answered.
    void askQueued();
    int queuedQuestions() const { return int(m_queue.size()); }
    void setPrompt(Prompt prompt) { m_prompt = std::move(prompt); }

    // The default prompt's dialog: "Keep the recovered text" is its
    // default unless the recovered text is empty, then "Reopen the file";
    // Esc keeps (nothing changes).
    static QMessageBox *makeQuestionBox(QWidget *parent, const RecoveryQuestion &question);

Q_SIGNALS:
    void finished();

private:
    struct Pending {
        QPointer<EditorTab> tab;
        RecoveryQuestion question;
    };
    void restoreTab(const TabState &state, bool afterCrash, const QDateTime &savedAt);
    void askNext();
    static void askWithDialog(QWidget *parent, const RecoveryQuestion &question,
                              std::function<void(RecoveryChoice)> answer);

    EditorTabs &m_tabs;
    QWidget *m_dialogParent;
    Prompt m_prompt;
    QList<Pending> m_queue;
    bool m_asking = false;
};

} // namespace safecell
