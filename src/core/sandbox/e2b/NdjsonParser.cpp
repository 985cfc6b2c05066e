#include "NdjsonParser.h"

#include "sandbox/DataPageProtocol.h"
#include "sandbox/KernelProtocol.h"
#include "sandbox/e2b/E2bDataView.h"
#include "sandbox/e2b/E2bResultMapping.h"
#include "sandbox/e2b/E2bVariables.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <utility>

namespace safecell {

namespace {
constexpr qsizetype kMalformedEcho = 200; // enough to recognise the line

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Reads the JSON string whose opening quote is just before `*at`, up to
// and past its closing quote. Only what the common case needs: printable
// ASCII, the short escapes and \uXXXX outside the surrogates; anything
// else returns false, and the caller asks the full JSON parser instead.
bool readPlainString(QByteArrayView line, qsizetype *at, QString *out)
{
    QString text(line.size() - *at, Qt::Uninitialized);
    QChar *to = text.data();
    for (qsizetype i = *at; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"') {
            text.truncate(to - text.constData());
            *out = std::move(text);
            *at = i + 1;
            return true;
        }
        if (c < 0x20 || c > 0x7e) // control bytes are invalid JSON; UTF-8 needs checking
            return false;
        if (c != '\\') {
            *to++ = QLatin1Char(c);
            continue;
        }
        if (++i >= line.size())
            return false;
        switch (line[i]) {
        case '"':
        case '\\':
        case '/':
            *to++ = QLatin1Char(line[i]);
            break;
        case 'b':
            *to++ = QLatin1Char('\b');
            break;
        case 'f':
            *to++ = QLatin1Char('\f');
            break;
        case 'n':
            *to++ = QLatin1Char('\n');
            break;
        case 'r':
            *to++ = QLatin1Char('\r');
            break;
        case 't':
            *to++ = QLatin1Char('\t');
            break;
        case 'u': {
            if (i + 4 >= line.size())
                return false;
            int unit = 0;
            for (int k = 1; k <= 4; ++k) {
                const int digit = hexDigit(line[i + k]);
                if (digit < 0)
                    return false;
                unit = unit * 16 + digit;
            }
            if (unit >= 0xd800 && unit <= 0xdfff)
                return false; // a pair (or a lone half): the full parser's rules apply
            *to++ = QChar(char16_t(unit));
            i += 4;
            break;
        }
        default:
            return false;
        }
    }
    return false;
}

// E2B's stdout/stderr line as Python's json.dumps writes it,
// {"type": "stdout", "text": "...", "timestamp": "..."}, read without
// building a JSON document: a big output is thousands of them. Any other
// shape returns false and goes through QJsonDocument.
bool readStreamLine(QByteArrayView line, NdjsonEvent::Kind *kind, QString *text)
{
    static constexpr QByteArrayView stdoutHead = "{\"type\": \"stdout\", \"text\": \"";
    static constexpr QByteArrayView stderrHead = "{\"type\": \"stderr\", \"text\": \"";
    static constexpr QByteArrayView middle = ", \"timestamp\": \"";
    if (line.startsWith(stdoutHead))
        *kind = NdjsonEvent::Kind::Stdout;
    else if (line.startsWith(stderrHead))
        *kind = NdjsonEvent::Kind::Stderr;
    else
        return false;
    qsizetype at = stdoutHead.size();
    if (!readPlainString(line, &at, text) || !line.sliced(at).startsWith(middle))
        return false;
    at += middle.size();
    QString timestamp;
    return readPlainString(line, &at, &timestamp) && line.sliced(at) == QByteArrayView("}");
}

// A stdout or stderr chunk: joined to the previous event when that is a
// chunk of the same stream (NdjsonParser::feed).
void appendChunk(NdjsonEvent::Kind kind, const QString &text, QList<NdjsonEvent> *out)
{
    if (!out->isEmpty() && out->last().kind == kind) {
        out->last().text += text;
        return;
    }
    NdjsonEvent event;
    event.kind = kind;
    event.text = text;
    out->append(std::move(event));
}
} // namespace

QList<NdjsonEvent> NdjsonParser::feed(const QByteArray &bytes)
{
    QList<NdjsonEvent> events;
    if (m_ended)
        return events;
    // Lines are parsed where they lie; only a partial last line is kept.
    QByteArray data = bytes;
    if (!m_buffer.isEmpty())
        data = std::exchange(m_buffer, QByteArray()).append(bytes);
    const QByteArrayView view(data);
    qsizetype start = 0;
    while (!m_ended) {
        const qsizetype newline = view.indexOf('\n', start);
        if (newline < 0)
            break;
        parseLine(view.sliced(start, newline - start), &events);
        start = newline + 1;
    }
    if (!m_ended && start < data.size())
        m_buffer = data.sliced(start);
    return events;
}

QList<NdjsonEvent> NdjsonParser::finish()
{
    QList<NdjsonEvent> events;
    if (!m_ended && !m_buffer.isEmpty())
        parseLine(m_buffer, &events);
    m_buffer.clear();
    m_ended = true;
    return events;
}

void NdjsonParser::parseLine(QByteArrayView view, QList<NdjsonEvent> *out)
{
    if (view.endsWith('\r'))
        view.chop(1);
    if (view.trimmed().isEmpty())
        return; // E2B never sends one; tolerate it rather than fail the run
    NdjsonEvent::Kind chunkKind = NdjsonEvent::Kind::Stdout;
    if (QString chunk; readStreamLine(view, &chunkKind, &chunk)) {
        appendChunk(chunkKind, chunk, out);
        return;
    }
    // Not copied: the line's bytes outlive this call, and nothing keeps them.
    const QByteArray line = QByteArray::fromRawData(view.data(), view.size());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    const QJsonObject message = document.object();
    const QString type = message.value(QLatin1String("type")).toString();
    if (parseError.error != QJsonParseError::NoError || !document.isObject() || type.isEmpty()) {
        ++m_malformed;
        NdjsonEvent event;
        event.kind = NdjsonEvent::Kind::Malformed;
        event.text = QString::fromUtf8(line.left(kMalformedEcho));
        out->append(event);
        return;
    }

    if (type == QLatin1String("stdout") || type == QLatin1String("stderr")) {
        appendChunk(type == QLatin1String("stdout") ? NdjsonEvent::Kind::Stdout : NdjsonEvent::Kind::Stderr,
                    message.value(QLatin1String("text")).toString(), out);
        return;
    }
    NdjsonEvent event;
    const QJsonObject json = message.value(QLatin1String("json")).toObject();
    if (type == QLatin1String("result") && json.value(QLatin1String(kSafecellVariablesKey)).isObject()) {
        event.kind = NdjsonEvent::Kind::Variables;
        event.variables = kernel::parseVariables(json.value(QLatin1String(kSafecellVariablesKey)).toObject());
    } else if (type == QLatin1String("result") && json.value(QLatin1String(kSafecellDataPageKey)).isObject()) {
        event.kind = NdjsonEvent::Kind::DataPage;
        event.dataPage = kernel::parseDataPage(json.value(QLatin1String(kSafecellDataPageKey)).toObject());
    } else if (type == QLatin1String("result") && json.value(QLatin1String(kSafecellWorkFilesKey)).isObject()) {
        event.kind = NdjsonEvent::Kind::WorkFiles;
        event.workFiles = parseRemoteWorkFiles(json.value(QLatin1String(kSafecellWorkFilesKey)).toObject());
    } else if (type == QLatin1String("result")) {
        event.kind = NdjsonEvent::Kind::Result;
        event.result = richResultFromE2b(message, line);
    } else if (type == QLatin1String("error")) {
        event.kind = NdjsonEvent::Kind::Error;
        event.error = executionErrorFromE2b(message);
    } else if (type == QLatin1String("number_of_executions")) {
        event.kind = NdjsonEvent::Kind::ExecutionCount;
        event.executionCount = message.value(QLatin1String("execution_count")).toInt();
    } else if (type == QLatin1String("end_of_execution")) {
        event.kind = NdjsonEvent::Kind::End;
        m_ended = true;
    } else {
        return; // keepalive, and any type E2B adds later
    }
    out->append(event);
}

} // namespace safecell
