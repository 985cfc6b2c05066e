#include "TabSession.h"

#include "common/Logging.h"
#include "settings/Settings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace safecell {

QString TabSession::pathFor(const Settings &settings)
{
    return QFileInfo(settings.filePath()).absoluteDir().filePath(QStringLiteral("editor-tabs.json"));
}

std::optional<TabSession> TabSession::load(const Settings &settings)
{
    QFile file(pathFor(settings));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    TabSession session;
    for (const QJsonValue &value : root.value(QStringLiteral("tabs")).toArray()) {
        const QJsonObject tab = value.toObject();
        TabState state;
        state.code = tab.value(QStringLiteral("code")).toString();
        state.language = languageFromName(tab.value(QStringLiteral("language")).toString()).value_or(Language::Python);
        state.path = tab.value(QStringLiteral("path")).toString();
        session.tabs.append(state);
    }
    if (session.tabs.isEmpty())
        return std::nullopt;
    session.current = std::clamp(root.value(QStringLiteral("current")).toInt(), 0, int(session.tabs.size()) - 1);
    return session;
}

bool TabSession::save(const Settings &settings) const
{
    QJsonArray list;
    for (const TabState &tab : tabs) {
        list.append(QJsonObject{{QStringLiteral("code"), tab.code},
                                {QStringLiteral("language"), languageName(tab.language)},
                                {QStringLiteral("path"), tab.path}});
    }
    const QJsonObject root{{QStringLiteral("version"), 1}, {QStringLiteral("current"), current},
                           {QStringLiteral("tabs"), list}};
    QSaveFile file(pathFor(settings));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0 || !file.commit()) {
        qCWarning(lcSettings) << "the editor tabs could not be saved:" << file.errorString();
        return false;
    }
    return true;
}

} // namespace safecell
