#include "budget/BudgetController.h"
#include "budget/SpendLedger.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestBudgetCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    struct Result {
        int exitCode = -1;
        QString out;
    };

    Result runCli(const QStringList &arguments)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"SAFECELL_DATA_DIR"_s, m_dir.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        env.insert(u"USER"_s, u"tester"_s);
        process.setProcessEnvironment(env);
        process.start(qEnvironmentVariable("SAFECELL_BINARY"), arguments);
        if (!process.waitForFinished(60'000))
            return {};
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput())};
    }

private Q_SLOTS:
    void emptyLedgerIsActive()
    {
        const Result r = runCli({u"budget"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json.value(u"state"_s).toString(), u"Active"_s);
        QCOMPARE(json.value(u"spent"_s).toDouble(), 0.0);
        QCOMPARE(json.value(u"limit"_s).toDouble(), 5.0); // the settings' default
        QCOMPARE(json.value(u"remaining"_s).toDouble(), 5.0);
        QVERIFY(QFile::exists(m_dir.filePath(u"data/ledger.sqlite"_s)));
    }

    void showsWhatWasSpent()
    {
        {
            auto ledger = SpendLedger::open(m_dir.filePath(u"data/ledger.sqlite"_s));
            QVERIFY(ledger);
            BudgetPolicy policy;
            policy.setLimit(ScopeLevel::Org, Money::fromNanos(5'000'000'000));
            BudgetController budget(**ledger, policy);
            const BudgetScopes scopes = BudgetScopes::of(u"local"_s, u"tester"_s);
            auto r = budget.reserve(Money::fromNanos(4'000'000'000), scopes);
            QVERIFY(r);
            Charge c;
            c.cost = Money::fromNanos(4'000'000'000);
            QVERIFY(budget.settle(*r, c));
        }
        const Result json = runCli({u"budget"_s, u"--json"_s});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(o.value(u"spent"_s).toDouble(), 4.0);
        QCOMPARE(o.value(u"remaining"_s).toDouble(), 1.0);
        QCOMPARE(o.value(u"state"_s).toString(), u"Warned"_s);

        const Result text = runCli({u"budget"_s});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(u"Budget: warned"_s), qPrintable(text.out));
        QVERIFY(text.out.contains(u"Spent: $4.00"_s));
        QVERIFY(text.out.contains(u"user tester"_s));
    }

    void rejectsUnknownArguments() { QCOMPARE(runCli({u"budget"_s, u"--bogus"_s}).exitCode, 2); }
};

QTEST_GUILESS_MAIN(TestBudgetCli)
#include "tst_budgetcli.moc"
