// Issue 20 item 5 on E2B: after a Python run the window's sandbox lists the
// session's variables in the run's context (E2bVariables.h), and what
// becomes of that listing never changes the run's own outcome or output.
#include "FakeE2b.h"
#include "sandbox/e2b/E2bSandbox.h"
#include "sandbox/e2b/E2bVariables.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace safecell;
using namespace safecell::fake;
using namespace Qt::StringLiterals;

namespace {

struct Run {
    ExecutionOutcome outcome;
    QString out;
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
    std::unique_ptr<FakeE2b> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<E2bSandbox> m_sandbox;

    void start(bool listVariables)
    {
        E2bConfig config;
        config.apiKey = FakeE2b::defaultApiKey();
        config.apiUrl = m_fake->url();
        config.sandboxUrl = m_fake->url();
        config.requestTimeoutMs = 5000;
        config.listVariables = listVariables;
        m_sandbox = std::make_unique<E2bSandbox>(m_network.get(), config);
    }

    Run run(const QString &code)
    {
        Run result;
        QObject context;
        connect(m_sandbox.get(), &Sandbox::stdoutReceived, &context, [&](const QString &text) { result.out += text; });
        connect(m_sandbox.get(), &Sandbox::variablesListed, &context,
                [&](const VariableListing &listing) { result.listings << listing; });
        connect(m_sandbox.get(), &Sandbox::finished, &context, [&](const ExecutionOutcome &outcome) {
            result.outcome = outcome;
            result.finished = true;
        });
        m_sandbox->execute({code, Language::Python, 20000, false, true});
        if (!QTest::qWaitFor([&result] { return result.finished; }, 20000))
            qWarning("the run did not finish within 20 s");
        return result;
    }

    int listingsSent() const
    {
        int count = 0;
        for (const QString &code : m_fake->executedCode())
            count += code.contains(u"_safecell_list_variables(globals())"_s) ? 1 : 0;
        return count;
    }

private Q_SLOTS:
    void init()
    {
        m_fake = std::make_unique<FakeE2b>();
        QVERIFY(m_fake->listen());
        m_network = std::make_unique<QNetworkAccessManager>();
    }
    void cleanup()
    {
        m_sandbox.reset();
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 5000);
        m_network.reset();
        m_fake.reset();
    }

    void theListingFollowsAPythonRunInItsContext()
    {
        start(true);
        // The fake does not run Python: it answers the listing as E2B shows
        // a display() of application/json.
        m_fake->setScriptContaining(u"_safecell_list_variables(globals())"_s,
                                    {FakeStep::out(u"not the run's\n"_s),
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
        QCOMPARE(listingsSent(), 1);
        QCOMPARE(m_fake->sandboxesCreated(), 1); // in the run's own sandbox
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
