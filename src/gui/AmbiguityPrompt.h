#pragma once

#include "safety/Verdict.h"

class QMessageBox;
class QWidget;

namespace safecell {

// The question for an ambiguous snippet: "Run anyway" or "Cancel". Opened
// window-modal without a nested event loop; the caller connects to
// QMessageBox::finished/buttonClicked. Object names are the test seam:
// dialog "ambiguousDialog", buttons "runAnywayButton" and "cancelButton".
QMessageBox *openAmbiguityPrompt(QWidget *parent, const QList<Finding> &findings);

} // namespace safecell
