#include "SettingsTeam.h"

#include "budget/TeamLedger.h"
#include "common/RetiredThreads.h"
#include "secrets/KeyStore.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QThread>

namespace safecell {

namespace {

QString limitText(const std::optional<Money> &limit)
{
    return limit ? QObject::tr("of %1").arg(limit->toString()) : QObject::tr("(no limit)");
}

// Connects, reads the figures, disconnects: on its own thread, which owns
// the connection for its whole life.
class TeamCheck : public QObject {
    Q_OBJECT
public:
    explicit TeamCheck(TeamServer server)
        : m_server(std::move(server))
    {
    }
    void run()
    {
        auto ledger = TeamLedger::open(m_server);
        if (!ledger) {
            Q_EMIT finished(false, ledger.error().message);
            return;
        }
        const auto status = (*ledger)->status();
        if (!status) {
            Q_EMIT finished(false, status.error().message);
            return;
        }
        QStringList lines{tr("Connected to %1.").arg(m_server.describe())};
        for (const TeamScopeStatus &scope : status->scopes)
            lines << tr("%1: %2 used %3 this month.")
                         .arg(scope.level == ScopeLevel::Org ? tr("Team") : tr("You (%1)").arg(scope.key),
                              scope.used.toString(), limitText(scope.limit));
        Q_EMIT finished(true, lines.join(QLatin1Char(' ')));
    }

Q_SIGNALS:
    void finished(bool ok, const QString &text);

private:
    TeamServer m_server;
};

} // namespace

SettingsTeam::SettingsTeam(Widgets widgets, KeyStore &keys, QObject *parent)
    : QObject(parent)
    , m_ui(widgets)
    , m_keys(keys)
{
    connect(m_ui.test, &QPushButton::clicked, this, &SettingsTeam::testConnection);
}

SettingsTeam::~SettingsTeam()
{
    // A check still connecting finishes on its own (its timeouts bound it);
    // the application waits for it at exit rather than this dialog now.
    if (m_thread && m_thread->isRunning()) {
        disconnect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
        RetiredThreads::adopt(m_thread);
    }
}

QString SettingsTeam::statusText() const
{
    return m_ui.status->text();
}

void SettingsTeam::testConnection()
{
    auto server = TeamServer::fromUrl(m_ui.url->text());
    if (m_ui.url->text().trimmed().isEmpty()) {
        showResult(false, tr("Enter the team server first: postgresql://USER@HOST/DATABASE."));
        return;
    }
    if (!server) {
        showResult(false, server.error());
        return;
    }
    m_ui.test->setEnabled(false);
    m_ui.status->setText(tr("Connecting to %1…").arg(server->describe()));
    if (!m_ui.password->text().isEmpty()) {
        server->password = m_ui.password->text();
        startCheck(*server);
        return;
    }
    // The stored password, if any; without one libpq may still find
    // PGPASSWORD or ~/.pgpass, or the server may not ask.
    lookupKey(m_keys, KeyId::TeamPassword, this, [this, server = *server](KeyLookup lookup) mutable {
        server.password = lookup.value;
        startCheck(std::move(server));
    });
}

void SettingsTeam::startCheck(TeamServer server)
{
    auto *thread = new QThread;
    auto *check = new TeamCheck(std::move(server));
    check->moveToThread(thread);
    connect(thread, &QThread::started, check, &TeamCheck::run);
    connect(check, &TeamCheck::finished, thread, &QThread::quit);
    connect(check, &TeamCheck::finished, this, &SettingsTeam::showResult);
    connect(thread, &QThread::finished, check, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    m_thread = thread;
    thread->start();
}

void SettingsTeam::showResult(bool ok, const QString &text)
{
    m_ui.test->setEnabled(true);
    m_ui.status->setText(text);
    Q_EMIT testFinished(ok);
}

void SettingsTeam::writeTyped(std::function<void(const QString &reason, QWidget *field)> done)
{
    const QString typed = m_ui.password->text();
    if (typed.isEmpty()) {
        done({}, nullptr);
        return;
    }
    m_keys.write(KeyId::TeamPassword, typed, this, [this, done](KeyStatus status) {
        if (!status) {
            done(tr("The team server password was not stored: %1").arg(status.error().message), m_ui.password);
            return;
        }
        m_ui.password->clear();
        done({}, nullptr);
    });
}

} // namespace safecell

#include "SettingsTeam.moc"
