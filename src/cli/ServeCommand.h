#pragma once

#include <QStringList>

namespace safecell::cli {

// `safecell serve [--port N] [--address A] [--max-runs N] [--warm N] [--max-sessions N]
// [--session-idle-s S]`: the local HTTP API.
int serveCommand(const QStringList &arguments);

// `safecell token`: prints the API's bearer token, creating it on first use.
int tokenCommand(const QStringList &arguments);

} // namespace safecell::cli
