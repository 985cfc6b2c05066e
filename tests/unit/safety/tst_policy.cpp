#include "safety/Classifier.h"
#include "safety/Policy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace safecell::safety;
using namespace Qt::StringLiterals;

class TestPolicy : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    static QByteArray builtIn()
    {
        QFile file(u":/policy/default.json"_s);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return file.readAll();
    }

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(content);
        return path;
    }

private Q_SLOTS:
    void builtInPolicyParsesAndDefinesEveryRule()
    {
        const auto parsed = parsePolicy(builtIn());
        QVERIFY2(parsed.hasValue(), parsed.hasValue() ? "" : qPrintable(parsed.error().toString()));
        for (const char *id : {"PY-PROC", "PY-NET", "PY-DYN", "PY-FS", "PY-SECRET", "PY-ABUSE", "PY-IMPORT",
                               "PY-WRITE", "PY-ENV", "PY-URL", "PY-LOOP", "PY-MEMBER", "SQL-DDL", "SQL-WIPE",
                               "SQL-ESCAPE", "SQL-WRITE", "SQL-ABUSE"})
            QVERIFY2(parsed->rule(QString::fromLatin1(id)), id);
        // heuristics are not confident, token matches are
        QVERIFY(parsed->rule(u"PY-LOOP"_s)->confidence < 0.8);
        QVERIFY(parsed->rule(u"SQL-ABUSE"_s)->confidence < 0.8);
        QVERIFY(parsed->rule(u"PY-PROC"_s)->confidence >= 0.9);
    }

    void syntaxErrorIsReportedWithItsLine()
    {
        const auto parsed = parsePolicy("{\n  \"version\": \"1\",\n  \"rules\": [\n    {\"id\": \"X\",,}\n  ]\n}\n");
        QVERIFY(!parsed.hasValue());
        QCOMPARE(parsed.error().line, 4);
        QVERIFY(!parsed.error().reason.isEmpty());
    }

    void schemaErrorPointsAtTheRule()
    {
        QByteArray text = builtIn();
        text.replace("{\"id\": \"PY-ENV\", \"label\": \"ambiguous\"", "{\"id\": \"PY-ENV\", \"label\": \"scary\"");
        const int expectedLine = int(text.left(text.indexOf("\"PY-ENV\"")).count('\n')) + 1;
        const auto parsed = parsePolicy(text);
        QVERIFY(!parsed.hasValue());
        QCOMPARE(parsed.error().line, expectedLine);
        QVERIFY2(parsed.error().reason.contains(u"PY-ENV"_s), qPrintable(parsed.error().reason));
    }

    void unknownRuleReferenceIsRejected()
    {
        QByteArray text = builtIn();
        text.replace("\"TRUNCATE\": \"SQL-WIPE\"", "\"TRUNCATE\": \"SQL-NOPE\"");
        const auto parsed = parsePolicy(text);
        QVERIFY(!parsed.hasValue());
        QVERIFY(parsed.error().reason.contains(u"SQL-NOPE"_s));
        QVERIFY(parsed.error().line > 1);
    }

    void badUserFileKeepsTheDefault()
    {
        const QString path = write(u"bad.json"_s, "{\n\"rules\": 3\n}\n");
        PolicyError error;
        const auto policy = loadPolicy(path, &error);
        QCOMPARE(policy.get(), defaultPolicy().get());
        QCOMPARE(error.line, 2);
        QVERIFY(!error.reason.isEmpty());
        const auto missing = loadPolicy(m_dir.filePath(u"nope.json"_s), &error);
        QCOMPARE(missing.get(), defaultPolicy().get());
    }

    void userFileOverridesTheDefault()
    {
        // A user policy that makes environment reads dangerous and disables PY-LOOP.
        QByteArray text = builtIn();
        text.replace("{\"id\": \"PY-ENV\", \"label\": \"ambiguous\"", "{\"id\": \"PY-ENV\", \"label\": \"dangerous\"");
        text.replace("{\"id\": \"PY-LOOP\",", "{\"id\": \"PY-LOOP\", \"enabled\": false,");
        PolicyError error;
        const auto policy = loadPolicy(write(u"user.json"_s, text), &error);
        QVERIFY(policy.get() != defaultPolicy().get());
        const Classifier classifier(policy);
        QCOMPARE(classifier.classify(u"import os\nos.getenv('A')"_s, Language::Python).label, SafetyLabel::Dangerous);
        QCOMPARE(classifier.classify(u"while True:\n    pass\n"_s, Language::Python).label, SafetyLabel::Safe);
        const Classifier standard;
        QCOMPARE(standard.classify(u"import os\nos.getenv('A')"_s, Language::Python).label, SafetyLabel::Ambiguous);
    }

    void globPatterns()
    {
        NamePattern p{u"os.exec*"_s, {}, {}, {}, -1, -1, -1};
        QVERIFY(p.matches(u"os.execvp"_s));
        QVERIFY(!p.matches(u"os.system"_s));
        NamePattern exact{u"os.path"_s, {}, {}, {}, -1, -1, -1};
        QVERIFY(exact.matches(u"os.path.join"_s));
        QVERIFY(!exact.matches(u"os.pathconf"_s));
        NamePattern middle{u"statsmodels.*load"_s, {}, {}, {}, -1, -1, -1};
        QVERIFY(middle.matches(u"statsmodels.api.load"_s));
        QVERIFY(!middle.matches(u"statsmodels.api.OLS"_s));
    }
};

QTEST_GUILESS_MAIN(TestPolicy)
#include "tst_policy.moc"
