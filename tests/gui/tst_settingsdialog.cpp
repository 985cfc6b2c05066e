#include "FakeE2b.h"
#include "cohere/FakeCohere.h"
#include "gui/SettingsDialog.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
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
    // A key as the user types it: to whatever has the focus.
    static void type(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        QWidget *target = QApplication::focusWidget();
        QVERIFY(target);
        QTest::keyClick(target, key, modifiers);
    }
    static void typeText(const QString &text)
    {
        QWidget *target = QApplication::focusWidget();
        QVERIFY(target);
        QTest::keyClicks(target, text);
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
        m_settings->setValue(Setting::SandboxWorkSizeMb, qint64(300));
        SettingsDialog dialog(*m_settings, *m_keys);
        QCOMPARE(field<QLineEdit>(dialog, "budgetLimitEdit")->text(), u"12.50"_s);
        QCOMPARE(field<QSpinBox>(dialog, "memorySpin")->value(), 1024);
        QCOMPARE(field<QSpinBox>(dialog, "tmpSizeSpin")->value(), 512);
        QCOMPARE(field<QSpinBox>(dialog, "shmSizeSpin")->value(), 256);
        QCOMPARE(field<QSpinBox>(dialog, "workSizeSpin")->value(), 300);
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
        field<QSpinBox>(dialog, "tmpSizeSpin")->setValue(128);
        field<QSpinBox>(dialog, "shmSizeSpin")->setValue(64);
        field<QSpinBox>(dialog, "workSizeSpin")->setValue(2048);
        clickOk(dialog);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.errorText().isEmpty());
        QCOMPARE(m_settings->string(Setting::CohereBaseUrl), u"https://cohere.internal:8443"_s);
        QCOMPARE(m_settings->number(Setting::BudgetMonthlyLimitUsd), 20.25);
        QCOMPARE(m_settings->number(Setting::BudgetWarnThreshold), 0.6);
        QCOMPARE(m_settings->number(Setting::BudgetDegradeThreshold), 0.8);
        QCOMPARE(m_settings->integer(Setting::SandboxTmpSizeMb), 128);
        QCOMPARE(m_settings->integer(Setting::SandboxShmSizeMb), 64);
        QCOMPARE(m_settings->integer(Setting::SandboxWorkSizeMb), 2048);
        QCOMPARE(m_settings->integer(Setting::SandboxCpuSeconds), 120);
        QCOMPARE(m_settings->integer(Setting::SandboxOutputCapBytes), 8 * 1024 * 1024);
    }

    void testKeyUsesCoheresFreeKeyCheckNeverAPaidChat()
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
        QCOMPARE(fake.requests().first().path, QByteArray("/v1/check-api-key"));
        QCOMPARE(fake.requests().first().header("authorization"), QByteArray("Bearer good-key"));

        field<QLineEdit>(dialog, "cohereKeyEdit")->setText(u"wrong-key"_s);
        dialog.testCohereKey();
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.last().at(0).toBool(), false);
        QVERIFY(dialog.keyStatusText().contains(u"failed"_s));
        QVERIFY(!dialog.keyStatusText().contains(u"wrong-key"_s)); // never echo a key
        for (const fake::RecordedRequest &request : fake.requests())
            QCOMPARE(request.path, QByteArray("/v1/check-api-key")); // nothing paid, ever
    }

    void testE2bKeyListsSandboxesWithoutCreatingOne()
    {
        fake::FakeE2b fake;
        QVERIFY(fake.listen());
        SettingsDialog dialog(*m_settings, *m_keys);
        QSignalSpy tested(&dialog, &SettingsDialog::keyTestFinished);
        field<QLineEdit>(dialog, "e2bApiUrlEdit")->setText(fake.url().toString());
        field<QLineEdit>(dialog, "e2bKeyEdit")->setText(fake::FakeE2b::defaultApiKey());
        QTest::mouseClick(field<QPushButton>(dialog, "testE2bButton"), Qt::LeftButton);
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.last().at(0).toBool(), true);
        QVERIFY2(dialog.keyStatusText().contains(u"works"_s), qPrintable(dialog.keyStatusText()));
        QCOMPARE(fake.sandboxesCreated(), 0);

        const QString wrong = u"e2b_wrong0123456789abcdef"_s;
        field<QLineEdit>(dialog, "e2bKeyEdit")->setText(wrong);
        dialog.testE2bKey();
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.last().at(0).toBool(), false);
        QVERIFY2(dialog.keyStatusText().contains(u"failed"_s), qPrintable(dialog.keyStatusText()));
        QVERIFY(!dialog.keyStatusText().contains(wrong)); // never echo a key
    }

    void perScopeLimitsModelsAndSandboxUrlAreSaved()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        dialog.show();
        field<QLineEdit>(dialog, "budgetLimitEdit")->setText(u"50"_s);
        field<QLineEdit>(dialog, "userLimitEdit")->setText(u"20"_s);
        field<QLineEdit>(dialog, "sessionLimitEdit")->setText(u"5"_s);
        field<QLineEdit>(dialog, "taskLimitEdit")->setText(u"0.25"_s);
        field<QSpinBox>(dialog, "periodDaySpin")->setValue(15);
        field<QLineEdit>(dialog, "e2bSandboxUrlEdit")->setText(u"https://sandbox-proxy.internal"_s);
        auto *generate = field<QComboBox>(dialog, "generateModelBox");
        QVERIFY(generate->findText(u"command-r-08-2024"_s) > 0);    // offered from the catalogue
        QCOMPARE(generate->findText(u"command-r7b-12-2024"_s), -1); // cannot generate: not offered
        generate->setCurrentText(u"command-r-08-2024"_s);
        clickOk(dialog);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(m_settings->number(Setting::BudgetMonthlyLimitUsd), 50.0);
        QCOMPARE(m_settings->string(Setting::BudgetUserLimitUsd), u"20.00"_s);
        QCOMPARE(m_settings->string(Setting::BudgetSessionLimitUsd), u"5.00"_s);
        QCOMPARE(m_settings->string(Setting::BudgetTaskLimitUsd), u"0.25"_s);
        QCOMPARE(m_settings->integer(Setting::BudgetPeriodFirstDay), 15);
        QCOMPARE(m_settings->string(Setting::E2bSandboxUrl), u"https://sandbox-proxy.internal"_s);
        QCOMPARE(m_settings->string(Setting::RoutingGenerateModel), u"command-r-08-2024"_s);

        SettingsDialog again(*m_settings, *m_keys); // and shown back
        QCOMPARE(field<QLineEdit>(again, "userLimitEdit")->text(), u"20.00"_s);
        QCOMPARE(field<QComboBox>(again, "generateModelBox")->currentText(), u"command-r-08-2024"_s);
        QCOMPARE(field<QComboBox>(again, "classifyModelBox")->currentText(), QString());
    }

    void refusalsNameTheFieldOnItsPageAndSaveNothing_data()
    {
        QTest::addColumn<QString>("fieldName");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("page");
        QTest::addColumn<QString>("reason");
        QTest::newRow("task above session") << u"taskLimitEdit"_s << u"9"_s << u"budgetPage"_s
                                            << u"Task limit: $9.00 is above the session limit of $2.00"_s;
        QTest::newRow("unknown model") << u"explainModelBox"_s << u"gpt-9"_s << u"modelsPage"_s
                                       << u"Explain model: gpt-9 is not in the model catalogue"_s;
        QTest::newRow("catalogue") << u"catalogFileEdit"_s << u"/nonexistent/prices.json"_s << u"modelsPage"_s
                                   << u"Model catalogue file: cannot read /nonexistent/prices.json"_s;
        QTest::newRow("python") << u"pythonEdit"_s << u"/nonexistent/python3"_s << u"sandboxPage"_s
                                << u"Python: /nonexistent/python3 is not an executable program"_s;
        QTest::newRow("sandbox url") << u"e2bSandboxUrlEdit"_s << u"sandbox.internal"_s << u"servicesPage"_s
                                     << u"E2B sandbox URL:"_s;
    }

    void refusalsNameTheFieldOnItsPageAndSaveNothing()
    {
        QFETCH(QString, fieldName);
        QFETCH(QString, value);
        QFETCH(QString, page);
        QFETCH(QString, reason);
        SettingsDialog dialog(*m_settings, *m_keys);
        dialog.show();
        field<QLineEdit>(dialog, "sessionLimitEdit")->setText(u"2"_s);
        field<QSpinBox>(dialog, "memorySpin")->setValue(4096); // valid, but not saved with an invalid one
        QWidget *target = dialog.findChild<QWidget *>(fieldName);
        QVERIFY(target);
        if (auto *box = qobject_cast<QComboBox *>(target))
            box->setCurrentText(value);
        else
            qobject_cast<QLineEdit *>(target)->setText(value);
        clickOk(dialog);
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.errorText().startsWith(reason), qPrintable(dialog.errorText()));
        QCOMPARE(field<QTabWidget>(dialog, "tabs")->currentWidget()->objectName(), page);
        QCOMPARE(dialog.focusWidget(), target);
        QCOMPARE(m_settings->integer(Setting::SandboxMemoryLimitMb), 2048);
        QCOMPARE(m_settings->string(Setting::BudgetSessionLimitUsd), QString());
    }

    void aBrokenPolicyIsRefusedInTheDialogWithTheLoadersLine()
    {
        const QString path = m_dir.filePath(u"broken.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\n  \"version\": 1,\n  oops\n}\n");
        file.close();
        SettingsDialog dialog(*m_settings, *m_keys);
        dialog.show();
        field<QLineEdit>(dialog, "policyFileEdit")->setText(path);
        clickOk(dialog);
        QVERIFY2(dialog.errorText().startsWith(u"Safety policy file: line 3:"_s), qPrintable(dialog.errorText()));
        QCOMPARE(m_settings->string(Setting::SafetyPolicyFile), QString());
    }

    void everyFieldHasALabelWithAMnemonic()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        const auto labels = dialog.findChildren<QLabel *>();
        int buddies = 0;
        for (QLabel *label : labels) {
            if (!label->buddy() || label->objectName() == u"keyStatusLabelLabel"_s)
                continue;
            ++buddies;
            QVERIFY2(label->text().contains(u'&'), qPrintable(label->objectName()));
        }
        QVERIFY(buddies >= 25);
    }

    void theKeyboardAloneChangesAValueAndSaves()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        QSignalSpy saved(&dialog, &SettingsDialog::saved);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        auto *tabs = field<QTabWidget>(dialog, "tabs");

        type(Qt::Key_B, Qt::AltModifier); // the Budget page
        QCOMPARE(tabs->currentWidget()->objectName(), u"budgetPage"_s);
        type(Qt::Key_W, Qt::AltModifier); // "&Warn at"
        QCOMPARE(QApplication::focusWidget(), field<QDoubleSpinBox>(dialog, "warnSpin"));
        type(Qt::Key_A, Qt::ControlModifier);
        typeText(u"60"_s);
        type(Qt::Key_Tab); // the degrade threshold comes next
        QCOMPARE(QApplication::focusWidget(), field<QDoubleSpinBox>(dialog, "degradeSpin"));
        type(Qt::Key_A, Qt::ControlModifier);
        typeText(u"85"_s);
        type(Qt::Key_U, Qt::AltModifier); // "&User monthly limit"
        QCOMPARE(QApplication::focusWidget(), field<QLineEdit>(dialog, "userLimitEdit"));
        typeText(u"3"_s);

        type(Qt::Key_N, Qt::AltModifier); // the Sandbox page
        QCOMPARE(tabs->currentWidget()->objectName(), u"sandboxPage"_s);
        type(Qt::Key_U, Qt::AltModifier); // "CP&U time": the same letter, another page
        QCOMPARE(QApplication::focusWidget(), field<QSpinBox>(dialog, "cpuSpin"));
        type(Qt::Key_A, Qt::ControlModifier);
        typeText(u"90"_s);

        type(Qt::Key_Return); // the default button: OK
        QCOMPARE(saved.count(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(m_settings->number(Setting::BudgetWarnThreshold), 0.6);
        QCOMPARE(m_settings->number(Setting::BudgetDegradeThreshold), 0.85);
        QCOMPARE(m_settings->string(Setting::BudgetUserLimitUsd), u"3.00"_s);
        QCOMPARE(m_settings->integer(Setting::SandboxCpuSeconds), 90);
    }

    void theKeyboardSeesTheRefusalAndCanFixIt()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        type(Qt::Key_U, Qt::AltModifier); // "Cohere base &URL" on the first page
        QCOMPARE(QApplication::focusWidget(), field<QLineEdit>(dialog, "cohereBaseUrlEdit"));
        type(Qt::Key_A, Qt::ControlModifier);
        typeText(u"cohere.internal"_s);
        type(Qt::Key_Return);
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.errorText().startsWith(u"Cohere base URL:"_s));
        QCOMPARE(QApplication::focusWidget(), field<QLineEdit>(dialog, "cohereBaseUrlEdit")); // back at the fault
        type(Qt::Key_Home);
        typeText(u"https://"_s);
        type(Qt::Key_Return);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(m_settings->string(Setting::CohereBaseUrl), u"https://cohere.internal"_s);
    }

    void tabbingFollowsTheFormOrder()
    {
        SettingsDialog dialog(*m_settings, *m_keys);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        field<QLineEdit>(dialog, "cohereKeyEdit")->setFocus();
        const char *order[] = {"testCohereButton", "removeCohereButton", "e2bKeyEdit",
                               "testE2bButton",    "removeE2bButton",    "cohereBaseUrlEdit",
                               "e2bApiUrlEdit",    "e2bSandboxUrlEdit",  "e2bDomainEdit"};
        for (const char *name : order) {
            type(Qt::Key_Tab);
            QCOMPARE(QApplication::focusWidget()->objectName(), QString::fromLatin1(name));
        }
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
