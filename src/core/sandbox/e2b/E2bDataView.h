#pragma once

#include "sandbox/DataPage.h"

#include <QString>

namespace safecell {

// The key of the application/json display that carries a data viewer page
// back from E2B.
inline constexpr char kSafecellDataPageKey[] = "safecell_data_page";

// What E2bSandbox runs in the session's context for one page of the table
// viewer: the local kernel's own pager (resources/kernel/dataview.py),
// loaded once into a module of its own so its cache of the sorted and
// filtered order outlives the cell, then asked for `request` and shown with
// IPython's display() as application/json under kSafecellDataPageKey. A
// page asked with another `generation` (E2bSandbox counts its runs) drops
// the cache first, since a run may change a frame in place. Like the
// variable listing (E2bVariables.h), it leaves the session's namespace and
// `_` as they were.
QString e2bDataPageCode(const DataPageRequest &request, quint64 generation);

} // namespace safecell
