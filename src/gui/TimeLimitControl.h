#pragma once

#include <QObject>

class QAction;
class QSpinBox;
class QToolBar;

namespace safecell {

class Settings;

// The time limit per run, where runs are started: a spin box in the run
// toolbar ("Time limit 30 s", the recipe's default), kept in the
// settings, never above Settings' cap. Run > Time limit… (Ctrl+Shift+T)
// moves the keyboard to it.
class TimeLimitControl : public QObject {
    Q_OBJECT
public:
    TimeLimitControl(Settings &settings, QToolBar *toolBar, QAction *before, QObject *parent = nullptr);

    qint64 limitMs() const;
    QSpinBox *spinBox() const { return m_spin; }
    QAction *focusAction() const { return m_focus; }

public Q_SLOTS:
    // The cap may have changed in Settings: the box's maximum follows, and
    // a limit above the new cap comes down to it.
    void reload();

private:
    Settings &m_settings;
    QSpinBox *m_spin;
    QAction *m_focus;
};

} // namespace safecell
