// Issue 20 item 5 on E2B: the table viewer pages a session DataFrame that
// lives in the E2B sandbox, with a cell of its own in the session's context
// (E2bDataView.h), between runs and never alongside one. The cell itself is
// run here in a real Python with pandas.
#include "FakeE2bSession.h"
#include "sandbox/DataPageProtocol.h"
#include "sandbox/SandboxLimits.h"
#include "sandbox/e2b/E2bDataView.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <variant>

using namespace safecell;
using namespace safecell::fake;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

const QString kPageCell = u"_safecell_scope['_safecell_show_page']"_s;

FakeStep pageStep(const QStringList &firstRow, qint64 totalRows)
{
    const QJsonObject page{{u"columns"_s, QJsonArray{u"region"_s, u"amount"_s}},
                           {u"dtypes"_s, QJsonArray{u"object"_s, u"int64"_s}},
                           {u"totalColumns"_s, 2},
                           {u"totalRows"_s, totalRows},
                           {u"filteredRows"_s, totalRows},
                           {u"offset"_s, 0},
                           {u"rowIndex"_s, QJsonArray{u"0"_s}},
                           {u"rows"_s, QJsonArray{QJsonArray::fromStringList(firstRow)}}};
    return FakeStep::result({{u"json"_s, QJsonObject{{QLatin1String(kSafecellDataPageKey), page}}}}, false);
}

DataPageRequest pageOf(const QString &name, quint64 serial = 1)
{
    DataPageRequest request;
    request.viewerId = u"viewer"_s;
    request.serial = serial;
    request.name = name;
    request.count = 50;
    return request;
}

} // namespace

class TestE2bDataPages : public QObject {
    Q_OBJECT
private:
    FakeE2bSession m_e2b;
    std::unique_ptr<FakeE2b> &m_fake = m_e2b.fake;
    std::unique_ptr<E2bSandbox> &m_sandbox = m_e2b.sandbox;
    QStringList m_events; // "page", "finished", in the order they came

    void start()
    {
        m_e2b.start(60000);
        connect(m_sandbox.get(), &Sandbox::dataPageReady, this, [this] { m_events << u"page"_s; });
        connect(m_sandbox.get(), &Sandbox::finished, this, [this] { m_events << u"finished"_s; });
    }

    void execute(const QString &code) { m_sandbox->execute({code, Language::Python, 20000, false, true, false}); }

    ExecutionOutcome run(const QString &code)
    {
        QSignalSpy finished(m_sandbox.get(), &Sandbox::finished);
        execute(code);
        if (!finished.wait(20000))
            return {};
        return finished.first().first().value<ExecutionOutcome>();
    }

    int pagesSent() const
    {
        int count = 0;
        for (const QString &code : m_fake->executedCode())
            count += code.contains(kPageCell) ? 1 : 0;
        return count;
    }

    // Steps run in order in one real python3 with pandas (IPython's display()
    // stubbed): a page cell for each request (with its generation), or a
    // piece of code. Prints what each cell displayed, and what the code printed.
    using Step = std::variant<std::pair<DataPageRequest, quint64>, QString>;
    QList<QByteArray> runInPython(const QList<Step> &steps, bool *ok)
    {
        *ok = false;
        QTemporaryDir dir;
        QStringList arguments;
        for (qsizetype i = 0; i < steps.size(); ++i) {
            if (const QString *code = std::get_if<QString>(&steps.at(i))) {
                arguments << *code;
                continue;
            }
            const auto &[request, generation] = std::get<0>(steps.at(i));
            QFile cell(dir.filePath(u"cell%1.py"_s.arg(i)));
            if (!cell.open(QIODevice::WriteOnly))
                return {};
            cell.write(e2bDataPageCode(request, generation).toUtf8());
            arguments << u"@"_s + cell.fileName();
        }
        const QString harness = withIPythonStub(uR"(for step in sys.argv[1:]:
    exec(open(step[1:]).read() if step.startswith('@') else step, session)
)"_s);
        QProcess python;
        python.start(SandboxLimits{}.python, QStringList{u"-c"_s, harness} + arguments);
        if (!python.waitForFinished(60000) || python.exitCode() != 0) {
            qWarning() << python.readAllStandardError();
            return {};
        }
        *ok = true;
        return python.readAllStandardOutput().trimmed().split('\n');
    }

    static DataPage pageIn(const QByteArray &line)
    {
        return kernel::parseDataPage(QJsonDocument::fromJson(line)
                                         .object()
                                         .value(u"application/json"_s)
                                         .toObject()
                                         .value(QLatin1String(kSafecellDataPageKey))
                                         .toObject());
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_e2b.listen());
        m_events.clear();
    }
    void cleanup() { QVERIFY(m_e2b.close()); }

    void aPageComesFromTheSessionsOwnContext()
    {
        start();
        m_fake->setScriptContaining(kPageCell,
                                    {FakeStep::out(u"not the viewer's\n"_s), pageStep({u"North"_s, u"7"_s}, 3)});
        QCOMPARE(run(u"x = 1"_s).status, ExecutionStatus::Completed);
        QSignalSpy pages(m_sandbox.get(), &Sandbox::dataPageReady);
        QSignalSpy out(m_sandbox.get(), &Sandbox::stdoutReceived);
        m_sandbox->requestDataPage(pageOf(u"sales"_s, 7));
        QVERIFY(pages.wait(10000));
        const DataPage page = pages.first().first().value<DataPage>();
        QVERIFY2(page.ok(), qPrintable(page.error));
        QCOMPARE(page.request.viewerId, u"viewer"_s);
        QCOMPARE(page.request.serial, 7u);
        QCOMPARE(page.columns, (QStringList{u"region"_s, u"amount"_s}));
        QCOMPARE(page.totalRows, 3);
        QCOMPARE(page.rows.first(), (QStringList{u"North"_s, u"7"_s}));
        QVERIFY(out.isEmpty()); // a page is no run: its cell's output goes nowhere
        QCOMPARE(pagesSent(), 1);
        QCOMPARE(m_fake->sandboxesCreated(), 1);
        QVERIFY(m_fake->executedCode().last().contains(u"\\\"name\\\":\\\"sales\\\""_s));
    }

    void withoutASessionThePageSaysSoAndNothingIsCreated()
    {
        start();
        QSignalSpy pages(m_sandbox.get(), &Sandbox::dataPageReady);
        m_sandbox->requestDataPage(pageOf(u"sales"_s));
        QCOMPARE(pages.size(), 1);
        const DataPage page = pages.first().first().value<DataPage>();
        QVERIFY(page.error.contains(u"run the snippet again"_s));
        QCOMPARE(m_fake->sandboxesCreated(), 0); // a page never pays for a sandbox
    }

    // Jupyter runs one cell of a context at a time: a run asked while a page
    // is in flight starts when it ends, and is not cut short by it.
    void aRunAskedDuringAPageFollowsIt()
    {
        start();
        m_fake->setScriptContaining(kPageCell, {FakeStep::sleep(600), pageStep({u"South"_s, u"1"_s}, 1)});
        QCOMPARE(run(u"x = 1"_s).status, ExecutionStatus::Completed);
        m_events.clear();
        const int executedBefore = int(m_fake->executedCode().size());
        QSignalSpy pages(m_sandbox.get(), &Sandbox::dataPageReady);
        m_sandbox->requestDataPage(pageOf(u"sales"_s));
        QSignalSpy finished(m_sandbox.get(), &Sandbox::finished);
        execute(u"print(\"after\")"_s);
        QVERIFY(finished.wait(10000));
        QCOMPARE(m_events, (QStringList{u"page"_s, u"finished"_s}));
        QVERIFY(pages.first().first().value<DataPage>().ok());
        QCOMPARE(finished.first().first().value<ExecutionOutcome>().status, ExecutionStatus::Completed);
        const QStringList executed = m_fake->executedCode().mid(executedBefore);
        QCOMPARE(executed.size(), 2);
        QVERIFY(executed.at(0).contains(kPageCell));
        QCOMPARE(executed.at(1), u"print(\"after\")"_s);
    }

    void aPageAskedDuringARunWaitsForTheRun()
    {
        start();
        m_fake->setScriptContaining(kPageCell, {pageStep({u"East"_s, u"2"_s}, 1)});
        m_fake->setScript(u"slow"_s, {FakeStep::sleep(600), FakeStep::out(u"done\n"_s)});
        execute(u"slow"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_fake->busyContexts() == 1, 10000);
        m_sandbox->requestDataPage(pageOf(u"sales"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_events.size(), 2, 10000);
        QCOMPARE(m_events, (QStringList{u"finished"_s, u"page"_s}));
        QCOMPARE(pagesSent(), 1);
    }

    // Stopping a run that waits for a page ends the run at once (nothing of
    // it had started) and leaves the page to finish for its viewer.
    void stoppingARunThatWaitsForAPageStopsItAndKeepsThePage()
    {
        start();
        m_fake->setScriptContaining(kPageCell, {FakeStep::sleep(800), pageStep({u"West"_s, u"3"_s}, 1)});
        QCOMPARE(run(u"x = 1"_s).status, ExecutionStatus::Completed);
        m_events.clear();
        QSignalSpy pages(m_sandbox.get(), &Sandbox::dataPageReady);
        m_sandbox->requestDataPage(pageOf(u"sales"_s));
        QTRY_VERIFY_WITH_TIMEOUT(m_fake->busyContexts() == 1, 10000);
        QSignalSpy finished(m_sandbox.get(), &Sandbox::finished);
        execute(u"print(\"never\")"_s);
        m_sandbox->cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().value<ExecutionOutcome>().status, ExecutionStatus::Cancelled);
        QVERIFY(pages.wait(10000));
        QVERIFY2(pages.first().first().value<DataPage>().ok(),
                 qPrintable(pages.first().first().value<DataPage>().error));
        QCOMPARE(m_events, (QStringList{u"finished"_s, u"page"_s}));
        QVERIFY(!m_fake->executedCode().contains(u"print(\"never\")"_s));
        // The context was never in doubt: the next run goes straight to it.
        QCOMPARE(run(u"print(\"after\")"_s).status, ExecutionStatus::Completed);
    }

    // The budget (or E2B) ends the session while a run waits for a page:
    // the page says so, and the run goes on in a sandbox of its own.
    void aSessionEndedWhileARunWaitsForAPage()
    {
        start();
        m_fake->setScriptContaining(kPageCell, {FakeStep::hang()});
        QCOMPARE(run(u"x = 1"_s).status, ExecutionStatus::Completed);
        QSignalSpy pages(m_sandbox.get(), &Sandbox::dataPageReady);
        m_sandbox->requestDataPage(pageOf(u"sales"_s));
        QTRY_VERIFY_WITH_TIMEOUT(m_fake->busyContexts() == 1, 10000);
        QSignalSpy finished(m_sandbox.get(), &Sandbox::finished);
        execute(u"print(\"after\")"_s);
        m_fake->expireSandbox(m_sandbox->sandboxId());
        QVERIFY(finished.wait(15000));
        QCOMPARE(pages.size(), 1);
        QVERIFY(!pages.first().first().value<DataPage>().ok());
        const auto outcome = finished.first().first().value<ExecutionOutcome>();
        QCOMPARE(outcome.status, ExecutionStatus::Completed);
        QVERIFY(outcome.sessionLost); // its variables are gone, and it says so
    }

    void aRestartAnswersEveryPageAskedWithTheSessionsEnd()
    {
        start();
        m_fake->setScriptContaining(kPageCell, {FakeStep::hang()});
        QCOMPARE(run(u"x = 1"_s).status, ExecutionStatus::Completed);
        QSignalSpy pages(m_sandbox.get(), &Sandbox::dataPageReady);
        m_sandbox->requestDataPage(pageOf(u"a"_s, 1));
        m_sandbox->requestDataPage(pageOf(u"b"_s, 2));
        QTRY_VERIFY_WITH_TIMEOUT(m_fake->busyContexts() == 1, 10000);
        m_sandbox->restartSession();
        QTRY_COMPARE_WITH_TIMEOUT(pages.size(), 2, 5000);
        for (const QList<QVariant> &answer : pages) {
            const DataPage page = answer.first().value<DataPage>();
            QVERIFY2(page.error.contains(u"session"_s), qPrintable(page.error));
        }
        QCOMPARE(pagesSent(), 1);
    }

    // The cell in a real Python: it sorts and filters like the local kernel,
    // keeps its order across pages of one generation, drops it for a new
    // one, and leaves the session's namespace and `_` as they were.
    void theCellPagesARealDataFrame()
    {
        DataPageRequest sorted = pageOf(u"df"_s);
        sorted.sortColumn = 1;
        sorted.descending = true;
        DataPageRequest filtered = pageOf(u"df"_s);
        filtered.filterText = u"OR"_s;
        filtered.filterColumn = 0;
        bool ok = false;
        const QList<QByteArray> lines = runInPython(
            {u"import pandas as pd\n"
             "df = pd.DataFrame({'region': ['North', 'South', 'East', 'Norway'], 'amount': [5, 9, 1, 7]})\n"
             "_ = 'kept'"_s,
             std::pair{sorted, quint64(1)}, std::pair{filtered, quint64(1)},
             std::pair{pageOf(u"nope'); import os; ('"_s), quint64(1)}, std::pair{pageOf(u"_"_s), quint64(1)},
             u"print(sorted(n for n in globals() if 'safecell' in n.lower()))\nprint(_)"_s},
            &ok);
        QVERIFY(ok);
        QCOMPARE(lines.size(), 6);
        const DataPage first = pageIn(lines.at(0));
        QVERIFY2(first.ok(), qPrintable(first.error));
        QCOMPARE(first.totalRows, 4);
        QCOMPARE(first.dtypes, (QStringList{u"object"_s, u"int64"_s}));
        QCOMPARE(first.rows.at(0), (QStringList{u"South"_s, u"9"_s}));
        QCOMPARE(first.rows.at(3), (QStringList{u"East"_s, u"1"_s}));
        QCOMPARE(first.rowLabels, (QStringList{u"1"_s, u"3"_s, u"0"_s, u"2"_s}));
        const DataPage second = pageIn(lines.at(1));
        QCOMPARE(second.filteredRows, 2);
        QCOMPARE(second.rows.at(0).first(), u"North"_s);
        QCOMPARE(second.rows.at(1).first(), u"Norway"_s);
        QVERIFY(pageIn(lines.at(2)).error.contains(u"no longer defined"_s)); // a name is data, never code
        QVERIFY(pageIn(lines.at(3)).error.contains(u"not a DataFrame"_s));
        QCOMPARE(lines.at(4), QByteArray("[]")); // no name left behind
        QCOMPARE(lines.at(5), QByteArray("kept"));
    }

    // A frame changed in place between two pages: pages of one generation
    // keep the order they had; a page after a run (the next generation)
    // sorts again.
    void aNewGenerationSortsAFrameChangedInPlaceAfresh()
    {
        DataPageRequest sorted = pageOf(u"df"_s);
        sorted.sortColumn = 0;
        bool ok = false;
        const QList<QByteArray> lines = runInPython({u"import pandas as pd\ndf = pd.DataFrame({'amount': [3, 1, 2]})"_s,
                                                     std::pair{sorted, quint64(1)}, u"df.iloc[0, 0] = 0"_s,
                                                     std::pair{sorted, quint64(1)}, std::pair{sorted, quint64(2)}},
                                                    &ok);
        QVERIFY(ok);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(pageIn(lines.at(0)).rowLabels, (QStringList{u"1"_s, u"2"_s, u"0"_s}));
        QCOMPARE(pageIn(lines.at(1)).rowLabels, (QStringList{u"1"_s, u"2"_s, u"0"_s})); // the cached order
        QCOMPARE(pageIn(lines.at(2)).rowLabels, (QStringList{u"0"_s, u"1"_s, u"2"_s}));
    }
};

QTEST_GUILESS_MAIN(TestE2bDataPages)
#include "tst_e2bdatapages.moc"
