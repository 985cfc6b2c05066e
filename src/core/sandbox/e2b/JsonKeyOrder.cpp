#include "JsonKeyOrder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace safecell {

namespace {

// A minimal scanner over valid JSON text (QJsonDocument has already
// accepted it): it only needs to skip values and read keys.
class Scanner {
public:
    explicit Scanner(const QByteArray &text)
        : m_text(text)
    {
    }

    void skipSpace()
    {
        while (m_pos < m_text.size()
               && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }
    bool take(char c)
    {
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    bool peek(char c)
    {
        skipSpace();
        return m_pos < m_text.size() && m_text[m_pos] == c;
    }
    bool string(QString *out)
    {
        skipSpace();
        if (m_pos >= m_text.size() || m_text[m_pos] != '"')
            return false;
        const qsizetype start = m_pos++;
        while (m_pos < m_text.size() && m_text[m_pos] != '"')
            m_pos += m_text[m_pos] == '\\' ? 2 : 1;
        if (m_pos >= m_text.size())
            return false;
        ++m_pos;
        if (out) {
            const QByteArray token = "[" + m_text.mid(start, m_pos - start) + "]";
            *out = QJsonDocument::fromJson(token).array().at(0).toString();
        }
        return true;
    }
    bool skipValue()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            return false;
        const char c = m_text[m_pos];
        if (c == '"')
            return string(nullptr);
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++m_pos;
            if (take(close))
                return true;
            do {
                if (c == '{' && (!string(nullptr) || !take(':')))
                    return false;
                if (!skipValue())
                    return false;
            } while (take(','));
            return take(close);
        }
        while (m_pos < m_text.size() && !QByteArrayView(",}] \t\r\n").contains(m_text[m_pos]))
            ++m_pos;
        return true;
    }

private:
    const QByteArray &m_text;
    qsizetype m_pos = 0;
};

} // namespace

QStringList jsonKeyOrder(const QByteArray &json, const QString &field)
{
    Scanner scanner(json);
    if (!scanner.take('{') || scanner.peek('}'))
        return {};
    do {
        QString key;
        if (!scanner.string(&key) || !scanner.take(':'))
            return {};
        if (key == field && scanner.take('{')) {
            QStringList keys;
            if (scanner.peek('}'))
                return keys;
            do {
                QString inner;
                if (!scanner.string(&inner) || !scanner.take(':') || !scanner.skipValue())
                    return {};
                keys.append(inner);
            } while (scanner.take(','));
            return keys;
        }
        if (!scanner.skipValue())
            return {};
    } while (scanner.take(','));
    return {};
}

} // namespace safecell
