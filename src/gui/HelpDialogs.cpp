#include "HelpDialogs.h"

#include "sandbox/SandboxLimits.h"
#include "settings/Settings.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace safecell::help {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("safecell::help", text);
}

QString plain(QString text)
{
    text.remove(QLatin1Char('&'));
    if (text.endsWith(QChar(0x2026)))
        text.chop(1);
    return text;
}

QString keysText(const QAction *action)
{
    QStringList keys;
    for (const QKeySequence &sequence : action->shortcuts())
        keys << sequence.toString(QKeySequence::NativeText);
    return keys.join(tr(" or "));
}

QDialog *dialogAround(QWidget *content, const QString &title, QWidget *parent, QSize size)
{
    auto *dialog = new QDialog(parent);
    dialog->setWindowTitle(title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(dialog);
    content->setParent(dialog);
    layout->addWidget(content);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog->resize(size);
    dialog->open();
    return dialog;
}

} // namespace

QDialog *openShortcuts(QMainWindow *window)
{
    struct Row {
        QString where, what, keys;
    };
    QList<Row> rows;
    QSet<const QAction *> listed;
    const auto addMenu = [&](const auto &self, QMenu *menu, const QString &where) -> void {
        for (QAction *action : menu->actions()) {
            if (action->menu()) {
                self(self, action->menu(), where);
                continue;
            }
            listed.insert(action);
            if (!action->isSeparator() && !action->shortcuts().isEmpty())
                rows.append({where, plain(action->text()), keysText(action)});
        }
    };
    for (QAction *top : window->menuBar()->actions()) {
        if (top->menu())
            addMenu(addMenu, top->menu(), plain(top->text()));
    }
    // Window-wide keys that are no menu entry (the Ask box's Ctrl+K...).
    for (const QAction *action : window->findChildren<QAction *>()) {
        if (!listed.contains(action) && !action->shortcuts().isEmpty() && !action->text().isEmpty()
            && action->shortcutContext() == Qt::WindowShortcut && !action->menu())
            rows.append({tr("Window"), plain(action->text()), keysText(action)});
    }
    rows.append({tr("Editor"), tr("Indent (the editor keeps Tab; F6 leaves it)"), tr("Tab")});
    rows.append({tr("Results"), tr("Next or previous result tab, when the results have the focus"),
                 tr("Ctrl+PgDown / Ctrl+PgUp")});
    rows.append({tr("Figure"), tr("Zoom"), tr("Ctrl+wheel, Ctrl++, Ctrl+-, Ctrl+0")});
    rows.append({tr("Table"), tr("Copy the selected cells"), tr("Ctrl+C")});
    rows.append({tr("Findings"), tr("Show a finding's line in the editor"), tr("Enter")});

    auto *table = new QTableWidget(int(rows.size()), 3);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setHorizontalHeaderLabels({tr("Where"), tr("Command"), tr("Keys")});
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows[i].where));
        table->setItem(i, 1, new QTableWidgetItem(rows[i].what));
        table->setItem(i, 2, new QTableWidgetItem(rows[i].keys));
    }
    table->resizeColumnToContents(0);
    table->resizeColumnToContents(2);
    return dialogAround(table, tr("Keyboard shortcuts"), window, {640, 560});
}

QString e2bDifferencesText()
{
    return tr("Where E2B differs from the local sandbox: its memory and CPUs are its template's (Settings' memory, "
              "CPU-time and process limits apply to the local sandbox only); its whole file system is writable and "
              "lasts as long as the sandbox; your data folder is not there; SQL runs on an uploaded copy of the "
              "workspace database, after you agree to send it.");
}

QString snippetRulesHtml(const Settings &settings, qint64 timeLimitMs, bool e2bInternet)
{
    const SandboxLimits limits = SandboxLimits::fromSettings(settings);
    const qint64 capS = settings.integer(Setting::RequestTimeLimitCapMs) / 1000;
    const QString data =
        tr("Files and folders you add (File > Add Data…, or dropped on the window; listed in the Files pane) are "
           "at <code>/data/&lt;name&gt;</code>, read-only. ")
        + (limits.dataFolder.isEmpty() ? tr("A data folder set in Settings > Sandbox shows its entries there too.")
                                       : tr("Your data folder <code>%1</code> shows its entries there too.")
                                             .arg(limits.dataFolder.toHtmlEscaped()));
    const QString database = limits.workspaceDatabase.isEmpty()
                                 ? tr("the bundled example database (a small shop's sales)")
                                 : tr("<code>%1</code>").arg(limits.workspaceDatabase.toHtmlEscaped());
    QString html;
    html += tr("<h3>Where code runs</h3><p>Every snippet runs in a sandbox, never on your machine directly: on "
               "this computer in a bubblewrap sandbox, or in E2B's cloud sandbox once an E2B key is set. "
               "Before anything runs, SafeCell checks the code; risky code is blocked or asks you first.</p>");
    html += tr("<h3>Network</h3><p>None. Code cannot open connections or download anything. To use data from "
               "the web, save it into your data folder first.</p>");
    html += tr("<h3>Files</h3><ul><li>%1</li><li>Each session has its own writable folder, <code>/work</code> "
               "(the current folder), for files a snippet writes; it goes when the session restarts.</li>"
               "<li><code>/tmp</code> is private and small. The rest of the system is read-only, and your home "
               "folder is not there at all.</li></ul>")
                .arg(data);
    html += tr("<h3>SQL</h3><p>SQL runs against %1, read-only. Statements that write go, after you confirm, to "
               "a scratch database of the session's own.</p>")
                .arg(database);
    html += tr("<h3>Limits</h3><ul><li>Time: %1 s per run (the toolbar; at most %2 s, the cap in Settings). "
               "A run that takes longer is stopped, and its session's variables are kept.</li>"
               "<li>Memory: %3 MB. CPU time: %4 s per run. Processes: %5. A written file: at most %6 MB.</li>"
               "<li>Output: the first %7 MB of text per run.</li></ul>")
                .arg(timeLimitMs / 1000)
                .arg(capS)
                .arg(limits.memoryLimitMb)
                .arg(limits.cpuSeconds)
                .arg(limits.maxProcesses)
                .arg(limits.maxFileSizeMb)
                .arg(limits.outputCapBytes / (1024 * 1024));
    html += tr("<h3>On E2B</h3><p>With an E2B key, code runs in E2B's cloud under the same rules wherever E2B "
               "allows it:</p><ul>"
               "<li>Network: none, unless you allow the internet for the session (Settings &gt; Sandbox); the "
               "status bar then says \"internet on\". %1</li>"
               "<li>Time and output: the same limits per run.</li>"
               "<li>Data: before the first run that needs local data (the workspace database for SQL), SafeCell "
               "lists the files and asks once per session whether they may go to E2B's cloud (the bundled example "
               "database, SafeCell's own, goes without asking). Your data folder "
               "is never uploaded, so <code>/data</code> is not there.</li></ul>"
               "<p>Where E2B cannot follow them: memory and CPUs are its template's, not the limits above, and "
               "there is no process limit; the sandbox's whole file system is writable, for as long as the "
               "sandbox lives.</p>")
                .arg(e2bInternet ? tr("<b>This session allows it.</b>") : tr("This session does not."));
    html += tr("<h3>Sessions</h3><p>Variables live on between runs, like a notebook's, until you restart the "
               "session (Run > Restart session). Python and SQL tabs share the session.</p>");
    return html;
}

QDialog *openSnippetRules(const Settings &settings, qint64 timeLimitMs, bool e2bInternet, QWidget *parent)
{
    auto *text = new QTextBrowser;
    text->setObjectName(QStringLiteral("snippetRules"));
    text->setHtml(snippetRulesHtml(settings, timeLimitMs, e2bInternet));
    return dialogAround(text, tr("What can snippets do?"), parent, {620, 620});
}

void showAbout(QWidget *parent)
{
    QMessageBox::about(parent, tr("About SafeCell"),
                       tr("<h3>SafeCell %1</h3><p>A workbench for analysts: write a Python or SQL snippet, press "
                          "Run, and see its output, charts and tables. Code is checked before it runs, runs in a "
                          "sandbox, and paid steps stay within your budget.</p><p>Qt %2.</p>")
                           .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

} // namespace safecell::help
