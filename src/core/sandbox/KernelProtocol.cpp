#include "KernelProtocol.h"

#include "sandbox/DataPageProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace safecell::kernel {

QByteArray executeLine(const Request &request)
{
    QJsonObject object{
        {QStringLiteral("type"), QStringLiteral("execute")},          {QStringLiteral("id"), request.runId},
        {QStringLiteral("language"), languageName(request.language)}, {QStringLiteral("code"), request.code},
        {QStringLiteral("output_cap"), request.outputCapBytes},       {QStringLiteral("row_cap"), request.rowCap},
        {QStringLiteral("cpu_seconds"), request.cpuSeconds},
    };
    if (request.listVariables)
        object.insert(QStringLiteral("list_variables"), true);
    if (request.language == Language::Sql) {
        object.insert(QStringLiteral("database"), request.database);
        object.insert(QStringLiteral("allow_writes"), request.allowWrites);
        if (!request.scratchDatabase.isEmpty())
            object.insert(QStringLiteral("scratch"), request.scratchDatabase);
        QJsonArray attached;
        for (const SharedDatabase &database : request.attached) {
            attached.append(QJsonObject{{QStringLiteral("schema"), database.schema},
                                        {QStringLiteral("path"), database.sandboxPath}});
        }
        if (!attached.isEmpty())
            object.insert(QStringLiteral("attach"), attached);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray interruptLine(const QString &runId)
{
    const QJsonObject object{{QStringLiteral("type"), QStringLiteral("interrupt")}, {QStringLiteral("id"), runId}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

std::optional<TableData> parseTable(const QJsonObject &table)
{
    if (!table.value(QStringLiteral("columns")).isArray())
        return std::nullopt;
    TableData data;
    for (const QJsonValue &column : table.value(QStringLiteral("columns")).toArray())
        data.columns << column.toString();
    for (const QJsonValue &type : table.value(QStringLiteral("types")).toArray())
        data.types << type.toString();
    while (data.types.size() < data.columns.size())
        data.types << QString();
    for (const QJsonValue &row : table.value(QStringLiteral("rows")).toArray()) {
        QStringList cells;
        for (const QJsonValue &cell : row.toArray())
            cells << (cell.isNull() ? QString() : cell.toString()); // SQL NULL: a null QString
        data.rows << cells;
    }
    data.totalRows = table.value(QStringLiteral("total_rows")).toInteger(data.rows.size());
    for (const QJsonValue &label : table.value(QStringLiteral("index")).toArray())
        data.rowLabels << label.toString();
    if (data.rowLabels.size() != data.rows.size())
        data.rowLabels.clear(); // labels that do not match the rows label nothing
    return data;
}

VariableListing parseVariables(const QJsonObject &object)
{
    // The listing comes from the snippet's own process, which may forge
    // it: the pane's bounds hold here, whoever sent it (the local driver
    // caps it too; E2B's sandbox does not).
    const auto field = [](const QJsonObject &entry, const QString &name) {
        return entry.value(name).toString().left(kMaxVariableFieldChars);
    };
    VariableListing listing;
    const QJsonArray variables = object.value(QStringLiteral("variables")).toArray();
    for (const QJsonValue &value : variables) {
        if (listing.variables.size() == kMaxListedVariables)
            break;
        const QJsonObject entry = value.toObject();
        listing.variables.append({field(entry, QStringLiteral("name")), field(entry, QStringLiteral("type")),
                                  field(entry, QStringLiteral("kind")), field(entry, QStringLiteral("shape")),
                                  field(entry, QStringLiteral("preview"))});
    }
    listing.truncated = object.value(QStringLiteral("truncated")).toBool() || variables.size() > kMaxListedVariables;
    return listing;
}

std::optional<Message> parseLine(const QByteArray &line)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QString type = object.value(QStringLiteral("type")).toString();
    Message message;
    if (type == QLatin1String("stdout") || type == QLatin1String("stderr")) {
        message.type = type == QLatin1String("stdout") ? MessageType::Stdout : MessageType::Stderr;
        message.text = object.value(QStringLiteral("text")).toString();
    } else if (type == QLatin1String("result")) {
        message.type = MessageType::Result;
        RichResult result;
        result.isMainResult = object.value(QStringLiteral("is_main_result")).toBool();
        result.text = object.value(QStringLiteral("text")).toString();
        result.html = object.value(QStringLiteral("html")).toString();
        result.png = QByteArray::fromBase64(object.value(QStringLiteral("png")).toString().toLatin1());
        result.svg = object.value(QStringLiteral("svg")).toString().toUtf8();
        if (object.value(QStringLiteral("table")).isObject())
            result.table = parseTable(object.value(QStringLiteral("table")).toObject());
        message.result = std::move(result);
    } else if (type == QLatin1String("error")) {
        message.type = MessageType::Error;
        message.error = ExecutionError{object.value(QStringLiteral("name")).toString(),
                                       object.value(QStringLiteral("value")).toString(),
                                       object.value(QStringLiteral("traceback")).toString()};
    } else if (type == QLatin1String("variables")) {
        message.type = MessageType::Variables;
        message.variables = parseVariables(object);
    } else if (type == QLatin1String("data_page")) {
        message.type = MessageType::DataPage;
        message.dataPage = parseDataPage(object);
        message.runId = object.value(QStringLiteral("id")).toString();
    } else if (type == QLatin1String("end_of_execution")) {
        message.type = MessageType::End;
        message.runId = object.value(QStringLiteral("id")).toString();
    }
    return message;
}

} // namespace safecell::kernel
