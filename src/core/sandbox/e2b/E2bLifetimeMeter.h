#pragma once

#include <QtGlobal>

namespace safecell {

// Who a stretch of a sandbox's lifetime is for: a run (charged to that run)
// or keeping an idle sandbox warm between runs (charged to the session).
enum class LifetimeUse { Run, KeepWarm };

// The money side of E2B sandboxes, kept out of the sandbox code. E2B bills
// a sandbox from its create until it is killed or its lifetime (the
// `timeout` given at create or by a later /timeout) ends, so no lifetime is
// asked before the meter has covered it. Figures are seconds of one
// sandbox's billable life (a "life", numbered by E2bLifetime), counted from
// its create request.
class E2bLifetimeMeter {
public:
    virtual ~E2bLifetimeMeter() = default;
    // E2B may bill `life` up to `seconds` in all, for `use`: asked before a
    // lifetime is (create, /timeout), and again once E2B answered, which
    // can raise or lower the figure. False: the budget cannot cover it, so
    // that lifetime must not be asked (nor the sandbox kept, when the
    // figure is already asked).
    virtual bool cover(quint64 life, double seconds, LifetimeUse use) = 0;
    // `seconds` of the life are used so far (a run ended, a run starts
    // after warm time, a keep-warm step): the part since the last call is
    // spent and can be settled.
    virtual void used(quint64 life, double seconds) = 0;
    // The life is over: `seconds` of it were billable in all.
    virtual void ended(quint64 life, double seconds) = 0;
};

} // namespace safecell
