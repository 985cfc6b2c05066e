#include "cohere/FakeCohere.h"
#include "gui/SettingsDialog.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestSettingsDialog : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<KeyStore> m_keys;

    template <typename T>
    static T *field(SettingsDialog &dialog, const char *name)
    {
        return dialog.findChild<T *>(QLatin1String(name));
    }
    static void clickOk(SettingsDialog &dialog)
    {
        QTest::mouseClick(field<QDialogButtonBox>(dialog, "buttons")->button(QDialogButtonBox::Ok), Qt::LeftButton);
    }

private Q_SLOTS:
    void init()
    {
        m_settings.reset();
        QFile::remove(m_dir.filePath(u"s.ini"_s)); // each test starts from the defaults
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"s.ini"_s));
        m_keys = std::make_unique<KeyStore>(u"org.safecell.test.settingsdialog"_s);
        m_keys->setEnvironmentOverride(false);
    }

    void showsTheCurrentValues()
    {
        m_settings->setValue(Setting::BudgetMonthlyLimitUsd, 12.5);
        m_settings->setValue(Setting::SandboxMemoryLimitMb, qint64(1024));
        SettingsDialog dialog(*m_settings, *m_keys);
        QCOMPARE(field<QLineEdit>(dialog, "budgetLimitEdit")->text(), u"12.50"_s);
        QCOMPARE(field<QSpinBox>(dialog, "memorySpin")->value(), 1024);
        QCOMPARE(field<QLineEdit>(dialog, "cohereBaseUrlEdit")->text(), u"https://api.cohere.com"_s);
        QCOMPARE(field<QLineEdit>(dialog, "cohereKeyEdit")->echoMode(), QLineEdit::Password);
    }

    void invalidValuesAreRefusedWithTheReason_data()
    {
        QTest::addColumn<QString>("fieldName");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("reason");
        QTest::newRow("base url") << u"cohereBaseUrlEdit"_s << u"api.cohere.com"_s << u"Cohere base URL"_s;
        QTest::newRow("e2b url") << u"e2bApiUrlEdit"_s << u"ftp://x"_s << u"E2B API URL"_s;
        QTest::newRow("domain") << u"e2bDomainEdit"_s << u"https://e2b.app/"_s << u"E2B domain"_s;
        QTest::newRow("limit") << u"budgetLimitEdit"_s << u"-3"_s << u"Monthly limit"_s;
        QTest::newRow("limit text") << u"budgetLimitEdit"_s << u"lots"_s << u"Monthly limit"_s;
        QTest::newRow("policy") << u"policyFileEdit"_s << u"/nonexistent/policy.json"_s << u"Safety policy file"_s;
    }

    void invalidValuesAreRefusedWithTheReason()
    {
        QFETCH(QString, fieldName);
        QFETCH(QString, value);
        QFETCH(QString, reason);
        SettingsDialog dialog(*m_settings, *m_keys);
        dialog.show();
        QLineEdit *edit = dialog.findChild<QLineEdit *>(fieldName);
        QVERIFY(edit);
        edit->setText(value);
        clickOk(dialog);
        QVERIFY(dialog.isVisible()); // still open
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY2(dialog.errorText().startsWith(reason), qPrintable(dialog.errorText()));
        QCOMPARE(dialog.focusWidget(), edit); // the field at fault has the focus
        // Nothing was written.
        QCOMPARE(m_settings->string(Setting::CohereBaseUrl), u"https://api.cohere.com"_s);
        QCOMPARE(m_settings->number(Setting::BudgetMonthlyLimitUsd), 5.0);
    }

    void thresholdsMustBeInOrder()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        field<QDoubleSpinBox>(dialog, "warnSpin")->setValue(95);
        field<QDoubleSpinBox>(dialog, "degradeSpin")->setValue(90);
        QVERIFY(dialog.validate().startsWith(u"Thresholds"_s));
    }

    void aBrokenPolicyFileIsRefusedWithItsLine()
    {
        const QString path = m_dir.filePath(u"bad.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\n  \"version\": 1,\n  oops\n}\n");
        file.close();
        SettingsDialog dialog(*m_settings, *m_keys);
        field<QLineEdit>(dialog, "policyFileEdit")->setText(path);
        QVERIFY2(dialog.validate().startsWith(u"Safety policy file"_s), qPrintable(dialog.validate()));
    }

    void validValuesAreSaved()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        dialog.show();
        QSignalSpy saved(&dialog, &SettingsDialog::saved);
        field<QLineEdit>(dialog, "cohereBaseUrlEdit")->setText(u"https://cohere.internal:8443"_s);
        field<QLineEdit>(dialog, "budgetLimitEdit")->setText(u"20.25"_s);
        field<QDoubleSpinBox>(dialog, "warnSpin")->setValue(60);
        field<QDoubleSpinBox>(dialog, "degradeSpin")->setValue(80);
        field<QSpinBox>(dialog, "cpuSpin")->setValue(120);
        field<QSpinBox>(dialog, "outputCapSpin")->setValue(8);
        clickOk(dialog);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.errorText().isEmpty());
        QCOMPARE(m_settings->string(Setting::CohereBaseUrl), u"https://cohere.internal:8443"_s);
        QCOMPARE(m_settings->number(Setting::BudgetMonthlyLimitUsd), 20.25);
        QCOMPARE(m_settings->number(Setting::BudgetWarnThreshold), 0.6);
        QCOMPARE(m_settings->number(Setting::BudgetDegradeThreshold), 0.8);
        QCOMPARE(m_settings->integer(Setting::SandboxCpuSeconds), 120);
        QCOMPARE(m_settings->integer(Setting::SandboxOutputCapBytes), 8 * 1024 * 1024);
    }

    void testKeyMakesAMinimalCallToTheConfiguredUrl()
    {
        fake::FakeCohere fake;
        QVERIFY(fake.listen());
        fake.setExpectedKey(u"good-key"_s);
        SettingsDialog dialog(*m_settings, *m_keys);
        QSignalSpy tested(&dialog, &SettingsDialog::keyTestFinished);
        field<QLineEdit>(dialog, "cohereBaseUrlEdit")->setText(fake.baseUrl().toString());
        field<QLineEdit>(dialog, "cohereKeyEdit")->setText(u"good-key"_s);
        QTest::mouseClick(field<QPushButton>(dialog, "testCohereButton"), Qt::LeftButton);
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.last().at(0).toBool(), true);
        QVERIFY2(dialog.keyStatusText().contains(u"works"_s), qPrintable(dialog.keyStatusText()));
        QCOMPARE(fake.requests().size(), 1);

        field<QLineEdit>(dialog, "cohereKeyEdit")->setText(u"wrong-key"_s);
        dialog.testCohereKey();
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.last().at(0).toBool(), false);
        QVERIFY(dialog.keyStatusText().contains(u"failed"_s));
        QVERIFY(!dialog.keyStatusText().contains(u"wrong-key"_s)); // never echo a key
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
