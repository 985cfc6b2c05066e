// Issue 20 item 5 on E2B: after a Python run the window's sandbox lists the
// session's variables in the run's context (E2bVariables.h), and what
// becomes of that listing never changes the run's own outcome or output.
#include "FakeE2bSession.h"
#include "sandbox/KernelProtocol.h"
#include "sandbox/e2b/E2bSandbox.h"
#include "sandbox/e2b/E2bVariables.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace safecell::fake;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

struct Run {
    ExecutionOutcome outcome;
    QString out;
    QList<RichResult> results;
    QList<VariableListing> listings;
    bool finished = false;
};

QJsonObject listingOf(const QString &name, const QString &type, const QString &preview)
{
    return {{u"variables"_s,
             QJsonArray{
                 QJsonObject{{u"name"_s, name}, {u"type"_s, type}, {u"kind"_s, u"number"_s}, {u"preview"_s, preview}}}},
            {u"truncated"_s, false}};
}

} // namespace

class TestE2bVariables : public QObject {
    Q_OBJECT
private:
    FakeE2bSession m_e2b;
    std::unique_ptr<FakeE2b> &m_fake = m_e2b.fake;
    std::unique_ptr<E2bSandbox> &m_sandbox = m_e2b.sandbox;
    bool m_listVariables = false; // ExecutionRequest::listVariables of run()

    void start(bool listVariables)
    {
        m_listVariables = listVariables;
        m_e2b.start();
    }

    Run run(const QString &code)
    {
        Run result;
        QObject context;
        connect(m_sandbox.get(), &Sandbox::stdoutReceived, &context, [&](const QString &text) { result.out += text; });
        connect(m_sandbox.get(), &Sandbox::resultReceived, &context,
                [&](const RichResult &rich) { result.results << rich; });
        connect(m_sandbox.get(), &Sandbox::variablesListed, &context,
                [&](const VariableListing &listing) { result.listings << listing; });
        connect(m_sandbox.get(), &Sandbox::finished, &context, [&](const ExecutionOutcome &outcome) {
            result.outcome = outcome;
            result.finished = true;
        });
        m_sandbox->execute({code, Language::Python, 20000, false, true, m_listVariables});
        if (!QTest::qWaitFor([&result] { return result.finished; }, 20000))
            qWarning("the run did not finish within 20 s");
        return result;
    }

    int listingsSent() const
    {
        int count = 0;
        for (const QString &code : m_fake->executedCode())
            count += code.contains(u"_safecell_scope['_safecell_show']"_s) ? 1 : 0;
        return count;
    }

private Q_SLOTS:
    void init() { QVERIFY(m_e2b.listen()); }
    void cleanup() { QVERIFY(m_e2b.close()); }

    void theListingFollowsAPythonRunInItsContext()
    {
        start(true);
        // The fake does not run Python: it answers the listing as E2B shows
        // a display() of application/json.
        m_fake->setScriptContaining(u"_safecell_scope['_safecell_show']"_s,
                                    {FakeStep::out(u"not the run's\n"_s),
                                     // were the cell to end in a value, IPython would show it as the main result
                                     FakeStep::result({{u"text"_s, u"'_safecell_display'"_s}}, true),
                                     FakeStep::result({{u"json"_s,
                                                        QJsonObject{{QLatin1String(kSafecellVariablesKey),
                                                                     listingOf(u"x"_s, u"int"_s, u"41"_s)}}}},
                                                      false)});
        const Run r = run(u"x = 41"_s);
        QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(r.listings.size(), 1);
        QCOMPARE(r.listings.first().variables.size(), 1);
        QCOMPARE(r.listings.first().variables.first().name, u"x"_s);
        QCOMPARE(r.listings.first().variables.first().preview, u"41"_s);
        QVERIFY(!r.out.contains(u"not the run's"_s)); // the listing's output is not the run's
        QVERIFY(r.results.isEmpty());                 // nor its results: the run's main result stands
        QCOMPARE(listingsSent(), 1);
        QCOMPARE(m_fake->sandboxesCreated(), 1); // in the run's own sandbox
    }

    // The cell E2B runs, in a real python3 (IPython's display() stubbed):
    // a snippet's names cannot break it, and it leaves the namespace and
    // `_` as the snippet left them.
    void theListingCellWorksWhateverTheSnippetNamed()
    {
        QTemporaryDir dir;
        QFile cell(dir.filePath(u"cell.py"_s));
        QVERIFY(cell.open(QIODevice::WriteOnly));
        cell.write(e2bVariablesCode().toUtf8());
        cell.close();
        const QString harness = withIPythonStub(
            uR"(exec("type = 'a column'\nlen = None\nlist = 0\nglobals = 1\nx = 41\n_ = 'kept'", session)
exec(open(sys.argv[1]).read(), session)
print(json.dumps(sorted(name for name in session if 'safecell' in name.lower())))
print(json.dumps(session['_']))
)"_s);
        QProcess python;
        python.start(u"python3"_s, {u"-c"_s, harness, cell.fileName()});
        QVERIFY(python.waitForFinished(30000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        const QList<QByteArray> lines = python.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QJsonObject shown = QJsonDocument::fromJson(lines.at(0)).object();
        const VariableListing listing = kernel::parseVariables(
            shown.value(u"application/json"_s).toObject().value(QLatin1String(kSafecellVariablesKey)).toObject());
        QStringList names;
        for (const VariableInfo &variable : listing.variables)
            names << variable.name;
        names.sort();
        QCOMPARE(names, (QStringList{u"globals"_s, u"len"_s, u"list"_s, u"type"_s, u"x"_s}));
        QCOMPARE(lines.at(1), QByteArray("[]")); // no name left behind
        QCOMPARE(lines.at(2), QByteArray("\"kept\""));
    }

    void aFailedListingLeavesTheRunAsItWas()
    {
        start(true);
        // Unscripted, the fake answers the listing with a SyntaxError.
        const Run r = run(u"print(\"hello\")"_s);
        QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
        QVERIFY(!r.outcome.error);
        QCOMPARE(r.out, u"hello\n"_s);
        QVERIFY(r.listings.isEmpty());
        QCOMPARE(listingsSent(), 1);
        // And a run that raised stays raised, listed or not.
        const Run raised = run(u"raise ValueError(\"no\")"_s);
        QCOMPARE(raised.outcome.status, ExecutionStatus::Raised);
        QCOMPARE(raised.outcome.error->name, u"ValueError"_s);
    }

    void scriptsDoNotPayForIt()
    {
        start(false); // the CLI's and the API's sandboxes
        const Run r = run(u"print(\"hello\")"_s);
        QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(listingsSent(), 0);
        QCOMPARE(m_fake->count("POST", "/execute"), 1);
    }
};

QTEST_GUILESS_MAIN(TestE2bVariables)
#include "tst_e2bvariables.moc"
