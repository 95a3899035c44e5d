"""Placing declared cells (HTML td / Word tc) on a grid with explicit, clamped spans."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.errors import InputTooLarge
from extractor.model import Cell, Provenance, Table

MAX_SPAN = 64  # no template table is wider or taller; larger spans are malformed


@dataclass
class DeclaredCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    provenance: Provenance = Provenance()
    col: int | None = None  # explicit grid column (Word), else the next free slot (HTML)


def _span(value: int) -> int:
    return max(1, min(value, MAX_SPAN))


def place_cells(rows: list[list[DeclaredCell]], method: str, index: int, max_cells: int) -> Table:
    """The HTML table model: each cell takes the next free slot; spans that overrun the table are clamped."""
    n_rows = len(rows)
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    n_cols = 0
    for r, row in enumerate(rows):
        c = 0
        for decl in row:
            if decl.col is not None:
                c = max(c, decl.col)
            while (r, c) in taken:
                c += 1
            rowspan = min(_span(decl.rowspan), n_rows - r)
            colspan = _span(decl.colspan)
            # A span may not cover a slot an earlier cell already holds: shrink it to the free run.
            width = 0
            while width < colspan and (r, c + width) not in taken:
                width += 1
            colspan = max(width, 1)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            if len(taken) > max_cells:
                raise InputTooLarge(f"table {index} has more than {max_cells} cells")
            cells.append(Cell(r, c, decl.text, rowspan, colspan, decl.provenance))
            c += colspan
            n_cols = max(n_cols, c)
    return Table(cells=tuple(cells), n_rows=n_rows, n_cols=n_cols, method=method, index=index)
