# SafeCell's data viewer, kernel side: answers one page of a session
# DataFrame under a sort and a text filter, so the frame's data stays in the
# sandbox process and the window only ever holds a page. It is prepended to
# worker.py (like variables.py), and on E2B loaded into a module of its own
# by the page cell (E2bDataView.cpp). Every answer is bounded: at most
# _SAFECELL_PAGE_ROWS rows, _SAFECELL_CELL_CHARS characters a cell.
#
# The filter is defined as: keep the rows where the cell's text (str() of
# the value, NaN as 'NaN') contains the filter text, case-insensitively, in
# the chosen column, or in any column when none is chosen.
#
# The sorted and filtered row order is cached (one entry: name, sort, filter
# and the frame's identity), so paging through a sorted 1,000,000-row frame
# costs a slice, not a sort.

_SAFECELL_PAGE_ROWS = 1000
_SAFECELL_CELL_CHARS = 200
# A wide frame: its first 500 columns, and fewer rows a page, so that a page
# stays far below the driver's frame cap (a cell may be 200 characters of
# four UTF-8 bytes each).
_SAFECELL_PAGE_COLUMNS = 500
_SAFECELL_PAGE_CELLS = 20000
_safecell_view_cache = {}


def _safecell_cell_text(value):
    text = str(value)
    return text if len(text) <= _SAFECELL_CELL_CHARS else text[:_SAFECELL_CELL_CHARS - 1] + '…'


def _safecell_contains(column, needle):
    """Which cells of the column hold needle (lower case) in their text."""
    import sys
    pandas = sys.modules['pandas']
    if isinstance(column.dtype, pandas.CategoricalDtype):
        # A category's text once, not each row's: 4 regions in a million rows.
        import numpy
        categories = pandas.Series(column.cat.categories.astype(str)).str.lower()
        matched = numpy.append(categories.str.contains(needle, regex=False).to_numpy(), needle in 'nan')
        return matched[column.cat.codes.to_numpy()]  # code -1, a missing value, reads as 'nan'
    return column.astype(str).str.lower().str.contains(needle, regex=False).to_numpy()


def _safecell_view_order(name, frame, sort_column, descending, filter_text, filter_column):
    key = (name, id(frame), frame.shape, sort_column, descending, filter_text, filter_column)
    cached = _safecell_view_cache.get('entry')
    if cached is not None and cached[0] == key:
        return cached[1]
    import numpy
    order = numpy.arange(len(frame))
    if filter_text:
        needle = filter_text.lower()
        # By position: a frame may have two columns of one name.
        positions = [filter_column] if filter_column is not None else range(frame.shape[1])
        keep = numpy.zeros(len(frame), dtype=bool)
        for position in positions:
            keep |= _safecell_contains(frame.iloc[:, position], needle)
        order = order[keep]
    if sort_column is not None:
        values = frame.iloc[order, sort_column]
        # A stable sort, missing values last whatever the direction.
        ranked = values.reset_index(drop=True).sort_values(ascending=not descending, kind='mergesort',
                                                           na_position='last')
        order = order[ranked.index.to_numpy()]
    _safecell_view_cache['entry'] = (key, order)
    return order


def _safecell_data_page(namespace, name, offset, count, sort_column=None, descending=False, filter_text='',
                        filter_column=None):
    """One page of namespace[name] as a JSON-ready dict, or {'error': ...}."""
    import sys
    pandas = sys.modules.get('pandas')
    if name not in namespace:
        return {'error': '%s is no longer defined' % name}
    frame = namespace[name]
    if pandas is None or not isinstance(frame, pandas.DataFrame):
        return {'error': '%s is a %s, not a DataFrame' % (name, type(frame).__qualname__)}
    columns = list(frame.columns)
    shown = min(len(columns), _SAFECELL_PAGE_COLUMNS)
    names = [_safecell_cell_text(column) for column in columns[:shown]]

    def column_at(index):
        if index is None or index == -1:
            return None
        index = int(index)
        if not 0 <= index < len(columns):
            raise IndexError('column %d out of range' % index)
        return index

    try:
        order = _safecell_view_order(name, frame, column_at(sort_column), bool(descending), filter_text or '',
                                     column_at(filter_column))
    except Exception as error:
        return {'error': 'cannot sort or filter %s: %s: %s' % (name, type(error).__name__, error)}
    offset = max(0, int(offset))
    count = max(0, min(int(count), _SAFECELL_PAGE_ROWS, _SAFECELL_PAGE_CELLS // max(1, shown)))
    chosen = order[offset:offset + count]
    page = frame.iloc[chosen, :shown]
    rows = [[_safecell_cell_text(value) for value in row] for row in page.itertuples(index=False, name=None)]
    return {
        'name': name,
        'columns': names,
        'totalColumns': len(columns),
        'dtypes': [str(dtype) for dtype in frame.dtypes[:shown]],
        'totalRows': len(frame),
        'filteredRows': len(order),
        'offset': offset,
        'rowIndex': [_safecell_cell_text(label) for label in page.index],
        'rows': rows,
    }
