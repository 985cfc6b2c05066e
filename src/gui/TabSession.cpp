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

QString TabSession::legacyPathFor(const Settings &settings)
{
    return QFileInfo(settings.filePath()).absoluteDir().filePath(QStringLiteral("editor-tabs.json"));
}

QByteArray TabSession::toJson() const
{
    QJsonArray list;
    for (const TabState &tab : tabs) {
        list.append(QJsonObject{{QStringLiteral("code"), tab.code},
                                {QStringLiteral("language"), languageName(tab.language)},
                                {QStringLiteral("path"), tab.path},
                                {QStringLiteral("title"), tab.title}});
    }
    const QJsonObject root{{QStringLiteral("version"), 2},
                           {QStringLiteral("current"), current},
                           {QStringLiteral("cleanExit"), cleanExit},
                           {QStringLiteral("savedAt"), savedAt.toString(Qt::ISODateWithMs)},
                           {QStringLiteral("tabs"), list}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

std::optional<TabSession> TabSession::fromJson(const QByteArray &json)
{
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    TabSession session;
    for (const QJsonValue &value : root.value(QStringLiteral("tabs")).toArray()) {
        const QJsonObject tab = value.toObject();
        TabState state;
        state.code = tab.value(QStringLiteral("code")).toString();
        state.language = languageFromName(tab.value(QStringLiteral("language")).toString()).value_or(Language::Python);
        state.path = tab.value(QStringLiteral("path")).toString();
        state.title = tab.value(QStringLiteral("title")).toString();
        session.tabs.append(state);
    }
    if (session.tabs.isEmpty())
        return std::nullopt;
    session.current = std::clamp(root.value(QStringLiteral("current")).toInt(), 0, int(session.tabs.size()) - 1);
    // Version 1 was written at a clean quit only.
    session.cleanExit = root.value(QStringLiteral("version")).toInt() < 2
                        || root.value(QStringLiteral("cleanExit")).toBool();
    session.savedAt = QDateTime::fromString(root.value(QStringLiteral("savedAt")).toString(), Qt::ISODateWithMs);
    return session;
}

std::optional<TabSession> TabSession::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return fromJson(file.readAll());
}

bool TabSession::save(const QString &path) const
{
    QSaveFile file(path);
    const QByteArray json = toJson();
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        qCWarning(lcSettings) << "the editor tabs could not be saved:" << file.errorString();
        return false;
    }
    return true;
}

} // namespace safecell
