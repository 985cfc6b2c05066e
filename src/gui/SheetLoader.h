#pragma once

#include "sandbox/SandboxLimits.h"
#include "sandbox/SharedData.h"

#include <QObject>
#include <QTemporaryDir>

#include <functional>
#include <memory>
#include <vector>

class QWidget;

namespace safecell {

class SchemaBrowser;
class SheetExport;

// Files > Load into SQL… on a shared Excel workbook: its sheets are listed
// in a sandbox (SheetExport), the analyst picks one when there are several,
// and the sheet, exported as CSV, goes through the scratch database's CSV
// import, which shows the table and its inferred types before loading.
class SheetLoader : public QObject {
    Q_OBJECT
public:
    // `limits`: the sandbox's limits now (the settings'), asked at each load.
    SheetLoader(SchemaBrowser &browser, std::function<SandboxLimits()> limits, QWidget *window);
    ~SheetLoader() override;

    void load(const SharedPath &workbook);
    // A seam for tests: picks a sheet of several (empty: none); by default
    // a list dialog.
    void setSheetChooser(std::function<QString(const QStringList &sheets)> choose);

Q_SIGNALS:
    void failed(const QString &message);

private:
    void exportSheet(const SharedPath &workbook, const QString &sheet);

    SchemaBrowser &m_browser;
    std::function<SandboxLimits()> m_limits;
    QWidget *m_window;
    std::unique_ptr<SheetExport> m_export;
    std::function<QString(const QStringList &)> m_choose;
    // The exported CSVs, kept while the import may still read them.
    std::vector<std::unique_ptr<QTemporaryDir>> m_csvFolders;
};

} // namespace safecell
