#include "secrets/KeyStore.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <atomic>

#include <optional>

using namespace safecell;

namespace {

// Waits for a KeyStore callback; the store answers asynchronously.
template <class Result>
std::optional<Result> await(const std::function<void(QObject *, std::function<void(Result)>)> &call)
{
    QObject context;
    std::optional<Result> out;
    call(&context, [&out](Result r) { out = std::move(r); });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, 20000))
        return std::nullopt;
    return out;
}

} // namespace

class TestKeyStore : public QObject {
    Q_OBJECT
private:
    // A service name of our own, so no test touches a real user's keys.
    KeyStore m_store{QStringLiteral("org.safecell.tests.") + QUuid::createUuid().toString(QUuid::WithoutBraces)};

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsSet("SAFECELL_EXPECT_NO_BUS"))
            return;
        m_store.setEnvironmentOverride(false);
        QVERIFY2(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").contains(QLatin1String("keyring")),
                 "run through ctest, whose keyring fixture starts the Secret Service");
    }

    void writeReadRemoveRoundTrip()
    {
        const QString secret = QStringLiteral("co-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        const auto written = await<KeyStatus>(
            [&](QObject *c, auto done) { m_store.write(KeyId::Cohere, secret, c, done); });
        QVERIFY(written);
        QVERIFY2(written->hasValue(), qPrintable(written->hasValue() ? QString() : written->error().message));

        const auto read = await<KeyResult>([&](QObject *c, auto done) { m_store.read(KeyId::Cohere, c, done); });
        QVERIFY(read && read->hasValue());
        QCOMPARE(read->value(), secret);

        const auto removed = await<KeyStatus>([&](QObject *c, auto done) { m_store.remove(KeyId::Cohere, c, done); });
        QVERIFY(removed && removed->hasValue());

        const auto gone = await<KeyResult>([&](QObject *c, auto done) { m_store.read(KeyId::Cohere, c, done); });
        QVERIFY(gone && !gone->hasValue());
        QCOMPARE(gone->error().kind, KeyError::Kind::NotFound);
    }

    void keysAreSeparate()
    {
        const auto w1 = await<KeyStatus>(
            [&](QObject *c, auto done) { m_store.write(KeyId::E2b, QStringLiteral("e2b_one"), c, done); });
        QVERIFY(w1 && w1->hasValue());
        const auto cohere = await<KeyResult>([&](QObject *c, auto done) { m_store.read(KeyId::Cohere, c, done); });
        QVERIFY(cohere && !cohere->hasValue());
        QCOMPARE(cohere->error().kind, KeyError::Kind::NotFound);
        QVERIFY(cohere->error().message.contains(QStringLiteral("Cohere API key")));
        const auto e2b = await<KeyResult>([&](QObject *c, auto done) { m_store.read(KeyId::E2b, c, done); });
        QVERIFY(e2b && e2b->hasValue());
        QCOMPARE(e2b->value(), QStringLiteral("e2b_one"));
        await<KeyStatus>([&](QObject *c, auto done) { m_store.remove(KeyId::E2b, c, done); });
    }

    void environmentOverridesForHeadlessUse()
    {
        KeyStore store(m_store.service());
        qputenv("COHERE_API_KEY", "from-environment-123");
        const auto read = await<KeyResult>([&](QObject *c, auto done) { store.read(KeyId::Cohere, c, done); });
        qunsetenv("COHERE_API_KEY");
        QVERIFY(read && read->hasValue());
        QCOMPARE(read->value(), QStringLiteral("from-environment-123"));
    }

    void callbackNeverRunsAfterItsContextIsGone()
    {
        bool called = false;
        {
            QObject context;
            m_store.read(KeyId::E2b, &context, [&called](KeyResult) { called = true; });
        }
        QTest::qWait(500);
        QVERIFY(!called);
    }

    // The crash of issue 15: a key read started on a run's thread, which was
    // deleted after the run while QtKeychain still held queued work for it.
    // Jobs now run on the application thread and answer through the
    // context's connection: deleting the context and its thread mid-job is
    // harmless, and later reads still work.
    void ownerThreadDeletedMidJobIsHarmless()
    {
        std::atomic<int> answered = 0;
        for (int i = 0; i < 20; ++i) {
            QThread thread;
            thread.start();
            auto *context = new QObject;
            context->moveToThread(&thread);
            QMetaObject::invokeMethod(
                context,
                [&, context] {
                m_store.read(KeyId::E2b, context, [&answered](KeyResult) { ++answered; });
                m_store.write(KeyId::Cohere, QStringLiteral("mid-job-secret"), context,
                              [&answered](KeyStatus) { ++answered; });
                delete context; // the owner goes at once, with its jobs in flight
                },
                Qt::BlockingQueuedConnection);
            thread.quit();
            QVERIFY(thread.wait(10000));
        }
        QTest::qWait(200); // let any late answer arrive (none may reach a deleted context)
        QCOMPARE(answered.load(), 0);
        const auto read = await<KeyResult>([&](QObject *c, auto done) { m_store.read(KeyId::E2b, c, done); });
        QVERIFY(read);
    }

    void unavailableWithoutSessionBus()
    {
        if (!qEnvironmentVariableIsSet("SAFECELL_EXPECT_NO_BUS"))
            return; // covered by the tst_keystore_no_bus registration
        KeyStore store(QStringLiteral("org.safecell.tests.nobus"));
        store.setEnvironmentOverride(false);
        const auto read = await<KeyResult>([&](QObject *c, auto done) { store.read(KeyId::Cohere, c, done); });
        QVERIFY(read);
        QVERIFY(!read->hasValue());
        QCOMPARE(read->error().kind, KeyError::Kind::Unavailable);
        QVERIFY(read->error().message.contains(QStringLiteral("keychain is unavailable")));
        QVERIFY(read->error().message.contains(QStringLiteral("COHERE_API_KEY")));

        const auto write = await<KeyStatus>(
            [&](QObject *c, auto done) { store.write(KeyId::Cohere, QStringLiteral("secret-value"), c, done); });
        QVERIFY(write && !write->hasValue());
        QCOMPARE(write->error().kind, KeyError::Kind::Unavailable);
    }
};

QTEST_GUILESS_MAIN(TestKeyStore)
#include "tst_keystore.moc"
