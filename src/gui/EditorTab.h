#pragma once

#include "request/Language.h"
#include "safety/Verdict.h"

#include <QWidget>

#include <memory>

class QsciScintilla;

namespace safecell {

class EditorErrorLine;
class EditorFindings;
class Settings;
class SnippetFile;

// One snippet in its own tab: the editor, its file, its language and the
// markers of its last safety check and failure.
class EditorTab : public QWidget {
    Q_OBJECT
public:
    EditorTab(Settings &settings, QWidget *dialogParent, QWidget *parent = nullptr);
    ~EditorTab() override;

    QsciScintilla *editor() const { return m_editor; }
    SnippetFile *file() const { return m_file; }
    EditorFindings *findings() const { return m_findings; }
    EditorErrorLine &errorLine() const { return *m_errorLine; }

    Language language() const { return m_language; }
    void setLanguage(Language language);

    // The last check's findings, kept to show again when the tab comes back.
    void setLastFindings(SafetyLabel label, const QList<Finding> &findings);
    SafetyLabel lastLabel() const { return m_lastLabel; }
    QList<Finding> lastFindings() const { return m_lastFindings; }
    void clearMarkers();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void titleChanged(const QString &title);
    void languageChanged(safecell::Language language);

private:
    QsciScintilla *m_editor;
    SnippetFile *m_file;
    EditorFindings *m_findings;
    std::unique_ptr<EditorErrorLine> m_errorLine;
    Language m_language = Language::Python;
    SafetyLabel m_lastLabel = SafetyLabel::Safe;
    QList<Finding> m_lastFindings;
};

} // namespace safecell
