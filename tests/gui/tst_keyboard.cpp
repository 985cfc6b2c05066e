// The main window from the keyboard alone: every action has a shortcut or
// a menu path of mnemonics, shortcuts and mnemonics do not clash, and the
// Ask box is reachable from the editor (which keeps Tab for indenting).
#include "gui/MainWindow.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QApplication>
#include <QHash>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

// The letter after a single '&', lower-cased; null when there is none.
QChar mnemonic(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) == u'&') {
            if (text.at(i + 1) == u'&') {
                ++i;
                continue;
            }
            return text.at(i + 1).toLower();
        }
    }
    return {};
}

// Whether the menu bar reaches `action` through menus whose titles and the
// action's own text all carry a mnemonic.
bool reachableByMnemonics(QMenu *menu, QAction *action)
{
    for (QAction *item : menu->actions()) {
        if (item == action)
            return !mnemonic(action->text()).isNull();
        if (item->menu() && !mnemonic(item->text()).isNull() && reachableByMnemonics(item->menu(), action))
            return true;
    }
    return false;
}

} // namespace

class TestKeyboard : public QObject {
    Q_OBJECT
    // A service name of the test's own: never the user's keys.
    KeyStore m_keys{QStringLiteral("org.safecell.tests.keyboard")};
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;

    QList<QMenu *> topMenus() const
    {
        QList<QMenu *> menus;
        for (QAction *item : m_window->menuBar()->actions()) {
            if (item->menu())
                menus << item->menu();
        }
        return menus;
    }

    // The window's own commands: not separators, submenu entries, the
    // internal actions of line edits or a toolbar's show/hide toggle.
    QList<QAction *> commands() const
    {
        QList<QAction *> result;
        for (QAction *action : m_window->findChildren<QAction *>()) {
            if (action->isSeparator() || action->menu() || action->text().isEmpty())
                continue;
            if (qobject_cast<QLineEdit *>(action->parent()) || qobject_cast<QToolBar *>(action->parent()))
                continue;
            result << action;
        }
        return result;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(startWithOneEmptyTab());
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"keyboard.ini"_s));
        m_window = std::make_unique<MainWindow>(*m_settings, m_keys);
    }

    void cleanup()
    {
        m_window.reset();
        m_settings.reset();
    }

    void everyActionHasAShortcutOrAMenuPathOfMnemonics()
    {
        const QList<QAction *> actions = commands();
        QVERIFY(actions.size() >= 15);
        QStringList unreachable;
        for (QAction *action : actions) {
            if (!action->shortcut().isEmpty())
                continue;
            bool viaMenu = false;
            for (QMenu *menu : topMenus()) {
                const bool titled = !mnemonic(menu->title()).isNull();
                viaMenu = viaMenu || (titled && reachableByMnemonics(menu, action));
            }
            if (!viaMenu)
                unreachable << u"%1 (%2)"_s.arg(action->objectName(), action->text());
        }
        QVERIFY2(unreachable.isEmpty(), qPrintable(unreachable.join(u", "_s)));
    }

    void windowShortcutsDoNotClash()
    {
        QHash<QString, QString> owner;
        for (QAction *action : commands()) {
            if (action->shortcutContext() != Qt::WindowShortcut && action->shortcutContext() != Qt::ApplicationShortcut)
                continue;
            for (const QKeySequence &keys : action->shortcuts()) {
                const QString key = keys.toString(QKeySequence::PortableText);
                QVERIFY2(!owner.contains(key),
                         qPrintable(u"%1 is both %2 and %3"_s.arg(key, owner.value(key), action->objectName())));
                owner.insert(key, action->objectName());
            }
        }
        QVERIFY(owner.contains(u"Ctrl+Return"_s));
        QVERIFY(owner.contains(u"Ctrl+K"_s));
        QVERIFY(owner.contains(u"Ctrl+Shift+R"_s));
    }

    void mnemonicsAreUniqueInTheMenuBarAndEachMenu()
    {
        const auto checkUnique = [](const QList<QAction *> &items, const QString &where) {
            QHash<QChar, QString> seen;
            for (QAction *item : items) {
                if (item->isSeparator() || !item->isVisible())
                    continue;
                const QChar letter = mnemonic(item->text());
                QVERIFY2(!letter.isNull(), qPrintable(u"%1: %2 has no mnemonic"_s.arg(where, item->text())));
                QVERIFY2(!seen.contains(letter),
                         qPrintable(u"%1: %2 and %3 share &%4"_s.arg(where, seen.value(letter), item->text(), letter)));
                seen.insert(letter, item->text());
            }
        };
        checkUnique(m_window->menuBar()->actions(), u"menu bar"_s);
        for (QMenu *menu : m_window->findChildren<QMenu *>()) {
            if (menu->parent() && qobject_cast<QLineEdit *>(menu->parent()))
                continue;
            checkUnique(menu->actions(), menu->title());
        }
    }

    void ctrlKTakesTheFocusFromTheEditorToTheAskBoxAndMenusOpenWithAlt()
    {
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        auto *editor = m_window->findChild<QsciScintilla *>(u"editor"_s);
        QVERIFY(editor);
        editor->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(editor));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_K, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget()->objectName(), u"askPrompt"_s);

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_R, Qt::AltModifier); // the &Run menu
        QMenu *runMenu = m_window->findChild<QMenu *>(u"menuRun"_s);
        QVERIFY(runMenu);
        QTRY_VERIFY(runMenu->isVisible());
        QTest::keyClick(runMenu, Qt::Key_Escape);
        QTRY_VERIFY(!runMenu->isVisible());
    }
};

QTEST_MAIN(TestKeyboard)
#include "tst_keyboard.moc"
