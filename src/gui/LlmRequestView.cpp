#include "LlmRequestView.h"

#include "ui_LlmRequestView.h"

#include <QFontDatabase>
#include <QJsonDocument>
#include <QPushButton>

namespace safecell {

QString LlmRequestView::prettyPrinted(const QByteArray &body)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QString::fromUtf8(body);
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented));
}

LlmRequestView::LlmRequestView(const QByteArray &body, const QString &context, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::LlmRequestView>())
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("llmRequestView"));
    m_ui->requestText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    if (body.isEmpty()) {
        m_ui->contextLabel->setText(tr("%1: nothing was sent to Cohere.").arg(context));
        m_ui->requestText->setPlaceholderText(tr("No LLM call was made."));
    } else {
        m_ui->contextLabel->setText(tr("%1: the exact request body sent to Cohere (%2 bytes). The API key "
                                       "travels in a header and is never shown.")
                                        .arg(context)
                                        .arg(body.size()));
        m_ui->requestText->setPlainText(prettyPrinted(body));
    }
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_ui->buttons->button(QDialogButtonBox::Close)->setDefault(true);
}

LlmRequestView::~LlmRequestView() = default;

QString LlmRequestView::shownText() const
{
    return m_ui->requestText->toPlainText();
}

} // namespace safecell
