#include "SheetLoader.h"

#include "SchemaBrowser.h"
#include "sandbox/SheetExport.h"

#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QRegularExpression>

namespace safecell {

SheetLoader::SheetLoader(SchemaBrowser &browser, std::function<SandboxLimits()> limits, QWidget *window)
    : QObject(window)
    , m_browser(browser)
    , m_limits(std::move(limits))
    , m_window(window)
{
    m_choose = [this](const QStringList &sheets) {
        bool ok = false;
        const QString sheet = QInputDialog::getItem(m_window, tr("Load into SQL"),
                                                    tr("The workbook has %1 sheets. Load which one?")
                                                        .arg(sheets.size()),
                                                    sheets, 0, false, &ok);
        return ok ? sheet : QString();
    };
    connect(this, &SheetLoader::failed, this,
            [this](const QString &message) { QMessageBox::warning(m_window, tr("Load into SQL"), message); });
}

SheetLoader::~SheetLoader() = default;

void SheetLoader::setSheetChooser(std::function<QString(const QStringList &)> choose)
{
    m_choose = std::move(choose);
}

void SheetLoader::load(const SharedPath &workbook)
{
    if (m_export && m_export->isBusy()) {
        Q_EMIT failed(tr("A workbook is being read already."));
        return;
    }
    // The sandbox of the settings in force: python, memory, CPU (a new one
    // each load, so a change of the settings applies).
    m_export = std::make_unique<SheetExport>(m_limits());
    connect(
        m_export.get(), &SheetExport::sheetsListed, this,
        [this, workbook](const QStringList &sheets, const QString &error) {
        if (!error.isEmpty()) {
            Q_EMIT failed(error);
            return;
        }
        const QString sheet = sheets.size() == 1 ? sheets.first() : m_choose(sheets);
        if (!sheet.isEmpty())
            exportSheet(workbook, sheet);
        },
        Qt::SingleShotConnection);
    m_export->listSheets(workbook);
}

void SheetLoader::exportSheet(const SharedPath &workbook, const QString &sheet)
{
    auto folder = std::make_unique<QTemporaryDir>();
    if (!folder->isValid()) {
        Q_EMIT failed(tr("No temporary folder for the sheet: %1").arg(folder->errorString()));
        return;
    }
    // The CSV's name becomes the table's: the workbook's and the sheet's.
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_ -]"));
    const QString stem = QStringLiteral("%1_%2")
                             .arg(QFileInfo(workbook.name).completeBaseName(), sheet)
                             .replace(unsafe, QStringLiteral("_"));
    const QString csv = folder->filePath(stem + QStringLiteral(".csv"));
    m_csvFolders.push_back(std::move(folder));
    connect(
        m_export.get(), &SheetExport::exported, this,
        [this, csv](const QString &error) {
        if (error.isEmpty())
            m_browser.loadCsvFile(csv);
        else
            Q_EMIT failed(error);
        },
        Qt::SingleShotConnection);
    m_export->exportSheet(workbook, sheet, csv);
}

} // namespace safecell
