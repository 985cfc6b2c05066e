#include "EditorSetup.h"

#include <Qsci/qscilexerpython.h>
#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

#include <QFontDatabase>

namespace safecell {

void setupEditor(QsciScintilla *editor)
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSize(11);
    editor->setFont(font);
    editor->setUtf8(true);
    editor->setMarginType(0, QsciScintilla::NumberMargin);
    editor->setMarginLineNumbers(0, true);
    editor->setMarginWidth(0, QStringLiteral("00000"));
    editor->setCaretLineVisible(true);
    editor->setCaretLineBackgroundColor(QColor(0xf2, 0xf5, 0xfa));
    editor->setBraceMatching(QsciScintilla::SloppyBraceMatch);
    editor->setAutoIndent(true);
    editor->setIndentationsUseTabs(false);
    editor->setTabWidth(4);
    editor->setIndentationGuides(true);
    editor->setEolMode(QsciScintilla::EolUnix);
}

void setEditorLanguage(QsciScintilla *editor, Language language)
{
    QsciLexer *lexer = nullptr;
    switch (language) {
    case Language::Python:
        lexer = new QsciLexerPython(editor);
        break;
    case Language::Sql:
        lexer = new QsciLexerSQL(editor);
        break;
    }
    lexer->setDefaultFont(editor->font());
    lexer->setFont(editor->font());
    QsciLexer *old = editor->lexer();
    editor->setLexer(lexer);
    delete old;
    // setLexer resets the margin font; keep line numbers readable.
    editor->setMarginsFont(editor->font());
}

} // namespace safecell
