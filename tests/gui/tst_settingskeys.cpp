// The keys part of Settings against a real Secret Service (the keyring
// fixture) and without one: what the status line says in each keychain
// state, removing a stored key, and a key the keychain refuses keeping the
// dialog open with the reason (issue 15.4 and 15.6).
#include "gui/SettingsDialog.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestSettingsKeys : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    // A service name of the test's own, in the fixture's private keyring.
    KeyStore m_keys{u"org.safecell.tests.settingskeys."_s + QUuid::createUuid().toString(QUuid::WithoutBraces)};

    static bool keychainExpected() { return !qEnvironmentVariableIsSet("SAFECELL_EXPECT_NO_KEYCHAIN"); }

    template <typename T>
    static T *field(SettingsDialog &dialog, const char *name)
    {
        return dialog.findChild<T *>(QLatin1String(name));
    }

    KeyStatus write(KeyId id, const QString &secret)
    {
        std::optional<KeyStatus> out;
        QObject context;
        m_keys.write(id, secret, &context, [&out](KeyStatus status) { out = status; });
        if (!QTest::qWaitFor([&out] { return out.has_value(); }, 20000))
            return unexpected(KeyError{KeyError::Kind::Failed, u"no answer"_s});
        return *out;
    }

    static bool statusSettled(SettingsDialog &dialog)
    {
        return !dialog.keyStatusText().isEmpty() && !dialog.keyStatusText().endsWith(u"…"_s);
    }

private Q_SLOTS:
    void init()
    {
        m_keys.setEnvironmentOverride(false);
        QFile::remove(m_dir.filePath(u"s.ini"_s));
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"s.ini"_s));
    }

    void statusSaysStoredNoneOrUnreadable()
    {
        if (keychainExpected())
            QVERIFY(write(KeyId::Cohere, u"co-stored-key-0123456789"_s).hasValue());
        SettingsDialog dialog(*m_settings, m_keys);
        QTRY_VERIFY_WITH_TIMEOUT(statusSettled(dialog), 20000);
        const QString status = dialog.keyStatusText();
        if (keychainExpected()) {
            QVERIFY2(status.contains(u"Cohere API key: stored in the keychain"_s), qPrintable(status));
            QVERIFY2(status.contains(u"E2B API key: none stored"_s), qPrintable(status));
        } else {
            // Not "none stored": the keychain could not be asked, and how to fix it.
            QVERIFY2(status.contains(u"could not be read"_s), qPrintable(status));
            QVERIFY2(status.contains(u"Secret Service"_s) || status.contains(u"nlock"_s), qPrintable(status));
            QVERIFY2(!status.contains(u"none stored"_s), qPrintable(status));
        }
        QVERIFY(!status.contains(u"co-stored-key"_s)); // never a key
    }

    void removeTakesAStoredKeyOut()
    {
        if (!keychainExpected())
            return; // the unreadable case of removing is below
        QVERIFY(write(KeyId::E2b, u"e2b_stored_key_0123456789"_s).hasValue());
        SettingsDialog dialog(*m_settings, m_keys);
        QSignalSpy changed(&dialog, &SettingsDialog::keysChanged);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.keyStatusText().contains(u"E2B API key: stored"_s), 20000);
        QTest::mouseClick(field<QPushButton>(dialog, "removeE2bButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.keyStatusText().contains(u"E2B API key: none stored"_s), 20000);
        QCOMPARE(changed.count(), 1);
    }

    void removingFromAnUnreadableKeychainSaysWhy()
    {
        if (keychainExpected())
            return;
        SettingsDialog dialog(*m_settings, m_keys);
        QTRY_VERIFY_WITH_TIMEOUT(statusSettled(dialog), 20000);
        QTest::mouseClick(field<QPushButton>(dialog, "removeCohereButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.keyStatusText().contains(u"could not be removed"_s), 20000);
    }

    void aKeyTheKeychainRefusesKeepsTheDialogOpenWithTheReason()
    {
        SettingsDialog dialog(*m_settings, m_keys);
        dialog.show();
        QSignalSpy saved(&dialog, &SettingsDialog::saved);
        const QString typed = u"co-typed-key-0123456789"_s;
        field<QLineEdit>(dialog, "cohereKeyEdit")->setText(typed);
        field<QLineEdit>(dialog, "budgetLimitEdit")->setText(u"12.50"_s);
        QTest::mouseClick(field<QDialogButtonBox>(dialog, "buttons")->button(QDialogButtonBox::Ok), Qt::LeftButton);
        if (keychainExpected()) {
            QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
            QVERIFY(!dialog.isVisible());
            QVERIFY(field<QLineEdit>(dialog, "cohereKeyEdit")->text().isEmpty()); // stored, not kept in memory
            return;
        }
        QTRY_VERIFY_WITH_TIMEOUT(dialog.errorText().contains(u"was not stored"_s), 20000);
        QVERIFY(dialog.isVisible());
        QCOMPARE(saved.count(), 0);
        QCOMPARE(field<QLineEdit>(dialog, "cohereKeyEdit")->text(), typed); // nothing typed is lost
        QCOMPARE(m_settings->value(Setting::BudgetMonthlyLimitUsd), settingDefault(Setting::BudgetMonthlyLimitUsd));
        QVERIFY(!dialog.errorText().contains(typed));
    }
};

QTEST_MAIN(TestSettingsKeys)
#include "tst_settingskeys.moc"
