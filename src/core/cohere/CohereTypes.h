#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace safecell {

// One message of a chat request. Only the roles SafeCell sends.
struct ChatMessage {
    enum class Role { System, User, Assistant };
    Role role = Role::User;
    QString content;
};

// What a caller asks of POST /v2/chat. Optional fields are left out of the
// body when unset, so the server applies its own defaults.
struct ChatRequest {
    QString model;
    QList<ChatMessage> messages;
    std::optional<int> maxTokens;
    std::optional<double> temperature;
    // Set: response_format {"type":"json_object"}; with a non-empty schema,
    // also "json_schema" (the v2 wire name).
    bool jsonObject = false;
    QJsonObject jsonSchema;
};

// Tokens Cohere bills for (usage.billed_units), never the raw token count,
// which includes unbilled template tokens.
struct Usage {
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    friend bool operator==(const Usage &, const Usage &) = default;
};

struct ChatReply {
    QString id;
    QString text; // the concatenated "text" content items
    QString finishReason;
    Usage usage;
};

} // namespace safecell
