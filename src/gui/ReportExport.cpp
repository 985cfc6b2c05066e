#include "ReportExport.h"

#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QUrl>

namespace safecell {

namespace {

Expected<QString, QString> failed(const QString &path, const QString &why)
{
    return unexpected(QObject::tr("Could not write %1: %2").arg(path, why));
}

void writePdf(const ReportedRun &run, QIODevice *device)
{
    QTextDocument document;
    // QTextDocument shows no data: URIs: the figures become its resources.
    const QString html = runReportHtml(run, [&document](int index, const QByteArray &png) {
        const QString name = QStringLiteral("figure-%1.png").arg(index);
        document.addResource(QTextDocument::ImageResource, QUrl(name), QImage::fromData(png, "PNG"));
        return name;
    });
    document.setHtml(html);
    QPdfWriter writer(device);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setTitle(QObject::tr("SafeCell run %1").arg(run.report.runId));
    writer.setCreator(QStringLiteral("SafeCell"));
    document.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size());
    document.print(&writer);
}

} // namespace

Expected<QString, QString> writeRunReport(const ReportedRun &run, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failed(path, file.errorString());
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
        writePdf(run, &file);
    } else {
        const QByteArray bytes = runReportHtml(run).toUtf8();
        if (file.write(bytes) != bytes.size())
            return failed(path, file.errorString());
    }
    if (!file.commit())
        return failed(path, file.errorString());
    return path;
}

} // namespace safecell
