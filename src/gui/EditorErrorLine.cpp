#include "EditorErrorLine.h"

#include <Qsci/qsciscintilla.h>

namespace safecell {

EditorErrorLine::EditorErrorLine(QsciScintilla *editor)
    : m_editor(editor)
{
    m_editor->markerDefine(QsciScintilla::Background, kErrorMarker);
    m_editor->setMarkerBackgroundColor(QColor(0xff, 0xd6, 0xd6), kErrorMarker);
}

void EditorErrorLine::show(int line, const QString &message)
{
    clear();
    if (line < 1 || line > m_editor->lines())
        return;
    m_line = line;
    m_editor->markerAdd(line - 1, kErrorMarker);
    const QString existing = m_editor->annotation(line - 1);
    m_editor->annotate(line - 1, existing.isEmpty() ? message : existing + QLatin1Char('\n') + message, 0);
    m_editor->setCursorPosition(line - 1, 0);
    m_editor->ensureLineVisible(line - 1);
}

void EditorErrorLine::clear()
{
    if (m_line > 0 && m_line <= m_editor->lines())
        m_editor->clearAnnotations(m_line - 1);
    m_editor->markerDeleteAll(kErrorMarker);
    m_line = 0;
}

} // namespace safecell
