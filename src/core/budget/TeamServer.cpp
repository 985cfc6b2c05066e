#include "TeamServer.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace safecell {

namespace {

const QStringList &tlsModes()
{
    static const QStringList modes{QStringLiteral("disable"),   QStringLiteral("allow"),
                                   QStringLiteral("prefer"),    QStringLiteral("require"),
                                   QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    return modes;
}

} // namespace

bool TeamServer::isValidTlsMode(const QString &mode)
{
    return tlsModes().contains(mode);
}

QString TeamServer::defaultTlsMode(const QString &host)
{
    TeamServer probe;
    probe.host = host;
    return probe.isLocal() ? QStringLiteral("prefer") : QStringLiteral("verify-full");
}

bool TeamServer::isLocal() const
{
    if (host.isEmpty() || host.startsWith(QLatin1Char('/')) || host == QLatin1String("localhost"))
        return true;
    // Loopback addresses; the budget part does not link QtNetwork for this.
    static const QRegularExpression ipv4Loopback(QStringLiteral(R"(^127(\.\d{1,3}){3}$)"));
    return host == QLatin1String("::1") || host == QLatin1String("[::1]") || ipv4Loopback.match(host).hasMatch();
}

Expected<TeamServer, QString> TeamServer::fromUrl(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid())
        // Not QUrl's errorString(): it quotes the part it choked on, which may be the password.
        return unexpected(QStringLiteral("the team server URL is not a valid URL (a password with %, @, / or : "
                                         "in it must be percent-encoded)"));
    if (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres"))
        return unexpected(
            QStringLiteral("the team server URL must start with postgresql://, not %1://").arg(url.scheme()));
    TeamServer server;
    server.host = url.host();
    server.user = url.userName();
    server.password = url.password();
    server.database = url.path().mid(1);
    if (server.database.contains(QLatin1Char('/')))
        return unexpected(QStringLiteral("the team server URL names one database: /%1").arg(server.database));
    const int port = url.port(5432);
    if (port < 1 || port > 65535)
        return unexpected(QStringLiteral("the team server's port must be 1 to 65535"));
    server.port = port;

    const QUrlQuery query(url);
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (name == QLatin1String("host")) {
            server.host = value;
        } else if (name == QLatin1String("port")) {
            bool ok = false;
            server.port = value.toInt(&ok);
            if (!ok || server.port < 1 || server.port > 65535)
                return unexpected(QStringLiteral("the team server's port must be 1 to 65535, not %1").arg(value));
        } else if (name == QLatin1String("sslmode")) {
            if (!isValidTlsMode(value))
                return unexpected(QStringLiteral("sslmode must be one of %1, not %2")
                                      .arg(tlsModes().join(QStringLiteral(", ")), value));
            server.tlsMode = value;
        } else if (name == QLatin1String("user")) {
            server.user = value;
        } else if (name == QLatin1String("dbname")) {
            server.database = value;
        } else {
            return unexpected(QStringLiteral("the team server URL has an unknown setting: %1").arg(name));
        }
    }
    if (server.database.isEmpty())
        return unexpected(QStringLiteral("the team server URL names no database (postgresql://host/DATABASE)"));
    if (server.tlsMode.isEmpty())
        server.tlsMode = defaultTlsMode(server.host);
    return server;
}

QString TeamServer::describe() const
{
    const QString where = host.isEmpty()                      ? QStringLiteral("the local socket")
                          : host.startsWith(QLatin1Char('/')) ? QStringLiteral("socket %1").arg(host)
                                                              : QStringLiteral("%1:%2").arg(host).arg(port);
    const QString who = user.isEmpty() ? QString() : user + QLatin1Char('@');
    return QStringLiteral("%1%2/%3, TLS %4").arg(who, where, database, tlsMode);
}

} // namespace safecell
