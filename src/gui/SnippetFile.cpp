#include "SnippetFile.h"

#include "common/Logging.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSaveFile>

#include <memory>

namespace safecell {

std::optional<Language> languageForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("py"))
        return Language::Python;
    if (suffix == QLatin1String("sql"))
        return Language::Sql;
    return std::nullopt;
}

SnippetFile::SnippetFile(QsciScintilla *editor, Settings &settings, QWidget *dialogParent)
    : QObject(editor)
    , m_editor(editor)
    , m_settings(settings)
    , m_dialogParent(dialogParent)
    , m_prompt([this](QWidget *parent, const QString &name) { return askAboutUnsaved(parent, name); })
{
    connect(m_editor, &QsciScintilla::modificationChanged, this, [this] { Q_EMIT titleChanged(displayName()); });
}

QMessageBox *SnippetFile::makeUnsavedQuestion(QWidget *parent, const QString &name, qint64 fileBytes, qint64 newBytes)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Unsaved changes"),
                                tr("%1 has changes that are not saved. Save them?").arg(name),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, parent);
    const bool empties = newBytes == 0 && fileBytes > 0;
    if (empties) {
        box->setInformativeText(
            tr("The editor is empty: saving would replace the %1 bytes in the file with nothing.").arg(fileBytes));
        box->setDefaultButton(QMessageBox::Cancel);
    } else {
        box->setDefaultButton(QMessageBox::Save);
    }
    box->setEscapeButton(QMessageBox::Cancel);
    return box;
}

QMessageBox::StandardButton SnippetFile::askAboutUnsaved(QWidget *parent, const QString &name) const
{
    const qint64 fileBytes = m_path.isEmpty() ? 0 : QFileInfo(m_path).size();
    const qint64 newBytes = m_editor->text().toUtf8().size();
    std::unique_ptr<QMessageBox> box(makeUnsavedQuestion(parent, name, fileBytes, newBytes));
    qCInfo(lcGui).nospace() << "asking whether to save " << name << (newBytes == 0 ? " (the editor is empty)" : "");
    const auto answer = QMessageBox::StandardButton(box->exec());
    qCInfo(lcGui).noquote() << "answer:"
                            << (answer == QMessageBox::Save      ? "Save"
                                : answer == QMessageBox::Discard ? "Discard"
                                                                 : "Cancel");
    return answer;
}

std::optional<QString> SnippetFile::readText(const QString &path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return QString::fromUtf8(file.readAll());
}

QString SnippetFile::displayName() const
{
    const QString name = m_path.isEmpty() ? (m_untitledName.isEmpty() ? tr("Untitled") : m_untitledName)
                                          : QFileInfo(m_path).fileName();
    return isModified() ? name + QLatin1Char('*') : name;
}

void SnippetFile::setUntitledName(const QString &name)
{
    m_untitledName = name;
    Q_EMIT titleChanged(displayName());
}

bool SnippetFile::isModified() const
{
    return m_editor->isModified();
}

QStringList SnippetFile::recentFiles() const
{
    return m_settings.value(Setting::EditorRecentFiles).toStringList();
}

bool SnippetFile::maybeKeepChanges(bool closing)
{
    if (!isModified() || (m_path.isEmpty() && (closing || m_editor->text().isEmpty())))
        return true;
    switch (m_prompt(m_dialogParent, m_path.isEmpty() ? tr("The untitled snippet") : QFileInfo(m_path).fileName())) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        if (closing && !m_path.isEmpty()) {
            // Closing: what is restored next time must be the file, not the discarded edit.
            QFile file(m_path);
            if (file.open(QIODevice::ReadOnly))
                m_editor->setText(QString::fromUtf8(file.readAll()));
            m_editor->setModified(false);
        }
        return true;
    default:
        return false;
    }
}

bool SnippetFile::open(const QString &requested)
{
    if (!maybeKeepChanges())
        return false;
    const QString path = requested.isEmpty() ? askOpenPath() : requested;
    if (path.isEmpty())
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(tr("Could not open %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_editor->setText(QString::fromUtf8(file.readAll()));
    m_editor->setModified(false);
    setPath(path);
    if (const auto language = languageForPath(path))
        Q_EMIT languageDetected(*language);
    return true;
}

bool SnippetFile::save()
{
    return saveAs(m_path);
}

bool SnippetFile::saveAs(const QString &requested)
{
    const QString path = requested.isEmpty() ? askSavePath() : requested;
    if (path.isEmpty())
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_editor->text().toUtf8()) < 0 || !file.commit()) {
        fail(tr("Could not save %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_editor->setModified(false);
    setPath(path);
    return true;
}

bool SnippetFile::newSnippet()
{
    if (!maybeKeepChanges())
        return false;
    m_editor->clear();
    m_editor->setModified(false);
    setPath(QString());
    return true;
}

bool SnippetFile::reopen(const QString &path)
{
    const auto saved = readText(path);
    if (!saved)
        return false;
    m_editor->setText(*saved);
    m_editor->setModified(false);
    m_path = path;
    Q_EMIT titleChanged(displayName());
    return true;
}

void SnippetFile::restoreRecovered(const QString &path, const QString &fileText, const QString &recovered)
{
    m_path = path;
    // QScintilla cannot be told "modified": replay the recovered text on
    // the saved one instead, which also lets Undo go back to the file.
    m_editor->setText(fileText);
    m_editor->setModified(false);
    m_editor->selectAll();
    m_editor->replaceSelectedText(recovered);
    m_editor->setCursorPosition(0, 0);
    Q_EMIT titleChanged(displayName());
}

void SnippetFile::fillRecentMenu(QMenu *menu)
{
    menu->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files.at(i);
        QAction *action = menu->addAction(tr("&%1 %2").arg(i + 1 < 10 ? QString::number(i + 1) : QString(), path));
        connect(action, &QAction::triggered, this, [this, path] { open(path); });
    }
    menu->setEnabled(!files.isEmpty());
}

void SnippetFile::setPath(const QString &path)
{
    m_path = path;
    if (!path.isEmpty())
        addRecent(QFileInfo(path).absoluteFilePath());
    Q_EMIT titleChanged(displayName());
}

void SnippetFile::addRecent(const QString &path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    m_settings.setValue(Setting::EditorRecentFiles, files);
}

void SnippetFile::fail(const QString &message)
{
    m_error = message;
    QMessageBox::warning(m_dialogParent, tr("SafeCell"), message);
}

QString SnippetFile::askOpenPath()
{
    return QFileDialog::getOpenFileName(m_dialogParent, tr("Open a snippet"), QFileInfo(m_path).absolutePath(),
                                        tr("Snippets (*.py *.sql);;Python (*.py);;SQL (*.sql);;All files (*)"));
}

QString SnippetFile::askSavePath()
{
    return QFileDialog::getSaveFileName(m_dialogParent, tr("Save the snippet"), m_path,
                                        tr("Python (*.py);;SQL (*.sql)"));
}

} // namespace safecell
