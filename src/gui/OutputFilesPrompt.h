#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace safecell {

class OutputFilesView;

enum class SessionEnd { WindowCloses, FreshSession };

// Asked before the session's /work ends (the window closes, or new settings
// start a fresh session): any file snippets wrote there and the analyst
// never saved is listed with Save All…, Discard and Cancel. True when the
// session may end (nothing unsaved, all saved, or discarded on purpose).
// `chooseFolder`: Save All's folder dialog (a seam for tests); empty:
// QFileDialog.
bool keepOutputFiles(OutputFilesView &outputs, QWidget *parent, SessionEnd when = SessionEnd::WindowCloses,
                     std::function<QString()> chooseFolder = {});

} // namespace safecell
