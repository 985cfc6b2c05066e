#include "RunReportHtml.h"

#include <QLocale>

namespace safecell {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString dataUri(int, const QByteArray &png)
{
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

QString row(const QString &name, const QString &value)
{
    return QStringLiteral("<tr><th>%1</th><td>%2</td></tr>\n").arg(esc(name), esc(value));
}

QString tableHtml(const TableData &table)
{
    QString html = QStringLiteral("<table class=\"data\"><thead><tr>");
    if (!table.rowLabels.isEmpty())
        html += QStringLiteral("<th></th>");
    for (qsizetype i = 0; i < table.columns.size(); ++i) {
        const QString type = i < table.types.size() ? table.types.at(i) : QString();
        html += QStringLiteral("<th title=\"%1\">%2</th>").arg(esc(type), esc(table.columns.at(i)));
    }
    html += QStringLiteral("</tr></thead><tbody>\n");
    for (qsizetype r = 0; r < table.rows.size(); ++r) {
        html += QStringLiteral("<tr>");
        if (r < table.rowLabels.size())
            html += QStringLiteral("<th>%1</th>").arg(esc(table.rowLabels.at(r)));
        for (const QString &cell : table.rows.at(r))
            html += QStringLiteral("<td>%1</td>").arg(esc(cell));
        html += QStringLiteral("</tr>\n");
    }
    html += QStringLiteral("</tbody></table>\n");
    if (table.totalRows > table.rows.size())
        html += QStringLiteral("<p class=\"note\">The first %1 of %2 rows.</p>\n")
                    .arg(table.rows.size())
                    .arg(table.totalRows);
    return html;
}

QString outcomeText(const RunReport &report)
{
    QString text = outcomeName(report.outcome);
    if (!report.message.isEmpty())
        text += QStringLiteral(": ") + report.message;
    return text;
}

QString verdictText(const RunReport &report)
{
    if (!report.classified)
        return QStringLiteral("not classified");
    QString text = QStringLiteral("%1 (decided by %2)").arg(safetyLabelName(report.safetyLabel), report.decidedBy);
    if (!report.classificationNote.isEmpty())
        text += QStringLiteral("; ") + report.classificationNote;
    return text;
}

const char kStyle[] = "body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}"
                      "pre{background:#f6f6f6;padding:.6em;white-space:pre-wrap;border-radius:4px}"
                      "pre.err{background:#fff0f0}table{border-collapse:collapse;margin:.5em 0}"
                      "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}"
                      "table.meta th{background:#f0f0f0}.note{color:#666;font-size:90%}"
                      "img{max-width:100%}";

} // namespace

QString runReportHtml(const ReportedRun &run, const FigureSource &figureSource)
{
    const RunReport &report = run.report;
    const FigureSource source = figureSource ? figureSource : FigureSource(dataUri);
    const QString when = run.finishedAt.toString(Qt::ISODate);
    QString html;
    html += QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
                           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                           "img-src data:; style-src 'unsafe-inline'\">\n");
    html += QStringLiteral("<title>SafeCell run %1</title>\n<style>%2</style></head><body>\n")
                .arg(esc(when), QLatin1String(kStyle));
    html += QStringLiteral("<h1>SafeCell run</h1>\n<table class=\"meta\">\n");
    html += row(QStringLiteral("Finished"),
                QLocale::c().toString(run.finishedAt, QStringLiteral("yyyy-MM-dd HH:mm:ss t")));
    html += row(QStringLiteral("Run"), report.runId);
    html += row(QStringLiteral("Language"), languageName(run.language));
    html += row(QStringLiteral("Outcome"), outcomeText(report));
    html += row(QStringLiteral("Safety verdict"), verdictText(report));
    if (!report.sandbox.isEmpty())
        html += row(QStringLiteral("Sandbox"), report.sandbox);
    html += row(QStringLiteral("Time"),
                QStringLiteral("%1 ms (%2 ms in the sandbox)").arg(report.durationMs).arg(report.executionMs));
    html += row(QStringLiteral("Cost"), QStringLiteral("%1 (LLM %2, sandbox %3)")
                                            .arg((report.llmCost + report.sandboxCost).toString(),
                                                 report.llmCost.toString(), report.sandboxCost.toString()));
    if (!report.model.isEmpty())
        html += row(QStringLiteral("LLM"), QStringLiteral("%1: %2").arg(report.model, report.modelReason));
    if (!report.uploadedFiles.isEmpty())
        html += row(QStringLiteral("Uploaded to E2B"), report.uploadedFiles.join(QStringLiteral(", ")));
    html += QStringLiteral("</table>\n");

    html += QStringLiteral("<h2>Snippet</h2>\n<pre>%1</pre>\n").arg(esc(run.code));
    if (!report.findings.isEmpty()) {
        html += QStringLiteral("<h2>Findings</h2>\n<ul>\n");
        for (const Finding &finding : report.findings)
            html += QStringLiteral("<li>line %1: %2 (%3): %4</li>\n")
                        .arg(finding.line)
                        .arg(esc(finding.rule), esc(safetyLabelName(finding.label)), esc(finding.reason));
        html += QStringLiteral("</ul>\n");
    }
    if (!report.result.stdoutText.isEmpty())
        html += QStringLiteral("<h2>Output</h2>\n<pre>%1</pre>\n").arg(esc(report.result.stdoutText));
    if (!report.result.stderrText.isEmpty())
        html += QStringLiteral("<h2>Errors and warnings</h2>\n<pre class=\"err\">%1</pre>\n")
                    .arg(esc(report.result.stderrText));
    if (report.error)
        html += QStringLiteral("<h2>Error</h2>\n<pre class=\"err\">%1</pre>\n")
                    .arg(esc(report.error->traceback.isEmpty()
                                 ? QStringLiteral("%1: %2").arg(report.error->name, report.error->value)
                                 : report.error->traceback));
    if (!report.richResults.isEmpty()) {
        html += QStringLiteral("<h2>Results</h2>\n");
        int figure = 0;
        for (const RichResult &result : report.richResults) {
            if (!result.png.isEmpty()) {
                ++figure;
                html += QStringLiteral("<p><img alt=\"Figure %1\" src=\"%2\"></p>\n")
                            .arg(figure)
                            .arg(esc(source(figure, result.png)));
            } else if (result.table)
                html += tableHtml(*result.table);
            else if (!result.text.isEmpty())
                html += QStringLiteral("<pre>%1</pre>\n").arg(esc(result.text));
        }
    }
    html += QStringLiteral("<p class=\"note\">Written by SafeCell.</p>\n</body></html>\n");
    return html;
}

} // namespace safecell
