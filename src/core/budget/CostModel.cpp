#include "CostModel.h"

#include "Usage.h"

#include <algorithm>

namespace safecell {

QString chargeKindName(ChargeKind kind)
{
    switch (kind) {
    case ChargeKind::Llm:
        return QStringLiteral("llm");
    case ChargeKind::Sandbox:
        return QStringLiteral("sandbox");
    case ChargeKind::Local:
        return QStringLiteral("local");
    }
    Q_UNREACHABLE();
}

std::optional<ChargeKind> chargeKindFromName(const QString &name)
{
    for (ChargeKind kind : {ChargeKind::Llm, ChargeKind::Sandbox, ChargeKind::Local}) {
        if (chargeKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

namespace cost {

Money llm(const ModelPrice &price, qint64 inputTokens, qint64 outputTokens)
{
    constexpr qint64 kMillion = 1'000'000;
    // One rounding for the sum, not one per side: 1000 in + 500 out at
    // $0.50 / $1.50 is exactly 1'250'000 nanodollars.
    const Money input = Money::fromNanos(mulDivCeil(std::max<qint64>(0, inputTokens), price.inputNanosPerMillion, 1));
    const Money output = Money::fromNanos(
        mulDivCeil(std::max<qint64>(0, outputTokens), price.outputNanosPerMillion, 1));
    return Money::fromNanos(mulDivCeil((input + output).nanos(), 1, kMillion));
}

Charge llmCharge(const QString &model, const ModelPrice &price, std::optional<qint64> inputTokens,
                 std::optional<qint64> outputTokens)
{
    Charge charge;
    charge.kind = ChargeKind::Llm;
    charge.resource = model;
    charge.inputTokens = usageCount(inputTokens);
    charge.outputTokens = usageCount(outputTokens);
    charge.cost = llm(price, charge.inputTokens, charge.outputTokens);
    return charge;
}

Money e2b(const E2bRates &rates, SandboxSize size, qint64 durationMs)
{
    // Per millisecond and MiB, in integers: ms x (vCPUs x rate x 1024 +
    // MiB x GiB-rate) / (1000 x 1024).
    const qint64 vcpus = std::max(0, size.vcpus);
    const qint64 mib = std::max(0, size.memoryMiB);
    const qint64 perMsScaled = mulDivCeil(vcpus, std::max<qint64>(0, rates.nanosPerVcpuSecond), 1) * 1024
                               + mulDivCeil(mib, std::max<qint64>(0, rates.nanosPerGibSecond), 1);
    return Money::fromNanos(mulDivCeil(std::max<qint64>(0, durationMs), perMsScaled, 1000 * 1024));
}

Charge e2bCharge(const E2bRates &rates, SandboxSize size, std::optional<double> seconds)
{
    Charge charge;
    charge.kind = ChargeKind::Sandbox;
    charge.resource = QStringLiteral("e2b");
    charge.durationMs = usageDurationMs(seconds);
    charge.cost = e2b(rates, size, charge.durationMs);
    return charge;
}

Charge localCharge(std::optional<double> seconds)
{
    Charge charge;
    charge.kind = ChargeKind::Local;
    charge.resource = QStringLiteral("local");
    charge.durationMs = usageDurationMs(seconds);
    return charge;
}

} // namespace cost

} // namespace safecell
