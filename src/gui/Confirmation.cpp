#include "Confirmation.h"

#include "common/Logging.h"

#include <QMessageBox>
#include <QPushButton>

namespace safecell {

namespace {
QList<bool> &nextAnswers()
{
    static QList<bool> answers;
    return answers;
}
QList<Confirmation::Question> &askedQuestions()
{
    static QList<Confirmation::Question> questions;
    return questions;
}
} // namespace

void Confirmation::ask(QWidget *parent, const Question &question, std::function<void(bool yes)> answered)
{
    askedQuestions().append(question);
    if (!nextAnswers().isEmpty()) {
        answered(nextAnswers().takeFirst());
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, question.title, question.text, QMessageBox::NoButton, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->setInformativeText(question.details);
    QPushButton *yes = box->addButton(question.yesText, QMessageBox::AcceptRole);
    QPushButton *no = box->addButton(question.noText, QMessageBox::RejectRole);
    box->setDefaultButton(question.yesIsDefault ? yes : no);
    box->setEscapeButton(no);
    QObject::connect(box, &QMessageBox::finished, box,
                     [box, yes, answered = std::move(answered)] { answered(box->clickedButton() == yes); });
    qCInfo(lcGui).noquote() << "asking:" << question.id;
    box->open();
}

void Confirmation::setNextAnswers(const QList<bool> &answers)
{
    nextAnswers() = answers;
}

QList<Confirmation::Question> Confirmation::asked()
{
    return askedQuestions();
}

void Confirmation::clearAsked()
{
    askedQuestions().clear();
}

} // namespace safecell
