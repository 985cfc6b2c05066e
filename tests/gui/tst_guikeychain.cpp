// The window in a keychain state (registered once per state, see
// CMakeLists.txt): Settings > OK followed at once by a run of a snippet the
// local rules escalate, 50 times, the path that crashed when keychain jobs
// outlived the run thread that started them (issue 15.2 and 15.3); and the
// status bar saying when the keychain could not be read (15.4).
#include "gui/AmbiguityDialog.h"
#include "gui/MainWindow.h"
#include "gui/RunController.h"
#include "gui/SettingsDialog.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestGuiKeychain : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    KeyStore m_keys{u"org.safecell.tests.guikeychain"_s};
    std::unique_ptr<MainWindow> m_window;

    static bool keychainReadable() { return !qEnvironmentVariableIsSet("SAFECELL_EXPECT_NO_KEYCHAIN"); }

private Q_SLOTS:
    void initTestCase()
    {
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"gui.ini"_s));
        m_window = std::make_unique<MainWindow>(*m_settings, m_keys);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() { m_window.reset(); }

    void theStatusBarSaysWhetherTheKeychainCouldBeRead()
    {
        auto *label = m_window->findChild<QLabel *>(u"sandboxLabel"_s);
        QVERIFY(label);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->runController()->sandbox() != RunController::Sandbox::Unknown, 20000);
        if (keychainReadable()) {
            QVERIFY2(label->text().startsWith(u"Sandbox: local, "_s) && !label->text().contains(u"keychain"_s),
                     qPrintable(label->text()));
            QVERIFY(m_window->runController()->keychainProblem().isEmpty());
        } else {
            QVERIFY2(label->text().contains(u"keychain unreadable"_s), qPrintable(label->text()));
            QVERIFY2(label->toolTip().contains(u"Secret Service"_s) || label->toolTip().contains(u"nlock"_s),
                     qPrintable(label->toolTip()));
        }
    }

    void settingsOkThenARunAtOnceFiftyTimes()
    {
        m_window->setCode(u"while True:\n    pass\n"_s);
        for (int i = 0; i < 50; ++i) {
            m_window->openSettings();
            SettingsDialog *dialog = nullptr;
            QTRY_VERIFY((dialog = m_window->findChild<SettingsDialog *>()));
            QSignalSpy closed(dialog, &QObject::destroyed);
            QTest::mouseClick(dialog->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok),
                              Qt::LeftButton);
            QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
            m_window->run(); // at once: the keys are being read again right now
            QVERIFY2(finished.wait(20000), qPrintable(u"run %1 did not finish"_s.arg(i)));
            QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::NeedsConfirmation);
            AmbiguityDialog *prompt = nullptr;
            QTRY_VERIFY((prompt = m_window->findChild<AmbiguityDialog *>(u"ambiguousDialog"_s)));
            QTest::mouseClick(prompt->findChild<QPushButton *>(u"cancelButton"_s), Qt::LeftButton);
            QTRY_VERIFY(!m_window->findChild<AmbiguityDialog *>(u"ambiguousDialog"_s));
            QTRY_VERIFY(closed.count() == 1);
        }
        QVERIFY(m_window->isVisible());
    }
};

QTEST_MAIN(TestGuiKeychain)
#include "tst_guikeychain.moc"
