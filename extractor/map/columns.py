"""Which canonical column each value cell of a row belongs to.

Evidence in order of strength: the header path above the cell's grid column, the count of value slots
against the template's column order, the x position under aligned header words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.codes import catalog
from extractor.lexicon import cols_named, match_block, match_col
from extractor.model import Header, LabeledRow, Layout, RowCell

Target = tuple[str, str]  # (row, col)
# Columns some reports add that are not canonical cells: their values are read past, never mapped.
SKIPPED_COLUMNS = frozenset({"subtotal"})
SUBTOTAL_AT = 6  # natural, five organisations, then 小计, then 总计


@dataclass
class HeaderMap:
    """A header block as codes: per grid column the canonical column (and 表四 block), and for aligned text
    the x centre of each header word that names a column."""

    by_col: dict[int, Target | str] = field(default_factory=dict)
    anchors: list[tuple[float, float, str]] = field(default_factory=list)  # (left x, right x, column)
    unclear: set[int] = field(default_factory=set)  # grid columns whose header names two columns

    def skipped_ordinals(self) -> list[int]:
        """Positions, among the header's value columns in order, of the columns that are read past."""
        codes = [self.by_col[c] for c in sorted(self.by_col)]
        return [i for i, code in enumerate(codes) if code in SKIPPED_COLUMNS]

    def _codes_over(self, cell: RowCell) -> set[Target | str]:
        return {self.by_col[c] for c in range(cell.col0, cell.col1) if c in self.by_col}

    def lookup(self, cell: RowCell) -> Target | str | None:
        """The column of a value cell; None under no header, and under two different ones (a cell spanning
        two columns because a rule between them was lost: its value could be either's)."""
        keys = self._codes_over(cell)
        return keys.pop() if len(keys) == 1 else None

    def is_unclear(self, cell: RowCell) -> bool:
        """A value cell under a header that names two columns, or spanning two columns' headers."""
        return any(c in self.unclear for c in range(cell.col0, cell.col1)) or len(self._codes_over(cell)) > 1


def header_codes(table: str, template: str, header: Header | None, body_starts: frozenset[int] = frozenset()
                 ) -> HeaderMap:
    """The header's columns as codes. `body_starts`: the grid columns where cells of the rows under the header
    start (a split of the header alone is no column of the rows)."""
    out = HeaderMap()
    if header is None:
        return out
    for col, path in header.paths:
        named = cols_named(table, list(path), template)
        if len(named) > 1:
            out.unclear.add(col)
        code = next(iter(named)) if len(named) == 1 else None
        if code is None:
            continue
        if table == "t4":
            block = match_block(list(path))
            if block is not None:
                out.by_col[col] = (block, code)
        else:
            out.by_col[col] = code
    if table == "t3":
        _applicants_in_order(out, header, template, body_starts)
    if table == "t4":
        _blocks_over_too_many_columns(out, template)
        _t4_blocks_in_order(out, header, template)
    for x0, x1, word in header.words:
        code = match_col(table, [word], template)
        if code is not None:
            out.anchors.append((x0, x1, code))
    return out


MIN_APPLICANT_WORDS = 3  # header words read that must agree with the template's order before the rest follow


def _applicants_in_order(out: HeaderMap, header: Header, template: str, body_starts: frozenset[int]) -> None:
    """表三's applicant columns whose header words were misread (under a seal, at low resolution): when the
    words read put their columns exactly where the template's order (自然人, five organisations, 小计 when
    one was read, 总计, ending at the last column) puts them, and only one such order fits, the columns
    between them are named by it too."""
    order = catalog().cols(template, "t3", "new")
    # Every column named already, counted by name: a 小计 column read and one misread make as many names as
    # the template has columns (scan draw 32019).
    if not header.paths or len(out.by_col) < MIN_APPLICANT_WORDS or set(order) <= set(out.by_col.values()):
        return
    # Two neighbouring grid columns under one header cell (the same path: a stray stroke drawn as a rule
    # down one column) are one column of the template; a header cell over more is a heading, not a split.
    paths = sorted(header.paths)
    runs: list[list[int]] = []
    previous: tuple[str, ...] | None = None
    for col, path in paths:
        if runs and tuple(path) == previous and col == runs[-1][-1] + 1:
            runs[-1].append(col)
        else:
            runs.append([col])
        previous = tuple(path)
    # Or two columns whose rule was lost in the header ('社会公益 法律服务' over both): both readings are
    # tried, and only an order that fits exactly one of them is taken.
    singles = [[col] for col, _ in paths]
    groups = [group for run in runs for group in ([run] if len(run) == 2 and run[0] not in out.unclear and len(
        {out.by_col[c] for c in run if c in out.by_col}) <= 1 else [[c] for c in run])]
    layouts = [singles] + ([groups] if len(groups) < len(singles) else [])
    # Or header columns that no cell of the rows below starts at: a seal's strokes read as rules in the header
    # alone (draw 32014: 其他 cut in three, the third named 小计 by count and its values read past).
    merged: list[list[int]] = []
    for col, _ in paths:
        if merged and body_starts and col not in body_starts:
            merged[-1].append(col)
        else:
            merged.append([col])
    if len(merged) < len(singles) and merged not in layouts:
        layouts.append(merged)
    # A 小计 only where one was read: by count alone it takes a column whose values it then reads past.
    orders = [order] + ([[*order[:SUBTOTAL_AT], "subtotal", *order[SUBTOTAL_AT:]]]
                        if "subtotal" in out.by_col.values() else [])
    fits: list[dict[int, str]] = []
    for layout in layouts:
        for columns in orders:
            if len(columns) > len(layout):
                continue
            placed = {col: code for group, code in zip(layout[-len(columns):], columns, strict=True) for col in group}
            if all(placed.get(c) == code for c, code in out.by_col.items()) and placed not in fits:
                fits.append(placed)
    # Fits that name no column two ways are one reading, the wider naming the seal's slivers too (draw 34036:
    # 自然人 cut in three in the header, one cell below; by its columns and by the rows' cells).
    union: dict[int, str] = {}
    for fit in fits:
        for col, code in fit.items():
            if union.setdefault(col, code) != code:
                return
    for col, code in union.items():
        out.by_col.setdefault(col, code)


def _blocks_over_too_many_columns(out: HeaderMap, template: str) -> None:
    """A 表四 block named over more columns than it has is a misread heading over two blocks (scan draw
    14011: '未经复议直诉议后起诉' over ten columns, 复议后起诉 garbled; all ten went to 未经复议直接起诉): what it
    named says nothing."""
    cat = catalog()
    over: dict[str, list[int]] = {}
    for col, key in out.by_col.items():
        if isinstance(key, tuple):
            over.setdefault(key[0], []).append(col)
    for block, cols in over.items():
        if len(cols) > len(cat.cols(template, "t4", block)):
            for col in cols:
                del out.by_col[col]


MIN_T4_WORDS = 6  # 表四 column words read that must agree with the template's order before the rest follow


def _t4_blocks_in_order(out: HeaderMap, header: Header, template: str) -> None:
    """表四's columns when its block words (行政复议 / 未经复议直接起诉 / 复议后起诉) were not read (under a seal,
    misread): when the header's last columns are exactly the template's cells (three blocks of 结果维持 …
    总计), the column words read all stand where that order puts them, and no column before them names one,
    each column is the template's cell at its place."""
    cat = catalog()
    order = [(row, col) for row in cat.rows(template, "t4") for col in cat.cols(template, "t4", row)]
    cols = sorted(c for c, _ in header.paths)
    if len(out.by_col) == len(order) or len(cols) < len(order):
        return
    # A header cell over two columns (a rule lost under a seal) names neither.
    spanned = header.spanned_columns()
    leaves = {c: match_col("t4", list(path), template) for c, path in header.paths
              if c not in spanned and c not in out.unclear}
    placed = dict(zip(cols[-len(order):], order, strict=True))
    read = {c: leaf for c, leaf in leaves.items() if leaf is not None}
    if len(read) < MIN_T4_WORDS or any(c not in placed or placed[c][1] != leaf for c, leaf in read.items()):
        return
    if any(placed.get(c) != code for c, code in out.by_col.items()):
        return
    out.by_col.update(placed)


def expected_targets(table: str, template: str, code: str | None) -> list[Target]:
    cat = catalog()
    if table == "t4":
        if code is not None:
            return [(code, col) for col in cat.cols(template, "t4", code)]
        return [(row, col) for row in cat.rows(template, "t4") for col in cat.cols(template, "t4", row)]
    if code is None:
        return []
    return [(code, col) for col in cat.cols(template, table, code)]


def by_header(values: list[RowCell], header: HeaderMap, expected: list[Target], partial: bool = False
              ) -> list[Target | None] | None:
    """Each value cell's target from the header above it (None for an empty slot under no header). A value
    under a header naming two columns, or spanning two, says nothing: None for the row, or with `partial`
    None for that cell alone (the rest of the row is read)."""
    keys: list[Target | None] = []
    rows = {r for r, _ in expected}
    for cell in values:
        key = header.lookup(cell)
        if key in SKIPPED_COLUMNS:
            keys.append(None)
            continue
        if key is None:
            if cell.text.strip() and not (partial and header.is_unclear(cell)):
                return None
            keys.append(None)  # an empty slot under no header (a sliver column): nothing is lost
            continue
        target: Target = key if isinstance(key, tuple) else (next(iter(rows)) if len(rows) == 1 else "", key)
        if target not in expected:
            return None
        keys.append(target)
    # One header over two grid columns (a stray stroke under a seal drawn as a rule through a column): the
    # empty one is a slot of nothing, the one with a value is the header's.
    for k, (cell, key) in enumerate(zip(values, keys, strict=True)):
        if key is not None and not cell.text.strip() and keys.count(key) > 1:
            keys[k] = None
    found = [k for k in keys if k is not None]
    return keys if found and len(set(found)) == len(found) else None


def by_position(values: list[RowCell], header: HeaderMap, expected: list[Target]) -> list[Target | None] | None:
    """Aligned text: each value goes under its header word; blanks have simply vanished. A value sits under
    the word whose centre is nearest when that is close, else in the span from that word's left edge to the
    next word's (header words printed flush left above centred numbers)."""
    if not header.anchors or len(expected) == 0:
        return None
    if len({r for r, _ in expected}) > 1:
        return _t4_by_position(values, header, expected)
    row = expected[0][0]
    wanted = {col for _, col in expected} | SKIPPED_COLUMNS
    anchors = sorted((a for a in header.anchors if a[2] in wanted), key=lambda a: a[0])
    if len({a[2] for a in anchors} - SKIPPED_COLUMNS) < len(wanted - SKIPPED_COLUMNS):
        return None
    centres = [((a[0] + a[1]) / 2, a[2]) for a in anchors]
    spacing = min((abs(a[0] - b[0]) for a in centres for b in centres if a[1] != b[1]), default=8.0)
    keys: list[Target | None] = []
    for cell in values:
        x = cell.x_center
        if x is None:
            return None
        best = min(centres, key=lambda a: abs(a[0] - x))
        col: str | None = best[1] if abs(best[0] - x) <= max(spacing * 0.75, 2.0) else None
        if col is None:
            inside = [a for a in anchors if a[0] - 2.0 <= x]
            col = inside[-1][2] if inside and x < inside[-1][1] + spacing * 2 else None
        if col is None:
            return None
        keys.append(None if col in SKIPPED_COLUMNS else (row, col))
    found = [k for k in keys if k is not None]
    return keys if len(set(found)) == len(found) else None


def under_nearest(values: list[RowCell], centres: list[float], targets: list[Target | None], reach: float
                  ) -> list[Target | None] | None:
    """Each value's target: that of the nearest column centre, if within `reach` of the columns' spacing;
    None when a value is off every column or two values land in one."""
    spacing = min((b - a for a, b in zip(centres, centres[1:], strict=False)), default=20.0)
    out: list[Target | None] = []
    for cell in values:
        x = cell.x_center
        if x is None:
            return None
        i = min(range(len(centres)), key=lambda k: abs(centres[k] - x))
        if abs(centres[i] - x) > spacing * reach:
            return None
        out.append(targets[i])
    found = [t for t in out if t is not None]
    return out if len(set(found)) == len(found) else None


def _t4_by_position(values: list[RowCell], header: HeaderMap, expected: list[Target]) -> list[Target | None] | None:
    """表四's row of 15: when the header shows exactly one word per column, the words in x order are the
    template's columns in order (three blocks of five); each value goes under the nearest."""
    parts = {c for _, c in expected}
    anchors = sorted((a for a in header.anchors if a[2] in parts), key=lambda a: a[0])
    if len(anchors) != len(expected) or [a[2] for a in anchors] != [c for _, c in expected]:
        return None
    return under_nearest(values, [(a[0] + a[1]) / 2 for a in anchors], list(expected), 0.75)


@dataclass(frozen=True)
class ColumnSettings:
    min_gap: float = 3.0  # points: value centres closer than this (or than one text height) are one column
    min_rows: int = 2  # rows whose values make a column model


def value_columns(rows: list[LabeledRow], settings: ColumnSettings = ColumnSettings()) -> list[float]:
    """Column centres from the x-alignment of the value tokens of many rows (unruled and partly ruled PDF
    tables, whose header words run together and whose blank cells vanished): centres closer than a text
    height are one column. Empty when too few rows say anything."""
    centres: list[float] = []
    heights: list[float] = []
    for row in rows:
        for cell in row.values:
            box = cell.provenance.bbox
            if cell.text.strip() and box is not None:
                centres.append((box.x0 + box.x1) / 2)
                heights.append(box.y1 - box.y0)
    if len(rows) < settings.min_rows or not centres:
        return []
    heights.sort()
    tol = max(settings.min_gap, heights[len(heights) // 2])
    groups: list[list[float]] = []
    for x in sorted(centres):
        if groups and x - groups[-1][-1] <= tol:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [sum(g) / len(g) for g in groups]


def by_columns(values: list[RowCell], columns: list[float], header: HeaderMap, expected: list[Target]
               ) -> list[Target | None] | None:
    """Each value under the nearest column of the value-alignment model, columns taken in template order.
    A column more than the template has is read past only where a 小计 header word stands over it (by x, never
    by count: a 小计 equals the sum it sits beside, so no identity could tell a shifted reading)."""
    extra = len(columns) - len(expected)
    skipped: set[int] = set()
    if extra:
        words = [(a[0] + a[1]) / 2 for a in header.anchors if a[2] in SKIPPED_COLUMNS]
        skipped = {min(range(len(columns)), key=lambda i: abs(columns[i] - x)) for x in words}
        if len(skipped) != extra:
            return None
    codes: list[Target | None] = []
    it = iter(expected)
    for i in range(len(columns)):
        codes.append(None if i in skipped else next(it))
    return under_nearest(values, columns, codes, 0.5)


def _filled_by_order(keys: list[Target | None], values: list[RowCell], expected: list[Target]
                     ) -> list[Target | None]:
    """A grid row placed by its header with a slot under a header cell that names nothing (a seal took
    '增' and '减' of 本年增/减: draw 36008, the cell missing): when the row has as many slots as columns (blank
    leading slots aside) and every slot the header placed is where the template's order puts it, the order
    places the rest."""
    lead = 0
    while len(values) - lead > len(expected) and not values[lead].text.strip():
        lead += 1
    if len(values) - lead != len(expected) or None not in keys[lead:]:
        return keys
    order: list[Target | None] = [None] * lead + list(expected)
    if any(key is not None and key != placed for key, placed in zip(keys, order, strict=True)):
        return keys
    return order


def place_values(row: LabeledRow, header: HeaderMap, expected: list[Target], columns: list[float] | None = None
                 ) -> tuple[str, list[Target | None] | None]:
    """(how, one target per value slot) or (how, None) when the slots cannot be placed with certainty.

    how: `header` (grid header above), `order` (as many slots as columns; empty slots beside them are the
    covered parts of merged cells), `padded` (delimited text that ends early: the missing cells are the
    last ones), `position` (aligned text under header words, or under the columns the values of the whole
    section line up in)."""
    values = list(row.values)
    if row.layout is Layout.GRID and header.by_col:
        keys = by_header(values, header, expected)
        if keys is not None:
            return "header", _filled_by_order(keys, values, expected)
    skipped = header.skipped_ordinals() if row.layout is not Layout.POSITIONAL else []
    # The 法人或其他组织 小计 sits after the five organisation columns; a header that puts it elsewhere (or a
    # misread header) is not trusted to say which value to read past.
    if skipped and skipped != [SUBTOTAL_AT]:
        return "none", None
    if skipped and len([v for v in values if v.text.strip()]) == len(expected) + len(skipped):
        # A 小计 column among the values: read past it by its place in the header's column order.
        nonblank = [v for v in values if v.text.strip()]
        keep = [v for i, v in enumerate(nonblank) if i not in skipped]
        if len(keep) == len(expected):
            return "order", [expected[keep.index(v)] if v in keep else None for v in values]
    lead = 0
    while len(values) - lead > len(expected) and not values[lead].text.strip():
        lead += 1
    tail = len(values)
    while tail - lead > len(expected) and not values[tail - 1].text.strip() and row.layout is not Layout.GRID:
        tail -= 1
    trimmed = values[lead:tail]
    # Aligned text under a header with a 小计 column: the count of values says nothing about which is which
    # (a blank may have vanished, the 小计 is there); only positions do.
    subtotal_above = row.layout is Layout.POSITIONAL and any(a[2] in SKIPPED_COLUMNS for a in header.anchors)
    if len(trimmed) == len(expected) and not subtotal_above:
        return "order", [None] * lead + list(expected) + [None] * (len(values) - tail)
    if row.layout is Layout.GRID and header.by_col:
        # A value over two columns (a rule lost between them) with too few slots to count: the rest of the
        # row is read, that value left out (its columns reported missing).
        keys = by_header(values, header, expected, partial=True)
        if keys is not None:
            return "header", list(keys)
    if row.layout is Layout.DELIMITED and len(trimmed) < len(expected):
        return "padded", [None] * (len(values) - len(trimmed)) + list(expected[: len(trimmed)])
    if row.layout is Layout.POSITIONAL:
        nonblank = [v for v in values if v.text.strip()]
        placed = by_position(nonblank, header, expected)
        if placed is not None and len(nonblank) == len(values):
            return "position", list(placed)
        placed = by_columns(nonblank, columns or [], header, expected)
        if placed is not None and len(nonblank) == len(values):
            return "position", list(placed)
    return "none", None
