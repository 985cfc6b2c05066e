#include "sandbox/OutputLimiter.h"

#include <QTest>

using namespace safecell;

class TestOutputLimiter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void joinsUtf8SplitAcrossReads()
    {
        OutputLimiter limiter(1024);
        const QByteArray euro = QString::fromUtf8("€").toUtf8(); // 3 bytes
        QCOMPARE(limiter.feed(euro.left(1)), QString());
        QCOMPARE(limiter.feed(euro.mid(1, 1)), QString());
        QCOMPARE(limiter.feed(euro.mid(2) + "x"), QString::fromUtf8("€x"));
    }

    void cutsOncePastTheCap()
    {
        OutputLimiter limiter(10);
        QCOMPARE(limiter.feed("12345"), QStringLiteral("12345"));
        const QString cut = limiter.feed("6789012345");
        QVERIFY(cut.startsWith(QStringLiteral("67890")));
        QVERIFY(cut.contains(QStringLiteral("output truncated after 10 bytes")));
        QVERIFY(limiter.truncated());
        QCOMPARE(limiter.feed("more"), QString());
        QCOMPARE(limiter.bytesSeen(), 19);
    }

    void exactlyAtTheCapIsNotTruncated()
    {
        OutputLimiter limiter(4);
        QCOMPARE(limiter.feed("abcd"), QStringLiteral("abcd"));
        QVERIFY(!limiter.truncated());
    }
};

QTEST_GUILESS_MAIN(TestOutputLimiter)
#include "tst_outputlimiter.moc"
