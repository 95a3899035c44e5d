"""Scanned pages and table images: clean -> rules -> grid with merged cells -> per-cell recognition.

The grid comes from the same transforms as ruled born-digital tables (pdflayout), fed with rules found
by morphology instead of drawn ones. Text outside grids is not recognised (the tables are the target);
each cell carries the recogniser's confidence and its alternative readings.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import cv2
import numpy as np

from extractor.model import SEALED_CONFIDENCE, BBox, Block, Cell, Paragraph, Provenance, Table
from extractor.sources.rules import Grid, component_to_grid
from extractor.sources.scan.clean import CleanPage, clean_page
from extractor.sources.scan.crops import INSET, cell_crops, cell_text, seen_through, split_by_columns, split_by_rows
from extractor.sources.scan.grid import page_grids
from extractor.sources.scan.hidden import seal_boxes, sealed, translucent
from extractor.sources.scan.marks import (
    blank_of_specks,
    noise_line,
    one_number_of_lines,
    read_values,
    with_sign,
    without_stray_marks,
    zero_for_lookalike,
)
from extractor.sources.scan.masks import ink_mask
from extractor.sources.scan.ocr import Reading
from extractor.sources.scan.orient import best_turn
from extractor.sources.scan.positional import bbox_origin, unruled
from extractor.sources.scan.spread import first_is_second, halves, spread_cut
from extractor.sources.scan.title import title_lines
from extractor.sources.scan.tokens import dash_for_one, meaningful, without_rule_strokes

_log = logging.getLogger(__name__)

MIN_ROW_PX = 34  # below this a table was scanned too small to read: it is upscaled first


FRAME_COLUMNS = 2  # a ruled "grid" of this many columns or fewer is a box around a table, read by position
LOST_NEAR = 10  # thousandths of the page's width from a cell's text where print lost with a seal counts as its
OUTSIDE_GRID_SHARE = 0.1  # text outside grids is read only when the grids cover less of the page than this
OUTSIDE_ROWS = 3  # lines of a label and values that make text outside every grid a table (not headings, specks)
FRAME_TABLE_ROWS = 3  # a box with this many rule gaps down it holds a table, however few its words
LABEL_WORDS = ("公开", "申请", "信息", "行政", "复议", "诉讼", "处理", "总计", "规章", "件数", "结果", "机构")
LOW_CONFIDENCE = 0.6  # a page read this badly may be upside down: it is checked and, if so, read again
MIN_LABEL_WORDS = 3  # distinct label words an upright table page shows (upside down, '结果' can still read)


def scan_page(bgr: np.ndarray, page: int, scale: float, index: int, title: bool = False) -> list[Block]:
    """Tables of one page image, turned upright first (and, for a document's first page, the title lines
    above them as paragraphs). `scale`: pixels per output unit (pixels per point for PDF pages); boxes are
    on the upright page."""
    cut = spread_cut(bgr)
    if cut is not None:
        # Two pages side by side: each read as a page of its own, the first page's first; the second's
        # boxes stand on its own half (their origin says so).
        parts = [_scan_upright(part, page, scale, index + k * SECOND_HALF) for k, part in enumerate(halves(bgr, cut))]
        if first_is_second(cut, parts[0][2]):
            parts.reverse()
        upright = parts[0][0]
        blocks = [*parts[0][1], *(_on_second_half(b) for b in parts[1][1])]
    else:
        upright, blocks, _ = _scan_upright(bgr, page, scale, index)
    if title:
        blocks = [*(Paragraph(line, Provenance(page=page)) for line in title_lines(upright)), *blocks]
    return blocks


SECOND_HALF = 1000  # table indices of a spread's second page lie this far past the first's


def _on_second_half(block: Block) -> Block:
    """A table of a spread's second page, its boxes said to stand on that half of the image."""
    if not isinstance(block, Table):
        return block
    cells = tuple(replace(c, provenance=replace(c.provenance, bbox=replace(
        c.provenance.bbox, origin=f"second page of two side by side: {c.provenance.bbox.origin}")))
        if c.provenance.bbox is not None else c for c in block.cells)
    return replace(block, cells=cells)


def _scan_upright(bgr: np.ndarray, page: int, scale: float, index: int) -> tuple[np.ndarray, list[Block], int]:
    """(the page as read, its tables, the clockwise turn that made it upright): read as it stands, and again
    turned when it read badly and another turn reads clearly better (a page on its side or upside down)."""
    tables = _read_page(bgr, page, scale, index)
    readings = [c.confidence for t in tables if isinstance(t, Table) for c in t.cells if c.text.strip()]
    # No ruled grid found is suspect too: on a page lying on its side the grid can be missed, and the
    # unruled reading is confident (a '0' reads the same turned).
    ruled = any(isinstance(t, Table) and t.method == "ocr-lattice" for t in tables)
    # Upside down, the recogniser stays confident (digits turned read as digits, characters as other
    # characters, a few symmetric ones even as themselves): a table page whose cells hold fewer than a few
    # distinct words of a report's labels is suspect as well.
    texts = [c.text for t in tables if isinstance(t, Table) for c in t.cells]
    worded = sum(any(word in text for text in texts) for word in LABEL_WORDS) >= MIN_LABEL_WORDS
    if not readings or float(np.median(readings)) < LOW_CONFIDENCE or not ruled or not worded:
        turn = best_turn(bgr)
        if turn:
            _log.info("page %d is turned: read again %d degrees clockwise", page, turn)
            turned = np.ascontiguousarray(np.rot90(bgr, -turn // 90))
            return turned, _read_page(turned, page, scale, index), turn
    return bgr, tables, 0


def _is_frame(grid: Grid) -> bool:
    return len(grid.xs) <= FRAME_COLUMNS + 1


def _read_page(bgr: np.ndarray, page: int, scale: float, index: int) -> list[Block]:
    """The tables of a page image, each with the boxes where a seal's ink was taken out of the page."""
    clean = clean_page(bgr, min_len=max(30, bgr.shape[1] // 45))
    tables = _tables(clean, page, scale, index)
    boxes = seal_boxes(clean.lost, scale, bbox_origin(scale))
    return [replace(t, hidden=boxes) if boxes and isinstance(t, Table) else t for t in tables]


def _tables(clean: CleanPage, page: int, scale: float, index: int) -> list[Block]:
    gray, ink, seal, lost = clean.gray, clean.ink, clean.seal, clean.lost
    upscale = 1.0
    tables: list[Block] = []
    snap = max(4.0, gray.shape[1] / 300)
    components, rules = page_grids(ink, snap, ink_mask(gray, denoise=False))
    # Rules out of the text mask, so a cell's borders never read as "|" or "1".
    text_ink = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(rules, np.ones((5, 5), np.uint8))))
    grids = [component_to_grid(hs, vs, snap)
             for hs, vs in sorted(components, key=lambda comp: min(line.pos for line in comp[0]))]
    # A box around a table (its only rules, or with a rule under its header) is a frame, not a grid of a
    # column or two (no table of a report has fewer than four): what it holds is read by position, as on an
    # unruled page (draw 19006: 'outer' rules, every table read as one cell, nothing found; 19035: a stray
    # stroke made one frame two columns).
    frames = [g for g in grids if _is_frame(g)]
    # A box of a column or two with rows ruled is a small table (表二's continuation on a page of its own
    # under 表三: draw 24002 lost 行政处罚 and 行政强制 to the word count of a prose page).
    ruled = any(len(g.ys) > FRAME_TABLE_ROWS for g in frames)
    if len(frames) == len(grids):  # no grid: unruled, horizontal rules only, or tables in boxes
        return unruled(gray, text_ink, page, scale, index, ruled, hidden=lost, plain=clean.plain,
                       stamp=clean.red, boxed=bool(frames))
    if frames:
        inside = np.zeros_like(text_ink)
        for g in frames:
            inside[int(g.ys[0]):int(g.ys[-1]), int(g.xs[0]):int(g.xs[-1])] = 255
        tables.extend(unruled(gray, cv2.bitwise_and(text_ink, inside), page, scale, index, ruled, hidden=lost,
                                  plain=clean.plain, stamp=clean.red, boxed=True))
    # Rows of a table outside every grid and box, read by position (draw 24004: a stamp touching the top rule
    # of a table ruled across only made a grid of two rows; every other row was lost). Only beside grids
    # that hold little of the page: outside a table's grid are prose and specks, and specks of a noisy scan
    # line up (draw 23014: 161 rows of specks read, a page of 489 crops).
    gridded = sum((g.xs[-1] - g.xs[0]) * (g.ys[-1] - g.ys[0]) for g in grids if not _is_frame(g))
    if gridded < OUTSIDE_GRID_SHARE * text_ink.shape[0] * text_ink.shape[1]:
        outside = text_ink.copy()
        margin = int(snap)
        for g in grids:
            outside[max(int(g.ys[0]) - margin, 0):int(g.ys[-1]) + margin,
                    max(int(g.xs[0]) - margin, 0):int(g.xs[-1]) + margin] = 0
        tables.extend(unruled(gray, outside, page, scale, index, number=98, rows=OUTSIDE_ROWS, hidden=lost,
                              plain=clean.plain))
    opaque = not translucent(seal, text_ink)  # the page's seal, once (no seal: never asked)
    for k, grid in enumerate(grids):
        if _is_frame(grid):
            continue
        heights = np.diff(grid.ys)
        if len(heights) == 0:
            continue
        upscale = 2.0 if float(np.median(heights)) < MIN_ROW_PX else 1.0
        ys, xs = list(grid.ys), list(grid.xs)
        specs = sorted(part for spec in set(grid.owner.values()) for rows in split_by_rows(spec, ys, text_ink, xs)
                       for part in split_by_columns(rows, ys, text_ink, xs))
        crops: list[np.ndarray] = []
        owners: list[int] = []
        signed: list[bool] = []
        boxes = []
        specks: set[int] = set()
        seal_over: list[bool] = []  # per cell, whether a seal's ink was taken from inside it
        for n, (r, c, rs, cs) in enumerate(specs):
            box = (int(grid.xs[c]), int(grid.ys[r]), int(grid.xs[c + cs]), int(grid.ys[r + rs]))
            boxes.append(box)
            x0, y0, x1, y1 = box
            seal_over.append(bool(seal[y0 + INSET:y1 - INSET, x0 + INSET:x1 - INSET].any()))
            line_crops, specks_alone, signs = cell_crops(gray, text_ink, box, seal_over[n])
            if specks_alone:
                specks.add(n)
            for crop, sign in zip(line_crops, signs, strict=True):
                if upscale != 1.0:
                    crop = cv2.resize(crop, None, fx=upscale, fy=upscale, interpolation=cv2.INTER_CUBIC)
                crops.append(crop)
                owners.append(n)
                signed.append(sign)
        readings = read_values(crops)
        per_cell: dict[int, list[Reading]] = {}
        for owner, reading, sign in zip(owners, readings, signed, strict=True):
            per_cell.setdefault(owner, []).append(with_sign(reading) if sign else reading)
        cells: list[Cell] = []
        under_seal: dict[int, tuple[str, float]] = {}
        for n, (r, c, rs, cs) in enumerate(specs):
            read = per_cell.get(n, [])
            # A line of specks read as ':' or '.' (or a lone character read next to unsurely) is noise, not
            # part of a label or value; alone in its cell it leaves the cell blank, unsure only where the
            # speck might have been a digit (blank_of_specks).
            # So is whatever a cell of specks alone reads as ('湖中', '1\n9' in a blank cell of a noisy scan).
            lines = [] if n in specks else one_number_of_lines(without_stray_marks(
                [line for line in read if meaningful(line.text) and not noise_line(line)]))
            lines = [zero_for_lookalike(lines[0])] if len(lines) == 1 else lines
            texts = [without_rule_strokes(line.text) for line in lines]
            text = dash_for_one(texts[0]) if len(texts) == 1 else "\n".join(texts)
            confidence = min((line.confidence for line in lines), default=1.0)
            alternatives = lines[0].alternatives if len(lines) == 1 else ()
            x0, y0, x1, y1 = boxes[n]
            inner = (y0 + INSET, y1 - INSET, x0 + INSET, x1 - INSET)
            if not lines and read:
                confidence, alternatives = blank_of_specks(read, n in specks, seal_over[n])
            if seal_over[n] and sealed(
                    seal[inner[0]:inner[1], inner[2]:inner[3]], lost[inner[0]:inner[1], inner[2]:inner[3]],
                    cell_text(text_ink, boxes[n])[0] if lines else None, opaque,
                    clean.red[inner[0]:inner[1], inner[2]:inner[3]]):
                if len(lines) == 1:
                    under_seal[len(cells)] = (lines[0].text, confidence)
                confidence = min(confidence, SEALED_CONFIDENCE)
            bbox = BBox(x0 / scale, y0 / scale, x1 / scale, y1 / scale, origin=bbox_origin(scale))
            cells.append(Cell(r, c, text, rs, cs, Provenance(page=page, bbox=bbox), confidence, alternatives))
        if under_seal:
            # The print the seal may have taken next to a cell's text only: a stamp's outlines 'lost' across
            # the cell widened the crop of a '7' to a square's edge, read ']ー文' (fresh draw 40002).
            near = cv2.dilate(text_ink, np.ones((LOST_NEAR * gray.shape[1] // 1000 + 1,) * 2, np.uint8))
            cells = seen_through(clean.plain, text_ink | (lost & near), cells, under_seal, boxes, upscale)
        n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
        if any(cell.text for cell in cells):
            tables.append(Table(tuple(cells), n_rows, n_cols, "ocr-lattice", (page,), index * 100 + k))
    _log.debug("page %d: %d table(s) by OCR", page, len(tables))
    return sorted(tables, key=_top)


def _top(block: Block) -> float:
    """A table's top on its page, for reading order (a box read by position above or below a grid)."""
    tops = [c.provenance.bbox.y0 for c in block.cells if c.provenance.bbox] if isinstance(block, Table) else []
    return min(tops, default=0.0)
