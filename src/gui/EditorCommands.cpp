#include "EditorCommands.h"

#include <Qsci/qsciscintilla.h>

#include <limits>

namespace safecell {

namespace {

qsizetype indentOf(const QString &line)
{
    qsizetype i = 0;
    while (i < line.size() && (line.at(i) == QLatin1Char(' ') || line.at(i) == QLatin1Char('\t')))
        ++i;
    return i;
}

bool isBlank(const QString &line)
{
    return line.trimmed().isEmpty();
}

} // namespace

QString lineCommentPrefix(Language language)
{
    return language == Language::Sql ? QStringLiteral("-- ") : QStringLiteral("# ");
}

QStringList toggleLineComments(const QStringList &lines, const QString &prefix)
{
    const QString bare = prefix.trimmed();
    bool allCommented = true;
    bool anyCode = false;
    qsizetype minIndent = std::numeric_limits<qsizetype>::max();
    for (const QString &line : lines) {
        if (isBlank(line))
            continue;
        anyCode = true;
        const qsizetype indent = indentOf(line);
        minIndent = std::min(minIndent, indent);
        if (!QStringView(line).mid(indent).startsWith(bare))
            allCommented = false;
    }
    if (!anyCode)
        return lines;
    QStringList result;
    result.reserve(lines.size());
    for (const QString &line : lines) {
        if (isBlank(line)) {
            result << line;
            continue;
        }
        QString changed = line;
        if (allCommented) {
            const qsizetype at = indentOf(line);
            const qsizetype length = QStringView(line).mid(at).startsWith(prefix) ? prefix.size() : bare.size();
            changed.remove(at, length);
        } else {
            changed.insert(minIndent, prefix);
        }
        result << changed;
    }
    return result;
}

void toggleCommentInEditor(QsciScintilla *editor, Language language)
{
    int lineFrom = 0, indexFrom = 0, lineTo = 0, indexTo = 0;
    if (editor->hasSelectedText()) {
        editor->getSelection(&lineFrom, &indexFrom, &lineTo, &indexTo);
        if (indexTo == 0 && lineTo > lineFrom)
            --lineTo; // a selection ending at a line's start leaves that line alone
    } else {
        editor->getCursorPosition(&lineFrom, &indexFrom);
        lineTo = lineFrom;
    }
    QStringList lines;
    for (int line = lineFrom; line <= lineTo; ++line) {
        QString text = editor->text(line);
        while (text.endsWith(QLatin1Char('\n')) || text.endsWith(QLatin1Char('\r')))
            text.chop(1);
        lines << text;
    }
    const QStringList toggled = toggleLineComments(lines, lineCommentPrefix(language));
    if (toggled == lines)
        return;
    // Positions, not (line, index) pairs: they stay right with multi-byte characters.
    const long start = editor->SendScintilla(QsciScintillaBase::SCI_POSITIONFROMLINE, lineFrom);
    const long end = editor->SendScintilla(QsciScintillaBase::SCI_GETLINEENDPOSITION, lineTo);
    editor->beginUndoAction();
    editor->SendScintilla(QsciScintillaBase::SCI_SETSEL, start, end);
    editor->replaceSelectedText(toggled.join(QLatin1Char('\n')));
    editor->endUndoAction();
    editor->SendScintilla(QsciScintillaBase::SCI_SETSEL, start,
                          editor->SendScintilla(QsciScintillaBase::SCI_GETLINEENDPOSITION, lineTo));
}

} // namespace safecell
