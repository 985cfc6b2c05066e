#include "RunRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QTextBoundaryFinder>

#include <cmath>

namespace safecell {

namespace {

// Whether the text is one valid JSON value that is not an object or array
// ("print(1)", 123, null), which Qt's document parser refuses as if it were
// broken. Inside brackets such a value, and only such a text, is an array
// of exactly one element: "1,2" gives two, an empty body none.
bool isJsonScalar(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument wrapped = QJsonDocument::fromJson('[' + json + ']', &error);
    return error.error == QJsonParseError::NoError && wrapped.array().size() == 1;
}

const QString kCode = QStringLiteral("code");
const QString kLanguage = QStringLiteral("language");
const QString kTimeLimit = QStringLiteral("maxExecutionTimeMs");
const QString kConfirm = QStringLiteral("confirm");
const QString kUploadData = QStringLiteral("uploadData");
const QString kAllowInternet = QStringLiteral("allowInternet");

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

std::optional<FieldError> checkCode(const QString &code)
{
    const qsizetype count = countUserCharacters(code);
    if (count < 1)
        return FieldError{kCode, QStringLiteral("must not be empty")};
    if (count > RunRequest::kMaxCodeCharacters) {
        return FieldError{kCode, QStringLiteral("must be at most %1 characters (got %2)")
                                     .arg(RunRequest::kMaxCodeCharacters)
                                     .arg(count)};
    }
    return std::nullopt;
}

std::optional<FieldError> checkLanguage(const QString &name, Language *out)
{
    if (const auto language = languageFromName(name)) {
        *out = *language;
        return std::nullopt;
    }
    return FieldError{kLanguage, QStringLiteral("must be \"python\" or \"sql\" (got \"%1\")").arg(name.left(40))};
}

std::optional<FieldError> checkTimeLimit(double ms, const RequestLimits &limits, qint64 *out)
{
    if (!std::isfinite(ms) || ms != std::floor(ms))
        return FieldError{kTimeLimit, QStringLiteral("must be a whole number of milliseconds")};
    // Printed as a double: casting -1e308 or 1e300 to qint64 is undefined
    // (found by fuzz_runrequest).
    const QString given = QString::number(ms, 'g', 15);
    if (ms <= 0) {
        return FieldError{kTimeLimit, QStringLiteral("must be a positive number of milliseconds (got %1)").arg(given)};
    }
    if (ms > static_cast<double>(limits.timeLimitCapMs)) {
        return FieldError{kTimeLimit,
                          QStringLiteral("must be at most %1 ms (got %2)").arg(limits.timeLimitCapMs).arg(given)};
    }
    *out = static_cast<qint64>(ms);
    return std::nullopt;
}

Expected<RunRequest, ValidationError> finish(RunRequest request, QList<FieldError> errors)
{
    if (!errors.isEmpty())
        return unexpected(ValidationError{std::move(errors)});
    return request;
}

} // namespace

QString FieldError::toString() const
{
    if (field == FieldError::kBodyField)
        return QStringLiteral("the body ") + message;
    return field + QStringLiteral(": ") + message;
}

QString ValidationError::toString() const
{
    QStringList lines;
    for (const FieldError &error : fields)
        lines << error.toString();
    return lines.join(QLatin1Char('\n'));
}

qsizetype countUserCharacters(const QString &text)
{
    // Plain ASCII text is the common case and needs no segmentation.
    bool ascii = true;
    for (QChar c : text) {
        if (c.unicode() >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii)
        return text.size() - text.count(QStringLiteral("\r\n")); // CRLF is one grapheme

    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    qsizetype count = 0;
    while (finder.toNextBoundary() != -1)
        ++count;
    return count;
}

Expected<RunRequest, ValidationError> parseRunRequestJson(const QByteArray &json, const RequestLimits &limits)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    const FieldError notAnObject{FieldError::kBodyField.toString(), QStringLiteral("must be a JSON object")};
    if (parseError.error != QJsonParseError::NoError) {
        if (isJsonScalar(json))
            return unexpected(ValidationError{{notAnObject}});
        return unexpected(ValidationError{
            {FieldError{FieldError::kBodyField.toString(), QStringLiteral("is not valid JSON (%1 at offset %2)")
                                                               .arg(parseError.errorString())
                                                               .arg(parseError.offset)}}});
    }
    if (!document.isObject())
        return unexpected(ValidationError{{notAnObject}});
    const QJsonObject object = document.object();
    RunRequest request;
    QList<FieldError> errors;

    const QJsonValue code = object.value(kCode);
    if (code.isUndefined())
        errors << FieldError{kCode, QStringLiteral("is required")};
    else if (!code.isString())
        errors << FieldError{kCode, QStringLiteral("must be a string (got %1)").arg(jsonTypeName(code))};
    else if (auto error = checkCode(code.toString()))
        errors << *error;
    else
        request.code = code.toString();

    const QJsonValue language = object.value(kLanguage);
    if (language.isUndefined())
        errors << FieldError{kLanguage, QStringLiteral("is required")};
    else if (!language.isString())
        errors << FieldError{kLanguage, QStringLiteral("must be a string (got %1)").arg(jsonTypeName(language))};
    else if (auto error = checkLanguage(language.toString(), &request.language))
        errors << *error;

    const QJsonValue timeLimit = object.value(kTimeLimit);
    if (!timeLimit.isUndefined()) {
        if (!timeLimit.isDouble())
            errors << FieldError{kTimeLimit, QStringLiteral("must be a number (got %1)").arg(jsonTypeName(timeLimit))};
        else if (auto error = checkTimeLimit(timeLimit.toDouble(), limits, &request.maxExecutionTimeMs))
            errors << *error;
    }
    const auto flag = [&](const QString &name, bool *out) {
        const QJsonValue value = object.value(name);
        if (value.isUndefined())
            return;
        if (!value.isBool())
            errors << FieldError{name, QStringLiteral("must be a boolean (got %1)").arg(jsonTypeName(value))};
        else
            *out = value.toBool();
    };
    flag(kConfirm, &request.confirmed);
    flag(kUploadData, &request.uploadData);
    flag(kAllowInternet, &request.allowInternet);
    return finish(std::move(request), std::move(errors));
}

Expected<RunRequest, ValidationError> makeRunRequest(const QString &code, const std::optional<QString> &language,
                                                     const std::optional<QString> &timeLimitMs,
                                                     const RequestLimits &limits)
{
    RunRequest request;
    QList<FieldError> errors;
    if (auto error = checkCode(code))
        errors << *error;
    else
        request.code = code;

    if (language) {
        if (auto error = checkLanguage(*language, &request.language))
            errors << *error;
    }
    if (timeLimitMs) {
        bool ok = false;
        const qint64 ms = timeLimitMs->trimmed().toLongLong(&ok);
        if (!ok)
            errors << FieldError{kTimeLimit, QStringLiteral("must be a whole number of milliseconds (got \"%1\")")
                                                 .arg(timeLimitMs->left(40))};
        else if (auto error = checkTimeLimit(static_cast<double>(ms), limits, &request.maxExecutionTimeMs))
            errors << *error;
    }
    return finish(std::move(request), std::move(errors));
}

} // namespace safecell
