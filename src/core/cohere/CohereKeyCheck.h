#pragma once

#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace safecell {

// Proves a Cohere key with Cohere's free key check (POST /v1/check-api-key,
// protocols.md §2.7.1): nothing is generated, so nothing is billed and the
// budget is not involved. A chat call here would spend money outside it.
class CohereKeyCheck : public QObject {
    Q_OBJECT
public:
    static constexpr int kTimeoutMs = 15000;

    CohereKeyCheck(QNetworkAccessManager *network, QUrl baseUrl, QString apiKey, QObject *parent = nullptr);
    ~CohereKeyCheck() override;

    void start();
    // Aborts the request; finished() is not emitted afterwards.
    void cancel();

Q_SIGNALS:
    // ok: Cohere says the key is valid. `message` says why not otherwise
    // (Cohere's own words, the key redacted), or whose key it is.
    void finished(bool ok, const QString &message);

private:
    void onFinished();

    QNetworkAccessManager *m_network;
    QUrl m_baseUrl;
    QString m_apiKey;
    QPointer<QNetworkReply> m_reply;
};

} // namespace safecell
