#include "CommandLine.h"

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

std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &arguments, qsizetype positionals,
                                  const QString &usage)
{
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        writeErr(parser.errorText() + QLatin1Char('\n') + usage + QLatin1Char('\n'));
        return kExitInvalid;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != positionals) {
        writeErr(usage + QLatin1Char('\n'));
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
