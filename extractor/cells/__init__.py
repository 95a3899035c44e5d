"""Grid rows as the mapper reads them: each row's distinct cells in column order, spans made explicit.

A merged group label (rowspan) appears in every row it covers, marked `carried`, so a row always sees
its full label path; it is still one source cell. Text lines that glue a label and its numbers together
are split here into the label and one digit run, which the mapper resolves with the identities.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.detect import Region
from extractor.model import BBox, Cell, Layout, LogicalRow, RowCell, Table
from extractor.numbers import parse_value

# A label, then a run of digits (and blank markers) with no separators, at the end of a text line.
_GLUED = re.compile(r"^(?P<label>.*[^\d\s,.+\-])(?P<digits>\d+(?:\.\d+)?)$")
UNIT_WORDS = ("万元", "亿元", "元")  # printed apart from the amount they qualify ('443.93  万元')


def layout_of(table: Table) -> Layout:
    if table.method in ("text-tab", "text-pipe"):
        return Layout.DELIMITED
    if table.method.startswith(("text", "pdf-text", "ocr-text")):
        return Layout.POSITIONAL
    return Layout.GRID


def _occupancy(table: Table) -> list[list[Cell | None]]:
    grid: list[list[Cell | None]] = [[None] * table.n_cols for _ in range(table.n_rows)]
    for cell in table.cells:
        for r in range(cell.row, min(cell.row_end, table.n_rows)):
            for c in range(cell.col, min(cell.col_end, table.n_cols)):
                grid[r][c] = cell
    return grid


def _row_cell(cell: Cell, row: int) -> RowCell:
    """The cell as row `row` sees it; OCR confidence and alternative readings travel with it."""
    return RowCell(cell.text, cell.col, cell.col_end, cell.provenance, carried=cell.row < row,
                   confidence=cell.confidence, alternatives=cell.alternatives, words=cell.words)


def _split_glued(cell: RowCell) -> list[RowCell]:
    """'（七）总计5000005' -> label cell + digit-run cell; the mapper decides how the run splits."""
    m = _GLUED.match(cell.text.strip())
    if not m:
        return [cell]
    return [replace(cell, text=m["label"], alternatives=()), replace(cell, text=m["digits"], alternatives=())]


def _attach_units(cells: list[RowCell]) -> list[RowCell]:
    """A currency word set apart after a number is part of that value, not a label after the values."""
    out: list[RowCell] = []
    for cell in cells:
        previous = out[-1] if out else None
        if previous is not None and cell.text.strip() in UNIT_WORDS and parse_value(previous.text) is not None:
            a, b = previous.provenance.bbox, cell.provenance.bbox
            box = a.union(b) if a is not None and b is not None else a
            out[-1] = replace(previous, text=previous.text.strip() + cell.text.strip(), col1=cell.col1,
                              provenance=replace(previous.provenance, bbox=box), words=())
            continue
        out.append(cell)
    return out


def _split_spaced_values(cells: list[RowCell]) -> list[RowCell]:
    """Two values of adjacent narrow columns drawn closer than the token gap are one token ('82 108'), yet a
    word gap apart: each becomes its own cell at its own x (a space inside one number is never that wide)."""
    out: list[RowCell] = []
    for cell in cells:
        parts = cell.text.split()
        box = cell.provenance.bbox
        if (len(parts) > 1 and box is not None and len(cell.words) == len(parts)
                and all(parse_value(p) is not None for p in parts)
                and [w[0] for w in cell.words] == parts):
            out.extend(replace(cell, text=text, words=(), provenance=replace(
                cell.provenance, bbox=BBox(x0, box.y0, x1, box.y1, box.origin))) for text, x0, x1 in cell.words)
            continue
        out.append(cell)
    return out


WRAP_GAP = 1.0  # a number's wrapped digits sit closer under it than its digits are tall


def _wrapped_digits(row: list[RowCell], above: list[RowCell]) -> dict[int, RowCell] | None:
    """A line of bare digits, each right under a value of the line above and closer than a row's spacing:
    the ends of numbers wrapped in narrow columns ('11' over '3' is 113). Maps the upper cells' places to
    their continuations; None when the line is anything else."""
    joins: dict[int, RowCell] = {}
    if len(row) >= len(above):
        return None
    for cell in row:
        box = cell.provenance.bbox
        if box is None or not cell.text.strip().isdigit():
            return None
        for i, upper in enumerate(above):
            ub = upper.provenance.bbox
            if ub is None or parse_value(upper.text) is None or not upper.text.strip()[-1:].isdigit():
                continue
            overlap = min(box.x1, ub.x1) - max(box.x0, ub.x0)
            if overlap > 0.5 * (box.x1 - box.x0) and 0 <= box.y0 - ub.y1 < WRAP_GAP * (ub.y1 - ub.y0):
                joins[i] = cell
                break
        else:
            return None
    return joins


def _join_wrapped(rows: list[LogicalRow]) -> list[LogicalRow]:
    out: list[LogicalRow] = []
    for row in rows:
        joins = _wrapped_digits(list(row.cells), list(out[-1].cells)) if out and row.cells else None
        if not joins:
            out.append(row)
            continue
        cells = list(out[-1].cells)
        for i, lower in joins.items():
            a, b = cells[i].provenance.bbox, lower.provenance.bbox
            assert a is not None and b is not None
            box = a.union(b)
            cells[i] = replace(cells[i], text=cells[i].text.strip() + lower.text.strip(),
                               provenance=replace(cells[i].provenance, bbox=box))
        out[-1] = replace(out[-1], cells=tuple(cells))
    return out


def region_rows(region: Region) -> list[LogicalRow]:
    table = region.table
    layout = layout_of(table)
    rows: list[LogicalRow] = []
    if layout is Layout.GRID:
        grid = _occupancy(table)
        for r in range(region.row_start, region.row_end):
            seen: set[int] = set()
            cells: list[RowCell] = []
            for c in range(table.n_cols):
                cell = grid[r][c]
                if cell is None or id(cell) in seen:
                    continue
                seen.add(id(cell))
                cells.append(_row_cell(cell, r))
            rows.append(LogicalRow(tuple(cells), r, table, layout))
        return rows
    by_row: dict[int, list[Cell]] = {}
    for cell in table.cells:
        if region.row_start <= cell.row < region.row_end:
            by_row.setdefault(cell.row, []).append(cell)
    for r in range(region.row_start, region.row_end):
        ordered = sorted(by_row.get(r, []), key=lambda c: c.col)
        cells = [_row_cell(c, r) for c in ordered]
        if layout is Layout.POSITIONAL and cells:
            cells = _attach_units(_split_spaced_values(cells[:-1] + _split_glued(cells[-1])))
        rows.append(LogicalRow(tuple(cells), r, table, layout))
    return _join_wrapped(rows) if layout is Layout.POSITIONAL else rows
