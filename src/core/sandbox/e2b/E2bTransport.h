#pragma once

#include "sandbox/e2b/E2bConfig.h"
#include "sandbox/e2b/E2bError.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QObject>
#include <QSet>

#include <functional>

class QHttpMultiPart;
class QNetworkAccessManager;
class QNetworkReply;

namespace safecell {

struct E2bResponse {
    int status = 0;
    QByteArray body;
    qint64 attemptMs = 0; // from sending the attempt that got this answer (after any 429 retries) to the answer
};

// Sends E2B's short requests (not the execute stream): each with a timeout,
// 429 + Retry-After retried a bounded number of times as the SDK does, and
// all of them abortable at once. Answers arrive on `done` (bound to this
// object's lifetime) as a 2xx response or an E2bError.
class E2bTransport : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(const E2bResponse *response, const E2bError *error)>;

    E2bTransport(QNetworkAccessManager *network, const E2bConfig *config, QObject *parent = nullptr);

    QNetworkRequest controlRequest(const QString &path) const;

    void send(const QByteArray &verb, const QNetworkRequest &request, const QByteArray &body, Done done);
    // A multipart upload (not replayable: no 429 retry).
    void sendMultipart(const QNetworkRequest &request, QHttpMultiPart *multipart, Done done);
    // Aborts everything in flight and every pending retry; each `done` gets Cancelled.
    void cancelAll();
    int inFlight() const { return int(m_replies.size()); }
    // Creates still in flight when their owner goes away: whatever sandbox
    // they return is killed at once, so none outlives SafeCell's interest.
    void reapPendingCreates();

    // Secrets that must never appear in a message.
    QStringList secrets() const;
    void addSecret(const QString &secret) { m_extraSecrets.append(secret); }

private:
    void attempt(const QByteArray &verb, const QNetworkRequest &request, const QByteArray &body, Done done,
                 int retriesLeft);
    void track(QNetworkReply *reply);
    void handle(QNetworkReply *reply, const Done &done, const std::function<void(qint64)> &retry, int retriesLeft);

    QNetworkAccessManager *m_network;
    const E2bConfig *m_config;
    QSet<QNetworkReply *> m_replies;
    quint64 m_generation = 0; // bumped by cancelAll: pending retries see it and stop
    QStringList m_extraSecrets;
};

} // namespace safecell
