#include "SettingsDraft.h"

#include "budget/TeamServer.h"

#include "budget/BudgetScope.h"
#include "budget/BudgetState.h"
#include "budget/Money.h"
#include "routing/ModelCatalog.h"
#include "routing/RoutingSettings.h"
#include "safety/Policy.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <array>
#include <optional>

namespace safecell {

namespace {

enum class Kind {
    Text,
    HttpUrl,
    OptionalHttpUrl,
    HostName,
    Amount,
    OptionalAmount,
    Fraction,
    Integer,
    OptionalFolder,
    OptionalFile,
    Executable,
    PolicyFile,
    CatalogFile,
    Model,
    TeamUrl
};

struct Rule {
    Setting setting;
    const char *label;
    Kind kind;
    qint64 min = 0; // Integer: the allowed range, in the stored unit
    qint64 max = 0;
    const char *unit = "";
    qint64 perUnit = 1; // stored value per shown unit (bytes per MB, ms per s)
};

constexpr qint64 kMb = 1024 * 1024;

// What each setting a front end may change must look like.
const std::array kRules{
    Rule{Setting::CohereBaseUrl, "Cohere base URL", Kind::HttpUrl},
    Rule{Setting::E2bApiUrl, "E2B API URL", Kind::OptionalHttpUrl},
    Rule{Setting::E2bSandboxUrl, "E2B sandbox URL", Kind::OptionalHttpUrl},
    Rule{Setting::E2bDomain, "E2B domain", Kind::HostName},
    Rule{Setting::BudgetMonthlyLimitUsd, "Monthly limit", Kind::Amount},
    Rule{Setting::BudgetUserLimitUsd, "User limit", Kind::OptionalAmount},
    Rule{Setting::BudgetSessionLimitUsd, "Session limit", Kind::OptionalAmount},
    Rule{Setting::BudgetTaskLimitUsd, "Task limit", Kind::OptionalAmount},
    Rule{Setting::BudgetWarnThreshold, "Warn threshold", Kind::Fraction},
    Rule{Setting::BudgetDegradeThreshold, "Degrade threshold", Kind::Fraction},
    Rule{Setting::BudgetPeriodFirstDay, "Period start day", Kind::Integer, 1, 28},
    Rule{Setting::SandboxMemoryLimitMb, "Memory", Kind::Integer, 64, 65536, "MB"},
    Rule{Setting::SandboxCpuSeconds, "CPU time", Kind::Integer, 1, 86400, "s"},
    Rule{Setting::SandboxMaxProcesses, "Processes", Kind::Integer, 1, 4096},
    Rule{Setting::SandboxMaxOpenFiles, "Open files", Kind::Integer, 16, 65536},
    Rule{Setting::SandboxMaxFileSizeMb, "File size", Kind::Integer, 1, 65536, "MB"},
    Rule{Setting::SandboxOutputCapBytes, "Output cap", Kind::Integer, kMb, 1024 * kMb, "MB", kMb},
    Rule{Setting::SandboxTmpSizeMb, "/tmp size", Kind::Integer, 16, 65536, "MB"},
    Rule{Setting::SandboxShmSizeMb, "/dev/shm size", Kind::Integer, 16, 65536, "MB"},
    Rule{Setting::SandboxWorkSizeMb, "/work size", Kind::Integer, 16, 65536, "MB"},
    Rule{Setting::RequestTimeLimitCapMs, "Time limit cap", Kind::Integer, 1000, 86400 * 1000, "s", 1000},
    Rule{Setting::SandboxDataFolder, "Data folder", Kind::OptionalFolder},
    Rule{Setting::SandboxWorkspaceDatabase, "Workspace database", Kind::OptionalFile},
    Rule{Setting::SandboxPython, "Python", Kind::Executable},
    Rule{Setting::SafetyPolicyFile, "Safety policy file", Kind::PolicyFile},
    Rule{Setting::ModelCatalogFile, "Model catalogue file", Kind::CatalogFile},
    Rule{Setting::RoutingClassifyModel, "Classify model", Kind::Model},
    Rule{Setting::RoutingGenerateModel, "Generate model", Kind::Model},
    Rule{Setting::RoutingExplainModel, "Explain model", Kind::Model},
    Rule{Setting::TeamServerUrl, "Team server", Kind::TeamUrl},
};

const Rule *ruleFor(Setting setting)
{
    for (const Rule &r : kRules) {
        if (r.setting == setting)
            return &r;
    }
    return nullptr;
}

QString labelOf(Setting setting)
{
    const Rule *r = ruleFor(setting);
    return r ? QString::fromLatin1(r->label) : settingKey(setting);
}

bool isHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))
           && !url.host().isEmpty();
}

std::optional<qint64> wholeNumber(const QVariant &value)
{
    bool ok = false;
    const qint64 n = value.toString().trimmed().toLongLong(&ok);
    return ok ? std::optional(n) : std::nullopt;
}

std::optional<double> fraction(const QVariant &value)
{
    bool ok = false;
    const double f = value.toString().trimmed().toDouble(&ok);
    return ok ? std::optional(f) : std::nullopt;
}

// An amount from a stored value: a double (the org limit) or decimal text.
std::optional<Money> amountOf(const QVariant &value)
{
    if (value.typeId() == QMetaType::Double)
        return Money::fromUsd(value.toDouble());
    return Money::fromDecimalUsd(value.toString().trimmed());
}

std::optional<Purpose> purposeOf(Setting setting)
{
    for (Purpose p : {Purpose::Classify, Purpose::Generate, Purpose::Explain}) {
        if (preferredModelSetting(p) == setting)
            return p;
    }
    return std::nullopt;
}

Expected<ModelCatalog, QString> catalogNamedBy(const QString &file)
{
    if (!file.isEmpty() && !QFileInfo(file).isFile())
        return unexpected(QStringLiteral("cannot read %1: no such file").arg(file));
    return ModelCatalog::load(file.isEmpty() ? ModelCatalog::defaultOverridePath() : file);
}

} // namespace

SettingsDraft::SettingsDraft(const Settings &current)
    : m_current(current)
{
}

void SettingsDraft::set(Setting setting, const QVariant &value)
{
    if (!m_values.contains(setting))
        m_order << setting;
    m_values.insert(setting, value.typeId() == QMetaType::QString ? QVariant(value.toString().trimmed()) : value);
}

QVariant SettingsDraft::value(Setting setting) const
{
    return m_values.contains(setting) ? m_values.value(setting) : m_current.value(setting);
}

Expected<bool, QString> SettingsDraft::checkOne(Setting setting) const
{
    const Rule *rule = ruleFor(setting);
    if (!rule)
        return true;
    const QVariant v = value(setting);
    const QString text = v.toString().trimmed();
    switch (rule->kind) {
    case Kind::Text:
        return true;
    case Kind::HttpUrl:
        if (!isHttpUrl(text))
            return unexpected(QStringLiteral("enter a full http(s) address, such as https://api.cohere.com."));
        return true;
    case Kind::OptionalHttpUrl:
        if (!text.isEmpty() && !isHttpUrl(text))
            return unexpected(QStringLiteral("enter a full http(s) address, or leave it empty."));
        return true;
    case Kind::TeamUrl: {
        if (text.isEmpty())
            return true;
        const auto server = TeamServer::fromUrl(text);
        if (!server)
            return unexpected(QString(server.error() + QLatin1Char('.')));
        // The URL is a setting, kept in a file: the password never is.
        if (!server->password.isEmpty())
            return unexpected(QStringLiteral("leave the password out of the URL: type it in the Password field, "
                                             "which keeps it in the keychain."));
        return true;
    }
    case Kind::HostName: {
        static const QRegularExpression host(
            QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$"));
        if (!host.match(text).hasMatch())
            return unexpected(QStringLiteral("a host name such as e2b.app, without http:// or a path."));
        return true;
    }
    case Kind::Amount:
    case Kind::OptionalAmount:
        if (rule->kind == Kind::OptionalAmount && text.isEmpty())
            return true;
        if (!amountOf(v))
            return unexpected(rule->kind == Kind::Amount
                                  ? QStringLiteral("a dollar amount such as 5 or 12.50, not negative.")
                                  : QStringLiteral("a dollar amount such as 5 or 12.50, or empty for no limit."));
        return true;
    case Kind::Fraction: {
        const auto f = fraction(v);
        if (!f || !(*f >= 0.01 && *f <= 1.0))
            return unexpected(QStringLiteral("must lie between 1 % and 100 % of the limit."));
        return true;
    }
    case Kind::Integer: {
        const auto n = wholeNumber(v);
        if (!n || *n < rule->min || *n > rule->max) {
            const QString unit = QString::fromLatin1(rule->unit);
            return unexpected(QStringLiteral("a whole number from %1 to %2%3.")
                                  .arg(rule->min / rule->perUnit)
                                  .arg(rule->max / rule->perUnit)
                                  .arg(unit.isEmpty() ? QString() : QString(QLatin1Char(' ') + unit)));
        }
        if (n && *n % rule->perUnit != 0)
            return unexpected(QStringLiteral("a whole number of %1.").arg(QString::fromLatin1(rule->unit)));
        return true;
    }
    case Kind::OptionalFolder:
        if (!text.isEmpty() && !QFileInfo(text).isDir())
            return unexpected(QStringLiteral("%1 is not a folder.").arg(text));
        return true;
    case Kind::OptionalFile:
        if (!text.isEmpty() && !(QFileInfo(text).isFile() && QFileInfo(text).isReadable()))
            return unexpected(QStringLiteral("cannot read %1.").arg(text));
        return true;
    case Kind::Executable:
        if (!(QFileInfo(text).isFile() && QFileInfo(text).isExecutable()))
            return unexpected(QStringLiteral("%1 is not an executable program.")
                                  .arg(text.isEmpty() ? QStringLiteral("an empty path") : text));
        return true;
    case Kind::PolicyFile: {
        if (text.isEmpty())
            return true;
        // Really load it, as a run will: the loader's reason is the answer.
        safety::PolicyError error;
        error.reason.clear();
        safety::loadPolicy(text, &error);
        if (!error.reason.isEmpty())
            return unexpected(error.line > 0 ? error.toString() : error.reason); // line 0: not read at all
        return true;
    }
    case Kind::CatalogFile: {
        const auto catalog = catalogNamedBy(text);
        if (!catalog)
            return unexpected(catalog.error());
        return true;
    }
    case Kind::Model:
        return true; // checked against the draft's catalogue in checkTogether()
    }
    Q_UNREACHABLE();
}

Expected<bool, SettingsProblem> SettingsDraft::checkTogether() const
{
    const auto changedAny = [this](std::initializer_list<Setting> settings) {
        for (Setting s : settings) {
            if (m_values.contains(s))
                return true;
        }
        return false;
    };

    if (changedAny({Setting::BudgetWarnThreshold, Setting::BudgetDegradeThreshold})) {
        const double warn = *fraction(value(Setting::BudgetWarnThreshold));
        const double degrade = *fraction(value(Setting::BudgetDegradeThreshold));
        if (!(warn < degrade) || !BudgetThresholds::fromFractions(warn, degrade))
            return unexpected(SettingsProblem{Setting::BudgetWarnThreshold,
                                              QStringLiteral("Thresholds: the warning must come before the degrade "
                                                             "threshold.")});
    }

    // A charge counts against every scope, so a narrower limit above a wider
    // one would never bind: most likely a typo.
    const std::array levels{Setting::BudgetMonthlyLimitUsd, Setting::BudgetUserLimitUsd, Setting::BudgetSessionLimitUsd,
                            Setting::BudgetTaskLimitUsd};
    if (changedAny({levels[0], levels[1], levels[2], levels[3]})) {
        for (size_t narrow = 1; narrow < levels.size(); ++narrow) {
            const QVariant v = value(levels[narrow]);
            if (v.toString().trimmed().isEmpty())
                continue;
            const Money limit = *amountOf(v);
            for (size_t wide = narrow; wide-- > 0;) { // the nearest wider scope first
                const QVariant w = value(levels[wide]);
                if (w.toString().trimmed().isEmpty())
                    continue;
                const Money wider = *amountOf(w);
                if (limit > wider)
                    return unexpected(
                        SettingsProblem{levels[narrow],
                                        QStringLiteral("%1: %2 is above the %3 of %4, so it would never apply.")
                                            .arg(labelOf(levels[narrow]), limit.toString(),
                                                 labelOf(levels[wide]).toLower(), wider.toString())});
            }
        }
    }

    const QList<Setting> models{Setting::RoutingClassifyModel, Setting::RoutingGenerateModel,
                                Setting::RoutingExplainModel};
    bool anyModel = false;
    for (Setting s : models)
        anyModel = anyModel || !value(s).toString().trimmed().isEmpty();
    if (anyModel && changedAny({Setting::ModelCatalogFile, models[0], models[1], models[2]})) {
        const auto catalog = catalogNamedBy(value(Setting::ModelCatalogFile).toString().trimmed());
        if (!catalog)
            return unexpected(SettingsProblem{Setting::ModelCatalogFile,
                                              QStringLiteral("Model catalogue file: %1").arg(catalog.error())});
        for (Setting s : models) {
            const QString id = value(s).toString().trimmed();
            if (id.isEmpty())
                continue;
            const Purpose purpose = *purposeOf(s);
            const auto model = catalog->model(id);
            QString why;
            if (!model)
                why = QStringLiteral("%1 is not in the model catalogue.").arg(id);
            else if (!model->price)
                why = QStringLiteral("%1 has no known price, so its cost cannot be budgeted.").arg(id);
            else if (!model->isUsable())
                why = QStringLiteral("%1 is %2.").arg(id, model->status);
            else if (!model->can(purpose))
                why = QStringLiteral("%1 cannot %2.").arg(id, purposeName(purpose));
            if (!why.isEmpty())
                return unexpected(SettingsProblem{s, QStringLiteral("%1: %2").arg(labelOf(s), why)});
        }
    }
    return true;
}

Expected<bool, SettingsProblem> SettingsDraft::validate() const
{
    for (Setting s : m_order) {
        if (auto ok = checkOne(s); !ok)
            return unexpected(SettingsProblem{s, QStringLiteral("%1: %2").arg(labelOf(s), ok.error())});
    }
    return checkTogether();
}

Expected<bool, SettingsProblem> SettingsDraft::saveTo(Settings &settings) const
{
    if (auto ok = validate(); !ok)
        return ok;
    for (Setting s : m_order) {
        const QVariant v = m_values.value(s);
        const Rule *rule = ruleFor(s);
        if (rule && rule->kind == Kind::Integer)
            settings.setValue(s, *wholeNumber(v));
        else if (rule && rule->kind == Kind::Fraction)
            settings.setValue(s, *fraction(v));
        else if (rule && rule->kind == Kind::Amount)
            settings.setValue(s, amountOf(v)->usd());
        else if (rule && rule->kind == Kind::OptionalAmount && !v.toString().trimmed().isEmpty())
            settings.setValue(s, amountOf(v)->toString().mid(1)); // "12.50", exact
        else
            settings.setValue(s, v.typeId() == QMetaType::QString ? QVariant(v.toString().trimmed()) : v);
    }
    settings.sync();
    return true;
}

} // namespace safecell
