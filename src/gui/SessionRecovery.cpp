#include "SessionRecovery.h"

#include "common/Logging.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/SnippetFile.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>

namespace safecell {

SessionRecovery::SessionRecovery(EditorTabs &tabs, QWidget *dialogParent, QObject *parent)
    : QObject(parent)
    , m_tabs(tabs)
    , m_dialogParent(dialogParent)
    , m_prompt(askWithDialog)
{
}

std::optional<TabSession> SessionRecovery::olderVersionsSession(const Settings &settings)
{
    if (auto session = TabSession::load(TabSession::legacyPathFor(settings)))
        return session;
    // The single editor's settings. Its file name was written when a file
    // was opened and its code only at a clean quit, so the two may not
    // belong together: the file is opened as it is, and code that differs
    // gets a tab of its own.
    const QString code = settings.string(Setting::EditorLastCode);
    const QString path = settings.string(Setting::EditorLastFile);
    const Language language = languageFromName(settings.string(Setting::EditorLastLanguage)).value_or(Language::Python);
    TabSession session;
    session.cleanExit = true;
    const auto fileText = SnippetFile::readText(path);
    if (fileText)
        session.tabs.append(TabState{*fileText, languageForPath(path).value_or(language), path});
    if (!code.isEmpty() && (!fileText || *fileText != code))
        session.tabs.append(TabState{code, language, QString()});
    if (session.tabs.isEmpty())
        return std::nullopt;
    return session;
}

void SessionRecovery::restore(const TabSession &session)
{
    const int first = m_tabs.count();
    for (const TabState &state : session.tabs)
        restoreTab(state, !session.cleanExit, session.savedAt);
    m_tabs.setCurrentIndex(first + session.current);
}

void SessionRecovery::restoreTab(const TabState &state, bool afterCrash, const QDateTime &savedAt)
{
    if (state.path.isEmpty()) {
        EditorTab *tab = m_tabs.addTab(state.code, state.language);
        if (!state.title.isEmpty())
            tab->file()->setUntitledName(state.title);
        return;
    }
    const auto fileText = SnippetFile::readText(state.path);
    if (!fileText) {
        // The file is gone (or unreadable): its last text stays, untitled, for the analyst to save.
        qCInfo(lcGui) << "restored" << state.path << "as an untitled tab: the file cannot be read";
        m_tabs.addTab(state.code, state.language);
        return;
    }
    EditorTab *tab = m_tabs.addTab(QString(), state.language);
    if (*fileText == state.code || !afterCrash) {
        tab->file()->reopen(state.path);
        return;
    }
    tab->file()->restoreRecovered(state.path, *fileText, state.code);
    RecoveryQuestion question;
    question.path = state.path;
    question.fileBytes = fileText->toUtf8().size();
    question.recoveredBytes = state.code.toUtf8().size();
    question.fileModified = QFileInfo(state.path).lastModified();
    question.autosavedAt = savedAt;
    m_queue.append(Pending{tab, question});
    qCInfo(lcGui) << "recovered unsaved text of" << state.path << "after a crash; the analyst chooses";
}

void SessionRecovery::askQueued()
{
    if (!m_asking)
        askNext();
}

void SessionRecovery::askNext()
{
    while (!m_queue.isEmpty() && !m_queue.constFirst().tab)
        m_queue.removeFirst(); // closed meanwhile
    if (m_queue.isEmpty()) {
        m_asking = false;
        Q_EMIT finished();
        return;
    }
    m_asking = true;
    const Pending pending = m_queue.constFirst();
    m_tabs.setCurrentIndex(m_tabs.indexOf(pending.tab));
    qCInfo(lcGui) << "asking about the recovered text of" << QFileInfo(pending.question.path).fileName();
    auto answered = std::make_shared<bool>(false);
    m_prompt(m_dialogParent, pending.question, [this, pending, answered](RecoveryChoice choice) {
        if (std::exchange(*answered, true))
            return;
        if (!m_queue.isEmpty())
            m_queue.removeFirst();
        if (pending.tab && choice == RecoveryChoice::ReopenFile && !pending.tab->file()->reopen(pending.question.path))
            qCWarning(lcGui) << "could not reopen" << pending.question.path << "- the recovered text stays";
        qCInfo(lcGui) << "recovered text of" << QFileInfo(pending.question.path).fileName()
                      << (choice == RecoveryChoice::KeepRecovered ? "kept" : "dropped: the file was reopened");
        askNext();
    });
}

QMessageBox *SessionRecovery::makeQuestionBox(QWidget *parent, const RecoveryQuestion &question)
{
    const QLocale locale;
    const QString name = QFileInfo(question.path).fileName();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Recovered after a crash"),
                                tr("SafeCell did not close properly. The text of %1 it kept differs from the file.")
                                    .arg(name),
                                QMessageBox::NoButton, parent);
    QStringList details;
    details << tr("The file: %1, saved %2.")
                   .arg(locale.formattedDataSize(question.fileBytes),
                        locale.toString(question.fileModified, QLocale::ShortFormat));
    details << (question.autosavedAt.isValid()
                    ? tr("The recovered text: %1, kept %2.")
                          .arg(locale.formattedDataSize(question.recoveredBytes),
                               locale.toString(question.autosavedAt.toLocalTime(), QLocale::ShortFormat))
                    : tr("The recovered text: %1.").arg(locale.formattedDataSize(question.recoveredBytes)));
    details << tr("Neither choice writes to the file: keeping the recovered text leaves it unsaved in its tab.");
    box->setInformativeText(details.join(QLatin1Char('\n')));
    QPushButton *keep = box->addButton(tr("&Keep the recovered text"), QMessageBox::AcceptRole);
    keep->setObjectName(QStringLiteral("keepRecovered"));
    QPushButton *reopen = box->addButton(tr("&Reopen the file"), QMessageBox::RejectRole);
    reopen->setObjectName(QStringLiteral("reopenFile"));
    box->setDefaultButton(question.recoveredBytes > 0 ? keep : reopen);
    box->setEscapeButton(keep); // Esc changes nothing: the recovered text stays, unsaved
    return box;
}

void SessionRecovery::askWithDialog(QWidget *parent, const RecoveryQuestion &question,
                                    std::function<void(RecoveryChoice)> answer)
{
    QMessageBox *box = makeQuestionBox(parent, question);
    box->setAttribute(Qt::WA_DeleteOnClose);
    // Application-modal: asked as the window opens, before anything else
    // (a window-modal box does not get the keyboard on Qt's VNC platform).
    box->setWindowModality(Qt::ApplicationModal);
    QObject::connect(box, &QMessageBox::finished, box, [box, answer = std::move(answer)] {
        const auto *clicked = box->clickedButton();
        answer(clicked && clicked->objectName() == QLatin1String("reopenFile") ? RecoveryChoice::ReopenFile
                                                                               : RecoveryChoice::KeepRecovered);
    });
    box->open();
}

} // namespace safecell
