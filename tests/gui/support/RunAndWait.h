#pragma once

#include "gui/MainWindow.h"

#include <QSignalSpy>

// Runs `code` in the window's current tab, as the Run button does, and
// waits for the run to end; false when it did not end within `timeoutMs`.
inline bool runAndWait(safecell::MainWindow &window, const QString &code, safecell::Language language,
                       int timeoutMs = 30000)
{
    QSignalSpy finished(&window, &safecell::MainWindow::runFinished);
    window.setLanguage(language);
    window.setCode(code);
    window.run();
    return finished.wait(timeoutMs);
}
