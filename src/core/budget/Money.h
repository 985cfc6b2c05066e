#pragma once

#include <QString>
#include <QtGlobal>

#include <compare>
#include <optional>

namespace safecell {

// An amount of US dollars as a whole number of nanodollars (1e-9 USD).
// Integers keep the ledger exact: sums never drift, 0.00125 stays 0.00125,
// and the cheapest Cohere price ($0.0375 per million tokens) is still a
// whole number of nanodollars per thousand tokens. Never negative; sums
// saturate instead of overflowing (9.2 billion dollars).
class Money {
public:
    static constexpr qint64 kNanosPerUsd = 1'000'000'000;

    constexpr Money() = default;
    static constexpr Money fromNanos(qint64 nanos) { return Money(nanos < 0 ? 0 : nanos); }
    // From a dollar figure (settings, JSON): NaN, infinite or negative give
    // nullopt, so a caller decides what a bad figure means.
    static std::optional<Money> fromUsd(double usd);
    // From a decimal string such as "2.50" exactly, without binary rounding.
    static std::optional<Money> fromDecimalUsd(const QString &text);

    constexpr qint64 nanos() const { return m_nanos; }
    double usd() const { return double(m_nanos) / double(kNanosPerUsd); }
    constexpr bool isZero() const { return m_nanos == 0; }

    Money operator+(Money other) const;
    // Saturates at zero: money is never negative.
    Money operator-(Money other) const { return Money(m_nanos > other.m_nanos ? m_nanos - other.m_nanos : 0); }
    Money &operator+=(Money other) { return *this = *this + other; }
    constexpr auto operator<=>(const Money &) const = default;

    // "$0.00125" with as many decimals as needed (at least two).
    QString toString() const;

private:
    constexpr explicit Money(qint64 nanos)
        : m_nanos(nanos)
    {
    }
    qint64 m_nanos = 0;
};

// ceil(a * b / c) for non-negative operands without intermediate overflow;
// saturates at the largest qint64. Cost rounding always goes up, so the
// ledger never undercounts.
qint64 mulDivCeil(qint64 a, qint64 b, qint64 c);

} // namespace safecell
