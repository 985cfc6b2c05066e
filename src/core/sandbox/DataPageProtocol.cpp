#include "DataPageProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace safecell::kernel {

namespace {

QStringList texts(const QJsonValue &value, qsizetype most, qsizetype chars)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray()) {
        if (list.size() == most)
            break;
        list << item.toString().left(chars);
    }
    return list;
}

qint64 count(const QJsonObject &object, const QString &key)
{
    return qMax<qint64>(0, object.value(key).toInteger());
}

} // namespace

QByteArray dataPageLine(const QString &requestId, const DataPageRequest &request)
{
    QJsonObject page{
        {QStringLiteral("name"), request.name},
        {QStringLiteral("offset"), request.offset},
        {QStringLiteral("count"), request.count},
        {QStringLiteral("descending"), request.descending},
        {QStringLiteral("filter_text"), request.filterText},
    };
    page.insert(QStringLiteral("sort_column"),
                request.sortColumn >= 0 ? QJsonValue(request.sortColumn) : QJsonValue(QJsonValue::Null));
    page.insert(QStringLiteral("filter_column"),
                request.filterColumn >= 0 ? QJsonValue(request.filterColumn) : QJsonValue(QJsonValue::Null));
    const QJsonObject object{
        {QStringLiteral("type"), QStringLiteral("execute")},
        {QStringLiteral("id"), requestId},
        {QStringLiteral("language"), QStringLiteral("data_page")},
        {QStringLiteral("page"), page},
    };
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

DataPage parseDataPage(const QJsonObject &object)
{
    DataPage page;
    if (object.contains(QStringLiteral("error"))) {
        page.error = object.value(QStringLiteral("error")).toString().left(2000);
        if (page.error.isEmpty())
            page.error = QStringLiteral("the kernel could not read the page");
        return page;
    }
    page.columns = texts(object.value(QStringLiteral("columns")), kMaxDataPageColumns, 400);
    page.dtypes = texts(object.value(QStringLiteral("dtypes")), kMaxDataPageColumns, 100);
    while (page.dtypes.size() < page.columns.size())
        page.dtypes << QString();
    page.totalColumns = qMax<qint64>(count(object, QStringLiteral("totalColumns")), page.columns.size());
    page.totalRows = count(object, QStringLiteral("totalRows"));
    page.filteredRows = qMin(count(object, QStringLiteral("filteredRows")), page.totalRows);
    page.offset = count(object, QStringLiteral("offset"));
    for (const QJsonValue &row : object.value(QStringLiteral("rows")).toArray()) {
        if (page.rows.size() == kMaxDataPageRows)
            break;
        QStringList cells = texts(row, page.columns.size(), kMaxDataPageCellChars);
        while (cells.size() < page.columns.size())
            cells << QString();
        page.rows << cells;
    }
    page.rowLabels = texts(object.value(QStringLiteral("rowIndex")), page.rows.size(), kMaxDataPageCellChars);
    while (page.rowLabels.size() < page.rows.size())
        page.rowLabels << QString();
    return page;
}

} // namespace safecell::kernel
