#include "CliProcess.h"
#include "FakeE2b.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

// A display for the window (offscreen), which shows itself and quits a
// second later (the startup benchmark's switch, GuiMain.cpp).
const QStringList kWindowThatQuits{u"QT_QPA_PLATFORM=offscreen"_s, u"SAFECELL_BENCH_STARTUP=1"_s};

const QStringList kCommands{u"run"_s, u"classify"_s, u"budget"_s, u"history"_s, u"serve"_s, u"token"_s};

QSet<QString> matches(const QString &text, const QRegularExpression &pattern)
{
    QSet<QString> found;
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text))
        found.insert(match.captured(1).replace(u"\\-"_s, u"-"_s));
    return found;
}

// The long options a parser accepts, from the option column of its --help.
QSet<QString> parserOptions(const QString &help)
{
    static const QRegularExpression option(uR"(^ +(?:-\w, )?--([a-z0-9-]+))"_s, QRegularExpression::MultilineOption);
    return matches(help, option);
}

// The options a man page's text names (roff writes a dash as `\-`).
QSet<QString> manOptions(const QString &roff)
{
    static const QRegularExpression option(uR"(\\-\\-((?:[a-z0-9]|\\-)+))"_s);
    return matches(roff, option);
}

// The man page's subsection of `command`: from its `.SS` line to the next heading.
QString manSection(const QString &page, const QString &command)
{
    const qsizetype start = page.indexOf(u"\n.SS "_s + command + u'\n');
    if (start < 0)
        return {};
    const qsizetype end = page.indexOf(QRegularExpression(u"\n\\.S[SH] "_s), start + 1);
    return page.mid(start, end < 0 ? -1 : end - start);
}

// The options of `command` in `safecell --help`: its synopsis line.
QSet<QString> usageOptions(const QString &usage, const QString &command)
{
    static const QRegularExpression option(u"\\[--([a-z0-9-]+)"_s);
    const QRegularExpression line(u"^  "_s + command + u"( .*)?$"_s, QRegularExpression::MultilineOption);
    return matches(line.match(usage).captured(0), option);
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content) { return writeTestFile(m_dir, name, content); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariable("SAFECELL_BINARY").isEmpty());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(u"config"_s).toUtf8());
    }

    void runPrintsOutputAndExitsZero()
    {
        const auto r = runCli({u"run"_s, writeFile(u"hello.py"_s, "print('hello')\n")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"hello\n"_s);
    }

    void runPrintsResultsAndTracebacks()
    {
        const auto sql = runCli(
            {u"run"_s, writeFile(u"q.sql"_s, "SELECT name FROM regions ORDER BY region_id LIMIT 2;\n")});
        QCOMPARE(sql.exitCode, 0);
        QCOMPARE(sql.out, u"name\nNorth\nSouth\n"_s); // the bundled example workspace
        const auto failed = runCli({u"run"_s, writeFile(u"bad.py"_s, "x = 1\nprint(x / 0)\n")});
        QVERIFY(failed.exitCode != 0);
        QVERIFY2(failed.err.contains(u"line 2"_s) && failed.err.contains(u"ZeroDivisionError: division by zero"_s),
                 qPrintable(failed.err));
    }

    // Issue 20: the analyst confirmed the write, yet the run opened the
    // database read-only ("attempt to write a readonly database").
    void aConfirmedSqlWriteRunsInTheScratchDatabase()
    {
        const QString file = writeFile(u"write.sql"_s, "CREATE TABLE t(x);\nINSERT INTO t VALUES (1);\n"
                                                       "SELECT x FROM t;\n");
        const auto unconfirmed = runCli({u"run"_s, file});
        QVERIFY2(unconfirmed.exitCode != 0 && unconfirmed.err.contains(u"SQL-WRITE"_s), qPrintable(unconfirmed.err));
        const auto confirmed = runCli({u"run"_s, file, u"--allow-ambiguous"_s});
        QVERIFY2(confirmed.exitCode == 0, qPrintable(confirmed.err));
        QCOMPARE(confirmed.out, u"x\n1\n"_s); // the main result: the last statement's
    }

    void runJsonPrintsTheRecipeResponse()
    {
        const auto r = runCli({u"run"_s, writeFile(u"hello.py"_s, "print('hello')\n"), u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject body = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(body.value(u"stdout"_s).toString(), u"hello\n"_s);
        QVERIFY(body.value(u"error"_s).isNull());
        QVERIFY(body.value(u"result"_s).isNull());
        QVERIFY(!body.value(u"executionId"_s).toString().isEmpty());
        // The same body as the HTTP API's: verdict, findings, cost, budget.
        QCOMPARE(body.value(u"outcome"_s).toString(), u"ok"_s);
        QCOMPARE(body.value(u"verdict"_s).toObject().value(u"decidedBy"_s).toString(), u"local rules"_s);
        QVERIFY(body.value(u"findings"_s).isArray());
        QCOMPARE(body.value(u"cost"_s).toObject().value(u"total"_s).toDouble(), 0.0);
        QCOMPARE(body.value(u"sandbox"_s).toString(), u"local"_s);
    }

    void raisedCodeExitsOne()
    {
        const auto r = runCli({u"run"_s, writeFile(u"boom.py"_s, "1/0\n")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"ZeroDivisionError"_s));
    }

    void invalidInputExitsTwoAndNamesTheField()
    {
        const auto empty = runCli({u"run"_s, writeFile(u"empty.py"_s, "")});
        QCOMPARE(empty.exitCode, 2);
        QVERIFY2(empty.err.contains(u"code: must not be empty"_s), qPrintable(empty.err));

        const auto language = runCli({u"run"_s, writeFile(u"x.py"_s, "1"), u"--language"_s, u"ruby"_s});
        QCOMPARE(language.exitCode, 2);
        QVERIFY(language.err.contains(u"language: must be \"python\" or \"sql\""_s));

        const auto timeout = runCli({u"run"_s, writeFile(u"x.py"_s, "1"), u"--timeout-ms"_s, u"0"_s});
        QCOMPARE(timeout.exitCode, 2);
        QVERIFY(timeout.err.contains(u"maxExecutionTimeMs: must be a positive"_s));

        const auto missing = runCli({u"run"_s, m_dir.filePath(u"missing.py"_s)});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains(u"cannot read"_s));
    }

    void timeoutExitsFour()
    {
        const auto r = runCli({u"run"_s, writeFile(u"loop.py"_s, "while True: pass\n"), u"--timeout-ms"_s, u"800"_s,
                               u"--allow-ambiguous"_s});
        QCOMPARE(r.exitCode, 4);
    }

    void historyExportsEveryRun()
    {
        // A marker of this run alone: the data folder outlives a test run.
        const QString marker = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString code = u"print('%1')\n"_s.arg(marker);
        const auto ran = runCli({u"run"_s, writeFile(u"h.py"_s, code.toUtf8())});
        QCOMPARE(ran.exitCode, 0);
        const auto json = runCli({u"history"_s, u"--json"_s, u"--search"_s, marker});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray runs = QJsonDocument::fromJson(json.out.toUtf8()).array();
        QCOMPARE(runs.size(), 1);
        const QJsonObject run = runs.first().toObject();
        QCOMPARE(run.value(u"outcome"_s).toString(), u"ok"_s);
        QCOMPARE(run.value(u"code"_s).toString(), code);
        QCOMPARE(run.value(u"verdict"_s).toString(), u"safe"_s);
        QCOMPARE(run.value(u"sandbox"_s).toString(), u"local"_s);
        QCOMPARE(run.value(u"codeHash"_s).toString().size(), 64);

        const auto csv = runCli({u"history"_s, u"--csv"_s, u"--outcome"_s, u"ok"_s});
        QCOMPARE(csv.exitCode, 0);
        QVERIFY(csv.out.startsWith(u"run_id,started,language,verdict"_s));
        QVERIFY(csv.out.contains(run.value(u"runId"_s).toString()));
        QCOMPARE(runCli({u"history"_s, u"--limit"_s, u"0"_s}).exitCode, 2);
    }

    // Issue 22: SQL on E2B as on the local sandbox. With default settings it
    // runs on the bundled example (no consent needed: nothing of the
    // analyst's leaves), with a workspace set on its uploaded copy, and the
    // rows are printed, and are the --json `result`, as locally. The fake
    // runs the real SQL runner on what was uploaded.
    void sqlOnE2bPrintsItsRowsAsLocally()
    {
        safecell::fake::FakeE2b fake;
        QVERIFY(fake.listen());
        fake.setRunSqlWithPython(true);
        const QString config = m_dir.filePath(u"config-e2b-sql"_s); // no settings file: the defaults
        const QStringList e2b{u"XDG_CONFIG_HOME="_s + config,
                              u"E2B_API_KEY="_s + safecell::fake::FakeE2b::defaultApiKey(),
                              u"SAFECELL_E2B_API_URL="_s + fake.url().toString(),
                              u"SAFECELL_E2B_SANDBOX_URL="_s + fake.url().toString()};
        const QString query = writeFile(u"e2b-example.sql"_s, "SELECT name FROM regions ORDER BY region_id LIMIT 2;\n");
        auto r = runCliServing({u"run"_s, query}, e2b);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, u"name\nNorth\nSouth\n"_s); // what the local sandbox prints (runPrintsResultsAndTracebacks)
        QCOMPARE(fake.count("POST", "/files"), 1);
        r = runCliServing({u"run"_s, query, u"--json"_s}, e2b);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject body = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(body.value(u"result"_s).toString(), u"name\nNorth\nSouth"_s);
        QCOMPARE(body.value(u"outcome"_s).toString(), u"ok"_s);

        const QString database = m_dir.filePath(u"e2b-workspace.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"e2b-workspace"_s);
            db.setDatabaseName(database);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE people (name TEXT, age INTEGER)"_s));
            QVERIFY(q.exec(u"INSERT INTO people VALUES ('alice', 31), ('bob', NULL)"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"e2b-workspace"_s);
        {
            QSettings settings(config + u"/SafeCell/SafeCell.ini"_s, QSettings::IniFormat);
            settings.setValue(u"sandbox/workspaceDatabase"_s, database);
        }
        const QString people = writeFile(u"e2b-people.sql"_s, "SELECT name, age FROM people ORDER BY name\n");
        r = runCliServing({u"run"_s, people, u"--upload-data"_s}, e2b);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, u"name\tage\nalice\t31\nbob\tNULL\n"_s);
        QVERIFY2(r.err.contains(u"uploaded to E2B: %1"_s.arg(database)), qPrintable(r.err));
        r = runCliServing({u"run"_s, people, u"--upload-data"_s, u"--json"_s}, e2b);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"result"_s).toString(),
                 u"name\tage\nalice\t31\nbob\tNULL"_s);
    }

    // Issue 23: on E2B a run gets no internet and sends no data unless its
    // flags allow it, for that run (its own session) only; the history
    // lists what was uploaded.
    void runSendsToE2bOnlyWhatItsFlagsAllow()
    {
        safecell::fake::FakeE2b fake;
        QVERIFY(fake.listen());
        const QString config = m_dir.filePath(u"config-e2b"_s);
        const QString database = writeFile(u"workspace.db"_s, QByteArray("SQLite format 3\0", 16));
        {
            QSettings settings(config + u"/SafeCell/SafeCell.ini"_s, QSettings::IniFormat);
            settings.setValue(u"sandbox/workspaceDatabase"_s, database);
        }
        const QStringList e2b{u"XDG_CONFIG_HOME="_s + config,
                              u"E2B_API_KEY="_s + safecell::fake::FakeE2b::defaultApiKey(),
                              u"SAFECELL_E2B_API_URL="_s + fake.url().toString(),
                              u"SAFECELL_E2B_SANDBOX_URL="_s + fake.url().toString()};
        const auto internetOfLastCreate = [&fake] {
            return fake.createBodies().last().value(u"allow_internet_access"_s);
        };
        const QString python = writeFile(u"e2b.py"_s, "print('on e2b')\n");
        auto r = runCliServing({u"run"_s, python}, e2b);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, u"on e2b\n"_s);
        QCOMPARE(fake.sandboxesCreated(), 1);
        QCOMPARE(internetOfLastCreate(), QJsonValue(false));
        QVERIFY(!r.err.contains(u"internet"_s));

        r = runCliServing({u"run"_s, python, u"--allow-internet"_s}, e2b);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(internetOfLastCreate(), QJsonValue(true));
        QVERIFY2(r.err.contains(u"could reach the internet"_s), qPrintable(r.err));
        r = runCliServing({u"run"_s, python}, e2b); // the next run is a session of its own
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(fake.sandboxesCreated(), 3);
        QCOMPARE(internetOfLastCreate(), QJsonValue(false));

        const QString marker = QUuid::createUuid().toString(QUuid::WithoutBraces);
        fake.setScriptContaining(marker, {safecell::fake::FakeStep::out(u"one\n"_s)});
        const QString sql = writeFile(u"e2b.sql"_s, u"SELECT 1 AS one -- %1\n"_s.arg(marker).toUtf8());
        const int created = fake.sandboxesCreated();
        r = runCliServing({u"run"_s, sql}, e2b);
        QCOMPARE(r.exitCode, 7);
        QVERIFY2(r.err.contains(u"skipped (not uploaded to E2B): %1; pass --upload-data"_s.arg(database)),
                 qPrintable(r.err));
        QCOMPARE(fake.sandboxesCreated(), created); // nothing was started, nothing sent
        QCOMPARE(fake.count("POST", "/files"), 0);

        r = runCliServing({u"run"_s, sql, u"--upload-data"_s}, e2b);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"uploaded to E2B: %1"_s.arg(database)), qPrintable(r.err));
        QCOMPARE(fake.count("POST", "/files"), 1);

        const auto json = runCli({u"history"_s, u"--json"_s, u"--search"_s, marker});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray runs = QJsonDocument::fromJson(json.out.toUtf8()).array();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs.at(0).toObject().value(u"outcome"_s).toString(), u"ok"_s);
        QCOMPARE(runs.at(0).toObject().value(u"uploadedFiles"_s).toArray(), QJsonArray{database});
        QCOMPARE(runs.at(0).toObject().value(u"internet"_s), QJsonValue(false));
        QCOMPARE(runs.at(1).toObject().value(u"outcome"_s).toString(), u"needs-confirmation"_s);
        QCOMPARE(runs.at(1).toObject().value(u"uploadedFiles"_s).toArray(), QJsonArray());
        const auto plain = runCli({u"history"_s, u"--search"_s, marker});
        QVERIFY2(plain.out.contains(u"uploaded: "_s + database), qPrintable(plain.out));
        const auto csv = runCli({u"history"_s, u"--csv"_s, u"--search"_s, marker});
        QVERIFY2(csv.out.contains(u"\""_s + database + u"\""_s), qPrintable(csv.out));
        QTRY_COMPARE_WITH_TIMEOUT(fake.liveSandboxes(), 0, 10000);
    }

    void versionAndHelp()
    {
        const auto version = runCli({u"--version"_s});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(u"safecell "_s));
        const auto help = runCli({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(u"run FILE"_s));
        const auto tokenHelp = runCli({u"token"_s, u"--help"_s});
        QCOMPARE(tokenHelp.exitCode, 0);
        QVERIFY2(tokenHelp.out.startsWith(u"Usage: safecell token [options]\n"_s), qPrintable(tokenHelp.out));
    }

    // Issue 18, item 8: a command line that is neither a command nor files
    // prints the usage and exits 2, even where a display would let the window open.
    void unknownCommandLinesPrintTheUsageAndExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("why");
        QTest::newRow("unknown command") << QStringList{u"frobnicate"_s}
                                         << u"'frobnicate' is neither a command nor an existing file"_s;
        QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << u"unknown option '--frobnicate'"_s;
        QTest::newRow("unknown short option") << QStringList{u"-x"_s} << u"unknown option '-x'"_s;
        QTest::newRow("missing file") << QStringList{u"no-such-snippet.py"_s} << u"'no-such-snippet.py' is neither"_s;
        QTest::newRow("a folder") << QStringList{u"."_s} << u"'.' is neither"_s;
        QTest::newRow("Qt option without its value") << QStringList{u"-style"_s} << u"-style needs a value"_s;
        QTest::newRow("command in second place") << QStringList{u"-reverse"_s, u"run"_s} << u"'run' is neither"_s;
    }

    void unknownCommandLinesPrintTheUsageAndExitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, why);
        const auto r = runCli(arguments, kWindowThatQuits);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(u"safecell: "_s + why), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"Usage: safecell [FILE...]"_s) && r.err.contains(u"  run FILE"_s), qPrintable(r.err));
        QVERIFY2(!r.out.contains(u"shown"_s), "the window opened");
    }

    void unknownCommandOptionsPrintTheCommandsUsage()
    {
        const auto r = runCli({u"run"_s, u"--frobnicate"_s, writeFile(u"x.py"_s, "1\n")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"Unknown option 'frobnicate'"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"usage: safecell run FILE [--language python|sql]"_s), qPrintable(r.err));
        const auto token = runCli({u"token"_s, u"extra"_s});
        QCOMPARE(token.exitCode, 2);
        QVERIFY2(token.err.contains(u"usage: safecell token"_s), qPrintable(token.err));
    }

    // `safecell` alone and `safecell FILE...` (what the desktop entry's
    // `Exec=safecell %F` runs) still open the window, each file in a tab:
    // the window opens them, so they head its recent files.
    void filesOpenTheWindowWithThem()
    {
        const QString config = m_dir.filePath(u"window-config"_s);
        const QString sql = writeFile(u"query.sql"_s, "SELECT 1;\n");
        const QString python = writeFile(u"plot.py"_s, "print(1)\n");
        const QStringList environment = kWindowThatQuits + QStringList{u"XDG_CONFIG_HOME="_s + config};

        const auto alone = runCli({}, environment);
        QCOMPARE(alone.exitCode, 0);
        QVERIFY2(alone.out.startsWith(u"shown\n"_s), qPrintable(alone.out + alone.err));
        QSettings settings(config + u"/SafeCell/SafeCell.ini"_s, QSettings::IniFormat);
        QCOMPARE(settings.value(u"editor/recentFiles"_s).toStringList(), QStringList());

        // A relative name and Qt's own options among them, as a shell may pass them.
        const auto withFiles = runCli({u"-reverse"_s, sql, u"-style"_s, u"fusion"_s, u"plot.py"_s}, environment,
                                      m_dir.path());
        QCOMPARE(withFiles.exitCode, 0);
        QVERIFY2(withFiles.out.startsWith(u"shown\n"_s), qPrintable(withFiles.out + withFiles.err));
        settings.sync();
        QCOMPARE(settings.value(u"editor/recentFiles"_s).toStringList(), (QStringList{python, sql}));
        QCOMPARE(settings.value(u"editor/lastFile"_s).toString(), python);
    }

    // Issue 18, item 12: every option each command's parser accepts is in
    // the generated man page and in `safecell --help`, and they name no
    // other: all three come from one table (src/cli/CommandSpec.cpp).
    void manPageAndHelpDocumentEveryOption()
    {
        QFile manFile(qEnvironmentVariable("SAFECELL_MAN_PAGE"));
        QVERIFY2(manFile.open(QIODevice::ReadOnly), qPrintable(manFile.fileName()));
        const QString man = QString::fromUtf8(manFile.readAll());
        const auto usage = runCli({u"--help"_s});
        QCOMPARE(usage.exitCode, 0);

        for (const QString &command : kCommands) {
            const auto help = runCli({command, u"--help"_s});
            QCOMPARE(help.exitCode, 0);
            const QSet<QString> accepted = parserOptions(help.out);
            QVERIFY2(accepted.contains(u"help"_s), qPrintable(help.out));
            const QString section = manSection(man, command);
            QVERIFY2(!section.isEmpty(), qPrintable(u"no .SS %1 in the man page"_s.arg(command)));
            QCOMPARE(manOptions(section), accepted);
            QSet<QString> inUsage = usageOptions(usage.out, command);
            inUsage.insert(u"help"_s); // every command's, said once
            QCOMPARE(inUsage, accepted);
        }
        // The commands with options: the check above is not empty-handed.
        QCOMPARE(parserOptions(runCli({u"run"_s, u"--help"_s}).out),
                 (QSet<QString>{u"language"_s, u"timeout-ms"_s, u"json"_s, u"allow-ambiguous"_s, u"allow-internet"_s,
                                u"upload-data"_s, u"save-figures"_s, u"report"_s, u"data"_s, u"help"_s}));
        QCOMPARE(parserOptions(runCli({u"serve"_s, u"--help"_s}).out),
                 (QSet<QString>{u"port"_s, u"address"_s, u"max-runs"_s, u"warm"_s, u"max-sessions"_s,
                                u"session-idle-s"_s, u"help"_s}));
        // No command in the man page that the program lacks, and the program's own options.
        const QSet<QString> sections = matches(man, QRegularExpression(u"^\\.SS (\\S+)$"_s,
                                                                       QRegularExpression::MultilineOption));
        QCOMPARE(sections, QSet<QString>(kCommands.cbegin(), kCommands.cend()));
        QVERIFY(man.contains(u"\\-\\-version"_s) && usage.out.contains(u"--version"_s));
        QVERIFY(!man.contains(u"safecell_manpage:"_s)); // every marker filled
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
