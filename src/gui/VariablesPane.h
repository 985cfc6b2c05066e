#pragma once

#include "sandbox/Execution.h"

#include <QDockWidget>

class QLabel;
class QTableWidget;

namespace safecell {

// The session's variables, as Spyder's Variable Explorer and Positron's
// Variables pane show them: name, type, size and a short preview (a
// DataFrame's columns and dtypes), refreshed after each Python run and
// emptied when the session restarts. The kernel lists them with bounded
// work; this pane only shows what it was sent.
class VariablesPane : public QDockWidget {
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, SizeColumn, PreviewColumn, ColumnCount };

    explicit VariablesPane(QWidget *parent = nullptr);

    void showListing(const VariableListing &listing);
    void clear();

    QTableWidget *table() const { return m_table; }
    QString note() const;

Q_SIGNALS:
    // A DataFrame's row was double-clicked (or activated with Enter): open it.
    void dataFrameActivated(const QString &name);

private:
    QTableWidget *m_table;
    QLabel *m_note;
};

} // namespace safecell
