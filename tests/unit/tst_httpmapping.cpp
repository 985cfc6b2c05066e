// The HTTP API's (and `safecell run --json`'s) body for a run report: the
// recipe's fields plus verdict, findings, cost, budget, and the LLM step.
#include "api/HttpMapping.h"
#include "api/RunStream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestHttpMapping : public QObject {
    Q_OBJECT
private:
    static RunReport classifiedByTheLlm()
    {
        RunReport report;
        report.runId = u"run-1"_s;
        report.outcome = RunOutcome::Ok;
        report.classified = true;
        report.safetyLabel = SafetyLabel::Safe;
        report.decidedBy = u"llm"_s;
        report.classificationNote = u"LLM (command-r7b-12-2024): safe at 0.93: reads a CSV"_s;
        report.model = u"command-r7b-12-2024"_s;
        report.modelReason = u"cheapest classify model with a closed circuit"_s;
        report.llmInputTokens = 400;
        report.llmOutputTokens = 20;
        report.llmCost = Money::fromNanos(7500);
        report.sandboxCost = Money::fromNanos(2500);
        report.llmRequest =
            R"json({"model":"command-r7b-12-2024","messages":[{"role":"user","content":"print(1)"}]})json";
        Finding finding;
        finding.rule = u"PY-URL"_s;
        finding.label = SafetyLabel::Ambiguous;
        finding.line = 3;
        report.findings << finding;
        report.result.stdoutText = u"ran\n"_s;
        return report;
    }

private Q_SLOTS:
    void statusCodesFollowTheRecipe()
    {
        QCOMPARE(api::httpStatusFor(RunOutcome::Ok), 200);
        QCOMPARE(api::httpStatusFor(RunOutcome::Failed), 200); // the error is in the body
        QCOMPARE(api::httpStatusFor(RunOutcome::Invalid), 400);
        QCOMPARE(api::httpStatusFor(RunOutcome::OverBudget), 402);
        QCOMPARE(api::httpStatusFor(RunOutcome::Blocked), 403);
        QCOMPARE(api::httpStatusFor(RunOutcome::NeedsConfirmation), 409);
        QCOMPARE(api::httpStatusFor(RunOutcome::Unavailable), 503);
    }

    void theLlmStepIsShownWithWhatWasSent()
    {
        const QJsonObject body = api::responseBody(classifiedByTheLlm());
        QCOMPARE(body.value(u"stdout"_s).toString(), u"ran\n"_s);
        const QJsonObject verdict = body.value(u"verdict"_s).toObject();
        QCOMPARE(verdict.value(u"decidedBy"_s).toString(), u"llm"_s);
        QVERIFY(verdict.value(u"note"_s).toString().contains(u"reads a CSV"_s));
        const QJsonObject llm = body.value(u"llm"_s).toObject();
        QCOMPARE(llm.value(u"model"_s).toString(), u"command-r7b-12-2024"_s);
        QVERIFY(llm.value(u"why"_s).toString().contains(u"closed circuit"_s));
        QCOMPARE(llm.value(u"inputTokens"_s).toInteger(), 400);
        QCOMPARE(llm.value(u"outputTokens"_s).toInteger(), 20);
        QCOMPARE(llm.value(u"cost"_s).toDouble(), 7.5e-6);
        QCOMPARE(llm.value(u"sent"_s).toObject().value(u"messages"_s).toArray().first().toObject().value(u"content"_s),
                 u"print(1)"_s);
        const QJsonObject cost = body.value(u"cost"_s).toObject();
        QCOMPARE(cost.value(u"total"_s).toDouble(), 1e-5);
        const QJsonObject finding = body.value(u"findings"_s).toArray().first().toObject();
        QCOMPARE(finding.value(u"rule"_s).toString(), u"PY-URL"_s);
        QCOMPARE(finding.value(u"line"_s).toInt(), 3);
        QCOMPARE(finding.value(u"label"_s).toString(), u"ambiguous"_s);
    }

    void noLlmStepNoLlmField()
    {
        RunReport report = classifiedByTheLlm();
        report.model.clear();
        report.classificationNote.clear();
        const QJsonObject body = api::responseBody(report);
        QVERIFY(!body.contains(u"llm"_s));
        QVERIFY(!body.value(u"verdict"_s).toObject().contains(u"note"_s));
        report.classified = false;
        QVERIFY(api::responseBody(report).value(u"verdict"_s).isNull());
    }
    // Issue 22 item 2: figures, tables and HTML reach a headless client as
    // mime bundles; `result` stays the recipe's text.
    void richResultsBecomeMimeBundles()
    {
        RunReport report;
        report.outcome = RunOutcome::Ok;
        RichResult figure;
        figure.text = u"<Figure size 640x480 with 1 Axes>"_s;
        figure.png = QByteArray("\x89PNG\r\n\x1a\n\x00\xff", 10); // bytes base64 must carry intact
        figure.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        RichResult frame;
        frame.isMainResult = true;
        frame.text = u"   a\nx  1"_s;
        frame.html = u"<table><tr><td>1</td></tr></table>"_s;
        frame.table = TableData{{u"a"_s}, {u"int64"_s}, {{u"1"_s}}, 2500, {u"x"_s}};
        report.richResults = {figure, frame};
        report.result.result = frame.text;

        const QJsonObject body = api::responseBody(report);
        QCOMPARE(body.value(u"result"_s).toString(), frame.text);
        const QJsonArray results = body.value(u"results"_s).toArray();
        QCOMPARE(results.size(), 2);

        const QJsonObject first = results.at(0).toObject();
        QCOMPARE(first.value(u"isMainResult"_s).toBool(true), false);
        const QJsonObject figureData = first.value(u"data"_s).toObject();
        QCOMPARE(QByteArray::fromBase64(figureData.value(u"image/png"_s).toString().toLatin1()), figure.png);
        QCOMPARE(figureData.value(u"image/svg+xml"_s).toString().toUtf8(), figure.svg);
        QCOMPARE(figureData.value(u"text/plain"_s).toString(), figure.text);
        QVERIFY(!figureData.contains(u"text/html"_s));
        QVERIFY(!figureData.contains(u"application/json"_s));

        const QJsonObject second = results.at(1).toObject();
        QCOMPARE(second.value(u"isMainResult"_s).toBool(), true);
        const QJsonObject frameData = second.value(u"data"_s).toObject();
        QCOMPARE(frameData.value(u"text/html"_s).toString(), frame.html);
        QVERIFY(!frameData.contains(u"image/png"_s));
        const QJsonObject table = frameData.value(u"application/json"_s).toObject();
        QCOMPARE(table.value(u"columns"_s).toArray(), QJsonArray({u"a"_s}));
        QCOMPARE(table.value(u"types"_s).toArray(), QJsonArray({u"int64"_s}));
        QCOMPARE(table.value(u"rows"_s).toArray(), QJsonArray({QJsonArray({u"1"_s})}));
        QCOMPARE(table.value(u"totalRows"_s).toInteger(), 2500);
        QCOMPARE(table.value(u"index"_s).toArray(), QJsonArray({u"x"_s}));
    }

    void noRichOutputIsAnEmptyList()
    {
        RunReport report;
        const QJsonValue results = api::responseBody(report).value(u"results"_s);
        QVERIFY(results.isArray());
        QVERIFY(results.toArray().isEmpty());
    }
    void onlyAnExplicitNdjsonAcceptAsksForAStream_data()
    {
        QTest::addColumn<QByteArray>("accept");
        QTest::addColumn<bool>("stream");
        QTest::newRow("ndjson") << QByteArray("application/x-ndjson") << true;
        QTest::newRow("any case, in a list, with q") << QByteArray("text/html, Application/X-NDJSON;q=0.9") << true;
        QTest::newRow("none") << QByteArray() << false;
        QTest::newRow("anything") << QByteArray("*/*") << false;
        QTest::newRow("json") << QByteArray("application/json") << false;
        QTest::newRow("a longer type") << QByteArray("application/x-ndjson-seq") << false;
    }
    void onlyAnExplicitNdjsonAcceptAsksForAStream()
    {
        QFETCH(QByteArray, accept);
        QFETCH(bool, stream);
        QCOMPARE(api::wantsStream(accept), stream);
    }

    void streamLinesAreJsonObjectsInChunks()
    {
        const QByteArray line = api::stdoutEvent(u"a \"quoted\"\nline\n"_s);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1); // the text's newlines are escaped: one event, one line
        QCOMPARE(QJsonDocument::fromJson(line).object().value(u"text"_s).toString(), u"a \"quoted\"\nline\n"_s);
        QCOMPARE(api::httpChunk("0123456789abcdefX"), QByteArray("11\r\n0123456789abcdefX\r\n"));
        QCOMPARE(api::httpChunk({}), QByteArray()); // never the last chunk by mistake
        const QJsonObject end = QJsonDocument::fromJson(api::endEvent(402, {{u"outcome"_s, u"over-budget"_s}}))
                                    .object();
        QCOMPARE(end.value(u"type"_s).toString(), u"end"_s);
        QCOMPARE(end.value(u"status"_s).toInt(), 402);
        QCOMPARE(end.value(u"response"_s).toObject().value(u"outcome"_s).toString(), u"over-budget"_s);
    }
};

QTEST_GUILESS_MAIN(TestHttpMapping)
#include "tst_httpmapping.moc"
