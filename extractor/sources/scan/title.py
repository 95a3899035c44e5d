"""The report's title block on a scanned first page: its heading lines (agency and year) read by OCR."""

from __future__ import annotations

import numpy as np

from extractor.sources.scan.ocr import recognise
from extractor.sources.scan.orient import text_ink
from extractor.sources.scan.tokens import token_boxes, token_crops

TITLE_BAND = 0.3  # the share of the page, from the top, where a report's title is looked for
MAX_TITLE_TOKENS = 40


def title_lines(bgr: np.ndarray) -> list[str]:
    """The text lines at the top of the first page (the report's title: agency and year), read by OCR; text
    inside a ruled table is left out."""
    gray, text = text_ink(bgr, 1600)
    h = gray.shape[0]
    band = text[: int(h * TITLE_BAND)]
    # Top lines first: tokens come left to right, and a band of table words cut the title's right half off
    # (draw 36019: '示例县人民政府' read, the rest of its line past the cap; agency and year lost).
    boxes = sorted((b for b in token_boxes(band) if (b[3] - b[1]) >= 8), key=lambda b: (b[1], b[0]))
    boxes = boxes[:MAX_TITLE_TOKENS]
    if not boxes:
        return []
    readings = recognise(token_crops(gray, boxes))
    lines: list[tuple[float, list[tuple[int, str]]]] = []
    for (x0, y0, _x1, y1), reading in sorted(zip(boxes, readings, strict=True), key=lambda t: t[0][1]):
        if reading.confidence < 0.5 or not reading.text.strip():
            continue
        centre = (y0 + y1) / 2
        if lines and abs(lines[-1][0] - centre) < (y1 - y0) * 0.6:
            lines[-1][1].append((x0, reading.text))
        else:
            lines.append((centre, [(x0, reading.text)]))
    return ["".join(t for _, t in sorted(words)) for _, words in lines]
