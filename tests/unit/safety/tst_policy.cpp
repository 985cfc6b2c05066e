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
        for (const char *id :
             {"PY-PROC", "PY-NET", "PY-DYN", "PY-FS", "PY-SECRET", "PY-ABUSE", "PY-IMPORT", "PY-WRITE", "PY-ENV",
              "PY-URL", "PY-LOOP", "PY-MEMBER", "SQL-DDL", "SQL-WIPE", "SQL-ESCAPE", "SQL-WRITE", "SQL-ABUSE"})
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

    // The built-in policy as a user would have kept a copy of version 1.2,
    // before PY-EXEC, PY-REACH, PY-QUERY and python.reach were added, with
    // one choice of their own: remote reads are not their concern.
    static QByteArray olderUserPolicy(const QString &version)
    {
        QJsonObject root = QJsonDocument::fromJson(builtIn()).object();
        root.insert(u"version"_s, version);
        const QStringList newer = {u"PY-EXEC"_s, u"PY-REACH"_s, u"PY-QUERY"_s};
        QJsonArray rules;
        for (const QJsonValue &rule : root.value(u"rules"_s).toArray()) {
            QJsonObject r = rule.toObject();
            if (newer.contains(r.value(u"id"_s).toString()))
                continue;
            if (r.value(u"id"_s).toString() == u"PY-URL"_s)
                r.insert(u"enabled"_s, false);
            rules.append(r);
        }
        root.insert(u"rules"_s, rules);
        QJsonObject python = root.value(u"python"_s).toObject();
        python.remove(u"reach"_s);
        QJsonArray uses;
        for (const QJsonValue &use : python.value(u"uses"_s).toArray()) {
            if (!newer.contains(use.toObject().value(u"rule"_s).toString()))
                uses.append(use);
        }
        python.insert(u"uses"_s, uses);
        root.insert(u"python"_s, python);
        return QJsonDocument(root).toJson();
    }

    // fuzz_policy found 1e80 as an argument's position cast to int
    // (undefined behaviour): such a file is refused, naming the field.
    void anArgumentPositionOutOfRangeIsRefused()
    {
        QJsonObject root = QJsonDocument::fromJson(builtIn()).object();
        QJsonObject python = root.value(u"python"_s).toObject();
        QJsonArray writes = python.value(u"writes"_s).toArray();
        QVERIFY(!writes.isEmpty());
        QJsonObject first = writes.first().toObject();
        first.insert(u"pathArg"_s, 1e80);
        writes.replace(0, first);
        python.insert(u"writes"_s, writes);
        root.insert(u"python"_s, python);
        PolicyError error;
        const auto policy = loadPolicy(write(u"huge-arg.json"_s, QJsonDocument(root).toJson()), &error);
        QVERIFY2(error.reason.contains(u"pathArg"_s) && error.reason.contains(u"from -1 to 255"_s),
                 qPrintable(error.toString()));
        QVERIFY(policy.get() == defaultPolicy().get()); // the built-in policy stands
    }

    void olderUserPolicyTakesOnlyWhatItLacks()
    {
        QStringList taken;
        const auto parsed = parseUserPolicy(olderUserPolicy(u"1.2"_s), builtIn(), &taken);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().toString()));
        QCOMPARE(taken, (QStringList{u"PY-EXEC"_s, u"PY-REACH"_s, u"PY-QUERY"_s, u"python.reach"_s}));
        QCOMPARE(parsed->version, u"1.2"_s);

        PolicyError error;
        const auto policy = loadPolicy(write(u"kept-from-1.2.json"_s, olderUserPolicy(u"1.2"_s)), &error);
        QVERIFY2(policy.get() != defaultPolicy().get(), qPrintable(error.toString()));
        QVERIFY(!policy->rule(u"PY-URL"_s)->enabled); // the user's choice stands
        const Classifier classifier(policy);
        const auto exec = classifier.classify(u"import runpy\nrunpy.run_path('x.py')\n"_s, Language::Python);
        QCOMPARE(exec.label, SafetyLabel::Dangerous); // the rule added since reaches their runs
        QCOMPARE(exec.findings.value(0).rule, u"PY-EXEC"_s);
        const auto reach = classifier.classify(u"import pandas as pd\npd.io.common.os.system('id')\n"_s,
                                               Language::Python);
        QVERIFY(reach.label != SafetyLabel::Safe);
        QCOMPARE(classifier
                     .classify(u"import pandas as pd\npd.read_csv('https://example.com/a.csv')\n"_s, Language::Python)
                     .label,
                 SafetyLabel::Safe);
    }

    void currentPolicyLackingARuleIsStillRefused()
    {
        const QString current = QJsonDocument::fromJson(builtIn()).object().value(u"version"_s).toString();
        QVERIFY(!current.isEmpty());
        const QByteArray text = olderUserPolicy(current);
        QStringList taken;
        const auto parsed = parseUserPolicy(text, builtIn(), &taken);
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().reason.contains(u"PY-REACH"_s) || parsed.error().reason.contains(u"PY-EXEC"_s)
                     || parsed.error().reason.contains(u"reach"_s),
                 qPrintable(parsed.error().reason));
        QVERIFY(taken.isEmpty());
        QVERIFY(!parseUserPolicy(olderUserPolicy(QString()), builtIn()));
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
