#pragma once

#include "request/Language.h"

#include <QList>
#include <QString>

namespace safecell {

class EditorTabs;

// What a first start shows: short sample snippets in tabs of their own,
// each ready to run as it is (Ctrl+Enter): a pandas table and chart, and a
// SQL query on the bundled example database.
struct WelcomeSample {
    QString title;
    Language language = Language::Python;
    QString code;
};

QList<WelcomeSample> welcomeSamples();
// Opens every sample in a new tab; the first is made current.
void openWelcomeTabs(EditorTabs &tabs);

} // namespace safecell
