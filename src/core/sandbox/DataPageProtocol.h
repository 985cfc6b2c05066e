#pragma once

#include "sandbox/DataPage.h"

#include <QByteArray>
#include <QJsonObject>

namespace safecell::kernel {

// The data viewer's part of the kernel protocol (KernelProtocol.h): a page
// is asked for as an execute request of language "data_page", which the
// driver runs like a snippet but counts as no execution, and answered by a
// "data_page" message before that request's end_of_execution.
QByteArray dataPageLine(const QString &requestId, const DataPageRequest &request);

// The answer's fields, bounded here whoever sent them (the worker shares
// its process with the user's code). The request is the caller's to fill.
DataPage parseDataPage(const QJsonObject &object);

} // namespace safecell::kernel
