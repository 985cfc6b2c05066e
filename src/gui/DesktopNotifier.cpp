#include "DesktopNotifier.h"

#include <QApplication>
#include <QStatusBar>
#include <QSystemTrayIcon>

namespace safecell {

DesktopNotifier::DesktopNotifier(QStatusBar *fallback)
    : QObject(fallback)
    , m_fallback(fallback)
{
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("SafeCell"));
    }
}

void DesktopNotifier::notify(const QString &title, const QString &message)
{
    m_last = tr("%1: %2", "a notification's title, then its message").arg(title, message);
    if (m_tray) {
        m_tray->show();
        m_tray->showMessage(title, message, QSystemTrayIcon::Warning, 10000);
    }
    m_fallback->showMessage(m_last, 15000); // also in the window, where the analyst looks
}

} // namespace safecell
