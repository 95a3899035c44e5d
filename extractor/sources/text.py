"""Plain-text renderings: every line becomes a grid row.

Tab- and pipe-separated lines keep empty fields (a blank cell is a real slot); whitespace-aligned lines
keep each token's character column so values can be placed under their header; lines that glue a row's
cells together stay one cell and are split later, by the identities.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from extractor.errors import CorruptInput
from extractor.model import BBOX_ORIGIN_TEXT, BBox, Cell, Provenance, SourceDoc, Table
from extractor.numbers import parse_value
from extractor.settings import Settings
from extractor.sources.base import RawInput
from extractor.sources.encoding import decode
from extractor.sources.textrows import (
    cell_stream_rows,
    glued_rows,
    is_cell_per_line,
    is_glued_table_line,
    is_md_separator,
)

_log = logging.getLogger(__name__)
_TOKEN = re.compile(r"\S+")
MAX_LINES = 50_000


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def document_style(lines: list[str]) -> str:
    """One split rule for the whole dump: tab- or pipe-separated when at least three lines are, else the
    whitespace-aligned reading. A line of a tab dump without a tab is one field (prose, a lone label)."""
    if sum("\t" in line for line in lines) >= 3:
        return "tab"
    if sum(line.count("|") >= 2 or line.count("｜") >= 2 for line in lines) >= 3:
        return "pipe"
    return "space"


def _fields(line: str, style: str) -> list[tuple[str, int, int]]:
    """Split one line; (text, start, end) per field in display columns."""
    if style == "space":
        out = []
        pos, width = 0, 0  # display width up to character `pos`, carried forward: linear in the line
        for m in _TOKEN.finditer(line):
            width += display_width(line[pos: m.start()])
            token_width = display_width(m.group())
            out.append((m.group(), width, width + token_width))
            width += token_width
            pos = m.end()
        return out
    if style == "tab":
        parts = line.split("\t")
    else:
        parts = re.split(r"[|｜]", line)
        if parts and not parts[0].strip():
            parts = parts[1:]
        if parts and not parts[-1].strip():
            parts = parts[:-1]
    fields = []
    pos = 0
    for part in parts:
        fields.append((part.strip(), pos, pos + max(display_width(part), 1)))
        pos += display_width(part) + 1
    return fields


def _table(rows: list[list[tuple[str, int, int]]], line_numbers: list[int], style: str, index: int) -> Table:
    cells: list[Cell] = []
    for r, (fields, line_no) in enumerate(zip(rows, line_numbers, strict=True)):
        for c, (field, start, end) in enumerate(fields):
            bbox = BBox(start, line_no, end, line_no + 1, origin=BBOX_ORIGIN_TEXT)
            cells.append(Cell(r, c, field, provenance=Provenance(bbox=bbox, path=f"line[{line_no + 1}]")))
    n_cols = max((len(f) for f in rows), default=0)
    return Table(cells=tuple(cells), n_rows=len(rows), n_cols=n_cols, method=f"text-{style}", index=index)


def _blocks(lines: list[str], style: str, max_fields: int) -> list[Table]:
    """Consecutive lines of one kind as one table: delimited lines, and (in a pipe dump) the loose lines
    between its tables, read as aligned text; a glued line becomes several rows."""
    blocks: list[Table] = []
    rows: list[list[tuple[str, int, int]]] = []
    numbers: list[int] = []
    current = ""

    def flush() -> None:
        if rows:
            blocks.append(_table(rows, numbers, current, len(blocks) + 1))
        rows.clear()
        numbers.clear()

    for line_no, line in enumerate(lines):
        line_style = style
        if style == "pipe" and "|" not in line and "｜" not in line:
            line_style = "space"
        if line_style != current:
            flush()
            current = line_style
        if line_style == "space" and is_glued_table_line(line):
            for fields in glued_rows(line, display_width):
                rows.append(fields)
                numbers.append(line_no)
            continue
        fields = _fields(line, line_style)
        if len(fields) > max_fields:
            fields = fields[:max_fields]  # a line of thousands of fields is not a table row
        rows.append(fields)
        numbers.append(line_no)
    flush()
    return blocks


def _cell_stream(lines: list[str]) -> Table:
    """One cell per line: rows rebuilt from the stream (sources.textrows.cell_stream_rows)."""
    rows = cell_stream_rows(lines, lambda text: parse_value(text) is None)
    fields = [[(cell, 0, 0) for cell in row] for row in rows]
    return _table(fields, list(range(len(rows))), "pipe", 1)


def load_text(raw: RawInput, settings: Settings) -> SourceDoc:
    text, encoding = decode(raw.data)
    if not text.strip():
        raise CorruptInput("empty text file")
    if "\x00" in text[:4096]:
        raise CorruptInput("binary data, not a text rendering")
    lines = [line.rstrip("\r") for line in text.replace("\u3000", "  ").split("\n")]
    lines = [line for line in lines if line.strip() and not is_md_separator(line)][:MAX_LINES]
    style = document_style(lines)
    if style == "pipe" and is_cell_per_line(lines):
        blocks = [_cell_stream(lines)]
    else:
        blocks = _blocks(lines, style, settings.max_fields_per_line)
    if sum(len(b.cells) for b in blocks) > settings.max_table_cells:
        raise CorruptInput(f"text rendering has more than {settings.max_table_cells} fields")
    _log.debug("text decoded as %s", encoding)
    return SourceDoc(kind="text", blocks=tuple(blocks))
