#pragma once
// Starting the safecell binary against FakeE2b (in this process), with its
// own config and data folders, for the crash and load tests.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>

namespace faulttest {

inline QString binary()
{
    return qEnvironmentVariable("SAFECELL_BINARY");
}

// Config (with the budget limit and a short E2B idle time, plus `e2bIni`
// lines in its [e2b] section) and data folders under `root`; E2B on
// `e2bUrl` with `e2bKey`; no Cohere key.
inline QProcessEnvironment environment(const QString &root, const QUrl &e2bUrl, const QString &e2bKey, double limitUsd,
                                       const QByteArray &e2bIni = {})
{
    QDir(root).mkpath(QStringLiteral("config/SafeCell"));
    QDir(root).mkpath(QStringLiteral("data"));
    QFile ini(root + QStringLiteral("/config/SafeCell/SafeCell.ini"));
    if (ini.open(QIODevice::WriteOnly)) {
        ini.write("[budget]\nmonthlyLimitUsd=" + QByteArray::number(limitUsd, 'f', 9) + "\n[e2b]\nidleTimeoutMs=3000\n"
                  + e2bIni);
        ini.close();
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), root + QStringLiteral("/config"));
    env.insert(QStringLiteral("SAFECELL_DATA_DIR"), root + QStringLiteral("/data"));
    env.insert(QStringLiteral("E2B_API_KEY"), e2bKey);
    env.insert(QStringLiteral("SAFECELL_E2B_API_URL"), e2bUrl.toString());
    env.insert(QStringLiteral("SAFECELL_E2B_SANDBOX_URL"), e2bUrl.toString());
    env.remove(QStringLiteral("COHERE_API_KEY"));
    env.insert(QStringLiteral("SAFECELL_COHERE_URL"), QStringLiteral("http://127.0.0.1:1"));
    return env;
}

// The API token (`safecell token`), waiting with an event loop.
inline QString token(const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    QSignalSpy done(&process, &QProcess::finished);
    process.start(binary(), {QStringLiteral("token")});
    if (!done.wait(30000) || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

// Starts `safecell serve --port 0 [extra]` and returns its /api/code URL
// (empty when it did not come up).
inline QUrl startServe(QProcess &server, const QProcessEnvironment &env, const QStringList &extra = {})
{
    server.setProcessEnvironment(env);
    QSignalSpy output(&server, &QProcess::readyReadStandardOutput);
    server.start(binary(), QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0")} + extra);
    QByteArray banner;
    for (int i = 0; i < 60 && !banner.contains('\n'); ++i) {
        if (server.state() == QProcess::NotRunning)
            return {};
        output.wait(500);
        banner += server.readAllStandardOutput();
    }
    const auto match = QRegularExpression(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)/api/code"))
                           .match(QString::fromUtf8(banner));
    if (!match.hasMatch())
        return {};
    return QUrl(QStringLiteral("http://127.0.0.1:%1/api/code").arg(match.captured(1)));
}

inline QNetworkReply *postCode(QNetworkAccessManager &network, const QUrl &url, const QString &token,
                               const QString &code, qint64 timeLimitMs = 5000)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setTransferTimeout(30000);
    const QJsonObject body{{QStringLiteral("code"), code},
                           {QStringLiteral("language"), QStringLiteral("python")},
                           {QStringLiteral("maxExecutionTimeMs"), timeLimitMs}};
    return network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace faulttest
