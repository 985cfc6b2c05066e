#include "BudgetGauge.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace safecell {

namespace {
constexpr int kBarWidth = 120;
constexpr int kBarHeight = 8;
} // namespace

BudgetGauge::BudgetGauge(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Budget"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    m_text = tr("Budget: …");
    setToolTip(tr("Reading the spend ledger…"));
}

QColor BudgetGauge::colourFor(BudgetState state)
{
    switch (state) {
    case BudgetState::Active:
        return QColor(0x2e, 0x9d, 0x4f); // green
    case BudgetState::Warned:
        return QColor(0xe0, 0xa0, 0x00); // amber
    case BudgetState::Degraded:
        return QColor(0xe0, 0x66, 0x10); // orange
    case BudgetState::Stopped:
        return QColor(0xc8, 0x28, 0x28); // red
    }
    return Qt::gray;
}

QString BudgetGauge::stateText(BudgetState state)
{
    switch (state) {
    case BudgetState::Active:
        return tr("within budget");
    case BudgetState::Warned:
        return tr("warning threshold passed");
    case BudgetState::Degraded:
        return tr("degraded: cheaper models only");
    case BudgetState::Stopped:
        return tr("stopped: the limit is reached");
    }
    return {};
}

// "14:35" today, "3 Dec 14:35" on another day, in local time.
QString BudgetGauge::timeText(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    const QLocale locale;
    if (local.date() == QDate::currentDate())
        return locale.toString(local.time(), QLocale::ShortFormat);
    return locale.toString(local, QLocale::ShortFormat);
}

QString BudgetGauge::scopeText(const ScopeSnapshot &scope)
{
    const QString name = scope.key.isEmpty() ? scopeLevelName(scope.level)
                                             : tr("%1 %2", "a scope: its level, then its key")
                                                   .arg(scopeLevelName(scope.level), scope.key);
    const QString limit = scope.limit ? scope.limit->toString() : tr("no limit");
    const QString held = scope.lastHoldLapses.isValid()
                             ? tr("%1 held until %2").arg(scope.reserved.toString(), timeText(scope.lastHoldLapses))
                             : tr("%1 held").arg(scope.reserved.toString());
    const QString spent = scope.chargedOnLapse.nanos() > 0
                              ? tr("%1 spent (%2 charged on lapse)")
                                    .arg(scope.spent.toString(), scope.chargedOnLapse.toString())
                              : tr("%1 spent").arg(scope.spent.toString());
    return tr("<tr><td><b>%1</b></td><td>%2</td><td>%3</td><td>of %4</td><td>%5</td></tr>")
        .arg(name.toHtmlEscaped(), spent, held, limit, stateText(scope.state));
}

void BudgetGauge::setSnapshot(const BudgetSnapshot &snapshot)
{
    m_snapshot = snapshot;
    m_available = true;
    const QString limit = snapshot.limit ? snapshot.limit->toString() : tr("no limit");
    m_text = tr("%1 of %2").arg(snapshot.spent.toString(), limit);
    if (snapshot.reserved.nanos() > 0) {
        m_text += snapshot.heldUntil.isValid()
                      ? tr("  (+%1 held until %2)").arg(snapshot.reserved.toString(), timeText(snapshot.heldUntil))
                      : tr("  (+%1 held)").arg(snapshot.reserved.toString());
    }
    const TeamSnapshotSource &team = snapshot.team;
    if (team.staleSince.isValid() || (team.isSet() && !team.readAt.isValid())) {
        // Paid steps are refused meanwhile; the figures shown are the last known.
        m_text += team.readAt.isValid() ? tr("  (team figures stale since %1)").arg(timeText(team.staleSince))
                                        : tr("  (team server unreachable)");
    }
    QString tip = tr("<p><b>Budget this period</b>: %1<br/>%2 – %3 (UTC)</p><table cellspacing=6>")
                      .arg(stateText(snapshot.state), snapshot.periodStart.toString(Qt::ISODate),
                           snapshot.periodEnd.toString(Qt::ISODate));
    for (const ScopeSnapshot &scope : snapshot.scopes)
        tip += scopeText(scope);
    tip += QLatin1String("</table>");
    if (snapshot.reserved.nanos() > 0) {
        tip += tr("<p>Held money is set aside for paid steps in progress and is settled when they end. "
                  "A hold left by a SafeCell that ended without settling (a crash) is charged in full at its "
                  "expiry: the provider may have billed all of it.</p>");
    } else if (snapshot.chargedOnLapse.nanos() > 0) {
        tip += tr("<p>Charged on lapse: money held by a SafeCell that ended without settling (a crash), "
                  "charged in full since the provider may have billed all of it.</p>");
    }
    if (team.isSet()) {
        tip += tr("<p>Org and user figures are the team's, from %1.</p>").arg(team.server.toHtmlEscaped());
        if (team.staleSince.isValid())
            tip += tr("<p>The team server has not answered since %1 (%2), so paid steps are refused; "
                      "local runs go on.</p>")
                       .arg(timeText(team.staleSince), team.problem.toHtmlEscaped());
        else if (!team.readAt.isValid())
            tip += tr("<p>The team server has not answered yet (%1), so paid steps are refused; "
                      "local runs go on.</p>")
                       .arg(team.problem.toHtmlEscaped());
        if (team.queuedCalls > 0)
            tip += tr("<p>%n settle(s) wait to be sent to the team server.</p>", nullptr, int(team.queuedCalls));
    }
    setToolTip(tip);
    setAccessibleDescription(tr("%1, %2", "the figures, then the state").arg(m_text, stateText(snapshot.state)));
    updateGeometry();
    update();
}

void BudgetGauge::setUnavailable(const QString &reason)
{
    m_available = false;
    m_text = tr("Budget: unavailable");
    setToolTip(reason.toHtmlEscaped());
    update();
}

QSize BudgetGauge::sizeHint() const
{
    return {kBarWidth + 12 + fontMetrics().horizontalAdvance(m_text) + 8, std::max(24, fontMetrics().height() + 8)};
}

void BudgetGauge::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF bar(4, (height() - kBarHeight) / 2.0, kBarWidth, kBarHeight);
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().color(QPalette::Mid));
    painter.drawRoundedRect(bar, 3, 3);
    if (m_available && m_snapshot.limit && m_snapshot.limit->nanos() > 0) {
        const double limit = double(m_snapshot.limit->nanos());
        const double spent = std::min(1.0, double(m_snapshot.spent.nanos()) / limit);
        const double held = std::min(1.0 - spent, double(m_snapshot.reserved.nanos()) / limit);
        const QColor colour = currentColour();
        QPainterPath clip;
        clip.addRoundedRect(bar, 3, 3);
        painter.setClipPath(clip);
        painter.setBrush(colour);
        painter.drawRect(QRectF(bar.left(), bar.top(), bar.width() * spent, bar.height()));
        QColor light = colour;
        light.setAlpha(90);
        painter.setBrush(light);
        painter.drawRect(QRectF(bar.left() + bar.width() * spent, bar.top(), bar.width() * held, bar.height()));
        painter.setClipping(false);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRectF(bar.right() + 8, 0, width() - bar.right() - 8, height()), Qt::AlignVCenter | Qt::AlignLeft,
                     m_text);
}

} // namespace safecell
