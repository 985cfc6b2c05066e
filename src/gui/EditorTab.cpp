#include "EditorTab.h"

#include "gui/EditorErrorLine.h"
#include "gui/EditorFindings.h"
#include "gui/EditorSetup.h"
#include "gui/SnippetFile.h"

#include <Qsci/qscicommandset.h>
#include <Qsci/qsciscintilla.h>

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
    for (const QKeyCombination key : {Qt::CTRL | Qt::Key_T, Qt::CTRL | Qt::Key_W, Qt::CTRL | Qt::Key_PageUp,
                                      Qt::CTRL | Qt::Key_PageDown, Qt::CTRL | Qt::Key_Tab}) {
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
    m_file = new SnippetFile(m_editor, settings, dialogParent);
    connect(m_file, &SnippetFile::languageDetected, this, &EditorTab::setLanguage);
    connect(m_file, &SnippetFile::titleChanged, this, &EditorTab::titleChanged);
}

EditorTab::~EditorTab() = default;

void EditorTab::setLanguage(Language language)
{
    m_language = language;
    setEditorLanguage(m_editor, language);
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
