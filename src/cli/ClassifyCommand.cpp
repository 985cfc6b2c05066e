#include "ClassifyCommand.h"

#include "CommandLine.h"
#include "FindingFormat.h"

#include "pipeline/RunOutcome.h"
#include "request/Language.h"
#include "safety/Classifier.h"
#include "settings/Settings.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace safecell::cli {

int classifyCommand(const QStringList &arguments)
{
    // The options are the table's (CommandSpec.cpp).
    const QString languageOption = QStringLiteral("language");
    const QString jsonOption = QStringLiteral("json");
    QCommandLineParser parser;
    if (const auto done = parseArguments(parser, arguments, u"classify"))
        return *done;
    const QString path = parser.positionalArguments().constFirst();
    Language language = languageForFile(path);
    if (parser.isSet(languageOption)) {
        const auto chosen = languageFromName(parser.value(languageOption));
        if (!chosen) {
            writeErr(QStringLiteral("%1: language: must be \"python\" or \"sql\"\n").arg(path));
            return kExitInvalid;
        }
        language = *chosen;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        writeErr(QStringLiteral("%1: cannot read: %2\n").arg(path, file.errorString()));
        return kExitInvalid;
    }
    const QString code = QString::fromUtf8(file.readAll());

    Settings settings;
    safety::PolicyError policyError;
    const QString policyFile = settings.string(Setting::SafetyPolicyFile);
    const auto policy = safety::loadPolicy(policyFile, &policyError);
    if (!policyError.reason.isEmpty())
        writeErr(QStringLiteral("%1:%2: policy rejected: %3 (the built-in policy is used)\n")
                     .arg(policyFile)
                     .arg(policyError.line)
                     .arg(policyError.reason));
    const Verdict verdict = safety::Classifier(policy).classify(code, language);

    QTextStream out(stdout);
    if (parser.isSet(jsonOption)) {
        out << QJsonDocument(verdict.toJson()).toJson(QJsonDocument::Compact) << '\n';
    } else {
        for (const Finding &finding : verdict.findings)
            out << formatFinding(path, finding) << '\n';
        out << safetyLabelName(verdict.label) << " (confidence " << QString::number(verdict.confidence, 'f', 2)
            << ")\n";
    }
    switch (verdict.label) {
    case SafetyLabel::Safe:
        return 0;
    case SafetyLabel::Ambiguous:
        return exitCodeFor(RunOutcome::NeedsConfirmation);
    case SafetyLabel::Dangerous:
        return exitCodeFor(RunOutcome::Blocked);
    }
    return 0;
}

} // namespace safecell::cli
