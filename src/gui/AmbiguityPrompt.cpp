#include "AmbiguityPrompt.h"

#include <QMessageBox>
#include <QPushButton>

namespace safecell {

QMessageBox *openAmbiguityPrompt(QWidget *parent, const QList<Finding> &findings)
{
    auto *box = new QMessageBox(parent);
    box->setObjectName(QStringLiteral("ambiguousDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(QObject::tr("Run this snippet?"));
    box->setText(QObject::tr("The safety check could not clear this snippet."));
    QStringList lines;
    for (const Finding &f : findings) {
        if (f.label == SafetyLabel::Ambiguous)
            lines << QObject::tr("Line %1: %2 (%3)").arg(f.line).arg(f.reason, f.rule);
    }
    box->setInformativeText(lines.join(QLatin1Char('\n')));
    QPushButton *run = box->addButton(QObject::tr("Run anyway"), QMessageBox::AcceptRole);
    run->setObjectName(QStringLiteral("runAnywayButton"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    box->open();
    return box;
}

} // namespace safecell
