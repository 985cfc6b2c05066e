#pragma once

#include "safety/Verdict.h"

#include <QHash>
#include <QObject>

class QsciScintilla;

namespace safecell {

// Marks the lines with findings in the editor's margin, writes the reasons
// as annotations under them and shows them as a tooltip on hover.
class EditorFindings : public QObject {
    Q_OBJECT
public:
    static constexpr int kDangerMarker = 8;
    static constexpr int kWarnMarker = 9;

    explicit EditorFindings(QsciScintilla *editor);

    void setFindings(const QList<Finding> &findings);
    void clear();
    // The reasons on a 1-based line, one per row; empty when none.
    QString reasonsForLine(int line) const;

private:
    void onDwell(int position, int x, int y);

    QsciScintilla *m_editor;
    QHash<int, QStringList> m_reasons; // 0-based line -> reasons
};

} // namespace safecell
