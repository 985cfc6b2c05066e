// Load (issue 10.3): 20 concurrent clients against `safecell serve` for a
// bounded time (60 s, as issue 10 asks; SAFECELL_LOAD_SECONDS changes it), running code on
// FakeE2b under a small budget so the limit is reached mid-way. No crash, no
// overspend (settled spend never above the limit, nothing left reserved),
// every response well-formed JSON with an expected status; throughput and
// p99 latency printed. The server runs 8 requests at once (--max-runs 8);
// the others get 429.
#include "FakeE2b.h"
#include "SafecellProcess.h"

#include "budget/CostModel.h"
#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"

#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>

using namespace safecell;
using safecell::fake::FakeE2b;
using safecell::fake::FakeStep;
using namespace Qt::StringLiterals;

namespace {

constexpr int kClients = 20;
constexpr qint64 kTimeLimitMs = 5000;

qint64 percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    return values.at(qMin<qsizetype>(values.size() - 1, qsizetype(p * double(values.size()))));
}

} // namespace

class TestServeLoad : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_root;

    struct Client {
        std::shared_ptr<QNetworkAccessManager> network;
        QElapsedTimer started;
        int sent = 0;
    };

private Q_SLOTS:
    void twentyClientsNeitherCrashNorOverspend()
    {
        QVERIFY(!faulttest::binary().isEmpty());
        FakeE2b fake;
        QVERIFY(fake.listen());
        fake.setScriptContaining(u"slow"_s, {FakeStep::out(u"a\n"_s), FakeStep::sleep(100), FakeStep::out(u"b\n"_s)});
        // Room for ten worst-case holds of a 5 s run: the settled spend fills
        // it up over the test; a request for the 600 s cap never fits (402).
        const Money estimate = cost::e2b(E2bRates::published(), SandboxSize{}, kTimeLimitMs);
        const Money limit = Money::fromNanos(estimate.nanos() * 10);
        // A 1 s lifetime margin: a run holds its 5 s and one more.
        const QProcessEnvironment env = faulttest::environment(m_root.path(), fake.url(), FakeE2b::defaultApiKey(),
                                                               limit.usd(), "lifetimeMarginS=1\n");
        qputenv("SAFECELL_DATA_DIR", m_root.filePath(u"data"_s).toUtf8());
        const QString token = faulttest::token(env);
        QVERIFY(!token.isEmpty());

        QProcess server;
        const QUrl url = faulttest::startServe(server, env, {u"--max-runs"_s, u"8"_s});
        QVERIFY2(!url.isEmpty(), server.readAllStandardError().constData());

        const int seconds = qEnvironmentVariableIsSet("SAFECELL_LOAD_SECONDS")
                                ? qEnvironmentVariableIntValue("SAFECELL_LOAD_SECONDS")
                                : 60;
        QList<Client> clients(kClients);
        QList<qint64> latencies;
        QHash<int, int> statuses;
        QStringList problems;
        int inFlight = 0;
        QElapsedTimer clock;
        clock.start();
        std::function<void(int)> send = [&](int i) {
            Client &client = clients[i];
            client.started.start();
            const int n = client.sent++;
            QNetworkReply *reply = faulttest::postCode(*client.network, url, token,
                                                       n % 3 == 2 ? u"print(\"slow\")"_s : u"print(\"hi\")"_s,
                                                       n % 5 == 4 ? 600000 : kTimeLimitMs);
            ++inFlight;
            connect(reply, &QNetworkReply::finished, this, [&, i, reply] {
                --inFlight;
                reply->deleteLater();
                latencies << clients[i].started.elapsed();
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                ++statuses[status];
                QJsonParseError parseError;
                const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll(), &parseError);
                const QJsonObject body = doc.object();
                QString problem;
                if (reply->error() != QNetworkReply::NoError && status == 0)
                    problem = u"transport: "_s + reply->errorString();
                else if (parseError.error != QJsonParseError::NoError || !doc.isObject())
                    problem = u"status %1: not a JSON object"_s.arg(status);
                else if (status == 200) {
                    const QString out = body.value(u"stdout"_s).toString();
                    if (body.value(u"executionId"_s).toString().isEmpty() || (out != u"hi\n" && out != u"a\nb\n")
                        || !body.value(u"cost"_s).isObject())
                        problem = u"200 without the recipe's fields: "_s
                                  + QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
                } else if (status == 402) {
                    if (body.value(u"outcome"_s).toString() != u"over-budget" || !body.contains(u"remaining"_s))
                        problem = u"402 without outcome/remaining"_s;
                } else if (status == 429) {
                    if (body.value(u"error"_s).toString().isEmpty())
                        problem = u"429 without an error"_s;
                } else {
                    problem = u"unexpected status %1: %2"_s.arg(status).arg(
                        QString::fromUtf8(doc.toJson(QJsonDocument::Compact)));
                }
                if (!problem.isEmpty() && problems.size() < 10)
                    problems << problem;
                if (clock.elapsed() < seconds * 1000LL)
                    send(i);
            });
        };
        for (int i = 0; i < kClients; ++i) {
            clients[i].network = std::make_shared<QNetworkAccessManager>();
            send(i);
        }
        QVERIFY(QTest::qWaitFor([&] { return clock.elapsed() >= seconds * 1000LL && inFlight == 0; },
                                (seconds + 60) * 1000));
        const qint64 elapsedMs = clock.elapsed();
        QCOMPARE(server.state(), QProcess::Running); // no crash

        // The budget as the API reports it, and as the ledger holds it.
        QNetworkRequest get(url);
        get.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        QNetworkAccessManager network;
        QNetworkReply *budgetReply = network.get(get);
        QSignalSpy budgetDone(budgetReply, &QNetworkReply::finished);
        QVERIFY(budgetDone.wait(30000));
        const QJsonObject budget = QJsonDocument::fromJson(budgetReply->readAll()).object();
        QVERIFY2(budget.value(u"spent"_s).toDouble() <= limit.usd() + 1e-9,
                 qPrintable(QString::number(budget.value(u"spent"_s).toDouble())));

        server.terminate();
        QVERIFY(server.waitForFinished(30000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QTRY_COMPARE_WITH_TIMEOUT(fake.liveSandboxes(), 0, 20000);

        auto ledger = SpendLedger::open(defaultLedgerPath());
        QVERIFY(ledger);
        const auto settled = (*ledger)->totalSettled();
        QVERIFY(settled);
        QVERIFY2(*settled <= limit,
                 qPrintable(u"settled %1 over the limit %2"_s.arg(settled->toString(), limit.toString())));
        QSqlQuery q((*ledger)->database());
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM reservations"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        q.finish();

        const int total = int(latencies.size());
        qInfo("serve load: %d clients for %lld ms: %d responses, %.1f responses/s; latency p50 %lld ms, p99 %lld ms; "
              "200: %d, 402: %d, 429: %d; settled %s of a %s limit; %d sandboxes created",
              kClients, elapsedMs, total, total * 1000.0 / double(elapsedMs), percentile(latencies, 0.5),
              percentile(latencies, 0.99), statuses.value(200), statuses.value(402), statuses.value(429),
              qPrintable(settled->toString()), qPrintable(limit.toString()), fake.sandboxesCreated());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"\n"_s)));
        QVERIFY(statuses.value(200) > 0);
        QVERIFY2(statuses.value(402) > 0, "the small limit was reached");
    }
};

QTEST_GUILESS_MAIN(TestServeLoad)
#include "tst_serveload.moc"
