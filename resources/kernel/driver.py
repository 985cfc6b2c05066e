# SafeCell kernel driver: pid 1 of the sandbox, and the only process that
# holds SafeCell's protocol channel. It never runs the user's code.
#
# SafeCell and the driver speak JSON lines on the original stdin and stdout,
# which the driver moves to private descriptors at start-up. Messages mirror
# E2B's /execute types: number_of_executions, stdout, stderr, result, error,
# end_of_execution (with the run's id).
#
# The user's code runs in a worker process (resources/kernel/worker.py)
# forked at start-up; it keeps the session's variables between runs. The
# worker cannot reach the driver: the driver is not dumpable (no
# /proc/1/mem, no /proc/1/fd, no pidfd_getfd), seccomp refuses ptrace, and
# as the pid namespace's init it never receives a signal from inside the
# namespace that it has no handler for. What the driver tells SafeCell rests
# on what it sees of the worker process, not on what the worker says:
#  - a run ends only once the worker process is stopped (it stops itself
#    when done, and a stopped process runs no thread) and every other
#    process of the sandbox is dead, so nothing of a snippet runs between
#    runs; saying "done" is not enough, and a stop without it ends the
#    session;
#  - the worker's messages arrive framed on a pipe (a 4-byte length, then
#    JSON); anything else there is a tampered channel, and ends the session;
#  - stdout and stderr are the bytes that reach the worker's pipes, framed
#    here, capped per run.
import codecs
import json
import os
import selectors
import signal
import struct
import sys
import time

if os.getpid() != 1:
    # Killing every other process is only safe in a pid namespace of our own.
    sys.stderr.write('SafeCell: the kernel driver runs only as the init of its own pid namespace\n')
    sys.exit(2)

KERNEL_FILENAME = '<safecell-kernel>'
WORKER_SOURCE = sys.argv.pop(1)
MAX_FRAME = 48 << 20          # a worker message larger than this is tampering
TAMPERED_EXIT = 86            # SafeCell reads this exit code as "channel tampered with"
STRAY_KILL_SECONDS = 2.0


def _not_dumpable():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        raise OSError(ctypes.get_errno(), 'prctl(PR_SET_DUMPABLE, 0)')


_not_dumpable()

# Only the protocol's descriptors may have crossed into the sandbox; were
# anything else still open, it goes before the snippet's process exists.
for _name in os.listdir('/proc/self/fd'):
    if int(_name) > 2:
        try:
            os.close(int(_name))
        except OSError:
            pass

PROTO_OUT = os.dup(1)   # dup() makes them close-on-exec
REQ_IN = os.dup(0)
DIAG = os.dup(2)        # SafeCell reads it only when the kernel dies
_null = os.open('/dev/null', os.O_RDWR)
for _fd in (0, 1, 2):
    os.dup2(_null, _fd)

import faulthandler  # noqa: E402
faulthandler.enable(DIAG)

out_r, out_w = os.pipe()
err_r, err_w = os.pipe()
msg_r, msg_w = os.pipe()
req_r, req_w = os.pipe()
diag_r, diag_w = os.pipe()

WORKER = os.fork()
if WORKER == 0:
    try:
        for fd in (PROTO_OUT, REQ_IN, DIAG, out_r, err_r, msg_r, req_w, diag_r):
            os.close(fd)
        os.dup2(_null, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        for fd in (out_w, err_w, _null):
            os.close(fd)
        _globals = {'__name__': '__safecell_worker__', '__builtins__': __builtins__,
                    'MSG_FD': msg_w, 'REQ_FD': req_r, 'DIAG_FD': diag_w, 'KERNEL_FILENAME': KERNEL_FILENAME}
        exec(compile(WORKER_SOURCE, KERNEL_FILENAME, 'exec'), _globals)
    finally:
        os._exit(70)

for _fd in (out_w, err_w, msg_w, req_r, diag_w, _null):
    os.close(_fd)
for _fd in (out_r, err_r, msg_r, diag_r, req_w, REQ_IN):
    os.set_blocking(_fd, False)


def send(message):
    data = (json.dumps(message, ensure_ascii=False, separators=(',', ':')) + '\n').encode('utf-8', 'replace')
    view = memoryview(data)
    while view:
        written = os.write(PROTO_OUT, view)
        view = view[written:]


_CHUNK = 1 << 16  # a pipe's whole default buffer: one read empties it


def _read_available(fd, most=None):
    """What the pipe holds now (at most `most` chunks: a writer that never
    pauses must not keep the driver from its other work); b'' when empty,
    None at its end."""
    chunks = []
    while most is None or len(chunks) < most:
        try:
            data = os.read(fd, _CHUNK)
        except BlockingIOError:
            break
        except InterruptedError:
            continue
        if not data:
            return b''.join(chunks) if chunks else None
        chunks.append(data)
        if len(data) < _CHUNK:
            break  # what was written before this read is all in
    return b''.join(chunks)


class OutputStream:
    """One of the worker's output pipes: framed as stdout or stderr, with a
    little more than the run's cap forwarded (SafeCell adds its marker) and
    the rest read and dropped, so gigabytes of output cost nothing."""

    def __init__(self, fd, kind):
        self.fd = fd
        self.kind = kind
        self.cap = 4 << 20
        self.forwarded = 0
        self.decoder = codecs.getincrementaldecoder('utf-8')('replace')

    def reset(self, cap):
        self.cap = cap
        self.forwarded = 0

    def drain(self, most=None):
        data = _read_available(self.fd, most)
        if not data or self.forwarded > self.cap:
            return data is not None
        self.forwarded += len(data)
        text = self.decoder.decode(data)
        if text:
            send({'type': self.kind, 'text': text})
        return True


def _text(value):
    if not isinstance(value, str):
        raise ValueError('not text')
    return value


def _clean_table(table):
    columns = [_text(c) for c in table['columns']]
    types = [_text(t) for t in table.get('types', [])]
    rows = [[None if cell is None else _text(cell) for cell in row] for row in table.get('rows', [])]
    total = table.get('total_rows', len(rows))
    if not isinstance(total, int):
        raise ValueError('total_rows')
    cleaned = {'columns': columns, 'types': types, 'rows': rows, 'total_rows': total}
    if 'index' in table:
        cleaned['index'] = [_text(label) for label in table['index']]
    return cleaned


def clean_result(message):
    """A result message rebuilt from its known fields only."""
    result = {'type': 'result', 'is_main_result': bool(message.get('is_main_result')),
              'text': _text(message.get('text', ''))}
    for key in ('html', 'png', 'svg'):
        if key in message:
            result[key] = _text(message[key])
    if 'table' in message:
        result['table'] = _clean_table(message['table'])
    return result


_VARIABLE_FIELDS = ('name', 'type', 'kind', 'shape', 'preview')


def clean_variables(message):
    """The worker's listing of the session's variables, rebuilt from its
    known fields, each text and short, at most 200 of them."""
    listed = message['variables']
    if not isinstance(listed, list) or len(listed) > 200:
        raise ValueError('variables')
    variables = []
    for entry in listed:
        variables.append({key: _text(entry[key])[:400] for key in _VARIABLE_FIELDS if key in entry})
        if 'name' not in variables[-1]:
            raise ValueError('variable name')
    return {'type': 'variables', 'variables': variables, 'truncated': bool(message.get('truncated'))}


def _count(value):
    if not isinstance(value, int) or value < 0:
        raise ValueError('count')
    return value


def clean_data_page(message, run_id):
    """A page of the data viewer (dataview.py), rebuilt from its known
    fields, each text and short: at most 1000 rows of 500 cells."""
    page = {'type': 'data_page', 'id': run_id}
    if 'error' in message:
        page['error'] = _text(message['error'])[:2000]
        return page
    columns = [_text(c)[:400] for c in message['columns']][:500]
    rows = message['rows']
    if not isinstance(rows, list) or len(rows) > 1000:
        raise ValueError('rows')
    page.update({'name': _text(message['name'])[:400], 'columns': columns,
                 'dtypes': [_text(t)[:100] for t in message['dtypes']][:500],
                 'totalRows': _count(message['totalRows']), 'filteredRows': _count(message['filteredRows']),
                 'offset': _count(message['offset']),
                 'rowIndex': [_text(label)[:200] for label in message['rowIndex']][:1000],
                 'rows': [[_text(cell)[:200] for cell in row][:500] for row in rows]})
    return page


class Driver:
    def __init__(self):
        self.state = 'starting'     # starting, idle, running
        self.run = None
        self.pending = []           # execute requests waiting for the worker
        self.input_closed = False
        self.request_buffer = b''
        self.to_worker = b''
        self.message_buffer = b''
        self.diag_tail = b''
        self.executions = 0
        self.streams = [OutputStream(out_r, 'stdout'), OutputStream(err_r, 'stderr')]
        self.next_interrupt = None
        self.interrupts_left = 0
        self.worker_status = None   # ('stopped',) or ('gone', exit code)
        self.selector = selectors.DefaultSelector()

    # --- the worker's process ------------------------------------------------

    def reap(self):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG | os.WUNTRACED)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid != WORKER:
                continue  # an orphan of the snippet's, reparented to us
            if os.WIFSTOPPED(status):
                self.worker_status = ('stopped',)
            elif os.WIFEXITED(status):
                self.worker_status = ('gone', os.WEXITSTATUS(status))
            elif os.WIFSIGNALED(status):
                self.worker_status = ('gone', 128 + os.WTERMSIG(status))

    def others(self):
        """Live processes of the sandbox but us and the worker."""
        alive = []
        for name in os.listdir('/proc'):
            if not name.isdigit():
                continue
            pid = int(name)
            if pid in (1, WORKER):
                continue
            try:
                with open('/proc/%d/stat' % pid, 'rb') as stat:
                    state = stat.read().rsplit(b')', 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state not in (b'Z', b'X'):
                alive.append(pid)
        return alive

    def kill_others(self, wait=True):
        """Every process of the snippet's but the worker: at the end of each
        run, and while an interrupt is pending. False if some would not die."""
        deadline = time.monotonic() + STRAY_KILL_SECONDS
        while True:
            alive = self.others()
            for pid in alive:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            if alive:
                self.reap()
            if not alive or not wait:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.001)

    def die(self, code, note):
        """Ends the kernel: SafeCell sees it exit with `code` and its stderr."""
        try:
            os.kill(WORKER, signal.SIGKILL)
        except OSError:
            pass
        self.kill_others(wait=False)
        for stream in self.streams:
            stream.drain(most=16)
        tail = _read_available(diag_r) or b''
        text = 'kernel: ' + (self.diag_tail + tail).decode('utf-8', 'replace')[-6000:] + (note or '')
        try:
            os.write(DIAG, text.encode('utf-8', 'replace'))
        except OSError:
            pass
        os._exit(code)

    # --- SafeCell's side ---------------------------------------------------------

    def on_requests(self):
        data = _read_available(REQ_IN)
        if data is None:
            self.input_closed = True
            self.selector.unregister(REQ_IN)
            return
        self.request_buffer += data
        *lines, self.request_buffer = self.request_buffer.split(b'\n')
        for line in lines:
            try:
                request = json.loads(line)
            except ValueError:
                continue
            if not isinstance(request, dict):
                continue
            if request.get('type') == 'interrupt':
                if self.run is not None and request.get('id') == self.run['id']:
                    self.next_interrupt = time.monotonic()
                    self.interrupts_left = 6
                else:
                    self.drop_pending(request.get('id'))
            elif request.get('type') == 'execute':
                self.pending.append(request)

    def drop_pending(self, run_id):
        """An interrupt for a run that has not started (the kernel was still
        starting): it ends at once, as an interrupted run does."""
        for request in self.pending:
            if request.get('id') == run_id:
                self.pending.remove(request)
                send({'type': 'error', 'name': 'KeyboardInterrupt', 'value': '', 'traceback': ''})
                send({'type': 'end_of_execution', 'id': run_id})
                return

    def start_next(self):
        if self.state != 'idle' or not self.pending:
            return
        request = self.pending.pop(0)
        cap = int(request.get('output_cap', 4 << 20))
        for stream in self.streams:
            stream.reset(cap)
        self.run = {'id': request.get('id'), 'error': None, 'done': False}
        if request.get('language') != 'data_page':  # a page of the data viewer is no execution
            self.executions += 1
            send({'type': 'number_of_executions', 'execution_count': self.executions})
        payload = json.dumps({key: request.get(key) for key in
                              ('id', 'language', 'code', 'output_cap', 'row_cap', 'cpu_seconds',
                               'database', 'scratch', 'attach', 'allow_writes', 'list_variables', 'page')}).encode()
        self.to_worker += struct.pack('>I', len(payload)) + payload
        self.flush_to_worker()
        self.state = 'running'
        os.kill(WORKER, signal.SIGCONT)

    def flush_to_worker(self):
        try:
            written = os.write(req_w, self.to_worker) if self.to_worker else 0
        except BlockingIOError:
            written = 0
        self.to_worker = self.to_worker[written:]
        events = selectors.EVENT_WRITE if self.to_worker else 0
        key = self.selector.get_map().get(req_w)
        if events and key is None:
            self.selector.register(req_w, events, 'to_worker')
        elif not events and key is not None:
            self.selector.unregister(req_w)

    # --- the worker's messages ---------------------------------------------------

    def on_messages(self, most=16):
        data = _read_available(msg_r, most)
        if not data:
            if data is None:
                self.selector.unregister(msg_r)
            return
        self.message_buffer += data
        while len(self.message_buffer) >= 4:
            (size,) = struct.unpack('>I', self.message_buffer[:4])
            if size > MAX_FRAME:
                self.tampered()
            if len(self.message_buffer) < 4 + size:
                return
            frame = self.message_buffer[4:4 + size]
            self.message_buffer = self.message_buffer[4 + size:]
            try:
                message = json.loads(frame)
                self.on_message(message)
            except (ValueError, KeyError, TypeError, AttributeError):
                self.tampered()

    def on_message(self, message):
        kind = message['type']
        if self.run is None:
            return  # nothing of the worker's counts between runs
        if kind == 'result':
            # What the worker printed before it showed a value comes first.
            for stream in self.streams:
                stream.drain(most=16)
            send(clean_result(message))
        elif kind == 'error':
            self.run['error'] = {'type': 'error', 'name': _text(message['name']),
                                 'value': _text(message['value']), 'traceback': _text(message['traceback'])}
        elif kind == 'variables':
            send(clean_variables(message))
        elif kind == 'data_page':
            send(clean_data_page(message, self.run['id']))
        elif kind == 'done':
            self.run['done'] = message['id'] == self.run['id']
        # Other types are ignored, as SafeCell ignores what it does not know.

    def tampered(self):
        self.die(TAMPERED_EXIT, '\nSafeCell: the snippet wrote into the kernel\'s private channel, '
                                'so the kernel was stopped.\n')

    # --- runs ------------------------------------------------------------------

    def on_worker_status(self):
        status, self.worker_status = self.worker_status, None
        if status[0] == 'gone':
            self.die(status[1], '')
        if self.state == 'starting':
            self.state = 'idle'
            return
        if self.state != 'running':
            return
        # The worker is stopped: kill whatever else the snippet started, then
        # everything written before is in the pipes.
        if not self.kill_others():
            self.die(137, '\nSafeCell: processes of the snippet would not die.\n')
        for stream in self.streams:
            stream.drain()
        self.on_messages(most=None)
        run, self.run = self.run, None
        self.state = 'idle'
        self.next_interrupt = None
        if not run['done']:
            # Stopped without saying it was done: something of the snippet's
            # stopped it (or forged its way here); the session cannot go on.
            self.tampered()
        if run['error'] is not None:
            send(run['error'])
        send({'type': 'end_of_execution', 'id': run['id']})

    def on_tick(self):
        if self.next_interrupt is None or self.run is None:
            return
        # Whatever the snippet started goes too, until the run ends: a swarm
        # of busy forks would otherwise starve the worker of the CPU it needs
        # to handle the interrupt.
        self.kill_others(wait=False)
        now = time.monotonic()
        if now >= self.next_interrupt and self.interrupts_left > 0:
            self.interrupts_left -= 1
            self.next_interrupt = now + 0.3
            try:
                os.kill(WORKER, signal.SIGINT)
            except OSError:
                pass

    def timeout(self):
        if self.worker_status is not None:
            return 0
        if self.next_interrupt is not None and self.run is not None:
            return 0.02
        return None

    def main(self):
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
            signal.signal(signum, signal.SIG_IGN)
        self.reap()  # a stop that came before the handler
        sel = self.selector
        sel.register(REQ_IN, selectors.EVENT_READ, 'requests')
        sel.register(msg_r, selectors.EVENT_READ, 'messages')
        sel.register(diag_r, selectors.EVENT_READ, 'diag')
        sel.register(wake_r, selectors.EVENT_READ, 'wake')
        for stream in self.streams:
            sel.register(stream.fd, selectors.EVENT_READ, stream)
        while True:
            for key, _ in sel.select(self.timeout()):
                what = key.data
                if isinstance(what, OutputStream):
                    if not what.drain(most=16):
                        sel.unregister(what.fd)
                elif what == 'requests':
                    self.on_requests()
                elif what == 'messages':
                    self.on_messages()
                elif what == 'to_worker':
                    self.flush_to_worker()
                elif what == 'diag':
                    data = _read_available(diag_r)
                    if data is None:
                        sel.unregister(diag_r)
                    else:
                        self.diag_tail = (self.diag_tail + data)[-8192:]
                elif what == 'wake':
                    _read_available(wake_r)
                    self.reap()
            if self.worker_status is not None:
                self.on_worker_status()
            self.on_tick()
            self.start_next()
            if self.input_closed and self.state == 'idle' and not self.pending:
                try:
                    os.kill(WORKER, signal.SIGKILL)
                except OSError:
                    pass
                os._exit(0)


Driver().main()
