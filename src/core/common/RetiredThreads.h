#pragma once

class QThread;

namespace safecell {

// Threads whose owner is gone but which are still finishing their work (a
// run thread killing its cloud sandbox and settling its spend). Their owner
// hands them over instead of waiting for them, so retiring a thread never
// blocks the caller (the GUI thread); each is deleted once it has finished.
// At the application's end (when QCoreApplication goes, or waitAtExit())
// the ones still running are waited for until they finish: a thread still
// running while the process's static objects are destroyed crashes it (a
// run thread closing its ledger after Qt's SQL globals were gone), and its
// spend would go unsettled. Their work is bounded by their own timeouts
// (the kill's wait, SQLite's busy timeout), so the wait is too; it is
// logged when it takes longer than kSlowExitMs.
class RetiredThreads {
public:
    static constexpr int kSlowExitMs = 6000;
    // How often a thread that emitted finished() is checked for its end.
    static constexpr int kReapPollMs = 10;

    // Takes `thread` (no parent, already told to quit); deletes it once it
    // has finished. Call on the thread that owns the QThread object.
    static void adopt(QThread *thread);
    // Threads handed over and not finished yet (for tests).
    static int running();
    // Waits for every retired thread to finish, and deletes them. Idempotent.
    static void waitAtExit();
};

} // namespace safecell
