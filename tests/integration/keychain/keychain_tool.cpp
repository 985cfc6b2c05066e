// A test helper: stores or removes a key through SafeCell's own KeyStore, in
// whatever keychain the environment names (DBUS_SESSION_BUS_ADDRESS), so a
// test can prepare a keychain state for another process without touching
// its own process's bus connection.
// Usage: keychain_tool write|remove cohere|e2b|token   (write reads stdin)
#include "secrets/KeyStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

using namespace safecell;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QHash<QString, KeyId> ids{{QStringLiteral("cohere"), KeyId::Cohere},
                                    {QStringLiteral("e2b"), KeyId::E2b},
                                    {QStringLiteral("token"), KeyId::ApiToken}};
    if (args.size() != 3 || !ids.contains(args[2])
        || (args[1] != QLatin1String("write") && args[1] != QLatin1String("remove"))) {
        QTextStream(stderr) << "usage: keychain_tool write|remove cohere|e2b|token\n";
        return 2;
    }
    KeyStore store;
    store.setEnvironmentOverride(false);
    int status = 1;
    const auto done = [&status](const KeyStatus &result) {
        if (!result)
            QTextStream(stderr) << "keychain_tool: " << result.error().message << '\n';
        status = result ? 0 : 1;
        QCoreApplication::quit();
    };
    if (args[1] == QLatin1String("write")) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return 1;
        store.write(ids.value(args[2]), QString::fromUtf8(in.readAll()).trimmed(), &app, done);
    } else {
        store.remove(ids.value(args[2]), &app, done);
    }
    app.exec();
    return status;
}
