#include "AskPanel.h"

#include "llm/LlmThread.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace safecell {

AskPanel::AskPanel(QsciScintilla *editor, LlmServicesConfig config, KeyStore *keys, QWidget *parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_config(config)
    , m_keys(keys)
    , m_llm(new LlmThread(std::move(config), this))
    , m_language([] { return Language::Python; })
    , m_prompt(new QLineEdit(this))
    , m_askButton(new QPushButton(QIcon(QStringLiteral(":/icons/ask.svg")), tr("&Ask"), this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_explainButton(new QPushButton(tr("E&xplain this error"), this))
    , m_status(new QLabel(this))
    , m_explanation(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("askPanel"));
    m_prompt->setObjectName(QStringLiteral("askPrompt"));
    m_prompt->setPlaceholderText(tr("Describe an analysis; Cohere writes the code into the editor"));
    m_prompt->setAccessibleName(tr("Ask Cohere for code"));
    m_askButton->setObjectName(QStringLiteral("askButton"));
    m_cancelButton->setObjectName(QStringLiteral("askCancelButton"));
    m_explainButton->setObjectName(QStringLiteral("explainButton"));
    m_explanation->setObjectName(QStringLiteral("explanation"));
    // The editor keeps Tab for indenting, so the keyboard reaches the box
    // through this shortcut, from anywhere in the window.
    auto *focusPrompt = new QAction(tr("Ask Cohere for code"), this);
    focusPrompt->setObjectName(QStringLiteral("actionFocusAsk"));
    focusPrompt->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    focusPrompt->setShortcutContext(Qt::WindowShortcut);
    addAction(focusPrompt);
    connect(focusPrompt, &QAction::triggered, this, [this] {
        m_prompt->setFocus(Qt::ShortcutFocusReason);
        m_prompt->selectAll();
    });
    m_prompt->setToolTip(tr("Describe an analysis (Ctrl+K)"));
    m_explanation->setReadOnly(true);
    m_explanation->setVisible(false);
    m_explanation->setMaximumHeight(160);
    m_status->setObjectName(QStringLiteral("askStatus"));
    m_status->setWordWrap(true); // a long answer summary wraps instead of widening the window
    m_status->setVisible(false); // no blank band above the editor while there is nothing to say
    m_status->setTextFormat(Qt::PlainText);
    connect(m_status, &QLabel::linkActivated, this, &AskPanel::settingsRequested);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_prompt, 1);
    row->addWidget(m_askButton);
    row->addWidget(m_cancelButton);
    row->addWidget(m_explainButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addWidget(m_explanation);

    connect(m_askButton, &QPushButton::clicked, this, [this] { ask(m_prompt->text()); });
    connect(m_prompt, &QLineEdit::returnPressed, this, [this] { ask(m_prompt->text()); });
    connect(m_cancelButton, &QPushButton::clicked, this, &AskPanel::cancel);
    connect(m_explainButton, &QPushButton::clicked, this, &AskPanel::explainLastFailure);
    connect(m_llm, &LlmThread::textDelta, this, [this](quint64 id, const QString &text) {
        if (id == m_requestId)
            onDelta(text);
    });
    connect(m_llm, &LlmThread::finished, this, [this](quint64 id, const CodeAssistantResult &result) {
        if (id != m_requestId)
            return;
        m_requestId = 0;
        onFinished(result);
    });
    setBusy(false);
}

// The LLM thread applies it once the answer streaming now has finished.
void AskPanel::reconfigure(LlmServicesConfig config)
{
    m_config = config;
    m_llm->reconfigure(config);
}

AskPanel::~AskPanel() = default;

bool AskPanel::isBusy() const
{
    return m_busy;
}

// The key is read here, through the window's key store (asynchronously),
// then the request goes to the LLM thread with it.
void AskPanel::send(std::function<quint64(const QString &key, const QString &why)> request)
{
    setBusy(true);
    const quint64 lookup = ++m_keyLookup;
    lookupCohereKey(m_config, m_keys, this, [this, lookup, request](const QString &key, const QString &why) {
        if (lookup != m_keyLookup || !m_busy)
            return; // cancelled while the key was read
        m_requestId = request(key, why);
    });
}

QString AskPanel::explanation() const
{
    return m_explanation->toPlainText();
}

void AskPanel::setEditor(QsciScintilla *editor)
{
    if (isBusy())
        m_nextEditor = editor;
    else
        m_editor = editor;
}

void AskPanel::setLastFailure(const QString &code, Language language, const QString &traceback)
{
    m_failedCode = code;
    m_failedLanguage = language;
    m_traceback = traceback;
    setBusy(isBusy());
}

void AskPanel::clearLastFailure()
{
    m_failedCode.clear();
    m_traceback.clear();
    setBusy(isBusy());
}

void AskPanel::ask(const QString &description)
{
    if (description.trimmed().isEmpty() || isBusy() || !m_keyAvailable)
        return;
    if (!m_editor)
        return;
    m_task = CodeAssistantResult::Task::Ask;
    m_editor->clear();
    setStatus(tr("Asking Cohere…"));
    send([this, description, language = m_language()](const QString &key, const QString &why) {
        return m_llm->ask(description, language, key, why);
    });
}

void AskPanel::explainLastFailure()
{
    if (m_traceback.isEmpty() || isBusy())
        return;
    m_task = CodeAssistantResult::Task::Explain;
    m_explanation->clear();
    m_explanation->setVisible(true);
    setStatus(tr("Asking Cohere to explain the error…"));
    send([this, code = m_failedCode, language = m_failedLanguage, traceback = m_traceback](const QString &key,
                                                                                           const QString &why) {
        return m_llm->explain(code, language, traceback, key, why);
    });
}

// Ends at once: the LLM thread stops the call meanwhile and drops its late answer.
void AskPanel::cancel()
{
    if (!m_busy)
        return;
    if (m_requestId != 0) {
        m_llm->cancel(); // its finished() reaches onFinished before this returns
        return;
    }
    ++m_keyLookup;
    CodeAssistantResult result;
    result.task = m_task;
    result.status = PaidChatOutcome::Status::Cancelled;
    result.message = QStringLiteral("Cancelled");
    onFinished(result);
}

void AskPanel::onDelta(const QString &text)
{
    if (m_task == CodeAssistantResult::Task::Ask) {
        if (!m_editor)
            return;
        // Appended at the end as it arrives; never run from here.
        m_editor->append(text);
    } else {
        m_explanation->moveCursor(QTextCursor::End);
        m_explanation->insertPlainText(text);
    }
}

void AskPanel::onFinished(const CodeAssistantResult &result)
{
    setBusy(false);
    if (result.status == PaidChatOutcome::Status::Ok) {
        if (result.task == CodeAssistantResult::Task::Ask && m_editor && m_editor->text() != result.code)
            m_editor->setText(result.code); // the fences a model added, gone
        setStatus(tr("%1 · %2 · %3 in, %4 out tokens. Review the code, then Run: it is safety-checked like typed code.")
                      .arg(result.model, result.cost.toString())
                      .arg(result.usage.inputTokens)
                      .arg(result.usage.outputTokens));
    } else {
        setStatus(result.message);
    }
    if (m_nextEditor)
        m_editor = std::exchange(m_nextEditor, nullptr);
    Q_EMIT finished(result);
}

void AskPanel::setStatus(const QString &text)
{
    m_status->setTextFormat(Qt::PlainText);
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

QString AskPanel::statusText() const
{
    return m_status->text();
}

void AskPanel::setKeyAvailable(bool available)
{
    m_keyAvailable = available;
    if (available) {
        m_prompt->setPlaceholderText(tr("Describe an analysis; Cohere writes the code into the editor"));
        if (m_status->textFormat() == Qt::RichText)
            setStatus(QString());
        m_status->setTextInteractionFlags(Qt::NoTextInteraction);
    } else {
        m_prompt->setPlaceholderText(tr("Ask needs a Cohere key"));
        m_status->setTextFormat(Qt::RichText);
        m_status->setTextInteractionFlags(
            Qt::TextBrowserInteraction); // the link from the keyboard too (F6, Tab, Enter)
        m_status->setText(tr("Ask writes code with Cohere's LLM, so it needs a Cohere key. "
                             "<a href=\"settings\">Add one in Settings</a> (Ctrl+,)."));
        m_status->setVisible(true);
    }
    setBusy(isBusy());
}

void AskPanel::setBusy(bool busy)
{
    m_busy = busy;
    m_askButton->setEnabled(!busy && m_keyAvailable);
    m_prompt->setEnabled(!busy && m_keyAvailable);
    m_cancelButton->setEnabled(busy);
    m_explainButton->setEnabled(!busy && m_keyAvailable && !m_traceback.isEmpty());
}

} // namespace safecell
