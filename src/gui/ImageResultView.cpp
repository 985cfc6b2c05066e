#include "ImageResultView.h"

#include <QAction>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QWheelEvent>

namespace safecell {

namespace {
constexpr double kMinZoom = 0.05;
constexpr double kMaxZoom = 16.0;
} // namespace

ImageResultView::ImageResultView(const QByteArray &png, QWidget *parent)
    : QWidget(parent)
    , m_png(png)
    , m_scroll(new QScrollArea(this))
    , m_image(new QLabel(this))
    , m_zoomLabel(new QLabel(this))
{
    m_pixmap.loadFromData(png, "PNG");
    m_image->setAlignment(Qt::AlignCenter);
    m_image->setAccessibleName(tr("Figure"));
    m_scroll->setWidget(m_image);
    m_scroll->setAlignment(Qt::AlignCenter);
    m_scroll->setWidgetResizable(false);
    m_scroll->viewport()->installEventFilter(this);
    m_scroll->setFocusPolicy(Qt::StrongFocus);

    auto addButton = [this](const QString &text, const QString &tip, const QKeySequence &keys) {
        auto *button = new QPushButton(text, this);
        button->setToolTip(tip);
        auto *action = new QAction(text, this);
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        return std::pair{button, action};
    };
    auto [outButton, outAction] = addButton(tr("−"), tr("Zoom out (Ctrl+-)"), QKeySequence::ZoomOut);
    auto [inButton, inAction] = addButton(tr("+"), tr("Zoom in (Ctrl++)"), QKeySequence::ZoomIn);
    auto [actualButton, actualAction] = addButton(tr("100%"), tr("Actual size (Ctrl+0)"),
                                                  QKeySequence(Qt::CTRL | Qt::Key_0));
    auto [fitButton, fitAction] = addButton(tr("Fit"), tr("Fit to the panel (Ctrl+9)"),
                                            QKeySequence(Qt::CTRL | Qt::Key_9));
    fitButton->setObjectName(QStringLiteral("fitButton"));
    auto [saveButton, saveAction] = addButton(tr("Save as…"), tr("Save the figure: PNG at full resolution, or SVG"),
                                              QKeySequence());
    saveButton->setObjectName(QStringLiteral("saveImageButton"));
    saveButton->setIcon(QIcon(QStringLiteral(":/icons/save.svg")));
    saveAction->setIcon(saveButton->icon());
    connect(outAction, &QAction::triggered, this, [this] { setZoom(m_zoom / 1.25); });
    connect(inAction, &QAction::triggered, this, [this] { setZoom(m_zoom * 1.25); });
    connect(actualAction, &QAction::triggered, this, [this] { setZoom(1.0); });
    connect(fitAction, &QAction::triggered, this, &ImageResultView::fitToWindow);
    connect(saveAction, &QAction::triggered, this, &ImageResultView::saveWithDialog);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(new QLabel(tr("%1 × %2 px").arg(m_pixmap.width()).arg(m_pixmap.height()), this));
    bar->addStretch(1);
    bar->addWidget(outButton);
    bar->addWidget(m_zoomLabel);
    bar->addWidget(inButton);
    bar->addWidget(actualButton);
    bar->addWidget(fitButton);
    bar->addWidget(saveButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_scroll, 1);
    if (m_pixmap.isNull())
        m_image->setText(tr("This figure could not be decoded."));
    applyZoom(1.0);
}

void ImageResultView::applyZoom(double zoom)
{
    m_zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    m_zoomLabel->setText(tr("%1%").arg(qRound(m_zoom * 100)));
    if (m_pixmap.isNull())
        return;
    const QSize size = (QSizeF(m_pixmap.size()) * m_zoom).toSize().expandedTo(QSize(1, 1));
    m_image->setPixmap(m_pixmap.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    m_image->resize(size);
}

void ImageResultView::setSvg(const QByteArray &svg)
{
    m_svg = svg;
}

void ImageResultView::setZoom(double zoom)
{
    m_fit = Fit::None;
    applyZoom(zoom);
}

void ImageResultView::fitToWindow()
{
    m_fit = Fit::Always;
    refit();
}

void ImageResultView::refit()
{
    if (m_pixmap.isNull() || m_fit == Fit::None)
        return;
    const QSize area = m_scroll->viewport()->size();
    if (area.width() <= 1 || area.height() <= 1)
        return; // not laid out yet
    const double fit = std::min(double(area.width()) / m_pixmap.width(), double(area.height()) / m_pixmap.height());
    applyZoom(m_fit == Fit::ShrinkOnly ? std::min(1.0, fit) : fit);
}

void ImageResultView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    refit();
}

void ImageResultView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refit();
}

bool ImageResultView::saveTo(const QString &path, QString *error) const
{
    const bool svg = path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive);
    if (svg && m_svg.isEmpty()) {
        if (error)
            *error = tr("the run sent this figure as PNG only");
        return false;
    }
    const QByteArray &bytes = svg ? m_svg : m_png;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void ImageResultView::saveWithDialog()
{
    const QString pngFilter = tr("PNG image, %1 × %2 px (*.png)").arg(m_pixmap.width()).arg(m_pixmap.height());
    const QString svgFilter = tr("SVG drawing, any size (*.svg)");
    QString chosen;
    QString path = QFileDialog::getSaveFileName(this, tr("Save the figure"), tr("figure.png"),
                                                m_svg.isEmpty() ? pngFilter
                                                                : pngFilter + QLatin1String(";;") + svgFilter,
                                                &chosen);
    if (path.isEmpty())
        return;
    const QString suffix = chosen == svgFilter ? QStringLiteral(".svg") : QStringLiteral(".png");
    if (!path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)
        && !path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive))
        path += suffix;
    QString error;
    if (!saveTo(path, &error))
        QMessageBox::warning(this, tr("Save failed"), tr("Could not write %1: %2").arg(path, error));
}

bool ImageResultView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_scroll->viewport() && event->type() == QEvent::Wheel) {
        auto *wheel = static_cast<QWheelEvent *>(event);
        if (wheel->modifiers() & Qt::ControlModifier) {
            const int steps = wheel->angleDelta().y() / 120;
            if (steps != 0)
                setZoom(m_zoom * std::pow(1.25, steps));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace safecell
