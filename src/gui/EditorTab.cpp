#include "EditorTab.h"

#include "gui/EditorErrorLine.h"
#include "gui/EditorFindings.h"
#include "gui/EditorSetup.h"
#include "gui/SnippetFile.h"

#include <Qsci/qscicommandset.h>
#include <Qsci/qsciscintilla.h>

#include <QKeyEvent>
#include <QVBoxLayout>

namespace safecell {

EditorTab::EditorTab(Settings &settings, QWidget *dialogParent, QWidget *parent)
    : QWidget(parent)
    , m_editor(new QsciScintilla(this))
{
    m_editor->setObjectName(QStringLiteral("editor"));
    m_editor->setAccessibleName(tr("Code editor"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_editor);
    setFocusProxy(m_editor);
    setupEditor(m_editor);
    // The window's tab keys win over QScintilla's own bindings (Ctrl+T transposes lines).
    // (Ctrl+Shift+T copies a line in QScintilla; here it is the time limit.)
    for (const QKeyCombination key :
         {Qt::CTRL | Qt::Key_T, Qt::CTRL | Qt::Key_W, Qt::CTRL | Qt::Key_PageUp, Qt::CTRL | Qt::Key_PageDown,
          Qt::CTRL | Qt::Key_Tab, Qt::CTRL | Qt::SHIFT | Qt::Key_T}) {
        while (QsciCommand *command = m_editor->standardCommands()->boundTo(key.toCombined())) {
            if (command->key() == key.toCombined())
                command->setKey(0);
            else
                command->setAlternateKey(0);
        }
    }
    setEditorLanguage(m_editor, m_language);
    m_findings = new EditorFindings(m_editor);
    m_errorLine = std::make_unique<EditorErrorLine>(m_editor);
    // Esc is the window's Stop while a run goes on; QScintilla would claim
    // it (to cancel a selection) even when it has nothing to cancel.
    m_editor->installEventFilter(this);
    m_file = new SnippetFile(m_editor, settings, dialogParent);
    connect(m_file, &SnippetFile::languageDetected, this, &EditorTab::setLanguage);
    connect(m_file, &SnippetFile::titleChanged, this, &EditorTab::titleChanged);
}

EditorTab::~EditorTab() = default;

bool EditorTab::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::ShortcutOverride) {
        const auto *key = static_cast<QKeyEvent *>(event);
        // Left unaccepted, the override lets a window shortcut on Esc run;
        // when none is enabled, the key still reaches the editor.
        if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier && !m_editor->isListActive()
            && !m_editor->isCallTipActive())
            return true;
    }
    return QWidget::eventFilter(watched, event);
}

void EditorTab::setLanguage(Language language)
{
    if (language == m_language)
        return;
    m_language = language;
    setEditorLanguage(m_editor, language);
    Q_EMIT languageChanged(language);
}

void EditorTab::setLastFindings(SafetyLabel label, const QList<Finding> &findings)
{
    m_lastLabel = label;
    m_lastFindings = findings;
    m_findings->setFindings(findings);
}

void EditorTab::clearMarkers()
{
    m_lastLabel = SafetyLabel::Safe;
    m_lastFindings.clear();
    m_findings->clear();
    m_errorLine->clear();
}

} // namespace safecell
