#pragma once

#include "request/Language.h"

#include <QStringList>

class QsciScintilla;

namespace safecell {

// The line comment marker of a language: "# " or "-- ".
QString lineCommentPrefix(Language language);

// Comments the lines out, or back in when every non-blank line already is
// commented. The marker goes at the block's smallest indent, so an indented
// block stays aligned.
QStringList toggleLineComments(const QStringList &lines, const QString &prefix);

// Toggles comments on the selected lines, or on the cursor's line; one undo step.
void toggleCommentInEditor(QsciScintilla *editor, Language language);

} // namespace safecell
