#include "ElidedLabel.h"

namespace safecell {

namespace {
constexpr int kMinimumChars = 12; // the room asked for, at least: "Checking th…"
}

ElidedLabel::ElidedLabel(QWidget *parent)
    : QLabel(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setTextFormat(Qt::PlainText);
}

void ElidedLabel::setFullText(const QString &text)
{
    m_text = text;
    setToolTip(text);
    setAccessibleDescription(text);
    elide();
    updateGeometry();
}

QSize ElidedLabel::minimumSizeHint() const
{
    return {fontMetrics().averageCharWidth() * kMinimumChars, QLabel::minimumSizeHint().height()};
}

QSize ElidedLabel::sizeHint() const
{
    const QMargins margins = contentsMargins();
    return {fontMetrics().horizontalAdvance(m_text) + margins.left() + margins.right() + 2 * margin() + 4,
            QLabel::sizeHint().height()};
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::elide()
{
    const QString firstLine = m_text.section(QLatin1Char('\n'), 0, 0);
    const int room = contentsRect().width() - 2 * margin();
    QLabel::setText(fontMetrics().elidedText(firstLine, Qt::ElideRight, std::max(room, 0)));
}

} // namespace safecell
