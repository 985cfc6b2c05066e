// Issue 20 item 5: after each Python run the kernel lists the session's
// variables for the Variables pane, with bounded work: a value whose repr
// is slow or huge cannot stall or flood it.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"

#include <QElapsedTimer>
#include <QTest>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

const VariableInfo *find(const VariableListing &listing, const QString &name)
{
    for (const VariableInfo &variable : listing.variables) {
        if (variable.name == name)
            return &variable;
    }
    return nullptr;
}

} // namespace

class TestSandboxVariables : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<LocalSandbox> m_box;

private Q_SLOTS:
    void initTestCase() { m_box = std::make_unique<LocalSandbox>(SandboxLimits{}); }
    void cleanupTestCase() { m_box.reset(); }

    void dataFramesArraysNumbersAndStringsAreListed()
    {
        const SandboxRun run = python(*m_box, u"import pandas as pd\nimport numpy as np\n"
                                              "sales = pd.DataFrame({'region': ['North', 'South', 'East'], "
                                              "'amount': [10.5, 20.0, 7.25]})\n"
                                              "grid = np.zeros((3, 4))\n"
                                              "n = 41\n"
                                              "name = 'analyst'\n"
                                              "items = [1, 2, 3]\n"
                                              "def helper():\n    return 1\n"
                                              "_hidden = 1\n"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY(run.variables);
        const VariableListing &listing = *run.variables;
        QVERIFY(!listing.truncated);

        const VariableInfo *sales = find(listing, u"sales"_s);
        QVERIFY(sales);
        QCOMPARE(sales->type, u"DataFrame"_s);
        QCOMPARE(sales->kind, u"dataframe"_s);
        QCOMPARE(sales->shape, u"3 rows x 2 columns"_s);
        QCOMPARE(sales->preview, u"region: object, amount: float64"_s);
        const VariableInfo *grid = find(listing, u"grid"_s);
        QVERIFY(grid);
        QCOMPARE(grid->type, u"ndarray"_s);
        QCOMPARE(grid->shape, u"3 x 4"_s);
        QCOMPARE(grid->preview, u"dtype float64"_s);
        const VariableInfo *n = find(listing, u"n"_s);
        QVERIFY(n);
        QCOMPARE(n->type, u"int"_s);
        QCOMPARE(n->preview, u"41"_s);
        const VariableInfo *name = find(listing, u"name"_s);
        QVERIFY(name);
        QCOMPARE(name->shape, u"7 characters"_s);
        QCOMPARE(name->preview, u"'analyst'"_s);
        QCOMPARE(find(listing, u"items"_s)->shape, u"3 items"_s);
        // Modules, functions and private names are not data.
        QVERIFY(!find(listing, u"pd"_s));
        QVERIFY(!find(listing, u"np"_s));
        QVERIFY(!find(listing, u"helper"_s));
        QVERIFY(!find(listing, u"_hidden"_s));
    }

    void theListingFollowsTheSessionAndSurvivesAnError()
    {
        const SandboxRun run = python(*m_box, u"later = 'set before the error'\nraise ValueError('x')"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QVERIFY(run.variables);
        QVERIFY(find(*run.variables, u"later"_s));
        QVERIFY(find(*run.variables, u"sales"_s)); // from the run before: the session keeps it
        m_box->restartSession();
        const SandboxRun fresh = python(*m_box, u"fresh = 1"_s);
        QVERIFY(fresh.variables);
        QVERIFY(find(*fresh.variables, u"fresh"_s));
        QVERIFY(!find(*fresh.variables, u"sales"_s));
    }

    void aSlowOrHugeReprCannotStallOrFloodTheListing()
    {
        QElapsedTimer clock;
        clock.start();
        const SandboxRun run = python(*m_box, u"import time\n"
                                              "class Slow:\n"
                                              "    def __repr__(self):\n"
                                              "        time.sleep(5)\n"
                                              "        return 'slow'\n"
                                              "class Broken:\n"
                                              "    def __repr__(self):\n"
                                              "        raise RuntimeError('no')\n"
                                              "slow = Slow()\n"
                                              "broken = Broken()\n"
                                              "huge = 'x' * 10_000_000\n"
                                              "many = list(range(1_000_000))\n"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(clock.elapsed() < 4000, "a 5 s repr held the run up"); // a bound, not a timing figure
        QVERIFY(run.variables);
        QCOMPARE(find(*run.variables, u"slow"_s)->preview, u"(its repr took too long)"_s);
        QCOMPARE(find(*run.variables, u"broken"_s)->preview, u"(its repr failed: RuntimeError)"_s);
        const VariableInfo *huge = find(*run.variables, u"huge"_s);
        QCOMPARE(huge->shape, u"10000000 characters"_s);
        QVERIFY(huge->preview.size() <= 200);
        QVERIFY(find(*run.variables, u"many"_s)->preview.size() <= 200);
    }

    // The CLI and the API do not ask: their runs pay nothing for a pane
    // they do not have.
    void aRunThatDoesNotAskListsNothing()
    {
        const SandboxRun run = runIn(*m_box, {u"unasked = 1"_s, Language::Python, 30000, false, false, false});
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY(!run.variables);
    }

    void sqlRunsListNothing()
    {
        const SandboxRun run = sql(*m_box, u"SELECT 1"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY(!run.variables);
    }
};

QTEST_GUILESS_MAIN(TestSandboxVariables)
#include "tst_sandboxvariables.moc"
