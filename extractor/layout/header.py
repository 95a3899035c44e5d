"""Header rows: telling them from data rows, and reading the header path of every column from them."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, replace

from extractor.layout.letters import Word, is_group, letter_grids
from extractor.lexicon import (
    all_column_leaves,
    any_column_words,
    match_block,
    match_col,
    match_row,
    split_column_words,
    starts_with_enum,
)
from extractor.model import Header, Layout, LogicalRow, Table
from extractor.normalize import norm

# Words that only a 表三 / 表四 header prints: a row holding one is a header even when it also holds a word
# that names a data row (the seed's `(本列数据的勾稽关系…) | 申请人情况 | … | 总计`, read once as （七）总计).
# So is the rest of the note wrapped onto a line of its own ('三项加第四项之和)' with two header words misread as
# '—' and '7' beside it: fresh draw 41008, taken for a data row whose label went on over the column words).
HEADER_ONLY_WORDS = ("申请人情况", "法人或其他组织", "勾稽关系", "本列数据", "信息内容", "第二十条第", "项之和",
                     "项加第")


def header_only(texts: list[str]) -> bool:
    """Whether the texts hold a word only a header prints, in one text or read in pieces ('法人' | '或其他组织':
    a repeated header's line then named （七）总计 by its 总计, scan draw 39023)."""
    joined = norm("".join(texts))
    return any(word in joined for word in HEADER_ONLY_WORDS)


def is_header_row(table: str, texts: list[str], template: str) -> bool:
    """A row of header words rather than a row label (with blank values)."""
    if header_only(texts):
        return True
    # Header words are never numbered: '3.其他' is the row 其他 under （六）, not the applicant column 其他.
    col_hits = sum(1 for t in texts if not starts_with_enum(t) and match_col(table, [t], template))
    if table == "t4":
        return col_hits > 0 or any(match_block([t]) for t in texts)
    row_hits = sum(1 for t in texts if match_row(table, [t], None))
    return col_hits > row_hits


def header_from_rows(rows: list[LogicalRow]) -> Header:
    """The header path of every grid column (spanned header cells included) and the header words' x extents."""
    n_cols = max((c.col1 for row in rows for c in row.cells), default=0)
    paths: list[tuple[int, tuple[str, ...]]] = []
    for col in range(n_cols):
        path: list[str] = []
        for row in rows:
            for cell in row.cells:
                if cell.col0 <= col < cell.col1 and cell.text.strip() and (not path or path[-1] != cell.text):
                    path.append(cell.text)
        if path:
            paths.append((col, tuple(path)))
    grid = rows[0].table if rows and rows[0].layout is Layout.GRID else None
    return Header(tuple(paths), stacked_words(rows), tuple(row.index for row in rows),
                  grid.index if grid else -1, column_centres(grid) if grid else ())


def header_across(top: list[LogicalRow], rest: list[LogicalRow]) -> Header:
    """A header broken by the page between its header rows (browser draw 60055: 申请人情况 | 自然人 | 总计 at
    the foot of one page, 商业企业 … 小计 at the top of the next): one header on the second page's grid, the
    first page's header cells over the columns their x extent covers (the pages' grids differ: the first has
    no rules between the columns its rows span)."""
    below = header_from_rows(rest)
    words = stacked_words(top + rest)
    if below.table < 0:
        return replace(below, words=words, rows=tuple(r.index for r in top) + below.rows)
    above: dict[int, list[str]] = {}
    for row in top:
        for cell in row.cells:
            box = cell.provenance.bbox
            if box is None or not cell.text.strip():
                continue
            for col, x in enumerate(below.xs):
                if not math.isnan(x) and box.x0 <= x <= box.x1:
                    above.setdefault(col, []).append(cell.text)
    paths = dict(below.paths)
    merged = tuple((col, (*above.get(col, ()), *paths.get(col, ()))) for col in sorted(set(paths) | set(above)))
    return replace(below, paths=merged, words=words, rows=tuple(r.index for r in top) + below.rows)


def column_centres(table: Table) -> tuple[float, ...]:
    """x centre of each grid column, from the cells one column wide (nan where there is none)."""
    found: dict[int, list[float]] = {}
    for cell in table.cells:
        box = cell.provenance.bbox
        if cell.colspan == 1 and box is not None:
            found.setdefault(cell.col, []).append((box.x0 + box.x1) / 2)
    return tuple(statistics.median(found[c]) if c in found else math.nan for c in range(table.n_cols))


@dataclass(frozen=True)
class ContinuationSettings:
    max_shift: int = 2  # columns a continued grid may have gained or lost left of its values
    # The shifted header's columns must sit within this share of the continued grid's narrowest column.
    tolerance: float = 0.4
    # A continued page may stand this share of its narrowest column off the header's page, all columns alike.
    max_offset: float = 1.0


def header_on(header: Header, table: Table, settings: ContinuationSettings = ContinuationSettings()) -> Header:
    """The header of a table continued on another page without repeating it, re-indexed onto that page's
    grid: a sliver column from an offset rule (or one lost) on either page shifts the column numbers, and
    a value read under the wrong header number is silently wrong. The shift is the one that puts the
    header's columns over the continued grid's at the same x; the header as it was when none does."""
    if header.table < 0 or header.table == table.index or not header.xs:
        return header
    xs = column_centres(table)
    known = [x1 - x0 for x0, x1 in zip(xs, xs[1:], strict=False) if not math.isnan(x0) and not math.isnan(x1)]
    if not known:
        return header
    if _split_column(header):
        nearest = _by_nearest(header, xs, settings.tolerance * min(known), settings.max_offset * min(known))
        if nearest is not None:
            return replace(header, paths=nearest, table=table.index, xs=xs)
    best: list[tuple[float, int]] = []
    for shift in range(-settings.max_shift, settings.max_shift + 1):
        gaps = [abs(header.xs[c] - xs[c + shift]) for c, _ in header.paths
                if 0 <= c + shift < len(xs) and c < len(header.xs)
                and not math.isnan(header.xs[c]) and not math.isnan(xs[c + shift])]
        if gaps and len(gaps) >= len(header.paths) // 2:  # (a header of one column: one gap at least)
            best.append((statistics.median(gaps), shift))
    if not best:
        return header
    error, shift = min(best, key=lambda found: (found[0], abs(found[1])))  # no shift on a tie
    if shift == 0 or error > settings.tolerance * min(known):
        return header
    return replace(header, paths=tuple((c + shift, path) for c, path in header.paths if 0 <= c + shift < len(xs)),
                   table=table.index, xs=xs)


def _split_column(header: Header) -> bool:
    """Two neighbouring grid columns under one header cell: a stray stroke drawn as a rule down a column of
    the header's page (a seal), which the continued page does not have, so no one shift fits every column."""
    return bool(header.spanned_columns())


def _by_nearest(header: Header, xs: tuple[float, ...], reach: float, limit: float
                ) -> tuple[tuple[int, tuple[str, ...]], ...] | None:
    """Each header column on the continued grid's column nearest in x (within `reach`, once the pages' offset
    of at most `limit` is taken off); None when two different header paths land on one column."""
    placed: dict[int, tuple[str, ...]] = {}
    image: dict[int, int] = {}  # header column -> continued column
    offset = _page_offset(header, xs, limit)
    for c, path in header.paths:
        if c >= len(header.xs) or math.isnan(header.xs[c]):
            continue
        x = header.xs[c] + offset
        near = [(abs(x - centre), j) for j, centre in enumerate(xs) if not math.isnan(centre)]
        gap, j = min(near)
        if gap > reach:
            continue
        if placed.setdefault(j, path) != path:
            return None
        image[c] = j
    # A split column no cell has alone (nan: every cell spans both halves or only one half exists in a few
    # rows) lies between its neighbours: the one continued column between their images is its.
    paths = dict(header.paths)
    for c in sorted(paths):
        if c in image:
            continue
        left = max((k for k in image if k < c), default=None)
        right = min((k for k in image if k > c), default=None)
        if left is None or right is None or image[right] - image[left] != 2:
            continue
        if len({paths[k] for k in range(left + 1, right) if k in paths}) == 1:
            placed.setdefault(image[left] + 1, paths[c])
    return tuple(sorted(placed.items())) if placed else None


def _page_offset(header: Header, xs: tuple[float, ...], limit: float) -> float:
    """How far the continued page's columns stand from the header page's (a scan placed or photographed a
    little differently on each page; draw 24031: every column 10 points left, wider than the reach of the
    nearest column; 24034, a page turned upside down, 17 points on columns 33 wide): the offset within `limit`
    that brings the header's columns closest to the continued ones, on average over every column (columns
    of one width repeat: one column off fits all but an end column, and the label columns not at all)."""
    # (not the columns of one header cell split in two: label columns split differently on each page stood
    # further apart than a one-column shift of the rest, and every value went one column right: draw 60024)
    split = header.spanned_columns()
    mine = [x for c, x in enumerate(header.xs) if not math.isnan(x) and c not in split] or \
        [x for x in header.xs if not math.isnan(x)]
    theirs = [x for x in xs if not math.isnan(x)]
    if not mine or not theirs:
        return 0.0

    def spread(offset: float) -> float:
        return statistics.fmean(min(abs(x + offset - t) for t in theirs) for x in mine)

    offsets = [t - x for x in mine for t in theirs if abs(t - x) <= limit]
    return min(offsets, key=lambda offset: (spread(offset), abs(offset)), default=0.0)


def stacked_words(rows: list[LogicalRow]) -> tuple[tuple[float, float, str], ...]:
    """Positioned header words, each token's inner words apart; a word continued on the next header line
    below it (a narrow column wraps 结果维持 as 结果维 / 持) is joined to it by horizontal overlap."""
    cells = [_positioned(row) for row in rows]
    positioned = [bool(rows) and not row.table.method.startswith("text") for row in rows]
    cells = letter_grids(cells, positioned)
    boxes = [[(x0, x1) for parts, _ in row for _, x0, x1 in parts] for row in cells]
    lines: list[list[list[float | str]]] = []
    for i, row_cells in enumerate(cells):
        line: list[list[float | str]] = []
        for parts, whole in row_cells:
            # Two lines either way: stacks of neighbouring columns may start half a line apart.
            if _lone_letters(parts) and not _both_stacked(parts, boxes[max(i - 2, 0):i] + boxes[i + 1:i + 3]):
                parts = (whole,)  # a spread word ('总  计'), not stacks side by side
            line.extend([x0, x1, text] for text, x0, x1 in parts)
        # Text renderings place words by character count: a token there is words run together by design,
        # and cut by letters it would set up columns no value lines up with (corpus text_glued_2021).
        lines.append(_pieces_joined(_pieces_split(line) if positioned[i] else line))
    words: list[list[float | str]] = []
    # The lowest word so far at each place: stacks start on different lines (自/然/人 begins two lines
    # above 商/业/企/业), so the word above is not always on the line just above.
    lowest: list[list[float | str]] = []
    for line in lines:
        joined: list[list[float | str]] = []
        for word in line:
            x0, x1 = float(word[0]), float(word[1])
            centre = (x0 + x1) / 2
            # A continuation is no wider than the word above it, except one stacked character: glyph boxes
            # of single characters differ by more than a point ('然' under '自'); and boxes a recogniser
            # found on a blurred scan differ by up to half a letter (draw 36009: '益组织' 1.8 points wider
            # than '社会公' above it, 社会公益组织 never named and page 2 of 表三 not placed).
            above = [w for w in lowest if float(w[0]) - 1 <= centre <= float(w[1]) + 1
                     and (x1 - x0 < float(w[1]) - float(w[0]) + _slack(w) or len(str(word[2])) == 1)]
            if len(above) == 1 and not is_group(str(above[0][2])) and not _both_whole(above[0], word):
                above[0][2] = str(above[0][2]) + str(word[2])
                joined.append(above[0])
                continue
            under = _letters_under(word, lowest)
            if under:
                for letter, top in under:
                    top[2] = str(top[2]) + letter
                joined.extend(top for _, top in under)
                continue
            words.append(word)
            joined.append(word)
        lowest = [w for w in lowest if not any(w is j or _overlap(w, j) for j in joined)] + joined
    return tuple((float(w[0]), float(w[1]), str(w[2])) for w in words)


CONTINUATION_SLACK = 0.5  # letter widths of the word above a stacked continuation may exceed it by (at least 1 pt)


def _slack(word: list[float | str]) -> float:
    """How much wider than `word` a continuation below it may be read: box edges of blurred print move."""
    letters = max(len(str(word[2])), 1)
    return max(1.0, CONTINUATION_SLACK * (float(word[1]) - float(word[0])) / letters)


PIECE_GAP = 1.5  # letter widths: pieces of one header word read apart stand closer than this


def _pieces_joined(line: list[list[float | str]]) -> list[list[float | str]]:
    """Neighbouring words of a header line that together are a piece of a column label, read apart by a
    letter gap a little wide ('尚未' '审' of 尚未审 / 结, '总' '计': scan draw 31020, 表四 of an unruled page
    not placed, 20 words for 15 columns)."""
    out: list[list[float | str]] = []
    for word in sorted(line, key=lambda w: float(w[0])):
        if out:
            last = out[-1]
            text = str(last[2]) + str(word[2])
            letter = min((float(w[1]) - float(w[0])) / max(len(str(w[2])), 1) for w in (last, word))
            if float(word[0]) - float(last[1]) <= PIECE_GAP * letter and norm(text) in any_column_words():
                out[-1] = [last[0], max(float(last[1]), float(word[1])), text]
                continue
        out.append(list(word))
    return out


def _pieces_split(line: list[list[float | str]]) -> list[list[float | str]]:
    """Header words of neighbouring columns read as one token ('结果纠其他结' over 结果纠正 and 其他结果, draw
    32002: 表四 of an unruled page not placed) apart again, when they are made of pieces of header words in one
    way only; each at its share of the token's width by letters."""
    out: list[list[float | str]] = []
    for word in line:
        parts = split_column_words(norm(str(word[2])))
        if parts is None or "".join(parts) != str(word[2]):
            out.append(word)
            continue
        x0, width, letters = float(word[0]), float(word[1]) - float(word[0]), len(str(word[2]))
        done = 0
        for part in parts:
            out.append([x0 + width * done / letters, x0 + width * (done + len(part)) / letters, part])
            done += len(part)
    return out


def _letters_under(word: list[float | str], lowest: list[list[float | str]]
                   ) -> list[tuple[str, list[float | str]]]:
    """The letters of a word each below a different one of the words above it (the ends '正果' under '结果纠'
    and '其他结' read apart): each letter with its word, or [] when they are not so."""
    text, x0, x1 = str(word[2]), float(word[0]), float(word[1])
    if len(text) < 2:
        return []
    out: list[tuple[str, list[float | str]]] = []
    for k, letter in enumerate(text):
        centre = x0 + (x1 - x0) * (k + 0.5) / len(text)
        tops = [w for w in lowest if float(w[0]) - 1 <= centre <= float(w[1]) + 1 and not is_group(str(w[2]))]
        if len(tops) != 1 or any(top is tops[0] for _, top in out):
            return []
        out.append((letter, tops[0]))
    return out


def _positioned(row: LogicalRow) -> list[tuple[tuple[Word, ...], Word]]:
    """Each positioned cell of a row as (its words, the cell as one word): a token's inner words, or itself."""
    out: list[tuple[tuple[Word, ...], Word]] = []
    for cell in row.cells:
        box = cell.provenance.bbox
        if cell.text.strip() and box is not None:
            whole = (cell.text, box.x0, box.x1)
            out.append((cell.words or (whole,), whole))
    return out


def _lone_letters(parts: tuple[tuple[str, float, float], ...]) -> bool:
    return len(parts) >= 2 and all(len(text) == 1 for text, _, _ in parts)


def _both_stacked(parts: tuple[tuple[str, float, float], ...], lines: list[list[tuple[float, float]]]) -> bool:
    """Two characters a word gap apart in one token are two columns' stacked letters ('其' of 其他 beside
    '小' of 小计) when each has a letter of its own stack right above or below it."""
    near = [b for line in lines for b in line]

    def stacked(x0: float, x1: float) -> bool:
        return any(min(x1, b1) - max(x0, b0) > 0.5 * (x1 - x0) and b1 - b0 < 2.5 * (x1 - x0) for b0, b1 in near)

    return all(stacked(x0, x1) for _, x0, x1 in parts)


def _both_whole(above: list[float | str], word: list[float | str]) -> bool:
    """Two whole column words one over the other are two headers' words, not one word wrapped: 表二's blocks
    whose blank rows print nothing read as one header ('本年新制作数量' over '上一年项目数量' read as one word,
    so 本年增/减 named no column and two rows were lost: browser draw 62231)."""
    leaves = all_column_leaves()
    return norm(str(above[2])) in leaves and norm(str(word[2])) in leaves


def _overlap(a: list[float | str], b: list[float | str]) -> bool:
    return min(float(a[1]), float(b[1])) > max(float(a[0]), float(b[0]))
