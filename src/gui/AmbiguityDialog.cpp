#include "AmbiguityDialog.h"

#include "safety/RuleAdvice.h"

#include "ui_AmbiguityDialog.h"

#include <QPushButton>

namespace safecell {

namespace {
constexpr int kLineRole = Qt::UserRole;
constexpr int kColumnRole = Qt::UserRole + 1;
} // namespace

AmbiguityDialog::AmbiguityDialog(const RunReport &report, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::AmbiguityDialog>())
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("ambiguousDialog"));
    for (const Finding &f : report.findings) {
        if (f.label == SafetyLabel::Safe)
            continue;
        const QString advice = safety::ruleAdvice(f.rule);
        const QString reason = advice.isEmpty()
                                   ? f.reason
                                   : tr("%1: %2", "the reason, then what to do instead").arg(f.reason, advice);
        auto *item = new QListWidgetItem(tr("Line %1: %2 (%3)").arg(f.line).arg(reason, f.rule), m_ui->findingsList);
        item->setData(kLineRole, f.line);
        item->setData(kColumnRole, f.column);
        item->setToolTip(f.text);
    }
    m_ui->findingsList->setVisible(m_ui->findingsList->count() > 0);
    if (m_ui->findingsList->count() > 0)
        m_ui->findingsList->setCurrentRow(0);
    m_ui->whyLabel->setText(tr("Why: %1").arg(report.classificationNote));
    m_ui->whyLabel->setVisible(!report.classificationNote.isEmpty());
    m_ui->decidedByLabel->setText(tr("Decided by: %1").arg(report.decidedBy));
    m_ui->decidedByLabel->setVisible(!report.decidedBy.isEmpty());

    QPushButton *run = m_ui->buttons->addButton(tr("&Run anyway"), QDialogButtonBox::AcceptRole);
    run->setObjectName(QStringLiteral("runAnywayButton"));
    run->setAutoDefault(false);
    QPushButton *cancel = m_ui->buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setDefault(true);
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->findingsList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT lineActivated(item->data(kLineRole).toInt(), item->data(kColumnRole).toInt());
    });
}

AmbiguityDialog::~AmbiguityDialog() = default;

bool AmbiguityDialog::trustRequested() const
{
    return m_ui->trustBox->isChecked();
}

QString AmbiguityDialog::reasonsText() const
{
    QStringList lines;
    for (int i = 0; i < m_ui->findingsList->count(); ++i)
        lines << m_ui->findingsList->item(i)->text();
    if (!m_ui->whyLabel->isHidden())
        lines << m_ui->whyLabel->text();
    if (!m_ui->decidedByLabel->isHidden())
        lines << m_ui->decidedByLabel->text();
    return lines.join(u'\n');
}

} // namespace safecell
