#pragma once

#include <QString>

class QDialog;
class QMainWindow;
class QWidget;

namespace safecell {

class Settings;

// The Help menu's windows. Each opens window-modal and deletes itself.
namespace help {

// Every key of the window, read from its own actions (so the list cannot
// drift from them), and the keys that are not actions (Tab, F6...).
QDialog *openShortcuts(QMainWindow *window);
// What a snippet may do: no network, where files go, the data folder, the
// time and memory limits, as the current settings have them, and where an
// E2B sandbox differs (`e2bInternet`: this session allows it the internet).
QDialog *openSnippetRules(const Settings &settings, qint64 timeLimitMs, bool e2bInternet, QWidget *parent);
QString snippetRulesHtml(const Settings &settings, qint64 timeLimitMs, bool e2bInternet = false);
// Where E2B cannot follow the local sandbox's rules, in plain text (the
// status bar's tooltip).
QString e2bDifferencesText();
void showAbout(QWidget *parent);

} // namespace help
} // namespace safecell
