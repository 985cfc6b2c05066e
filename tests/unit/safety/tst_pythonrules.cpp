// Every Python rule of the safety policy (docs/safety-policy.md) with a case
// that must fire and a trap that must not. The rows are the decisions the
// product makes; a few analyst-facing choices are marked DECISION.
#include "RuleRows.h"
#include "safety/Classifier.h"
#include "safety/RuleAdvice.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace safecell;
using namespace safecell::safety;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(safecell::SafetyLabel)

class TestPythonRules : public QObject {
    Q_OBJECT
private:
    Classifier m_classifier;

private Q_SLOTS:
    void rule_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<SafetyLabel>("label");
        QTest::addColumn<QString>("rule"); // a rule that must be among the findings; empty: no findings
        const auto D = SafetyLabel::Dangerous;
        const auto A = SafetyLabel::Ambiguous;
        const auto S = SafetyLabel::Safe;
        auto row = [](const char *name, const QString &code, SafetyLabel label, const QString &rule) {
            QTest::newRow(name) << code << label << rule;
        };

        // --- the recipe's own case
        row("bare import os", u"import os\n"_s, D, u"PY-IMPORT"_s);
        row("import os for os.path.join", u"import os\nprint(os.path.join('a', 'b'))\n"_s, S, QString());
        row("import os.path as osp", u"import os.path as osp\nosp.join('a', 'b')\n"_s, S, QString());
        row("import sys unused", u"import sys\nx = 1\n"_s, D, u"PY-IMPORT"_s);
        row("import pickle unused", u"import pickle\n"_s, D, u"PY-IMPORT"_s);
        row("sys.stderr print", u"import sys\nprint('x', file=sys.stderr)\n"_s, S, QString());
        row("pickle.dumps only", u"import pickle\nb = pickle.dumps({'a': 1})\n"_s, S, QString());
        row("shutil.which", u"import shutil\nprint(shutil.which('python3'))\n"_s, S, QString());
        row("multiprocessing.cpu_count", u"import multiprocessing as mp\nn = mp.cpu_count()\n"_s, S, QString());
        row("import json is fine", u"import json\n"_s, S, QString());

        // --- PY-PROC
        row("os.system", u"import os\nos.system('ls')\n"_s, D, u"PY-PROC"_s);
        row("import subprocess as sp", u"import subprocess as sp\nsp.run(['ls'])\n"_s, D, u"PY-PROC"_s);
        row("from os import system as s", u"from os import system as s\ns('ls')\n"_s, D, u"PY-PROC"_s);
        row("alias x = os", u"import os\nx = os\nx.system('ls')\n"_s, D, u"PY-PROC"_s);
        row("alias f = os.system", u"import os\nf = os.system\nf('ls')\n"_s, D, u"PY-PROC"_s);
        row("os.execvp", u"import os\nos.execvp('sh', ['sh'])\n"_s, D, u"PY-PROC"_s);
        row("os.spawnl", u"import os\nos.spawnl(os.P_WAIT, '/bin/ls')\n"_s, D, u"PY-PROC"_s);
        row("pty", u"import pty\npty.spawn('/bin/sh')\n"_s, D, u"PY-PROC"_s);
        row("asyncio subprocess", u"import asyncio\nasyncio.create_subprocess_exec('ls')\n"_s, D, u"PY-PROC"_s);
        row("from os import * then system", u"from os import *\nsystem('ls')\n"_s, D, u"PY-PROC"_s);
        row("os.system in f-string field", u"import os\nprint(f\"{os.system('id')}\")\n"_s, D, u"PY-PROC"_s);
        row("trap: os.system in a comment", u"# os.system('rm -rf /')\nprint(1)\n"_s, S, QString());
        row("trap: os.system in a string", u"print(\"os.system('ls')\")\n"_s, S, QString());
        row("trap: subprocess in f-string text", u"x = 1\nprint(f'subprocess {x}')\n"_s, S, QString());
        row("trap: column named system",
            u"import pandas as pd\ndf = pd.DataFrame({'system': [1]})\nprint(df.system)\n"_s, S, QString());
        row("trap: os.path.join is not os.system", u"import os\np = os.path.join('a', 'system')\n"_s, S, QString());

        // --- PY-NET
        row("import socket", u"import socket\n"_s, D, u"PY-NET"_s);
        row("import requests", u"import requests\nrequests.get('http://x')\n"_s, D, u"PY-NET"_s);
        row("from urllib.request import urlopen", u"from urllib.request import urlopen\n"_s, D, u"PY-NET"_s);
        row("from urllib import request", u"from urllib import request\n"_s, D, u"PY-NET"_s);
        row("import http.client", u"import http.client\n"_s, D, u"PY-NET"_s);
        row("to_csv to a URL", u"df.to_csv('s3://bucket/out.csv')\n"_s, D, u"PY-NET"_s);
        row("trap: urllib.parse", u"from urllib.parse import urlparse\nurlparse('http://x')\n"_s, S, QString());
        row("trap: requests as own list", u"requests = [1, 2]\nprint(len(requests))\n"_s, S, QString());
        row("trap: socket in comment", u"x = 1  # import socket\n"_s, S, QString());

        // --- PY-DYN
        row("eval", u"eval('1+1')\n"_s, D, u"PY-DYN"_s);
        row("exec", u"exec(code)\n"_s, D, u"PY-DYN"_s);
        row("compile builtin", u"c = compile('1', 'f', 'eval')\n"_s, D, u"PY-DYN"_s);
        row("__import__", u"m = __import__('os')\n"_s, D, u"PY-DYN"_s);
        row("importlib", u"import importlib\nimportlib.import_module('os')\n"_s, D, u"PY-DYN"_s);
        row("getattr on builtins", u"getattr(__builtins__, 'ev' + 'al')('1')\n"_s, D, u"PY-DYN"_s);
        row("getattr on os", u"import os\ngetattr(os, 'system')('ls')\n"_s, D, u"PY-DYN"_s);
        row("getattr name from strings", u"getattr(obj, 'sys' + 'tem')\n"_s, D, u"PY-DYN"_s);
        row("globals subscript", u"globals()['__builtins__']\n"_s, D, u"PY-DYN"_s);
        row("vars get", u"f = vars().get('x')\n"_s, D, u"PY-DYN"_s);
        row("__subclasses__", u"().__class__.__bases__[0].__subclasses__()\n"_s, D, u"PY-DYN"_s);
        row("__globals__", u"f.__globals__['os']\n"_s, D, u"PY-DYN"_s);
        row("pickle.load", u"import pickle\nobj = pickle.load(open('m.pkl', 'rb'))\n"_s, D, u"PY-DYN"_s);
        row("pd.read_pickle", u"import pandas as pd\ndf = pd.read_pickle('d.pkl')\n"_s, D, u"PY-DYN"_s);
        row("np.load allow_pickle", u"import numpy as np\na = np.load('a.npy', allow_pickle=True)\n"_s, D, u"PY-DYN"_s);
        row("torch.load", u"import torch\nm = torch.load('m.pt')\n"_s, D, u"PY-DYN"_s);
        row("joblib.load", u"import joblib\nm = joblib.load('m.joblib')\n"_s, D, u"PY-DYN"_s);
        row("keras load_model", u"from keras.models import load_model\nm = load_model('m.h5')\n"_s, D, u"PY-DYN"_s);
        row("ctypes", u"import ctypes\n"_s, D, u"PY-DYN"_s);
        row("alias f = eval then call", u"f = eval\nf('1')\n"_s, D, u"PY-DYN"_s);
        row("eval passed as a value", u"out = list(map(eval, lines))\n"_s, D, u"PY-DYN"_s);
        row("trap: df.eval", u"import pandas as pd\ndf = pd.DataFrame({'a': [1], 'b': [2]})\ndf.eval('a + b')\n"_s, S,
            QString());
        row("trap: pd.eval", u"import pandas as pd\npd.eval('1 + 2')\n"_s, S, QString());
        row("trap: df.query", u"df.query('a > 1')\n"_s, S, QString());
        row("trap: re.compile", u"import re\nr = re.compile('a+')\n"_s, S, QString());
        row("trap: model.compile", u"model.compile(optimizer='adam')\n"_s, S, QString());
        row("trap: own def compile", u"def compile(x):\n    return x\ncompile(1)\n"_s, S, QString());
        row("trap: eval in a string", u"print('eval(x) is unsafe')\n"_s, S, QString());
        row("trap: eval as kwarg name", u"f(eval=True)\n"_s, S, QString());
        row("trap: np.load plain", u"import numpy as np\na = np.load('a.npy')\n"_s, S, QString());
        row("trap: torch.load weights_only", u"import torch\nm = torch.load('m.pt', weights_only=True)\n"_s, S,
            QString());
        row("trap: getattr literal on object", u"v = getattr(args, 'verbose', False)\n"_s, S, QString());
        row("trap: ast.literal_eval", u"import ast\nast.literal_eval('[1]')\n"_s, S, QString());
        row("trap: method named exec", u"cursor.exec('select 1')\n"_s, S, QString());

        // --- PY-FS
        row("shutil.rmtree", u"import shutil\nshutil.rmtree('build')\n"_s, D, u"PY-FS"_s);
        row("os.remove", u"import os\nos.remove('a.txt')\n"_s, D, u"PY-FS"_s);
        row("Path.unlink", u"from pathlib import Path\nPath('a.txt').unlink()\n"_s, D, u"PY-FS"_s);
        row("open absolute for write", u"with open('/tmp/x.txt', 'w') as f:\n    f.write('x')\n"_s, D, u"PY-FS"_s);
        row("to_csv home path", u"df.to_csv('~/out.csv')\n"_s, D, u"PY-FS"_s);
        row("to_csv dotdot", u"df.to_csv('../out.csv')\n"_s, D, u"PY-FS"_s);
        row("shutil.copy to absolute", u"import shutil\nshutil.copy('a.csv', '/etc/a.csv')\n"_s, D, u"PY-FS"_s);
        row("trap: str.replace", u"s = 'a-b'\nt = s.replace('-', '_')\n"_s, S, QString());
        row("trap: df.rename", u"df = df.rename(columns={'a': 'b'})\n"_s, S, QString());
        row("trap: open absolute for reading", u"text = open('/data/in.csv').read()\n"_s, S, QString());

        // --- PY-SECRET
        row("/etc/passwd", u"print(open('/etc/passwd').read())\n"_s, D, u"PY-SECRET"_s);
        row("~/.ssh key", u"k = open('~/.ssh/id_rsa').read()\n"_s, D, u"PY-SECRET"_s);
        row("~/.aws", u"import pandas as pd\npd.read_csv('~/.aws/credentials')\n"_s, D, u"PY-SECRET"_s);
        row(".env file", u"lines = open('.env').readlines()\n"_s, D, u"PY-SECRET"_s);
        row("/proc/self/environ", u"open('/proc/self/environ').read()\n"_s, D, u"PY-SECRET"_s);
        row("load_dotenv", u"from dotenv import load_dotenv\nload_dotenv()\n"_s, D, u"PY-SECRET"_s);
        row("trap: secret path in a comment", u"# never read /etc/passwd\nx = 1\n"_s, S, QString());
        row("trap: sentence mentioning a path", u"print('we do not read /etc/passwd here')\n"_s, S, QString());
        row("trap: file named env.csv", u"import pandas as pd\npd.read_csv('env.csv')\n"_s, S, QString());

        // --- PY-ABUSE
        row("string times 10**12", u"s = 'x' * 10**12\n"_s, D, u"PY-ABUSE"_s);
        row("np.ones 10**10", u"import numpy as np\na = np.ones((10**5, 10**5))\n"_s, D, u"PY-ABUSE"_s);
        row("list(range(10**9))", u"xs = list(range(10**9))\n"_s, D, u"PY-ABUSE"_s);
        row("list literal times", u"xs = [0] * (10 ** 9)\n"_s, D, u"PY-ABUSE"_s);
        row("setrlimit", u"import resource\nresource.setrlimit(resource.RLIMIT_NOFILE, (1, 1))\n"_s, D, u"PY-ABUSE"_s);
        row("setrecursionlimit high", u"import sys\nsys.setrecursionlimit(10**6)\n"_s, D, u"PY-ABUSE"_s);
        row("fork in a loop", u"import os\nfor i in range(10):\n    os.fork()\n"_s, D, u"PY-ABUSE"_s);
        row("threads in an endless loop", u"import threading\nwhile True:\n    threading.Thread(target=f).start()\n"_s,
            D, u"PY-ABUSE"_s);
        row("trap: setrecursionlimit 10000", u"import sys\nsys.setrecursionlimit(10000)\n"_s, S, QString());
        row("trap: divide by 10**9", u"gb = size / 10**9\nbig = 10**12\n"_s, S, QString());
        row("trap: separator line", u"print('=' * 80)\n"_s, S, QString());
        row("trap: small np.zeros", u"import numpy as np\na = np.zeros((1000, 1000))\n"_s, S, QString());
        row("trap: threads in a bounded loop",
            u"import threading\nfor i in range(4):\n    threading.Thread(target=f).start()\n"_s, S, QString());

        // --- PY-WRITE
        row("open relative for write", u"with open('out.txt', 'w') as f:\n    f.write('x')\n"_s, A, u"PY-WRITE"_s);
        row("open append mode kw", u"f = open('log.txt', mode='a')\n"_s, A, u"PY-WRITE"_s);
        row("to_csv relative", u"df.to_csv('out.csv', index=False)\n"_s, A, u"PY-WRITE"_s);
        row("to_csv via variable", u"path = 'out.csv'\ndf.to_csv(path)\n"_s, A, u"PY-WRITE"_s);
        row("to_csv computed path", u"df.to_csv(name + '.csv')\n"_s, A, u"PY-WRITE"_s);
        row("savefig", u"import matplotlib.pyplot as plt\nplt.savefig('fig.png')\n"_s, A, u"PY-WRITE"_s);
        row("Path.write_text", u"from pathlib import Path\nPath('a.txt').write_text('x')\n"_s, A, u"PY-WRITE"_s);
        row("Path var rename", u"from pathlib import Path\np = Path('a.txt')\np.rename('b.txt')\n"_s, A, u"PY-WRITE"_s);
        row("joblib.dump", u"import joblib\njoblib.dump(model, 'm.joblib')\n"_s, A, u"PY-WRITE"_s);
        row("trap: df.to_csv() with no path", u"text = df.to_csv()\n"_s, S, QString());
        row("trap: to_csv index kwarg only", u"text = df.to_csv(index=False)\n"_s, S, QString());
        row("trap: open for reading", u"with open('in.txt') as f:\n    data = f.read()\n"_s, S, QString());
        row("trap: open rb", u"with open('in.bin', 'rb') as f:\n    data = f.read()\n"_s, S, QString());

        // --- PY-ENV
        row("os.environ", u"import os\nkey = os.environ['HOME']\n"_s, A, u"PY-ENV"_s);
        row("os.getenv", u"import os\nv = os.getenv('X')\n"_s, A, u"PY-ENV"_s);
        row("from os import environ", u"from os import environ\n"_s, A, u"PY-ENV"_s);
        row("trap: environ column", u"df['environ'] = 1\n"_s, S, QString());

        // --- PY-URL
        row("read_csv https", u"import pandas as pd\ndf = pd.read_csv('https://example.org/d.csv')\n"_s, A,
            u"PY-URL"_s);
        row("read_sql remote db", u"import pandas as pd\npd.read_sql('select 1', 'postgresql://u@h/db')\n"_s, A,
            u"PY-URL"_s);
        row("sns.load_dataset", u"import seaborn as sns\nt = sns.load_dataset('tips')\n"_s, A, u"PY-URL"_s);
        row("fetch_openml", u"from sklearn.datasets import fetch_openml\nX = fetch_openml('mnist_784')\n"_s, A,
            u"PY-URL"_s);
        row("trap: read_csv local", u"import pandas as pd\ndf = pd.read_csv('data/sales.csv')\n"_s, S, QString());
        row("trap: URL printed", u"print('see https://example.org')\n"_s, S, QString());

        // --- PY-LOOP
        row("while True pass", u"while True:\n    pass\n"_s, A, u"PY-LOOP"_s);
        row("while 1 inline", u"while 1: x += 1\n"_s, A, u"PY-LOOP"_s);
        row("while 2 > 1", u"while 2 > 1:\n    x = 1\n"_s, A, u"PY-LOOP"_s);
        row("break only in nested loop", u"while True:\n    for i in range(3):\n        break\n"_s, A, u"PY-LOOP"_s);
        row("trap: while True with break", u"while True:\n    x = f()\n    if x:\n        break\n"_s, S, QString());
        row("trap: while True with return", u"def g():\n    while True:\n        return 1\n"_s, S, QString());
        row("trap: while True with sys.exit", u"import sys\nwhile True:\n    sys.exit(0)\n"_s, S, QString());
        row("DECISION: generator loop yields", u"def gen():\n    while True:\n        yield 1\n"_s, S, QString());
        row("trap: while with a real condition", u"while n > 0:\n    n -= 1\n"_s, S, QString());
        row("trap: while True in a string", u"print('while True: pass')\n"_s, S, QString());

        // --- PY-MEMBER
        row("os.chdir", u"import os\nos.chdir('data')\n"_s, A, u"PY-MEMBER"_s);
        row("sys.path.insert", u"import sys\nsys.path.insert(0, 'lib')\n"_s, A, u"PY-MEMBER"_s);
        row("signal.alarm", u"import signal\nsignal.alarm(5)\n"_s, A, u"PY-MEMBER"_s);
        row("os.listdir absolute", u"import os\nprint(os.listdir('/etc'))\n"_s, A, u"PY-MEMBER"_s);
        row("os.makedirs computed", u"import os\nos.makedirs(base + '/x')\n"_s, A, u"PY-MEMBER"_s);
        row("getattr computed name", u"v = getattr(obj, name)\n"_s, A, u"PY-MEMBER"_s);
        row("trap: os.makedirs relative", u"import os\nos.makedirs('out/plots', exist_ok=True)\n"_s, S, QString());
        row("trap: os.listdir no path", u"import os\nprint(os.listdir())\n"_s, S, QString());
        // Issue 20: the analyst's shared files are at /data; listing and reading them is what they are for.
        row("trap: os.listdir /data", u"import os\nprint(os.listdir('/data'))\n"_s, S, QString());
        row("trap: os.listdir /data/", u"import os\nprint(os.listdir('/data/'))\n"_s, S, QString());
        row("trap: os.walk a shared folder", u"import os\nfor r, d, f in os.walk('/data/survey'):\n    print(f)\n"_s, S,
            QString());
        row("trap: os.scandir /work", u"import os\nprint([e.name for e in os.scandir('/work')])\n"_s, S, QString());
        row("trap: read a shared CSV and Excel file",
            u"import pandas as pd\na = pd.read_csv('/data/sales.csv')\nb = pd.read_excel('/data/plan.xlsx')\n"
            "c = open('/data/notes.txt').read()\n"_s,
            S, QString());
        row("os.listdir out of /data through ..", u"import os\nprint(os.listdir('/data/../etc'))\n"_s, A,
            u"PY-MEMBER"_s);
        row("os.listdir a lookalike of /data", u"import os\nprint(os.listdir('/database'))\n"_s, A, u"PY-MEMBER"_s);
        row("os.makedirs in /data (a write)", u"import os\nos.makedirs('/data/x')\n"_s, A, u"PY-MEMBER"_s);
        row("trap: os.getcwd", u"import os\nprint(os.getcwd())\n"_s, S, QString());

        // --- lexing corner cases do not hide or invent code
        row("continuation lines", u"import os\nos.\\\nsystem('ls')\n"_s, D, u"PY-PROC"_s);
        row("brackets across lines", u"import os\nx = [\n  os.system('ls'),\n]\n"_s, D, u"PY-PROC"_s);
        row("semicolons", u"import os; os.system('ls')\n"_s, D, u"PY-PROC"_s);
        row("decorator", u"import functools\n@functools.lru_cache\ndef f():\n    return 1\n"_s, S, QString());
        row("non-ASCII identifiers", u"données = [1, 2]\nprint(sum(données))\n"_s, S, QString());
        row("triple-quoted hides code", u"doc = '''\nimport os\nos.system('ls')\n'''\n"_s, S, QString());
        row("raw string prefix any case", u"p = Rb'\\d+ eval(x)'\n"_s, S, QString());
        row("nested f-string quotes", u"x = {'a': 1}\nprint(f\"{x['a']} and {f'{1 + 1}'}\")\n"_s, S, QString());
        row("eval inside nested f-string", u"print(f\"{f'{eval(s)}'}\")\n"_s, D, u"PY-DYN"_s);
    }

    void rule()
    {
        QFETCH(QString, code);
        QFETCH(SafetyLabel, label);
        QFETCH(QString, rule);
        const QString mismatch = testing::ruleRowMismatch(m_classifier.classify(code, Language::Python), label, rule);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void findingCarriesPositionTextAndReason()
    {
        const Verdict v = m_classifier.classify(u"import os\nx = 1\nos.system('ls')\n"_s, Language::Python);
        QCOMPARE(v.findings.size(), 1);
        const Finding &f = v.findings.first();
        QCOMPARE(f.rule, u"PY-PROC"_s);
        QCOMPARE(f.line, 3);
        QCOMPARE(f.column, 1);
        QCOMPARE(f.text, u"os.system('ls')"_s);
        QCOMPARE(f.length, f.text.size());
        QVERIFY(!f.reason.isEmpty());
        QVERIFY(!f.reason.contains(u'\n'));
        QCOMPARE(v.label, SafetyLabel::Dangerous);
        QVERIFY(v.confidence >= 0.9);
    }

    void worstFindingDecidesAndHeuristicsAreNotConfident()
    {
        const Verdict loop = m_classifier.classify(u"while True:\n    pass\n"_s, Language::Python);
        QCOMPARE(loop.label, SafetyLabel::Ambiguous);
        QVERIFY(loop.confidence < 0.8);
        const Verdict both = m_classifier.classify(u"while True:\n    eval('1')\n"_s, Language::Python);
        QCOMPARE(both.label, SafetyLabel::Dangerous);
        QCOMPARE(both.findings.size(), 2);
        QVERIFY(both.confidence >= 0.9);
        const Verdict safe = m_classifier.classify(u"print(1)\n"_s, Language::Python);
        QCOMPARE(safe.label, SafetyLabel::Safe);
        QVERIFY(safe.confidence >= 0.9);
    }

    // The advice shown under a blocked write must be advice that works: it
    // once said "write under /work", and an absolute /work path is blocked
    // by the same rule. Its example path, written to, is at most ambiguous.
    void theAdviceOfAWriteBlockedIsNotBlockedItself()
    {
        const Verdict blocked = m_classifier.classify(u"df.to_csv('/work/out.csv')"_s, Language::Python);
        QCOMPARE(blocked.label, SafetyLabel::Dangerous);
        QCOMPARE(blocked.findings.first().rule, u"PY-FS"_s);
        const QString advice = ruleAdvice(u"PY-FS"_s);
        const auto example = QRegularExpression(u"'([^']+)'"_s).match(advice);
        QVERIFY2(example.hasMatch(), qPrintable(advice));
        const Verdict followed = m_classifier.classify(u"df.to_csv('%1')"_s.arg(example.captured(1)), Language::Python);
        QCOMPARE(followed.label, SafetyLabel::Ambiguous);
        QCOMPARE(followed.findings.first().rule, u"PY-WRITE"_s);
        QVERIFY2(!ruleAdvice(u"PY-WRITE"_s).contains(u"write under /work"_s), qPrintable(ruleAdvice(u"PY-WRITE"_s)));
    }

    void jsonHasLabelConfidenceFindings()
    {
        const QJsonObject json = m_classifier.classify(u"eval('1')"_s, Language::Python).toJson();
        QCOMPARE(json.value(u"label"_s).toString(), u"dangerous"_s);
        QVERIFY(json.value(u"confidence"_s).toDouble() > 0.9);
        const QJsonObject f = json.value(u"findings"_s).toArray().first().toObject();
        QCOMPARE(f.value(u"rule"_s).toString(), u"PY-DYN"_s);
        QCOMPARE(f.value(u"line"_s).toInt(), 1);
        QCOMPARE(f.value(u"column"_s).toInt(), 1);
        QCOMPARE(f.value(u"text"_s).toString(), u"eval('1')"_s);
    }
};

QTEST_GUILESS_MAIN(TestPythonRules)
#include "tst_pythonrules.moc"
