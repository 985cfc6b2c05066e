// bench_cohere: CohereClient's time from request to parsed reply against
// fake_cohere_server (FakeCohere, no added latency), and SSE parsing
// throughput, beside the official cohere-ai SDK doing the same work in the
// same run (bench_sdk.js). Prints figures; asserts nothing about time.
//   bench_cohere [requests]   (default 300)
#include "cohere/ChatStreamReader.h"
#include "cohere/CohereClient.h"
#include "cohere/ScriptedResponse.h"
#include "cohere/SseParser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryFile>

#include <algorithm>
#include <cstdio>

using namespace safecell;

namespace {

struct Latency {
    double p50 = 0;
    double p99 = 0;
};

Latency percentiles(QList<double> ms)
{
    std::sort(ms.begin(), ms.end());
    auto at = [&ms](double p) {
        return ms.value(std::min<qsizetype>(ms.size() - 1, qsizetype(p * double(ms.size()))));
    };
    return {at(0.5), at(0.99)};
}

// Runs `n` calls one after another (after a warm-up) and times each from
// the request to the parsed reply. A bench may spin an event loop.
Latency timeCalls(CohereClient &client, int n, bool stream)
{
    ChatRequest request;
    request.model = QStringLiteral("command-r7b-12-2024");
    request.messages = {{ChatMessage::Role::User, QStringLiteral("print(1)")}};
    QList<double> ms;
    for (int i = 0; i < n + 20; ++i) {
        QEventLoop loop;
        QElapsedTimer clock;
        clock.start();
        ChatCall *call = stream ? client.chatStream(request, QStringLiteral("bench-key-0123456789"))
                                : client.chat(request, QStringLiteral("bench-key-0123456789"));
        bool ok = false;
        call->then(&loop, [&](const ChatResult &r) {
            ok = r.hasValue() && !r.value().text.isEmpty();
            loop.quit();
        });
        loop.exec();
        const double elapsed = double(clock.nsecsElapsed()) / 1e6;
        if (!ok) {
            std::fprintf(stderr, "bench_cohere: a call failed\n");
            std::exit(1);
        }
        if (i >= 20)
            ms.append(elapsed);
    }
    return percentiles(ms);
}

QByteArray sseCorpus()
{
    const QStringList words{QStringLiteral(" the"),       QStringLiteral(" data"),   QStringLiteral("frame"),
                            QStringLiteral(" caf\u00E9"), QStringLiteral(" \u20AC"), QStringLiteral(".groupby("),
                            QStringLiteral("'region'"),   QStringLiteral(")\n"),     QStringLiteral(" \U0001F600")};
    QStringList pieces;
    for (int i = 0; i < 200000; ++i)
        pieces.append(words[i % words.size()]);
    return fake::ScriptedResponse::stream(pieces).body();
}

// Best of three passes, fed in 16 KiB reads like a socket would deliver.
double parseMBps(const QByteArray &corpus, bool withReader)
{
    double best = 0;
    for (int round = 0; round < 3; ++round) {
        QElapsedTimer clock;
        clock.start();
        SseParser parser;
        ChatStreamReader reader;
        qsizetype events = 0;
        QString text;
        for (qsizetype i = 0; i < corpus.size(); i += 16384) {
            const QList<SseEvent> batch = parser.feed(
                QByteArrayView(corpus).sliced(i, std::min<qsizetype>(16384, corpus.size() - i)));
            events += batch.size();
            if (withReader) {
                for (const SseEvent &e : batch)
                    (void)reader.handle(e, &text);
            }
        }
        events += parser.finish().size();
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        if (events == 0 || (withReader && (!reader.complete() || text.isEmpty()))) {
            std::fprintf(stderr, "bench_cohere: the corpus did not parse\n");
            std::exit(1);
        }
        best = std::max(best, double(corpus.size()) / 1e6 / seconds);
    }
    return best;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(1, QByteArray(argv[1]).toInt()) : 300;

    QProcess server;
    server.start(QStringLiteral(SAFECELL_FAKE_COHERE_SERVER), {});
    if (!server.waitForStarted() || !server.waitForReadyRead(10000)) {
        std::fprintf(stderr, "bench_cohere: fake_cohere_server did not start\n");
        return 1;
    }
    const QByteArray portLine = server.readLine().trimmed();
    const QUrl base(QStringLiteral("http://127.0.0.1:") + QString::fromLatin1(portLine.mid(5)));

    QNetworkAccessManager nam;
    CohereClient client(&nam, base);
    const Latency chat = timeCalls(client, n, false);
    const Latency stream = timeCalls(client, n, true);
    server.closeWriteChannel();
    server.waitForFinished(3000);

    const QByteArray corpus = sseCorpus();
    const double parserOnly = parseMBps(corpus, false);
    const double parserAndReader = parseMBps(corpus, true);

    QTemporaryFile corpusFile;
    if (!corpusFile.open() || corpusFile.write(corpus) != corpus.size())
        return 1;
    corpusFile.flush();

    QProcess node;
    node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    node.start(QStringLiteral(SAFECELL_NODE_EXECUTABLE),
               {QStringLiteral(SAFECELL_BENCH_SDK_SCRIPT), QStringLiteral(SAFECELL_FAKE_COHERE_SERVER),
                corpusFile.fileName(), QString::number(n)});
    const bool nodeOk = node.waitForFinished(600000) && node.exitCode() == 0;
    const QJsonObject sdk = QJsonDocument::fromJson(node.readAllStandardOutput()).object();

    std::printf("bench_cohere: %d sequential requests each (after 20 warm-up), fake_cohere_server on loopback\n", n);
    std::printf("SSE corpus: %.1f MB, %d content-delta events, fed in 16 KiB reads, best of 3\n",
                double(corpus.size()) / 1e6, 200000);
    std::printf("%-44s %14s %14s\n", "", "SafeCell C++", "cohere-ai SDK");
    auto row = [&](const char *what, double mine, const QJsonValue &theirs) {
        if (nodeOk)
            std::printf("%-44s %14.3f %14.3f\n", what, mine, theirs.toDouble());
        else
            std::printf("%-44s %14.3f %14s\n", what, mine, "n/a");
    };
    row("chat: request -> parsed reply p50 (ms)", chat.p50, sdk.value(QStringLiteral("chat"))[QStringLiteral("p50")]);
    row("chat: request -> parsed reply p99 (ms)", chat.p99, sdk.value(QStringLiteral("chat"))[QStringLiteral("p99")]);
    row("chatStream: request -> full reply p50 (ms)", stream.p50,
        sdk.value(QStringLiteral("stream"))[QStringLiteral("p50")]);
    row("chatStream: request -> full reply p99 (ms)", stream.p99,
        sdk.value(QStringLiteral("stream"))[QStringLiteral("p99")]);
    row("SSE parse + event decode (MB/s)", parserAndReader, sdk.value(QStringLiteral("parseMBps")));
    std::printf("%-44s %14.3f %14s\n", "SSE framing only, SseParser (MB/s)", parserOnly, "-");
    if (!nodeOk)
        std::printf("(the SDK side did not run: install it with scripts/setup.d/50-cohere-conformance)\n");
    return 0;
}
