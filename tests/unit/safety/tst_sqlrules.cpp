// Every SQL rule of the safety policy with a case that fires and a trap.
#include "RuleRows.h"
#include "safety/Classifier.h"

#include <QTest>

using namespace safecell;
using namespace safecell::safety;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(safecell::SafetyLabel)

class TestSqlRules : public QObject {
    Q_OBJECT
private:
    Classifier m_classifier;

private Q_SLOTS:
    void rule_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<SafetyLabel>("label");
        QTest::addColumn<QString>("rule");
        const auto D = SafetyLabel::Dangerous;
        const auto A = SafetyLabel::Ambiguous;
        const auto S = SafetyLabel::Safe;
        auto row = [](const char *name, const QString &code, SafetyLabel label, const QString &rule) {
            QTest::newRow(name) << code << label << rule;
        };
        // SQL-DDL
        row("drop table", u"DROP TABLE users;"_s, D, u"SQL-DDL"_s);
        row("alter table", u"alter table t add column c int"_s, D, u"SQL-DDL"_s);
        row("create trigger", u"CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END;"_s, D, u"SQL-DDL"_s);
        row("create or replace extension", u"CREATE EXTENSION IF NOT EXISTS plpython3u"_s, D, u"SQL-DDL"_s);
        row("grant", u"GRANT ALL ON t TO public"_s, D, u"SQL-DDL"_s);
        row("drop after a select", u"SELECT 1; DROP TABLE t"_s, D, u"SQL-DDL"_s);
        row("trap: drop in a string", u"SELECT 'DROP TABLE x'"_s, S, QString());
        row("trap: table named drops", u"SELECT * FROM drops WHERE alter_date > 0"_s, S, QString());
        row("trap: drop in comments", u"-- DROP TABLE x\n/* DROP /* nested */ TABLE y */ SELECT 1"_s, S, QString());
        row("trap: quoted identifier", u"SELECT \"drop\", `alter`, [grant] FROM t"_s, S, QString());

        // SQL-WIPE
        row("truncate", u"TRUNCATE TABLE logs"_s, D, u"SQL-WIPE"_s);
        row("delete no where", u"DELETE FROM users"_s, D, u"SQL-WIPE"_s);
        row("update no where", u"UPDATE users SET active = 0"_s, D, u"SQL-WIPE"_s);
        row("delete where 1=1", u"DELETE FROM users WHERE 1=1"_s, D, u"SQL-WIPE"_s);
        row("delete where true", u"delete from t where true"_s, D, u"SQL-WIPE"_s);
        row("delete where 1", u"DELETE FROM t WHERE 1"_s, D, u"SQL-WIPE"_s);
        row("delete where 2 > 1", u"DELETE FROM t WHERE 2 > 1"_s, D, u"SQL-WIPE"_s);
        row("delete where 'a'='a'", u"DELETE FROM t WHERE 'a'='a'"_s, D, u"SQL-WIPE"_s);
        row("delete where col = col", u"DELETE FROM t WHERE id = id"_s, D, u"SQL-WIPE"_s);
        row("delete where x or 1=1", u"DELETE FROM t WHERE id = 5 OR 1=1"_s, D, u"SQL-WIPE"_s);
        row("delete where only in subquery", u"DELETE FROM t USING (SELECT id FROM u WHERE x = 1) s"_s, D,
            u"SQL-WIPE"_s);
        row("update where only in subquery", u"UPDATE t SET a = (SELECT max(b) FROM u WHERE u.id = 3)"_s, D,
            u"SQL-WIPE"_s);
        row("with ... delete no where", u"WITH old AS (SELECT id FROM t WHERE d < 5) DELETE FROM t"_s, D,
            u"SQL-WIPE"_s);
        row("trap: truncate function", u"SELECT TRUNCATE(price, 2) FROM items"_s, S, QString());
        row("trap: replace function", u"SELECT REPLACE(name, 'a', 'b') FROM t"_s, S, QString());

        // SQL-ESCAPE
        row("attach", u"ATTACH DATABASE 'other.db' AS o"_s, D, u"SQL-ESCAPE"_s);
        row("load_extension", u"SELECT load_extension('evil.so')"_s, D, u"SQL-ESCAPE"_s);
        row("vacuum into", u"VACUUM INTO '/tmp/copy.db'"_s, D, u"SQL-ESCAPE"_s);
        row("pragma writable_schema", u"PRAGMA writable_schema = ON"_s, D, u"SQL-ESCAPE"_s);
        row("pragma journal_mode set", u"PRAGMA journal_mode=OFF"_s, D, u"SQL-ESCAPE"_s);
        row("writefile", u"SELECT writefile('/tmp/x', data) FROM t"_s, D, u"SQL-ESCAPE"_s);
        row("copy to file", u"COPY t TO '/tmp/t.csv'"_s, D, u"SQL-ESCAPE"_s);
        row("copy from program", u"COPY t FROM PROGRAM 'curl x'"_s, D, u"SQL-ESCAPE"_s);
        row("pg_read_file", u"SELECT pg_read_file('/etc/passwd')"_s, D, u"SQL-ESCAPE"_s);
        row("dblink", u"SELECT * FROM dblink_connect('host=x')"_s, D, u"SQL-ESCAPE"_s);
        row("xp_cmdshell", u"EXEC xp_cmdshell 'dir'"_s, D, u"SQL-ESCAPE"_s);
        row("into outfile", u"SELECT * FROM t INTO OUTFILE '/tmp/t.txt'"_s, D, u"SQL-ESCAPE"_s);
        row("load data infile", u"LOAD DATA INFILE '/tmp/x' INTO TABLE t"_s, D, u"SQL-ESCAPE"_s);
        row("load_file", u"SELECT LOAD_FILE('/etc/passwd')"_s, D, u"SQL-ESCAPE"_s);
        row("execute string", u"EXECUTE 'DROP TABLE ' || name"_s, D, u"SQL-ESCAPE"_s);
        row("exec paren", u"EXEC('SELECT 1')"_s, D, u"SQL-ESCAPE"_s);
        row("prepare from string", u"PREPARE s FROM 'SELECT 1'"_s, D, u"SQL-ESCAPE"_s);
        row("trap: pragma journal_mode read", u"PRAGMA journal_mode;"_s, S, QString());
        row("trap: pragma table_info", u"PRAGMA table_info(users)"_s, S, QString());
        row("trap: readfile in a string", u"SELECT 'readfile(x)' AS note"_s, S, QString());
        row("trap: column named attach", u"SELECT attach, detach FROM t"_s, S, QString());

        // SQL-WRITE
        row("insert", u"INSERT INTO t VALUES (1)"_s, A, u"SQL-WRITE"_s);
        row("replace into", u"REPLACE INTO t VALUES (1)"_s, A, u"SQL-WRITE"_s);
        row("upsert", u"INSERT INTO t(a) VALUES (1) ON CONFLICT(a) DO UPDATE SET a = 2"_s, A, u"SQL-WRITE"_s);
        row("update with where", u"UPDATE t SET a = 1 WHERE id = 4"_s, A, u"SQL-WRITE"_s);
        row("delete with where", u"DELETE FROM t WHERE id IN (SELECT id FROM u WHERE x = 1)"_s, A, u"SQL-WRITE"_s);
        row("create table", u"CREATE TABLE t (a INT)"_s, A, u"SQL-WRITE"_s);
        row("create temp view", u"CREATE TEMP VIEW v AS SELECT 1"_s, A, u"SQL-WRITE"_s);
        row("create unique index", u"CREATE UNIQUE INDEX i ON t(a)"_s, A, u"SQL-WRITE"_s);
        row("create virtual table", u"CREATE VIRTUAL TABLE f USING fts5(body)"_s, A, u"SQL-WRITE"_s);
        row("select into new table", u"SELECT * INTO backup FROM t"_s, A, u"SQL-WRITE"_s);
        row("vacuum", u"VACUUM"_s, A, u"SQL-WRITE"_s);
        row("pragma sets", u"PRAGMA cache_size = 1000"_s, A, u"SQL-WRITE"_s);
        row("pragma optimize", u"PRAGMA optimize"_s, A, u"SQL-WRITE"_s);
        row("with ... insert", u"WITH s AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM s"_s, A, u"SQL-WRITE"_s);
        row("unknown statement", u"FROBNICATE t"_s, A, u"SQL-WRITE"_s);
        row("explain analyze delete", u"EXPLAIN ANALYZE DELETE FROM t"_s, D, u"SQL-WIPE"_s);
        row("data-modifying cte", u"WITH d AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT * FROM d"_s, A,
            u"SQL-WRITE"_s);
        row("trap: insert in a string", u"SELECT 'INSERT INTO t' FROM x"_s, S, QString());
        row("trap: select into variable", u"SELECT count(*) INTO @n FROM t"_s, S, QString());

        // SQL-ABUSE
        row("unbounded recursive cte",
            u"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n FROM c"_s, A, u"SQL-ABUSE"_s);
        row("pg_sleep", u"SELECT pg_sleep(100)"_s, A, u"SQL-ABUSE"_s);
        row("sleep", u"SELECT sleep(10)"_s, A, u"SQL-ABUSE"_s);
        row("benchmark", u"SELECT benchmark(100000000, md5('a'))"_s, A, u"SQL-ABUSE"_s);
        row("waitfor", u"WAITFOR DELAY '00:10:00'"_s, A, u"SQL-ABUSE"_s);
        row("randomblob big", u"SELECT randomblob(1000000000)"_s, A, u"SQL-ABUSE"_s);
        row("zeroblob product", u"SELECT zeroblob(100 * 1000 * 1000)"_s, A, u"SQL-ABUSE"_s);
        row("generate_series huge", u"SELECT * FROM generate_series(1, 2000000000)"_s, A, u"SQL-ABUSE"_s);
        row("trap: recursive cte with where",
            u"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10) SELECT n FROM c"_s, S,
            QString());
        row("trap: recursive cte with limit",
            u"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n FROM c LIMIT 10"_s, S,
            QString());
        row("trap: small randomblob", u"SELECT randomblob(16)"_s, S, QString());
        row("trap: column named sleep", u"SELECT sleep FROM t"_s, S, QString());

        // safe
        row("select", u"SELECT a, b FROM t WHERE a > 1 ORDER BY b"_s, S, QString());
        row("with select", u"WITH x AS (SELECT 1) SELECT * FROM x"_s, S, QString());
        row("values", u"VALUES (1), (2)"_s, S, QString());
        row("explain", u"EXPLAIN QUERY PLAN SELECT * FROM t"_s, S, QString());
        row("explain delete without analyze", u"EXPLAIN DELETE FROM t"_s, S, QString());
        row("transactions", u"BEGIN; SELECT 1; COMMIT; SAVEPOINT a; RELEASE a; ROLLBACK;"_s, S, QString());
        row("show describe table", u"SHOW TABLES; DESCRIBE t; TABLE t;"_s, S, QString());
        row("semicolon in a string", u"SELECT ';DROP TABLE t;' AS x"_s, S, QString());
        row("doubled quotes", u"SELECT 'it''s; DROP TABLE t' AS x"_s, S, QString());
        row("dollar quotes", u"SELECT $$ ; DROP TABLE t; $$, $tag$ DELETE FROM t $tag$"_s, S, QString());
    }

    void rule()
    {
        QFETCH(QString, code);
        QFETCH(SafetyLabel, label);
        QFETCH(QString, rule);
        const QString mismatch = testing::ruleRowMismatch(m_classifier.classify(code, Language::Sql), label, rule);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void worstStatementDecidesAndPositionsAreReported()
    {
        const Verdict v = m_classifier.classify(u"SELECT 1;\nINSERT INTO t VALUES (1);\n  DROP TABLE t;"_s,
                                                Language::Sql);
        QCOMPARE(v.label, SafetyLabel::Dangerous);
        QCOMPARE(v.findings.size(), 2);
        QCOMPARE(v.findings[0].rule, u"SQL-WRITE"_s);
        QCOMPARE(v.findings[0].line, 2);
        QCOMPARE(v.findings[1].rule, u"SQL-DDL"_s);
        QCOMPARE(v.findings[1].line, 3);
        QCOMPARE(v.findings[1].column, 3);
        QVERIFY(v.findings[1].text.startsWith(u"DROP"_s));
    }
};

QTEST_GUILESS_MAIN(TestSqlRules)
#include "tst_sqlrules.moc"
