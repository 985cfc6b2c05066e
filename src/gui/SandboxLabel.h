#pragma once

#include <QLabel>

namespace safecell {

class RunController;
class Settings;

// Where code runs, at the status bar's right end: the local sandbox and
// what bounds its memory here, or E2B and whether this session reaches the
// internet; also a change that waits for a restart, and a keychain that
// could not be read (not the same as "no key"). The tooltip says the rest.
class SandboxLabel : public QLabel {
    Q_OBJECT
public:
    SandboxLabel(const RunController &runs, const Settings &settings, QWidget *parent = nullptr);

public Q_SLOTS:
    // Reads the run controller's state again.
    void refresh();

private:
    const RunController &m_runs;
    const Settings &m_settings;
};

} // namespace safecell
