#pragma once

#include <QObject>

#include <functional>

namespace safecell::cli {

// Turns SIGINT and SIGTERM into a call of `onSignal` on the event loop
// (through a self-pipe: a signal handler itself may do almost nothing).
void onTerminationSignal(QObject *context, std::function<void()> onSignal);

} // namespace safecell::cli
