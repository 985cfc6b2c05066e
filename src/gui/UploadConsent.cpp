#include "UploadConsent.h"

#include "common/Logging.h"
#include "gui/Confirmation.h"

#include <QCoreApplication>

namespace safecell {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("safecell::UploadConsent", text);
}
} // namespace

void UploadConsent::ask(QWidget *parent, const QList<E2bUpload> &uploads, std::function<void(bool allowed)> then)
{
    if (m_answer) {
        then(*m_answer);
        return;
    }
    if (m_asking)
        return; // one question at a time; its answer decides
    QStringList lines;
    for (const E2bUpload &upload : uploads)
        lines << QStringLiteral("• ") + describeUpload(upload);
    Confirmation::Question question;
    question.id = QStringLiteral("upload-data");
    question.title = tr("Send data to E2B's cloud?");
    question.text = tr("This run needs local data in the E2B sandbox. These files will be uploaded to E2B's cloud:");
    question.details =
        lines.join(QLatin1Char('\n'))
        + tr("\n\nYour answer holds until SafeCell quits. Without it, runs that need these files do not run on E2B "
             "(remove the E2B key in Settings to run them locally, where nothing leaves this computer).");
    question.yesText = tr("&Upload for this session");
    question.noText = tr("&Do not upload");
    m_asking = true;
    Confirmation::ask(parent, question, [this, then = std::move(then)](bool yes) {
        m_asking = false;
        m_answer = yes;
        qCInfo(lcGui) << "uploading data to E2B" << (yes ? "allowed" : "refused") << "for this session";
        then(yes);
    });
}

} // namespace safecell
