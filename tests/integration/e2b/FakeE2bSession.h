#pragma once

// What the E2B sandbox's integration tests share: a FakeE2b, the sandbox
// pointed at it, and a python3 harness for the cells SafeCell runs there.
#include "FakeE2b.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QNetworkAccessManager>
#include <QString>
#include <QTest>

#include <memory>

namespace safecell::test {

struct FakeE2bSession {
    std::unique_ptr<fake::FakeE2b> fake;
    std::unique_ptr<QNetworkAccessManager> network;
    std::unique_ptr<E2bSandbox> sandbox;

    bool listen()
    {
        fake = std::make_unique<fake::FakeE2b>();
        network = std::make_unique<QNetworkAccessManager>();
        return fake->listen();
    }
    // The sandbox, on the fake; `idleTimeoutMs` > 0 keeps it warm between runs.
    E2bSandbox &start(qint64 idleTimeoutMs = 0)
    {
        E2bConfig config;
        config.apiKey = fake::FakeE2b::defaultApiKey();
        config.apiUrl = fake->url();
        config.sandboxUrl = fake->url();
        config.requestTimeoutMs = 5000;
        if (idleTimeoutMs > 0)
            config.idleTimeoutMs = idleTimeoutMs;
        sandbox = std::make_unique<E2bSandbox>(network.get(), config);
        return *sandbox;
    }
    // Ends the sandbox; false when the fake still has one live after 5 s.
    bool close()
    {
        sandbox.reset();
        const bool closed = QTest::qWaitFor([this] { return fake->liveSandboxes() == 0; }, 5000);
        network.reset();
        fake.reset();
        return closed;
    }
};

// `body` after a stub of IPython.display whose display() prints its
// argument as one line of JSON: the cells SafeCell runs on E2B, run here.
inline QString withIPythonStub(const QString &body)
{
    return QStringLiteral("import sys, types, json\n"
                          "display = types.ModuleType('IPython.display')\n"
                          "display.display = lambda obj, raw=False: print(json.dumps(obj))\n"
                          "sys.modules['IPython'] = types.ModuleType('IPython')\n"
                          "sys.modules['IPython.display'] = display\n"
                          "session = {'__builtins__': __builtins__, '__name__': '__main__'}\n")
           + body;
}

} // namespace safecell::test
