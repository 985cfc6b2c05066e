#pragma once

#include "pipeline/RunReport.h"

#include <QDialog>

#include <memory>

namespace Ui {
class AmbiguityDialog;
}

namespace safecell {

// The question for an ambiguous snippet: the reasons (one row per finding,
// the LLM's answer or why the check could not decide, and which signal
// decided), "Trust this snippet for this session", "Run anyway" or "Cancel"
// (the default, so Enter never runs code by accident). Activating a reason
// shows its line in the editor. Object names are the test seam: the dialog
// "ambiguousDialog", buttons "runAnywayButton" and "cancelButton", check box
// "trustBox", list "findingsList".
class AmbiguityDialog : public QDialog {
    Q_OBJECT
public:
    explicit AmbiguityDialog(const RunReport &report, QWidget *parent = nullptr);
    ~AmbiguityDialog() override;

    bool trustRequested() const; // the box is ticked
    QString reasonsText() const; // every reason shown, one per line

Q_SIGNALS:
    void lineActivated(int line, int column);

private:
    std::unique_ptr<Ui::AmbiguityDialog> m_ui;
};

} // namespace safecell
