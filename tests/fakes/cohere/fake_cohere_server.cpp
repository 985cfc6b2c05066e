// A standalone FakeCohere for scripts (the Node conformance test, benches):
// listens on 127.0.0.1 (port from argv[1], default any), prints
// "port <n>" on stdout, serves /v2/chat and the /fake/* scripting
// endpoints, and exits when stdin closes so it never outlives its parent.
#include "cohere/FakeCohere.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cstdio>
#include <unistd.h>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    safecell::fake::FakeCohere fake;
    fake.setControlEndpoints(true);
    const QString key = qEnvironmentVariable("FAKE_COHERE_KEY");
    if (!key.isEmpty())
        fake.setExpectedKey(key);
    const quint16 port = argc > 1 ? quint16(QByteArray(argv[1]).toUInt()) : 0;
    if (!fake.listen(QHostAddress::LocalHost, port)) {
        std::fprintf(stderr, "fake_cohere_server: cannot listen\n");
        return 1;
    }
    std::printf("port %u\n", unsigned(fake.port()));
    std::fflush(stdout);

    QSocketNotifier stdinWatch(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&stdinWatch, &QSocketNotifier::activated, &app, [&] {
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0)
            QCoreApplication::quit();
    });
    return app.exec();
}
