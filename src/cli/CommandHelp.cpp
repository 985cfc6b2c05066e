#include "CommandHelp.h"

#include <QCommandLineParser>

namespace safecell::cli {

namespace {

constexpr qsizetype kWidth = 80;

// `text` filled to kWidth columns, every line indented by `indent` spaces.
QString filled(const QString &text, qsizetype indent)
{
    const QString margin(indent, QLatin1Char(' '));
    QString out;
    QString line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && margin.size() + line.size() + 1 + word.size() > kWidth) {
            out += margin + line + QLatin1Char('\n');
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    if (!line.isEmpty())
        out += margin + line + QLatin1Char('\n');
    return out;
}

QString optionNames(const OptionSpec &option)
{
    const QString names = QStringLiteral("--") + option.name;
    return option.shortName.isEmpty() ? names : QStringLiteral("-%1, %2").arg(option.shortName, names);
}

QString optionUsage(const OptionSpec &option)
{
    return option.valueName.isEmpty() ? QStringLiteral("--") + option.name
                                      : QStringLiteral("--%1 %2").arg(option.name, option.valueName);
}

} // namespace

QString optionDescription(const OptionSpec &option)
{
    if (option.defaultValue.isEmpty())
        return option.description;
    QString sentence = option.description;
    if (sentence.endsWith(QLatin1Char('.')))
        sentence.chop(1);
    return QStringLiteral("%1 (default: %2).").arg(sentence, option.defaultValue);
}

QString commandSynopsis(const CommandSpec &command)
{
    QStringList parts{command.name};
    if (!command.argument.isEmpty())
        parts << command.argument;
    for (const OptionSpec &option : command.options)
        parts << QLatin1Char('[') + optionUsage(option) + QLatin1Char(']');
    return parts.join(QLatin1Char(' '));
}

QString programUsage()
{
    QString usage = QStringLiteral("Usage: safecell [FILE...]\n"
                                   "       safecell COMMAND [OPTIONS]\n"
                                   "       safecell --version | --help\n\n");
    usage += filled(QStringLiteral("Without a command, SafeCell opens its window; each FILE (.py or .sql) opens in a "
                                   "tab of its own. The window also takes Qt's options, such as -style NAME."),
                    0);
    usage += QStringLiteral("\nCommands:\n");
    for (const CommandSpec &command : commandSpecs()) {
        usage += QStringLiteral("  ") + commandSynopsis(command) + QLatin1Char('\n');
        usage += filled(command.summary, 8);
        if (!command.exitCodes.isEmpty())
            usage += filled(QStringLiteral("Exit codes: ") + command.exitCodes, 8);
    }
    usage += QStringLiteral("\nOptions:\n");
    for (const OptionSpec &option : programOptionSpecs())
        usage += QStringLiteral("  ") + optionNames(option).leftJustified(15) + optionDescription(option)
                 + QLatin1Char('\n');
    return usage;
}

void setUpParser(QCommandLineParser &parser, const CommandSpec &command)
{
    parser.setApplicationDescription(command.summary);
    if (!command.argument.isEmpty())
        parser.addPositionalArgument(command.argument, command.argumentHelp);
    for (const OptionSpec &option : command.options) {
        QStringList names{option.name};
        if (!option.shortName.isEmpty())
            names.prepend(option.shortName);
        QCommandLineOption parserOption(names, optionDescription(option), option.valueName, option.defaultValue);
        parser.addOption(parserOption);
    }
    const OptionSpec &help = helpOptionSpec();
    parser.addOption(QCommandLineOption({help.shortName, help.name}, help.description));
}

} // namespace safecell::cli
