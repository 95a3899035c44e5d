"""Tables read by position on a scanned page without a ruled grid (unruled, ruled across only, boxed): each
token of ink read and placed by its position, blank marks told by their shape."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

import cv2
import numpy as np

from extractor.model import SEALED_CONFIDENCE, Block, Cell
from extractor.normalize import CJK_RANGE
from extractor.sources.scan.crops import SEEN_THROUGH, read_alike
from extractor.sources.scan.marks import (
    DASH,
    SURE_SHAPE,
    faint_sign,
    glyph_labels,
    read_values,
    signable,
    with_sign,
)
from extractor.sources.scan.ocr import Reading
from extractor.sources.scan.tokens import (
    BLANK_TEXT,
    dash_for_one,
    full_lines,
    looks_tabular,
    meaningful,
    token_crops,
    token_table,
    tokens_and_dashes,
)

PIXEL_ORIGIN = "top-left, pixels"
ROW_TOKENS = 4  # tokens a line of a table has at least (a label and three values)


def unruled(gray: np.ndarray, ink: np.ndarray, page: int, scale: float, index: int,
             ruled: bool = False, number: int = 99, rows: int = 0, hidden: np.ndarray | None = None,
             plain: np.ndarray | None = None, stamp: np.ndarray | None = None, boxed: bool = False) -> list[Block]:
    """A page without a ruled grid: every text token read and placed by position. `ruled`: the ink is inside
    a box with rows ruled, a table whatever its number of words. `number`: the table's number on the page.
    `rows`: it must have this many lines of a label and values, or it is not read. `boxed`: the ink is inside
    a box (a table's outline), so fewer tokens make a table. `hidden`: where print
    was lost with a seal's ink (hidden.lost_print: what a token there reads is not sure, unless `plain`, the
    page as scanned, seal and all, reads it the same, surely). `stamp`: where a red stamp's ink is; a token on
    it is looked at so too (what the cleaning left of a '0' on its ring read as a sure '—': draw 37026)."""
    boxes, bars = tokens_and_dashes(ink)
    if rows and full_lines(boxes, ROW_TOKENS) < rows:
        return []
    if not ruled and not looks_tabular(boxes, len(bars), boxed):
        return []  # prose: reading it would cost seconds a page and give no table
    # Bars read apart: crops are batched by width, and the words' batches stay as they were without them.
    readings = [_signed_if_faint(gray, ink, box, read)
                for read, box in zip(read_values(token_crops(gray, boxes)), boxes, strict=True)]
    touched = hidden if hidden is None or stamp is None else cv2.bitwise_or(hidden, stamp)
    readings = _sealed(plain, hidden, touched, boxes, readings)
    boxes, readings = _digits_joined(gray, boxes, readings)
    marks: list[tuple[int, int, int, int]] = []
    dashes: list[Reading] = []
    for bar, read in zip(bars, read_values(token_crops(gray, bars)), strict=True):
        # A bar is a token only as a blank mark: read as anything else ('1'), it is a piece of a rule or
        # seal. Read as one, it is sure: its shape was measured on the page (its crop may hold specks too).
        if dash_for_one(read.text).strip() in BLANK_TEXT:
            marks.append(bar)
            dashes.append(Reading(DASH, max(read.confidence, SURE_SHAPE), ()))
    boxes += marks
    readings += sealed_marks(marks, dashes, touched)
    table = token_table(boxes, readings, page, scale, index * 100 + number, bbox_origin(scale))
    if table is None:
        return []
    return [replace(table, cells=tuple(replace(cell, words=spaced_words(cell)) for cell in table.cells))]


_CJK_WORD = re.compile(f"[{CJK_RANGE}]+")


def spaced_words(cell: Cell) -> tuple[tuple[str, float, float], ...]:
    """Header words of neighbouring narrow columns that one blob of ink held, read with a space between them
    ('法律服 其他' over 法律服务机构 and 其他, draw 32008: neither column named, no value of 表三 placed): each
    word at its place, Chinese glyphs being about as wide as tall, the rest of the width the gaps. () for one
    word, or words that are not all Chinese (a space inside a number is no word gap)."""
    parts = cell.text.split()
    box = cell.provenance.bbox
    if len(parts) < 2 or box is None or not all(_CJK_WORD.fullmatch(p) for p in parts):
        return ()
    letters = sum(len(p) for p in parts)
    glyph = min(box.y1 - box.y0, (box.x1 - box.x0) / letters)
    gap = (box.x1 - box.x0 - letters * glyph) / (len(parts) - 1)
    words = []
    x = box.x0
    for part in parts:
        words.append((part, x, x + len(part) * glyph))
        x += len(part) * glyph + gap
    return tuple(words)


def _signed_if_faint(gray: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int], read: Reading) -> Reading:
    """A number token that may have lost its minus to the cleaning, as a ruled cell may (draw 25008: a red
    seal's cleaning left 4 pixels of the minus of '-5', inside the token's box, read '5' surely): the grey
    before its first glyph (specks of the token left out) is looked at for a faint bar."""
    if not signable(read.text.strip()):
        return read
    x0, y0, x1, y1 = box
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink[y0:y1, x0:x1], connectivity=8)
    glyphs = glyph_labels(stats)
    if not glyphs:
        return read
    start = x0 + min(int(stats[k, 0]) for k in glyphs)
    return with_sign(read) if faint_sign(gray[y0:y1, max(start - (y1 - y0), 0):start]) else read


DIGIT_GAP = 0.8  # line heights: digits closer than this on a line are one number (columns stand farther apart)


def _digits_joined(gray: np.ndarray, boxes: list[tuple[int, int, int, int]], readings: list[Reading]
                   ) -> tuple[list[tuple[int, int, int, int]], list[Reading]]:
    """Numbers cut in two tokens at a letter gap ('11' as '1' and '1': the gap beside a narrow '1' is wider
    than the word gap the tokens are joined across; draw 32002, 300 dpi, '11' two values for one column and
    the row lost): two digit tokens side by side on a line closer than DIGIT_GAP line heights, read again
    together and joined where that reads the two as one."""
    by_left = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    lefts = [boxes[i][0] for i in by_left]
    pairs = []
    for i in range(len(boxes)):
        x0, y0, x1, y1 = boxes[i]
        if not readings[i].text.strip().isdigit():
            continue
        near = by_left[bisect_left(lefts, x1):bisect_right(lefts, x1 + DIGIT_GAP * 2 * (y1 - y0))]
        right = [j for j in near if j != i and
                 min(y1, boxes[j][3]) - max(y0, boxes[j][1]) >= 0.5 * min(y1 - y0, boxes[j][3] - boxes[j][1])]
        if not right:
            continue
        j = right[0]
        height = max(y1 - y0, boxes[j][3] - boxes[j][1])
        if readings[j].text.strip().isdigit() and boxes[j][0] - x1 <= DIGIT_GAP * height:
            pairs.append((i, j))
    used = [k for pair in pairs for k in pair]
    if not pairs or len(set(used)) != len(used):
        return boxes, readings  # chains of three: left as read
    unions = [(boxes[i][0], min(boxes[i][1], boxes[j][1]), boxes[j][2], max(boxes[i][3], boxes[j][3]))
              for i, j in pairs]
    joined = dict(zip(pairs, zip(unions, read_values(token_crops(gray, unions)), strict=True), strict=True))
    out_boxes, out_readings = list(boxes), list(readings)
    drop = set()
    for (i, j), (union, again) in joined.items():
        both = readings[i].text.strip() + readings[j].text.strip()
        if again.text.strip() == both:
            out_boxes[i] = union
            out_readings[i] = replace(again, confidence=min(again.confidence, readings[i].confidence,
                                                            readings[j].confidence))
            drop.add(j)
    keep = [k for k in range(len(boxes)) if k not in drop]
    return [out_boxes[k] for k in keep], [out_readings[k] for k in keep]


def _sealed(plain: np.ndarray | None, hidden: np.ndarray | None, touched: np.ndarray | None,
            boxes: list[tuple[int, int, int, int]], readings: list[Reading]) -> list[Reading]:
    """The readings, those of tokens a seal touched (`touched`: where print was lost, or a red stamp lies)
    unsure unless the page as scanned reads them the same, surely."""
    if touched is None:
        return readings
    sure = _seen_through(plain, hidden, touched, boxes, readings) if plain is not None and hidden is not None \
        else set()
    return [read if i in sure else _under_seal(read, box, touched)
            for i, (read, box) in enumerate(zip(readings, boxes, strict=True))]


def _seen_through(plain: np.ndarray, hidden: np.ndarray, touched: np.ndarray, boxes: list[tuple[int, int, int, int]],
                  readings: list[Reading]) -> set[int]:
    """Tokens that lost print with a seal's ink and read the same, surely, on the page as scanned (draw 36015:
    '120' and '648.43' of 表二 under a grey seal, no identity to confirm them, flagged), as a ruled cell's
    second look does (crops.seen_through). The token's box is widened over the print lost beside it on its
    line: a digit the cleaning took whole is read there and the two readings differ."""
    under = [i for i, box in enumerate(boxes) if _touches(touched, box) and readings[i].confidence >= SEEN_THROUGH]
    wide = [_with_lost(hidden, boxes[i]) for i in under]
    again = read_values(token_crops(plain, wide))
    return {i for i, other in zip(under, again, strict=True) if read_alike(readings[i], other)}


def _touches(hidden: np.ndarray, box: tuple[int, int, int, int], reach: int = 1) -> bool:
    x0, y0, x1, y1 = box
    return bool(hidden[max(y0 - reach, 0):y1 + reach, max(x0 - reach, 0):x1 + reach].any())


MARK_REACH = 2  # bar heights around a blank mark where a seal makes it what is left of a glyph


def sealed_marks(bars: list[tuple[int, int, int, int]], dashes: list[Reading], touched: np.ndarray | None
                 ) -> list[Reading]:
    """Blank marks read from bars, unsure where a seal touched the bar or came within two of its heights: its
    thin box holds what the cleaning left of a glyph (the top of a '0' on a red ring read '—' surely: draw
    37026), so it is not seen through either."""
    if touched is None:
        return dashes
    return [Reading(d.text, min(d.confidence, SEALED_CONFIDENCE), ()) if _touches(
        touched, bar, max(1, MARK_REACH * (bar[3] - bar[1]))) else d for bar, d in zip(bars, dashes, strict=True)]


def _with_lost(hidden: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """`box` widened over the lost print on its line within a line height either side."""
    x0, y0, x1, y1 = box
    reach = y1 - y0
    left = max(x0 - reach, 0)
    cols = np.flatnonzero(hidden[y0:y1, left:x1 + reach].any(axis=0))
    if len(cols) == 0:
        return box
    return min(x0, left + int(cols[0])), y0, max(x1, left + int(cols[-1]) + 1), y1


def _under_seal(read: Reading, box: tuple[int, int, int, int], hidden: np.ndarray | None) -> Reading:
    """A token that lost print with a seal's ink: what is left of it is read unsurely, and when the cleaning cut it to a
    letter ('è' of a '0' the ring crossed, draw 31020: dropped as a speck's reading, the cell read blank
    surely) its number reading stands, unsure."""
    if hidden is None or not _touches(hidden, box):
        return read
    numeric = read.numeric
    if not meaningful(read.text) and numeric is not None and numeric.text.strip().isdigit():
        return Reading(numeric.text, min(numeric.confidence, SEALED_CONFIDENCE), read.alternatives)
    return Reading(read.text, min(read.confidence, SEALED_CONFIDENCE), read.alternatives, read.numeric)


def bbox_origin(scale: float) -> str:
    """The origin stated on the boxes of a page read at `scale` pixels per output unit."""
    return "top-left, points" if scale != 1.0 else PIXEL_ORIGIN
