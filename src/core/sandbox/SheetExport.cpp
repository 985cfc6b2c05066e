#include "sandbox/SheetExport.h"

#include "sandbox/Bubblewrap.h"
#include "sandbox/KernelProcess.h"
#include "sandbox/KernelProtocol.h"
#include "sandbox/PythonLiteral.h"
#include "sandbox/SandboxWorkFolder.h"
#include "sandbox/WorkFiles.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

namespace safecell {

namespace {

constexpr char kCsvName[] = "sheet.csv";

QString listCode(const QString &path)
{
    return QStringLiteral("import json, openpyxl\n"
                          "book = openpyxl.load_workbook(%1, read_only=True)\n"
                          "print(json.dumps(book.sheetnames))\n")
        .arg(pythonStringLiteral(path));
}

QString exportCode(const QString &path, const QString &sheet)
{
    return QStringLiteral("import csv, openpyxl\n"
                          "book = openpyxl.load_workbook(%1, read_only=True, data_only=True)\n"
                          "with open('/work/%3', 'w', newline='', encoding='utf-8') as out:\n"
                          "    writer = csv.writer(out, lineterminator='\\n')\n"
                          "    for row in book[%2].iter_rows(values_only=True):\n"
                          "        writer.writerow(['' if value is None else value for value in row])\n")
        .arg(pythonStringLiteral(path), pythonStringLiteral(sheet), QLatin1String(kCsvName));
}

} // namespace

SheetExport::SheetExport(SandboxLimits limits, QObject *parent)
    : QObject(parent)
    , m_limits(std::move(limits))
{
}

SheetExport::~SheetExport()
{
    delete m_process; // kills the sandbox before its work folder goes
}

void SheetExport::listSheets(const SharedPath &workbook)
{
    run(Task::List, workbook, listCode(workbook.sandboxPath()), {});
}

void SheetExport::exportSheet(const SharedPath &workbook, const QString &sheet, const QString &csvDestination)
{
    run(Task::Export, workbook, exportCode(workbook.sandboxPath(), sheet), csvDestination);
}

void SheetExport::run(Task task, const SharedPath &workbook, const QString &code, const QString &destination)
{
    if (m_process) { // told to the caller of this request, not the one in flight
        if (task == Task::Export)
            Q_EMIT exported(tr("A workbook is being read already."));
        else
            Q_EMIT sheetsListed({}, tr("A workbook is being read already."));
        return;
    }
    m_task = task;
    m_destination = destination;
    const auto bwrap = findBubblewrap();
    if (!bwrap) {
        finish(bwrap.error());
        return;
    }
    if (!m_work) {
        auto work = SandboxWorkFolder::create(QDir::tempPath(), m_limits.workSizeMb);
        if (!work) {
            finish(work.error());
            return;
        }
        m_work = std::move(work).value();
    }
    m_runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_stdout.clear();
    m_error.clear();
    m_ended = false;
    m_process = new KernelProcess(this);
    connect(m_process, &KernelProcess::messageReceived, this, &SheetExport::onMessage);
    connect(m_process, &KernelProcess::exited, this, &SheetExport::onExited);
    m_process->start({*bwrap, m_work.get(), m_limits, {}, {workbook}});
    kernel::Request request;
    request.runId = m_runId;
    request.code = code;
    request.outputCapBytes = 1 << 20;
    request.cpuSeconds = m_limits.cpuSeconds;
    m_process->send(kernel::executeLine(request));
    m_process->closeInput(); // one request: the driver ends after it
}

void SheetExport::onMessage(const kernel::Message &message)
{
    switch (message.type) {
    case kernel::MessageType::Stdout:
        m_stdout += message.text;
        break;
    case kernel::MessageType::Error:
        if (message.error)
            m_error = QStringLiteral("%1: %2").arg(message.error->name, message.error->value);
        break;
    case kernel::MessageType::End:
        m_ended = message.runId == m_runId;
        break;
    default:
        break;
    }
}

void SheetExport::onExited(int exitCode, bool crashed, const QString &stderrTail)
{
    m_process->deleteLater();
    m_process = nullptr;
    if (!m_ended) {
        const QString why = explainBubblewrapFailure(stderrTail);
        finish(!why.isEmpty() ? why
                              : tr("The workbook's sandbox ended early (exit %1%2): %3")
                                    .arg(exitCode)
                                    .arg(crashed ? tr(", crashed") : QString(), stderrTail.trimmed()));
        return;
    }
    if (!m_error.isEmpty()) {
        finish(tr("The workbook could not be read: %1").arg(m_error));
        return;
    }
    if (m_task == Task::Export) {
        const auto copied = workfiles::copyOut(m_work->hostView(), QString::fromLatin1(kCsvName), m_destination,
                                               m_limits.workSizeMb << 20);
        finish(copied ? QString() : copied.error());
        return;
    }
    finish({});
}

void SheetExport::finish(const QString &error)
{
    if (m_task == Task::Export) {
        Q_EMIT exported(error);
        return;
    }
    QStringList sheets;
    QString problem = error;
    if (problem.isEmpty()) {
        const QJsonDocument names = QJsonDocument::fromJson(m_stdout.trimmed().toUtf8());
        for (const QJsonValue &name : names.array())
            sheets << name.toString();
        if (!names.isArray() || sheets.isEmpty())
            problem = tr("The workbook lists no sheets.");
    }
    Q_EMIT sheetsListed(sheets, problem);
}

} // namespace safecell
