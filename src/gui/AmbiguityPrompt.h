#pragma once

#include "pipeline/RunReport.h"

class QMessageBox;
class QWidget;

namespace safecell {

// The question for an ambiguous snippet: "Run anyway" or "Cancel", with the
// reasons (the findings, and the LLM's answer or why the check could not
// decide) and "Trust this snippet for this session". Opened window-modal
// without a nested event loop; the caller connects to buttonClicked. Object
// names are the test seam: dialog "ambiguousDialog", buttons
// "runAnywayButton" and "cancelButton", check box "trustBox".
QMessageBox *openAmbiguityPrompt(QWidget *parent, const RunReport &report);

} // namespace safecell
