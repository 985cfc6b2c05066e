#include "OpenApiCheck.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <utility>

namespace {

QString typeOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double: {
        const double number = value.toDouble();
        return number == double(qint64(number)) ? QStringLiteral("integer") : QStringLiteral("number");
    }
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

bool typeMatches(const QString &actual, const QString &wanted)
{
    return actual == wanted || (wanted == QLatin1String("number") && actual == QLatin1String("integer"));
}

void collectRefs(const QJsonValue &value, QStringList *refs)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == QLatin1String("$ref"))
                *refs << it.value().toString();
            else
                collectRefs(it.value(), refs);
        }
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectRefs(item, refs);
    }
}

} // namespace

OpenApiCheck::OpenApiCheck(QJsonObject document)
    : m_document(std::move(document))
{
}

QJsonObject OpenApiCheck::resolve(const QJsonObject &schema) const
{
    QJsonObject resolved = schema;
    for (int depth = 0; depth < 16 && resolved.contains(QLatin1String("$ref")); ++depth) {
        const QString ref = resolved.value(QLatin1String("$ref")).toString();
        if (!ref.startsWith(QLatin1String("#/")))
            return {};
        QJsonValue target = m_document;
        for (const QString &part : ref.mid(2).split(QLatin1Char('/')))
            target = target.toObject().value(part);
        if (!target.isObject())
            return {};
        resolved = target.toObject();
    }
    return resolved;
}

QStringList OpenApiCheck::unresolvedRefs() const
{
    QStringList refs;
    collectRefs(m_document, &refs);
    QStringList broken;
    for (const QString &ref : std::as_const(refs)) {
        if (resolve(QJsonObject{{QStringLiteral("$ref"), ref}}).isEmpty())
            broken << ref;
    }
    return broken;
}

QStringList OpenApiCheck::validate(const QJsonValue &instance, const QJsonObject &given, const QString &where) const
{
    const QJsonObject schema = resolve(given);
    if (schema.isEmpty() && !given.isEmpty())
        return {where + QStringLiteral(": unresolved $ref")};
    QStringList errors;
    const QString actual = typeOf(instance);

    if (schema.contains(QLatin1String("type"))) {
        const QJsonValue type = schema.value(QLatin1String("type"));
        const QJsonArray wanted = type.isArray() ? type.toArray() : QJsonArray{type};
        bool matched = false;
        for (const QJsonValue &one : wanted)
            matched = matched || typeMatches(actual, one.toString());
        if (!matched)
            return {where
                    + QStringLiteral(": is %1, not %2")
                          .arg(actual, QString::fromUtf8(QJsonDocument(wanted).toJson(QJsonDocument::Compact)))};
    }
    if (schema.contains(QLatin1String("const")) && instance != schema.value(QLatin1String("const")))
        errors << where
                      + QStringLiteral(": must be the constant %1")
                            .arg(schema.value(QLatin1String("const")).toVariant().toString());
    if (schema.contains(QLatin1String("enum")) && !schema.value(QLatin1String("enum")).toArray().contains(instance))
        errors << where + QStringLiteral(": %1 is not one of the enum").arg(instance.toVariant().toString());
    if (instance.isDouble()) {
        if (schema.contains(QLatin1String("minimum"))
            && instance.toDouble() < schema.value(QLatin1String("minimum")).toDouble())
            errors << where + QStringLiteral(": below its minimum");
        if (schema.contains(QLatin1String("maximum"))
            && instance.toDouble() > schema.value(QLatin1String("maximum")).toDouble())
            errors << where + QStringLiteral(": above its maximum");
    }
    if (instance.isString()) {
        const qsizetype length = instance.toString().size();
        if (schema.contains(QLatin1String("minLength"))
            && length < schema.value(QLatin1String("minLength")).toInteger())
            errors << where + QStringLiteral(": shorter than its minLength");
        if (schema.contains(QLatin1String("maxLength"))
            && length > schema.value(QLatin1String("maxLength")).toInteger())
            errors << where + QStringLiteral(": longer than its maxLength");
    }
    if (instance.isArray()) {
        const QJsonArray array = instance.toArray();
        if (schema.contains(QLatin1String("minItems"))
            && array.size() < schema.value(QLatin1String("minItems")).toInteger())
            errors << where + QStringLiteral(": fewer items than its minItems");
        if (schema.contains(QLatin1String("items"))) {
            for (qsizetype i = 0; i < array.size(); ++i)
                errors << validate(array.at(i), schema.value(QLatin1String("items")).toObject(),
                                   QStringLiteral("%1[%2]").arg(where).arg(i));
        }
    }
    if (schema.contains(QLatin1String("oneOf"))) {
        int passed = 0;
        QStringList branchErrors;
        for (const QJsonValue &branch : schema.value(QLatin1String("oneOf")).toArray()) {
            const QStringList e = validate(instance, branch.toObject(), where);
            passed += e.isEmpty() ? 1 : 0;
            branchErrors << e;
        }
        if (passed != 1)
            errors << where
                          + QStringLiteral(": matches %1 of oneOf's branches, not exactly one (%2)")
                                .arg(passed)
                                .arg(branchErrors.join(QStringLiteral("; ")));
    }
    // allOf: every branch, with the properties they name together (so the
    // strict object check sees the union, not each branch alone).
    QJsonObject properties = schema.value(QLatin1String("properties")).toObject();
    QJsonArray required = schema.value(QLatin1String("required")).toArray();
    bool objectSchema = schema.contains(QLatin1String("properties"));
    for (const QJsonValue &branch : schema.value(QLatin1String("allOf")).toArray()) {
        const QJsonObject part = resolve(branch.toObject());
        const QJsonObject partProperties = part.value(QLatin1String("properties")).toObject();
        for (auto it = partProperties.begin(); it != partProperties.end(); ++it)
            properties.insert(it.key(), it.value());
        for (const QJsonValue &name : part.value(QLatin1String("required")).toArray())
            required.append(name);
        objectSchema = objectSchema || part.contains(QLatin1String("properties"));
        QJsonObject rest = part;
        rest.remove(QLatin1String("properties"));
        rest.remove(QLatin1String("required"));
        errors << validate(instance, rest, where);
    }
    if (instance.isObject() && objectSchema) {
        const QJsonObject object = instance.toObject();
        for (const QJsonValue &name : std::as_const(required)) {
            if (!object.contains(name.toString()))
                errors << where + QStringLiteral(": lacks the required %1").arg(name.toString());
        }
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString inner = where + QLatin1Char('.') + it.key();
            if (!properties.contains(it.key()))
                errors << inner + QStringLiteral(": is not in the description");
            else
                errors << validate(it.value(), properties.value(it.key()).toObject(), inner);
        }
    }
    return errors;
}

QString OpenApiCheck::templateFor(const QString &path) const
{
    const QJsonObject paths = m_document.value(QLatin1String("paths")).toObject();
    if (paths.contains(path))
        return path;
    const QStringList parts = path.split(QLatin1Char('/'));
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QStringList pattern = it.key().split(QLatin1Char('/'));
        if (pattern.size() != parts.size())
            continue;
        bool same = true;
        for (qsizetype i = 0; i < parts.size() && same; ++i)
            same = pattern.at(i) == parts.at(i)
                   || (pattern.at(i).startsWith(QLatin1Char('{')) && !parts.at(i).isEmpty());
        if (same)
            return it.key();
    }
    return {};
}

QStringList OpenApiCheck::check(const QByteArray &method, const QString &path, int status,
                                const QByteArray &contentType, const QByteArray &body)
{
    const QString where = QStringLiteral("%1 %2 %3").arg(QString::fromLatin1(method), path).arg(status);
    const QString pathTemplate = templateFor(path);
    if (pathTemplate.isEmpty())
        return {where + QStringLiteral(": the path is not in the description")};
    const QJsonObject operation = m_document.value(QLatin1String("paths"))
                                      .toObject()
                                      .value(pathTemplate)
                                      .toObject()
                                      .value(QString::fromLatin1(method.toLower()))
                                      .toObject();
    if (operation.isEmpty())
        return {where + QStringLiteral(": the method is not in the description")};
    const QJsonObject response =
        operation.value(QLatin1String("responses")).toObject().value(QString::number(status)).toObject();
    if (response.isEmpty())
        return {where + QStringLiteral(": the status is not in the description")};
    if (!response.contains(QLatin1String("content"))) { // 204: nothing to describe, nothing sent
        if (!body.isEmpty())
            return {where + QStringLiteral(": a body where the description has none")};
        m_seen.insert(QStringLiteral("%1 %2 %3").arg(QString::fromLatin1(method.toUpper()), pathTemplate).arg(status));
        return {};
    }
    const QString type = QString::fromLatin1(contentType.split(';').constFirst().trimmed());
    const QJsonObject media = response.value(QLatin1String("content")).toObject().value(type).toObject();
    if (media.isEmpty())
        return {where + QStringLiteral(": the content type %1 is not in the description").arg(type)};
    const QJsonObject schema = media.value(QLatin1String("schema")).toObject();
    QStringList errors;
    if (type == QLatin1String("application/x-ndjson")) {
        const QList<QByteArray> lines = body.split('\n');
        if (!body.endsWith('\n'))
            errors << where + QStringLiteral(": the stream does not end with a newline");
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            QJsonParseError parseError;
            const QJsonDocument line = QJsonDocument::fromJson(lines.at(i), &parseError);
            if (!line.isObject())
                errors << where + QStringLiteral(": line %1 is not a JSON object").arg(i + 1);
            else
                errors << validate(line.object(), schema, QStringLiteral("%1 line %2").arg(where).arg(i + 1));
        }
    } else {
        const QJsonDocument document = QJsonDocument::fromJson(body);
        if (document.isNull())
            return {where + QStringLiteral(": the body is not JSON")};
        errors << validate(document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array()), schema,
                           where);
    }
    if (errors.isEmpty())
        m_seen.insert(QStringLiteral("%1 %2 %3").arg(QString::fromLatin1(method.toUpper()), pathTemplate).arg(status));
    return errors;
}

QSet<QString> OpenApiCheck::documentedResponses() const
{
    QSet<QString> documented;
    const QJsonObject paths = m_document.value(QLatin1String("paths")).toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        const QJsonObject operations = path.value().toObject();
        for (auto operation = operations.begin(); operation != operations.end(); ++operation) {
            const QJsonObject responses = operation.value().toObject().value(QLatin1String("responses")).toObject();
            for (auto response = responses.begin(); response != responses.end(); ++response)
                documented.insert(
                    QStringLiteral("%1 %2 %3").arg(operation.key().toUpper(), path.key(), response.key()));
        }
    }
    return documented;
}
