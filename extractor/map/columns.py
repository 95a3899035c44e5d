"""Which canonical column each value cell of a row belongs to.

Evidence in order of strength: the header path above the cell's grid column, the count of value slots
against the template's column order, the x position under aligned header words.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.codes import catalog
from extractor.identities import T3_APPLICANTS
from extractor.map.align import flush_column
from extractor.map.header import SKIPPED_COLUMNS, SUBTOTAL_AT, HeaderMap, Target
from extractor.map.nearest import Placed, nearest, unique
from extractor.map.t4_columns import MAX_UNREAD_WORDS, WORD_SPACING, t4_by_position
from extractor.model import LabeledRow, Layout, RowCell


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
    if len({r for r, _ in expected}) > 1:
        return t4_by_position(values, header, expected)
    return unique(_under_words(values, header, expected))


def _under_words(values: list[RowCell], header: HeaderMap, expected: list[Target]) -> Placed | None:
    if not header.anchors or len(expected) == 0 or len({r for r, _ in expected}) > 1:
        return None
    row = expected[0][0]
    anchors = sorted(_row_anchors(header, expected), key=lambda a: a[0])
    if len({a[2] for a in anchors} - SKIPPED_COLUMNS) < len({col for _, col in expected} - SKIPPED_COLUMNS):
        filled = _misread_in_order(anchors, header.unread, [col for _, col in expected])
        if filled is None:
            return None
        anchors = filled
    centres = [((a[0] + a[1]) / 2, a[2]) for a in anchors]
    spacing = min((abs(a[0] - b[0]) for a in centres for b in centres if a[1] != b[1]), default=8.0)
    keys: list[Target | None] = []
    off: list[float] = []
    for cell in values:
        x = cell.x_center
        if x is None:
            return None
        best = min(centres, key=lambda a: abs(a[0] - x))
        col: str | None = best[1] if abs(best[0] - x) <= max(spacing * 0.75, 2.0) else None
        over = _words_over(cell, anchors)
        if len(over) == 1:
            # Under one header word's letters and no other's: its column, whichever centre is nearer (a
            # number set flush right under a word ending just left of a narrow neighbour's: browser draw
            # 51024 put legal's '0' under 其他, silently).
            col = over[0]
        elif (flush := flush_column(cell, centres, header.align)) is not None:
            col = flush
        if col is None:
            inside = [a for a in anchors if a[0] - 2.0 <= x]
            col = inside[-1][2] if inside and x < inside[-1][1] + spacing * 2 else None
        if col is None:
            return None
        keys.append(None if col in SKIPPED_COLUMNS else (row, col))
        off.append(abs(best[0] - x))
    return keys, off


def _row_anchors(header: HeaderMap, expected: list[Target]) -> list[tuple[float, float, str]]:
    """The header words naming the row's own columns (or a 小计 read past): a header block read with the block
    above it, whose blank rows print nothing, stands over the same x (browser draw 60085)."""
    wanted = {col for _, col in expected} | SKIPPED_COLUMNS
    return [a for a in header.anchors if a[2] in wanted]


def _words_over(cell: RowCell, anchors: list[tuple[float, float, str]]) -> list[str]:
    """The columns whose header word a value's box overlaps in x by more than a hair (a digit flush right in
    a column as narrow as a letter reaches half a point into the next column's word: browser draw 62142)."""
    box = cell.provenance.bbox
    if box is None:
        return []
    hair = HAIR * (box.x1 - box.x0) / max(len(cell.text.strip()), 1)
    return [a[2] for a in anchors if min(a[1], box.x1) - max(a[0], box.x0) > hair]


HAIR = 0.2  # share of a digit's width: a value's box reaching this little into a header word is not under it


MAX_CONTESTED = 1  # columns of a row where two recognised tokens landed, the nearer kept unsurely


def contested(placed: Placed | None) -> tuple[list[Target | None], dict[int, list[int]]] | None:
    """Where two tokens of a recognised row land in one column (a seal's remains read '4' beside a '51':
    fresh scan draw 39025, the row's seven cells lost), the one nearer the column's centre is its value and
    the other its rival reading: (targets with the rivals left out, the kept value's index -> rivals)."""
    if placed is None:
        return None
    keys, off = placed
    out = list(keys)
    rivals: dict[int, list[int]] = {}
    for target in {k for k in keys if k is not None and keys.count(k) > 1}:
        order = sorted((i for i, k in enumerate(keys) if k == target), key=lambda i: off[i])
        rivals[order[0]] = order[1:]
        for i in order[1:]:
            out[i] = None
    return (out, rivals) if 0 < len(rivals) <= MAX_CONTESTED else None


def _misread_in_order(anchors: list[tuple[float, float, str]], unread: list[tuple[float, float]],
                      names: list[str]) -> list[tuple[float, float, str]] | None:
    """The header words of every column when one or two were misread (draw 38006: '自然大', '注会公益组织'
    under a seal; every 表三 value of an unruled page lost): the words read name the template's columns in
    its order, one column's spacing apart, and a word that names nothing stands, alone, where the spacing
    puts each missing column (at an end too); it is that column's word."""
    if len(anchors) < len(names) - MAX_UNREAD_WORDS or [a[2] for a in anchors] != [n for n in names if n in {
            a[2] for a in anchors}] or len({a[2] for a in anchors}) != len(anchors):
        return None
    centre = {a[2]: (a[0] + a[1]) / 2 for a in anchors}
    known = [(i, centre[n]) for i, n in enumerate(names) if n in centre]
    steps = [(xb - xa) / (ib - ia) for (ia, xa), (ib, xb) in zip(known, known[1:], strict=False)]
    if len(steps) < 2:
        return _one_misread_beside(anchors, unread, names)
    step = sorted(steps)[len(steps) // 2]
    if step <= 0 or any(abs(s - step) > WORD_SPACING * step for s in steps):
        return None
    out = list(anchors)
    first, x_first = known[0]
    for i, name in enumerate(names):
        if name in centre:
            continue
        x = x_first + (i - first) * step
        near = [w for w in unread if abs((w[0] + w[1]) / 2 - x) <= WORD_SPACING * step and w[1] - w[0] <= step]
        if len(near) != 1:
            return None
        out.append((near[0][0], near[0][1], name))
    return sorted(out, key=lambda a: a[0])


def _one_misread_beside(anchors: list[tuple[float, float, str]], unread: list[tuple[float, float]],
                        names: list[str]) -> list[tuple[float, float, str]] | None:
    """A header of two or three columns with one word misread (fresh scan draw 41021: '本三减' for 本年增/减 beside
    上一年项目数量, its value lost): too few words for a spacing, but the one word that names nothing between
    the words beside the missing column's place (or past the last) is its word. None when there are several
    (a label's words stand before the first column)."""
    missing = [i for i, n in enumerate(names) if n not in {a[2] for a in anchors}]
    if len(names) > 3 or len(missing) != 1:
        return None
    i = missing[0]
    left = max((a[1] for a in anchors if names.index(a[2]) < i), default=float("-inf"))
    right = min((a[0] for a in anchors if names.index(a[2]) > i), default=float("inf"))
    between = [w for w in unread if left <= w[0] and w[1] <= right]
    if len(between) != 1:
        return None
    return sorted([*anchors, (between[0][0], between[0][1], names[i])], key=lambda a: a[0])


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
    return unique(_under_columns(values, columns, header, expected))


def _under_columns(values: list[RowCell], columns: list[float], header: HeaderMap, expected: list[Target]
                   ) -> Placed | None:
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
    return nearest(values, columns, codes, 0.5)


def place_contested(row: LabeledRow, header: HeaderMap, expected: list[Target], columns: list[float] | None = None
                    ) -> tuple[list[Target | None], dict[int, list[int]]] | None:
    """A recognised row of an unruled page that `place_values` could not place because two of its tokens
    land in one column: placed with the nearer token kept (see `contested`)."""
    values = list(row.values)
    if row.layout is not Layout.POSITIONAL or not row.method.startswith("ocr") or \
            not all(v.text.strip() for v in values):
        return None
    return contested(_under_words(values, header, expected)) or contested(
        _under_columns(values, columns or [], header, expected))


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
        anchors = _row_anchors(header, expected)
        if any(len(_words_over(v, anchors)) > 1 for v in nonblank):
            # A token under two columns' words is several values run together ('57187234' under 其他, 小计
            # and 总计: browser draw 60157, read past as the 小计 and both cells left blank, silently;
            # glued text's '021364000400000' placed whole in 表四's first cell).
            return "none", None
        placed = by_position(nonblank, header, expected)
        if placed is not None and len(nonblank) == len(values):
            return "position", list(placed)
        placed = by_columns(nonblank, columns or [], header, expected)
        if placed is not None and len(nonblank) == len(values):
            return "position", list(placed)
    return "none", None


def glued_token(row: LabeledRow, header: HeaderMap, expected: list[Target]
                ) -> tuple[int, list[Target], bool] | None:
    """A born-digital row's one digit token under the header words of neighbouring columns: values of narrow
    columns set flush without padding touch ('0' '118' of 其他 and 总计 read '0118': browser draw 60049).
    (its index among the row's values, the columns it covers, whether a 小计 is among them: its digits are
    no cell's, see without_subtotal), for the identities to split; None otherwise."""
    if row.layout is not Layout.POSITIONAL or not row.method.startswith("pdf") or len({r for r, _ in expected}) != 1:
        return None
    anchors = _row_anchors(header, expected)
    glued = [(i, over) for i, over in ((i, _words_over(v, anchors)) for i, v in enumerate(row.values)
                                       if v.text.strip()) if len(over) > 1]
    if len(glued) != 1:
        return None
    index, over = glued[0]
    digits = row.values[index].text.strip()
    order = [col for _, col in expected]
    named = [col for col in over if col not in SKIPPED_COLUMNS]
    subtotal = len(named) != len(over)
    if not digits.isdigit() or not named or len(set(over)) != len(over) or len(digits) < len(over):
        return None
    at = sorted(order.index(col) for col in named)
    if at != list(range(at[0], at[0] + len(at))):
        return None
    return index, [expected[k] for k in at], subtotal


ORGANISATIONS = T3_APPLICANTS[1:]  # the columns 小计 adds up: the applicants after 自然人
BLANK_TEXTS = frozenset({"", "-", "—", "–", "－", "/", "／"})


def without_subtotal(digits: str, covered: list[Target], values: list[RowCell], targets: list[Target | None]
                     ) -> tuple[str, ...] | None:
    """A digit run over 小计 and its neighbours as the pieces of its cells' columns (`covered`, in order), less
    the 小计's digits: the sum of the five organisation columns, 其他 among them when the run holds it ('84122'
    of 小计 and 总计 after 0 48 17 0 19 0: '122'; '57187234' of 其他, 小计, 总计: '57' and '234'; browser draws
    62184, 60157). None when an organisation is unreadable or not exactly one reading fits."""
    placed = {t[1]: v.text.strip() for v, t in zip(values, targets, strict=True) if t is not None}
    cols = [col for _, col in covered]
    known = 0
    for col in ORGANISATIONS:
        if col in cols:
            continue
        text = placed.get(col, "")
        if text.isdigit():
            known += int(text)
        elif text not in BLANK_TEXTS:
            return None
    before = [col for col in cols if col in ORGANISATIONS]  # (其他, right before 小计)
    after = [col for col in cols if col not in ORGANISATIONS]  # (总计, right after it)
    if len(before) > 1 or len(after) > 1 or (before and cols[0] != before[0]):
        return None
    found: list[tuple[str, ...]] = []
    for k in range(1, len(digits)) if before else (0,):
        head = digits[:k]
        if head[:1] == "0" and len(head) > 1:
            continue
        part = str(known + (int(head) if head else 0))
        rest = digits[k + len(part):]
        if digits[k:].startswith(part) and bool(rest) == bool(after) and not (rest[:1] == "0" and len(rest) > 1):
            found.append(tuple(piece for piece in (head, rest) if piece))
    return found[0] if len(found) == 1 else None
