#include "RunCommand.h"

#include "CommandLine.h"
#include "FindingFormat.h"
#include "RunOutputFiles.h"
#include "SignalBridge.h"
#include "api/HttpMapping.h"
#include "pipeline/RunReportHtml.h"
#include "pipeline/RunThread.h"
#include "request/RunRequest.h"
#include "sandbox/SandboxLimits.h"
#include "sandbox/SharedData.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

namespace safecell::cli {

namespace {

// What the run paid for and who decided, for the analyst at a terminal;
// empty for a free run that the local rules passed.
QString paidStepsSummary(const RunReport &report)
{
    QStringList parts;
    if (!report.model.isEmpty()) {
        parts << QStringLiteral("classified by %1 (%2 in, %3 out tokens, %4)")
                     .arg(report.model)
                     .arg(report.llmInputTokens)
                     .arg(report.llmOutputTokens)
                     .arg(report.llmCost.toString());
    }
    if (!report.classificationNote.isEmpty() && report.outcome != RunOutcome::NeedsConfirmation)
        parts << report.classificationNote;
    if (report.sandboxCost > Money())
        parts << QStringLiteral("%1 sandbox time %2").arg(report.sandbox, report.sandboxCost.toString());
    return parts.join(QStringLiteral("; "));
}

// Lines for stderr naming the files sent to E2B, or skipped for want of
// --upload-data, and whether the sandbox could reach the internet.
QString uploadSummary(const RunReport &report)
{
    QString text;
    for (const QString &path : report.uploadedFiles)
        text += QStringLiteral("safecell: uploaded to E2B: %1\n").arg(path);
    for (const QString &path : report.skippedUploads)
        text += QStringLiteral("safecell: skipped (not uploaded to E2B): %1; pass --upload-data to send it\n")
                    .arg(path);
    if (report.internetAllowed)
        text += QStringLiteral("safecell: the E2B sandbox could reach the internet (--allow-internet)\n");
    return text;
}

} // namespace

int runCommand(const QStringList &arguments)
{
    // The options are the table's (CommandSpec.cpp).
    const QString languageOption = QStringLiteral("language");
    const QString timeoutOption = QStringLiteral("timeout-ms");
    const QString jsonOption = QStringLiteral("json");
    const QString allowAmbiguousOption = QStringLiteral("allow-ambiguous");
    const QString allowInternetOption = QStringLiteral("allow-internet");
    const QString uploadDataOption = QStringLiteral("upload-data");
    const QString saveFiguresOption = QStringLiteral("save-figures");
    const QString reportOption = QStringLiteral("report");
    const QString dataOption = QStringLiteral("data");
    QCommandLineParser parser;
    if (const auto done = parseArguments(parser, arguments, u"run"))
        return *done;
    const QString path = parser.positionalArguments().constFirst();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        writeErr(QStringLiteral("%1: cannot read: %2\n").arg(path, file.errorString()));
        return kExitInvalid;
    }
    const QString code = QString::fromUtf8(file.readAll());
    const bool json = parser.isSet(jsonOption);
    QString figureFolder;
    if (parser.isSet(saveFiguresOption)) {
        const auto folder = prepareFigureFolder(parser.value(saveFiguresOption));
        if (!folder) {
            writeErr(folder.error() + QLatin1Char('\n'));
            return kExitInvalid;
        }
        figureFolder = *folder;
    }
    QString reportPath;
    if (parser.isSet(reportOption)) {
        const auto report = prepareReportFile(parser.value(reportOption));
        if (!report) {
            writeErr(report.error() + QLatin1Char('\n'));
            return kExitInvalid;
        }
        reportPath = *report;
    }

    Settings settings;
    SharedData shared;
    for (const QString &dataPath : parser.values(dataOption)) {
        const auto added = shared.add(dataPath, SandboxLimits::fromSettings(settings).dataFolder);
        if (!added) {
            writeErr(QStringLiteral("safecell: %1\n").arg(added.error()));
            return kExitInvalid;
        }
        if (!json)
            writeErr(QStringLiteral("safecell: shared %1 at %2\n").arg(dataPath, added->sandboxPath()));
    }
    RequestLimits requestLimits{settings.integer(Setting::RequestTimeLimitCapMs)};
    const auto request = makeRunRequest(code,
                                        std::optional(parser.isSet(languageOption)
                                                          ? parser.value(languageOption)
                                                          : languageName(languageForFile(path))),
                                        parser.isSet(timeoutOption) ? std::optional(parser.value(timeoutOption))
                                                                    : std::nullopt,
                                        requestLimits);
    if (!request) {
        if (json) {
            QJsonObject body{{QStringLiteral("error"), request.error().toString()}};
            QTextStream(stdout) << QJsonDocument(body).toJson(QJsonDocument::Compact) << '\n';
        }
        for (const FieldError &error : request.error().fields)
            writeErr(QStringLiteral("%1: %2\n").arg(path, error.toString()));
        return kExitInvalid;
    }

    RunRequest runRequest = *request;
    runRequest.confirmed = parser.isSet(allowAmbiguousOption);
    runRequest.uploadData = parser.isSet(uploadDataOption);
    runRequest.allowInternet = parser.isSet(allowInternetOption);
    // The runner starts once the E2B key is known: with a key the code runs
    // on E2B (a paid step, budget-checked), without one in the local sandbox.
    std::unique_ptr<RunThread> runner;
    KeyStore keys;
    int exitCode = 0;
    QTextStream out(stdout);
    auto connectOutput = [&](RunWorker *worker) {
        if (!json) {
            QObject::connect(worker, &RunWorker::stdoutReceived, qApp, [&out](const QString &text) {
                out << text;
                out.flush();
            });
            QObject::connect(worker, &RunWorker::stderrReceived, qApp, [](const QString &text) { writeErr(text); });
        }
        // Why the E2B sandbox was closed (the budget cannot keep it warm).
        QObject::connect(worker, &RunWorker::sessionEnded, qApp,
                         [](const QString &message) { writeErr(QStringLiteral("safecell: %1\n").arg(message)); });
        QObject::connect(worker, &RunWorker::finished, qApp, [&](const RunReport &report) {
            exitCode = exitCodeFor(report.outcome);
            for (const Finding &finding : report.findings)
                writeErr(formatFinding(path, finding) + QLatin1Char('\n'));
            if (json) {
                out << QJsonDocument(api::responseBody(report)).toJson(QJsonDocument::Compact) << '\n';
            } else {
                // The value of the last expression, or the last SQL result set, as text.
                if (report.result.result && !report.result.result->isEmpty())
                    out << *report.result.result << '\n';
                // Sandboxes report a raised error apart from stderr (E2B's `error`).
                if (report.outcome == RunOutcome::Failed && report.error)
                    writeErr(report.error->traceback.isEmpty() ? *report.result.error + QLatin1Char('\n')
                                                               : report.error->traceback + QLatin1Char('\n'));
                if ((report.outcome != RunOutcome::Ok || report.budgetBreach) && !report.message.isEmpty())
                    writeErr(QStringLiteral("safecell: %1\n").arg(report.message));
                if (const QString summary = paidStepsSummary(report); !summary.isEmpty())
                    writeErr(QStringLiteral("safecell: %1\n").arg(summary));
            }
            // What left the machine, or would have: said even with --json.
            writeErr(uploadSummary(report));
            if (!figureFolder.isEmpty()) {
                const auto saved = saveFigures(report.richResults, figureFolder, QFileInfo(path).completeBaseName());
                if (saved) {
                    for (const QString &figure : *saved)
                        writeErr(QStringLiteral("safecell: saved figure %1\n").arg(figure));
                } else {
                    writeErr(QStringLiteral("safecell: %1\n").arg(saved.error()));
                    if (exitCode == 0) // a failed run keeps its own code
                        exitCode = kExitUnavailable;
                }
            }
            if (!reportPath.isEmpty()) {
                const auto written = writeReport(reportPath, runReportHtml({code, runRequest.language,
                                                                            QDateTime::currentDateTime(), report}));
                if (written) {
                    writeErr(QStringLiteral("safecell: wrote the report %1\n").arg(*written));
                } else {
                    writeErr(QStringLiteral("safecell: %1\n").arg(written.error()));
                    if (exitCode == 0)
                        exitCode = kExitUnavailable;
                }
            }
            out.flush();
            QCoreApplication::exit(exitCode);
        });
    };

    // Both keys are read here, before the run's thread exists: nothing on
    // that thread ever talks to the keychain.
    lookupRunKeys(keys, qApp, [&](const RunKeys &runKeys) {
        if (const auto problem = runKeys.keychainProblem())
            writeErr(QStringLiteral("safecell: %1 Running without the stored keys: the local sandbox, and no LLM "
                                    "second opinion.\n")
                         .arg(problem->message));
        RunWorkerConfig config = RunWorkerConfig::fromSettings(settings, runKeys);
        config.shares = shared.paths();
        if (config.e2b && !shared.isEmpty())
            writeErr(QStringLiteral("safecell: --data applies to the local sandbox only; this run goes to E2B, "
                                    "where /data does not hold the shared paths.\n"));
        // This process is the session: what --allow-internet allows ends with it.
        if (config.e2b)
            config.e2b->allowInternet = runRequest.allowInternet;
        else if (runRequest.allowInternet || runRequest.uploadData)
            writeErr(QStringLiteral("safecell: --allow-internet and --upload-data apply to E2B only; this run is "
                                    "local (no network, nothing uploaded).\n"));
        runner = std::make_unique<RunThread>(config);
        connectOutput(runner->worker());
        // Ctrl+C stops the run cleanly instead of leaving a sandbox behind.
        onTerminationSignal(runner.get(), [&runner] { runner->cancel(); });
        runner->start(runRequest);
    });
    const int status = QCoreApplication::exec();
    runner.reset();
    return status;
}

} // namespace safecell::cli
