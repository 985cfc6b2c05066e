// safecell_manpage TEMPLATE OUTPUT: writes the man page, the template with
// its generated parts filled in from the table of commands (the build runs
// it; installer/linux/Linux.cmake).
#include "ManPage.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    QTextStream err(stderr);
    if (arguments.size() != 3) {
        err << "usage: safecell_manpage TEMPLATE OUTPUT\n";
        return 2;
    }
    QFile input(arguments.at(1));
    if (!input.open(QIODevice::ReadOnly)) {
        err << "safecell_manpage: " << arguments.at(1) << ": " << input.errorString() << '\n';
        return 1;
    }
    const auto page = safecell::cli::fillManPage(QString::fromUtf8(input.readAll()));
    if (!page) {
        err << "safecell_manpage: " << arguments.at(1) << ": " << page.error() << '\n';
        return 1;
    }
    QSaveFile output(arguments.at(2));
    if (!output.open(QIODevice::WriteOnly) || output.write(page->toUtf8()) < 0 || !output.commit()) {
        err << "safecell_manpage: " << arguments.at(2) << ": " << output.errorString() << '\n';
        return 1;
    }
    return 0;
}
