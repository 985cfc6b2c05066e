#pragma once

#include "common/Expected.h"

#include <QString>

namespace safecell {

// Where a team's shared ledger lives: one PostgreSQL database, named by a
// libpq-style URL, `postgresql://user[:password]@host[:port]/database`
// with `?sslmode=` and `?host=/socket/folder` understood.
struct TeamServer {
    // A host name or address, or a Unix socket folder (starting with '/');
    // empty for libpq's default socket.
    QString host;
    int port = 5432;
    QString database;
    QString user;
    // Never logged or written to settings: the keychain or PGPASSWORD
    // (libpq's own environment variable) supply it.
    QString password;
    // libpq's sslmode. verify-full unless the server is on this machine
    // (a socket or a loopback address), where TLS protects nothing.
    QString tlsMode;

    // The error names the part of the URL that is wrong.
    static Expected<TeamServer, QString> fromUrl(const QString &url);
    static QString defaultTlsMode(const QString &host);
    static bool isValidTlsMode(const QString &mode);

    bool isLocal() const;
    // Every part, the password too: a connection made with another one is another login.
    bool operator==(const TeamServer &) const = default;
    // "alice@db.example.com:5432/safecell, TLS verify-full": for messages
    // and logs, so it never holds the password.
    QString describe() const;
};

} // namespace safecell
