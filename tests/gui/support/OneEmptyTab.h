#pragma once

#include "gui/TabAutosave.h"
#include "gui/TabSession.h"

#include <QDir>

// GUI tests start from one empty Python tab, not from what an earlier test
// left in the data folder's autosave, nor from a first start's welcome tabs.
inline bool startWithOneEmptyTab()
{
    const QString folder = safecell::TabAutosave::defaultFolder();
    QDir(folder).removeRecursively();
    QDir().mkpath(folder);
    safecell::TabSession session;
    session.tabs = {safecell::TabState{}};
    session.cleanExit = true;
    return session.save(QDir(folder).filePath(QStringLiteral("tabs-1.json")));
}
