#pragma once

#include <QList>
#include <QString>

#include <functional>

class QWidget;

namespace safecell {

// A yes-or-no question before something that cannot be undone (discarding
// a session's variables), asked window-modally without a nested event loop:
// the answer arrives later. One seam for tests: answers given in advance
// are used in order, at once and without a dialog, and every question
// asked is recorded.
class Confirmation {
public:
    struct Question {
        QString id; // what is asked, for tests: "restart-session", "fresh-session"
        QString title;
        QString text;
        QString details;
        QString yesText;
        QString noText;
        bool yesIsDefault = false; // else Enter and Esc answer no
    };

    // `answered` gets true for yes; a closed dialog is no.
    static void ask(QWidget *parent, const Question &question, std::function<void(bool yes)> answered);

    // Tests: the next questions get these answers, in order.
    static void setNextAnswers(const QList<bool> &answers);
    static QList<Question> asked();
    static void clearAsked();
};

} // namespace safecell
