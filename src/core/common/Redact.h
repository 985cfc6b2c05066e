#pragma once

#include <QString>
#include <QStringList>

namespace safecell {

// Replaces every occurrence of a known secret with a fixed marker, so a key
// that found its way into an error message or a traceback never leaves the
// process. Secrets shorter than 8 characters are ignored: they would redact
// ordinary words and no real key is that short.
QString redactSecrets(QString text, const QStringList &secrets);

} // namespace safecell
