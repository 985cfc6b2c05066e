#pragma once

#include <QByteArray>
#include <QPixmap>
#include <QWidget>

class QLabel;
class QScrollArea;

namespace safecell {

// A figure from a run: zoom with Ctrl+wheel, Ctrl++, Ctrl+- and Ctrl+0
// (actual size), "Fit" to the panel, and "Save as" writes the original PNG.
class ImageResultView : public QWidget {
    Q_OBJECT
public:
    explicit ImageResultView(const QByteArray &png, QWidget *parent = nullptr);

    bool isValid() const { return !m_pixmap.isNull(); }
    QSize imageSize() const { return m_pixmap.size(); }
    double zoom() const { return m_zoom; }
    void setZoom(double zoom);
    void zoomIn() { setZoom(m_zoom * 1.25); }
    void zoomOut() { setZoom(m_zoom / 1.25); }
    void fitToWindow();
    // Writes the PNG bytes exactly as the run produced them.
    bool saveTo(const QString &path, QString *error = nullptr) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void saveWithDialog();

    QByteArray m_png;
    QPixmap m_pixmap;
    double m_zoom = 1.0;
    QScrollArea *m_scroll;
    QLabel *m_image;
    QLabel *m_zoomLabel;
};

} // namespace safecell
