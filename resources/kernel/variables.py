# SafeCell's listing of a Python session's variables, for the window's
# Variables pane: the same code in the local kernel (prepended to
# worker.py) and on E2B (run in the sandbox's context after a run). It runs
# in the snippet's process, on the snippet's objects, so its work is
# bounded: no value's repr may take more than _SAFECELL_REPR_SECONDS (a
# timer interrupts it) or give more than _SAFECELL_PREVIEW_CHARS, and the
# listing stops at _SAFECELL_MAX_VARIABLES names or _SAFECELL_LISTING_SECONDS.
# Every name here starts with _safecell_, so a listing never lists itself.

_SAFECELL_MAX_VARIABLES = 200
_SAFECELL_PREVIEW_CHARS = 200
_SAFECELL_REPR_SECONDS = 0.005
_SAFECELL_LISTING_SECONDS = 0.2
_SAFECELL_BUILTIN_DATA = (bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset)


class _SafecellSlowRepr(BaseException):  # not an Exception: no repr may swallow it
    pass


def _safecell_on_alarm(signum, frame):
    raise _SafecellSlowRepr()


def _safecell_bounded_repr(value):
    import builtins
    import reprlib
    import signal
    shortener = reprlib.Repr()
    shortener.maxstring = _SAFECELL_PREVIEW_CHARS
    shortener.maxother = _SAFECELL_PREVIEW_CHARS
    snippets_timer = signal.getitimer(signal.ITIMER_REAL)  # an alarm the snippet set, kept
    previous = signal.signal(signal.SIGALRM, _safecell_on_alarm)
    signal.setitimer(signal.ITIMER_REAL, _SAFECELL_REPR_SECONDS)
    try:
        # reprlib bounds the builtin containers' depth and length; any other
        # object's own __repr__ is called, under the timer.
        text = shortener.repr(value) if isinstance(value, _SAFECELL_BUILTIN_DATA) else builtins.repr(value)
    except _SafecellSlowRepr:
        text = '(its repr took too long)'
    except Exception as error:
        text = '(its repr failed: %s)' % type(error).__name__
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if snippets_timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *snippets_timer)
    text = ' '.join(text.split())
    return text if len(text) <= _SAFECELL_PREVIEW_CHARS else text[:_SAFECELL_PREVIEW_CHARS - 1] + '…'


def _safecell_describe(name, value):
    import sys
    entry = {'name': name, 'type': type(value).__qualname__}
    pandas = sys.modules.get('pandas')
    numpy = sys.modules.get('numpy')
    if pandas is not None and isinstance(value, pandas.DataFrame):
        rows, columns = value.shape
        entry['shape'] = '%d rows x %d columns' % (rows, columns)
        entry['kind'] = 'dataframe'
        shown = ['%s: %s' % (column, dtype) for column, dtype in list(value.dtypes.items())[:20]]
        entry['preview'] = ', '.join(shown) + (', …' if columns > 20 else '')
        return entry
    if pandas is not None and isinstance(value, pandas.Series):
        entry['shape'] = '%d rows' % len(value)
        entry['kind'] = 'series'
        entry['preview'] = 'dtype %s' % value.dtype
        return entry
    if numpy is not None and isinstance(value, numpy.ndarray):
        entry['shape'] = ' x '.join(str(n) for n in value.shape) if value.ndim else 'scalar'
        entry['kind'] = 'array'
        entry['preview'] = 'dtype %s' % value.dtype
        return entry
    if isinstance(value, (bool, int, float, complex)):
        entry['kind'] = 'number'
    elif isinstance(value, (str, bytes)):
        entry['kind'] = 'string'
        entry['shape'] = '%d characters' % len(value) if isinstance(value, str) else '%d bytes' % len(value)
    elif isinstance(value, (list, tuple, dict, set, frozenset)):
        entry['kind'] = 'collection'
        entry['shape'] = '%d items' % len(value)
    else:
        entry['kind'] = 'other'
    entry['preview'] = _safecell_bounded_repr(value)
    return entry


def _safecell_is_listed(name, value):
    import types
    if name.startswith('_') or name in ('In', 'Out', 'exit', 'quit', 'get_ipython', 'display'):
        return False
    return not isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type))


def _safecell_list_variables(namespace):
    """{'variables': [...], 'truncated': bool} for the names of `namespace`."""
    import time
    started = time.monotonic()
    listed = []
    truncated = False
    for name, value in list(namespace.items()):
        if not _safecell_is_listed(name, value):
            continue
        if len(listed) >= _SAFECELL_MAX_VARIABLES or time.monotonic() - started > _SAFECELL_LISTING_SECONDS:
            truncated = True
            break
        try:
            listed.append(_safecell_describe(name, value))
        except (Exception, _SafecellSlowRepr) as error:  # the alarm may land just after a repr ended
            listed.append({'name': name, 'type': '?', 'kind': 'other',
                           'preview': '(could not be described: %s)' % type(error).__name__})
    return {'variables': listed, 'truncated': truncated}
