#include "BudgetProvider.h"

#include "budget/BudgetController.h"
#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"

#include <memory>

namespace safecell::api {

namespace {

struct LedgerView {
    std::unique_ptr<SpendLedger> ledger;
    std::unique_ptr<BudgetController> controller;
};

} // namespace

ApiServer::BudgetProvider ledgerBudgetProvider(BudgetPolicy policy, QString ledgerPath)
{
    auto view = std::make_shared<LedgerView>();
    return [view, policy, ledgerPath]() -> Expected<QJsonObject, QString> {
        if (!view->controller) {
            auto ledger = SpendLedger::open(ledgerPath.isEmpty() ? defaultLedgerPath() : ledgerPath);
            if (!ledger)
                return unexpected(ledger.error().message);
            view->ledger = std::move(ledger).value();
            view->controller = std::make_unique<BudgetController>(*view->ledger, policy);
        }
        const auto snapshot = view->controller->snapshot(BudgetScopes::forLocalUser());
        if (!snapshot)
            return unexpected(snapshot.error().message);
        return snapshot->toJson();
    };
}

} // namespace safecell::api
