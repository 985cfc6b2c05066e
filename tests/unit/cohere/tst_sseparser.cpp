#include "cohere/SseParser.h"

#include <QTest>

using namespace safecell;

namespace {

// Feeds `bytes` in pieces of `step` bytes and collects every event.
QList<SseEvent> feedInSteps(const QByteArray &bytes, qsizetype step, bool finish = true)
{
    SseParser parser;
    QList<SseEvent> all;
    for (qsizetype i = 0; i < bytes.size(); i += step)
        all += parser.feed(QByteArrayView(bytes).sliced(i, std::min(step, bytes.size() - i)));
    if (finish)
        all += parser.finish();
    return all;
}

const QByteArray kTwoEvents =
    "event: message-start\n"
    "data: {\"type\":\"message-start\",\"id\":\"1\"}\n"
    "\n"
    "event: content-delta\n"
    "data: {\"type\":\"content-delta\",\"text\":\"h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\"}\n"
    "\n";

} // namespace

class TestSseParser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesEventsAndData()
    {
        const QList<SseEvent> events = feedInSteps(kTwoEvents, kTwoEvents.size());
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].event, QByteArray("message-start"));
        QCOMPARE(events[0].data, QByteArray("{\"type\":\"message-start\",\"id\":\"1\"}"));
        QCOMPARE(events[1].event, QByteArray("content-delta"));
    }

    // Every split point, including inside "event:", inside a multi-byte
    // UTF-8 character and between the two newlines, gives the same events.
    void anySplitGivesTheSameEvents()
    {
        const QList<SseEvent> whole = feedInSteps(kTwoEvents, kTwoEvents.size());
        for (qsizetype step = 1; step < 40; ++step) {
            const QList<SseEvent> split = feedInSteps(kTwoEvents, step);
            QCOMPARE(split.size(), whole.size());
            for (qsizetype i = 0; i < whole.size(); ++i) {
                QCOMPARE(split[i].event, whole[i].event);
                QCOMPARE(split[i].data, whole[i].data);
            }
        }
    }

    void utf8SequenceSplitAcrossReadsSurvives()
    {
        const QByteArray euro = "\xE2\x82\xAC";
        SseParser parser;
        QVERIFY(parser.feed(QByteArray(QByteArray("data: a") + euro.first(1))).isEmpty());
        QVERIFY(parser.feed(euro.sliced(1, 1)).isEmpty());
        const QList<SseEvent> events = parser.feed(QByteArray(euro.sliced(2) + "b\n\n"));
        QCOMPARE(events.size(), 1);
        QCOMPARE(QString::fromUtf8(events[0].data), QStringLiteral("a\u20ACb"));
    }

    void eventSplitAcrossReadsIsDispatchedOnceComplete()
    {
        SseParser parser;
        QVERIFY(parser.feed("event: content-delta\nda").isEmpty());
        QVERIFY(parser.feed("ta: {\"x\":1}\n").isEmpty());
        const QList<SseEvent> events = parser.feed("\n");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QByteArray("{\"x\":1}"));
    }

    void crlfAndCrLineEnds()
    {
        QByteArray crlf = kTwoEvents;
        crlf.replace("\n", "\r\n");
        QByteArray cr = kTwoEvents;
        cr.replace("\n", "\r");
        for (const QByteArray &input : {crlf, cr}) {
            for (qsizetype step : {qsizetype(1), qsizetype(3), input.size()}) {
                const QList<SseEvent> events = feedInSteps(input, step);
                QCOMPARE(events.size(), 2);
                QCOMPARE(events[1].event, QByteArray("content-delta"));
                QVERIFY(!events[1].data.contains('\r'));
            }
        }
    }

    void crAtEndOfReadThenLfIsOneLineEnd()
    {
        SseParser parser;
        QVERIFY(parser.feed("data: x\r").isEmpty());
        // The LF completes the CR above; the next CRLF ends the event.
        const QList<SseEvent> events = parser.feed("\n\r\n");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QByteArray("x"));
    }

    void commentsAndKeepAlivesAreIgnored()
    {
        const QList<SseEvent> events = feedInSteps(": keep-alive\n\n:\n\ndata: 1\n: inside\n\n: ping\n\n", 5);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QByteArray("1"));
    }

    void multipleDataLinesJoinWithNewline()
    {
        const QList<SseEvent> events = feedInSteps("data: a\ndata: b\ndata\n\n", 100);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QByteArray("a\nb\n"));
    }

    void fieldWithoutSpaceAndUnknownFields()
    {
        const QList<SseEvent> events = feedInSteps("event:x\nretry: 10\nfoo: bar\nid: 7\ndata:{}\n\n", 100);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].event, QByteArray("x"));
        QCOMPARE(events[0].id, QByteArray("7"));
        QCOMPARE(events[0].data, QByteArray("{}"));
    }

    void eventWithoutDataIsNotDispatched() { QVERIFY(feedInSteps("event: ping\n\n", 100).isEmpty()); }

    void leadingBomIsStripped()
    {
        const QList<SseEvent> events = feedInSteps("\xEF\xBB\xBF"
                                                   "data: 1\n\n",
                                                   1);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QByteArray("1"));
    }

    void finishDispatchesAnUnterminatedLastEvent()
    {
        SseParser parser;
        QVERIFY(parser.feed("data: [DONE]").isEmpty());
        const QList<SseEvent> events = parser.finish();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QByteArray("[DONE]"));
    }

    void manyEventsInOneReadStayLinear()
    {
        QByteArray big;
        for (int i = 0; i < 20000; ++i)
            big += "event: content-delta\ndata: {\"i\":" + QByteArray::number(i) + "}\n\n";
        const QList<SseEvent> events = feedInSteps(big, 777);
        QCOMPARE(events.size(), 20000);
        QCOMPARE(events.last().data, QByteArray("{\"i\":19999}"));
    }
};

QTEST_APPLESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
