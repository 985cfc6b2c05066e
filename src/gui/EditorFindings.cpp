#include "EditorFindings.h"

#include <Qsci/qsciscintilla.h>

#include <QToolTip>

namespace safecell {

EditorFindings::EditorFindings(QsciScintilla *editor)
    : QObject(editor)
    , m_editor(editor)
{
    m_editor->setMarginType(1, QsciScintilla::SymbolMargin);
    m_editor->setMarginWidth(1, 14);
    m_editor->setMarginMarkerMask(1, (1 << kDangerMarker) | (1 << kWarnMarker));
    m_editor->markerDefine(QsciScintilla::Circle, kDangerMarker);
    m_editor->setMarkerBackgroundColor(QColor(0xd0, 0x30, 0x30), kDangerMarker);
    m_editor->markerDefine(QsciScintilla::RightTriangle, kWarnMarker);
    m_editor->setMarkerBackgroundColor(QColor(0xe0, 0xa0, 0x00), kWarnMarker);
    m_editor->setAnnotationDisplay(QsciScintilla::AnnotationBoxed);
    m_editor->SendScintilla(QsciScintillaBase::SCI_SETMOUSEDWELLTIME, 400);
    connect(m_editor, &QsciScintillaBase::SCN_DWELLSTART, this, &EditorFindings::onDwell);
    connect(m_editor, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
}

void EditorFindings::setFindings(const QList<Finding> &findings)
{
    clear();
    QHash<int, SafetyLabel> worst;
    for (const Finding &f : findings) {
        const int line = f.line - 1;
        m_reasons[line] << QStringLiteral("%1: %2").arg(f.rule, f.reason);
        worst[line] = std::max(worst.value(line, SafetyLabel::Safe), f.label);
    }
    for (auto it = m_reasons.constBegin(); it != m_reasons.constEnd(); ++it) {
        const bool danger = worst.value(it.key()) == SafetyLabel::Dangerous;
        m_editor->markerAdd(it.key(), danger ? kDangerMarker : kWarnMarker);
        m_editor->annotate(it.key(), it.value().join(QLatin1Char('\n')), 0);
    }
}

void EditorFindings::clear()
{
    m_reasons.clear();
    m_editor->markerDeleteAll(kDangerMarker);
    m_editor->markerDeleteAll(kWarnMarker);
    m_editor->clearAnnotations();
}

QString EditorFindings::reasonsForLine(int line) const
{
    return m_reasons.value(line - 1).join(QLatin1Char('\n'));
}

void EditorFindings::onDwell(int position, int x, int y)
{
    if (position < 0)
        return;
    const int line = int(m_editor->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, position));
    const QString text = reasonsForLine(line + 1);
    if (!text.isEmpty())
        QToolTip::showText(m_editor->viewport()->mapToGlobal(QPoint(x, y)), text, m_editor);
}

} // namespace safecell
