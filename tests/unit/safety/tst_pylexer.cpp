#include "safety/PyLexer.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace safecell::safety;
using namespace Qt::StringLiterals;

class TestPyLexer : public QObject {
    Q_OBJECT
private:
    static QStringList kinds(const QString &src)
    {
        static const char *names[] = {"N", "#", "S", "F<", "F>", "O", "NL"};
        QStringList out;
        for (const PyToken &t : lexPython(src)) {
            QString s = QString::fromLatin1(names[t.kind]);
            if (t.kind == PyToken::Name || t.kind == PyToken::Op || t.kind == PyToken::Number)
                s += u':' + src.mid(t.start, t.length);
            out << s;
        }
        return out;
    }

private Q_SLOTS:
    void commentsAndStringsAreNotNames()
    {
        QCOMPARE(kinds(u"x = 'eval' # eval(x)\n"_s), (QStringList{u"N:x"_s, u"O:="_s, u"S"_s, u"NL"_s}));
    }

    void everyStringPrefixInAnyCase()
    {
        for (const QString &prefix :
             {u""_s, u"r"_s, u"R"_s, u"b"_s, u"B"_s, u"u"_s, u"U"_s, u"rb"_s, u"Rb"_s, u"bR"_s, u"BR"_s}) {
            for (const QString &quote : {u"'"_s, u"\""_s, u"'''"_s, u"\"\"\""_s}) {
                const QString src = prefix + quote + u"a \\" + quote.left(1) + u" b" + quote + u" + c\n"_s;
                QCOMPARE(kinds(src), (QStringList{u"S"_s, u"O:+"_s, u"N:c"_s, u"NL"_s}));
            }
        }
        for (const QString &prefix : {u"f"_s, u"F"_s, u"rf"_s, u"fR"_s, u"Rf"_s})
            QCOMPARE(kinds(prefix + u"'{a}'"_s).mid(0, 3), (QStringList{u"F<"_s, u"N:a"_s, u"F>"_s}));
    }

    void tripleQuotedSpansLines()
    {
        const QList<PyToken> t = lexPython(u"s = \"\"\"a\n'b'\n\"\"\"\nx\n"_s);
        QCOMPARE(t.size(), 6); // s = S NL x NL
        QCOMPARE(t[4].line, 4);
        QVERIFY(t[4].lineStart);
    }

    void fStringFieldsNestedQuotesAndSpecs()
    {
        QCOMPARE(kinds(u"f\"{a['k']:>{w}} {{lit}} {b!r}\""_s),
                 (QStringList{u"F<"_s, u"N:a"_s, u"O:["_s, u"S"_s, u"O:]"_s, u"N:w"_s, u"N:b"_s, u"O:!"_s, u"N:r"_s,
                              u"F>"_s, u"NL"_s}));
        // nested f-strings, same quote reused inside a field (Python 3.12)
        QCOMPARE(kinds(u"f'{f\"{x}\"}' + f'{y[\"a\"]}'"_s),
                 (QStringList{u"F<"_s, u"F<"_s, u"N:x"_s, u"F>"_s, u"F>"_s, u"O:+"_s, u"F<"_s, u"N:y"_s, u"O:["_s,
                              u"S"_s, u"O:]"_s, u"F>"_s, u"NL"_s}));
    }

    void continuationsBracketsSemicolonsDecorators()
    {
        QCOMPARE(kinds(u"a = 1 + \\\n  2; b = (\n3)\n@dec\ndef f(): pass\n"_s),
                 (QStringList{u"N:a"_s, u"O:="_s, u"#:1"_s, u"O:+"_s, u"#:2"_s,    u"O:;"_s,   u"N:b"_s, u"O:="_s,
                              u"O:("_s, u"#:3"_s, u"O:)"_s, u"NL"_s,  u"O:@"_s,    u"N:dec"_s, u"NL"_s,  u"N:def"_s,
                              u"N:f"_s, u"O:("_s, u"O:)"_s, u"O::"_s, u"N:pass"_s, u"NL"_s}));
    }

    void nonAsciiIdentifiersAndColumns()
    {
        const QString src = u"données = π * 2\n  é = 1\n"_s;
        QCOMPARE(kinds(src), (QStringList{u"N:données"_s, u"O:="_s, u"N:π"_s, u"O:*"_s, u"#:2"_s, u"NL"_s, u"N:é"_s,
                                          u"O:="_s, u"#:1"_s, u"NL"_s}));
        const QList<PyToken> t = lexPython(src);
        QCOMPARE(t[6].line, 2);
        QCOMPARE(t[6].column, 3);
        QCOMPARE(t[6].indent, 2);
    }

    void malformedInputStillLexes()
    {
        for (const QString &src : {u"'unterminated\nx"_s, u"f'{"_s, u"f'{a:{'"_s, u"\"\"\"never closed"_s,
                                   u")))]]]}}}"_s, u"\\"_s, u"f'{x!}'"_s, u"rf'\\N{'"_s, u"f'{'\n'}'"_s}) {
            const QList<PyToken> t = lexPython(src);
            for (const PyToken &tok : t) {
                QVERIFY(tok.start >= 0 && tok.start + tok.length <= src.size());
            }
        }
        QCOMPARE(kinds(u"'abc\nx"_s), (QStringList{u"S"_s, u"NL"_s, u"N:x"_s, u"NL"_s}));
    }

    // Linear time is measured, not asserted, here: bench/classify prints the
    // lexer's scaling on pathological inputs, and the fuzzer's -timeout
    // catches a quadratic blow-up.

    void randomBytesNeverCrash()
    {
        QRandomGenerator rng(42);
        const QString alphabet = u"abf'\"\\{}()[]:;#\n\r\t .=!rRbBé0123"_s;
        for (int round = 0; round < 2000; ++round) {
            QString src;
            const int len = int(rng.bounded(64));
            for (int i = 0; i < len; ++i)
                src += alphabet[int(rng.bounded(alphabet.size()))];
            for (const PyToken &tok : lexPython(src))
                QVERIFY(tok.start >= 0 && tok.start + tok.length <= src.size());
        }
    }
};

QTEST_GUILESS_MAIN(TestPyLexer)
#include "tst_pylexer.moc"
