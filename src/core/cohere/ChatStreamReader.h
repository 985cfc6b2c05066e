#pragma once

#include "cohere/CohereError.h"
#include "cohere/CohereTypes.h"
#include "cohere/SseParser.h"

#include <QMap>

#include <optional>

namespace safecell {

// Turns the SSE events of a streamed /v2/chat (protocols.md §2.4) into a
// ChatReply. The JSON's own "type" is the discriminator, as in the official
// SDK; unknown event types (citations, tool calls, debug) are ignored.
class ChatStreamReader {
public:
    enum class State {
        Streaming, // before message-end
        Ended,     // message-end seen: the reply is complete
        Done,      // data: [DONE] seen after a complete reply
        Failed,
    };

    // Handles one event. Text that extends the reply is appended to
    // *textDelta (may be null). Returns an error when the stream is invalid
    // or reports a failed generation; the reader is then Failed.
    std::optional<CohereError> handle(const SseEvent &event, QString *textDelta = nullptr);

    // The transport reached end of stream: an error unless message-end came.
    std::optional<CohereError> finish();

    State state() const { return m_state; }
    bool complete() const { return m_state == State::Ended || m_state == State::Done; }
    ChatReply reply() const;

private:
    std::optional<CohereError> fail(CohereError::Kind kind, const QString &message);

    State m_state = State::Streaming;
    ChatReply m_reply;
    QMap<int, QString> m_blockTypes; // content index -> "text" / "thinking"
    QMap<int, QString> m_blockText;  // text blocks' accumulated text
};

} // namespace safecell
