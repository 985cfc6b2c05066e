// Issue 20 item 1: the files and folders the analyst shares reach the real
// bubblewrap sandbox read-only at /data/<name>; a CSV and an Excel file are
// read with pandas; a change of the shares restarts the kernel and says so;
// a removed share is gone from the next run; `safecell run --data` does the
// same headless.
#include "../CliProcess.h"
#include "SandboxRun.h"
#include "sandbox/LocalSandbox.h"
#include "sandbox/SharedData.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

SandboxRun pythonWith(Sandbox &box, const QString &code, const QList<SharedPath> &shares)
{
    ExecutionRequest request{code, Language::Python, 30000, false, false, true};
    request.shares = shares;
    return runIn(box, request, 90000);
}

// When the suite runs as root, sandboxed code runs as nobody: the host
// files it reads must be readable by others, as an analyst's usually are.
bool openToOthers(const QString &path)
{
    return QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
                                           | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
}

} // namespace

class TestSharedData : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_host; // the analyst's files
    QString m_csv;
    QString m_xlsx;
    QString m_folder;
    std::unique_ptr<LocalSandbox> m_box;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_host.isValid());
        QVERIFY(openToOthers(m_host.path()));
        m_csv = writeTestFile(m_host, u"sales.csv"_s, "region,amount\nNorth,10.5\nSouth,20\nEast,7.25\n");
        QVERIFY(!m_csv.isEmpty());
        // An .xlsx as a spreadsheet program writes it, through openpyxl.
        m_xlsx = m_host.filePath(u"budget plan.xlsx"_s);
        QProcess python;
        python.start(SandboxLimits{}.python, {u"-c"_s,
                                              u"import openpyxl, sys\n"
                                              "book = openpyxl.Workbook()\n"
                                              "sheet = book.active\n"
                                              "sheet.title = 'Q1'\n"
                                              "sheet.append(['item', 'cost'])\n"
                                              "sheet.append(['rent', 1200])\n"
                                              "sheet.append(['travel', 340])\n"
                                              "book.save(sys.argv[1])\n"_s,
                                              m_xlsx});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        m_folder = m_host.filePath(u"survey"_s);
        QVERIFY(QDir().mkpath(m_folder));
        QVERIFY(openToOthers(m_folder));
        QFile answers(m_folder + u"/answers.tsv"_s);
        QVERIFY(answers.open(QIODevice::WriteOnly));
        answers.write("q\ta\n1\tyes\n2\tno\n");
        answers.close();
        m_box = std::make_unique<LocalSandbox>(SandboxLimits{});
    }
    void cleanupTestCase() { m_box.reset(); }

    void aCsvAndAnExcelFileAreReadWithPandas()
    {
        SharedData shared;
        const auto csv = shared.add(m_csv);
        QVERIFY2(csv, csv ? "" : qPrintable(csv.error()));
        const auto xlsx = shared.add(m_xlsx);
        QVERIFY2(xlsx, xlsx ? "" : qPrintable(xlsx.error()));
        const auto folder = shared.add(m_folder);
        QVERIFY2(folder, folder ? "" : qPrintable(folder.error()));
        QCOMPARE(xlsx->sandboxPath(), u"/data/budget plan.xlsx"_s);
        const SandboxRun run = pythonWith(*m_box,
                                          u"import pandas as pd\n"
                                          "sales = pd.read_csv('/data/sales.csv')\n"
                                          "plan = pd.read_excel('/data/budget plan.xlsx', sheet_name='Q1')\n"
                                          "answers = pd.read_csv('/data/survey/answers.tsv', sep='\\t')\n"
                                          "print('sales', sales['amount'].sum(), list(sales.columns))\n"
                                          "print('plan', plan['cost'].sum(), list(plan['item']))\n"
                                          "print('answers', len(answers))\n"_s,
                                          shared.paths());
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(run.err + run.outcome.message));
        QVERIFY2(run.out.contains(u"sales 37.75 ['region', 'amount']"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"plan 1540 ['rent', 'travel']"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"answers 2"_s), qPrintable(run.out));
    }

    void aShareCannotBeWrittenFromTheSnippet()
    {
        SharedData shared;
        QVERIFY(shared.add(m_csv));
        QVERIFY(shared.add(m_folder));
        const SandboxRun run = pythonWith(*m_box, uR"(import errno
for path, mode in (('/data/sales.csv', 'a'), ('/data/sales.csv', 'w'), ('/data/new.csv', 'w'),
                   ('/data/survey/answers.tsv', 'w'), ('/data/survey/new.txt', 'w')):
    try:
        with open(path, mode) as f:
            f.write('x')
        print('WROTE', path, mode)
    except OSError as e:
        print('refused', path, mode, errno.errorcode.get(e.errno))
)"_s,
                                          shared.paths());
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(!run.out.contains(u"WROTE"_s), qPrintable(run.out));
        QCOMPARE(run.out.count(u"refused"_s), 5);
        QFile csv(m_csv);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll(), QByteArray("region,amount\nNorth,10.5\nSouth,20\nEast,7.25\n"));
        QVERIFY(!QFile::exists(m_folder + u"/new.txt"_s));
    }

    void aRemovedShareIsGoneFromTheNextRunAndTheRestartIsSaid()
    {
        SharedData shared;
        QVERIFY(shared.add(m_csv));
        QVERIFY(shared.add(m_xlsx));
        SandboxRun run = pythonWith(*m_box, u"import os\nkept = 41\nprint(sorted(os.listdir('/data')))\n"_s,
                                    shared.paths());
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(run.out.contains(u"['budget plan.xlsx', 'sales.csv']"_s), qPrintable(run.out));

        // The same shares: the session and its variables stay.
        run = pythonWith(*m_box, u"print(kept + 1)\n"_s, shared.paths());
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(run.out.contains(u"42"_s), qPrintable(run.out + run.err));
        QVERIFY(!run.outcome.sessionLost);

        QVERIFY(shared.remove(u"sales.csv"_s));
        run = pythonWith(*m_box,
                         u"import os\nprint(sorted(os.listdir('/data')), os.path.exists('/data/sales.csv'))\n"
                         "print('kept:', 'kept' in globals())\n"_s,
                         shared.paths());
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(run.out.contains(u"['budget plan.xlsx'] False"_s), qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(u"kept: False"_s), qPrintable(run.out));
        // Not silently: the outcome says the session restarted, and why.
        QVERIFY(run.outcome.sessionLost);
        QVERIFY2(run.outcome.message.contains(u"removed /data/sales.csv"_s), qPrintable(run.outcome.message));
        QVERIFY2(run.outcome.message.contains(u"variables"_s), qPrintable(run.outcome.message));

        // Nothing shared: nothing at /data at all (no data folder set either).
        run = pythonWith(*m_box, u"import os\nprint(os.path.exists('/data'))\n"_s, {});
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(run.out.contains(u"False"_s), qPrintable(run.out));
    }

    // Issue 20 item 1: the error of a path the snippet cannot see says
    // how to share it; a shared file named by its host path, where it is.
    void aHostPathSaysHowToShareItOrWhereItIs()
    {
        SharedData shared;
        QVERIFY(shared.add(m_xlsx));
        QVERIFY(shared.add(m_csv));
        // A path of the analyst's home (not /tmp, which the sandbox has of its own).
        SandboxRun run = pythonWith(*m_box, u"import pandas as pd\npd.read_csv('/home/analyst/q3 sales.csv')\n"_s,
                                    shared.paths());
        QCOMPARE(run.errorName(), u"FileNotFoundError"_s);
        const QString value = run.outcome.error->value;
        QVERIFY2(value.contains(u"File > Add Data…"_s), qPrintable(value));
        QVERIFY2(value.contains(u"--data PATH"_s), qPrintable(value));
        QVERIFY2(value.contains(u"at /data/q3 sales.csv"_s), qPrintable(value));

        // Shared, but named by its host path.
        run = pythonWith(*m_box, u"import pandas as pd\npd.read_csv('%1')\n"_s.arg(m_csv), shared.paths());
        QCOMPARE(run.errorName(), u"FileNotFoundError"_s);
        QVERIFY2(run.outcome.message.contains(u"is shared already, and snippets see it at /data/sales.csv"_s),
                 qPrintable(run.outcome.message));

        // A /data name nothing is shared at lists what is.
        run = pythonWith(*m_box, u"open('/data/sale.csv')\n"_s, shared.paths());
        QCOMPARE(run.errorName(), u"FileNotFoundError"_s);
        QVERIFY2(run.outcome.error->value.contains(
                     u"nothing is shared as /data/sale.csv. Shared now: budget plan.xlsx, sales.csv."_s),
                 qPrintable(run.outcome.error->value));
    }

    void theSettingsDataFolderStaysBesideTheShares()
    {
        QTemporaryDir dataFolder;
        QVERIFY(openToOthers(dataFolder.path()));
        QVERIFY(!writeTestFile(dataFolder, u"old.csv"_s, "a\n1\n").isEmpty());
        SandboxLimits limits;
        limits.dataFolder = dataFolder.path();
        LocalSandbox box(limits);
        SharedData shared;
        QVERIFY(shared.add(m_csv, limits.dataFolder));
        const SandboxRun run = pythonWith(box, u"import os\nprint(sorted(os.listdir('/data')))\n"_s, shared.paths());
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(run.out.contains(u"['old.csv', 'sales.csv']"_s), qPrintable(run.out));
    }

    void theCommandLineSharesWithData()
    {
        QVERIFY(!qEnvironmentVariableIsEmpty("SAFECELL_BINARY"));
        QTemporaryDir home;
        QVERIFY(openToOthers(home.path()));
        const QString snippet = writeTestFile(home, u"read.py"_s,
                                              "import pandas as pd\n"
                                              "print(pd.read_csv('/data/sales.csv')['amount'].max())\n"
                                              "print(pd.read_excel('/data/budget plan.xlsx').shape)\n");
        QVERIFY(!snippet.isEmpty());
        const QStringList environment{u"HOME="_s + home.path(), u"XDG_CONFIG_HOME="_s + home.filePath(u"config"_s),
                                      u"SAFECELL_DATA_DIR="_s + home.filePath(u"data"_s), u"E2B_API_KEY="_s,
                                      u"COHERE_API_KEY="_s};
        CliResult result = runCli({u"run"_s, snippet, u"--data"_s, m_csv, u"--data"_s, m_xlsx}, environment);
        QVERIFY2(result.exitCode == 0, qPrintable(result.out + result.err));
        QVERIFY2(result.out.contains(u"20.0\n(2, 2)"_s), qPrintable(result.out));
        QVERIFY2(result.err.contains(u"shared "_s + m_csv + u" at /data/sales.csv"_s), qPrintable(result.err));

        // A path that cannot be shared is refused before anything runs.
        result = runCli({u"run"_s, snippet, u"--data"_s, home.filePath(u"missing.csv"_s)}, environment);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(u"does not exist"_s), qPrintable(result.err));
    }
};

QTEST_GUILESS_MAIN(TestSharedData)
#include "tst_shareddata.moc"
