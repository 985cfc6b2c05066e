#pragma once

#include "sandbox/DataPage.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <functional>
#include <optional>

namespace safecell {

// A session DataFrame as a table model, read a page at a time from the
// kernel that holds it (DataPageRequest), so a million rows cost the window
// only the pages it shows. Nothing here waits: a cell whose page has not
// come shows a placeholder and asks for its page, at most one page is asked
// for at a time, and the newest wanted page goes first (the rows on screen
// after a jump). Sorting and filtering are done in the kernel; the rows'
// order, count and cells follow the current sort and filter only.
class DataFrameModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using Requester = std::function<void(const DataPageRequest &)>;

    static constexpr int kMaxBlockRows = 200;
    static constexpr int kMaxCachedBlocks = 64;
    static constexpr int kMaxWantedBlocks = 8;

    DataFrameModel(QString name, Requester requester, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // In the kernel; column -1 is the frame's own order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // Rows whose text contains `text` (case-insensitively), in `column` or
    // in any column (-1).
    void setFilter(const QString &text, int column = -1);
    // Asks again for what is shown: the frame may have changed (a run).
    void reload();
    // An answer from the sandbox; answers for other viewers are ignored.
    void acceptPage(const DataPage &page);

    QString name() const { return m_name; }
    QString viewerId() const { return m_viewerId; }
    QStringList columns() const { return m_columns; }
    qint64 totalRows() const { return m_totalRows; }
    qint64 totalColumns() const { return m_totalColumns; }
    qint64 filteredRows() const { return m_filteredRows; }
    bool shapeKnown() const { return m_shapeKnown; }
    QString error() const { return m_error; }
    bool isLoading() const { return m_outstanding.has_value() || !m_wanted.isEmpty(); }
    bool isRowLoaded(int row) const { return cachedRow(row) != nullptr; }
    static QString placeholder();

Q_SIGNALS:
    // The shape, the columns, the loading state or the error changed.
    void stateChanged();

private:
    struct Block {
        QStringList labels;
        QList<QStringList> rows;
    };
    struct Outstanding {
        quint64 serial = 0;
        qint64 offset = 0; // not a block: a frame whose columns changed has blocks of another size
    };

    const QStringList *cachedRow(int row, QString *label = nullptr) const;
    void want(qint64 block) const;
    void scheduleSend() const;
    void sendNext();
    void startQuery();
    void applyShape(const DataPage &page);
    void store(qint64 block, const DataPage &page);
    void emitRowsChanged(qint64 firstRow, qint64 lastRow);

    QString m_name;
    QString m_viewerId;
    Requester m_requester;
    int m_sortColumn = -1;
    bool m_descending = false;
    QString m_filterText;
    int m_filterColumn = -1;
    quint64 m_serial = 1; // the current sort and filter; answers to an older one are dropped
    bool m_shapeKnown = false;
    QStringList m_columns;
    QStringList m_dtypes;
    qint64 m_totalColumns = 0;
    qint64 m_totalRows = 0;
    qint64 m_filteredRows = 0;
    int m_blockRows = kMaxBlockRows;
    QString m_error;
    QHash<qint64, Block> m_blocks;
    QList<qint64> m_recent; // cached blocks, the most recently stored last
    std::optional<Outstanding> m_outstanding;
    // Asked for while painting (data() is const): pages to fetch, newest last.
    mutable QList<qint64> m_wanted;
    mutable QList<qint64> m_dropped; // wanted, then dropped for newer: repainted when a page comes
    mutable bool m_sendScheduled = false;
};

} // namespace safecell
