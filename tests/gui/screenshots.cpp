// Takes the README's screenshots: the main window after a run with a chart
// and a table, and the settings dialog. Run under Xvfb by
// scripts/screenshots (not part of ctest: it writes into docs/images).
#include "gui/MainWindow.h"
#include "gui/SettingsDialog.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace safecell;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QString outDir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("docs/images");
    QDir().mkpath(outDir);
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("shots.ini")));
    MainWindow window(settings);
    window.resize(1200, 820);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
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
    if (!finished.wait(90000))
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

    KeyStore keys(QStringLiteral("org.safecell.screenshots"));
    keys.setEnvironmentOverride(false);
    SettingsDialog settingsDialog(settings, keys, &window);
    settingsDialog.show();
    QTest::qWait(300);
    settingsDialog.grab().save(outDir + QStringLiteral("/settings.png"));
    QTextStream(stdout) << "screenshots written to " << outDir << "\n";
    return 0;
}
