#include "StatusLine.h"

#include "gui/ElidedLabel.h"

#include <QLabel>
#include <QStatusBar>

namespace safecell {

namespace {
// A tenth of a second: the clock looks alive without repainting for nothing.
constexpr int kClockTickMs = 100;
} // namespace

StatusLine::StatusLine(QStatusBar *bar, QObject *parent)
    : QObject(parent)
    , m_text(new ElidedLabel(bar))
    , m_duration(new QLabel(bar))
{
    m_text->setObjectName(QStringLiteral("statusText"));
    m_text->setFullText(tr("Ready"));
    bar->addWidget(m_text, 1);
    bar->addPermanentWidget(m_duration);
    m_ticker.setInterval(kClockTickMs);
    connect(&m_ticker, &QTimer::timeout, this, &StatusLine::showElapsed);
}

void StatusLine::setText(const QString &text)
{
    m_text->setFullText(text);
}

QString StatusLine::text() const
{
    return m_text->fullText();
}

void StatusLine::startClock()
{
    m_elapsed.start();
    m_ticker.start();
    showElapsed();
}

void StatusLine::stopClock()
{
    m_ticker.stop();
}

void StatusLine::showDuration(qint64 durationMs)
{
    m_duration->setText(tr("%1 s").arg(double(durationMs) / 1000.0, 0, 'f', 2));
}

void StatusLine::showElapsed()
{
    m_duration->setText(tr("%1 s").arg(double(m_elapsed.elapsed()) / 1000.0, 0, 'f', 1));
}

} // namespace safecell
