#include "DataDrop.h"

#include <QApplication>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>
#include <QWidget>

namespace safecell {

DataDrop::DataDrop(QWidget *window, std::function<void(const QStringList &)> share)
    : QObject(window)
    , m_window(window)
    , m_share(std::move(share))
{
    window->setAcceptDrops(true);
    // On the application: a drop is delivered to the widget under the
    // pointer (the editor's viewport accepts drops of its own), never to
    // the window first.
    qApp->installEventFilter(this);
}

QStringList DataDrop::localPaths(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    QStringList paths;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile())
            return {};
        paths << url.toLocalFile();
    }
    return paths;
}

bool DataDrop::eventFilter(QObject *watched, QEvent *event)
{
    const QEvent::Type type = event->type();
    if (type != QEvent::DragEnter && type != QEvent::DragMove && type != QEvent::Drop)
        return false;
    auto *widget = qobject_cast<QWidget *>(watched);
    if (!widget || widget->window() != m_window)
        return false;
    auto *drop = static_cast<QDropEvent *>(event);
    const QStringList paths = localPaths(drop->mimeData());
    if (paths.isEmpty())
        return false;
    drop->setDropAction(Qt::CopyAction);
    drop->accept();
    if (type == QEvent::Drop)
        m_share(paths);
    return true;
}

} // namespace safecell
