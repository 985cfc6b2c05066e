#pragma once

#include "sandbox/e2b/E2bConfig.h"

#include <QObject>

class QNetworkAccessManager;

namespace safecell {

class E2bTransport;

// Proves an E2B key with the smallest call there is: listing the running
// sandboxes. Nothing is created, so nothing is billed.
class E2bKeyCheck : public QObject {
    Q_OBJECT
public:
    E2bKeyCheck(QNetworkAccessManager *network, E2bConfig config, QObject *parent = nullptr);

    void start();
    void cancel();

Q_SIGNALS:
    // `message` is E2B's own on failure (the key redacted); on success it
    // says how many sandboxes the key has running.
    void finished(bool ok, const QString &message);

private:
    E2bConfig m_config;
    E2bTransport *m_transport;
};

} // namespace safecell
