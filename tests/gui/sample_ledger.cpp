// Not a test: writes made-up spend into a ledger, for scripts/drive-window's
// pictures of the spend dashboard and the budget gauge. Every entry is this
// month's, up to today, so "This month" shows them.
// Usage: gui_sample_ledger LEDGER.sqlite
#include "budget/SpendLedger.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTextStream>

using namespace safecell;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        QTextStream(stderr) << "usage: gui_sample_ledger LEDGER.sqlite\n";
        return 2;
    }
    auto ledger = SpendLedger::open(QString::fromLocal8Bit(argv[1]));
    if (!ledger) {
        QTextStream(stderr) << "gui_sample_ledger: " << ledger.error().message << "\n";
        return 1;
    }
    const QStringList models = {QStringLiteral("command-a-03-2025"), QStringLiteral("command-r7b-12-2024"),
                                QStringLiteral("command-r-08-2024")};
    const QDate today = QDate::currentDate();
    int n = 0;
    for (int day = 1; day <= today.day(); ++day) {
        for (int k = 0; k < 3; ++k) {
            LedgerEntry e;
            e.idempotencyKey = QStringLiteral("sample-%1").arg(++n);
            e.runId = QStringLiteral("sample-run-%1").arg(n / 2, 4, 10, QLatin1Char('0'));
            e.step = QStringLiteral("step");
            e.scopes = BudgetScopes::forLocalUser();
            e.charge.kind = k == 2 ? ChargeKind::Sandbox : ChargeKind::Llm;
            e.charge.resource = k == 2 ? QStringLiteral("e2b") : models.at((day + k) % 3);
            e.charge.cost = Money::fromNanos(qint64((20 + (day * 37 + k * 53) % 60) * 1'000'000) * (k == 0 ? 2 : 1));
            e.time = QDateTime(QDate(today.year(), today.month(), day), QTime(9 + k * 3, 0)).toUTC();
            if (auto inserted = (*ledger)->insertEntry(e); !inserted) {
                QTextStream(stderr) << "gui_sample_ledger: " << inserted.error().message << "\n";
                return 1;
            }
        }
    }
    QTextStream(stdout) << n << " sample entries\n";
    return 0;
}
