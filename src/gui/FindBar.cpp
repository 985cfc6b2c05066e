#include "FindBar.h"

#include "ui_FindBar.h"

#include <Qsci/qsciscintilla.h>

#include <QKeyEvent>

namespace safecell {

FindBar::FindBar(QsciScintilla *editor, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::FindBar>())
    , m_editor(editor)
{
    m_ui->setupUi(this);
    connect(m_ui->nextButton, &QPushButton::clicked, this, &FindBar::findNext);
    connect(m_ui->previousButton, &QPushButton::clicked, this, &FindBar::findPrevious);
    connect(m_ui->findEdit, &QLineEdit::returnPressed, this, &FindBar::findNext);
    connect(m_ui->replaceButton, &QPushButton::clicked, this, &FindBar::replaceCurrent);
    connect(m_ui->replaceAllButton, &QPushButton::clicked, this, &FindBar::replaceAll);
    connect(m_ui->closeButton, &QToolButton::clicked, this, [this] {
        hide();
        m_editor->setFocus();
    });
    hide();
}

FindBar::~FindBar() = default;

void FindBar::openFind()
{
    if (m_editor->hasSelectedText() && !m_editor->selectedText().contains(QLatin1Char('\n')))
        m_ui->findEdit->setText(m_editor->selectedText());
    m_ui->replaceLabel->hide();
    m_ui->replaceEdit->hide();
    m_ui->replaceButton->hide();
    m_ui->replaceAllButton->hide();
    show();
    m_ui->findEdit->setFocus();
    m_ui->findEdit->selectAll();
}

void FindBar::openReplace()
{
    openFind();
    m_ui->replaceLabel->show();
    m_ui->replaceEdit->show();
    m_ui->replaceButton->show();
    m_ui->replaceAllButton->show();
}

void FindBar::setSearchText(const QString &text)
{
    m_ui->findEdit->setText(text);
}

void FindBar::setReplacementText(const QString &text)
{
    m_ui->replaceEdit->setText(text);
}

void FindBar::setOptions(bool matchCase, bool wholeWords, bool regex)
{
    m_ui->caseBox->setChecked(matchCase);
    m_ui->wordBox->setChecked(wholeWords);
    m_ui->regexBox->setChecked(regex);
}

QString FindBar::statusText() const
{
    return m_ui->statusLabel->text();
}

bool FindBar::find(bool forward, bool fromStart)
{
    const QString text = m_ui->findEdit->text();
    if (text.isEmpty())
        return false;
    int line = -1, index = -1;
    if (fromStart) {
        line = 0;
        index = 0;
    } else if (!forward && m_editor->hasSelectedText()) {
        // Search backwards from the selection's start, not from its end.
        int lineTo = 0, indexTo = 0;
        m_editor->getSelection(&line, &index, &lineTo, &indexTo);
    }
    const bool found = m_editor->findFirst(text, m_ui->regexBox->isChecked(), m_ui->caseBox->isChecked(),
                                           m_ui->wordBox->isChecked(), !fromStart, forward, line, index, true);
    m_ui->statusLabel->setText(found ? QString() : tr("Not found: %1").arg(text));
    return found;
}

bool FindBar::findNext()
{
    return find(true, false);
}

bool FindBar::findPrevious()
{
    return find(false, false);
}

bool FindBar::replaceCurrent()
{
    if (!m_editor->hasSelectedText())
        return findNext();
    m_editor->replace(m_ui->replaceEdit->text());
    findNext();
    return true;
}

int FindBar::replaceAll()
{
    int count = 0;
    m_editor->beginUndoAction();
    bool found = find(true, true);
    while (found && m_editor->hasSelectedText()) { // an empty match would never advance
        m_editor->replace(m_ui->replaceEdit->text());
        ++count;
        found = m_editor->findNext();
    }
    m_editor->endUndoAction();
    m_ui->statusLabel->setText(tr("%n replaced", nullptr, count));
    return count;
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        hide();
        m_editor->setFocus();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace safecell
