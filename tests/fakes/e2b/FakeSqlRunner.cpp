#include "FakeSqlRunner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace safecell::fake {

namespace {

// Marks a display() bundle on stdout, so it is told apart from prints.
constexpr char kDisplayMark = '\x1e';

bool writeFile(const QString &path, const QByteArray &content)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

FakeScript failed(const QString &why)
{
    return {FakeStep::error(QStringLiteral("RuntimeError"),
                            QStringLiteral("the fake could not run the SQL script: ") + why)};
}

FakeStep resultStep(const QJsonObject &bundle)
{
    PyFields fields;
    if (bundle.contains(QLatin1String("text/plain")))
        fields << qMakePair(QStringLiteral("text"), bundle.value(QLatin1String("text/plain")));
    if (bundle.contains(QLatin1String("text/html")))
        fields << qMakePair(QStringLiteral("html"), bundle.value(QLatin1String("text/html")));
    if (bundle.contains(QLatin1String("application/json")))
        fields << qMakePair(QStringLiteral("json"), bundle.value(QLatin1String("application/json")));
    return FakeStep::result(fields, false); // display(): E2B's display_data is never the main result
}

} // namespace

FakeScript runSqlScriptWithPython(const QString &code, const QHash<QString, QByteArray> &files)
{
    QTemporaryDir root;
    if (!root.isValid())
        return failed(root.errorString());
    // The sandbox's files under the temporary folder, at the same paths.
    QString local = code;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString path = root.path() + it.key();
        if (!writeFile(path, it.value()))
            return failed(QStringLiteral("could not write ") + path);
        local.replace(it.key(), path);
    }
    if (!writeFile(root.filePath(QStringLiteral("stub/IPython/__init__.py")), {})
        || !writeFile(root.filePath(QStringLiteral("stub/IPython/display.py")),
                      QByteArray("import json, sys\n"
                                 "def display(obj, raw=False):\n"
                                 "    sys.stdout.write('\\x1e' + json.dumps(obj) + '\\n')\n")))
        return failed(QStringLiteral("could not write the IPython stand-in"));

    QProcess python;
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("PYTHONPATH"), root.filePath(QStringLiteral("stub")));
    python.setProcessEnvironment(environment);
    python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-")});
    python.write(local.toUtf8());
    python.closeWriteChannel();
    if (!python.waitForFinished(30000)) {
        python.kill();
        python.waitForFinished();
        return failed(QStringLiteral("python3 did not finish"));
    }

    FakeScript script;
    QString printed;
    const auto flushPrinted = [&] {
        if (!printed.isEmpty())
            script.append(FakeStep::out(printed));
        printed.clear();
    };
    for (const QByteArray &line : python.readAllStandardOutput().split('\n')) {
        if (line.startsWith(kDisplayMark)) {
            flushPrinted();
            script.append(resultStep(QJsonDocument::fromJson(line.mid(1)).object()));
        } else if (!line.isEmpty()) {
            printed += QString::fromUtf8(line) + QLatin1Char('\n');
        }
    }
    flushPrinted();
    if (python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0) {
        // The traceback's last line: "Name: value".
        const QString last = QString::fromUtf8(python.readAllStandardError()).trimmed().section(QLatin1Char('\n'), -1);
        script.append(FakeStep::error(last.section(QStringLiteral(": "), 0, 0).section(QLatin1Char('.'), -1),
                                      last.section(QStringLiteral(": "), 1)));
    }
    return script;
}

} // namespace safecell::fake
