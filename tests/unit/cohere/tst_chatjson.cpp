#include "cohere/ChatJson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace safecell;

class TestChatJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void requestBodyHasTheWireNames()
    {
        ChatRequest r;
        r.model = QStringLiteral("command-a-03-2025");
        r.messages = {{ChatMessage::Role::System, QStringLiteral("Be terse.")},
                      {ChatMessage::Role::User, QStringLiteral("Hi")}};
        r.maxTokens = 100;
        r.temperature = 0.2;
        r.jsonObject = true;
        r.jsonSchema = QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}};
        const QJsonObject o = QJsonDocument::fromJson(chatRequestBody(r, false)).object();
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("command-a-03-2025"));
        QCOMPARE(o.value(QStringLiteral("stream")).toBool(true), false);
        QCOMPARE(o.value(QStringLiteral("max_tokens")).toInt(), 100);
        QCOMPARE(o.value(QStringLiteral("temperature")).toDouble(), 0.2);
        const QJsonArray messages = o.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[0].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
        QCOMPARE(messages[1].toObject().value(QStringLiteral("content")).toString(), QStringLiteral("Hi"));
        const QJsonObject format = o.value(QStringLiteral("response_format")).toObject();
        QCOMPARE(format.value(QStringLiteral("type")).toString(), QStringLiteral("json_object"));
        QCOMPARE(format.value(QStringLiteral("json_schema")).toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("object"));
    }

    void unsetOptionsAreLeftOut()
    {
        ChatRequest r;
        r.model = QStringLiteral("m");
        const QJsonObject o = QJsonDocument::fromJson(chatRequestBody(r, true)).object();
        QCOMPARE(o.value(QStringLiteral("stream")).toBool(), true);
        QVERIFY(!o.contains(QStringLiteral("max_tokens")));
        QVERIFY(!o.contains(QStringLiteral("temperature")));
        QVERIFY(!o.contains(QStringLiteral("response_format")));
    }

    void replyTextConcatenatesTextItemsOnly()
    {
        const auto reply = parseChatResponse(
            R"({"id":"c14c","finish_reason":"COMPLETE","message":{"role":"assistant","content":[)"
            R"({"type":"thinking","thinking":"let me think"},{"type":"text","text":"Hello, "},{"type":"text","text":"world"}]},)"
            R"("usage":{"billed_units":{"input_tokens":5,"output_tokens":418},"tokens":{"input_tokens":71,"output_tokens":418}}})");
        QVERIFY(reply);
        QCOMPARE(reply->text, QStringLiteral("Hello, world"));
        QCOMPARE(reply->id, QStringLiteral("c14c"));
        QCOMPARE(reply->finishReason, QStringLiteral("COMPLETE"));
        QCOMPARE(reply->usage, (Usage{5, 418})); // billed, not raw tokens
    }

    void usageFromNullOrAbsentIsZero()
    {
        QCOMPARE(usageFromJson(QJsonValue()), (Usage{0, 0}));
        QCOMPARE(usageFromJson(QJsonValue(QJsonValue::Undefined)), (Usage{0, 0}));
        QCOMPARE(usageFromJson(QJsonValue(42)), (Usage{0, 0}));
        const auto reply = parseChatResponse(
            R"({"id":"x","finish_reason":"COMPLETE","message":{"content":[]},"usage":null})");
        QVERIFY(reply);
        QCOMPARE(reply->usage, (Usage{0, 0}));
        const QJsonObject partial = QJsonDocument::fromJson(R"({"billed_units":{"output_tokens":3}})").object();
        QCOMPARE(usageFromJson(partial), (Usage{0, 3}));
    }

    // Found by the SSE fuzzer under UBSan: a count beyond qint64 was an
    // undefined conversion. Capped, never wrapped to a small or negative count.
    void hugeOrNegativeCountsAreCappedOrZero()
    {
        const QJsonObject huge =
            QJsonDocument::fromJson(R"({"billed_units":{"input_tokens":2.22222e+100,"output_tokens":-5}})").object();
        const Usage usage = usageFromJson(huge);
        QCOMPARE(usage.inputTokens, qint64(1e15));
        QCOMPARE(usage.outputTokens, 0);
    }

    void malformedBodiesAreTypedErrors()
    {
        for (const QByteArray &body : {QByteArray(), QByteArray("null"), QByteArray("{\"id\":"), QByteArray("[1,2]"),
                                       QByteArray("{\"id\":\"x\"}")}) {
            const auto reply = parseChatResponse(body);
            QVERIFY2(!reply, body.constData());
            QCOMPARE(reply.error().kind, CohereError::Kind::MalformedResponse);
        }
    }

    void errorBodyCarriesTheServersMessage()
    {
        const CohereError e = errorFromHttpResponse(
            404,
            R"({"id":"abc","message":"model 'xyz' not found, make sure the correct model ID was used and that you have access to the model."})");
        QCOMPARE(e.kind, CohereError::Kind::NotFound);
        QCOMPARE(e.httpStatus, 404);
        QCOMPARE(e.requestId, QStringLiteral("abc"));
        QVERIFY(e.message.startsWith(QStringLiteral("model 'xyz' not found")));
        QVERIFY(e.describe().contains(QStringLiteral("model 'xyz' not found")));

        const CohereError plain = errorFromHttpResponse(502, "<html>Bad gateway</html>");
        QCOMPARE(plain.kind, CohereError::Kind::ServerError);
        QCOMPARE(plain.message, QStringLiteral("<html>Bad gateway</html>"));
    }

    void statusMapping()
    {
        using K = CohereError::Kind;
        QCOMPARE(cohereErrorKindForStatus(400), K::BadRequest);
        QCOMPARE(cohereErrorKindForStatus(401), K::Unauthorized);
        QCOMPARE(cohereErrorKindForStatus(402), K::PaymentRequired);
        QCOMPARE(cohereErrorKindForStatus(404), K::NotFound);
        QCOMPARE(cohereErrorKindForStatus(429), K::RateLimited);
        QCOMPARE(cohereErrorKindForStatus(498), K::InvalidToken);
        QCOMPARE(cohereErrorKindForStatus(499), K::ClientClosed);
        QCOMPARE(cohereErrorKindForStatus(503), K::ServerError);
        QCOMPARE(cohereErrorKindForStatus(302), K::HttpError);
        CohereError unauthorized;
        unauthorized.kind = K::Unauthorized;
        QVERIFY(unauthorized.describe().contains(QStringLiteral("key is wrong")));
    }
};

QTEST_APPLESS_MAIN(TestChatJson)
#include "tst_chatjson.moc"
