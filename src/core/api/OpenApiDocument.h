#pragma once

#include <QByteArray>

namespace safecell::api {

// docs/openapi.json, built into the binary, as `GET /api/openapi.json`
// serves it: the one description, checked against real answers by
// tst_openapi.
QByteArray openApiDocument();

} // namespace safecell::api
