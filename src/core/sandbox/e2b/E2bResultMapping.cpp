#include "E2bResultMapping.h"

#include "sandbox/e2b/JsonKeyOrder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace safecell {

namespace {

QString cellText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == static_cast<double>(static_cast<qint64>(number)) && qAbs(number) < 1e15)
            return QString::number(static_cast<qint64>(number));
        return QString::number(number, 'g', 15);
    }
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return QString();
}

QString columnType(const QJsonArray &values)
{
    QString type;
    for (const QJsonValue &value : values) {
        QString t;
        if (value.isDouble())
            t = QStringLiteral("number");
        else if (value.isBool())
            t = QStringLiteral("bool");
        else if (value.isString())
            t = QStringLiteral("text");
        else
            continue;
        if (type.isEmpty())
            type = t;
        else if (type != t)
            return QStringLiteral("mixed");
    }
    return type;
}

} // namespace

std::optional<TableData> tableFromDataField(const QJsonObject &data, const QStringList &columnOrder)
{
    if (data.isEmpty())
        return std::nullopt;
    QStringList columns = data.keys();
    if (columnOrder.size() == columns.size()) {
        QStringList sortedOrder = columnOrder;
        sortedOrder.sort();
        if (sortedOrder == columns) // the same keys (no duplicates): keep the written order
            columns = columnOrder;
    }
    TableData table;
    qsizetype rowCount = -1;
    for (const QString &column : std::as_const(columns)) {
        const QJsonValue value = data.value(column);
        if (!value.isArray())
            return std::nullopt;
        const QJsonArray values = value.toArray();
        if (rowCount >= 0 && values.size() != rowCount)
            return std::nullopt;
        rowCount = values.size();
        table.columns.append(column);
        table.types.append(columnType(values));
    }
    for (qsizetype row = 0; row < rowCount; ++row) {
        QStringList cells;
        for (const QString &column : std::as_const(table.columns))
            cells.append(cellText(data.value(column).toArray().at(row)));
        table.rows.append(cells);
    }
    table.totalRows = rowCount;
    return table;
}

std::optional<TableData> tableFromSafecellJson(const QJsonObject &object)
{
    const QJsonValue columns = object.value(QLatin1String("columns"));
    const QJsonValue rows = object.value(QLatin1String("rows"));
    if (!columns.isArray() || !rows.isArray())
        return std::nullopt;
    TableData table;
    for (const QJsonValue &column : columns.toArray())
        table.columns.append(column.toString());
    for (const QJsonValue &type : object.value(QLatin1String("types")).toArray())
        table.types.append(type.toString());
    while (table.types.size() < table.columns.size())
        table.types.append(QString());
    for (const QJsonValue &row : rows.toArray()) {
        QStringList cells;
        for (const QJsonValue &cell : row.toArray())
            cells.append(cellText(cell));
        if (cells.size() != table.columns.size())
            return std::nullopt;
        table.rows.append(cells);
    }
    const QJsonValue total = object.value(QLatin1String("total_rows"));
    table.totalRows = total.isDouble() ? static_cast<qint64>(total.toDouble()) : table.rows.size();
    for (const QJsonValue &label : object.value(QLatin1String("index")).toArray())
        table.rowLabels.append(cellText(label));
    if (table.rowLabels.size() != table.rows.size())
        table.rowLabels.clear();
    return table;
}

RichResult richResultFromE2b(const QJsonObject &message, const QByteArray &line)
{
    RichResult result;
    result.isMainResult = message.value(QLatin1String("is_main_result")).toBool();
    result.text = message.value(QLatin1String("text")).toString();
    result.html = message.value(QLatin1String("html")).toString();
    const QString png = message.value(QLatin1String("png")).toString();
    if (!png.isEmpty())
        result.png = QByteArray::fromBase64(png.toLatin1());
    result.svg = message.value(QLatin1String("svg")).toString().toUtf8(); // E2B's result carries SVG as text
    const QJsonObject json = message.value(QLatin1String("json")).toObject();
    if (json.contains(QLatin1String(kSafecellTableKey))) {
        result.table = tableFromSafecellJson(json.value(QLatin1String(kSafecellTableKey)).toObject());
        // SafeCell's SQL runner shows its result set with display(), which
        // E2B reports as a side output; it is the run's result, as the
        // local sandbox's result set is.
        result.isMainResult = true;
    } else if (message.value(QLatin1String("data")).isObject())
        result.table = tableFromDataField(message.value(QLatin1String("data")).toObject(),
                                          jsonKeyOrder(line, QStringLiteral("data")));
    return result;
}

ExecutionError executionErrorFromE2b(const QJsonObject &message)
{
    ExecutionError error;
    error.name = message.value(QLatin1String("name")).toString();
    error.value = message.value(QLatin1String("value")).toString();
    error.traceback = message.value(QLatin1String("traceback")).toString();
    return error;
}

} // namespace safecell
