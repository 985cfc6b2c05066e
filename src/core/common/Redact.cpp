#include "Redact.h"

namespace safecell {

QString redactSecrets(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets) {
        if (secret.size() >= 8)
            text.replace(secret, QStringLiteral("[redacted]"));
    }
    return text;
}

} // namespace safecell
