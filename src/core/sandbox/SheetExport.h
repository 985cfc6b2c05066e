#pragma once

#include "sandbox/SandboxLimits.h"
#include "sandbox/SharedData.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace safecell {

class KernelProcess;
class SandboxWorkFolder;
namespace kernel {
struct Message;
}

// An Excel workbook the analyst shared, opened in a sandbox of its own:
// the same bubblewrap, limits and Python (openpyxl, from Debian) as a
// snippet's, since a workbook is a zip of XML from anywhere. It lists the
// sheets, or writes one sheet as CSV to a host file for the scratch
// database's CSV import (CsvImport.h). One request at a time.
class SheetExport : public QObject {
    Q_OBJECT
public:
    explicit SheetExport(SandboxLimits limits, QObject *parent = nullptr);
    ~SheetExport() override;

    void listSheets(const SharedPath &workbook);
    // Cells as openpyxl reads them with data_only (a formula's last value);
    // empty cells as empty fields.
    void exportSheet(const SharedPath &workbook, const QString &sheet, const QString &csvDestination);
    bool isBusy() const { return m_process != nullptr; }

Q_SIGNALS:
    void sheetsListed(const QStringList &sheets, const QString &error);
    void exported(const QString &error); // empty: the CSV is at its destination

private:
    enum class Task { List, Export };
    void run(Task task, const SharedPath &workbook, const QString &code, const QString &destination);
    void onMessage(const kernel::Message &message);
    void onExited(int exitCode, bool crashed, const QString &stderrTail);
    void finish(const QString &error);

    SandboxLimits m_limits;
    std::unique_ptr<SandboxWorkFolder> m_work;
    KernelProcess *m_process = nullptr;
    Task m_task = Task::List;
    QString m_runId;
    QString m_destination;
    QString m_stdout;
    QString m_error;
    bool m_ended = false;
};

} // namespace safecell
