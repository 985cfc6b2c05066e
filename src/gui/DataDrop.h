#pragma once

#include <QObject>
#include <QStringList>

#include <functional>

class QMimeData;
class QWidget;

namespace safecell {

// Files and folders dropped anywhere on `window` (its editor included,
// which would otherwise paste their paths as text) are shared as data
// through `share`. Only local paths count: a drop of text, or of a remote
// URL, goes on to the widget under it as before.
class DataDrop : public QObject {
    Q_OBJECT
public:
    DataDrop(QWidget *window, std::function<void(const QStringList &)> share);

    // The local files and folders a drop carries; empty when it carries
    // anything else too.
    static QStringList localPaths(const QMimeData *mime);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *m_window;
    std::function<void(const QStringList &)> m_share;
};

} // namespace safecell
