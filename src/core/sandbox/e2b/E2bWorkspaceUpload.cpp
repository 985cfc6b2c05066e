#include "E2bSandbox.h"

#include "common/Logging.h"
#include "sandbox/WorkspaceDatabase.h"
#include "sandbox/e2b/E2bSandboxRequests.h"
#include "sandbox/e2b/E2bSqlScript.h"
#include "sandbox/e2b/E2bTransport.h"
#include "sandbox/e2b/E2bUploads.h"

#include <QFile>
#include <QFileInfo>
#include <QHttpMultiPart>

#include <memory>

namespace safecell {

bool E2bSandbox::resolveDatabase()
{
    m_database.clear();
    m_databaseIsExample = false;
    if (m_request.language != Language::Sql)
        return true;
    if (!m_config.workspaceDatabase.isEmpty()) {
        m_database = m_config.workspaceDatabase;
        return true;
    }
    // No workspace database set: the bundled example, as locally. Built
    // once per sandbox object, so its stamp (and the upload) stays the same
    // across the runs of a session.
    if (!m_exampleFolder || !m_exampleFolder->isValid())
        m_exampleFolder = std::make_unique<QTemporaryDir>();
    if (!m_exampleFolder->isValid()) {
        failRun({E2bError::Kind::Protocol, 0,
                 QStringLiteral("Could not make a folder for the example database: %1")
                     .arg(m_exampleFolder->errorString())},
                false);
        return false;
    }
    const auto example = materialiseExampleDatabase(m_exampleFolder->filePath(QStringLiteral("example.sqlite")));
    if (!example) {
        failRun({E2bError::Kind::Protocol, 0, example.error()}, false);
        return false;
    }
    m_database = *example;
    m_databaseIsExample = true;
    return true;
}

bool E2bSandbox::needsUpload() const
{
    if (m_request.language != Language::Sql)
        return false;
    return !m_session || m_session->uploadedStamp != workspaceStamp(m_database);
}

bool E2bSandbox::needsUploadConsent() const
{
    // The example ships with SafeCell and holds nothing of the analyst's:
    // sending it is not sending their data. It is still listed as uploaded.
    return needsUpload() && !m_databaseIsExample && !m_request.uploadAllowed;
}

void E2bSandbox::refuseUpload()
{
    // Before anything is created or paid: the data never leaves the machine.
    const QList<E2bUpload> uploads = e2bUploadsFor(m_request.language, m_config);
    QStringList lines;
    for (const E2bUpload &upload : uploads)
        lines << describeUpload(upload);
    ExecutionOutcome outcome;
    outcome.status = ExecutionStatus::SandboxFailed;
    outcome.skippedUploads = uploadPaths(uploads);
    outcome.message = QStringLiteral("Not run: this run needs %1 in E2B's cloud, and sending data to E2B is not "
                                     "allowed for this session. Not uploaded: %2.")
                          .arg(uploads.size() == 1 ? QStringLiteral("a local file") : QStringLiteral("local files"),
                               lines.join(QStringLiteral("; ")));
    qCInfo(lcE2b) << "run refused: it needs an upload that this session does not allow";
    finishRun(std::move(outcome));
}

void E2bSandbox::uploadWorkspace()
{
    // envd's file upload, as the official SDK sends it (e2b 2.51.0
    // Filesystem.write): POST /files?path=... on port 49983, multipart
    // form-data with one part named "file", X-Access-Token for auth.
    m_phase = Phase::Uploading;
    auto file = std::make_unique<QFile>(m_database);
    if (!file->open(QIODevice::ReadOnly)) {
        failRun({E2bError::Kind::Protocol, 0,
                 QStringLiteral("Could not read the workspace database %1: %2").arg(m_database, file->errorString())},
                false);
        return;
    }
    auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart part;
    part.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QStringLiteral("form-data; name=\"file\"; filename=\"%1\"").arg(m_config.remoteWorkspacePath));
    part.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
    part.setBodyDevice(file.get());
    file.release()->setParent(multipart);
    multipart->append(part);

    QNetworkRequest request = tokenRequest(QStringLiteral("/files"), kEnvdPort);
    QUrl url = request.url();
    url.setQuery(QStringLiteral("path=") + QString::fromLatin1(QUrl::toPercentEncoding(m_config.remoteWorkspacePath)));
    request.setUrl(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QVariant()); // multipart sets its own, with the boundary
    const QString stamp = workspaceStamp(m_database);
    m_transport->sendMultipart(request, multipart, [this, stamp](const E2bResponse *, const E2bError *error) {
        if (error) {
            handleRequestError(*error);
            return;
        }
        m_session->uploadedStamp = stamp;
        m_uploaded << QFileInfo(m_database).absoluteFilePath();
        startRun();
    });
}

} // namespace safecell
