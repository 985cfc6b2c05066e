// Issue 22 item 2: a figure made headless is not lost. `safecell run --json`
// (the HTTP API's body) carries it as an image/png mime bundle, and
// `--save-figures DIR` writes it as a file, from both sandboxes.
#include "CliProcess.h"
#include "FakeE2b.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using safecell::fake::FakeE2b;
using safecell::fake::FakeStep;

namespace {

const QByteArray kPngMagic("\x89PNG\r\n\x1a\n", 8);

const QByteArray kPlot = "import matplotlib.pyplot as plt\n"
                         "plt.plot([1, 2, 3], [2, 4, 1])\n"
                         "plt.title('sales')\n";

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The bundles of `--json`'s body that hold a PNG, decoded.
QList<QByteArray> pngsOf(const QString &jsonOut)
{
    QList<QByteArray> pngs;
    const QJsonArray results = QJsonDocument::fromJson(jsonOut.toUtf8()).object().value(u"results"_s).toArray();
    for (const QJsonValue &result : results) {
        const QJsonObject data = result.toObject().value(u"data"_s).toObject();
        if (data.contains(u"image/png"_s))
            pngs << QByteArray::fromBase64(data.value(u"image/png"_s).toString().toLatin1());
    }
    return pngs;
}

} // namespace

class TestCliFigures : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content) { return writeTestFile(m_dir, name, content); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(!qEnvironmentVariable("SAFECELL_BINARY").isEmpty());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(u"config"_s).toUtf8());
    }

    void aLocalFigureComesBackAsPngAndAsAFile()
    {
        const QString plot = writeFile(u"plot.py"_s, kPlot);
        auto r = runCli({u"run"_s, plot, u"--json"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QByteArray> pngs = pngsOf(r.out);
        QCOMPARE(pngs.size(), 1);
        QVERIFY(pngs.first().startsWith(kPngMagic));

        const QString folder = m_dir.filePath(u"figures/new"_s); // made, parents too
        r = runCli({u"run"_s, plot, u"--save-figures"_s, folder});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QByteArray saved = readAll(folder + u"/plot-1.png"_s);
        QVERIFY(saved.startsWith(kPngMagic));
        QVERIFY2(r.err.contains(u"saved figure %1/plot-1.png"_s.arg(folder)), qPrintable(r.err));
        // The local kernel sends SVG beside the PNG.
        QVERIFY(readAll(folder + u"/plot-1.svg"_s).contains("<svg"));
    }

    // Issue 20 item 6, headless: the same report File > Export Report… writes.
    void runWritesAReportWithTheFigureEmbedded()
    {
        const QString plot = writeFile(u"report-plot.py"_s, kPlot + "print('<done>')\n");
        const QString report = m_dir.filePath(u"report.html"_s);
        auto r = runCli({u"run"_s, plot, u"--report"_s, report});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"wrote the report %1"_s.arg(report)), qPrintable(r.err));
        const QString html = QString::fromUtf8(readAll(report));
        QVERIFY(html.contains(u"plt.title(&#x27;sales&#x27;)"_s) || html.contains(u"plt.title('sales')"_s));
        QVERIFY(html.contains(u"&lt;done&gt;"_s)); // the output, escaped
        const qsizetype at = html.indexOf(u"src=\"data:image/png;base64,"_s);
        QVERIFY(at > 0);
        const qsizetype start = at + 27;
        const QByteArray png = QByteArray::fromBase64(html.mid(start, html.indexOf(u'"', start) - start).toLatin1());
        QVERIFY(png.startsWith(kPngMagic));

        const QString folder = m_dir.filePath(u"a-folder"_s);
        QVERIFY(QDir().mkpath(folder));
        r = runCli({u"run"_s, plot, u"--report"_s, folder});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--report: %1 is a folder, not a file"_s.arg(folder)), qPrintable(r.err));
        r = runCli({u"run"_s, plot, u"--report"_s, m_dir.filePath(u"missing/report.html"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"does not exist"_s), qPrintable(r.err));
    }

    void aFolderThatCannotBeWrittenFailsBeforeTheRun()
    {
        const QString notAFolder = writeFile(u"occupied"_s, "a file\n");
        const QString marker = writeFile(u"marker.py"_s, "print('ran')\n");
        const auto r = runCli({u"run"_s, marker, u"--save-figures"_s, notAFolder});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--save-figures: %1 is a file, not a folder"_s.arg(notAFolder)), qPrintable(r.err));
        QVERIFY(!r.out.contains(u"ran"_s)); // nothing ran, nothing was spent
        QCOMPARE(readAll(notAFolder), QByteArray("a file\n"));
    }

    void anE2bFigureComesBackAsPngAndAsAFile()
    {
        FakeE2b fake;
        QVERIFY(fake.listen());
        const QByteArray png = kPngMagic + QByteArray("e2b figure");
        // As E2B sends a matplotlib figure: display data, not the main result.
        fake.setScriptContaining(u"plt.title('sales')"_s,
                                 {FakeStep::result({{u"text"_s, u"<Figure size 640x480 with 1 Axes>"_s},
                                                    {u"png"_s, QString::fromLatin1(png.toBase64())}},
                                                   false)});
        const QStringList e2b{u"XDG_CONFIG_HOME="_s + m_dir.filePath(u"config-e2b"_s),
                              u"E2B_API_KEY="_s + FakeE2b::defaultApiKey(),
                              u"SAFECELL_E2B_API_URL="_s + fake.url().toString(),
                              u"SAFECELL_E2B_SANDBOX_URL="_s + fake.url().toString()};
        const QString plot = writeFile(u"e2b-plot.py"_s, kPlot);
        auto r = runCliServing({u"run"_s, plot, u"--json"_s}, e2b);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"sandbox"_s).toString(), u"e2b"_s);
        QCOMPARE(pngsOf(r.out), QList<QByteArray>{png});

        const QString folder = m_dir.filePath(u"e2b-figures"_s);
        r = runCliServing({u"run"_s, plot, u"--save-figures"_s, folder}, e2b);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readAll(folder + u"/e2b-plot-1.png"_s), png);
        QVERIFY(!QFile::exists(folder + u"/e2b-plot-1.svg"_s)); // none was sent
        QTRY_COMPARE_WITH_TIMEOUT(fake.liveSandboxes(), 0, 10000);
    }
};

QTEST_GUILESS_MAIN(TestCliFigures)
#include "tst_clifigures.moc"
