#include "Money.h"

#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace safecell {

namespace {
__extension__ typedef __int128 Wide;
constexpr qint64 kMax = std::numeric_limits<qint64>::max();
} // namespace

std::optional<Money> Money::fromUsd(double usd)
{
    if (!std::isfinite(usd) || usd < 0)
        return std::nullopt;
    const double nanos = std::round(usd * double(kNanosPerUsd));
    if (nanos >= double(kMax))
        return Money(kMax);
    return Money(qint64(nanos));
}

std::optional<Money> Money::fromDecimalUsd(const QString &text)
{
    static const QRegularExpression decimal(QStringLiteral("^\\s*(\\d{1,9})(?:\\.(\\d{0,9}))?\\s*$"));
    const auto match = decimal.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 whole = match.captured(1).toLongLong();
    const QString fraction = match.captured(2).leftJustified(9, QLatin1Char('0'));
    return Money(whole * kNanosPerUsd + fraction.toLongLong());
}

Money Money::operator+(Money other) const
{
    qint64 sum = 0;
    if (qAddOverflow(m_nanos, other.m_nanos, &sum))
        return Money(kMax);
    return Money(sum);
}

QString Money::toString() const
{
    const qint64 whole = m_nanos / kNanosPerUsd;
    QString fraction = QString::number(m_nanos % kNanosPerUsd).rightJustified(9, QLatin1Char('0'));
    while (fraction.size() > 2 && fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    return QStringLiteral("$%1.%2").arg(whole).arg(fraction);
}

qint64 mulDivCeil(qint64 a, qint64 b, qint64 c)
{
    if (a <= 0 || b <= 0 || c <= 0)
        return 0;
    const Wide product = Wide(a) * Wide(b);
    const Wide quotient = (product + Wide(c) - 1) / Wide(c);
    return quotient > Wide(kMax) ? kMax : qint64(quotient);
}

} // namespace safecell
