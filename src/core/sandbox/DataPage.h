#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace safecell {

// A page of a session DataFrame for the data viewer, asked of the sandbox
// between runs (Sandbox::requestDataPage). The frame stays in the sandbox;
// the kernel sorts and filters it there (resources/kernel/dataview.py) and
// answers at most kMaxDataPageRows rows of capped text.
struct DataPageRequest {
    QString viewerId;   // who asked: echoed in the answer, so each viewer takes its own
    quint64 serial = 0; // echoed too: a viewer drops answers to questions it no longer asks
    QString name;       // the variable
    qint64 offset = 0;  // the first row, in the sorted and filtered order
    qint64 count = 200;
    int sortColumn = -1; // by position; -1: the frame's own order
    bool descending = false;
    QString filterText;    // case-insensitive "contains" on the cell's text; empty: every row
    int filterColumn = -1; // by position; -1: any column
};

struct DataPage {
    DataPageRequest request; // the one this answers, as SafeCell sent it
    QString error;           // for the analyst; set: nothing else is
    QStringList columns;     // the first kMaxDataPageColumns of them
    QStringList dtypes;
    qint64 totalColumns = 0;
    qint64 totalRows = 0;    // the frame's
    qint64 filteredRows = 0; // that pass the filter
    qint64 offset = 0;
    QStringList rowLabels; // the frame's index, one per row
    QList<QStringList> rows;

    bool ok() const { return error.isEmpty(); }
};

inline constexpr qsizetype kMaxDataPageRows = 1000;
inline constexpr qsizetype kMaxDataPageColumns = 500;
inline constexpr qsizetype kMaxDataPageCellChars = 200;

} // namespace safecell

Q_DECLARE_METATYPE(safecell::DataPageRequest)
Q_DECLARE_METATYPE(safecell::DataPage)
