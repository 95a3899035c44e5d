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
from extractor.sources.pdflayout import Grid, component_to_grid
from extractor.sources.scan.clean import clean_page
from extractor.sources.scan.grid import page_grids
from extractor.sources.scan.hidden import seal_boxes, sealed
from extractor.sources.scan.marks import (
    blank_of_specks,
    faint_sign,
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
from extractor.sources.scan.title import title_lines
from extractor.sources.scan.tokens import (
    SPECK_PAGE,
    dash_for_one,
    line_bands,
    meaningful,
    merge_thin_bands,
    padded,
    without_rule_strokes,
)

_log = logging.getLogger(__name__)

MIN_ROW_PX = 34  # below this a table was scanned too small to read: it is upscaled first


RESIDUE_SPAN = 0.7  # a stroke along a cell's edge over this share of its side is a rule, not a letter
RESIDUE_THIN = 12  # ... and so is one this many times longer than thick over a third of it (no letter is)


def _rule_residue(x: int, y: int, w: int, h: int, width: int, height: int) -> bool:
    """A thin stroke lying along the crop's edge for most of its length: the cell's own rule, slanted or
    bent by a photo's perspective past the inset (read as '1' or '7' in a blank cell); in a tall cell
    spanning many rows, a piece of it along a third of the side."""
    along_side = (x == 0 or x + w >= width) and (
        (h >= RESIDUE_SPAN * height and w * 4 <= h) or (3 * h >= height and w * RESIDUE_THIN <= h))
    along_top = (y == 0 or y + h >= height) and (
        (w >= RESIDUE_SPAN * width and h * 4 <= w) or (3 * w >= width and h * RESIDUE_THIN <= w))
    return along_side or along_top


INSET = 5  # pixels inside a cell's box that keep its own rules out
SPECK_LINE = 0.35  # a text line whose blobs are all under this share of the cell's largest blob is specks
APART = 1.5  # specks: a speck this many speck sizes from every larger blob is noise, not a decimal point
GLYPH_SHARE = 0.5  # ... where larger is a glyph's size: half the cell's tallest blob (a '-' or '.' is less)


def _cell_text(ink: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, bool]:
    """The text ink inside a cell (inset from its rules), specks and rule residue left out, and whether what
    is left is specks alone (blobs smaller than any character or blank mark)."""
    x0, y0, x1, y1 = box
    sub_ink = ink[y0 + INSET:y1 - INSET, x0 + INSET:x1 - INSET]
    keep = np.zeros_like(sub_ink)
    if sub_ink.size == 0:
        return keep, False
    n, labels, stats, _ = cv2.connectedComponentsWithStats(sub_ink, connectivity=8)
    height, width = sub_ink.shape
    kept = []
    for k in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[k])
        if not (area < 8 or max(w, h) < 4 or _rule_residue(x, y, w, h, width, height)):
            kept.append(k)
    if not kept:
        return keep, False
    # A line made of specks alone (noise, JPEG blocks) beside real text reads as a character or two
    # ('0' over '住膜'): it goes. A cell of specks alone keeps them: they may be a broken '0', and
    # blank_of_specks judges them. Specks: blobs smaller than any character or blank mark at the page's
    # resolution, or far smaller than the cell's largest.
    speck = SPECK_PAGE * ink.shape[1]
    size = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    largest = max(size[k] for k in kept)
    if largest >= speck:
        for a, b in line_bands(np.isin(labels, kept).astype(np.uint8), min_gap=3, min_height=1):
            inside = {k for k in kept if stats[k, 1] < b and stats[k, 1] + stats[k, 3] > a}
            if all(size[k] < max(SPECK_LINE * largest, speck) for k in inside):
                kept = [k for k in kept if k not in inside]
        # ... and so is a noise blob standing apart on a text line ('—' and a dot read '0 一'); a decimal
        # point sits close to its digits. Apart from what: from blobs of a glyph's size, not from a noise
        # blob as large as a speck can be at 150 dpi blurred (draw 28029: a 5x7 blob two digit widths left
        # of a '0' kept, its crop read '·.0' at 0.41 and the cell came out unsure). A glyph's size by the
        # tallest blob: characters touching in a word make a blob wider than any one of them (draw 28009).
        glyph = max(speck, GLYPH_SHARE * max(int(stats[k, cv2.CC_STAT_HEIGHT]) for k in kept))
        big = [k for k in kept if size[k] >= glyph]
        kept = [k for k in kept if size[k] >= glyph or min(_gap(stats[k], stats[j]) for j in big) <= APART * speck]
    keep[np.isin(labels, kept)] = 255
    return keep, largest < speck


def _gap(a: np.ndarray, b: np.ndarray) -> int:
    """Pixels between two component boxes (x, y, w, h, ...), 0 when they overlap."""
    dx = max(int(a[0]) - int(b[0] + b[2]), int(b[0]) - int(a[0] + a[2]), 0)
    dy = max(int(a[1]) - int(b[1] + b[3]), int(b[1]) - int(a[1] + a[3]), 0)
    return max(dx, dy)


def _text_lines(keep: np.ndarray) -> list[tuple[int, int]]:
    return merge_thin_bands(line_bands(keep, min_gap=3, min_height=4))


ROW_LINE_GAP = 0.6  # lines this many line heights apart, each within its own row, are separate rows' labels


def split_by_rows(spec: tuple[int, int, int, int], ys: list[float], ink: np.ndarray,
                  xs: list[float]) -> list[tuple[int, int, int, int]]:
    """A cell spanning rows whose labels sit each within one row, far apart (a faint rule between two rows'
    labels lost): one cell per row. A label stacked or wrapped over the span (a group label) keeps its
    lines close together and stays one cell."""
    r, c, rs, cs = spec
    if rs < 2:
        return [spec]
    top = int(ys[r])
    lines = _text_lines(_cell_text(ink, (int(xs[c]), top, int(xs[c + cs]), int(ys[r + rs])))[0])
    if len(lines) < 2:
        return [spec]
    # Lines close together are one label (wrapped or stacked); labels of different rows are far apart.
    height = float(np.median([b - a for a, b in lines]))
    blocks = [list(lines[0])]
    for a, b in lines[1:]:
        if a - blocks[-1][1] < ROW_LINE_GAP * height:
            blocks[-1][1] = b
        else:
            blocks.append([a, b])
    if len(blocks) < 2:
        return [spec]
    rows = []
    for a, b in blocks:
        inside = [j for j in range(rs) if ys[r + j] - 2 <= top + INSET + a and top + INSET + b <= ys[r + j + 1] + 2]
        if not inside:
            return [spec]
        rows.append(inside[0])
    if len(set(rows)) < len(rows):
        return [spec]
    return [(r + j, c, 1, cs) for j in range(rs)]


RULE_PIECE = 0.6  # share of a cell's height a rule's piece runs down (a seal-cut row's piece: 0.72) ...
RULE_PIECE_X = 3  # ... within this many pixels of the column's rule ...
RULE_PIECE_FILL = 0.75  # ... as a solid bar (0.85; strokes of characters, a '1', a bracket: 0.45-0.63)


def split_by_columns(spec: tuple[int, int, int, int], ys: list[float], ink: np.ndarray,
                     xs: list[float]) -> list[tuple[int, int, int, int]]:
    """A cell spanning columns with a rule's piece down it where a column's rule runs elsewhere in the grid,
    ink on both sides: the rule is there, only too short to be found (a row's piece of a rule whose rest a
    seal's cleaning took: draw 27001, two values of 表四 read as one). One cell per side of each piece."""
    r, c, rs, cs = spec
    if cs < 2:
        return [spec]
    top, bottom = int(ys[r]) + INSET, int(ys[r + rs]) - INSET
    left, right = int(xs[c]) + INSET, int(xs[c + cs]) - INSET
    if bottom - top < 4 or right - left < 4:
        return [spec]
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink[top:bottom, left:right], connectivity=8)
    cuts = [j for j in range(1, cs) if _rule_piece(stats[1:n], int(xs[c + j]) - left, bottom - top)]
    edges = [0, *cuts, cs]
    return [(r, c + a, rs, b - a) for a, b in zip(edges, edges[1:], strict=False)]


def _rule_piece(stats: np.ndarray, x: int, height: int) -> bool:
    """Whether a solid upright bar stands at `x` (a column's rule) with other ink left and right of it."""
    for k, (bx, _by, bw, bh, area) in enumerate(stats):
        if bx - RULE_PIECE_X <= x <= bx + bw + RULE_PIECE_X and bh >= RULE_PIECE * height and \
                3 * bw <= bh and area >= RULE_PIECE_FILL * bw * bh:
            others = [s for j, s in enumerate(stats) if j != k and s[4] >= 8]
            return any(s[0] + s[2] <= bx for s in others) and any(s[0] >= bx + bw for s in others)
    return False


def _cell_crops(gray: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int]
                ) -> tuple[list[np.ndarray], bool, list[bool]]:
    """A crop per text line of the cell, whether the cell holds specks alone, and per line whether a faint
    bar stands just before it (a minus the cleaning took: `faint_sign`)."""
    x0, y0, x1, _y1 = box
    keep, specks = _cell_text(ink, box)
    crops = []
    signs = []
    for a, b in _text_lines(keep):
        cols = np.where(keep[a:b].sum(axis=0) > 0)[0]
        if len(cols) == 0:
            continue
        ya, yb = y0 + INSET + a, y0 + INSET + b
        xa, xb = x0 + INSET + int(cols[0]), x0 + INSET + int(cols[-1]) + 1
        pad = max(4, (yb - ya) // 4)
        crop = gray[max(ya - pad, 0):yb + pad, max(xa - pad, 0):xb + pad]
        crops.append(padded(crop))
        # A number centred in its cell, standing right of the centre by about a minus's width, may have
        # lost it to the cleaning (a thin minus as light as a red seal under it is whitened with it).
        shift = ((xa + xb) / 2 - (x0 + x1) / 2) / max(yb - ya, 1)
        signs.append(faint_sign(gray[ya:yb, max(xa - (yb - ya), x0 + INSET):xa])
                     or SIGN_SHIFT[0] <= shift <= SIGN_SHIFT[1])
    return crops, specks, signs


SIGN_SHIFT = (0.15, 1.0)  # line heights right of a cell's centre where a centred number's lost minus leaves it
FRAME_COLUMNS = 2  # a ruled "grid" of this many columns or fewer is a box around a table, read by position
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
    upright, blocks = _scan_upright(bgr, page, scale, index)
    if title:
        blocks = [*(Paragraph(line, Provenance(page=page)) for line in title_lines(upright)), *blocks]
    return blocks


def _scan_upright(bgr: np.ndarray, page: int, scale: float, index: int) -> tuple[np.ndarray, list[Block]]:
    """(the page as read, its tables): read as it stands, and again turned when it read badly and another
    turn reads clearly better (a page on its side or upside down)."""
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
            return turned, _read_page(turned, page, scale, index)
    return bgr, tables


def _is_frame(grid: Grid) -> bool:
    return len(grid.xs) <= FRAME_COLUMNS + 1


def _read_page(bgr: np.ndarray, page: int, scale: float, index: int) -> list[Block]:
    """The tables of a page image, each with the boxes where a seal's ink was taken out of the page."""
    gray, ink, seal, lost = clean_page(bgr, min_len=max(30, bgr.shape[1] // 45))
    tables = _tables(gray, ink, seal, lost, page, scale, index)
    boxes = seal_boxes(lost, scale, bbox_origin(scale))
    return [replace(t, hidden=boxes) if boxes and isinstance(t, Table) else t for t in tables]


def _tables(gray: np.ndarray, ink: np.ndarray, seal: np.ndarray, lost: np.ndarray, page: int, scale: float,
            index: int) -> list[Block]:
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
        return unruled(gray, text_ink, page, scale, index, ruled, hidden=lost)
    if frames:
        inside = np.zeros_like(text_ink)
        for g in frames:
            inside[int(g.ys[0]):int(g.ys[-1]), int(g.xs[0]):int(g.xs[-1])] = 255
        tables.extend(unruled(gray, cv2.bitwise_and(text_ink, inside), page, scale, index, ruled, hidden=lost))
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
        tables.extend(unruled(gray, outside, page, scale, index, number=98, rows=OUTSIDE_ROWS, hidden=lost))
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
        for n, (r, c, rs, cs) in enumerate(specs):
            box = (int(grid.xs[c]), int(grid.ys[r]), int(grid.xs[c + cs]), int(grid.ys[r + rs]))
            boxes.append(box)
            cell_crops, specks_alone, signs = _cell_crops(gray, text_ink, box)
            if specks_alone:
                specks.add(n)
            for crop, sign in zip(cell_crops, signs, strict=True):
                if upscale != 1.0:
                    crop = cv2.resize(crop, None, fx=upscale, fy=upscale, interpolation=cv2.INTER_CUBIC)
                crops.append(crop)
                owners.append(n)
                signed.append(sign)
        readings = read_values(crops)
        per_cell: dict[int, list[Reading]] = {}
        for owner, reading, sign in zip(owners, readings, signed, strict=True):
            per_cell.setdefault(owner, []).append(with_sign(reading) if sign else reading)
        cells = []
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
            if not lines and read:
                confidence, alternatives = blank_of_specks(read, n in specks)
            x0, y0, x1, y1 = boxes[n]
            inner = (y0 + INSET, y1 - INSET, x0 + INSET, x1 - INSET)
            if seal[inner[0]:inner[1], inner[2]:inner[3]].any() and sealed(
                    seal[inner[0]:inner[1], inner[2]:inner[3]], lost[inner[0]:inner[1], inner[2]:inner[3]],
                    _cell_text(text_ink, boxes[n])[0] if lines else None):
                confidence = min(confidence, SEALED_CONFIDENCE)
            bbox = BBox(x0 / scale, y0 / scale, x1 / scale, y1 / scale, origin=bbox_origin(scale))
            cells.append(Cell(r, c, text, rs, cs, Provenance(page=page, bbox=bbox), confidence, alternatives))
        n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
        if any(cell.text for cell in cells):
            tables.append(Table(tuple(cells), n_rows, n_cols, "ocr-lattice", (page,), index * 100 + k))
    _log.debug("page %d: %d table(s) by OCR", page, len(tables))
    return sorted(tables, key=_top)


def _top(block: Block) -> float:
    """A table's top on its page, for reading order (a box read by position above or below a grid)."""
    tops = [c.provenance.bbox.y0 for c in block.cells if c.provenance.bbox] if isinstance(block, Table) else []
    return min(tops, default=0.0)
