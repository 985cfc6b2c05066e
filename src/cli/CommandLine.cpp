#include "CommandLine.h"

#include "CommandHelp.h"
#include "CommandSpec.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

namespace safecell::cli {

void writeErr(const QString &text)
{
    QTextStream err(stderr);
    err << text;
    err.flush();
}

QString commandUsage(QStringView command)
{
    const CommandSpec *spec = findCommandSpec(command);
    return spec ? QStringLiteral("usage: safecell ") + commandSynopsis(*spec)
                : QStringLiteral("usage: safecell --help");
}

std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &arguments, QStringView command)
{
    const CommandSpec *spec = findCommandSpec(command);
    if (!spec) {
        writeErr(QStringLiteral("safecell: %1 has no entry in the table of commands\n").arg(command));
        return kExitInvalid;
    }
    setUpParser(parser, *spec);
    const QString usage = commandUsage(command) + QLatin1Char('\n');
    if (!parser.parse(arguments)) {
        writeErr(QStringLiteral("safecell %1: %2\n").arg(command, parser.errorText()) + usage);
        return kExitInvalid;
    }
    if (parser.isSet(helpOptionSpec().name)) {
        // Qt's help starts "Usage: /path/to/safecell [options]": name the command instead.
        const QString help = parser.helpText();
        const qsizetype program = help.indexOf(QLatin1Char(' '), help.indexOf(QLatin1Char(' ')) + 1);
        QTextStream(stdout) << QStringLiteral("Usage: safecell ") << command
                            << (program < 0 ? QString(QLatin1Char('\n')) : help.mid(program));
        return 0;
    }
    // An argument written "[X]" may be left out.
    const qsizetype most = spec->argument.isEmpty() ? 0 : 1;
    const qsizetype least = spec->argument.startsWith(QLatin1Char('[')) ? 0 : most;
    const qsizetype given = parser.positionalArguments().size();
    if (given < least || given > most) {
        writeErr(usage);
        return kExitInvalid;
    }
    return std::nullopt;
}

Language languageForFile(const QString &path)
{
    return QFileInfo(path).suffix().compare(QLatin1String("sql"), Qt::CaseInsensitive) == 0 ? Language::Sql
                                                                                            : Language::Python;
}

} // namespace safecell::cli
