#include "PyAnalysis.h"

namespace safecell::safety {

std::optional<QString> PyAnalysis::importRule(const QString &module) const
{
    for (auto it = m_py.importRules.constBegin(); it != m_py.importRules.constEnd(); ++it) {
        const QString &key = it.key();
        if (module == key || (module.startsWith(key) && module.size() > key.size() && module[key.size()] == u'.'))
            return it.value();
    }
    return std::nullopt;
}

int PyAnalysis::importStatement(int i)
{
    const int end = statementEnd(i);
    int j = i + 1;
    while (j < end) {
        QString module;
        const int first = j;
        j = dotted(j, &module);
        if (module.isEmpty()) {
            ++j;
            continue;
        }
        const int last = j - 1;
        QString local = module.section(u'.', 0, 0);
        QString bound = local;
        if (isWord(j, u"as") && isName(j + 1)) {
            local = text(j + 1).toString();
            bound = module;
            j += 2;
        }
        ModuleImport record{module, first, last, false, false};
        if (const auto rule = importRule(module)) {
            report(*rule, first, last, QStringLiteral("import ") + module);
            record.reported = true;
        }
        m_imports.push_back(record);
        bind(m_names.intern(local), Binding{bound, int(m_imports.size()) - 1});
        if (isOp(j, u','))
            ++j;
    }
    return end;
}

int PyAnalysis::fromStatement(int i)
{
    const int end = statementEnd(i);
    int j = i + 1;
    if (isOp(j, u'.') || isOp(j, u"...")) // relative import: the snippet's own package
        return end;
    QString module;
    const int first = j;
    j = dotted(j, &module);
    const int moduleLast = j - 1;
    if (!isWord(j, u"import"))
        return end;
    ++j;
    std::optional<QString> moduleRule = importRule(module);
    if (moduleRule)
        report(*moduleRule, first, moduleLast, QStringLiteral("import ") + module);
    while (j < end) {
        if (isOp(j, u'(') || isOp(j, u')') || isOp(j, u',')) {
            ++j;
            continue;
        }
        if (isOp(j, u'*')) {
            ModuleImport record{module, first, moduleLast, false, moduleRule.has_value()};
            m_imports.push_back(record);
            m_stars.push_back({module, int(m_imports.size()) - 1});
            ++j;
            continue;
        }
        if (!isName(j)) {
            ++j;
            continue;
        }
        const int nameTok = j;
        const QString qualified = module + u'.' + text(j);
        QStringView local = text(j);
        ++j;
        if (isWord(j, u"as") && isName(j + 1)) {
            local = text(j + 1);
            j += 2;
        }
        if (m_reach.isModule(text(nameTok)) && module.section(u'.', 0, 0) != text(nameTok)) {
            report(QStringLiteral("PY-REACH"), first, nameTok,
                   text(nameTok) + QStringLiteral(" imported from ") + module);
            bind(local, Binding{text(nameTok).toString(), -1});
            continue;
        }
        bind(local, Binding{qualified, -1});
        if (moduleRule)
            continue;
        if (const auto rule = importRule(qualified)) {
            report(*rule, first, nameTok, QStringLiteral("import ") + qualified);
            continue;
        }
        use(qualified, nameTok, nameTok, -1, true);
    }
    return end;
}

// A dangerous module imported and never used still counts: its import alone
// runs code.
void PyAnalysis::reportUnusedImports()
{
    for (const ModuleImport &imp : std::as_const(m_imports)) {
        const QString root = imp.module.section(u'.', 0, 0);
        if (!imp.used && !imp.reported && m_py.dangerousModules.contains(root))
            report(QStringLiteral("PY-IMPORT"), imp.tokenBegin, imp.tokenEnd, imp.module);
    }
}

} // namespace safecell::safety
