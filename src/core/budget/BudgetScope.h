#pragma once

#include <QString>

#include <array>
#include <optional>

namespace safecell {

// Scopes nest: org > user > session > task (one run). A charge counts
// against every scope it names.
enum class ScopeLevel { Org = 0, User = 1, Session = 2, Task = 3 };
inline constexpr std::array kScopeLevels{ScopeLevel::Org, ScopeLevel::User, ScopeLevel::Session, ScopeLevel::Task};

QString scopeLevelName(ScopeLevel level);
std::optional<ScopeLevel> scopeLevelFromName(const QString &name);
// Org and user limits are per calendar period; a session or a task is
// short-lived, and its limit covers its whole life.
bool isPeriodic(ScopeLevel level);

// The keys of the scopes a charge belongs to. An empty key means the charge
// is not in a scope of that level.
struct BudgetScopes {
    std::array<QString, 4> keys;

    QString key(ScopeLevel level) const { return keys[size_t(level)]; }
    BudgetScopes &set(ScopeLevel level, const QString &key)
    {
        keys[size_t(level)] = key;
        return *this;
    }
    static BudgetScopes of(const QString &org, const QString &user = {}, const QString &session = {},
                           const QString &task = {})
    {
        return BudgetScopes{{org, user, session, task}};
    }
    // The desktop defaults: one org ("local") and the OS user.
    static BudgetScopes forLocalUser(const QString &session = {}, const QString &task = {});
};

} // namespace safecell
