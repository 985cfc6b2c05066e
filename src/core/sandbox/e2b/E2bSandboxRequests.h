#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace safecell {

// What E2bSandbox's requests into a sandbox share (protocols.md 1.1); the
// requests themselves are built by E2bSandbox::sandboxRequest().
constexpr int kJupyterPort = 49999; // the code interpreter
constexpr int kEnvdPort = 49983;    // envd: files

// A request body as E2B reads it: one line of JSON.
QByteArray compactJson(const QJsonObject &object);

} // namespace safecell
