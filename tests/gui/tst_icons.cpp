#include <QAction>
#include <QApplication>
#include <QDirIterator>
#include <QIcon>
#include <QImage>
#include <QMenuBar>
#include <QPixmap>
#include <QTest>

#include "ui_MainWindow.h"

using namespace Qt::StringLiterals;

namespace {
// Every action icon the GUI uses, by the name its file has.
const QStringList kIcons{u"run"_s, u"stop"_s,      u"open"_s,    u"save"_s,     u"new-tab"_s,         u"find"_s,
                         u"ask"_s, u"dashboard"_s, u"history"_s, u"settings"_s, u"restart-session"_s, u"export"_s};

// Pixels that are not fully transparent.
int paintedPixels(const QImage &image)
{
    int painted = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            painted += qAlpha(image.pixel(x, y)) > 0;
    }
    return painted;
}
} // namespace

class TestIcons : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theResourceHoldsExactlyTheListedIcons()
    {
        QStringList found;
        QDirIterator it(u":/icons"_s, {u"*.svg"_s});
        while (it.hasNext())
            found << it.next().section(u'/', -1).chopped(4);
        found.sort();
        QStringList expected = kIcons;
        expected.sort();
        QCOMPARE(found, expected);
    }

    void everyIconRendersSharplyAtTwiceTheDevicePixelRatio_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : kIcons)
            QTest::newRow(qPrintable(name)) << name;
    }

    void everyIconRendersSharplyAtTwiceTheDevicePixelRatio()
    {
        QFETCH(QString, name);
        const QIcon icon(u":/icons/%1.svg"_s.arg(name));
        QVERIFY(!icon.isNull());
        // The SVG engine draws at any size: a 24 px icon at 2x is a real
        // 48 px image, not a 24 px one scaled up.
        const QPixmap pixmap = icon.pixmap(QSize(24, 24), 2.0);
        QVERIFY(!pixmap.isNull());
        QCOMPARE(pixmap.devicePixelRatio(), 2.0);
        QCOMPARE(pixmap.size(), QSize(48, 48));
        const QImage image = pixmap.toImage();
        const int painted = paintedPixels(image);
        QVERIFY2(painted > 48 * 48 / 20, qPrintable(u"%1 painted pixels"_s.arg(painted)));
        QVERIFY(painted < 48 * 48); // a shape, not a filled square
        const QPixmap big = icon.pixmap(QSize(96, 96));
        QCOMPARE(big.size(), QSize(96, 96)); // scalable: no size cap of a bitmap
    }

    void theMainWindowsActionsCarryTheirIcons()
    {
        QMainWindow window;
        Ui::MainWindow ui;
        ui.setupUi(&window);
        for (QAction *action : {ui.actionRun, ui.actionStop, ui.actionRestartSession, ui.actionNew, ui.actionOpen,
                                ui.actionSave, ui.actionSettings, ui.actionSpendDashboard, ui.actionFind}) {
            QVERIFY2(!action->icon().isNull(), qPrintable(action->objectName()));
            QVERIFY(!action->icon().pixmap(QSize(16, 16), 2.0).isNull());
        }
    }
};

QTEST_MAIN(TestIcons)
#include "tst_icons.moc"
