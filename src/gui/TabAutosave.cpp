#include "TabAutosave.h"

#include "common/DataPaths.h"
#include "common/Logging.h"
#include "gui/EditorTabs.h"
#include "gui/SessionWriter.h"

#include <QDir>
#include <QLockFile>

namespace safecell {

namespace {
constexpr int kMaxSlots = 64;
}

TabAutosave::TabAutosave(EditorTabs &tabs, QString folder, QObject *parent)
    : QObject(parent)
    , m_tabs(tabs)
    , m_folder(folder.isEmpty() ? defaultFolder() : std::move(folder))
    , m_writer(new SessionWriter(this))
{
    // Not restarted by later changes: typing without a pause is saved too.
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &TabAutosave::saveNow);
    connect(&m_tabs, &EditorTabs::sessionChanged, this, &TabAutosave::saveSoon);
    connect(m_writer, &SessionWriter::written, this, [this](quint64, bool ok, const QString &error) {
        if (ok)
            Q_EMIT saved();
        else
            Q_EMIT saveFailed(error);
    });
}

TabAutosave::~TabAutosave() = default;

QString TabAutosave::defaultFolder()
{
    return QDir(appDataDir()).filePath(QStringLiteral("editor-tabs"));
}

std::optional<TabSession> TabAutosave::claim()
{
    if (m_lock)
        return std::nullopt;
    QDir().mkpath(m_folder);
    const QDir dir(m_folder);
    for (int slot = 1; slot <= kMaxSlots; ++slot) {
        auto lock = std::make_unique<QLockFile>(dir.filePath(QStringLiteral("tabs-%1.lock").arg(slot)));
        // Only a dead owner makes a lock stale, never its age: a window may stay open for weeks.
        lock->setStaleLockTime(0);
        if (!lock->tryLock(0))
            continue;
        m_lock = std::move(lock);
        m_path = dir.filePath(QStringLiteral("tabs-%1.json").arg(slot));
        return TabSession::load(m_path);
    }
    qCWarning(lcSettings) << "no free slot for the editor tabs in" << m_folder << "- they are not autosaved";
    return std::nullopt;
}

bool TabAutosave::hasSlot() const
{
    return m_lock != nullptr;
}

QString TabAutosave::path() const
{
    return m_path;
}

void TabAutosave::saveSoon()
{
    if (m_lock && !m_timer.isActive())
        m_timer.start();
}

void TabAutosave::saveNow()
{
    if (!m_lock)
        return;
    TabSession session = m_tabs.snapshot();
    session.savedAt = QDateTime::currentDateTimeUtc();
    m_writer->write(m_path, session.toJson());
}

bool TabAutosave::saveAndRelease()
{
    if (!m_lock)
        return true;
    m_timer.stop();
    TabSession session = m_tabs.snapshot();
    session.cleanExit = true;
    session.savedAt = QDateTime::currentDateTimeUtc();
    const bool ok = m_writer->writeAndWait(m_path, session.toJson());
    m_lock.reset(); // unlocks
    m_path.clear();
    return ok;
}

} // namespace safecell
