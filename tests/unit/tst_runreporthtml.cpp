// Issue 20 item 6: a run written down as one self-contained HTML page. What
// the snippet printed is data, never markup: a hostile output cannot run
// script or fetch anything when the report is opened.
#include "pipeline/RunReportHtml.h"

#include <QRegularExpression>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestRunReportHtml : public QObject {
    Q_OBJECT
private:
    static ReportedRun aRun()
    {
        ReportedRun run;
        run.code = u"print('<b>hi</b>')\nplot()"_s;
        run.language = Language::Python;
        run.finishedAt = QDateTime(QDate(2026, 12, 6), QTime(9, 45, 12), Qt::UTC);
        RunReport &report = run.report;
        report.runId = u"run-7"_s;
        report.outcome = RunOutcome::Ok;
        report.classified = true;
        report.safetyLabel = SafetyLabel::Safe;
        report.decidedBy = u"local rules"_s;
        report.sandbox = u"local"_s;
        report.durationMs = 420;
        report.executionMs = 300;
        report.llmCost = Money::fromNanos(1'000'000);
        report.sandboxCost = Money::fromNanos(2'500'000);
        report.result.stdoutText = u"<script>alert(1)</script>\n"_s;
        RichResult figure;
        figure.png = QByteArray("\x89PNG\r\n\x1a\nfigure", 14);
        RichResult table;
        table.table = TableData{{u"region"_s, u"<sales>"_s},
                                {u"object"_s, u"int64"_s},
                                {{u"North"_s, u"10"_s}, {u"South"_s, u"20"_s}},
                                1000,
                                {}};
        report.richResults = {figure, table};
        return run;
    }

private Q_SLOTS:
    void holdsTheSnippetOutputFigureTableCostAndTime()
    {
        const QString html = runReportHtml(aRun());
        QVERIFY(html.startsWith(u"<!DOCTYPE html>"_s));
        QVERIFY(html.contains(u"print(&#x27;&lt;b&gt;hi&lt;/b&gt;&#x27;)"_s)
                || html.contains(u"print('&lt;b&gt;hi&lt;/b&gt;')"_s));
        QVERIFY(html.contains(u"data:image/png;base64,"_s
                              + QString::fromLatin1(aRun().report.richResults.at(0).png.toBase64())));
        QVERIFY(html.contains(u"<td>North</td><td>10</td>"_s));
        QVERIFY(html.contains(u"&lt;sales&gt;"_s));
        QVERIFY(html.contains(u"The first 2 of 1000 rows."_s));
        QVERIFY(html.contains(u"$0.0035"_s)); // the total, LLM and sandbox together
        QVERIFY(html.contains(u"2026-12-06 09:45:12"_s));
        QVERIFY(html.contains(u"safe (decided by local rules)"_s));
        QVERIFY(html.contains(u"run-7"_s));
    }

    void hostileOutputIsEscapedAndCannotAct()
    {
        const QString html = runReportHtml(aRun());
        QVERIFY(!html.contains(u"<script>"_s));
        QVERIFY(html.contains(u"&lt;script&gt;alert(1)&lt;/script&gt;"_s));
        // No script, no fetch, even if markup slipped through.
        QVERIFY(html.contains(u"default-src 'none'; img-src data:"_s));
        // Nothing refers outside the file.
        static const QRegularExpression external(u"(src|href)=\"(?!data:)"_s);
        QVERIFY(!external.match(html).hasMatch());
    }

    void aPdfWriterCanNameTheFigures()
    {
        QList<int> asked;
        const QString html = runReportHtml(aRun(), [&asked](int index, const QByteArray &png) {
            asked << index;
            return png.startsWith("\x89PNG") ? u"figure-%1"_s.arg(index) : QString();
        });
        QCOMPARE(asked, QList<int>{1});
        QVERIFY(html.contains(u"src=\"figure-1\""_s));
        QVERIFY(!html.contains(u"base64"_s));
    }
};

QTEST_GUILESS_MAIN(TestRunReportHtml)
#include "tst_runreporthtml.moc"
