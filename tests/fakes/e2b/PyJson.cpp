#include "PyJson.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace safecell::fake {

namespace {

QByteArray pyString(const QString &text)
{
    QByteArray out = "\"";
    for (const QChar c : text) {
        const ushort u = c.unicode();
        switch (u) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (u < 0x20 || u > 0x7e)
                out += QByteArray("\\u") + QByteArray::number(u, 16).rightJustified(4, '0');
            else
                out += char(u);
        }
    }
    return out + '"';
}

QByteArray pyNumber(double d)
{
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15)
        return QByteArray::number(static_cast<qint64>(d));
    return QByteArray::number(d, 'g', 17);
}

} // namespace

QByteArray pyJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return "null";
    case QJsonValue::Bool:
        return value.toBool() ? "true" : "false";
    case QJsonValue::Double:
        return pyNumber(value.toDouble());
    case QJsonValue::String:
        return pyString(value.toString());
    case QJsonValue::Array: {
        QByteArray out = "[";
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                out += ", ";
            out += pyJson(array.at(i));
        }
        return out + ']';
    }
    case QJsonValue::Object: {
        PyFields fields;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            fields.append({it.key(), it.value()});
        return pyJsonObject(fields);
    }
    }
    return "null";
}

QByteArray pyJsonObject(const PyFields &fields)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            out += ", ";
        out += pyString(fields.at(i).first) + ": " + pyJson(fields.at(i).second);
    }
    return out + '}';
}

} // namespace safecell::fake
