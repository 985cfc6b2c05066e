#pragma once

#include <QString>

class QsciScintilla;

namespace safecell {

// Highlights the line a run failed on: a red background, the error as an
// annotation under it, and the cursor moved there.
class EditorErrorLine {
public:
    static constexpr int kErrorMarker = 10;

    explicit EditorErrorLine(QsciScintilla *editor);

    // line is 1-based; out-of-range lines are ignored.
    void show(int line, const QString &message);
    void clear();
    int line() const { return m_line; } // 1-based, 0 when none

private:
    QsciScintilla *m_editor;
    int m_line = 0;
};

} // namespace safecell
