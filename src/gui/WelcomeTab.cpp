#include "WelcomeTab.h"

#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/SnippetFile.h"

#include <QCoreApplication>
#include <QFile>

namespace safecell {

namespace {

QString resourceText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

QList<WelcomeSample> welcomeSamples()
{
    return {
        {QCoreApplication::translate("safecell::WelcomeTab", "Welcome"), Language::Python,
         resourceText(QStringLiteral(":/samples/welcome.py"))},
        {QCoreApplication::translate("safecell::WelcomeTab", "Example query"), Language::Sql,
         resourceText(QStringLiteral(":/samples/example-query.sql"))},
    };
}

void openWelcomeTabs(EditorTabs &tabs)
{
    const int first = tabs.count();
    for (const WelcomeSample &sample : welcomeSamples()) {
        EditorTab *tab = tabs.addTab(sample.code, sample.language);
        tab->file()->setUntitledName(sample.title);
    }
    tabs.setCurrentIndex(first);
}

} // namespace safecell
