#pragma once

#include "Money.h"

#include <QString>

#include <optional>

namespace safecell {

// A model's price per million billed tokens, in nanodollars (so $2.50 per
// million is 2'500'000'000).
struct ModelPrice {
    qint64 inputNanosPerMillion = 0;
    qint64 outputNanosPerMillion = 0;
};

// E2B compute rates, billed per second on allocated vCPUs and RAM
// (protocols.md §1.6).
struct E2bRates {
    qint64 nanosPerVcpuSecond = 14'000; // $0.000014
    qint64 nanosPerGibSecond = 4'500;   // $0.0000045
    static E2bRates published() { return {}; }
};

// The default E2B sandbox: 2 vCPUs and 512 MiB (protocols.md §1.6).
struct SandboxSize {
    int vcpus = 2;
    int memoryMiB = 512;
    bool operator==(const SandboxSize &) const = default;
};

enum class ChargeKind { Llm, Sandbox, Local };
QString chargeKindName(ChargeKind kind);
std::optional<ChargeKind> chargeKindFromName(const QString &name);

// What one paid step actually used and cost: the `actual` a reservation is
// settled to, and one ledger entry. Figures are never negative.
struct Charge {
    ChargeKind kind = ChargeKind::Local;
    QString resource; // model id, or sandbox name ("e2b", "local")
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 durationMs = 0;
    Money cost;
};

namespace cost {

// Billed tokens x price per million, rounded up to a whole nanodollar.
Money llm(const ModelPrice &price, qint64 inputTokens, qint64 outputTokens);
Charge llmCharge(const QString &model, const ModelPrice &price, std::optional<qint64> inputTokens,
                 std::optional<qint64> outputTokens);

// seconds x (vCPUs x vCPU rate + GiB x GiB rate), rounded up.
Money e2b(const E2bRates &rates, SandboxSize size, qint64 durationMs);
Charge e2bCharge(const E2bRates &rates, SandboxSize size, std::optional<double> seconds);

// Local runs cost nothing; the budget never blocks them.
Charge localCharge(std::optional<double> seconds);

} // namespace cost

} // namespace safecell
