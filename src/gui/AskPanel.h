#pragma once

#include "cohere/CodeAssistant.h"
#include "request/Language.h"

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPlainTextEdit;
class QPushButton;
class QsciScintilla;

namespace safecell {

// The "Ask" box: the analyst describes an analysis and Cohere's code streams
// into the editor as it arrives; after a failed run, "Explain this error"
// streams an explanation below. Nothing here runs code: the analyst presses
// Run, and the code goes through the same safety check as typed code.
class AskPanel : public QWidget {
    Q_OBJECT
public:
    AskPanel(QsciScintilla *editor, LlmServicesConfig config, QWidget *parent = nullptr);
    ~AskPanel() override;

    void setLanguageSource(std::function<Language()> language) { m_language = std::move(language); }
    // A failed run's code and traceback: enables "Explain this error".
    void setLastFailure(const QString &code, Language language, const QString &traceback);
    void clearLastFailure();

    void ask(const QString &description);
    void explainLastFailure();
    void cancel();
    bool isBusy() const;
    QString explanation() const;

Q_SIGNALS:
    void finished(const safecell::CodeAssistantResult &result);

private:
    void onDelta(const QString &text);
    void onFinished(const CodeAssistantResult &result);
    void setBusy(bool busy);

    QsciScintilla *m_editor;
    QNetworkAccessManager *m_network;
    CodeAssistant *m_assistant;
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
};

} // namespace safecell
