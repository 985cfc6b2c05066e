# SafeCell kernel worker: the process that runs the user's code, forked by
# the driver (resources/kernel/driver.py) at start-up. Its globals hold the
# session, so variables survive between runs like in a notebook.
#
# Nothing here is trusted by SafeCell: the user's code shares this process
# and can change anything in it. The driver treats what the worker says as
# the snippet's own account (its output, its values, the error it raised)
# and decides everything that matters itself: a run is over when this
# process is stopped, and nothing of it runs until the driver continues it
# with the next request.
#
# Given by the driver: MSG_FD (framed messages to the driver), REQ_FD
# (framed requests from it), DIAG_FD (a crash's traceback), KERNEL_FILENAME.
# Descriptors 0, 1 and 2 are /dev/null and the stdout and stderr pipes.
import builtins
import json
import os
import signal
import struct
import sys
import types

import faulthandler  # noqa: E402  (a crash's Python traceback goes to the driver)
faulthandler.enable(DIAG_FD)  # noqa: F821

_OUT = os.dup(1)  # to repair what a snippet redirects
_ERR = os.dup(2)
_in_child = False


def _after_fork_in_child():
    # A fork of the user's code must never speak for the kernel.
    global _in_child
    _in_child = True
    for fd in (MSG_FD, REQ_FD, DIAG_FD):  # noqa: F821
        try:
            os.close(fd)
        except OSError:
            pass


os.register_at_fork(after_in_child=_after_fork_in_child)


def _flush_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def send(message):
    if _in_child:
        return
    _flush_streams()  # what was printed before comes first
    data = json.dumps(message, ensure_ascii=False, separators=(',', ':')).encode('utf-8', 'replace')
    view = memoryview(struct.pack('>I', len(data)) + data)
    while view:
        written = os.write(MSG_FD, view)  # noqa: F821
        view = view[written:]


def _read_exactly(size):
    chunks = []
    while size > 0:
        data = os.read(REQ_FD, size)  # noqa: F821
        if not data:
            return None
        chunks.append(data)
        size -= len(data)
    return b''.join(chunks)


def read_request():
    head = _read_exactly(4)
    if head is None:
        return None
    body = _read_exactly(struct.unpack('>I', head)[0])
    return None if body is None else json.loads(body)


# --- interrupts ---------------------------------------------------------------

_user_code_running = [False]
_sql_interrupted = [False]


def _on_sigint(signum, frame):
    _sql_interrupted[0] = True
    if _user_code_running[0]:
        raise KeyboardInterrupt


class CpuTimeLimitExceeded(Exception):
    pass


_cpu_budget = [0]


def _on_sigxcpu(signum, frame):
    # The per-run CPU budget is spent: end the snippet, keep the kernel.
    if _user_code_running[0]:
        raise CpuTimeLimitExceeded('the run used its %d s of CPU time' % _cpu_budget[0])


def _arm_cpu_budget(seconds):
    # RLIMIT_CPU counts the process's whole life: move its soft limit to this
    # run's budget past what is used so far. The hard limit SafeCell set
    # stays as the backstop for the kernel's lifetime.
    import resource
    if seconds <= 0:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    wanted = used + seconds
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    _cpu_budget[0] = seconds
    resource.setrlimit(resource.RLIMIT_CPU, (wanted, hard))


# --- matplotlib: figures come back as PNG ------------------------------------

_BACKEND = 'safecell_inline'
_BACKEND_SOURCE = '''
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas
from matplotlib.backend_bases import FigureManagerBase as FigureManager

def show(*args, **kwargs):
    _safecell_show()
'''


class _BackendLoader:
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module._safecell_show = lambda: emit_open_figures()
        exec(_BACKEND_SOURCE, module.__dict__)


class _BackendFinder:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != _BACKEND:
            return None
        import importlib.machinery
        return importlib.machinery.ModuleSpec(name, _BackendLoader())


sys.meta_path.append(_BackendFinder)
os.environ['MPLBACKEND'] = 'module://' + _BACKEND


_FIGURE_DPI = 200          # twice matplotlib's default: the saved PNG is sharp; the window shows it fitted
_SVG_CAP = 4 * 1024 * 1024  # a figure with more than this much SVG (a huge scatter) comes as PNG only


def _figure_png(figure):
    import base64
    import io
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png', bbox_inches='tight', dpi=max(_FIGURE_DPI, figure.dpi))
    return base64.b64encode(buffer.getvalue()).decode('ascii')


def _figure_svg(figure):
    import io
    buffer = io.StringIO()
    try:
        figure.savefig(buffer, format='svg', bbox_inches='tight')
    except Exception:
        return None
    text = buffer.getvalue()
    return text if len(text) <= _SVG_CAP else None


def _figure_message(figure, main):
    message = {'type': 'result', 'is_main_result': main, 'text': repr(figure), 'png': _figure_png(figure)}
    svg = _figure_svg(figure)
    if svg is not None:
        message['svg'] = svg
    return message


def emit_open_figures():
    pyplot = sys.modules.get('matplotlib.pyplot')
    if pyplot is None:
        return
    for number in pyplot.get_fignums():
        figure = pyplot.figure(number)
        try:
            send(_figure_message(figure, False))
        except Exception as error:
            print('Could not render figure %d: %r' % (number, error), file=sys.stderr)
    pyplot.close('all')


# --- values ------------------------------------------------------------------

_limits = {'row_cap': 1000, 'text_cap': 1 << 20}


def _cell_text(value):
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "x'" + bytes(value)[:64].hex() + ("…'" if len(value) > 64 else "'")
    return str(value)


def _cap_text(text):
    cap = _limits['text_cap']
    if len(text) > cap:
        return text[:cap] + '\n[output truncated after %d characters]' % cap
    return text


def _is_missing(value):
    try:
        return value is None or value != value
    except Exception:
        return False


def dataframe_table(frame):
    import pandas
    # A named index (a group key, set_index('region')) is data: a column of
    # its own, sortable and exported. An unnamed one labels the rows, as
    # pandas prints it (0..n-1, or the original positions after a sort).
    if isinstance(frame.index, pandas.MultiIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    head = frame.head(_limits['row_cap'])
    rows = []
    for row in head.itertuples(index=False, name=None):
        rows.append([None if _is_missing(v) else _cell_text(v) for v in row])
    return {'columns': [str(c) for c in frame.columns],
            'types': [str(t) for t in frame.dtypes],
            'index': [_cell_text(label) for label in head.index],
            'rows': rows,
            'total_rows': int(len(frame))}


def display(value, main):
    message = {'type': 'result', 'is_main_result': main}
    pandas = sys.modules.get('pandas')
    figure_module = sys.modules.get('matplotlib.figure')
    if pandas is not None and isinstance(value, pandas.Series):
        message['table'] = dataframe_table(value.to_frame())
    elif pandas is not None and isinstance(value, pandas.DataFrame):
        message['table'] = dataframe_table(value)
    if figure_module is not None and isinstance(value, figure_module.Figure):
        message['png'] = _figure_png(value)
        svg = _figure_svg(value)
        if svg is not None:
            message['svg'] = svg
        pyplot = sys.modules.get('matplotlib.pyplot')
        if pyplot is not None:
            pyplot.close(value)
    text = repr(value)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in '\'"':
        text = text[1:-1]  # as E2B does for string values
    message['text'] = _cap_text(text)
    send(message)


# --- the session's variables -------------------------------------------------
# _safecell_list_variables comes from variables.py, which SafeCell puts
# before this file (KernelProcess::workerSource).


def list_variables():
    send(dict(type='variables', **_safecell_list_variables(_main_module.__dict__)))  # noqa: F821


# --- the data viewer ---------------------------------------------------------
# _safecell_data_page comes from dataview.py, put before this file too. A
# page is asked for between runs, as a request of its own that the driver
# runs like a snippet (stopped and cleaned up after), but it is no run: it
# lists nothing and shows nothing but the page.


def serve_data_page(page):
    _user_code_running[0] = True  # a sort of a huge frame can be interrupted
    try:
        try:
            answer = _safecell_data_page(  # noqa: F821
                _main_module.__dict__, str(page.get('name', '')), page.get('offset') or 0, page.get('count') or 0,
                page.get('sort_column'), bool(page.get('descending')), str(page.get('filter_text') or ''),
                page.get('filter_column'))
        finally:
            _user_code_running[0] = False
    except BaseException as error:  # a cell's __str__ raised, or the page was interrupted
        answer = {'error': 'the page could not be read: %s: %s' % (type(error).__name__, error)}
    answer.pop('type', None)
    send(dict(type='data_page', **answer))


# --- errors ------------------------------------------------------------------

def _chain(summary):
    seen = []
    while summary is not None and summary not in seen:
        seen.append(summary)
        summary = summary.__cause__ or (None if summary.__suppress_context__ else summary.__context__)
    return seen


def _user_traceback(error):
    import traceback
    summary = traceback.TracebackException(type(error), error, error.__traceback__)
    # Only the user's frames: none of the kernel's, before or after theirs.
    for exception in _chain(summary):
        exception.stack = traceback.StackSummary.from_list(
            [frame for frame in exception.stack if frame.filename != KERNEL_FILENAME])  # noqa: F821
    return _cap_text(''.join(summary.format()))


_SANDBOX_PLACES = ('/work/', '/data/', '/tmp/', '/workspace/')


def _not_shared_hint(error):
    """For a file the snippet named by a host path the sandbox cannot see
    (pd.read_csv('/home/me/sales.csv')), or by a /data path nothing is
    shared at: what to do, not just 'not found'."""
    name = getattr(error, 'filename', None)
    if not isinstance(error, (FileNotFoundError, PermissionError)) or not isinstance(name, str):
        return None
    share = ('Share it with File > Add Data… or by dropping it on the window (headless: '
             'safecell run FILE --data PATH)')
    if name.startswith('/data/'):
        entry = name[len('/data/'):].split('/')[0]
        try:
            shared = sorted(os.listdir('/data'))
        except OSError:
            shared = []
        if not entry or entry in shared:
            return None  # it is shared: the error is about what is inside
        return ('SafeCell: nothing is shared as /data/%s. %s %s; it is then readable at /data/<its name>.'
                % (entry, 'Shared now: %s.' % ', '.join(shared) if shared else 'Nothing is shared yet.', share))
    if not name.startswith('/') or name.startswith(_SANDBOX_PLACES) or os.path.exists(name):
        return None
    base = os.path.basename(name.rstrip('/')).lstrip('.') or 'data'
    return ('SafeCell: %s is a path of your computer, and snippets see only the files you share. %s; it is '
            'then readable (not writable) at /data/%s.' % (name, share, base))


def report_error(error):
    value = str(error)
    hint = _not_shared_hint(error)
    if hint is not None:
        error.add_note(hint)  # shown under the traceback
        value += '\n' + hint
    send({'type': 'error', 'name': type(error).__name__, 'value': _cap_text(value),
          'traceback': _user_traceback(error)})


# --- running code ------------------------------------------------------------

_main_module = types.ModuleType('__main__')
_main_module.__dict__['__builtins__'] = builtins
sys.modules['__main__'] = _main_module
_counter = [0]


def run_python(code):
    import ast
    import linecache
    _counter[0] += 1
    filename = '<cell %d>' % _counter[0]
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    namespace = _main_module.__dict__
    try:
        tree = ast.parse(code, filename, 'exec')
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = compile(ast.Expression(tree.body.pop().value), filename, 'eval')
        body = compile(tree, filename, 'exec')
    except SyntaxError as error:
        return error
    value = None
    try:
        _user_code_running[0] = True
        try:
            exec(body, namespace)
            if last is not None:
                value = eval(last, namespace)
        finally:
            _user_code_running[0] = False
    except BaseException as error:  # KeyboardInterrupt and SystemExit too
        return error
    finally:
        if _in_child:
            # A fork that ran off the end of the cell: it has no kernel to return to.
            os._exit(0)
    emit_open_figures()
    if value is not None:
        namespace['_'] = value
        display(value, True)
    return None


def _split_sql(script):
    """Splits a script into statements at semicolons outside quotes and
    comments; sqlite3.complete_statement keeps a trigger body whole."""
    import sqlite3
    statements = []
    start = 0
    i = 0
    n = len(script)
    while i < n:
        char = script[i]
        if char in '\'"`':
            end = script.find(char, i + 1)
            while end >= 0 and script[end + 1:end + 2] == char:
                end = script.find(char, end + 2)
            i = n if end < 0 else end + 1
        elif char == '[':
            end = script.find(']', i + 1)
            i = n if end < 0 else end + 1
        elif script.startswith('--', i):
            end = script.find('\n', i)
            i = n if end < 0 else end + 1
        elif script.startswith('/*', i):
            end = script.find('*/', i + 2)
            i = n if end < 0 else end + 2
        elif char == ';':
            i += 1
            if sqlite3.complete_statement(script[start:i]):
                statements.append(script[start:i])
                start = i
        else:
            i += 1
    statements.append(script[start:])
    # Drop pieces that hold only whitespace, comments and semicolons.
    return [s.strip() for s in statements if _code_of(s)]


def _code_of(statement):
    # The statement without its leading comments ('' for a comment only).
    stripped = statement
    while True:
        stripped = stripped.strip().lstrip(';').strip()
        if stripped.startswith('--'):
            end = stripped.find('\n')
            stripped = '' if end < 0 else stripped[end + 1:]
        elif stripped.startswith('/*'):
            end = stripped.find('*/')
            stripped = '' if end < 0 else stripped[end + 2:]
        else:
            return stripped


def _value_type(value):
    return {int: 'INTEGER', float: 'REAL', str: 'TEXT', bytes: 'BLOB'}.get(type(value), '')


def _declared_types(connection, statement, width):
    # SQLite keeps the declared type of a column that comes straight from a
    # table; a temporary view is the way Python's sqlite3 can ask for it.
    code = _code_of(statement)
    head = code.split(None, 1)[0].upper() if code else ''
    if head not in ('SELECT', 'WITH', 'VALUES'):
        return [''] * width
    # The temporary view is the kernel's, not a write of the snippet's.
    query_only = connection.execute('PRAGMA query_only').fetchone()[0]
    connection.execute('PRAGMA query_only = 0')
    try:
        connection.execute('CREATE TEMP VIEW _safecell_types AS ' + code.rstrip().rstrip(';'))
        try:
            info = connection.execute('PRAGMA temp.table_info(_safecell_types)').fetchall()
        finally:
            connection.execute('DROP VIEW temp._safecell_types')
        types_ = [row[2] or '' for row in info]
        return types_ if len(types_) == width else [''] * width
    except Exception:
        return [''] * width
    finally:
        connection.execute('PRAGMA query_only = %d' % query_only)


def _table_text(table):
    lines = ['\t'.join(table['columns'])]
    for row in table['rows'][:20]:
        lines.append('\t'.join('NULL' if v is None else v for v in row))
    if table['total_rows'] > 20:
        lines.append('… %d rows' % table['total_rows'])
    return '\n'.join(lines)


def _sqlite_uri(path, mode):
    import urllib.parse
    return 'file:%s?mode=%s' % (urllib.parse.quote(path), mode)


def _attach_shared(connection, attach):
    """The analyst's shared SQLite files, each under its own schema. A file
    with a write-ahead log beside it (SafeCell binds a live one for the run)
    is read through the log, as any reader would; otherwise, or when that
    fails, immutable=1: on the read-only mount SQLite could not make a WAL
    file's -shm beside it."""
    import sqlite3

    def attach_as(schema, uri):
        connection.execute('ATTACH DATABASE ? AS "%s"' % schema, (uri,))
        try:
            connection.execute('SELECT count(*) FROM "%s".sqlite_master' % schema).fetchone()
        except sqlite3.DatabaseError:
            connection.execute('DETACH DATABASE "%s"' % schema)
            raise

    for database in attach or []:
        schema, path = database.get('schema', ''), database.get('path', '')
        if not schema.replace('_', 'a').isalnum():
            raise sqlite3.OperationalError('not a schema name: %r' % schema)
        try:
            if os.path.isfile(path + '-wal'):
                try:
                    attach_as(schema, _sqlite_uri(path, 'ro'))
                    continue
                except sqlite3.DatabaseError:
                    pass
            attach_as(schema, _sqlite_uri(path, 'ro') + '&immutable=1')
        except sqlite3.DatabaseError as error:
            raise sqlite3.OperationalError('the shared file %s could not be opened as an SQLite database '
                                           '(schema %s): %s' % (path, schema, error)) from None


def _open_sql(database, scratch, allow_writes, attach=None):
    """The session's scratch database as main (created by the first
    confirmed write; in memory until then) with the workspace database
    attached read-only as `workspace`, and each shared SQLite file under its
    own schema: unqualified names find the workspace's tables, and CREATE
    TABLE lands in the scratch database."""
    import sqlite3
    if not scratch:  # an older caller: the workspace alone
        return sqlite3.connect(_sqlite_uri(database, 'rw' if allow_writes else 'ro'), uri=True,
                               isolation_level=None, check_same_thread=False)
    if allow_writes:
        main = _sqlite_uri(scratch, 'rwc')
    elif os.path.exists(scratch):
        main = _sqlite_uri(scratch, 'ro')
    else:
        main = ':memory:'
    connection = sqlite3.connect(main, uri=True, isolation_level=None, check_same_thread=False)
    try:
        if database:
            connection.execute('ATTACH DATABASE ? AS workspace', (_sqlite_uri(database, 'ro'),))
        _attach_shared(connection, attach)
        if not allow_writes:
            connection.execute('PRAGMA query_only = 1')
    except BaseException:
        connection.close()
        raise
    return connection


def _explain_readonly(error, allow_writes, scratch):
    """SQLite's bare "attempt to write a readonly database", said in terms
    of the session: which database is read-only and where writes go."""
    import sqlite3
    if not scratch or not isinstance(error, sqlite3.OperationalError) or 'readonly' not in str(error):
        return error
    if allow_writes:
        why = ('the workspace database (schema "workspace": the bundled example or the one chosen in the '
               'settings) and attached databases are read-only. Writes go to the session\'s scratch database '
               '(schema "main"): create a table of your own there, e.g. CREATE TABLE my_copy AS SELECT * FROM '
               'workspace.orders')
    else:
        why = ('this run was read-only. Writes (CREATE TABLE, INSERT...) run only once the analyst confirms '
               'them, and go to the session\'s scratch database (schema "main"); the workspace database stays '
               'read-only')
    return sqlite3.OperationalError('%s: %s' % (error, why))


def run_sql(code, database, allow_writes, scratch='', attach=None):
    import sqlite3
    try:
        connection = _open_sql(database, scratch, allow_writes, attach)
    except sqlite3.Error as error:
        return error
    # SQLite runs in C, where a Python signal handler cannot run: this
    # callback gives the interrupt its chance every few thousand steps.
    _sql_interrupted[0] = False
    connection.set_progress_handler(lambda: _sql_interrupted[0], 10000)
    tables = []
    try:
        for statement in _split_sql(code):
            cursor = connection.execute(statement)
            if cursor.description is None:
                if cursor.rowcount >= 0:
                    tables.append({'text': '%d row(s) changed' % cursor.rowcount})
                continue
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchmany(_limits['row_cap'])
            total = len(rows)
            while True:
                more = cursor.fetchmany(4096)
                if not more:
                    break
                total += len(more)
            declared = _declared_types(connection, statement, len(columns))
            for index, name in enumerate(declared):
                if not name:
                    sample = next((r[index] for r in rows if r[index] is not None), None)
                    declared[index] = _value_type(sample)
            table = {'columns': columns, 'types': declared,
                     'rows': [[_cell_text(v) for v in row] for row in rows], 'total_rows': total}
            tables.append({'table': table, 'text': _table_text(table)})
    except BaseException as error:
        for item in tables:
            send(dict(type='result', is_main_result=False, **item))
        if _sql_interrupted[0] and isinstance(error, sqlite3.OperationalError):
            return KeyboardInterrupt('the SQL statement was interrupted')
        return _explain_readonly(error, allow_writes, scratch)
    finally:
        connection.close()
    for index, item in enumerate(tables):
        send(dict(type='result', is_main_result=index == len(tables) - 1, **item))
    return None


def _reap_children():
    # The driver killed what the last run left; its zombies are ours to reap.
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def handle(request):
    run_id = request.get('id')
    cap = int(request.get('output_cap') or 4 << 20)
    _limits['row_cap'] = int(request.get('row_cap') or 1000)
    _limits['text_cap'] = max(1024, cap)
    # Repair what a previous snippet may have redirected.
    os.dup2(_OUT, 1)
    os.dup2(_ERR, 2)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGXCPU, _on_sigxcpu)
    _arm_cpu_budget(int(request.get('cpu_seconds') or 0))
    _reap_children()
    if request.get('language') == 'data_page':
        serve_data_page(request.get('page') or {})
        send({'type': 'done', 'id': run_id})
        return
    _safecell_view_cache.clear()  # noqa: F821  (a run may change a frame in place)
    error = None
    try:
        if request.get('language') == 'sql':
            error = run_sql(request.get('code', ''), request.get('database', ''), bool(request.get('allow_writes')),
                            request.get('scratch') or '', request.get('attach'))
        else:
            error = run_python(request.get('code', ''))
    except BaseException as unexpected:  # an interrupt that landed in the kernel's code
        error = unexpected
    try:
        if error is not None:
            report_error(error)
        if request.get('language') != 'sql' and request.get('list_variables'):
            list_variables()  # a run that raised may still have set some
    except BaseException as late:
        try:
            print('kernel: %r' % (late,), file=sys.stderr)
        except BaseException:
            pass
    send({'type': 'done', 'id': run_id})


def main():
    # What every run imports is imported now, while the kernel waits for its
    # first request (a warm kernel of the API's pool), not in that run's time.
    import ast, linecache, resource  # noqa: F401,E401
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGXCPU, _on_sigxcpu)
    while True:
        # Idle: stopped until the driver continues us with a request.
        os.kill(os.getpid(), signal.SIGSTOP)
        try:
            request = read_request()
        except KeyboardInterrupt:
            continue
        if request is None:
            os._exit(0)
        handle(request)


main()
