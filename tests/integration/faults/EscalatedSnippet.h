#pragma once
// The fault tests' snippet that needs the LLM's second opinion.
#include <QString>

namespace faulttest {

// Ambiguous (PY-URL) at a confidence the router escalates to the LLM; the
// fakes answer its run with "ran".
inline const QString kEscalated = QStringLiteral("import pandas as pd\n"
                                                 "try:\n"
                                                 "    pd.read_csv(\"https://example.com/data.csv\")\n"
                                                 "except Exception:\n"
                                                 "    pass\n"
                                                 "print(\"ran\")\n");

} // namespace faulttest
