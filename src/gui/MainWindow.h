#pragma once

#include "pipeline/RunOutcome.h"
#include "pipeline/RunReport.h"
#include "request/Language.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QTimer>

#include <memory>

class QComboBox;
class QLabel;

namespace Ui {
class MainWindow;
}

namespace safecell {

class AskPanel;
class EditorFindings;
class FindingsPanel;
class RunThread;
class Settings;

// The analyst's workbench: an editor, Run and Stop, and the run's output as
// it streams. It decides nothing: every run goes through the RunWorker.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Settings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    Language language() const;
    void setLanguage(Language language);
    void setCode(const QString &code);
    QString code() const;
    QString outputText() const;
    bool isRunning() const { return m_running; }

public Q_SLOTS:
    void run();
    void stop();
    // A fresh sandbox session: the kernel and its variables are dropped.
    void restartSession();

Q_SIGNALS:
    void runFinished(const safecell::RunReport &report);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void applyLanguage(Language language);
    void appendOutput(const QString &text, bool isError);
    void onStep(RunStep step);
    void onFinished(const RunReport &report);
    void setRunning(bool running);
    void startRun(const RunRequest &request);
    void showFindings(const RunReport &report);
    void updateElapsed();

    std::unique_ptr<Ui::MainWindow> m_ui;
    Settings &m_settings;
    std::unique_ptr<RunThread> m_runner;
    QComboBox *m_languageBox = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_durationLabel = nullptr;
    FindingsPanel *m_findingsPanel = nullptr;
    AskPanel *m_askPanel = nullptr;
    EditorFindings *m_editorFindings = nullptr;
    RunRequest m_lastRequest;
    QTimer m_elapsedTicker;
    QElapsedTimer m_elapsed;
    bool m_running = false;
};

} // namespace safecell
