#pragma once

#include "sandbox/e2b/E2bConfig.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace safecell::bench {

struct StreamFigures {
    QList<double> safecellMs;      // execute() until finished() reached the receiver
    QList<double> safecellSignals; // stdoutReceived emissions per run
    QList<double> safecellFirstMs; // execute() until the first chunk reached the receiver
    QList<double> sdkMs;           // runCode() until it resolved, every line seen by onStdout
    QList<double> ratios;          // safecell / sdk, run by run (they alternate)
    QList<double> rawMs;           // a bare socket reading the same answer: the fake's own floor
    QString failure;               // empty: every run delivered every line
};

// How to start sdk_stream.js; an empty program: no SDK side.
struct SdkCommand {
    QString program;
    QStringList arguments;
};

// Streams `code`'s stdout (`expected`, many short lines) `reps` times each
// through E2bSandbox (on a run thread of its own with its own
// QNetworkAccessManager, the receiver on the calling thread, as the app's
// RunWorker and window are), through the official SDK (sdk_stream.js) and
// through a bare QTcpSocket, taking turns run by run so that all three meet
// the same machine load. The fake must already answer `code` with
// `expected`, one stdout line per chunk.
StreamFigures benchStream(const E2bConfig &config, const QUrl &base, const QString &code, const QString &expected,
                          int reps, const SdkCommand &sdk);

} // namespace safecell::bench
