# SafeCell kernel driver: the main program of the sandboxed Python process.
#
# It speaks JSON lines with SafeCell. Requests arrive on the original stdin,
# messages leave on the original stdout; both are moved to private,
# close-on-exec descriptors at start-up. The user's code sees /dev/null as
# stdin and pipes as fds 1 and 2 whose bytes this driver reads back and wraps
# into "stdout"/"stderr" frames, so nothing the user prints (not even with
# os.write or from a subprocess) can pass for a protocol message.
#
# Messages mirror E2B's /execute types: number_of_executions, stdout, stderr,
# result, error, end_of_execution (with the run's id).
import builtins
import codecs
import json
import os
import queue
import signal
import sys
import threading
import types

KERNEL_PID = os.getpid()
KERNEL_FILENAME = '<safecell-kernel>'  # SafeCell compiles this file under that name
_PROTO_OUT = os.dup(1)   # private: dup() makes it close-on-exec
_REQ_IN = os.dup(0)
_DIAG = os.dup(2)        # SafeCell reads it only if the kernel dies

import faulthandler  # noqa: E402  (a crash's Python traceback goes to _DIAG)
faulthandler.enable(_DIAG)

_devnull = os.open('/dev/null', os.O_RDONLY)
os.dup2(_devnull, 0)
os.close(_devnull)
_out_r, _out_w = os.pipe()
_err_r, _err_w = os.pipe()
os.dup2(_out_w, 1)
os.dup2(_err_w, 2)
os.set_inheritable(_out_r, False)
os.set_inheritable(_err_r, False)

_send_lock = threading.Lock()
_in_child = False


def _after_fork_in_child():
    # A fork of the user's code must never speak for the kernel.
    global _in_child
    _in_child = True
    for fd in (_PROTO_OUT, _REQ_IN):
        try:
            os.close(fd)
        except OSError:
            pass


# No after_in_parent hook: an interrupt landing in it would be swallowed.
os.register_at_fork(after_in_child=_after_fork_in_child)


def send(message):
    if _in_child or os.getpid() != KERNEL_PID:
        return
    data = (json.dumps(message, ensure_ascii=False, separators=(',', ':')) + '\n').encode('utf-8', 'replace')
    with _send_lock:
        view = memoryview(data)
        while view:
            written = os.write(_PROTO_OUT, view)
            view = view[written:]


def _block_sigint():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


class Pump(threading.Thread):
    """Reads one of the user's output pipes and frames what it reads.

    Per run it forwards a little more than the output cap (so SafeCell sees
    the cap crossed and adds its marker) and drains the rest unread, so a
    run that prints gigabytes costs neither side memory."""

    def __init__(self, fd, kind):
        super().__init__(name='safecell-' + kind, daemon=True)
        self.fd = fd
        self.kind = kind
        self.cap = 4 << 20
        self.forwarded = 0
        self.marker = None
        self.reached = threading.Event()
        self.lock = threading.Lock()
        self.decoder = codecs.getincrementaldecoder('utf-8')('replace')

    def reset(self, cap):
        with self.lock:
            self.cap = cap
            self.forwarded = 0

    def expect(self, marker):
        with self.lock:
            self.marker = marker
            self.reached.clear()

    def _emit(self, data):
        if not data:
            return
        with self.lock:
            if self.forwarded > self.cap:
                return
            self.forwarded += len(data)
        text = self.decoder.decode(data)
        if text:
            send({'type': self.kind, 'text': text})

    def run(self):
        _block_sigint()
        carry = b''
        while True:
            try:
                data = os.read(self.fd, 65536)
            except InterruptedError:
                continue
            if not data:
                return
            buf = carry + data
            carry = b''
            while True:
                marker = self.marker
                at = buf.find(marker) if marker else -1
                if at < 0:
                    break
                self._emit(buf[:at])
                buf = buf[at + len(marker):]
                with self.lock:
                    if self.marker == marker:
                        self.marker = None
                self.reached.set()
            marker = self.marker
            if marker:
                # Hold back a tail that could be the start of a split marker.
                start = buf.rfind(b'\0', max(0, len(buf) - len(marker) + 1))
                if start >= 0 and marker.startswith(buf[start:]):
                    carry = buf[start:]
                    buf = buf[:start]
            self._emit(buf)


_pumps = {'stdout': (Pump(_out_r, 'stdout'), _out_w), 'stderr': (Pump(_err_r, 'stderr'), _err_w)}
for _pump, _ in _pumps.values():
    _pump.start()


def sync_streams(timeout=5.0):
    """Waits until everything written to fds 1 and 2 so far has been framed."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    waiting = []
    for pump, write_fd in _pumps.values():
        marker = b'\0sc-sync-' + os.urandom(8).hex().encode() + b'\0'
        pump.expect(marker)
        try:
            os.write(write_fd, marker)
            waiting.append(pump)
        except OSError:
            pass
    for pump in waiting:
        pump.reached.wait(timeout)


# --- interrupts -------------------------------------------------------------

_state_lock = threading.Lock()
_current = {'id': None, 'sql': None}
_user_code_running = [False]
_MAIN_THREAD = threading.main_thread().ident


def _on_sigint(signum, frame):
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
    # RLIMIT_CPU counts the kernel's whole life: move its soft limit to this
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


class Interrupter(threading.Thread):
    """Interrupts the running snippet. Started with the kernel: at the
    process limit (a fork bomb) no thread could be started any more."""

    def __init__(self):
        super().__init__(name='safecell-interrupter', daemon=True)
        self.wanted = queue.Queue()

    def run(self):
        _block_sigint()
        while True:
            run_id = self.wanted.get()
            try:
                self._interrupt(run_id)
            except Exception:
                pass

    def _interrupt(self, run_id):
        import time
        # A KeyboardInterrupt can be swallowed where Python ignores
        # exceptions (a __del__, a weakref callback): repeat it while the
        # run goes on.
        for attempt in range(6):
            with _state_lock:
                if _current['id'] != run_id:
                    return
                if _current['sql'] is not None:
                    _current['sql'].interrupt()
                signal.pthread_kill(_MAIN_THREAD, signal.SIGINT)
            # Whatever the snippet started goes too, until the run ends: a
            # swarm of busy forks would otherwise starve the kernel of the
            # CPU it needs to handle the interrupt.
            until = time.monotonic() + 0.3
            while time.monotonic() < until:
                _kill_strays(reap=False)
                time.sleep(0.01)
                if _current['id'] != run_id:
                    return


_interrupter = Interrupter()


def _request_reader(requests):
    _block_sigint()
    stream = os.fdopen(_REQ_IN, 'rb', buffering=65536)
    for line in stream:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get('type') == 'interrupt':
            if message.get('id'):
                _interrupter.wanted.put(message.get('id'))
        else:
            requests.put(message)
    requests.put(None)


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
    sync_streams()
    for number in pyplot.get_fignums():
        figure = pyplot.figure(number)
        try:
            send(_figure_message(figure, False))
        except Exception as error:
            send({'type': 'stderr', 'text': 'Could not render figure %d: %r\n' % (number, error)})
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


def _is_missing(value):
    try:
        return value is None or value != value
    except Exception:
        return False


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


# --- errors ------------------------------------------------------------------

def _user_traceback(error):
    import traceback
    summary = traceback.TracebackException(type(error), error, error.__traceback__)
    # Only the user's frames: none of this driver's, before or after theirs.
    for exception in _chain(summary):
        exception.stack = traceback.StackSummary.from_list(
            [frame for frame in exception.stack if frame.filename != KERNEL_FILENAME])
    return _cap_text(''.join(summary.format()))


def _chain(summary):
    seen = []
    while summary is not None and summary not in seen:
        seen.append(summary)
        summary = summary.__cause__ or (None if summary.__suppress_context__ else summary.__context__)
    return seen


def report_error(error):
    send({'type': 'error', 'name': type(error).__name__, 'value': _cap_text(str(error)),
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
    send({'type': 'number_of_executions', 'execution_count': _counter[0]})
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


def _table_text(table):
    lines = ['\t'.join(table['columns'])]
    for row in table['rows'][:20]:
        lines.append('\t'.join('NULL' if v is None else v for v in row))
    if table['total_rows'] > 20:
        lines.append('… %d rows' % table['total_rows'])
    return '\n'.join(lines)


def run_sql(code, database, allow_writes):
    import sqlite3
    import urllib.parse
    _counter[0] += 1
    send({'type': 'number_of_executions', 'execution_count': _counter[0]})
    mode = 'rw' if allow_writes else 'ro'
    uri = 'file:%s?mode=%s' % (urllib.parse.quote(database), mode)
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        return error
    with _state_lock:
        _current['sql'] = connection
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
        for index, item in enumerate(tables):
            send(dict(type='result', is_main_result=False, **item))
        return error
    finally:
        with _state_lock:
            _current['sql'] = None
        connection.close()
    for index, item in enumerate(tables):
        send(dict(type='result', is_main_result=index == len(tables) - 1, **item))
    return None


def _reap_children():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _kill_strays(reap=True):
    # After an interrupted run nothing the snippet started may keep running:
    # in our pid namespace, kill(-1) reaches every process but us and init.
    for _ in range(20):
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:  # ESRCH: none left
            break
    if reap:
        _reap_children()


def handle(request):
    run_id = request.get('id')
    cap = int(request.get('output_cap', 4 << 20))
    _limits['row_cap'] = int(request.get('row_cap', 1000))
    _limits['text_cap'] = max(1024, cap)
    for pump, write_fd in _pumps.values():
        pump.reset(cap)
    # Repair what a previous snippet may have redirected.
    os.dup2(_out_w, 1)
    os.dup2(_err_w, 2)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGXCPU, _on_sigxcpu)
    _arm_cpu_budget(int(request.get('cpu_seconds', 0)))
    with _state_lock:
        _current['id'] = run_id
    interrupted = False
    error = None
    try:
        if request.get('language') == 'sql':
            error = run_sql(request.get('code', ''), request.get('database', ''), bool(request.get('allow_writes')))
        else:
            error = run_python(request.get('code', ''))
    except BaseException as unexpected:  # an interrupt that landed in the driver
        error = unexpected
    finally:
        with _state_lock:
            _current['id'] = None
    try:
        sync_streams()
        if error is not None:
            interrupted = isinstance(error, KeyboardInterrupt)
            report_error(error)
        if interrupted or isinstance(error, BlockingIOError):
            _kill_strays()  # an interrupted run, or forks up to the process limit
    except BaseException as late:
        try:
            send({'type': 'stderr', 'text': 'kernel: %r\n' % (late,)})
        except BaseException:
            pass
    send({'type': 'end_of_execution', 'id': run_id})


def main():
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGXCPU, _on_sigxcpu)
    requests = queue.Queue()
    _interrupter.start()
    threading.Thread(target=_request_reader, args=(requests,), name='safecell-requests', daemon=True).start()
    while True:
        try:
            request = requests.get()
        except KeyboardInterrupt:
            continue
        if request is None:
            break
        handle(request)
    sync_streams(1.0)
    os._exit(0)


main()
