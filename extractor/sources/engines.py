"""Other engines' readings of chosen PDF pages, as SourceDocs of grids: the second opinion.

pdfplumber (ruling lines, then text alignment) and camelot (lattice) read a page independently of our own
reader; the pipeline asks them only about pages whose primary reading left an identity failure or values
it could not place. Both are optional dependencies: an engine that is not installed reads nothing.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from extractor.model import BBox, Cell, PageContent, Provenance, SourceDoc, Table
from extractor.sources.rules import cluster, nearest

_log = logging.getLogger(__name__)


class Engine(StrEnum):
    """A second-opinion reader; its value is the cells' `method`."""

    PDFPLUMBER_LINES = "pdfplumber"
    PDFPLUMBER_TEXT = "pdfplumber-text"
    CAMELOT = "camelot"


@dataclass(frozen=True)
class EngineSettings:
    # Grid edges closer than this (points) are one edge when cells are put back on a common grid.
    snap: float = 1.5
    # pdfplumber text strategy: words this close (points) to a column edge still belong to it.
    text_x_tolerance: float = 3.0
    min_words_vertical: int = 3
    # camelot lattice: rendering resolution and the shortest rule kept, as a fraction of the page.
    camelot_line_scale: int = 40


ENGINES: tuple[Engine, ...] = (Engine.PDFPLUMBER_LINES, Engine.PDFPLUMBER_TEXT, Engine.CAMELOT)
# Engines that find tables by their drawn rules: pointless (and camelot costs a second) on pages without any.
NEEDS_RULES = frozenset((Engine.PDFPLUMBER_LINES, Engine.CAMELOT))
Box = tuple[float, float, float, float]  # x0, top, x1, bottom: top-left origin, points


def read_pages(engine: Engine, data: bytes, pages: Sequence[PageContent],
               settings: EngineSettings = EngineSettings()) -> SourceDoc:
    """The grids `engine` finds on `pages` (1-based page numbers of the primary reading)."""
    reader: Callable[[bytes, Sequence[PageContent], EngineSettings], list[tuple[int, list[tuple[Box, str]]]]]
    reader = _camelot if engine is Engine.CAMELOT else _pdfplumber(engine)
    try:
        found = reader(data, pages, settings)
    except ImportError:
        return SourceDoc(kind="pdf", blocks=(), notes=(f"{engine.value} is not installed",))
    blocks = tuple(_to_table(page, boxes, engine, index, settings.snap)
                   for index, (page, boxes) in enumerate(found) if boxes)
    return SourceDoc(kind="pdf", blocks=blocks, n_pages=len(pages), pages=tuple(pages))


@contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """A library's warnings held back while it reads (pdfminer warns once per glyph of a font without a
    FontBBox, as Chromium writes them: hundreds of lines on stderr for one page)."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _pdfplumber(engine: Engine) -> Callable[[bytes, Sequence[PageContent], EngineSettings],
                                            list[tuple[int, list[tuple[Box, str]]]]]:
    def read(data: bytes, pages: Sequence[PageContent], settings: EngineSettings
             ) -> list[tuple[int, list[tuple[Box, str]]]]:
        import pdfplumber

        if engine is Engine.PDFPLUMBER_TEXT:
            table_settings = {"vertical_strategy": "text", "horizontal_strategy": "text",
                              "text_x_tolerance": settings.text_x_tolerance,
                              "min_words_vertical": settings.min_words_vertical}
        else:
            table_settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
        out: list[tuple[int, list[tuple[Box, str]]]] = []
        with _quiet("pdfminer"), pdfplumber.open(io.BytesIO(data)) as pdf:
            for content in pages:
                page = pdf.pages[content.number - 1]
                for table in page.find_tables(table_settings):
                    texts = table.extract()
                    boxes = [(tuple(box), text or "") for row, row_texts in zip(table.rows, texts, strict=False)
                             for box, text in zip(row.cells, row_texts, strict=False) if box is not None]
                    out.append((content.number, boxes))  # type: ignore[arg-type]
        return out

    return read


def _camelot(data: bytes, pages: Sequence[PageContent], settings: EngineSettings
             ) -> list[tuple[int, list[tuple[Box, str]]]]:
    import camelot

    heights = {p.number: p.height for p in pages}
    numbers = ",".join(str(p.number) for p in pages)
    with _quiet("pdfminer"):
        found = camelot.read_pdf(io.BytesIO(data), pages=numbers, flavor="lattice", suppress_stdout=True,
                                 line_scale=settings.camelot_line_scale)
    out: list[tuple[int, list[tuple[Box, str]]]] = []
    for table in found:
        page = int(table.page)
        height = heights.get(page, 0.0)
        grid = table.cells
        boxes: list[tuple[Box, str]] = []
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                # A merged area is the cells joined across missing borders; its text sits in its top-left.
                if (c > 0 and not cell.left) or (r > 0 and not cell.top):
                    continue
                c1 = c
                while c1 + 1 < len(row) and not row[c1].right:
                    c1 += 1
                r1 = r
                while r1 + 1 < len(grid) and not grid[r1][c].bottom:
                    r1 += 1
                end = grid[r1][c1]
                boxes.append(((cell.x1, height - cell.y2, end.x2, height - end.y1), cell.text))
        out.append((page, boxes))
    return out


def _to_table(page: int, boxes: list[tuple[Box, str]], engine: Engine, index: int, snap: float) -> Table:
    """Cells with boxes put back on one grid: a cell spans the grid lines its box covers."""
    xs = cluster([b[0] for b, _ in boxes] + [b[2] for b, _ in boxes], snap)
    ys = cluster([b[1] for b, _ in boxes] + [b[3] for b, _ in boxes], snap)
    cells = []
    for (x0, y0, x1, y1), text in boxes:
        c0, c1 = nearest(xs, x0), nearest(xs, x1)
        r0, r1 = nearest(ys, y0), nearest(ys, y1)
        if c1 <= c0 or r1 <= r0:
            continue
        box = BBox(x0, y0, x1, y1)
        cells.append(Cell(r0, c0, text.strip(), r1 - r0, c1 - c0, Provenance(page=page, bbox=box)))
    return Table(tuple(cells), max(len(ys) - 1, 0), max(len(xs) - 1, 0), engine.value, (page,), index)

