#include "request/RunRequest.h"
#include "request/RunResult.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

QByteArray body(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QStringList messages(const Expected<RunRequest, ValidationError> &parsed)
{
    QStringList out;
    if (!parsed)
        for (const FieldError &e : parsed.error().fields)
            out << e.toString();
    return out;
}

QString repeatUnit(const QString &unit, int times)
{
    QString s;
    s.reserve(unit.size() * times);
    for (int i = 0; i < times; ++i)
        s += unit;
    return s;
}

} // namespace

class TestRunRequest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesValidRequestWithDefaults()
    {
        const auto parsed = parseRunRequestJson(R"json({"code":"print(1)","language":"python"})json");
        QVERIFY(parsed);
        QCOMPARE(parsed->code, QStringLiteral("print(1)"));
        QCOMPARE(parsed->language, Language::Python);
        QCOMPARE(parsed->maxExecutionTimeMs, 30000);
    }

    void parsesSqlAndExplicitTimeLimit()
    {
        const auto parsed = parseRunRequestJson(
            R"json({"code":"SELECT 1","language":"sql","maxExecutionTimeMs":1500})json");
        QVERIFY(parsed);
        QCOMPARE(parsed->language, Language::Sql);
        QCOMPARE(parsed->maxExecutionTimeMs, 1500);
    }

    void ignoresUnknownFields()
    {
        QVERIFY(parseRunRequestJson(R"json({"code":"1","language":"python","confirm":true})json"));
    }

    // Issue 23: what may leave the machine is the request's to allow, off by default.
    void uploadDataAndAllowInternetAreOptionalBooleansOffByDefault()
    {
        const auto plain = parseRunRequestJson(R"json({"code":"1","language":"sql"})json");
        QVERIFY(plain);
        QVERIFY(!plain->uploadData);
        QVERIFY(!plain->allowInternet);
        const auto both = parseRunRequestJson(
            R"json({"code":"1","language":"sql","uploadData":true,"allowInternet":true})json");
        QVERIFY(both);
        QVERIFY(both->uploadData);
        QVERIFY(both->allowInternet);
        const auto bad = parseRunRequestJson(
            R"json({"code":"1","language":"sql","uploadData":"yes","allowInternet":1})json");
        QVERIFY(!bad);
        QCOMPARE(bad.error().fields.size(), 2);
        QCOMPARE(bad.error().fields.at(0).field, QStringLiteral("uploadData"));
        QCOMPARE(bad.error().fields.at(1).field, QStringLiteral("allowInternet"));
        QCOMPARE(bad.error().fields.at(1).message, QStringLiteral("must be a boolean (got number)"));
    }

    void confirmIsAnOptionalBoolean()
    {
        QVERIFY(!parseRunRequestJson(R"json({"code":"1","language":"python"})json")->confirmed);
        QVERIFY(parseRunRequestJson(R"json({"code":"1","language":"python","confirm":true})json")->confirmed);
        const auto bad = parseRunRequestJson(R"json({"code":"1","language":"python","confirm":"yes"})json");
        QVERIFY(!bad.hasValue());
        QCOMPARE(bad.error().fields.first().field, QStringLiteral("confirm"));
    }

    void codeBoundaryCountsCharactersNotBytes_data()
    {
        QTest::addColumn<QString>("unit");
        QTest::newRow("ascii") << QStringLiteral("a");
        QTest::newRow("two-byte é") << QString::fromUtf8("é");
        QTest::newRow("three-byte €") << QString::fromUtf8("€");
        QTest::newRow("four-byte emoji") << QString::fromUtf8("😀");
        QTest::newRow("combining e+accent") << QString::fromUtf8("e\u0301");
    }

    void codeBoundaryCountsCharactersNotBytes()
    {
        QFETCH(QString, unit);
        const QString atLimit = repeatUnit(unit, 50000);
        QVERIFY(atLimit.toUtf8().size() >= 50000);
        QVERIFY2(parseRunRequestJson(body({{u"code"_s, atLimit}, {u"language"_s, u"python"_s}})),
                 "50,000 characters must be accepted");
        const auto over = parseRunRequestJson(
            body({{u"code"_s, QString(atLimit + unit)}, {u"language"_s, u"python"_s}}));
        QVERIFY(!over);
        QCOMPARE(messages(over), QStringList{QStringLiteral("code: must be at most 50000 characters (got 50001)")});
    }

    void countsGraphemes()
    {
        QCOMPARE(countUserCharacters(QStringLiteral("abc")), 3);
        QCOMPARE(countUserCharacters(QString::fromUtf8("🇫🇷")), 1);
        QCOMPARE(countUserCharacters(QStringLiteral("a\r\nb")), 3);
        QCOMPARE(countUserCharacters(QString()), 0);
    }

    void rejectsEmptyCode()
    {
        const auto parsed = parseRunRequestJson(R"json({"code":"","language":"python"})json");
        QCOMPARE(messages(parsed), QStringList{QStringLiteral("code: must not be empty")});
    }

    // The recipe checks length only (min 1): a newline is one character and
    // runs (printing nothing), as it would through the original route.
    void acceptsWhitespaceOnlyCodeAsTheRecipeDoes()
    {
        const auto parsed = parseRunRequestJson(R"json({"code":"\n","language":"python"})json");
        QVERIFY(parsed.hasValue());
        QCOMPARE(parsed->code, QStringLiteral("\n"));
    }

    void rejectsMissingFields()
    {
        const auto parsed = parseRunRequestJson(R"json({})json");
        QCOMPARE(messages(parsed),
                 (QStringList{QStringLiteral("code: is required"), QStringLiteral("language: is required")}));
    }

    void rejectsWrongTypes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("code number") << QByteArray(R"json({"code":5,"language":"python"})json")
                                     << QStringLiteral("code: must be a string (got number)");
        QTest::newRow("code null") << QByteArray(R"json({"code":null,"language":"python"})json")
                                   << QStringLiteral("code: must be a string (got null)");
        QTest::newRow("code array") << QByteArray(R"json({"code":["x"],"language":"python"})json")
                                    << QStringLiteral("code: must be a string (got array)");
        QTest::newRow("language bool") << QByteArray(R"json({"code":"1","language":true})json")
                                       << QStringLiteral("language: must be a string (got boolean)");
        QTest::newRow("time string") << QByteArray(
            R"json({"code":"1","language":"python","maxExecutionTimeMs":"100"})json")
                                     << QStringLiteral("maxExecutionTimeMs: must be a number (got string)");
        QTest::newRow("time null") << QByteArray(
            R"json({"code":"1","language":"python","maxExecutionTimeMs":null})json")
                                   << QStringLiteral("maxExecutionTimeMs: must be a number (got null)");
    }

    void rejectsWrongTypes()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QCOMPARE(messages(parseRunRequestJson(json)), QStringList{message});
    }

    void rejectsUnknownLanguage_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("javascript") << QStringLiteral("javascript");
        QTest::newRow("upper case") << QStringLiteral("Python");
        QTest::newRow("empty") << QString();
    }

    void rejectsUnknownLanguage()
    {
        QFETCH(QString, language);
        const auto parsed = parseRunRequestJson(body({{u"code"_s, u"1"_s}, {u"language"_s, language}}));
        QCOMPARE(messages(parsed),
                 QStringList{QStringLiteral("language: must be \"python\" or \"sql\" (got \"%1\")").arg(language)});
    }

    void rejectsBadTimeLimits_data()
    {
        QTest::addColumn<double>("ms");
        QTest::addColumn<QString>("message");
        QTest::newRow("zero") << 0.0
                              << QStringLiteral(
                                     "maxExecutionTimeMs: must be a positive number of milliseconds (got 0)");
        QTest::newRow("negative") << -5.0
                                  << QStringLiteral(
                                         "maxExecutionTimeMs: must be a positive number of milliseconds (got -5)");
        QTest::newRow("fraction") << 1.5
                                  << QStringLiteral("maxExecutionTimeMs: must be a whole number of milliseconds");
        QTest::newRow("over cap") << 600001.0
                                  << QStringLiteral("maxExecutionTimeMs: must be at most 600000 ms (got 600001)");
        // Beyond qint64: reported as given (once undefined behaviour, found by fuzz_runrequest).
        QTest::newRow("huge negative")
            << -1.5e308
            << QStringLiteral("maxExecutionTimeMs: must be a positive number of milliseconds (got -1.5e+308)");
        QTest::newRow("huge") << 1e300 << QStringLiteral("maxExecutionTimeMs: must be at most 600000 ms (got 1e+300)");
    }

    void rejectsBadTimeLimits()
    {
        QFETCH(double, ms);
        QFETCH(QString, message);
        const auto parsed = parseRunRequestJson(
            body({{u"code"_s, u"1"_s}, {u"language"_s, u"python"_s}, {u"maxExecutionTimeMs"_s, ms}}));
        QCOMPARE(messages(parsed), QStringList{message});
    }

    void acceptsCapExactlyAndHonoursConfiguredCap()
    {
        QVERIFY(parseRunRequestJson(R"json({"code":"1","language":"python","maxExecutionTimeMs":600000})json"));
        const auto capped = parseRunRequestJson(R"({"code":"1","language":"python","maxExecutionTimeMs":2000})",
                                                RequestLimits{1000});
        QCOMPARE(messages(capped),
                 QStringList{QStringLiteral("maxExecutionTimeMs: must be at most 1000 ms (got 2000)")});
    }

    void rejectsMalformedJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("truncated") << QByteArray(R"json({"code":"1")json");
        QTest::newRow("garbage") << QByteArray("not json");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("two values") << QByteArray("1,2");
        QTest::newRow("unterminated string") << QByteArray("\"print(1)");
        QTest::newRow("closes early") << QByteArray("1],[2");
    }

    void rejectsMalformedJson()
    {
        QFETCH(QByteArray, json);
        const auto parsed = parseRunRequestJson(json);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().fields.size(), 1);
        QCOMPARE(parsed.error().fields.first().field, QStringLiteral("body"));
        QVERIFY(parsed.error().fields.first().message.startsWith(QLatin1String("is not valid JSON")));
    }

    void rejectsNonObjectBody_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("one-element array") << QByteArray("[1]");
        QTest::newRow("string") << QByteArray("\"print(1)\"");
        QTest::newRow("number") << QByteArray("123");
        QTest::newRow("null") << QByteArray("null");
        QTest::newRow("true") << QByteArray("true");
        QTest::newRow("padded number") << QByteArray(" 123\n");
    }

    void rejectsNonObjectBody()
    {
        QFETCH(QByteArray, json);
        const auto parsed = parseRunRequestJson(json);
        QCOMPARE(messages(parsed), QStringList{QStringLiteral("the body must be a JSON object")});
        QCOMPARE(parsed.error().fields.first().field, QStringLiteral("body"));
        QCOMPARE(parsed.error().toString(), QStringLiteral("the body must be a JSON object"));
    }

    void reportsEveryViolationAtOnce()
    {
        const auto parsed = parseRunRequestJson(R"json({"code":"","language":"ruby","maxExecutionTimeMs":-1})json");
        QCOMPARE(messages(parsed).size(), 3);
    }

    void cliFlagsFollowTheSameRules()
    {
        QVERIFY(makeRunRequest(QStringLiteral("1"), std::nullopt, std::nullopt));
        QCOMPARE(makeRunRequest(QStringLiteral("1"), std::nullopt, std::nullopt)->maxExecutionTimeMs, 30000);
        QCOMPARE(makeRunRequest(QStringLiteral("1"), QStringLiteral("sql"), QStringLiteral("250"))->language,
                 Language::Sql);
        const auto bad = makeRunRequest(QString(), QStringLiteral("perl"), QStringLiteral("abc"));
        QCOMPARE(messages(bad),
                 (QStringList{QStringLiteral("code: must not be empty"),
                              QStringLiteral("language: must be \"python\" or \"sql\" (got \"perl\")"),
                              QStringLiteral(
                                  "maxExecutionTimeMs: must be a whole number of milliseconds (got \"abc\")")}));
    }

    void resultSerialisesToTheRecipeResponse()
    {
        RunResult result;
        result.stdoutText = QStringLiteral("hello\n");
        result.executionId = QStringLiteral("id-1");
        QJsonObject json = result.toJson();
        QCOMPARE(json.keys(), (QStringList{u"error"_s, u"executionId"_s, u"result"_s, u"stderr"_s, u"stdout"_s}));
        QVERIFY(json.value(u"result"_s).isNull());
        QVERIFY(json.value(u"error"_s).isNull());
        QCOMPARE(json.value(u"stdout"_s).toString(), QStringLiteral("hello\n"));
        result.result = QStringLiteral("42");
        result.error = QStringLiteral("ZeroDivisionError: division by zero");
        json = result.toJson();
        QCOMPARE(json.value(u"result"_s).toString(), QStringLiteral("42"));
        QCOMPARE(json.value(u"error"_s).toString(), QStringLiteral("ZeroDivisionError: division by zero"));
    }
};

QTEST_GUILESS_MAIN(TestRunRequest)
#include "tst_runrequest.moc"
