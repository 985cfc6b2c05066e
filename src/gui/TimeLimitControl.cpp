#include "TimeLimitControl.h"

#include "pipeline/RunWorkerConfig.h"
#include "settings/Settings.h"

#include <QAction>
#include <QSpinBox>
#include <QToolBar>

namespace safecell {

TimeLimitControl::TimeLimitControl(Settings &settings, QToolBar *toolBar, QAction *before, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_spin(new QSpinBox(toolBar))
    , m_focus(new QAction(tr("&Time limit…"), toolBar->window()))
{
    m_spin->setObjectName(QStringLiteral("timeLimitBox"));
    m_spin->setPrefix(tr("Time limit "));
    m_spin->setSuffix(tr(" s"));
    m_spin->setAccessibleName(tr("Time limit per run, in seconds"));
    m_spin->setKeyboardTracking(false);
    toolBar->insertWidget(before, m_spin);
    reload();
    connect(m_spin, &QSpinBox::valueChanged, this,
            [this](int seconds) { m_settings.setValue(Setting::RunTimeLimitMs, qint64(seconds) * 1000); });

    m_focus->setObjectName(QStringLiteral("actionTimeLimit"));
    m_focus->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_focus->setToolTip(tr("Set how long a run may take (Ctrl+Shift+T)"));
    toolBar->window()->addAction(m_focus);
    connect(m_focus, &QAction::triggered, this, [this] {
        m_spin->setFocus(Qt::ShortcutFocusReason);
        m_spin->selectAll();
    });
}

void TimeLimitControl::reload()
{
    const qint64 capMs = std::max<qint64>(1000, m_settings.integer(Setting::RequestTimeLimitCapMs));
    const QSignalBlocker quiet(m_spin);
    m_spin->setRange(1, int(capMs / 1000));
    m_spin->setValue(int(runTimeLimitMs(m_settings) / 1000));
    m_spin->setToolTip(
        tr("How long a run may take before it is stopped, at most %1 s (the cap in Settings)").arg(capMs / 1000));
}

qint64 TimeLimitControl::limitMs() const
{
    return qint64(m_spin->value()) * 1000;
}

} // namespace safecell
