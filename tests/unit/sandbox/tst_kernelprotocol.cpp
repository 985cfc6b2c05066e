// The JSON-lines protocol with the kernel driver, line by line.
#include "sandbox/KernelProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace safecell;
using namespace safecell::kernel;
using namespace Qt::StringLiterals;

class TestKernelProtocol : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void executeLineCarriesTheRequest()
    {
        Request request;
        request.runId = u"r1"_s;
        request.language = Language::Sql;
        request.code = u"SELECT 1;\n"_s;
        request.outputCapBytes = 100;
        request.rowCap = 7;
        request.database = u"/workspace/database.sqlite"_s;
        request.allowWrites = true;
        request.scratchDatabase = u"/scratch/scratch.sqlite"_s;
        const QByteArray line = executeLine(request);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1); // the code's newline is escaped: one request, one line
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        QCOMPARE(object.value(u"type"_s).toString(), u"execute"_s);
        QCOMPARE(object.value(u"id"_s).toString(), u"r1"_s);
        QCOMPARE(object.value(u"language"_s).toString(), u"sql"_s);
        QCOMPARE(object.value(u"code"_s).toString(), request.code);
        QCOMPARE(object.value(u"output_cap"_s).toInteger(), 100);
        QCOMPARE(object.value(u"row_cap"_s).toInteger(), 7);
        QCOMPARE(object.value(u"allow_writes"_s).toBool(), true);
        QCOMPARE(object.value(u"scratch"_s).toString(), request.scratchDatabase);
        QVERIFY(QJsonDocument::fromJson(interruptLine(u"r1"_s)).object().value(u"type"_s) == u"interrupt"_s);
    }

    void parsesStreams()
    {
        const auto out = parseLine(R"({"type":"stdout","text":"héllo\n"})");
        QVERIFY(out);
        QCOMPARE(out->type, MessageType::Stdout);
        QCOMPARE(out->text, u"héllo\n"_s);
        QCOMPARE(parseLine(R"({"type":"stderr","text":"x"})")->type, MessageType::Stderr);
    }

    void parsesResultsWithTablesAndPng()
    {
        const auto message = parseLine(
            R"({"type":"result","is_main_result":true,"text":"t","png":"iVBORw0KGgo=",)"
            R"("table":{"columns":["a","b"],"types":["INTEGER"],"rows":[["1",null]],"total_rows":40}})");
        QVERIFY(message && message->result);
        QCOMPARE(message->type, MessageType::Result);
        const RichResult &result = *message->result;
        QVERIFY(result.isMainResult);
        QCOMPARE(result.png, QByteArray("\x89PNG\r\n\x1a\n", 8));
        QVERIFY(result.table);
        QCOMPARE(result.table->columns, (QStringList{u"a"_s, u"b"_s}));
        QCOMPARE(result.table->types, (QStringList{u"INTEGER"_s, QString()}));
        QCOMPARE(result.table->rows.first().first(), u"1"_s);
        QVERIFY(result.table->rows.first().at(1).isNull());
        QCOMPARE(result.table->totalRows, 40);
    }

    void parsesErrorsAndTheEnd()
    {
        const auto error = parseLine(R"({"type":"error","name":"NameError","value":"name 'x'","traceback":"tb"})");
        QCOMPARE(error->type, MessageType::Error);
        QCOMPARE(error->error->name, u"NameError"_s);
        QCOMPARE(error->error->traceback, u"tb"_s);
        const auto end = parseLine(R"({"type":"end_of_execution","id":"r9"})");
        QCOMPARE(end->type, MessageType::End);
        QCOMPARE(end->runId, u"r9"_s);
    }

    void parsesTheVariableListing()
    {
        const auto message = parseLine(
            R"({"type":"variables","truncated":true,"variables":[{"name":"sales","type":"DataFrame","kind":"dataframe",)"
            R"("shape":"3 rows x 2 columns","preview":"a: int64, b: object"},{"name":"n","type":"int","kind":"number",)"
            R"("preview":"41"}]})");
        QCOMPARE(message->type, MessageType::Variables);
        QVERIFY(message->variables);
        QVERIFY(message->variables->truncated);
        QCOMPARE(message->variables->variables.size(), 2);
        const VariableInfo &sales = message->variables->variables.at(0);
        QCOMPARE(sales.name, u"sales"_s);
        QCOMPARE(sales.type, u"DataFrame"_s);
        QCOMPARE(sales.kind, u"dataframe"_s);
        QCOMPARE(sales.shape, u"3 rows x 2 columns"_s);
        QCOMPARE(sales.preview, u"a: int64, b: object"_s);
        QCOMPARE(message->variables->variables.at(1).shape, QString()); // a number has none
    }

    // A forged listing (the snippet's own process sends it) stays within the
    // pane's bounds: 200 names, 400 characters a field.
    void aListingIsBoundedWhoeverSentIt()
    {
        QJsonArray variables;
        for (int i = 0; i < 1000; ++i)
            variables.append(QJsonObject{{u"name"_s, u"v%1"_s.arg(i)}, {u"preview"_s, QString(100000, u'x')}});
        const VariableListing listing = parseVariables({{u"variables"_s, variables}});
        QCOMPARE(listing.variables.size(), kMaxListedVariables);
        QVERIFY(listing.truncated);
        QCOMPARE(listing.variables.first().preview.size(), kMaxVariableFieldChars);
    }

    void ignoresUnknownTypesAndRejectsGarbage()
    {
        QCOMPARE(parseLine(R"({"type":"keepalive"})")->type, MessageType::Other);
        QCOMPARE(parseLine(R"({"type":"number_of_executions","execution_count":3})")->type, MessageType::Other);
        QVERIFY(!parseLine("not json"));
        QVERIFY(!parseLine("[1,2]"));
        QVERIFY(!parseLine(""));
    }
};

QTEST_GUILESS_MAIN(TestKernelProtocol)
#include "tst_kernelprotocol.moc"
