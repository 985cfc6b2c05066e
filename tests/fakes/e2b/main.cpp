// A standalone FakeE2b for the Node conformance check and the benchmark:
// prints "PORT <n>" once listening, then "CREATE <body>" for each create
// request, and serves until killed.
#include "FakeE2b.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fake E2B control plane and code interpreter"));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (0: any free one)."),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption keyOption(QStringLiteral("api-key"), QStringLiteral("The accepted API key."),
                                       QStringLiteral("key"), safecell::fake::FakeE2b::defaultApiKey());
    const QCommandLineOption keepaliveOption(QStringLiteral("keepalive-ms"), QStringLiteral("Keepalive interval."),
                                             QStringLiteral("ms"), QStringLiteral("5000"));
    const QCommandLineOption logOption(QStringLiteral("log"), QStringLiteral("Print each request to stderr."));
    parser.addOptions({portOption, keyOption, keepaliveOption, logOption});
    parser.process(app);

    safecell::fake::FakeE2b fake;
    fake.setApiKey(parser.value(keyOption));
    fake.setKeepaliveIntervalMs(parser.value(keepaliveOption).toInt());
    if (parser.isSet(logOption)) {
        QObject::connect(&fake, &safecell::fake::FakeE2b::requestReceived, &fake, [&fake](const QString &line) {
            const bool chunked = fake.requests().last().chunked;
            std::fprintf(stderr, "fake_e2b_server: %s%s\n", qPrintable(line), chunked ? " (chunked body)" : "");
        });
    }
    // The conformance check compares what the SDK and SafeCell send.
    QObject::connect(&fake, &safecell::fake::FakeE2b::createBodyReceived, &fake, [](const QByteArray &body) {
        std::printf("CREATE %s\n", body.constData());
        std::fflush(stdout);
    });
    if (!fake.listen(QHostAddress::LocalHost, quint16(parser.value(portOption).toUInt()))) {
        std::fprintf(stderr, "fake_e2b_server: cannot listen\n");
        return 1;
    }
    std::printf("PORT %u\n", unsigned(fake.port()));
    std::fflush(stdout);
    return app.exec();
}
