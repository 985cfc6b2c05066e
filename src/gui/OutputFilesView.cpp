#include "OutputFilesView.h"

#include "PlainTableItem.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMimeDatabase>
#include <QPromise>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>

#include <memory>

namespace safecell {

namespace {

// Copies off the GUI thread: a file can be as large as /work (1 GB). The
// watcher is the view's child, so a view closed meanwhile hears nothing.
void copyInPool(QObject *owner, const WorkFileListing &listing, const QString &path, const QString &destination,
                std::function<void(const QString &error)> done)
{
    auto promise = std::make_shared<QPromise<QString>>();
    promise->start();
    auto *watcher = new QFutureWatcher<QString>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner, [watcher, done] {
        done(watcher->future().resultCount() > 0 ? watcher->future().result() : QObject::tr("the copy was lost"));
        watcher->deleteLater();
    });
    watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, root = listing.root, max = listing.maxFileBytes, path, destination] {
        const auto copied = workfiles::copyOut(root, path, destination, max);
        promise->addResult(copied ? QString() : copied.error());
        promise->finish();
    });
}

// What Open hands to the desktop: only types whose apps display rather
// than run, judged by content, and named for that type, since the snippet
// chose the name (report.exe, a .desktop file, a macro workbook). The
// extension for each.
const QHash<QString, QString> &openableTypes()
{
    static const QHash<QString, QString> types{
        {QStringLiteral("image/png"), QStringLiteral("png")},
        {QStringLiteral("image/jpeg"), QStringLiteral("jpg")},
        {QStringLiteral("image/gif"), QStringLiteral("gif")},
        {QStringLiteral("application/pdf"), QStringLiteral("pdf")},
        {QStringLiteral("text/plain"), QStringLiteral("txt")},
        {QStringLiteral("text/csv"), QStringLiteral("csv")},
    };
    return types;
}

} // namespace

QString displayedWorkPath(const QString &path)
{
    // A name is the snippet's: no line breaks or other controls that could
    // fake lines of a list.
    QString shown = path;
    for (QChar &c : shown) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            c = QChar::ReplacementCharacter;
    }
    return shown;
}

namespace {

} // namespace

OutputFilesView::OutputFilesView(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_note(new QLabel(this))
    , m_saveAs(new QPushButton(tr("Save As…"), this))
    , m_openButton(new QPushButton(tr("Open"), this))
{
    m_choose = [this](const QString &suggested) {
        return QFileDialog::getSaveFileName(this, tr("Save a file a snippet wrote"),
                                            QDir::home().filePath(QFileInfo(suggested).fileName()));
    };
    m_open = [](const QUrl &file) { return QDesktopServices::openUrl(file); };
    m_table->setObjectName(QStringLiteral("outputsTable"));
    m_table->setAccessibleName(tr("Files written by snippets"));
    m_table->setHorizontalHeaderLabels({tr("In /work"), tr("Size"), tr("Written"), tr("Saved")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        m_saveAs->setEnabled(!selectedPath().isEmpty());
        m_openButton->setEnabled(!selectedPath().isEmpty());
    });
    m_saveAs->setObjectName(QStringLiteral("outputsSaveAs"));
    m_saveAs->setToolTip(tr("Copy the selected file out of the sandbox to a place you pick"));
    connect(m_saveAs, &QPushButton::clicked, this, &OutputFilesView::saveSelected);
    m_openButton->setObjectName(QStringLiteral("outputsOpen"));
    m_openButton->setToolTip(tr("Open a copy of the selected file with the desktop's default app"));
    connect(m_openButton, &QPushButton::clicked, this, &OutputFilesView::openSelected);
    m_note->setObjectName(QStringLiteral("outputsNote"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText); // it names the snippet's files
    auto *title = new QLabel(tr("Written by snippets (/work, kept for this session)"), this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(m_table);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_saveAs);
    buttons->addWidget(m_openButton);
    buttons->addStretch();
    layout->addLayout(buttons);
    layout->addWidget(m_note);
    refresh();
}

void OutputFilesView::showListing(const WorkFileListing &listing)
{
    m_listing = listing;
    refresh();
}

void OutputFilesView::clear()
{
    m_listing = {};
    m_saved.clear();
    refresh();
}

QList<WorkFile> OutputFilesView::unsaved() const
{
    QList<WorkFile> files;
    for (const WorkFile &file : m_listing.files) {
        const auto saved = m_saved.constFind(file.path);
        if (saved == m_saved.cend() || saved->changed != file.changed)
            files << file;
    }
    return files;
}

void OutputFilesView::save(const QString &path, const QString &destination)
{
    const auto file = std::find_if(m_listing.files.cbegin(), m_listing.files.cend(),
                                   [&path](const WorkFile &f) { return f.path == path; });
    const QDateTime changed = file != m_listing.files.cend() ? file->changed : QDateTime();
    copyInPool(this, m_listing, path, destination, [this, path, destination, changed](const QString &error) {
        if (!error.isEmpty()) {
            m_note->setText(error);
            Q_EMIT failed(error);
            return;
        }
        m_saved.insert(path, {changed, destination});
        refresh();
        m_note->setText(tr("Saved /work/%1 as %2.").arg(displayedWorkPath(path), destination));
        Q_EMIT saved(path, destination);
    });
}

bool OutputFilesView::saveAllInto(const QString &folder, QString *error)
{
    QStringList problems;
    QSet<QString> used;
    for (const WorkFile &file : unsaved()) {
        // Flattened (a/b.csv is a-b.csv), and never over a file that is
        // there already or another of this batch: "a-b (2).csv".
        const QFileInfo flat(QString(file.path).replace(QLatin1Char('/'), QLatin1Char('-')));
        QString name = flat.fileName();
        for (int n = 2; used.contains(name) || QFileInfo::exists(QDir(folder).filePath(name)); ++n) {
            name = flat.suffix().isEmpty() || flat.completeBaseName().isEmpty()
                       ? QStringLiteral("%1 (%2)").arg(flat.fileName()).arg(n)
                       : QStringLiteral("%1 (%2).%3").arg(flat.completeBaseName()).arg(n).arg(flat.suffix());
        }
        used.insert(name);
        const QString destination = QDir(folder).filePath(name);
        if (const auto copied = workfiles::copyOut(m_listing.root, file.path, destination, m_listing.maxFileBytes);
            copied)
            m_saved.insert(file.path, {file.changed, destination});
        else
            problems << copied.error();
    }
    refresh();
    if (error)
        *error = problems.join(QLatin1Char('\n'));
    return problems.isEmpty();
}

void OutputFilesView::setDestinationChooser(std::function<QString(const QString &)> choose)
{
    m_choose = std::move(choose);
}

void OutputFilesView::setOpener(std::function<bool(const QUrl &)> open)
{
    m_open = std::move(open);
}

QString OutputFilesView::note() const
{
    return m_note->text();
}

void OutputFilesView::saveSelected()
{
    const QString path = selectedPath();
    if (path.isEmpty())
        return;
    const QString destination = m_choose(path);
    if (!destination.isEmpty())
        save(path, destination);
}

void OutputFilesView::openSelected()
{
    const QString path = selectedPath();
    if (path.isEmpty())
        return;
    // A folder of this process's own (0700, gone at exit), so no other user
    // can plant a link where the copy goes, or read it.
    if (!m_openedCopies)
        m_openedCopies = std::make_unique<QTemporaryDir>();
    if (!m_openedCopies->isValid()) {
        m_note->setText(tr("No private folder for the copy to open: %1").arg(m_openedCopies->errorString()));
        return;
    }
    const QString copy = m_openedCopies->filePath(QStringLiteral("copy-%1").arg(++m_openedCount));
    copyInPool(this, m_listing, path, copy, [this, path, copy](const QString &error) {
        if (!error.isEmpty()) {
            m_note->setText(error);
            Q_EMIT failed(error);
            return;
        }
        const QString type = QMimeDatabase().mimeTypeForFile(copy, QMimeDatabase::MatchContent).name();
        const QString extension = openableTypes().value(type);
        if (extension.isEmpty()) {
            QFile::remove(copy);
            m_note->setText(tr("Open shows images, PDFs and text only: /work/%1 is %2, which the desktop might run "
                               "rather than show. Save As… keeps it.")
                                .arg(displayedWorkPath(path), type));
            return;
        }
        const QString named = QStringLiteral("%1.%2").arg(copy, extension);
        if (!QFile::rename(copy, named)) {
            m_note->setText(tr("Could not name the copy %1.").arg(named));
            return;
        }
        m_note->setText(m_open(QUrl::fromLocalFile(named))
                            ? tr("Opened a copy of /work/%1 (%2).").arg(displayedWorkPath(path), named)
                            : tr("No app on this desktop opens %1; Save As… keeps it.").arg(named));
    });
}

QString OutputFilesView::selectedPath() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    return items.isEmpty() ? QString() : m_table->item(items.first()->row(), NameColumn)->data(Qt::UserRole).toString();
}

void OutputFilesView::refresh()
{
    const QList<WorkFile> &files = m_listing.files;
    m_table->setRowCount(int(files.size()));
    const QLocale locale;
    for (int row = 0; row < files.size(); ++row) {
        const WorkFile &file = files.at(row);
        const auto saved = m_saved.constFind(file.path);
        const bool current = saved != m_saved.cend() && saved->changed == file.changed;
        QTableWidgetItem *name = plainTableItem(displayedWorkPath(file.path));
        name->setData(Qt::UserRole, file.path);
        m_table->setItem(row, NameColumn, name);
        m_table->setItem(row, SizeColumn,
                         plainTableItem(locale.formattedDataSize(file.size, 1, QLocale::DataSizeTraditionalFormat)));
        m_table->setItem(row, ModifiedColumn,
                         plainTableItem(locale.toString(file.modified.toLocalTime(), QLocale::ShortFormat)));
        m_table->setItem(row, SavedColumn,
                         current ? plainTableItem(tr("saved"), saved->destination) : plainTableItem(tr("not saved")));
    }
    m_table->resizeColumnsToContents();
    m_saveAs->setEnabled(!selectedPath().isEmpty());
    m_openButton->setEnabled(!selectedPath().isEmpty());
    if (files.isEmpty())
        m_note->setText(tr("Files a snippet writes in its working folder (/work) appear here after the run."));
    else if (m_listing.truncated)
        m_note->setText(tr("Only the newest %1 files are listed.").arg(files.size()));
    else
        m_note->clear();
}

} // namespace safecell
