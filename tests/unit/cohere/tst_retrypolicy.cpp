#include "cohere/RetryPolicy.h"

#include <QRandomGenerator>
#include <QTest>

using namespace safecell;

class TestRetryPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void retryAfterSeconds()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(parseRetryAfter("2", now), std::optional<qint64>(2000));
        QCOMPARE(parseRetryAfter(" 0.5 ", now), std::optional<qint64>(500));
        QCOMPARE(parseRetryAfter("0", now), std::nullopt);
        QCOMPARE(parseRetryAfter("-3", now), std::nullopt);
        QCOMPARE(parseRetryAfter("", now), std::nullopt);
        QCOMPARE(parseRetryAfter("soon", now), std::nullopt);
    }

    void retryAfterHttpDate()
    {
        const QDateTime now(QDate(2015, 10, 21), QTime(7, 27, 57), Qt::UTC);
        QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), std::optional<qint64>(3000));
        QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), std::nullopt); // past
    }

    void retryAfterWinsAndIsCapped()
    {
        RetryPolicy p;
        QRandomGenerator random(1);
        QCOMPARE(retryDelayMs(p, 1, 1234, random), 1234);
        QCOMPARE(retryDelayMs(p, 1, 3600000, random), p.maxDelayMs);
    }

    void backoffDoublesWithinJitter()
    {
        RetryPolicy p;
        p.baseDelayMs = 1000;
        p.jitter = 0.2;
        QRandomGenerator random(7);
        bool varied = false;
        qint64 first = -1;
        for (int i = 0; i < 200; ++i) {
            const qint64 d1 = retryDelayMs(p, 1, std::nullopt, random);
            const qint64 d2 = retryDelayMs(p, 2, std::nullopt, random);
            QVERIFY2(d1 >= 800 && d1 <= 1200, qPrintable(QString::number(d1)));
            QVERIFY2(d2 >= 1600 && d2 <= 2400, qPrintable(QString::number(d2)));
            if (first >= 0 && d1 != first)
                varied = true;
            first = d1;
        }
        QVERIFY(varied); // jitter really spreads the retries
        QCOMPARE(retryDelayMs(p, 30, std::nullopt, random), p.maxDelayMs);
    }
};

QTEST_APPLESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
