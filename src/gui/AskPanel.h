#pragma once

#include "llm/CodeAssistant.h"
#include "request/Language.h"

#include <QPointer>
#include <QWidget>

#include <Qsci/qsciscintilla.h>

#include <functional>
#include <optional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QsciScintilla;

namespace safecell {

class LlmThread;

// The "Ask" box: the analyst describes an analysis and Cohere's code streams
// into the editor as it arrives; after a failed run, "Explain this error"
// streams an explanation below. Nothing here runs code: the analyst presses
// Run, and the code goes through the same safety check as typed code.
class AskPanel : public QWidget {
    Q_OBJECT
public:
    // `keys` answers for the Cohere key; it must outlive the panel. The paid
    // call itself (network, ledger, settle) runs on an LlmThread: this panel
    // reads the key, sends the request and shows the signals that come back.
    AskPanel(QsciScintilla *editor, LlmServicesConfig config, KeyStore *keys, QWidget *parent = nullptr);
    ~AskPanel() override;

    // The editor Ask writes into (the current tab's); a streaming answer
    // finishes in the editor it started in.
    void setEditor(QsciScintilla *editor);
    void setLanguageSource(std::function<Language()> language) { m_language = std::move(language); }
    // A failed run's code and traceback: enables "Explain this error".
    void setLastFailure(const QString &code, Language language, const QString &traceback);
    // New services (Cohere URL, budget, models) for the next request; an
    // answer streaming now finishes with the old ones.
    void reconfigure(LlmServicesConfig config);
    void clearLastFailure();

    // Without a Cohere key, Ask cannot work: the box says so, with a link
    // to Settings, instead of inviting a request.
    void setKeyAvailable(bool available);
    bool isKeyAvailable() const { return m_keyAvailable; }
    QString statusText() const;

    void ask(const QString &description);
    void explainLastFailure();
    void cancel();
    bool isBusy() const;
    QString explanation() const;

Q_SIGNALS:
    void finished(const safecell::CodeAssistantResult &result);
    // The "Add one in Settings" link.
    void settingsRequested();

private:
    void onDelta(const QString &text);
    void onFinished(const CodeAssistantResult &result);
    void setBusy(bool busy);
    void setStatus(const QString &text);
    void send(std::function<quint64(const QString &key, const QString &why)> request);

    QPointer<QsciScintilla> m_editor; // a tab may close while an answer streams
    QPointer<QsciScintilla> m_nextEditor;
    LlmServicesConfig m_config; // its apiKey, when set, is used instead of the key store
    KeyStore *m_keys;
    LlmThread *m_llm;
    bool m_busy = false;
    quint64 m_requestId = 0; // the LLM thread's id for the request answering now; 0 while the key is read
    quint64 m_keyLookup = 0; // a cancelled request's late key is ignored
    std::function<Language()> m_language;
    QLineEdit *m_prompt;
    QPushButton *m_askButton;
    QPushButton *m_cancelButton;
    QPushButton *m_explainButton;
    QLabel *m_status;
    QPlainTextEdit *m_explanation;
    CodeAssistantResult::Task m_task = CodeAssistantResult::Task::Ask;
    QString m_failedCode;
    QString m_traceback;
    Language m_failedLanguage = Language::Python;
    bool m_keyAvailable = true; // until told otherwise (the key is read asynchronously)
};

} // namespace safecell
