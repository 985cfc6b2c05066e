#include "ResultBundles.h"

namespace safecell::api {

QJsonObject tableJson(const TableData &table)
{
    QJsonArray rows;
    for (const QStringList &row : table.rows)
        rows.append(QJsonArray::fromStringList(row));
    QJsonObject json{{QStringLiteral("columns"), QJsonArray::fromStringList(table.columns)},
                     {QStringLiteral("types"), QJsonArray::fromStringList(table.types)},
                     {QStringLiteral("rows"), rows},
                     {QStringLiteral("totalRows"), table.totalRows}};
    if (!table.rowLabels.isEmpty())
        json.insert(QStringLiteral("index"), QJsonArray::fromStringList(table.rowLabels));
    return json;
}

QJsonObject resultBundle(const RichResult &result)
{
    QJsonObject data;
    if (!result.text.isEmpty())
        data.insert(QStringLiteral("text/plain"), result.text);
    if (!result.html.isEmpty())
        data.insert(QStringLiteral("text/html"), result.html);
    if (!result.png.isEmpty())
        data.insert(QStringLiteral("image/png"), QString::fromLatin1(result.png.toBase64()));
    if (!result.svg.isEmpty())
        data.insert(QStringLiteral("image/svg+xml"), QString::fromUtf8(result.svg));
    if (result.table)
        data.insert(QStringLiteral("application/json"), tableJson(*result.table));
    return QJsonObject{{QStringLiteral("data"), data}, {QStringLiteral("isMainResult"), result.isMainResult}};
}

QJsonArray resultBundles(const QList<RichResult> &results)
{
    QJsonArray bundles;
    for (const RichResult &result : results)
        bundles.append(resultBundle(result));
    return bundles;
}

} // namespace safecell::api
