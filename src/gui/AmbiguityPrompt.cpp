#include "AmbiguityPrompt.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>

namespace safecell {

namespace {

// lupdate files a free tr() under the namespace's name, so the lookup
// uses that context too.
QString tr(const char *text)
{
    return QCoreApplication::translate("safecell", text);
}

} // namespace

QMessageBox *openAmbiguityPrompt(QWidget *parent, const RunReport &report)
{
    auto *box = new QMessageBox(parent);
    box->setObjectName(QStringLiteral("ambiguousDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(tr("Run this snippet?"));
    box->setText(tr("The safety check could not clear this snippet."));
    QStringList lines;
    for (const Finding &f : report.findings) {
        if (f.label != SafetyLabel::Safe)
            lines << tr("Line %1: %2 (%3)").arg(f.line).arg(f.reason, f.rule);
    }
    if (!report.classificationNote.isEmpty())
        lines << QString() << tr("Why: %1").arg(report.classificationNote);
    if (!report.decidedBy.isEmpty())
        lines << tr("Decided by: %1").arg(report.decidedBy);
    box->setInformativeText(lines.join(QLatin1Char('\n')));
    auto *trust = new QCheckBox(tr("Trust this snippet for this session"), box);
    trust->setObjectName(QStringLiteral("trustBox"));
    trust->setToolTip(tr("Runs this exact code again without asking until SafeCell quits. Only its hash is "
                         "remembered; any change to the code asks again."));
    box->setCheckBox(trust);
    QPushButton *run = box->addButton(tr("Run anyway"), QMessageBox::AcceptRole);
    run->setObjectName(QStringLiteral("runAnywayButton"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    box->open();
    return box;
}

} // namespace safecell
