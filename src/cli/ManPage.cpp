#include "ManPage.h"

#include "CommandHelp.h"
#include "CommandSpec.h"

#include <QRegularExpression>

namespace safecell::cli {

namespace {

// Roff's hyphen is not the ASCII minus an option needs: options are written
// with `\-` so that they can be copied from the rendered page.
QString dashes(QString text)
{
    return text.replace(QLatin1Char('-'), QStringLiteral("\\-"));
}

// Prose for a text line: backslashes escaped, the dashes of the options it
// names (`--json`, `-h`) made minus signs, and a leading `.` or `'` (a
// request to roff) made text.
QString prose(QString text)
{
    text.replace(QLatin1Char('\\'), QStringLiteral("\\e"));
    static const QRegularExpression option(QStringLiteral("(^|[\\s\\[(\"])(--?[A-Za-z][A-Za-z0-9-]*)"));
    QString out;
    qsizetype from = 0;
    for (const QRegularExpressionMatch &match : option.globalMatch(text)) {
        out += QStringView(text).mid(from, match.capturedStart(2) - from);
        out += dashes(match.captured(2));
        from = match.capturedEnd(2);
    }
    out += QStringView(text).mid(from);
    if (out.startsWith(QLatin1Char('.')) || out.startsWith(QLatin1Char('\'')))
        out.prepend(QStringLiteral("\\&"));
    return out;
}

// `.RB [ \-\-json ]` or `.RB [ \-\-port` `.IR PORT ]`: one option of a synopsis.
QString synopsisOption(const OptionSpec &option)
{
    const QString name = dashes(QStringLiteral("--") + option.name);
    if (option.valueName.isEmpty())
        return QStringLiteral(".RB [ %1 ]\n").arg(name);
    return QStringLiteral(".RB [ %1\n.IR %2 ]\n").arg(name, option.valueName);
}

QString synopsisOf(const CommandSpec &command)
{
    QString roff = QStringLiteral(".B safecell %1\n").arg(command.name);
    if (!command.argument.isEmpty())
        roff += QStringLiteral(".I %1\n").arg(command.argument);
    for (const OptionSpec &option : command.options)
        roff += synopsisOption(option);
    return roff;
}

// A tagged paragraph: `-h, --help` or `--port PORT`, then what it does.
QString optionItem(const OptionSpec &option)
{
    const QString name = dashes(QStringLiteral("--") + option.name);
    QString tag;
    if (!option.shortName.isEmpty())
        tag = QStringLiteral(".BR %1 \", \" %2\n").arg(dashes(QStringLiteral("-") + option.shortName), name);
    else if (option.valueName.isEmpty())
        tag = QStringLiteral(".B %1\n").arg(name);
    else
        tag = QStringLiteral(".BI %1 \" %2\"\n").arg(name, option.valueName);
    return QStringLiteral(".TP\n") + tag + prose(optionDescription(option)) + QLatin1Char('\n');
}

} // namespace

QString manSynopsis()
{
    QString roff = QStringLiteral(".B safecell\n.RI [ FILE ...]\n.br\n");
    for (const CommandSpec &command : commandSpecs())
        roff += synopsisOf(command) + QStringLiteral(".br\n");
    roff += QStringLiteral(".B safecell\n");
    QStringList names;
    for (const OptionSpec &option : programOptionSpecs())
        names << dashes(QStringLiteral("--") + option.name);
    return roff + QStringLiteral(".BR ") + names.join(QStringLiteral(" \" | \" ")) + QLatin1Char('\n');
}

QString manCommands()
{
    QString roff;
    for (const CommandSpec &command : commandSpecs()) {
        roff += QStringLiteral(".SS %1\n").arg(command.name);
        roff += synopsisOf(command);
        roff += QStringLiteral(".PP\n") + prose(command.summary) + QLatin1Char('\n');
        if (!command.argument.isEmpty())
            roff += QStringLiteral(".TP\n.I %1\n").arg(command.argument) + prose(command.argumentHelp)
                    + QLatin1Char('\n');
        for (const OptionSpec &option : command.options)
            roff += optionItem(option);
        roff += optionItem(helpOptionSpec());
        if (!command.exitCodes.isEmpty())
            roff += QStringLiteral(".PP\n") + prose(QStringLiteral("Exit status: ") + command.exitCodes)
                    + QLatin1Char('\n');
    }
    return roff;
}

QString manOptions()
{
    QString roff;
    for (const OptionSpec &option : programOptionSpecs())
        roff += optionItem(option);
    return roff;
}

Expected<QString, QString> fillManPage(const QString &manTemplate)
{
    const QList<std::pair<QString, QString>> parts{
        {QStringLiteral("synopsis"), manSynopsis()},
        {QStringLiteral("commands"), manCommands()},
        {QStringLiteral("options"), manOptions()},
    };
    QString page = manTemplate;
    for (const auto &[name, roff] : parts) {
        const QString marker = QStringLiteral(".\\\" safecell_manpage: %1\n").arg(name);
        if (page.count(marker) != 1)
            return unexpected(QStringLiteral("the template needs the line '%1' once").arg(marker.trimmed()));
        page.replace(marker, roff);
    }
    return page;
}

} // namespace safecell::cli
