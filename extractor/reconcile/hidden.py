"""Blank cells of tables read by position where a seal's ink was taken out of the page: a value printed
there may have gone with the seal (draw 31012: a '0' under a red seal's star whitened with it; the row's
values placed by position, the cell read blank as if nothing were printed, the document 'ok')."""

from __future__ import annotations

import statistics
from dataclasses import replace

from extractor.model import SEALED_CONFIDENCE, BBox, CanonicalCell

HIDDEN_OVERLAP = 0.25  # share of where a cell's value would stand that the seal's boxes must cover


def blanks_under_seals(cells: list[CanonicalCell], hidden: dict[int, tuple[BBox, ...]]) -> None:
    """Blank positional cells whose place (their row's band, their column's x from the column's other values
    on the page) a seal covered are made unsure, in place."""
    for i, cell in enumerate(cells):
        box, page = cell.provenance.bbox, cell.provenance.page
        if cell.value is not None or box is None or page not in hidden or not cell.method.startswith("ocr-text"):
            continue
        column = [c.provenance.bbox for c in cells if c.key[:1] == cell.key[:1] and c.col == cell.col
                  and c.value is not None and c.provenance.page == page and c.provenance.bbox is not None]
        if not column:
            continue
        x = statistics.median((b.x0 + b.x1) / 2 for b in column)
        half = max(statistics.median(b.x1 - b.x0 for b in column), box.y1 - box.y0) / 2
        place = BBox(x - half, box.y0, x + half, box.y1, box.origin)
        if _covered(place, hidden[page]) >= HIDDEN_OVERLAP:
            cells[i] = replace(cell, confidence=min(cell.confidence, SEALED_CONFIDENCE))


def _covered(place: BBox, boxes: tuple[BBox, ...]) -> float:
    area = max((place.x1 - place.x0) * (place.y1 - place.y0), 1e-9)
    inside = sum(max(0.0, min(place.x1, b.x1) - max(place.x0, b.x0))
                 * max(0.0, min(place.y1, b.y1) - max(place.y0, b.y0)) for b in boxes)
    return inside / area
