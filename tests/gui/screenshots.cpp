// Takes the README's screenshots: the main window after a run with a chart
// and a table, and the settings dialog. Run under Xvfb by
// scripts/screenshots (not part of ctest: it writes into docs/images).
#include "gui/EditorTabs.h"
#include "gui/HistoryDialog.h"
#include "gui/MainWindow.h"
#include "budget/SpendLedger.h"
#include "gui/SettingsDialog.h"
#include "gui/SpendDashboard.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QTimeZone>

using namespace safecell;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QString outDir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("docs/images");
    QDir().mkpath(outDir);
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("shots.ini")));
    KeyStore keys(QStringLiteral("org.safecell.screenshots"));
    MainWindow window(settings, keys);
    window.resize(1200, 820);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    // A second snippet in its own tab, to show the tabs.
    window.setLanguage(Language::Sql);
    window.setCode(QStringLiteral("SELECT region, SUM(amount) AS total\nFROM sales\nGROUP BY region\nORDER BY total DESC;\n"));
    window.tabs()->addTab(QString(), Language::Python);
    window.setCode(QStringLiteral(
        "import pandas as pd\n"
        "import matplotlib.pyplot as plt\n"
        "\n"
        "sales = pd.DataFrame({\n"
        "    'region': ['North', 'South', 'East', 'West', 'Centre'],\n"
        "    'q1': [120.5, 98.0, 143.2, 87.9, 110.4],\n"
        "    'q2': [131.0, 101.5, 150.8, 92.3, 118.9],\n"
        "})\n"
        "sales['growth_%'] = ((sales.q2 / sales.q1 - 1) * 100).round(1)\n"
        "print(f'{len(sales)} regions, total Q2 {sales.q2.sum():.1f}')\n"
        "\n"
        "ax = sales.plot.bar(x='region', y=['q1', 'q2'], figsize=(6, 3.2))\n"
        "ax.set_title('Sales by region')\n"
        "plt.tight_layout()\n"
        "plt.show()\n"
        "sales.sort_values('growth_%', ascending=False)\n"));
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.run();
    if (finished.isEmpty() && !finished.wait(90000))
        return 2;
    QTest::qWait(300);
    window.grab().save(outDir + QStringLiteral("/main-window-table.png"));
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("resultTabs"));
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->tabText(i).startsWith(QLatin1String("Figure")))
            tabs->setCurrentIndex(i);
    }
    QTest::qWait(200);
    window.grab().save(outDir + QStringLiteral("/main-window-chart.png"));

    // The history of the session's runs (a second, blocked run adds a row).
    window.setCode(window.code() + QStringLiteral("\nimport os\nos.system('ls')\n"));
    window.run();
    if (finished.size() < 2 && !finished.wait(30000))
        return 4;
    HistoryDialog *history = window.openHistory();
    history->resize(1100, 420);
    QTest::qWait(300);
    history->grab().save(outDir + QStringLiteral("/history.png"));
    history->close();

    keys.setEnvironmentOverride(false);
    SettingsDialog settingsDialog(settings, keys, &window);
    settingsDialog.show();
    QTest::qWait(300);
    settingsDialog.grab().save(outDir + QStringLiteral("/settings.png"));
    // The dashboard over sample spend (made up for the picture, in a temporary ledger).
    const QString ledgerPath = dir.filePath(QStringLiteral("sample-ledger.sqlite"));
    {
        auto ledger = SpendLedger::open(ledgerPath);
        if (!ledger)
            return 3;
        const QStringList models = {QStringLiteral("command-a-03-2025"), QStringLiteral("command-r7b-12-2024"),
                                    QStringLiteral("command-r-08-2024")};
        int n = 0;
        for (int day = 1; day <= 18; ++day) {
            for (int k = 0; k < 3; ++k) {
                LedgerEntry e;
                e.idempotencyKey = QStringLiteral("sample-%1").arg(++n);
                e.runId = QStringLiteral("run-%1").arg(n / 2, 4, 10, QLatin1Char('0'));
                e.step = QStringLiteral("step");
                e.scopes = BudgetScopes::forLocalUser();
                e.charge.kind = k == 2 ? ChargeKind::Sandbox : ChargeKind::Llm;
                e.charge.resource = k == 2 ? QStringLiteral("e2b") : models.at((day + k) % 3);
                e.charge.cost = Money::fromNanos(qint64((40 + (day * 37 + k * 53) % 90) * 1'000'000) * (k == 0 ? 2 : 1));
                e.time = QDateTime(QDate(2026, 11, day), QTime(9 + k * 3, 0), Qt::UTC);
                if (!(*ledger)->insertEntry(e))
                    return 3;
            }
        }
    }
    settings.setValue(Setting::BudgetMonthlyLimitUsd, 10.0);
    SpendDashboard dashboard(settings, ledgerPath, QDateTime(QDate(2026, 11, 18), QTime(18, 0), Qt::UTC));
    dashboard.resize(1100, 760);
    dashboard.show();
    QTest::qWait(500);
    dashboard.grab().save(outDir + QStringLiteral("/dashboard.png"));
    QTextStream(stdout) << "screenshots written to " << outDir << "\n";
    return 0;
}
