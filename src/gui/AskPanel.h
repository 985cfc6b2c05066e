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
class QNetworkAccessManager;
class QPlainTextEdit;
class QPushButton;
class QsciScintilla;

namespace safecell {

class Settings;

// The "Ask" box: the analyst describes an analysis and Cohere's code streams
// into the editor as it arrives; after a failed run, "Explain this error"
// streams an explanation below. Nothing here runs code: the analyst presses
// Run, and the code goes through the same safety check as typed code.
class AskPanel : public QWidget {
    Q_OBJECT
public:
    // `keys` answers for the Cohere key; it must outlive the panel.
    AskPanel(QsciScintilla *editor, LlmServicesConfig config, KeyStore *keys, QWidget *parent = nullptr);
    ~AskPanel() override;

    // The Cohere URL and budget from the settings; the models are read
    // from them when the services start.
    static LlmServicesConfig servicesFromSettings(const Settings &settings);

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
    void attachAssistant(CodeAssistant *assistant);
    void applyPendingConfig();

    QPointer<QsciScintilla> m_editor; // a tab may close while an answer streams
    QPointer<QsciScintilla> m_nextEditor;
    QNetworkAccessManager *m_network;
    KeyStore *m_keys;
    CodeAssistant *m_assistant;
    std::optional<LlmServicesConfig> m_pendingConfig;
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
