// The safety check sees through indirection (issue 17, items 8-10): a
// dangerous module or builtin reached as an attribute of an innocent module,
// through a frame, __dict__, __self__ or sys.modules, named as text to
// getattr/attrgetter/methodcaller/reduce, run by an execution helper, reached
// from a pandas query/eval expression, or written in look-alike Unicode that
// Python folds (NFKC). Every family has look-alikes from ordinary analysis
// code that must keep their label.
#include "RuleRows.h"
#include "safety/Classifier.h"
#include "safety/Policy.h"
#include "safety/RuleAdvice.h"

#include <QTest>

using namespace safecell;
using namespace safecell::safety;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(safecell::SafetyLabel)

class TestIndirection : public QObject {
    Q_OBJECT
private:
    Classifier m_classifier;

    static void rows()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<SafetyLabel>("label");
        QTest::addColumn<QString>("rule");   // a rule that must be among the findings; empty: no findings
        QTest::addColumn<bool>("lookAlike"); // none of the indirection rules may fire
    }

private Q_SLOTS:
    void attack_data()
    {
        rows();
        const auto D = SafetyLabel::Dangerous;
        const auto A = SafetyLabel::Ambiguous;
        auto row = [](const char *name, const QString &code, SafetyLabel label, const QString &rule) {
            QTest::newRow(name) << code << label << rule << false;
        };

        // --- a dangerous module as an attribute of an innocent one
        row("pd.io.common.os.system", u"import pandas as pd\npd.io.common.os.system(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("conventional pd without import", u"pd.io.common.os.system(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("from pandas.io import common", u"from pandas.io import common\ncommon.os.popen(\"id\").read()\n"_s, D,
            u"PY-PROC"_s);
        row("import pandas.io.common as c", u"import pandas.io.common as c\nc.os.system(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("from pandas.io.common import os", u"from pandas.io.common import os as o\no.system(\"id\")\n"_s, D,
            u"PY-PROC"_s);
        row("alias of a chain to os", u"import pandas as pd\nx = pd.io.common.os\nx.system(\"id\")\n"_s, D,
            u"PY-PROC"_s);
        row("alias of a module then os", u"import pandas as pd\nx = pd.io.common\nx.os.system(\"id\")\n"_s, D,
            u"PY-PROC"_s);
        row("logging.os.system", u"import logging\nlogging.os.system(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("plt.sys.modules subprocess",
            u"import matplotlib.pyplot as plt\nplt.sys.modules[\"subprocess\"].run([\"id\"])\n"_s, D, u"PY-PROC"_s);
        row("collections.sys.modules socket",
            u"import collections\ncollections.sys.modules['socket'].create_connection(('x', 80))\n"_s, D, u"PY-NET"_s);
        row("shutil through pandas", u"import pandas as pd\npd.io.common.shutil.rmtree(\"data\")\n"_s, D, u"PY-FS"_s);
        row("ctypes through numpy", u"import numpy as np\nlib = np.ctypeslib.ctypes.CDLL(None)\n"_s, D, u"PY-DYN"_s);
        row("builtins through pandas", u"import pandas as pd\npd.core.common.builtins.exec(\"print(1)\")\n"_s, D,
            u"PY-DYN"_s);
        row("importlib through pandas", u"import pandas as pd\nm = pd.io.common.importlib.import_module(\"os\")\n"_s, D,
            u"PY-DYN"_s);
        row("environ through pandas",
            u"import pandas as pd\nkey = pd.io.common.os.environ[\"AWS_SECRET_ACCESS_KEY\"]\n"_s, A, u"PY-ENV"_s);
        row("os.path through pandas", u"import pandas as pd\np = pd.io.common.os.path.join(\"a\", \"b\")\n"_s, A,
            u"PY-REACH"_s);
        row("json.codecs.sys.modules", u"import json\njson.codecs.sys.modules[\"os\"].system(\"id\")\n"_s, D,
            u"PY-PROC"_s);
        row("__dict__ of a module", u"import pandas as pd\npd.io.common.__dict__[\"os\"].system(\"id\")\n"_s, D,
            u"PY-PROC"_s);
        row("os.sys", u"import os\nos.sys.modules[\"subprocess\"].call(\"id\", shell=True)\n"_s, D, u"PY-PROC"_s);

        // --- sys.modules
        row("sys.modules subscript", u"import sys\nsys.modules[\"os\"].system(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("sys.modules.get", u"import sys\nsys.modules.get(\"subprocess\").run([\"id\"])\n"_s, D, u"PY-PROC"_s);
        row("alias of sys.modules", u"import sys\nm = sys.modules\nm[\"os\"].system(\"id\")\n"_s, D, u"PY-PROC"_s);

        // --- frames
        row("currentframe f_back f_globals",
            u"import inspect\ninspect.currentframe().f_back.f_globals[\"os\"].system(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("sys._getframe f_globals", u"import sys\nsys._getframe().f_globals[\"os\"].system(\"id\")\n"_s, D,
            u"PY-PROC"_s);
        row("stack frame f_globals",
            u"import inspect\ninspect.stack()[0].frame.f_globals[\"subprocess\"].run([\"id\"])\n"_s, D, u"PY-PROC"_s);
        row("frame variable f_builtins",
            u"import inspect\nf = inspect.currentframe()\nf.f_builtins[\"eval\"](\"1+1\")\n"_s, D, u"PY-DYN"_s);
        row("f_locals.get", u"import inspect\nfor fr in inspect.stack():\n    m = fr.frame.f_locals.get(\"os\")\n"_s, A,
            u"PY-REACH"_s);
        row("frame globals kept", u"import inspect\ng = inspect.currentframe().f_globals\n"_s, A, u"PY-REACH"_s);
        row("traceback frame",
            u"try:\n    1 / 0\nexcept Exception as e:\n    e.__traceback__.tb_frame.f_globals[\"os\"].system(\"id\")\n"_s,
            D, u"PY-PROC"_s);
        row("frame globals then builtins",
            u"import inspect\ninspect.currentframe().f_globals[\"__builtins__\"][\"exec\"](\"1\")\n"_s, D, u"PY-DYN"_s);
        row("frame globals computed key", u"import inspect\nname = input()\ninspect.currentframe().f_globals[name]\n"_s,
            A, u"PY-REACH"_s);

        // --- __self__ and __dict__
        row("print.__self__.__dict__ exec", u"print.__self__.__dict__[\"exec\"](\"import os\")\n"_s, D, u"PY-DYN"_s);
        row("len.__self__.eval", u"len.__self__.eval(\"1+1\")\n"_s, D, u"PY-DYN"_s);
        row("min.__self__.__import__", u"min.__self__.__import__(\"os\").system(\"id\")\n"_s, D, u"PY-DYN"_s);
        row("__self__ kept in a variable", u"b = print.__self__\nb.exec(\"1\")\n"_s, A, u"PY-REACH"_s);
        row("__dict__.get exec", u"print.__self__.__dict__.get(\"exec\")(\"1\")\n"_s, D, u"PY-DYN"_s);
        row("__self__ after a call", u"x = str(1).__class__.__str__.__self__\n"_s, A, u"PY-REACH"_s);

        // --- attribute names given as text
        row("getattr module attribute os", u"import pandas as pd\ngetattr(pd.io.common, \"os\").system(\"id\")\n"_s, A,
            u"PY-REACH"_s);
        row("getattr asyncio subprocess", u"import asyncio\ngetattr(asyncio, \"create_subprocess_shell\")(\"id\")\n"_s,
            D, u"PY-PROC"_s);
        row("getattr __self__", u"getattr(print, \"__self__\").exec(\"1\")\n"_s, A, u"PY-REACH"_s);
        row("attrgetter io.common.os",
            u"import operator\nimport pandas as pd\noperator.attrgetter(\"io.common.os\")(pd).system(\"id\")\n"_s, A,
            u"PY-REACH"_s);
        row("attrgetter os.system", u"from operator import attrgetter\nattrgetter(\"os.system\")(mod)(\"id\")\n"_s, D,
            u"PY-PROC"_s);
        row("attrgetter __self__",
            u"import operator\noperator.attrgetter(\"__self__.__dict__\")(print)[\"exec\"](\"1\")\n"_s, A,
            u"PY-REACH"_s);
        row("methodcaller system", u"import operator\noperator.methodcaller(\"system\", \"id\")(m)\n"_s, A,
            u"PY-REACH"_s);
        row("methodcaller exec", u"import operator\nf = operator.methodcaller(\"exec\", \"import os\")\n"_s, A,
            u"PY-REACH"_s);
        row("attrgetter computed", u"import operator\nf = operator.attrgetter(name)\n"_s, A, u"PY-MEMBER"_s);
        row("reduce getattr to os.system",
            u"import functools\nimport pandas as pd\nfunctools.reduce(getattr, [\"io\", \"common\", \"os\", \"system\"], pd)(\"id\")\n"_s,
            D, u"PY-PROC"_s);
        row("reduce getattr tuple",
            u"from functools import reduce\nreduce(getattr, (\"os\", \"system\"), obj)(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("reduce getattr computed path",
            u"from functools import reduce\nf = reduce(getattr, \"io.common.os\".split(\".\"), pd)\n"_s, A,
            u"PY-MEMBER"_s);

        // --- execution helpers
        row("runpy.run_path", u"import runpy\nrunpy.run_path(\"evil.py\")\n"_s, D, u"PY-EXEC"_s);
        row("runpy.run_module", u"import runpy\nrunpy.run_module(\"http.server\", run_name=\"__main__\")\n"_s, D,
            u"PY-EXEC"_s);
        row("code.InteractiveInterpreter",
            u"import code\ncode.InteractiveInterpreter().runsource(\"import os; os.system('id')\")\n"_s, D,
            u"PY-EXEC"_s);
        row("code.interact", u"import code\ncode.interact(local=globals())\n"_s, D, u"PY-EXEC"_s);
        row("from code import InteractiveConsole",
            u"from code import InteractiveConsole\nInteractiveConsole().push(\"print(1)\")\n"_s, D, u"PY-EXEC"_s);
        row("timeit with a statement", u"import timeit\ntimeit.timeit(\"__import__('os').system('id')\", number=1)\n"_s,
            D, u"PY-EXEC"_s);
        row("timeit.Timer from import",
            u"from timeit import Timer\nTimer(\"import os; os.system('id')\").timeit(1)\n"_s, D, u"PY-EXEC"_s);
        row("timeit.repeat of a string name",
            u"import timeit\ns = \"import os\"\ntimeit.repeat(s, repeat=1, number=1)\n"_s, D, u"PY-EXEC"_s);
        row("timeit setup keyword",
            u"import timeit\ntimeit.timeit(stmt=\"pass\", setup=\"import os; os.system('id')\", number=1)\n"_s, D,
            u"PY-EXEC"_s);
        row("doctest.run_docstring_examples",
            u"import doctest\ndef f():\n    \"\"\"\n    >>> __import__('os').system('id')\n    \"\"\"\ndoctest.run_docstring_examples(f, {})\n"_s,
            D, u"PY-EXEC"_s);
        row("doctest.testmod", u"import doctest\ndoctest.testmod()\n"_s, D, u"PY-EXEC"_s);
        row("pdb.run", u"import pdb\npdb.run(\"import os; os.system('id')\")\n"_s, D, u"PY-EXEC"_s);
        row("cProfile.run", u"import cProfile\ncProfile.run(\"__import__('os').system('id')\")\n"_s, D, u"PY-EXEC"_s);
        row("runpy through a module", u"import pandas as pd\npd.io.common.runpy.run_path(\"x.py\")\n"_s, D,
            u"PY-EXEC"_s);

        // --- asyncio subprocesses
        row("asyncio.subprocess module",
            u"import asyncio\nasync def main():\n    p = await asyncio.subprocess.create_subprocess_shell(\"id\")\n"_s,
            D, u"PY-PROC"_s);
        row("from asyncio import subprocess",
            u"from asyncio import subprocess as sp\nsp.create_subprocess_exec(\"id\")\n"_s, D, u"PY-PROC"_s);

        // --- pandas query/eval
        row("query @os.system",
            u"import os\nimport pandas as pd\ndf = pd.DataFrame({\"a\": [1]})\ndf.query(\"@os.system('id') == 0\")\n"_s,
            D, u"PY-PROC"_s);
        row("eval @pd chain to os",
            u"import pandas as pd\ndf = pd.DataFrame({\"a\": [1]})\ndf.eval(\"@pd.io.common.os.system('id')\")\n"_s, D,
            u"PY-PROC"_s);
        row("query @print.__self__", u"df.query(\"@print.__self__.exec('1')\", engine=\"python\")\n"_s, D, u"PY-DYN"_s);
        row("pd.eval sys.modules", u"import pandas as pd\nimport sys\npd.eval(\"sys.modules['os'].system('id')\")\n"_s,
            D, u"PY-PROC"_s);
        row("query @ call", u"df.query(\"@f('id') > 0\")\n"_s, A, u"PY-QUERY"_s);
        row("eval @ dunder", u"df.eval(\"@x.__class__.__base__\")\n"_s, A, u"PY-QUERY"_s);

        // --- identifiers Python folds with NFKC
        row("full-width import os", u"import ｏｓ\nｏｓ.system(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("full-width name of os", u"import os\nｏｓ.system(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("full-width eval", u"ｅｖａｌ(\"1+1\")\n"_s, D, u"PY-DYN"_s);
        row("full-width exec", u"ｅｘｅｃ(\"import os\")\n"_s, D, u"PY-DYN"_s);
        row("full-width __import__", u"__ｉｍｐｏｒｔ__(\"os\").system(\"id\")\n"_s, D, u"PY-DYN"_s);
        row("full-width os in a chain", u"import pandas as pd\npd.io.common.ｏｓ.system(\"id\")\n"_s, D, u"PY-PROC"_s);
        row("full-width __self__", u"print.__ｓｅｌｆ__.exec(\"1\")\n"_s, D, u"PY-DYN"_s);
        row("full-width from subprocess", u"from ｓｕｂｐｒｏｃｅｓｓ import run\nrun([\"id\"])\n"_s, D, u"PY-PROC"_s);
        row("mathematical bold eval", u"𝐞𝐯𝐚𝐥(\"1\")\n"_s, D, u"PY-DYN"_s);
        row("full-width import socket", u"import ｓｏｃｋｅｔ\n"_s, D, u"PY-NET"_s);
        row("full-width system member", u"import os\nos.ｓｙｓｔｅｍ(\"id\")\n"_s, D, u"PY-PROC"_s);
    }

    void attack() { check(); }

    void lookAlike_data()
    {
        rows();
        const auto A = SafetyLabel::Ambiguous;
        const auto S = SafetyLabel::Safe;
        auto row = [](const char *name, const QString &code, SafetyLabel label, const QString &rule) {
            QTest::newRow(name) << code << label << rule << true;
        };
        // the brief's own list of ordinary analysis code
        row("df.eval a + b",
            u"import pandas as pd\ndf = pd.DataFrame({\"a\": [1], \"b\": [2]})\ndf.eval(\"a + b\")\n"_s, S, QString());
        row("df.query x > 3", u"df.query(\"x > 3\")\n"_s, S, QString());
        row("os.path.join", u"import os\np = os.path.join(\"data\", \"x.csv\")\n"_s, S, QString());
        row("pd.read_csv", u"import pandas as pd\ndf = pd.read_csv(\"data/sales.csv\")\n"_s, S, QString());
        row("np.linalg.norm", u"import numpy as np\nn = np.linalg.norm([3, 4])\n"_s, S, QString());
        row("plt.savefig keeps its PY-WRITE",
            u"import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.savefig(\"out.png\")\n"_s, A, u"PY-WRITE"_s);
        row("inspect.signature", u"import inspect\ndef f(a, b=1):\n    return a\nsig = inspect.signature(f)\n"_s, S,
            QString());

        // module chains
        row("pd.io.formats chain", u"import pandas as pd\nfrom_json = pd.io.json.read_json\n"_s, S, QString());
        row("np.random chain", u"import numpy as np\nx = np.random.default_rng(1).normal(size=3)\n"_s, S, QString());
        row("column named os",
            u"import pandas as pd\ndf = pd.DataFrame({\"os\": [\"linux\"]})\nprint(df.os.unique())\n"_s, S, QString());
        row("attribute named code on an object", u"try:\n    pass\nexcept Exception as err:\n    print(err.code)\n"_s,
            S, QString());
        row("variable named code", u"code = \"A12\"\nprint(code.lower())\n"_s, S, QString());
        row("column named code", u"df[\"code\"] = df[\"code\"].str.upper()\n"_s, S, QString());
        row("from concurrent.futures",
            u"from concurrent.futures import ThreadPoolExecutor\nwith ThreadPoolExecutor(2) as ex:\n    list(ex.map(abs, [1, -2]))\n"_s,
            S, QString());
        row("sys.version", u"import sys\nprint(sys.version_info >= (3, 8))\n"_s, S, QString());
        row("os in a string", u"import json\nprint(json.dumps({\"os\": 1, \"sys\": 2}))\n"_s, S, QString());

        // frames, __dict__, __self__
        row("inspect.stack function name", u"import inspect\nprint(inspect.stack()[0].function)\n"_s, S, QString());
        row("inspect.getsource", u"import inspect\ndef f():\n    return 1\nprint(inspect.getsource(f))\n"_s, S,
            QString());
        row("traceback.print_exc",
            u"import traceback\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n    traceback.print_exc()\n"_s, S,
            QString());
        row("obj.__dict__ printed", u"class P:\n    pass\np = P()\nprint(p.__dict__)\n"_s, S, QString());
        row("__dict__ literal key", u"class P:\n    pass\np = P()\nv = p.__dict__[\"name\"]\n"_s, S, QString());
        row("__dict__.update", u"class P:\n    def __init__(self, **kw):\n        self.__dict__.update(kw)\n"_s, S,
            QString());

        // names as text
        row("getattr literal on an object", u"v = getattr(args, \"verbose\", False)\n"_s, S, QString());
        row("getattr code on an object", u"c = getattr(err, \"code\", None)\n"_s, S, QString());
        row("getattr on a module", u"import numpy as np\nf = getattr(np, \"mean\")\n"_s, S, QString());
        row("attrgetter for sorting", u"import operator\nrows = sorted(people, key=operator.attrgetter(\"age\"))\n"_s,
            S, QString());
        row("methodcaller strip", u"import operator\nclean = list(map(operator.methodcaller(\"strip\"), lines))\n"_s, S,
            QString());
        row("reduce over add",
            u"import operator\nfrom functools import reduce\ntotal = reduce(operator.add, [1, 2, 3])\n"_s, S,
            QString());
        row("reduce over a lambda",
            u"from functools import reduce\nproduct = reduce(lambda a, b: a * b, [1, 2, 3])\n"_s, S, QString());

        // execution helpers
        row("timeit with a lambda", u"import timeit\nt = timeit.timeit(lambda: sum(range(100)), number=10)\n"_s, S,
            QString());
        row("timeit with a function",
            u"import timeit\ndef work():\n    return 1\nt = timeit.timeit(work, number=5)\n"_s, S, QString());
        row("timeit.default_timer", u"from timeit import default_timer as timer\nt0 = timer()\n"_s, S, QString());
        row("cProfile.Profile",
            u"import cProfile\npr = cProfile.Profile()\npr.enable()\nx = sum(range(10))\npr.disable()\n"_s, S,
            QString());

        // asyncio
        row("asyncio.run and sleep",
            u"import asyncio\nasync def main():\n    await asyncio.sleep(0.1)\nasyncio.run(main())\n"_s, S, QString());
        row("asyncio.gather",
            u"import asyncio\nasync def one():\n    return 1\nasync def main():\n    return await asyncio.gather(one(), one())\n"_s,
            S, QString());

        // pandas expressions
        row("query @ variable", u"limit = 3\ndf.query(\"x > @limit\")\n"_s, S, QString());
        row("query in @ list", u"names = [\"a\"]\ndf.query(\"name in @names\")\n"_s, S, QString());
        row("query @np.pi", u"import numpy as np\ndf.query(\"x > @np.pi\")\n"_s, S, QString());
        row("eval assignment with @", u"factor = 2\ndf.eval(\"c = a * @factor\")\n"_s, S, QString());
        row("query with a string", u"df.query('region == \"north\" and amount > 0')\n"_s, S, QString());
        row("query column method", u"df.query(\"name.str.startswith('a')\", engine=\"python\")\n"_s, S, QString());

        // Unicode identifiers
        row("German identifier", u"größe = 3\nprint(größe * 2)\n"_s, S, QString());
        row("ligature folds to file", u"ﬁle = \"data.csv\"\nprint(ﬁle)\n"_s, S, QString());
        row("Greek letters", u"import numpy as np\nμ = np.mean([1, 2])\nσ = np.std([1, 2])\n"_s, S, QString());
    }

    void lookAlike() { check(); }

    void foldedNameIsReportedWhereItIsWritten()
    {
        const Verdict v = m_classifier.classify(u"import os\nx = 1; ｏｓ.system('id')\n"_s, Language::Python);
        QCOMPARE(v.label, SafetyLabel::Dangerous);
        const Finding &f = v.findings.constFirst();
        QCOMPARE(f.rule, u"PY-PROC"_s);
        QCOMPARE(f.line, 2);
        QCOMPARE(f.column, 8);
        QCOMPARE(f.text, u"ｏｓ.system('id')"_s);
    }

    void everyRuleHasAdvice()
    {
        const auto policy = defaultPolicy();
        for (const QString &id : {u"PY-REACH"_s, u"PY-EXEC"_s, u"PY-QUERY"_s}) {
            QVERIFY2(policy->rule(id), qPrintable(id));
            QVERIFY2(!policy->rule(id)->reason.isEmpty(), qPrintable(id));
        }
        for (auto it = policy->rules.constBegin(); it != policy->rules.constEnd(); ++it)
            QVERIFY2(!ruleAdvice(it.key()).isEmpty(), qPrintable(it.key()));
    }

private:
    void check()
    {
        QFETCH(QString, code);
        QFETCH(SafetyLabel, label);
        QFETCH(QString, rule);
        QFETCH(bool, lookAlike);
        const Verdict v = m_classifier.classify(code, Language::Python);
        QString mismatch = testing::ruleRowMismatch(v, label, rule);
        if (mismatch.isEmpty() && lookAlike) {
            for (const Finding &f : v.findings) {
                if (f.rule == u"PY-REACH" || f.rule == u"PY-EXEC" || f.rule == u"PY-QUERY")
                    mismatch = u"a look-alike got "_s + testing::describeFindings(v);
            }
        }
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }
};

QTEST_GUILESS_MAIN(TestIndirection)
#include "tst_indirection.moc"
