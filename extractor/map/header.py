"""A table's header as codes: which canonical column (and 表四 block) each grid column stands under, read
from its header path, or from the template's order where misread header words leave gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import Enum

from extractor.codes import catalog
from extractor.lexicon import cols_named, column_leaves, match_block, match_col
from extractor.model import Header, RowCell
from extractor.normalize import norm

Target = tuple[str, str]  # (row, col)
# Columns some reports add that are not canonical cells: their values are read past, never mapped.
SKIPPED_COLUMNS = frozenset({"subtotal"})
SUBTOTAL_AT = 6  # natural, five organisations, then 小计, then 总计


class Align(Enum):
    """How a table's values are set in their columns."""

    LEFT = "left"
    CENTRE = "centre"
    RIGHT = "right"


@dataclass
class HeaderMap:
    """A header block as codes: per grid column the canonical column (and 表四 block), and for aligned text
    the x centre of each header word that names a column."""

    by_col: dict[int, Target | str] = field(default_factory=dict)
    anchors: list[tuple[float, float, str]] = field(default_factory=list)  # (left x, right x, column)
    unread: list[tuple[float, float]] = field(default_factory=list)  # header words that name no column
    unclear: set[int] = field(default_factory=set)  # grid columns whose header names two columns
    unnamed: set[int] = field(default_factory=set)  # grid columns under a header cell that names none
    align: Align = Align.CENTRE  # how the values under it are set (positioned text)

    def skipped_ordinals(self) -> list[int]:
        """Positions, among the header's value columns in order, of the columns that are read past."""
        codes = [self.by_col[c] for c in sorted(self.by_col)]
        return [i for i, code in enumerate(codes) if code in SKIPPED_COLUMNS]

    def _codes_over(self, cell: RowCell) -> set[Target | str]:
        return {self.by_col[c] for c in range(cell.col0, cell.col1) if c in self.by_col}

    def _over_unnamed(self, cell: RowCell) -> bool:
        """A cell spanning columns, one of them under a header cell that names nothing (draw 36014: '0' and
        '-3' read as one cell '03' under 上一年项目数量 and a seal-garbled '七年增/': 3 went to 上一年项目数量)."""
        return cell.col1 - cell.col0 > 1 and any(c in self.unnamed for c in range(cell.col0, cell.col1))

    def lookup(self, cell: RowCell) -> Target | str | None:
        """The column of a value cell; None under no header, and under two different ones (a cell spanning
        two columns because a rule between them was lost: its value could be either's), or over a header
        cell that names nothing and another."""
        keys = self._codes_over(cell)
        return keys.pop() if len(keys) == 1 and not self._over_unnamed(cell) else None

    def is_unclear(self, cell: RowCell) -> bool:
        """A value cell under a header that names two columns, or spanning two columns' headers."""
        return any(c in self.unclear for c in range(cell.col0, cell.col1)) or len(self._codes_over(cell)) > 1 \
            or self._over_unnamed(cell) and bool(self._codes_over(cell))


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
    words = [piece for x0, x1, word in header.words for piece in _run_together(x0, x1, word, table, template)]
    codes = [match_col(table, [word], template) for _, _, word in words]
    for (x0, x1, word), code in zip(words, codes, strict=True):
        if code is not None:
            out.anchors.extend(_two_columns_in_one_word((x0, x1, code), word, table, template, set(codes)))
        else:
            out.unread.append((x0, x1))
    out.unnamed = {col for col, _ in header.paths if col not in out.by_col and col not in out.unclear}
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
    # A 小计 only where one was read, or one of its letters alone (its other under a seal: fresh scan draw
    # 42016, '小', every row of the page '8 value cells for 7 columns'): by count alone it takes a column whose
    # values it then reads past.
    read = "subtotal" in out.by_col.values() or any(norm(path[-1]) in ("小", "计") for _, path in header.paths)
    orders = [order] + ([[*order[:SUBTOTAL_AT], "subtotal", *order[SUBTOTAL_AT:]]] if read else [])
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


TWO_WORDS = 0.7  # a header word read like two neighbouring columns' names one after the other this closely ...


def _two_columns_in_one_word(anchor: tuple[float, float, str], word: str, table: str, template: str,
                             named: set[str | None]) -> list[tuple[float, float, str]]:
    """A 表三 header word that names its column and reads like that name and its neighbour's run together
    ('科研机门社会公m组织': the gap between two narrow columns' words lost at 150 dpi, fresh scan draw 39000, every
    value of the table lost), when no other word names the neighbour: both columns, the word split where
    their letters meet (`named`: the columns the header's words name). Else the anchor as it is."""
    x0, x1, code = anchor
    order = list(catalog().cols(template, "t3", "new")) if table == "t3" else []
    if code not in order or set(order) <= named:
        return [anchor]
    text = norm(word)
    i = order.index(code)
    for j in (i + 1, i - 1):
        if not 0 <= j < len(order) or order[j] in named:
            continue
        first, second = (_leaf_label(template, code), _leaf_label(template, order[j]))[::1 if j > i else -1]
        if len(text) < len(_leaf_label(template, code)) + 2 or SequenceMatcher(
                None, text, first + second).ratio() < TWO_WORDS:
            continue
        cut = x0 + (x1 - x0) * len(first) / (len(first) + len(second))
        left, right = (code, order[j]) if j > i else (order[j], code)
        return [(x0, cut, left), (cut, x1, right)]
    return [anchor]


def _run_together(x0: float, x1: float, word: str, table: str, template: str) -> list[tuple[float, float, str]]:
    """A header word that names no column but is several columns' own words run together, letters evenly
    spaced ('结果维持结果纠正其他结果…' over all fifteen columns of an unruled 表四 set without padding: browser
    draw 51024): the words, each over its share of the width. Else the word as it is."""
    text = norm(word)
    if len(text) < 4 or match_col(table, [word], template) is not None:
        return [(x0, x1, word)]
    vocabulary = column_leaves(template, table)
    pieces: list[str] = []
    at = 0
    while at < len(text):  # longest word first: '其他结果' before '其他'
        found = next((w for w in vocabulary if text.startswith(w, at)), None)
        if found is None:
            return [(x0, x1, word)]
        pieces.append(found)
        at += len(found)
    if len(pieces) < 2:
        return [(x0, x1, word)]
    step = (x1 - x0) / len(text)
    out, start = [], 0
    for piece in pieces:
        out.append((x0 + step * start, x0 + step * (start + len(piece)), piece))
        start += len(piece)
    return out


def _leaf_label(template: str, col: str) -> str:
    """A 表三 applicant column's own header word ('科研机构' of 法人或其他组织/科研机构)."""
    spec = catalog().get(template, "t3", "new", col)
    return norm(spec.col_label.split("/")[-1]) if spec is not None else col
