#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace safecell {

class OutputFilesView;

// Asked as the window closes: the files snippets wrote in /work end with
// the session, so any never saved are listed with Save All…, Discard and
// Cancel. True when the window may close (nothing unsaved, all saved, or
// discarded on purpose). `chooseFolder`: Save All's folder dialog (a seam
// for tests); empty: QFileDialog.
bool keepOutputFiles(OutputFilesView &outputs, QWidget *parent, std::function<QString()> chooseFolder = {});

} // namespace safecell
