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
from extractor.settings import Settings
from extractor.sources.base import RawInput
from extractor.sources.encoding import decode

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
        for m in _TOKEN.finditer(line):
            start = display_width(line[: m.start()])
            out.append((m.group(), start, start + display_width(m.group())))
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


def load_text(raw: RawInput, settings: Settings) -> SourceDoc:
    text, encoding = decode(raw.data)
    if not text.strip():
        raise CorruptInput("empty text file")
    if "\x00" in text[:4096]:
        raise CorruptInput("binary data, not a text rendering")
    lines = [line.rstrip("\r") for line in text.replace("\u3000", "  ").split("\n")]
    lines = [line for line in lines if line.strip()][:MAX_LINES]
    cells: list[Cell] = []
    n_cols = 0
    style = document_style(lines)
    for r, line in enumerate(lines):
        fields = _fields(line, style)
        for c, (field, start, end) in enumerate(fields):
            bbox = BBox(start, r, end, r + 1, origin=BBOX_ORIGIN_TEXT)
            cells.append(Cell(r, c, field, provenance=Provenance(bbox=bbox, path=f"line[{r + 1}]")))
        n_cols = max(n_cols, len(fields))
        if len(cells) > settings.max_table_cells:
            raise CorruptInput(f"text rendering has more than {settings.max_table_cells} fields")
    table = Table(cells=tuple(cells), n_rows=len(lines), n_cols=n_cols, method=f"text-{style}", index=1)
    _log.debug("text decoded as %s", encoding)
    return SourceDoc(kind="text", blocks=(table,))
