#pragma once

#include "safety/Policy.h"
#include "safety/SqlTokenCursor.h"
#include "safety/Verdict.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace safecell::safety {

// One pass of the policy's SQL rules over a script (analyzeSql()), written
// in one file per job:
//   SqlAnalyzer.cpp       each statement by its kind: WITH, DELETE/UPDATE, EXPLAIN, PRAGMA, ...
//   SqlWhereTruth.cpp     whether a WHERE condition holds for every row
//   SqlFunctionRules.cpp  what counts wherever it appears: functions, INTO OUTFILE, WAITFOR
class SqlAnalysis : private SqlTokenCursor {
public:
    SqlAnalysis(QStringView source, const Policy &policy);
    // Findings statement by statement (not sorted).
    QList<Finding> run();

private:
    // SqlAnalyzer.cpp
    void report(const QString &ruleId, int first, int last, const QString &detail = {});
    void statement(int begin, int end, int depth = 0);
    int withClause(int i, int end);
    QString statementKind(int i, int end, int *objectTok) const;
    void mainStatement(int i, int end, int stmtBegin);
    void deleteOrUpdate(int i, int end);
    void pragma(int i, int end);

    // SqlWhereTruth.cpp
    bool alwaysTrue(int begin, int end, int depth) const;

    // SqlFunctionRules.cpp
    void everywhere(int begin, int end);
    void sizeArgument(int fn, int index, double limit, const QString &unit);
    void series(int fn);

    const Policy &m_policy;
    const SqlPolicy &m_sql;
    QList<Finding> m_findings;
    int m_depth = 0;
};

} // namespace safecell::safety
