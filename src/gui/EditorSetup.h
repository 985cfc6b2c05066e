#pragma once

#include "request/Language.h"

class QsciScintilla;

namespace safecell {

// The editor's look and behaviour, shared by every editor tab.
void setupEditor(QsciScintilla *editor);
// Switches syntax highlighting; the lexer is owned by the editor.
void setEditorLanguage(QsciScintilla *editor, Language language);

} // namespace safecell
