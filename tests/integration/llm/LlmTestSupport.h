#pragma once
// Shared set-up for the LLM tests: FakeCohere, a fresh ledger and a
// LlmServicesConfig pointing at both.
#include "budget/SpendLedger.h"
#include "cohere/FakeCohere.h"
#include "llm/LlmServices.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

namespace llmtest {

inline const QString kKey = QStringLiteral("co-secret-key-0123456789abcdef");
inline const QString kModel = QStringLiteral("command-r7b-12-2024");

// One classify model (so one breaker decides), no retries, a $10 org limit.
inline safecell::LlmServicesConfig config(const safecell::fake::FakeCohere &fake, const QTemporaryDir &dir)
{
    using namespace safecell;
    LlmServicesConfig c;
    c.baseUrl = fake.baseUrl();
    c.ledgerPath = dir.filePath(QStringLiteral("ledger.sqlite"));
    BudgetPolicy policy;
    policy.setLimit(ScopeLevel::Org, Money::fromUsd(10.0));
    c.budgetPolicy = policy;
    c.breakers = std::make_shared<CircuitBreakers>();
    RoutingPreferences routing = RoutingPreferences::defaults();
    routing.chains[Purpose::Classify] = {kModel};
    c.routing = routing;
    c.apiKey = kKey;
    c.callOptions.retry.maxAttempts = 1;
    c.callOptions.connectTimeoutMs = 5000;
    c.callOptions.firstByteTimeoutMs = 5000;
    c.callOptions.stallTimeoutMs = 5000;
    c.callOptions.deadlineMs = 20000;
    return c;
}

inline QString verdictJson(const QString &label, double confidence, const QString &reason = QStringLiteral("ok"))
{
    return QStringLiteral("{\"label\":\"%1\",\"confidence\":%2,\"reason\":\"%3\"}")
        .arg(label)
        .arg(confidence)
        .arg(reason);
}

// Money the org scope still holds in live reservations.
inline safecell::Money heldNow(safecell::SpendLedger &ledger)
{
    using namespace safecell;
    const auto held = ledger.reserved(ScopeLevel::Org, BudgetScopes::forLocalUser().key(ScopeLevel::Org),
                                      QDateTime::currentMSecsSinceEpoch());
    return held ? *held : Money::fromNanos(-1);
}

} // namespace llmtest
