#include "OutputLimiter.h"

namespace safecell {

QString OutputLimiter::feed(const QByteArray &bytes)
{
    const qint64 before = m_seen;
    m_seen += bytes.size();
    if (m_truncated)
        return {};
    if (m_seen <= m_cap)
        return m_decoder.decode(bytes);
    m_truncated = true;
    const QString head = m_decoder.decode(bytes.left(m_cap - before));
    return head + QStringLiteral("\n[output truncated after %1 bytes]\n").arg(m_cap);
}

} // namespace safecell
