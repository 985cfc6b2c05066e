#pragma once

#include <QWidget>

#include <memory>

class QsciScintilla;

namespace Ui {
class FindBar;
}

namespace safecell {

// Find and replace in the editor, shown under it (Ctrl+F, Ctrl+H); F3 and
// Shift+F3 move between matches; Esc closes it and returns to the code.
class FindBar : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(QsciScintilla *editor, QWidget *parent = nullptr);
    ~FindBar() override;

    void setEditor(QsciScintilla *editor) { m_editor = editor; }
    void openFind();
    void openReplace();
    void setSearchText(const QString &text);
    void setReplacementText(const QString &text);
    void setOptions(bool matchCase, bool wholeWords, bool regex);

    bool findNext();
    bool findPrevious();
    // Replaces the current match (if the selection is one) and moves on.
    bool replaceCurrent();
    // Returns how many were replaced; one undo step.
    int replaceAll();
    QString statusText() const;

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    bool find(bool forward, bool fromStart);

    std::unique_ptr<Ui::FindBar> m_ui;
    QsciScintilla *m_editor;
};

} // namespace safecell
