#include "cohere/ChatStreamReader.h"

#include <QTest>

using namespace safecell;

namespace {

SseEvent ev(const char *type, const QByteArray &json)
{
    return SseEvent{QByteArray(type), json, {}};
}

const QByteArray kStart = R"({"type":"message-start","id":"29f1","delta":{"message":{"role":"assistant"}}})";
const QByteArray kTextStart =
    R"({"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}})";
QByteArray textDelta(int index, const QByteArray &text)
{
    return R"({"type":"content-delta","index":)" + QByteArray::number(index)
           + R"(,"delta":{"message":{"content":{"text":")" + text + R"("}}}})";
}
const QByteArray kEnd =
    R"({"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":5,"output_tokens":26},"tokens":{"input_tokens":71,"output_tokens":26}}}})";

} // namespace

class TestChatStreamReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plainTextStream()
    {
        ChatStreamReader reader;
        QString delta;
        QVERIFY(!reader.handle(ev("message-start", kStart), &delta));
        QVERIFY(!reader.handle(ev("content-start", kTextStart), &delta));
        QVERIFY(!reader.handle(ev("content-delta", textDelta(0, "LL")), &delta));
        QVERIFY(!reader.handle(ev("content-delta", textDelta(0, "Ms")), &delta));
        QCOMPARE(delta, QStringLiteral("LLMs"));
        QCOMPARE(reader.state(), ChatStreamReader::State::Streaming);
        QVERIFY(!reader.handle(ev("content-end", R"({"type":"content-end","index":0})")));
        QVERIFY(!reader.handle(ev("message-end", kEnd)));
        QCOMPARE(reader.state(), ChatStreamReader::State::Ended);
        QVERIFY(!reader.finish()); // EOF after message-end is a normal end
        const ChatReply reply = reader.reply();
        QCOMPARE(reply.id, QStringLiteral("29f1"));
        QCOMPARE(reply.text, QStringLiteral("LLMs"));
        QCOMPARE(reply.finishReason, QStringLiteral("COMPLETE"));
        QCOMPARE(reply.usage, (Usage{5, 26}));
    }

    void doneAfterMessageEndIsNormal()
    {
        ChatStreamReader reader;
        QVERIFY(!reader.handle(ev("message-start", kStart)));
        QVERIFY(!reader.handle(ev("message-end", kEnd)));
        QVERIFY(!reader.handle(SseEvent{{}, "[DONE]", {}}));
        QCOMPARE(reader.state(), ChatStreamReader::State::Done);
    }

    void doneBeforeMessageEndIsAnError()
    {
        ChatStreamReader reader;
        QVERIFY(!reader.handle(ev("message-start", kStart)));
        const auto error = reader.handle(SseEvent{{}, "[DONE]", {}});
        QVERIFY(error);
        QCOMPARE(error->kind, CohereError::Kind::StreamIncomplete);
    }

    void eofBeforeMessageEndIsAnError()
    {
        ChatStreamReader reader;
        QVERIFY(!reader.handle(ev("message-start", kStart)));
        QVERIFY(!reader.handle(ev("content-delta", textDelta(0, "partial"))));
        const auto error = reader.finish();
        QVERIFY(error);
        QCOMPARE(error->kind, CohereError::Kind::StreamIncomplete);
    }

    void thinkingBlocksAreNotPartOfTheText()
    {
        ChatStreamReader reader;
        QString delta;
        QVERIFY(!reader.handle(
            ev("content-start",
               R"({"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}})"),
            &delta));
        QVERIFY(!reader.handle(
            ev("content-delta",
               R"({"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"hmm"}}}})"),
            &delta));
        QVERIFY(!reader.handle(
            ev("content-start",
               R"({"type":"content-start","index":1,"delta":{"message":{"content":{"type":"text","text":""}}}})"),
            &delta));
        QVERIFY(!reader.handle(ev("content-delta", textDelta(1, "answer")), &delta));
        QVERIFY(!reader.handle(ev("message-end", kEnd)));
        QCOMPARE(delta, QStringLiteral("answer"));
        QCOMPARE(reader.reply().text, QStringLiteral("answer"));
    }

    void unknownEventsAreIgnored()
    {
        ChatStreamReader reader;
        QVERIFY(!reader.handle(ev("debug", R"({"type":"debug","prompt":"x"})")));
        QVERIFY(!reader.handle(ev("citation-start", R"({"type":"citation-start","index":0,"delta":{}})")));
        QVERIFY(!reader.handle(
            ev("tool-plan-delta", R"({"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I"}}})")));
        QVERIFY(!reader.handle(ev("brand-new", R"({"type":"brand-new"})")));
        QVERIFY(!reader.handle(ev("message-end", kEnd)));
        QCOMPARE(reader.reply().text, QString());
    }

    void theJsonTypeIsTheDiscriminator()
    {
        // No event: line at all, as the SDK's parser would see it.
        ChatStreamReader reader;
        QVERIFY(!reader.handle(SseEvent{{}, kEnd, {}}));
        QCOMPARE(reader.state(), ChatStreamReader::State::Ended);
    }

    void malformedJsonIsAnError()
    {
        ChatStreamReader reader;
        const auto error = reader.handle(ev("content-delta", "{\"type\":\"content-delta\","));
        QVERIFY(error);
        QCOMPARE(error->kind, CohereError::Kind::MalformedResponse);
        QCOMPARE(reader.state(), ChatStreamReader::State::Failed);
    }

    void messageEndWithErrorIsAGenerationFailure()
    {
        ChatStreamReader reader;
        const auto error = reader.handle(
            ev("message-end",
               R"({"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal failure"}})"));
        QVERIFY(error);
        QCOMPARE(error->kind, CohereError::Kind::GenerationFailed);
        QCOMPARE(error->message, QStringLiteral("internal failure"));
    }

    void missingOrNullUsageGivesZeros()
    {
        for (const QByteArray &end :
             {QByteArray(R"({"type":"message-end","delta":{"finish_reason":"COMPLETE"}})"),
              QByteArray(R"({"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":null}})"),
              QByteArray(R"({"type":"message-end","delta":{"usage":{"billed_units":null}}})"),
              QByteArray(R"({"type":"message-end","delta":null})")}) {
            ChatStreamReader reader;
            QVERIFY(!reader.handle(ev("message-end", end)));
            QCOMPARE(reader.reply().usage, (Usage{0, 0}));
        }
    }
};

QTEST_APPLESS_MAIN(TestChatStreamReader)
#include "tst_chatstreamreader.moc"
