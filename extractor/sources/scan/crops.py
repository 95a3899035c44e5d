"""A grid cell's text on a scanned page: its ink without the cell's own rules and specks, its lines as
crops for the recogniser, and cells the grid merged split back along their rows and columns."""

from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np

from extractor.model import Cell
from extractor.sources.scan.marks import faint_sign, read_values
from extractor.sources.scan.ocr import Reading
from extractor.sources.scan.tokens import SPECK_PAGE, dash_for_one, line_bands, merge_thin_bands, padded

RESIDUE_SPAN = 0.7  # a stroke along a cell's edge over this share of its side is a rule, not a letter
RESIDUE_THIN = 12  # ... and so is one this many times longer than thick over a third of it (no letter is)


def _rule_residue(x: int, y: int, w: int, h: int, width: int, height: int) -> bool:
    """A thin stroke lying along the crop's edge for most of its length: the cell's own rule, slanted or
    bent by a photo's perspective past the inset (read as '1' or '7' in a blank cell); in a tall cell
    spanning many rows, a piece of it along a third of the side; or a stub of it in a corner."""
    along_side = (x == 0 or x + w >= width) and (
        (h >= RESIDUE_SPAN * height and w * 4 <= h) or (3 * h >= height and w * RESIDUE_THIN <= h))
    along_top = (y == 0 or y + h >= height) and (
        (w >= RESIDUE_SPAN * width and h * 4 <= w) or (3 * w >= width and h * RESIDUE_THIN <= w))
    # A stub of a rule a seal's cleaning cut short, in the cell's corner (draw 36014: 4 by 15 pixels at the
    # top left, read with the '0' beside it as one bar, a sure '—'): thin, on a side and at the top or foot.
    corner = (x == 0 or x + w >= width) and (y == 0 or y + h >= height) and (3 * w <= h or 3 * h <= w)
    return along_side or along_top or corner


INSET = 5  # pixels inside a cell's box that keep its own rules out
SPECK_LINE = 0.35  # a text line whose blobs are all under this share of the cell's largest blob is specks
APART = 1.5  # specks: a speck this many speck sizes from every larger blob is noise, not a decimal point
GLYPH_SHARE = 0.5  # ... where larger is a glyph's size: half the cell's tallest blob (a '-' or '.' is less)
# A blob a glyph's size only by its box is noise when it stands this many of the tallest blob's heights from
# every other blob, under LONE_HEIGHT of that height and LONE_AREA of the largest blob's ink, and no dash
# (a blank mark's '-' beside a larger speck: LONE_DASH times as wide as high or more).
LONE_FAR, LONE_HEIGHT, LONE_AREA, LONE_DASH = 2.0, 0.6, 0.3, 2.0


def cell_text(ink: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, bool]:
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
        if len(kept) > 1:
            tallest = max(int(stats[k, cv2.CC_STAT_HEIGHT]) for k in kept)
            most = max(int(stats[k, cv2.CC_STAT_AREA]) for k in kept)
            kept = [k for k in kept if not _lone(k, kept, stats, tallest, most)]
    keep[np.isin(labels, kept)] = 255
    return keep, largest < speck


def _lone(k: int, kept: list[int], stats: np.ndarray, tallest: int, most: int) -> bool:
    """A blurred speck far from the cell's text (draw 37038: 9x9 pixels, 34 of ink, 372 pixels right of a
    12x17 '0': the crop ran 413 pixels wide and read '0' at 0.81). `tallest`, `most`: the kept blobs'
    largest height and ink."""
    _, _, w, h, area = (int(v) for v in stats[k])
    if h >= LONE_HEIGHT * tallest or area >= LONE_AREA * most or w >= LONE_DASH * h:
        return False
    return all(_gap(stats[k], stats[j]) > LONE_FAR * tallest for j in kept if j != k)


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
    lines = _text_lines(cell_text(ink, (int(xs[c]), top, int(xs[c + cs]), int(ys[r + rs])))[0])
    if len(lines) < 2:
        return [spec]
    height = float(np.median([b - a for a, b in lines]))
    # A thin line across the lost rule is what is left of it, no text (fresh draw 40030: '0\n一\n0' under a
    # seal, the （七）总计 row lost).
    cuts = [ys[r + j] - top - INSET for j in range(1, rs)]
    lines = [(a, b) for a, b in lines if b - a >= RULE_RESIDUE * height or not any(
        a - RULE_RESIDUE_REACH <= cut <= b + RULE_RESIDUE_REACH for cut in cuts)]
    if len(lines) < 2:
        return [spec]
    # Lines close together are one label (wrapped or stacked); labels of different rows are far apart.
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


RULE_RESIDUE = 0.4  # a line of a cell over rows this much thinner than its others, across a lost rule's place ...
RULE_RESIDUE_REACH = 3  # ... within this many pixels, is what is left of the rule


RULE_PIECE = 0.6  # share of a cell's height a rule's piece runs down (a seal-cut row's piece: 0.72) ...
RULE_PIECE_X = 3  # ... within this many pixels of the column's rule ...
RULE_PIECE_FILL = 0.75  # ... as a solid bar (0.85; strokes of characters, a '1', a bracket: 0.45-0.63)


def split_by_columns(spec: tuple[int, int, int, int], ys: list[float], ink: np.ndarray,
                     xs: list[float]) -> list[tuple[int, int, int, int]]:
    """A cell spanning columns where a column's rule runs elsewhere in the grid and the cell's ink stands on
    both sides of it: with a rule's piece down it (the rule is there, only too short to be found: a row's
    piece of a rule whose rest a seal's cleaning took, draw 27001, two values of 表四 read as one), or with
    paper wider than the text's height at the rule and no character across it (the rule lost whole: draw
    36001, a seal's cleaning took the dashed rules of three rows, '— 7 —' read as one cell). One cell per
    side of each cut; a text centred over the span, or running across a column's rule, stays one cell."""
    r, c, rs, cs = spec
    if cs < 2:
        return [spec]
    top, bottom = int(ys[r]) + INSET, int(ys[r + rs]) - INSET
    left, right = int(xs[c]) + INSET, int(xs[c + cs]) - INSET
    if bottom - top < 4 or right - left < 4:
        return [spec]
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink[top:bottom, left:right], connectivity=8)
    text = cell_text(ink, (int(xs[c]), int(ys[r]), int(xs[c + cs]), int(ys[r + rs])))[0]
    m, _, kept, _ = cv2.connectedComponentsWithStats(text, connectivity=8)
    line = max([int(h) for h in kept[1:m, cv2.CC_STAT_HEIGHT]] + [int(2 * SPECK_PAGE * ink.shape[1])])
    cuts = [j for j in range(1, cs) if _rule_piece(stats[1:n], int(xs[c + j]) - left, bottom - top)
            or _paper_between(kept[1:m], int(xs[c + j]) - left, line, text.shape[0])]
    edges = [0, *cuts, cs]
    return [(r, c + a, rs, b - a) for a, b in zip(edges, edges[1:], strict=False)]


# Text heights of paper at a column's rule between two columns' texts: values of neighbouring columns stand
# 2.5 and more apart, a number and its unit one (draw 31008: '28.93 万元' over two columns cut at 1.0).
SPLIT_GAP = 1.5
SPLIT_GLYPH = 0.6  # ... with a glyph at least this share of the tallest's height on each side
SPLIT_DASH = 0.4  # ... or a dash at least this long (a '-' blank mark)


def _paper_between(stats: np.ndarray, x: int, line: int, height: int) -> bool:
    """Whether text stands left and right of `x` with paper at least SPLIT_GAP text heights wide around it
    and nothing but an upright rule's piece across it."""
    # A rule's piece is thin, on the rule, and solid or running from the rule above or below (draw 36014: 11
    # pixels of it from the top, 7 wide; 35024: 18 of 34, a seal's ring cut both ends); a bracket there
    # (curved: hollow in its box) is text across the rule.
    across = [s for s in stats if s[0] < x < s[0] + s[2]
              and not (s[2] <= 2 * RULE_PIECE_X + 1 and abs(s[0] + s[2] / 2 - x) <= RULE_PIECE_X
                       and (s[1] == 0 or s[1] + s[3] >= height or s[4] >= RULE_PIECE_FILL * s[2] * s[3]))]
    lefts = [int(s[0] + s[2]) for s in stats if s[0] + s[2] <= x]
    rights = [int(s[0]) for s in stats if s[0] >= x]
    # Text, not a speck, on each side: a glyph's height or a dash's length (draw 37038: a 9-pixel speck beside
    # a '0' centred over three columns cut it off, read '2', and the row had two values for one).
    glyph = [s for s in stats if s[3] >= SPLIT_GLYPH * line or (s[2] >= 2 * s[3] and s[2] >= SPLIT_DASH * line)]
    sides = any(s[0] + s[2] <= x for s in glyph) and any(s[0] >= x for s in glyph)
    return not across and sides and min(rights) - max(lefts) >= SPLIT_GAP * line  # sides: lefts, rights not empty


def _rule_piece(stats: np.ndarray, x: int, height: int) -> bool:
    """Whether a solid upright bar stands at `x` (a column's rule) with other ink left and right of it."""
    for k, (bx, _by, bw, bh, area) in enumerate(stats):
        if bx - RULE_PIECE_X <= x <= bx + bw + RULE_PIECE_X and bh >= RULE_PIECE * height and \
                3 * bw <= bh and area >= RULE_PIECE_FILL * bw * bh:
            others = [s for j, s in enumerate(stats) if j != k and s[4] >= 8]
            return any(s[0] + s[2] <= bx for s in others) and any(s[0] >= bx + bw for s in others)
    return False


def cell_crops(gray: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int], sealed: bool = True
               ) -> tuple[list[np.ndarray], bool, list[bool]]:
    """A crop per text line of the cell, whether the cell holds specks alone, and per line whether a faint
    bar stands just before it (a minus the cleaning took: `faint_sign`) or, in a cell a seal's ink was
    taken from (`sealed`), the number stands where a lost minus would have put it."""
    x0, y0, x1, _y1 = box
    keep, specks = cell_text(ink, box)
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
        # lost it to the cleaning (a thin minus as light as a red seal under it is whitened with it). Not
        # where no seal was: a '5' a few pixels off centre by a skewed double rule was flagged (draw 40000).
        shift = ((xa + xb) / 2 - (x0 + x1) / 2) / max(yb - ya, 1)
        signs.append(faint_sign(gray[ya:yb, max(xa - (yb - ya), x0 + INSET):xa])
                     or sealed and SIGN_SHIFT[0] <= shift <= SIGN_SHIFT[1])
    return crops, specks, signs


SIGN_SHIFT = (0.15, 1.0)  # line heights right of a cell's centre where a centred number's lost minus leaves it


SEEN_THROUGH = 0.9  # a cell under a seal read this surely as the same text on the page as scanned is sure


def seen_through(plain: np.ndarray, ink: np.ndarray, cells: list[Cell], under_seal: dict[int, tuple[str, float]],
                 boxes: list[tuple[int, int, int, int]], upscale: float) -> list[Cell]:
    """Cells read under a seal (`under_seal`: index in `cells` and `boxes` -> the line read, its confidence)
    looked at again on the page as scanned, seal and all (`ink`: the text's ink with the print the seal may
    have taken): the same text read surely both ways is sure (draw 35005: a bold '0' on a grey seal's square
    kept whole, its blurred edges whitened with the square, flagged). A digit the cleaning cut reads
    otherwise there (31011: an '8' half under a square read '3' on the cleaned page) and stays unsure."""
    order = list(under_seal)
    crops = [cell_crops(plain, ink, boxes[k])[0] for k in order]
    single = [k for k, lines in zip(order, crops, strict=True) if len(lines) == 1]
    images = [lines[0] for lines in crops if len(lines) == 1]
    if upscale != 1.0:
        images = [cv2.resize(im, None, fx=upscale, fy=upscale, interpolation=cv2.INTER_CUBIC) for im in images]
    out = list(cells)
    for k, again in zip(single, read_values(images), strict=True):
        text, confidence = under_seal[k]
        if read_alike(Reading(text, confidence), again):
            out[k] = replace(cells[k], confidence=min(again.confidence, confidence))
    return out


def read_alike(first: Reading, again: Reading) -> bool:
    """Whether two readings of one place are the same text (spaces aside but between digits), both sure."""
    # '一' is the dash as the recogniser reads it ('—' on the cleaned page, '一' through the seal: 40002).
    return spaced(dash_for_one(again.text)) == spaced(dash_for_one(first.text)) != "" and min(
        again.confidence, first.confidence) >= SEEN_THROUGH


def spaced(text: str) -> str:
    """A line's text without its spaces but those between two digits (two numbers, not one)."""
    return _LOOSE_SPACE.sub("", text)


_LOOSE_SPACE = re.compile(r"(?<!\d)\s+|\s+(?!\d)")
