"""Row-level helpers of the mapper: where a row's labels end and its values begin, what it should hold."""

from __future__ import annotations

from extractor.cells import LogicalRow, RowCell
from extractor.codes import catalog
from extractor.map.columns import Target
from extractor.numbers import parse_value


def _is_value(cell: RowCell) -> bool:
    return not cell.text.strip() or parse_value(cell.text) is not None


def split_row(row: LogicalRow) -> tuple[list[RowCell], list[RowCell]]:
    """Label cells (carried group labels included) and the value slots that follow the last label."""
    cells = list(row.cells)
    start = len(cells)
    while start > 0 and not cells[start - 1].carried and _is_value(cells[start - 1]):
        start -= 1
    return [c for c in cells[:start] if c.text.strip()], cells[start:]


def leaf_column_text(cells: list[RowCell], leaf: RowCell, layout: str) -> str:
    """The text of a label-only row that lies in the column of `leaf` (or right of it)."""
    if layout == "positional":
        box = leaf.provenance.bbox
        picked = [c for c in cells if box is None or c.provenance.bbox is None
                  or c.provenance.bbox.x0 >= box.x0 - 0.6 * (box.y1 - box.y0)]
    else:
        picked = [c for c in cells if c.col0 >= leaf.col0]
    return "".join(c.text for c in picked)


def expected_targets(table: str, template: str, code: str | None) -> list[Target]:
    cat = catalog()
    if table == "t4":
        if code is not None:
            return [(code, col) for col in cat.cols(template, "t4", code)]
        return [(row, col) for row in cat.rows(template, "t4") for col in cat.cols(template, "t4", row)]
    if code is None:
        return []
    return [(code, col) for col in cat.cols(template, table, code)]


def next_row(table: str, template: str, previous: str | None) -> str | None:
    rows = catalog().rows(template, table)
    if previous is None:
        return rows[0] if rows else None
    if previous not in rows:
        return None
    i = rows.index(previous)
    return rows[i + 1] if i + 1 < len(rows) else None
