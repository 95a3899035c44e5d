"""Spreadsheets (.xlsx / .xls / .ods) through python-calamine: every sheet as a grid, merged ranges as spans.

Cell values come typed (71.0 for 71): whole floats are written as integers, other numbers as calamine
gives them, so a value cell reads as the number the sheet holds.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from extractor.errors import CorruptInput, InputTooLarge
from extractor.model import Block, Cell, Paragraph, Provenance, SourceDoc, Table
from extractor.settings import Settings
from extractor.sources.base import RawInput

_log = logging.getLogger(__name__)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(value)


def _sheet_table(sheet: Any, index: int, settings: Settings) -> Table | None:
    rows = sheet.to_python(skip_empty_area=False)
    if len(rows) > settings.max_table_rows:
        raise InputTooLarge(f"sheet {sheet.name!r} has {len(rows)} rows, over the {settings.max_table_rows} limit")
    n_cols = max((len(r) for r in rows), default=0)
    if len(rows) * n_cols > settings.max_table_cells:
        raise InputTooLarge(f"sheet {sheet.name!r} has more than {settings.max_table_cells} cells")
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            rowspan, colspan = min(rowspan, len(rows) - r), min(colspan, n_cols - c)
            path = f"sheet[{sheet.name}]/r{r + 1}c{c + 1}"
            cells.append(Cell(r, c, _text(value), rowspan, colspan, Provenance(path=path)))
    if not any(cell.text for cell in cells):
        return None
    return Table(tuple(cells), len(rows), n_cols, "sheet", index=index)


def load_sheet(raw: RawInput, settings: Settings) -> SourceDoc:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw.data))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise CorruptInput(f"unreadable spreadsheet: {type(exc).__name__}: {exc}") from None
    blocks: list[Block] = []
    for index, name in enumerate(book.sheet_names):
        try:
            sheet = book.get_sheet_by_index(index)
            table = _sheet_table(sheet, index + 1, settings)
        except InputTooLarge:
            raise
        except Exception as exc:  # one unreadable sheet must not lose the others
            _log.info("sheet %r not read: %s", name, exc)
            continue
        if table is not None:
            blocks += [Paragraph(name, Provenance(path=f"sheet[{name}]")), table]
    if not blocks:
        raise CorruptInput("spreadsheet without any filled cell")
    return SourceDoc(kind="sheet", blocks=tuple(blocks))
