#pragma once

#include "ModelCatalog.h"
#include "ModelRouter.h"

#include "common/Expected.h"
#include "settings/Settings.h"

namespace safecell {

// The setting naming the model to try first for a purpose.
Setting preferredModelSetting(Purpose purpose);

// The catalogue override the settings name, else the default override path
// (models.json in the config folder, used only when it exists).
QString catalogOverridePath(const Settings &settings);

// The built-in routing chains with each purpose's preferred model (from the
// settings) moved to the front; the rest of the chain stays as fallback.
RoutingPreferences routingPreferences(const Settings &settings);
RoutingPreferences withPreferredModel(RoutingPreferences preferences, Purpose purpose, const QString &modelId);

} // namespace safecell
