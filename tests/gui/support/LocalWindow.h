#pragma once

#include "OneEmptyTab.h"
#include "gui/MainWindow.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

// The window as the GUI tests open it on the local sandbox: a data folder
// and settings of its own, no API key, one empty tab, shown and exposed.
struct LocalWindow {
    QTemporaryDir dir;
    std::unique_ptr<safecell::Settings> settings;
    std::unique_ptr<safecell::KeyStore> keys;
    std::unique_ptr<safecell::MainWindow> window;

    // `keyService`: the test's own keychain service name. False when the
    // window could not be opened.
    bool open(const QString &keyService)
    {
        qputenv("SAFECELL_DATA_DIR", dir.filePath(QStringLiteral("data")).toUtf8());
        if (!startWithOneEmptyTab())
            return false;
        qunsetenv("COHERE_API_KEY");
        qunsetenv("E2B_API_KEY");
        settings = std::make_unique<safecell::Settings>(dir.filePath(QStringLiteral("gui.ini")));
        keys = std::make_unique<safecell::KeyStore>(keyService);
        window = std::make_unique<safecell::MainWindow>(*settings, *keys);
        window->show();
        return QTest::qWaitForWindowExposed(window.get());
    }
};
