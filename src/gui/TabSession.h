#pragma once

#include "request/Language.h"

#include <QList>
#include <QString>

#include <optional>

namespace safecell {

class Settings;

// What the editor tabs held when the window closed: each tab's code,
// language and file. Kept as JSON in editor-tabs.json beside the settings
// file (written atomically), so a session's snippets never mix with another
// settings file's.
struct TabState {
    QString code;
    Language language = Language::Python;
    QString path; // empty: untitled
};

struct TabSession {
    QList<TabState> tabs;
    int current = 0;

    static QString pathFor(const Settings &settings);
    // nullopt when there is no session file (a first start, or an older version).
    static std::optional<TabSession> load(const Settings &settings);
    bool save(const Settings &settings) const;
};

} // namespace safecell
