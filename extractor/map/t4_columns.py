"""表四's row of fifteen values of an unruled table under its header words: the words in the template's
order give the columns' centres, a word or two misread standing midway between its neighbours."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from extractor.map.align import flush_column
from extractor.map.header import Align, HeaderMap, Target
from extractor.map.nearest import off_centre, under_nearest
from extractor.model import RowCell


def t4_by_position(values: list[RowCell], header: HeaderMap, expected: list[Target]) -> list[Target | None] | None:
    """表四's row of 15: when the header shows exactly one word per column, the words in x order are the
    template's columns in order (three blocks of five); each value goes under the nearest."""
    parts = {c for _, c in expected}
    anchors = sorted((a for a in header.anchors if a[2] in parts), key=lambda a: a[0])
    centres = _centres_in_order([((a[0] + a[1]) / 2, a[2]) for a in anchors], [c for _, c in expected])
    if centres is None:
        return None
    # A column wider than the rest under a word as wide (表四's first column, its value set flush left under
    # '结果维持': browser draw 60098) holds its value anywhere under the word.
    spacing = min((b - a for a, b in zip(centres, centres[1:], strict=False)), default=20.0)
    widths = {round((a[0] + a[1]) / 2, 3): a[1] - a[0] for a in anchors}
    slack = [(width - spacing) / 2 if width > WIDE_COLUMN * spacing else 0.0
             for width in (widths.get(round(c, 3), 0.0) for c in centres)]
    values = [_first_column(v, anchors[0], centres[0]) for v in values] if anchors else values
    return _flush(values, centres, list(expected), header.align) or under_nearest(
        values, centres, list(expected), 0.75, slack) or _in_order(values, centres, list(expected), slack)


def _flush(values: list[RowCell], centres: list[float], targets: list[Target], align: Align
           ) -> list[Target | None] | None:
    """Values the document sets flush right (left) under centred words: each under the last word centre left
    of its right edge (the first right of its left edge). Nearest, a value flush right in a wide column stood
    nearer the next column's centre, and with blanks printing nothing nothing else was left to tell (browser
    draw 62291: 表四 lost)."""
    if align is Align.CENTRE:
        return None
    named = [(centre, str(k)) for k, centre in enumerate(centres)]
    out: list[Target | None] = []
    for value in values:
        column = flush_column(value, named, align)
        if column is None:
            return None
        out.append(targets[int(column)])
    return out if len(set(out)) == len(out) else None


def _first_column(value: RowCell, word: tuple[float, float, str], centre: float) -> RowCell:
    """表四 has no label column: a value ending left of its first column's word is that column's, however far
    (a wide first column's value set flush left like a label: browser draw 62236, 表四 lost). Such a value is
    taken as standing at the column's centre."""
    box = value.provenance.bbox
    if box is None or box.x1 >= word[0]:
        return value
    half = (box.x1 - box.x0) / 2
    moved = replace(box, x0=centre - half, x1=centre + half)
    return replace(value, provenance=replace(value.provenance, bbox=moved))


WIDE_COLUMN = 1.5  # a column word this many spacings wide stands over a wider column than the others
MAX_VANISHED = 3  # blanks that printed nothing in one 表四 row, for the in-order placement to try
ORDER_MARGIN = 0.3  # share of the column spacing by which the best in-order placement must beat the next


def _in_order(values: list[RowCell], centres: list[float], targets: list[Target], slack: list[float] | None = None
              ) -> list[Target | None] | None:
    """Values in x order under columns in x order, a few blanks vanished: the placement with the least total
    distance, when it beats every other by ORDER_MARGIN of a spacing and keeps each value within reach.
    Values set flush right under centred header words stand nearer the next column's centre than their own
    ('0' under 尚未审结 nearer 总计, whose '4' was there too: browser draw 51024, 表四 lost)."""
    xs = [v.x_center for v in values]
    vanished = len(centres) - len(values)
    if not 0 < vanished <= MAX_VANISHED or any(x is None for x in xs) or len(centres) < 2:
        return None
    spacing = min(b - a for a, b in zip(centres, centres[1:], strict=False))
    wide = slack or [0.0] * len(centres)
    costs: list[tuple[float, tuple[int, ...]]] = []
    for kept in combinations(range(len(centres)), len(values)):
        gaps = [off_centre(x, centres[k], wide[k]) for k, x in zip(kept, xs, strict=True)]  # type: ignore[arg-type]
        if max(gaps) <= 0.75 * spacing:
            costs.append((sum(gaps), kept))
    costs.sort()
    if not costs or (len(costs) > 1 and costs[1][0] - costs[0][0] < ORDER_MARGIN * spacing):
        return None
    return [targets[k] for k in costs[0][1]]


MAX_UNREAD_WORDS = 2  # 表四 column words misread that the others' places may stand for
WORD_SPACING = 0.35  # ... where the columns either side stand this share of a column's width off the spacing


def _centres_in_order(words: list[tuple[float, str]], names: list[str]) -> list[float] | None:
    """Each column's x centre from the header words naming them in the template's order; a word or two
    misread (scan draw 34020: '尚未章' for 尚未审 under a seal, 表四 not placed) stands midway between the
    words beside it, when those stand two (three) columns' spacing apart."""
    if [name for _, name in words] == names:
        return [x for x, _ in words]
    if len(words) < len(names) - MAX_UNREAD_WORDS or len(words) > len(names):
        return None
    placed: list[float | None] = []
    k = 0
    for name in names:
        if k < len(words) and words[k][1] == name:
            placed.append(words[k][0])
            k += 1
        else:
            placed.append(None)
    if k != len(words) or placed[0] is None or placed[-1] is None:
        return None
    known = [(i, x) for i, x in enumerate(placed) if x is not None]
    steps = [(xb - xa) / (ib - ia) for (ia, xa), (ib, xb) in zip(known, known[1:], strict=False) if ib - ia == 1]
    if not steps:
        return None
    step = sorted(steps)[len(steps) // 2]
    out: list[float] = []
    for (ia, xa), (ib, xb) in zip(known, known[1:], strict=False):
        if abs((xb - xa) / (ib - ia) - step) > WORD_SPACING * step:
            return None
        out.extend(xa + (xb - xa) * j / (ib - ia) for j in range(ib - ia))
    return [*out, known[-1][1]]
