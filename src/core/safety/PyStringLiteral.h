#pragma once

#include "safety/PyToken.h"

#include <QStringView>

namespace safecell::safety {

// The literal text between a String token's quotes (prefix and quotes removed,
// escapes kept as written); empty for other tokens.
QStringView pyStringBody(QStringView source, const PyToken &token);
bool pyStringIsBytes(QStringView source, const PyToken &token);

} // namespace safecell::safety
