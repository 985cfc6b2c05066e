#include "BudgetScope.h"

#include <QtGlobal>

namespace safecell {

QString scopeLevelName(ScopeLevel level)
{
    switch (level) {
    case ScopeLevel::Org:
        return QStringLiteral("org");
    case ScopeLevel::User:
        return QStringLiteral("user");
    case ScopeLevel::Session:
        return QStringLiteral("session");
    case ScopeLevel::Task:
        return QStringLiteral("task");
    }
    Q_UNREACHABLE();
}

std::optional<ScopeLevel> scopeLevelFromName(const QString &name)
{
    for (ScopeLevel level : kScopeLevels) {
        if (scopeLevelName(level) == name)
            return level;
    }
    return std::nullopt;
}

bool isPeriodic(ScopeLevel level)
{
    return level == ScopeLevel::Org || level == ScopeLevel::User;
}

BudgetScopes BudgetScopes::forLocalUser(const QString &session, const QString &task)
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    if (user.isEmpty())
        user = QStringLiteral("user");
    return of(QStringLiteral("local"), user, session, task);
}

} // namespace safecell
