#include "TracebackLine.h"

#include <QRegularExpression>

namespace safecell {

int failingLineFromTraceback(const QString &traceback)
{
    static const QRegularExpression frame(QStringLiteral(R"((?:File "<cell \d+>"|Cell In\s*\[\d+\]), line (\d+))"));
    int line = 0;
    for (auto it = frame.globalMatch(traceback); it.hasNext();)
        line = it.next().captured(1).toInt();
    return line;
}

} // namespace safecell
