#include "OutputFilesPrompt.h"

#include "OutputFilesView.h"

#include <QDir>
#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QTextDocument>

namespace safecell {

bool keepOutputFiles(OutputFilesView &outputs, QWidget *parent, SessionEnd when, std::function<QString()> chooseFolder)
{
    const QList<WorkFile> files = outputs.unsaved();
    if (files.isEmpty())
        return true;
    if (!chooseFolder) {
        chooseFolder = [parent] {
            return QFileDialog::getExistingDirectory(parent, QObject::tr("Save the snippets' files into"),
                                                     QDir::homePath());
        };
    }
    const QString ending = when == SessionEnd::WindowCloses ? QObject::tr("when SafeCell closes")
                                                            : QObject::tr("with this session");
    QStringList names;
    for (const WorkFile &file : files)
        names << QStringLiteral("/work/") + displayedWorkPath(file.path);
    for (;;) {
        QMessageBox box(QMessageBox::Warning, QObject::tr("Unsaved files"),
                        files.size() == 1
                            ? QObject::tr("Snippets wrote a file that you have not saved. It is deleted %1.")
                                  .arg(ending)
                            : QObject::tr("Snippets wrote %1 files that you have not saved. They are deleted %2.")
                                  .arg(files.size())
                                  .arg(ending),
                        QMessageBox::NoButton, parent);
        box.setObjectName(QStringLiteral("unsavedOutputsBox"));
        box.setTextFormat(Qt::PlainText);
        // Rich text made from plain: a name is never markup (a link, a fake line).
        box.setInformativeText(Qt::convertFromPlainText(names.join(QLatin1Char('\n'))));
        QPushButton *saveAll = box.addButton(QObject::tr("Save All…"), QMessageBox::AcceptRole);
        saveAll->setObjectName(QStringLiteral("saveAllOutputs"));
        box.addButton(QMessageBox::Discard)->setObjectName(QStringLiteral("discardOutputs"));
        box.addButton(QMessageBox::Cancel)->setObjectName(QStringLiteral("cancelClose"));
        box.setDefaultButton(saveAll);
        box.exec();
        if (box.clickedButton() == box.button(QMessageBox::Discard))
            return true;
        if (box.clickedButton() != saveAll)
            return false; // Cancel, or the box closed
        const QString folder = chooseFolder();
        if (folder.isEmpty())
            continue; // no folder picked: ask again
        QString error;
        if (outputs.saveAllInto(folder, &error))
            return true;
        QMessageBox::warning(parent, QObject::tr("Unsaved files"),
                             QObject::tr("Some files could not be saved:\n%1").arg(error));
        return false;
    }
}

} // namespace safecell
