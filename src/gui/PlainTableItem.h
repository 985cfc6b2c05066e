#pragma once

#include <QString>
#include <QTableWidgetItem>
#include <QTextDocument>

namespace safecell {

// A read-only table cell whose tooltip (`tip`, or the text) is plain text,
// always: the text is the analyst's or a snippet's (a file name, a value's
// repr), and a rich-text tooltip would render markup in it (images from the
// host's disk, fake prompts).
inline QTableWidgetItem *plainTableItem(const QString &text, const QString &tip = {})
{
    auto *cell = new QTableWidgetItem(text);
    cell->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    cell->setToolTip(Qt::convertFromPlainText(tip.isEmpty() ? text : tip));
    return cell;
}

} // namespace safecell
