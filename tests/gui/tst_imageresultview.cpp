#include "gui/ImageResultView.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QPushButton>
#include <QScrollArea>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestImageResultView : public QObject {
    Q_OBJECT
private:
    static QByteArray png(int w, int h)
    {
        QImage image(w, h, QImage::Format_RGB32);
        image.fill(Qt::darkCyan);
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        return bytes;
    }

private Q_SLOTS:
    void showsTheImageAtActualSize()
    {
        ImageResultView view(png(200, 100));
        QVERIFY(view.isValid());
        QCOMPARE(view.imageSize(), QSize(200, 100));
        QCOMPARE(view.zoom(), 1.0);
    }

    void zoomsWithKeysAndCtrlWheel()
    {
        ImageResultView view(png(200, 100));
        view.resize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTest::keyClick(&view, Qt::Key_Plus, Qt::ControlModifier);
        QCOMPARE(view.zoom(), 1.25);
        QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(view.zoom(), 1.0);
        QWidget *viewport = view.findChild<QScrollArea *>()->viewport();
        QWheelEvent wheel(QPointF(10, 10), viewport->mapToGlobal(QPointF(10, 10)), QPoint(), QPoint(0, -120),
                          Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(viewport, &wheel);
        QCOMPARE(view.zoom(), 0.8);
        view.setZoom(1000);
        QVERIFY(view.zoom() <= 16.0);
        view.fitToWindow(); // the panel is larger than the image: fit enlarges it to the panel's width
        QVERIFY(view.zoom() > 1.0);
        const QSize area = viewport->size();
        QVERIFY(200 * view.zoom() <= area.width() + 1 && 100 * view.zoom() <= area.height() + 1);
    }

    void saveWritesTheOriginalBytes()
    {
        const QByteArray bytes = png(30, 20);
        ImageResultView view(bytes);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"f.png"_s);
        QVERIFY(view.saveTo(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), bytes);
        QVERIFY(view.findChild<QPushButton *>(u"saveImageButton"_s));
    }

    // A large figure opens fitted to the panel (not cropped at 100%) and
    // follows the panel's size until the analyst zooms.
    void aLargeFigureOpensFittedAndStaysFitted()
    {
        ImageResultView view(png(1200, 600));
        view.resize(500, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QWidget *viewport = view.findChild<QScrollArea *>()->viewport();
        QVERIFY(view.isFitted());
        QVERIFY2(view.zoom() < 0.5, qPrintable(QString::number(view.zoom())));
        QVERIFY(1200 * view.zoom() <= viewport->width() + 1 && 600 * view.zoom() <= viewport->height() + 1);
        const double before = view.zoom();
        view.resize(900, 700);
        QTRY_VERIFY(view.zoom() > before);
        QVERIFY(1200 * view.zoom() <= viewport->width() + 1);
        QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier); // actual size: fitting stops
        QCOMPARE(view.zoom(), 1.0);
        QVERIFY(!view.isFitted());
        view.resize(600, 500);
        QCOMPARE(view.zoom(), 1.0);
        QTest::keyClick(&view, Qt::Key_9, Qt::ControlModifier); // Fit again
        QVERIFY(view.isFitted());
        QVERIFY(1200 * view.zoom() <= viewport->width() + 1);
    }

    void savesThePngOrTheSvg()
    {
        const QByteArray bytes = png(30, 20);
        const QByteArray svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\"/>";
        ImageResultView view(bytes);
        QTemporaryDir dir;
        QString error;
        QVERIFY(!view.hasSvg());
        QVERIFY(!view.saveTo(dir.filePath(u"f.svg"_s), &error)); // PNG only: says so
        QVERIFY(!error.isEmpty());
        view.setSvg(svg);
        QVERIFY(view.saveTo(dir.filePath(u"f.svg"_s)));
        QFile file(dir.filePath(u"f.svg"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), svg);
    }

    void undecodableBytesSaySo()
    {
        ImageResultView view(QByteArrayLiteral("not a png"));
        QVERIFY(!view.isValid());
    }
};

QTEST_MAIN(TestImageResultView)
#include "tst_imageresultview.moc"
