// The serve API's token: created once, in the keychain, even when several
// SafeCells start for the first time at once.
#include "cli/ApiTokenLoader.h"
#include "secrets/KeyStore.h"

#include <QTest>
#include <QUuid>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

using namespace safecell;

class TestApiToken : public QObject {
    Q_OBJECT
private:
    // A service name of our own, so no test touches a real user's token.
    const QString m_service = QStringLiteral("org.safecell.tests.apitoken.")
                              + QUuid::createUuid().toString(QUuid::WithoutBraces);

private Q_SLOTS:
    void concurrentFirstStartsAgreeOnOneToken()
    {
        constexpr int kStarts = 4;
        std::vector<std::unique_ptr<KeyStore>> stores;
        std::vector<std::optional<KeyResult>> results(kStarts);
        QObject context;
        for (int i = 0; i < kStarts; ++i) {
            stores.push_back(std::make_unique<KeyStore>(m_service));
            cli::loadOrCreateApiToken(*stores.back(), &context,
                                      [&results, i](KeyResult r) { results[i] = std::move(r); });
        }
        QVERIFY(QTest::qWaitFor(
            [&results] {
            return std::all_of(results.begin(), results.end(), [](const auto &r) { return r.has_value(); });
            },
            30000));
        for (const auto &result : results)
            QVERIFY2(*result, *result ? "" : qPrintable(result->error().message));
        for (const auto &result : results)
            QCOMPARE(**result, **results.front());
        QVERIFY(results.front()->value().size() >= 32);

        // What the keychain holds is that token, and a later start reads it.
        std::optional<KeyResult> later;
        KeyStore store(m_service);
        cli::loadOrCreateApiToken(store, &context, [&later](KeyResult r) { later = std::move(r); });
        QVERIFY(QTest::qWaitFor([&later] { return later.has_value(); }, 20000));
        QVERIFY(*later);
        QCOMPARE(**later, **results.front());

        std::optional<KeyStatus> removed;
        store.remove(KeyId::ApiToken, &context, [&removed](KeyStatus s) { removed = std::move(s); });
        QVERIFY(QTest::qWaitFor([&removed] { return removed.has_value(); }, 20000));
    }
};

QTEST_GUILESS_MAIN(TestApiToken)
#include "tst_apitoken.moc"
