#include "sandbox/e2b/E2bError.h"

#include <QTest>

using namespace safecell;

// The messages follow the official SDK's wording (protocols.md 1.2.2).
class TestE2bError : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mapsStatusesLikeTheSdk_data();
    void mapsStatusesLikeTheSdk();
    void plainTextBodiesAreShown();
};

void TestE2bError::mapsStatusesLikeTheSdk_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("401") << 401 << QByteArray(R"({"code":401,"message":"Invalid API key"})")
                         << int(E2bError::Kind::Unauthorized)
                         << QStringLiteral("E2B: Unauthorized, please check your credentials. - Invalid API key");
    QTest::newRow("429") << 429 << QByteArray(R"({"code":429,"message":"slow down"})")
                         << int(E2bError::Kind::RateLimited)
                         << QStringLiteral("E2B: Rate limit exceeded, please try again later - slow down");
    QTest::newRow("503") << 503 << QByteArray(R"({"code":503,"message":"busy"})") << int(E2bError::Kind::Server)
                         << QStringLiteral("E2B: Service temporarily unavailable, please retry - busy");
    QTest::newRow("502") << 502 << QByteArray(R"({"sandboxId":"i1","message":"The sandbox was not found","code":502})")
                         << int(E2bError::Kind::SandboxGone) << QStringLiteral("E2B: 502: The sandbox was not found");
    QTest::newRow("500") << 500 << QByteArray(R"({"code":500,"message":"boom","error_code":"sandbox_create_failed"})")
                         << int(E2bError::Kind::Server) << QStringLiteral("E2B: 500: boom");
    QTest::newRow("400") << 400 << QByteArray(R"({"code":400,"message":"Timeout must be greater than 0"})")
                         << int(E2bError::Kind::Http) << QStringLiteral("E2B: 400: Timeout must be greater than 0");
    QTest::newRow("empty body") << 504 << QByteArray() << int(E2bError::Kind::Server)
                                << QStringLiteral("E2B: 504: Gateway Timeout");
}

void TestE2bError::mapsStatusesLikeTheSdk()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, kind);
    QFETCH(QString, message);
    const E2bError error = E2bError::fromHttp(status, body, QStringLiteral("Gateway Timeout"));
    QCOMPARE(int(error.kind), kind);
    QCOMPARE(error.status, status);
    QCOMPARE(error.message, message);
}

void TestE2bError::plainTextBodiesAreShown()
{
    const E2bError error = E2bError::fromHttp(404, "Context abc not found", QStringLiteral("Not Found"));
    QCOMPARE(error.kind, E2bError::Kind::NotFound);
    QCOMPARE(error.message, QStringLiteral("E2B: 404: Context abc not found"));
}

QTEST_GUILESS_MAIN(TestE2bError)
#include "tst_e2berror.moc"
