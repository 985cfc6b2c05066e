#pragma once

#include "sandbox/e2b/E2bConfig.h"

#include <QList>
#include <QString>
#include <QUrl>

namespace safecell::bench {

struct StreamFigures {
    QList<double> safecellMs;      // execute() until finished() reached the receiver
    QList<double> safecellSignals; // stdoutReceived emissions per run
    QList<double> safecellFirstMs; // execute() until the first chunk reached the receiver
    QList<double> rawMs;           // a bare socket reading the same answer: the fake's own floor
    QString failure;               // empty: every run delivered every line
};

// Streams `code`'s stdout (`expected`, many short lines) `reps` times through E2bSandbox on a
// run thread of its own (with its own QNetworkAccessManager), the receiver
// on the calling thread, as the app's RunWorker and window are; then reads
// the same answer with a bare QTcpSocket. The fake must already answer
// `code` with `expected`, one stdout line per chunk.
StreamFigures benchStream(const E2bConfig &config, const QUrl &base, const QString &code, const QString &expected,
                          int reps);

} // namespace safecell::bench
