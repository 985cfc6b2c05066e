#pragma once

#include <QByteArray>
#include <QPixmap>
#include <QWidget>

class QLabel;
class QScrollArea;

namespace safecell {

// A figure from a run. It opens fitted to the panel (never enlarged) and
// stays fitted as the panel changes until zoomed: Ctrl+wheel, Ctrl++,
// Ctrl+- and Ctrl+0 (actual size), "Fit" (Ctrl+9) to the panel. "Save as"
// writes the PNG at its full resolution, or the SVG the run sent.
class ImageResultView : public QWidget {
    Q_OBJECT
public:
    explicit ImageResultView(const QByteArray &png, QWidget *parent = nullptr);
    // The figure as SVG too (offered by "Save as").
    void setSvg(const QByteArray &svg);
    bool hasSvg() const { return !m_svg.isEmpty(); }

    bool isValid() const { return !m_pixmap.isNull(); }
    QSize imageSize() const { return m_pixmap.size(); }
    double zoom() const { return m_zoom; }
    // By the analyst: fitting stops.
    void setZoom(double zoom);
    void zoomIn() { setZoom(m_zoom * 1.25); }
    void zoomOut() { setZoom(m_zoom / 1.25); }
    void fitToWindow();
    // Fitted to the panel as it opens and as the panel changes (until zoomed).
    bool isFitted() const { return m_fit != Fit::None; }
    // Writes the bytes exactly as the run produced them: the SVG for a
    // .svg path, else the PNG.
    bool saveTo(const QString &path, QString *error = nullptr) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    enum class Fit { None, ShrinkOnly, Always };
    void saveWithDialog();
    void applyZoom(double zoom);
    void refit();

    Fit m_fit = Fit::ShrinkOnly;
    QByteArray m_svg;
    QByteArray m_png;
    QPixmap m_pixmap;
    double m_zoom = 1.0;
    QScrollArea *m_scroll;
    QLabel *m_image;
    QLabel *m_zoomLabel;
};

} // namespace safecell
