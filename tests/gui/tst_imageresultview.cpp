#include "gui/ImageResultView.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>
#include <QScrollArea>

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

    void undecodableBytesSaySo()
    {
        ImageResultView view(QByteArrayLiteral("not a png"));
        QVERIFY(!view.isValid());
    }
};

QTEST_MAIN(TestImageResultView)
#include "tst_imageresultview.moc"
