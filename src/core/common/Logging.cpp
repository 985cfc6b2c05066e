#include "Logging.h"

Q_LOGGING_CATEGORY(lcRequest, "safecell.request", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSettings, "safecell.settings", QtInfoMsg)
Q_LOGGING_CATEGORY(lcKeys, "safecell.keys", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSandbox, "safecell.sandbox", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPipeline, "safecell.pipeline", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSafety, "safecell.safety", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBudget, "safecell.budget", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRouting, "safecell.routing", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCohere, "safecell.cohere", QtInfoMsg)
Q_LOGGING_CATEGORY(lcE2b, "safecell.e2b", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "safecell.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcGui, "safecell.gui", QtInfoMsg)
