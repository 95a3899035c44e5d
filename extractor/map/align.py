"""How a document's positioned values are set in their columns (flush left, centred, flush right), and the
column of a value set flush under header words centred over their columns."""

from __future__ import annotations

from extractor.map.header import Align
from extractor.model import LabeledRow, Layout, RowCell


def flush_column(cell: RowCell, centres: list[tuple[float, str]], align: Align) -> str | None:
    """The column of a value set flush left (right) in its column, under header words centred over theirs:
    the first word centre at or right of its left edge (left of its right edge). A wide column's value
    flush left stood nearer the centre of the narrower column before it (browser draw 61215: 行政事业性收费's
    '1' under 本年增/减, spanning two columns, read as 上一年项目数量's, silently)."""
    box = cell.provenance.bbox
    if box is None or align is Align.CENTRE:
        return None
    if align is Align.LEFT:
        right = [c for c in centres if c[0] >= box.x0 - FLUSH_SLACK]
        return min(right)[1] if right else None
    left = [c for c in centres if c[0] <= box.x1 + FLUSH_SLACK]
    return max(left)[1] if left else None


FLUSH_SLACK = 1.0  # points a header word's centre may stand past the edge its column's values are set flush to
ALIGN_GAP = 1.5  # points: value edges closer than this are one alignment line
ALIGN_SHARE = 0.7  # one edge's alignment lines at most this share of the others': the values are set flush to it


def value_alignment(tables: list[list[LabeledRow]]) -> Align:
    """How a document's positioned values are set in their columns, told from the tables that tell: flush
    left when their left edges fall on clearly fewer vertical lines than their centres and right edges (and
    no table tells otherwise), flush right likewise, else centred. One document sets its values alike in
    every table, and 表二 alone has too few to tell."""
    told = {found for found in (_alignment(rows) for rows in tables) if found is not None}
    return told.pop() if len(told) == 1 else Align.CENTRE


def _alignment(rows: list[LabeledRow]) -> Align | None:
    boxes = [v.provenance.bbox for row in rows if row.layout is Layout.POSITIONAL for v in row.values
             if v.text.strip() and v.provenance.bbox is not None]
    if len({round(b.x1 - b.x0) for b in boxes}) < 2:
        return None  # values of one width: every edge lines up alike

    def lines(xs: list[float]) -> int:
        xs = sorted(xs)
        return 1 + sum(b - a > ALIGN_GAP for a, b in zip(xs, xs[1:], strict=False))

    left = lines([b.x0 for b in boxes])
    centre = lines([(b.x0 + b.x1) / 2 for b in boxes])
    right = lines([b.x1 for b in boxes])
    for align, lines_at, others in ((Align.LEFT, left, (centre, right)), (Align.RIGHT, right, (centre, left)),
                                    (Align.CENTRE, centre, (left, right))):
        if lines_at <= ALIGN_SHARE * min(others):
            return align
    return None
