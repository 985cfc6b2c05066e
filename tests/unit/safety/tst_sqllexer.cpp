#include "safety/SqlLexer.h"

#include <QRandomGenerator>
#include <QTest>

using namespace safecell::safety;
using namespace Qt::StringLiterals;

class TestSqlLexer : public QObject {
    Q_OBJECT
private:
    static QStringList texts(const QString &src)
    {
        QStringList out;
        for (const SqlToken &t : lexSql(src))
            out << src.mid(t.start, t.length);
        return out;
    }

    static QStringList statements(const QString &src)
    {
        const QList<SqlToken> tokens = lexSql(src);
        QStringList out;
        for (const SqlStatement &s : splitSql(tokens, src)) {
            const SqlToken &a = tokens[s.begin];
            const SqlToken &b = tokens[s.end - 1];
            out << src.mid(a.start, b.start + b.length - a.start);
        }
        return out;
    }

private Q_SLOTS:
    void quotesWithDoubling()
    {
        QCOMPARE(texts(u"SELECT 'it''s', \"a\"\"b\", `c``d`, [e]]f] FROM t"_s),
                 (QStringList{u"SELECT"_s, u"'it''s'"_s, u","_s, u"\"a\"\"b\""_s, u","_s, u"`c``d`"_s, u","_s,
                              u"[e]]f]"_s, u"FROM"_s, u"t"_s}));
    }

    void commentsIncludingNested()
    {
        QCOMPARE(texts(u"SELECT -- x; DROP\n1 /* a /* b */ c; */ + 2"_s),
                 (QStringList{u"SELECT"_s, u"1"_s, u"+"_s, u"2"_s}));
    }

    void dollarQuotes()
    {
        QCOMPARE(texts(u"SELECT $$a;b$$, $fn$ x $$ y $fn$, $1"_s),
                 (QStringList{u"SELECT"_s, u"$$a;b$$"_s, u","_s, u"$fn$ x $$ y $fn$"_s, u","_s, u"$1"_s}));
    }

    void splitterIgnoresSemicolonsInStringsAndComments()
    {
        QCOMPARE(statements(u"SELECT ';'; -- ;\n;; INSERT INTO t VALUES (';') ; /* ; */"_s),
                 (QStringList{u"SELECT ';'"_s, u"INSERT INTO t VALUES (';')"_s}));
    }

    void positions()
    {
        const QList<SqlToken> t = lexSql(u"SELECT 1;\n  DROP t"_s);
        QCOMPARE(t[3].line, 2);
        QCOMPARE(t[3].column, 3);
    }

    void malformedInputNeverCrashes()
    {
        QRandomGenerator rng(7);
        const QString alphabet = u"'\"`[]$-/*;() aZ09@:?\n\\E"_s;
        for (int round = 0; round < 3000; ++round) {
            QString src;
            const int len = int(rng.bounded(48));
            for (int i = 0; i < len; ++i)
                src += alphabet[int(rng.bounded(alphabet.size()))];
            const QList<SqlToken> tokens = lexSql(src);
            for (const SqlToken &tok : tokens)
                QVERIFY(tok.start >= 0 && tok.start + tok.length <= src.size());
            for (const SqlStatement &s : splitSql(tokens, src))
                QVERIFY(s.begin < s.end && s.end <= tokens.size());
        }
        QCOMPARE(texts(u"SELECT 'open"_s), (QStringList{u"SELECT"_s, u"'open"_s}));
        QCOMPARE(texts(u"/* never closed"_s), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestSqlLexer)
#include "tst_sqllexer.moc"
