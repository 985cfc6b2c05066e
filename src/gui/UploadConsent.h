#pragma once

#include "sandbox/e2b/E2bUploads.h"

#include <QList>

#include <functional>
#include <optional>

class QWidget;

namespace safecell {

// The analyst's answer to "send these files to E2B's cloud?", asked once
// per window session before the first run that would upload them, and
// honoured until SafeCell quits (never stored). Asked through Confirmation,
// so tests can answer it.
class UploadConsent {
public:
    bool answered() const { return m_answer.has_value(); }
    bool allowed() const { return m_answer.value_or(false); }

    // Asks, unless already answered; `then` follows with the answer.
    void ask(QWidget *parent, const QList<E2bUpload> &uploads, std::function<void(bool allowed)> then);

private:
    std::optional<bool> m_answer;
    bool m_asking = false;
};

} // namespace safecell
