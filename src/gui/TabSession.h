#pragma once

#include "request/Language.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace safecell {

class Settings;

// What the editor tabs hold: each tab's code, language and file. Written
// continuously by TabAutosave into the data folder (atomically), and once
// more when the window closes, with `cleanExit` set: a session read back
// without it is what a crashed or killed process left.
struct TabState {
    QString code;
    Language language = Language::Python;
    QString path;       // empty: untitled
    QString title = {}; // an untitled tab's own name ("Welcome"); empty: numbered
};

struct TabSession {
    QList<TabState> tabs;
    int current = 0;
    bool cleanExit = false;
    QDateTime savedAt; // UTC; invalid in sessions of older versions

    QByteArray toJson() const;
    // nullopt for no tabs or not a session.
    static std::optional<TabSession> fromJson(const QByteArray &json);

    // nullopt when there is no (readable) session file.
    static std::optional<TabSession> load(const QString &path);
    // Atomic (QSaveFile); false with a warning logged when it failed.
    bool save(const QString &path) const;

    // Where versions before the autosave kept the tabs: editor-tabs.json
    // beside the settings file, written at a clean quit only.
    static QString legacyPathFor(const Settings &settings);
};

} // namespace safecell
