#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QLabel;
class QStatusBar;

namespace safecell {

class ElidedLabel;

// The status bar's own line: what the window is doing, cut to fit (the
// whole message in its tooltip, so a long reason never widens the window),
// and at the right end how long the current run has taken, ticking while
// it runs and exact once it ends.
class StatusLine : public QObject {
    Q_OBJECT
public:
    // Call before anything else is added to `bar`: the message is its first label.
    StatusLine(QStatusBar *bar, QObject *parent = nullptr);

    void setText(const QString &text);
    // In full; the bar may show it cut.
    QString text() const;

    void startClock();
    void stopClock();
    // The run's own measure, which replaces the clock's once the run has ended.
    void showDuration(qint64 durationMs);

private:
    void showElapsed();

    ElidedLabel *m_text;
    QLabel *m_duration;
    QTimer m_ticker;
    QElapsedTimer m_elapsed;
};

} // namespace safecell
