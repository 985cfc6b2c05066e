#pragma once

#include "settings/Settings.h"

#include "common/Expected.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QVariant>

namespace safecell {

// Why a value cannot be saved: the setting at fault and a reason that
// starts with the field's name ("Monthly limit: ...").
struct SettingsProblem {
    Setting setting;
    QString reason;
};

// Values a front end wants to save, checked as a whole before any is
// written: each value on its own (URLs, amounts, ranges, files that must
// really load), then the rules between them (threshold order, scope limits
// nested, preferred models present in the catalogue the draft names).
class SettingsDraft {
public:
    // `current` supplies every value the draft does not change.
    explicit SettingsDraft(const Settings &current);

    void set(Setting setting, const QVariant &value);
    QVariant value(Setting setting) const;
    QList<Setting> changed() const { return m_order; }

    // The first problem, in the order the values were set; nothing else is
    // reported until it is fixed.
    Expected<bool, SettingsProblem> validate() const;
    // Validates, then writes every drafted value (normalised: trimmed text,
    // whole numbers as integers) and syncs. Nothing is written on a problem.
    Expected<bool, SettingsProblem> saveTo(Settings &settings) const;

private:
    Expected<bool, QString> checkOne(Setting setting) const;
    Expected<bool, SettingsProblem> checkTogether() const;

    const Settings &m_current;
    QHash<Setting, QVariant> m_values;
    QList<Setting> m_order;
};

} // namespace safecell
