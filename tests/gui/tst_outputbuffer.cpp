#include "gui/OutputBuffer.h"
#include "gui/TracebackLine.h"

#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestOutputBuffer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void batchesAppendsOnATimer()
    {
        QPlainTextEdit view;
        OutputBuffer buffer(&view);
        buffer.append(u"a\n"_s, false);
        buffer.append(u"b\n"_s, false);
        QCOMPARE(view.toPlainText(), QString()); // nothing written synchronously
        QTRY_COMPARE(view.toPlainText(), u"a\nb\n"_s);
        QCOMPARE(buffer.pendingChars(), 0);
    }

    void writesInBoundedSlicesAndKeepsOrder()
    {
        QPlainTextEdit view;
        view.setMaximumBlockCount(200000);
        OutputBuffer buffer(&view);
        QString expected;
        for (int i = 0; i < 20000; ++i) {
            const QString line = u"line %1\n"_s.arg(i);
            buffer.append(line, i % 7 == 0);
            expected += line;
        }
        QVERIFY(buffer.pendingChars() > OutputBuffer::kMaxCharsPerSlice);
        QList<qsizetype> slices;
        connect(&buffer, &OutputBuffer::sliceWritten, &view, [&](qsizetype chars) {
            slices << chars;
            // Each slice is bounded and ends at a line break, so lines stay whole.
            const QString now = view.toPlainText();
            QVERIFY2(now.endsWith(QLatin1Char('\n')) || buffer.pendingChars() == 0, qPrintable(now.right(12)));
        });
        QTRY_VERIFY_WITH_TIMEOUT(buffer.pendingChars() == 0, 10000);
        QVERIFY(slices.size() > 1);
        for (qsizetype chars : slices)
            QVERIFY(chars > 0 && chars <= OutputBuffer::kMaxCharsPerSlice);
        QCOMPARE(view.toPlainText(), expected);
    }

    void flushAllWritesEverythingAtOnce()
    {
        QPlainTextEdit view;
        OutputBuffer buffer(&view);
        buffer.append(u"out "_s, false);
        buffer.append(u"err\n"_s, true);
        buffer.flushAll();
        QCOMPARE(view.toPlainText(), u"out err\n"_s);
        buffer.append(u"late"_s, false);
        buffer.clear();
        QTest::qWait(OutputBuffer::kFlushIntervalMs * 3);
        QCOMPARE(view.toPlainText(), QString());
    }

    void stderrIsColoured()
    {
        QPlainTextEdit view;
        OutputBuffer buffer(&view);
        buffer.append(u"ok\n"_s, false);
        buffer.append(u"bad\n"_s, true);
        buffer.flushAll();
        const QTextBlock bad = view.document()->findBlockByNumber(1);
        QCOMPARE(bad.text(), u"bad"_s);
        QCOMPARE(bad.begin().fragment().charFormat().foreground().color(), QColor(0xc0, 0x30, 0x30));
        QVERIFY(view.document()->firstBlock().begin().fragment().charFormat().foreground().color()
                != QColor(0xc0, 0x30, 0x30));
    }

    void failingLineFromLocalAndE2bTracebacks()
    {
        QCOMPARE(failingLineFromTraceback(
                     u"Traceback (most recent call last):\n  File \"<cell 3>\", line 7, in <module>\n"
                     "  File \"<cell 3>\", line 2, in f\nZeroDivisionError: division by zero"_s),
                 2);
        QCOMPARE(failingLineFromTraceback(u"Cell In[4], line 5\n    1/0\nZeroDivisionError"_s), 5);
        QCOMPARE(failingLineFromTraceback(u"  File \"/usr/lib/python3/x.py\", line 99\nValueError"_s), 0);
        QCOMPARE(failingLineFromTraceback(QString()), 0);
    }
};

QTEST_MAIN(TestOutputBuffer)
#include "tst_outputbuffer.moc"
