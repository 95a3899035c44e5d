"""The typed data model shared by every pipeline stage.

Everything here is a frozen dataclass: stages build new objects instead of mutating old ones, so a
report can be handed between processes and compared in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal, NamedTuple

# error flags the document; warning and info are reported only; not_assessable: a check that could not be
# evaluated (a blank 总计 cell).
Severity = Literal["error", "warning", "not_assessable", "info"]
Status = Literal["ok", "flagged", "failed"]
Value = int | Decimal | str | None

# Bounding boxes of paginated sources are in PDF points with the origin at the page's top-left corner
# (y grows downwards), the convention of pdfplumber; text renderings use character columns and lines.
BBOX_ORIGIN_PDF = "top-left, points"
# The confidence of a scan's reading where a seal's ink was taken out of the page: print there may have gone
# with it; the identities may confirm the reading, else a person looks.
SEALED_CONFIDENCE = 0.3
BBOX_ORIGIN_TEXT = "line/column, characters"


@dataclass(frozen=True)
class BBox:
    x0: float
    y0: float
    x1: float
    y1: float
    origin: str = BBOX_ORIGIN_PDF

    def as_text(self) -> str:
        return f"{self.x0:.1f},{self.y0:.1f},{self.x1:.1f},{self.y1:.1f}"

    def union(self, other: BBox) -> BBox:
        """The box holding both (same origin)."""
        return BBox(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1),
                    self.origin)


@dataclass(frozen=True)
class Provenance:
    """Where a piece of text came from: a page and box, or a DOM / XML path for HTML and Word."""

    page: int | None = None
    bbox: BBox | None = None
    path: str | None = None


@dataclass(frozen=True)
class Cell:
    """One cell of a source grid. Merged cells are a single Cell with spans, never copies."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    provenance: Provenance = field(default_factory=Provenance)
    # OCR: how sure the recogniser is (1.0 for text layers), and its other readings of the cell.
    confidence: float = 1.0
    alternatives: tuple[str, ...] = ()
    # Positioned text: the words inside the token, where gaps wider than its letter spacing part them
    # (header words of narrow columns run together); empty when the token is one word.
    words: tuple[tuple[str, float, float], ...] = ()

    @property
    def row_end(self) -> int:
        return self.row + self.rowspan

    @property
    def col_end(self) -> int:
        return self.col + self.colspan


@dataclass(frozen=True)
class Table:
    """A grid as the source draws it: explicit spans, every cell once."""

    cells: tuple[Cell, ...]
    n_rows: int
    n_cols: int
    method: str
    pages: tuple[int, ...] = ()
    index: int = 0
    hidden: tuple[BBox, ...] = ()  # scans: where on its page a seal's ink was taken out (print there unseen)


@dataclass(frozen=True)
class Paragraph:
    text: str
    provenance: Provenance = field(default_factory=Provenance)


Block = Paragraph | Table


class Char(NamedTuple):
    """One glyph of a paginated source, in display orientation (top-left origin, points). A named tuple, not
    a dataclass: a page has thousands and a frozen dataclass costs three times as much to build."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> float:
        return max(self.y1 - self.y0, 1.0)


class Segment(NamedTuple):
    """A visible horizontal or vertical ruling line (top-left origin, points); a named tuple, as Char."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass(frozen=True)
class PageContent:
    number: int
    width: float
    height: float
    chars: tuple[Char, ...]
    segments: tuple[Segment, ...] = ()
    text_layer: str = "ok"  # ok | none | image | garbage
    image_share: float = 0.0  # the largest picture's share of the page (a table pasted as an image)


@dataclass(frozen=True)
class SourceDoc:
    """What a loader returns: the document as ordered blocks of prose and grids (and, for PDFs, the
    positioned characters and ruling lines of each page the blocks were built from)."""

    kind: str
    blocks: tuple[Block, ...]
    n_pages: int | None = None
    notes: tuple[str, ...] = ()  # what was left unread and why: reported as warnings
    pages: tuple[PageContent, ...] = ()
    problems: tuple[str, ...] = ()  # source-level reasons to distrust the document, become error findings

    @property
    def text(self) -> str:
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            else:
                parts.extend(c.text for c in block.cells)
        return "\n".join(parts)


class Layout(StrEnum):
    """How a source row holds its cells: on a real grid (HTML, Word, ruled PDF, scan grid), as delimited
    fields (tab / pipe text: an empty field is a blank cell), or as positioned tokens (aligned text, unruled
    PDF: blank cells vanished, x positions count)."""

    GRID = "grid"
    DELIMITED = "delimited"
    POSITIONAL = "positional"


@dataclass(frozen=True)
class RowCell:
    """One distinct cell of a grid row, in column order; a merged group label appears in every row it covers
    with `carried` set (still one source cell)."""

    text: str
    col0: int
    col1: int
    provenance: Provenance
    carried: bool = False
    confidence: float = 1.0
    alternatives: tuple[str, ...] = ()
    words: tuple[tuple[str, float, float], ...] = ()  # (word, left x, right x) inside a positioned token

    @property
    def x_center(self) -> float | None:
        box = self.provenance.bbox
        return None if box is None else (box.x0 + box.x1) / 2


@dataclass(frozen=True)
class LogicalRow:
    cells: tuple[RowCell, ...]
    index: int
    table: Table
    layout: Layout


class LabelSource(StrEnum):
    """Where a labelled row's label came from."""

    OWN = "own"  # the row's own label cells
    WRAPPED = "wrapped"  # its own cells joined with the label's continuation on the next line(s)
    ABOVE = "above"  # label-only lines just above a row whose own label says nothing
    NONE = "none"  # no label: placed by position, if at all


class RowKind(StrEnum):
    DATA = "data"  # value slots follow the label
    BLANK = "blank"  # a label whose value fields the renderer dropped: every cell blank
    GLUED = "glued"  # the values are digit runs without separators; split by the identities


@dataclass(frozen=True)
class Header:
    """A header block: the header path of every grid column (top-down) and, for positioned text, the x
    extent of every header word."""

    paths: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (grid column, header path)
    words: tuple[tuple[float, float, str], ...] = ()  # (left x, right x, header word), words stacked joined
    rows: tuple[int, ...] = ()  # source rows it was read from
    table: int = -1  # index of the grid it was read from
    xs: tuple[float, ...] = ()  # that grid's column centres (points; nan for a column no cell has alone)

    def spanned_columns(self) -> set[int]:
        """Grid columns under one header cell with a neighbour (the same path: a stray stroke, a seal's, read
        as a rule down a column, or a rule lost between two)."""
        path_of = dict(self.paths)
        return {c for c, path in self.paths if path in (path_of.get(c - 1), path_of.get(c + 1))}


@dataclass(frozen=True)
class LabeledRow:
    path: tuple[str, ...]  # group labels, then the leaf label, as printed ("" parts dropped)
    values: tuple[RowCell, ...]  # value slots in column order, blank slots included
    kind: RowKind
    label_source: LabelSource
    layout: Layout
    method: str  # the grid's reading method (html, pdf-lattice, text-tab, ...)
    source_rows: tuple[int, ...]
    pages: tuple[int, ...] = ()
    header: Header | None = None
    label_cell: RowCell | None = None
    rules: tuple[str, ...] = ()  # names of the layout rules that shaped this row


@dataclass(frozen=True)
class LabeledTable:
    """One section's table as labelled rows: the output of the layout stage, the input of the mapper."""

    section: str
    rows: tuple[LabeledRow, ...]
    pages: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()  # label-only lines that attached to nothing, and the like


@dataclass(frozen=True)
class GluedRun:
    """Value cells whose digits ran together: `pieces` hold the digit strings in order (a boundary between
    pieces is a cell boundary), to be split over `targets` (row, col) by the reconcile stage."""

    table: str
    targets: tuple[tuple[str, str], ...]
    pieces: tuple[str, ...]
    cell: RowCell
    method: str = ""
    label: str = ""

    @property
    def digits(self) -> str:
        return " ".join(self.pieces)

    def keys(self) -> list[tuple[str, str, str]]:
        return [(self.table, r, c) for r, c in self.targets]


@dataclass(frozen=True)
class CanonicalCell:
    template: str
    table: str
    row: str
    col: str
    value: Value
    raw: str
    provenance: Provenance
    method: str
    confidence: float
    row_label: str = ""
    col_label: str = ""
    alternatives: tuple[str, ...] = ()  # the recogniser's other readings (OCR only)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.col)

    @property
    def number(self) -> int | Decimal:
        """The value as a number for identities: blanks count as 0."""
        if isinstance(self.value, int | Decimal):
            return self.value
        return 0


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Severity
    message: str
    table: str = ""
    row: str = ""
    col: str = ""
    expected: str = ""
    found: str = ""
    cells: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Report:
    doc_id: str
    source_kind: str
    status: Status
    cells: tuple[CanonicalCell, ...] = ()
    findings: tuple[Finding, ...] = ()
    agency: str = ""
    year: int | None = None
    template: str = ""
    sha256: str = ""
    error: str = ""
    timings: tuple[tuple[str, float], ...] = ()
    parent: str = ""  # the web page whose attachment this document is, when it was found by following a link

    @classmethod
    def failure(cls, doc_id: str, error: str, source_kind: str = "", sha256: str = "",
                timings: tuple[tuple[str, float], ...] = ()) -> Report:
        """The report of a document that could not be read: its error on one line."""
        return cls(doc_id=doc_id, source_kind=source_kind, status="failed", sha256=sha256,
                   error=" ".join(error.split())[:300], timings=timings)

    @property
    def checks_failed(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    def cell(self, table: str, row: str, col: str) -> CanonicalCell | None:
        """The cell of a canonical code (table, row, col), or None when the report does not have it.

        Raises KeyError, naming the valid codes, for a code that is not in the catalogue of the report's
        template (a typo such as "t3", "new", "totals")."""
        for c in self.cells:
            if c.table == table and c.row == row and c.col == col:
                return c
        from extractor.codes import catalog

        cat = catalog()
        templates = [self.template] if self.template else ["2021", "2019"]
        if any(cat.get(t, table, row, col) is not None for t in templates):
            return None
        rows = [r for t in templates for r in cat.rows(t, table)]
        if row in rows:
            valid = [c for t in templates for c in cat.cols(t, table, row)]
            raise KeyError(f"{table}/{row} has no column {col!r}; its columns are {', '.join(dict.fromkeys(valid))}")
        if rows:
            raise KeyError(f"{table} has no row {row!r}; its rows are {', '.join(dict.fromkeys(rows))}")
        raise KeyError(f"no table {table!r}; the tables are t2, t3, t4 (extractor.codes() lists every code)")

    def to_frame(self) -> Any:
        """The cells in canonical long format as a typed pandas DataFrame: value as an exact decimal (null when
        blank), value_text for free-text amounts, raw text, page, bbox as x0/y0/x1/y1, confidence."""
        from extractor.export.frames import cells_frame

        return cells_frame([self])
