#pragma once

#include <QLoggingCategory>

// One category per subsystem, so `QT_LOGGING_RULES="safecell.sandbox.debug=true"`
// turns on exactly the part being investigated. No category ever logs a key.
Q_DECLARE_LOGGING_CATEGORY(lcRequest)
Q_DECLARE_LOGGING_CATEGORY(lcSettings)
Q_DECLARE_LOGGING_CATEGORY(lcKeys)
Q_DECLARE_LOGGING_CATEGORY(lcSandbox)
Q_DECLARE_LOGGING_CATEGORY(lcPipeline)
Q_DECLARE_LOGGING_CATEGORY(lcSafety)
Q_DECLARE_LOGGING_CATEGORY(lcBudget)
Q_DECLARE_LOGGING_CATEGORY(lcRouting)
Q_DECLARE_LOGGING_CATEGORY(lcCohere)
Q_DECLARE_LOGGING_CATEGORY(lcE2b)
Q_DECLARE_LOGGING_CATEGORY(lcApi)
Q_DECLARE_LOGGING_CATEGORY(lcGui)
