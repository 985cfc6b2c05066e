#pragma once

// Checks real answers of the local API against its OpenAPI 3.1 description
// (docs/openapi.json): the status must be documented for the operation,
// the content type too, and the body must satisfy the schema. Objects are
// checked strictly: a property the schema does not name is an error, so an
// undocumented field fails as surely as a missing one. The JSON Schema
// subset the description uses: type (one or a list), enum, const, required,
// properties, items, oneOf, allOf, $ref (local), minimum, maximum,
// minLength, maxLength, minItems.
#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QString>
#include <QStringList>

class OpenApiCheck {
public:
    explicit OpenApiCheck(QJsonObject document);

    // Every problem with one answer (empty: it conforms). `path` is the
    // request's; templated paths ("/api/sessions/{id}") match any segment.
    // An application/x-ndjson body is checked line by line.
    QStringList check(const QByteArray &method, const QString &path, int status, const QByteArray &contentType,
                      const QByteArray &body);

    // "POST /api/code 200": what the description documents, and what
    // check() has seen conform so far.
    QSet<QString> documentedResponses() const;
    const QSet<QString> &seenResponses() const { return m_seen; }

    // $refs that point nowhere, anywhere in the document.
    QStringList unresolvedRefs() const;

    QStringList validate(const QJsonValue &instance, const QJsonObject &schema, const QString &where) const;

private:
    QJsonObject resolve(const QJsonObject &schema) const;
    QString templateFor(const QString &path) const;

    QJsonObject m_document;
    QSet<QString> m_seen;
};
