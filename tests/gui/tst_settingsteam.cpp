// Settings > Team (issue 21): the server's URL is a setting without its
// password, "Test connection" reaches a real PostgreSQL on a thread of its
// own and says what it found, and a dialog closed while a check is still
// connecting neither waits nor crashes.
#include "PostgresServer.h"

#include "budget/TeamLedger.h"
#include "common/RetiredThreads.h"
#include "gui/SettingsDialog.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using safecell::test::PostgresServer;

class TestSettingsTeam : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<KeyStore> m_keys;
    std::unique_ptr<PostgresServer> m_server;

    template <typename T>
    static T *field(QWidget &dialog, const char *name)
    {
        return dialog.findChild<T *>(QLatin1String(name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!PostgresServer::binDir().isEmpty(), "postgresql-15 is not installed; run scripts/setup");
        auto server = PostgresServer::start();
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        m_server = std::move(server).value();
        QVERIFY(m_server->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE team")}));
        auto ledger = TeamLedger::open(
            m_server->teamServer(QStringLiteral("team"), QString::fromLatin1(PostgresServer::kSuperuser)));
        QVERIFY(ledger);
        QVERIFY((*ledger)->migrate());
        QVERIFY((*ledger)->setLimit(ScopeLevel::Org, {}, *Money::fromDecimalUsd(QStringLiteral("50"))));
    }

    void init()
    {
        m_settings.reset();
        QFile::remove(m_dir.filePath(QStringLiteral("s.ini")));
        m_settings = std::make_unique<Settings>(m_dir.filePath(QStringLiteral("s.ini")));
        m_keys = std::make_unique<KeyStore>(QStringLiteral("org.safecell.test.settingsteam"));
        m_keys->setEnvironmentOverride(false);
    }

    void testConnectionShowsTheTeamsFigures()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        field<QLineEdit>(dialog, "teamUrlEdit")
            ->setText(QStringLiteral("postgresql://postgres@/team?host=%1&port=%2")
                          .arg(m_server->socketDir())
                          .arg(m_server->port()));
        auto *button = field<QPushButton>(dialog, "testTeamButton");
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(!button->isEnabled()); // the check runs; the dialog does not wait for it
        auto *status = field<QLabel>(dialog, "teamStatusLabel");
        QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 15'000);
        QVERIFY2(status->text().contains(QStringLiteral("Connected to postgres@socket")), qPrintable(status->text()));
        QVERIFY2(status->text().contains(QStringLiteral("Team: $0.00 used of $50.00")), qPrintable(status->text()));
    }

    void anUnreachableServerIsNamed()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        field<QLineEdit>(dialog, "teamUrlEdit")->setText(QStringLiteral("postgresql://alice@127.0.0.1:9/team"));
        auto *button = field<QPushButton>(dialog, "testTeamButton");
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 15'000);
        const QString text = field<QLabel>(dialog, "teamStatusLabel")->text();
        QVERIFY2(text.contains(
                     QStringLiteral("cannot connect to the team server (alice@127.0.0.1:9/team, TLS prefer)")),
                 qPrintable(text));
    }

    void aPasswordInTheUrlIsRefusedAndNotSaved()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        field<QLineEdit>(dialog, "teamUrlEdit")
            ->setText(QStringLiteral("postgresql://alice:s3cret@db.example.com/team"));
        QTest::mouseClick(field<QDialogButtonBox>(dialog, "buttons")->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QVERIFY2(dialog.errorText().contains(QStringLiteral("Password field")), qPrintable(dialog.errorText()));
        QVERIFY(m_settings->string(Setting::TeamServerUrl).isEmpty());
        QVERIFY(!QFile(m_dir.filePath(QStringLiteral("s.ini"))).exists()
                || !QFile(m_dir.filePath(QStringLiteral("s.ini"))).open(QIODevice::ReadOnly)
                || !QFile(m_dir.filePath(QStringLiteral("s.ini"))).readAll().contains("s3cret"));

        field<QLineEdit>(dialog, "teamUrlEdit")->setText(QStringLiteral("postgresql://alice@db.example.com/team"));
        QTest::mouseClick(field<QDialogButtonBox>(dialog, "buttons")->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QTRY_COMPARE(m_settings->string(Setting::TeamServerUrl),
                     QStringLiteral("postgresql://alice@db.example.com/team"));
    }

    // A server that accepts the TCP connection and never answers: the check
    // is still waiting when the dialog goes; its thread finishes by itself
    // within the connect timeout, and nothing is left running.
    void closingTheDialogMidCheckLeavesNothingBehind()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        {
            SettingsDialog dialog(*m_settings, *m_keys);
            field<QLineEdit>(dialog, "teamUrlEdit")
                ->setText(QStringLiteral("postgresql://alice@127.0.0.1:%1/team").arg(silent.serverPort()));
            QTest::mouseClick(field<QPushButton>(dialog, "testTeamButton"), Qt::LeftButton);
            QTest::qWait(300);
        }
        QCOMPARE(RetiredThreads::running(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(RetiredThreads::running(), 0, 15'000);
    }
};

QTEST_MAIN(TestSettingsTeam)
#include "tst_settingsteam.moc"
