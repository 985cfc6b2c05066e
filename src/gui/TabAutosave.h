#pragma once

#include "gui/TabSession.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

class QLockFile;

namespace safecell {

class EditorTabs;
class SessionWriter;

// Keeps the editor tabs on disk while the window is open: at most
// kDelayMs after a change (typing, a new or closed tab, a language or a
// file), the tabs are written atomically into the data folder, so a crash
// or a kill loses at most the last keystrokes.
//
// Each open window owns a slot (editor-tabs/tabs-N.json, held by
// tabs-N.lock): two windows never write over each other, and a slot whose
// lock was left by a dead process is free again, with its session.
class TabAutosave : public QObject {
    Q_OBJECT
public:
    static constexpr int kDelayMs = 500;

    // folder empty: defaultFolder().
    explicit TabAutosave(EditorTabs &tabs, QString folder = {}, QObject *parent = nullptr);
    ~TabAutosave() override;

    // <data folder>/editor-tabs
    static QString defaultFolder();

    // Takes the first free slot. Returns what its file held (nullopt:
    // nothing, or no slot could be had: then nothing is autosaved).
    std::optional<TabSession> claim();
    bool hasSlot() const;
    // The slot's session file; empty without a slot.
    QString path() const;

    // The window closes: the tabs are written now with cleanExit set, and
    // the slot is free for the next window.
    bool saveAndRelease();
    bool isSavePending() const { return m_timer.isActive(); }

Q_SIGNALS:
    // One autosave reached the disk.
    void saved();
    void saveFailed(const QString &reason);

private:
    void saveSoon();
    void saveNow();

    EditorTabs &m_tabs;
    QString m_folder;
    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
    SessionWriter *m_writer;
    QTimer m_timer;
};

} // namespace safecell
