#pragma once

#include "common/Expected.h"
#include "request/Language.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace safecell {

// The original recipe's request: `{code, language, maxExecutionTimeMs}`.
struct RunRequest {
    static constexpr qsizetype kMaxCodeCharacters = 50000;
    static constexpr qint64 kDefaultTimeLimitMs = 30000;
    static constexpr qint64 kDefaultTimeLimitCapMs = 600000;

    QString code;
    Language language = Language::Python;
    qint64 maxExecutionTimeMs = kDefaultTimeLimitMs;
    bool confirmed = false; // the analyst accepted an ambiguous verdict (JSON `confirm`)
    // E2B may receive the local files the run needs (the workspace database
    // for SQL); without it such a run is refused and says what it skipped
    // (JSON `uploadData`).
    bool uploadData = false;
    // The E2B sandbox may reach the internet (JSON `allowInternet`). A
    // session's setting, not a run's: the API and the CLI start a session
    // per request, so they apply it to that session's E2B config.
    bool allowInternet = false;
};

// One broken rule of one field, e.g. field "code", message
// "must be at most 50000 characters (got 50001)". A rule of the whole body
// has the field kBodyField.
struct FieldError {
    static constexpr QStringView kBodyField = u"body";

    QString field;
    QString message;

    // "code: must be ...", or for the whole body, which is no field of
    // itself, "the body must be a JSON object".
    QString toString() const;
    bool operator==(const FieldError &) const = default;
};

struct ValidationError {
    QList<FieldError> fields; // every violation, in field order
    QString toString() const; // one line per violation
};

struct RequestLimits {
    qint64 timeLimitCapMs = RunRequest::kDefaultTimeLimitCapMs;
};

// Characters as a person counts them: grapheme clusters, so "é" written as
// e + combining accent, or a flag emoji, is one character, not two or four.
qsizetype countUserCharacters(const QString &text);

// Parses the recipe's JSON body. Unknown fields are ignored; each broken
// rule is reported with its field.
Expected<RunRequest, ValidationError> parseRunRequestJson(const QByteArray &json, const RequestLimits &limits = {});

// The same rules for values that arrive as text (CLI flags). An empty
// optional means "not given" and takes the default.
Expected<RunRequest, ValidationError> makeRunRequest(const QString &code, const std::optional<QString> &language,
                                                     const std::optional<QString> &timeLimitMs,
                                                     const RequestLimits &limits = {});

} // namespace safecell

Q_DECLARE_METATYPE(safecell::RunRequest)
