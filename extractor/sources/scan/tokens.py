"""Scanned pages without rules: text tokens found by OpenCV, read by the recogniser, placed like the
positioned text lines of an unruled born-digital table (the mapper puts values under header words).

Characters of a word or a number are close; table columns are far apart. Ink is dilated across the small
gaps only, each blob is a token, tokens are grouped into lines by vertical overlap.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import cv2
import numpy as np

from extractor.model import BBox, Cell, Char, Provenance, Table
from extractor.normalize import CJK_RANGE
from extractor.sources.pdflayout import lines_of
from extractor.sources.scan.ocr import Reading

MAX_TOKENS = 1500  # a page of text, not a bomb
SPECK_PAGE = 0.004  # page widths: a blob under this both ways is noise (a 10.5 pt character is ~0.017, a '-' ~0.008)
_CJK_OR_DIGIT = re.compile(f"[{CJK_RANGE}0-9]")
CJK = re.compile(f"[{CJK_RANGE}]")


def padded(crop: np.ndarray) -> np.ndarray:
    """A crop with a margin of its own background for the recogniser (its median grey: a white margin
    around a shaded cell frames the text in a box, read as '□')."""
    return np.pad(crop, 6, constant_values=int(np.median(crop)) if crop.size else 255)


def token_crops(gray: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> list[np.ndarray]:
    """Each token's box with a 3-pixel margin, padded for the recogniser."""
    return [padded(gray[max(y0 - 3, 0):y1 + 3, max(x0 - 3, 0):x1 + 3]) for x0, y0, x1, y1 in boxes]


def token_boxes(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of each word-like blob of ink."""
    return tokens_and_dashes(ink, dashes=False)[0]


def tokens_and_dashes(ink: np.ndarray, dashes: bool = True) -> tuple[list[tuple[int, int, int, int]],
                                                                     list[tuple[int, int, int, int]]]:
    """(x0, y0, x1, y1) of each word-like blob of ink, and (with `dashes`) of each bar too thin for a word
    that may be the blank mark '—' (see dash_boxes)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    # A typical character's height, specks of a noisy scan aside (hundreds of them put it at 5 pixels, and
    # every speck became a word: a page of prose looked like a table, draw 22023).
    speck = SPECK_PAGE * ink.shape[1]
    heights = [int(stats[k, cv2.CC_STAT_HEIGHT]) for k in range(1, n) if stats[k, cv2.CC_STAT_AREA] >= 12
               and max(stats[k, cv2.CC_STAT_WIDTH], stats[k, cv2.CC_STAT_HEIGHT]) >= speck]
    if not heights:
        return [], []
    glyph = max(8, int(np.percentile(heights, 75)))
    # Ink of more than specks, summed over boxes: specks the joining below made one blob are no word (draw
    # 28010: five specks of noise in a diagonal read '7' at 0.19, a fourth value in a row of three columns).
    big = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) >= speck
    big[0] = False
    more_than_specks = cv2.integral(big[labels].astype(np.uint8))
    # Across: the gap between characters of a word. Down: only the gaps inside one character (三, 二),
    # never the leading between lines, or stacked labels would join rows.
    kx, ky = max(3, glyph * 2 // 5), max(2, glyph // 6)
    joined = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (kx, ky)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    # Back to the ink's own extent: dilated boxes of neighbouring table rows would overlap.
    xs, ys = stats[1:, 0] + kx // 2, stats[1:, 1] + ky // 2
    ws, hs = stats[1:, 2] - kx + 1, stats[1:, 3] - ky + 1
    # Specks of a noisy scan out before the cap: the cap counts words, and specks would use it up before
    # the lower half of the page.
    tall = (hs >= glyph // 2) & (ws >= 3) & (hs <= 12 * glyph)
    words = np.nonzero(tall)[0][:MAX_TOKENS]
    for x, y, w, h in zip(xs[words], ys[words], ws[words], hs[words], strict=True):
        x0, y0, x1, y1 = max(int(x), 0), max(int(y), 0), int(x + w), int(y + h)
        if not (more_than_specks[y1, x1] - more_than_specks[y0, x1] - more_than_specks[y1, x0]
                + more_than_specks[y0, x0]):
            continue
        if h <= 1.6 * glyph:
            boxes.append((int(x), int(y), int(x + w), int(y + h)))
            continue
        # Still taller than a line (characters stacked one per line): one token per text line.
        for a, b in line_bands(ink[y:y + h, x:x + w], min_gap=2, min_height=glyph // 2):
            boxes.append((int(x), int(y + a), int(x + w), int(y + b)))
    bars = dash_boxes(ink, np.stack([xs, ys, xs + ws, ys + hs], axis=1), tall, glyph) if dashes else []
    return _joined_at_points(ink, boxes, glyph), bars


POINT_GAP = 1.2  # glyph heights: two tokens a point joins stand closer than this (point and gaps) ...
POINT_SIDE = 0.65  # ... and the point closer than this to the glyphs on either side (noise between columns)


def _joined_at_points(ink: np.ndarray, boxes: list[tuple[int, int, int, int]], glyph: int
                      ) -> list[tuple[int, int, int, int]]:
    """A token and the token just after it on its line joined where a point stands between them, ending the
    first or starting the second: the two halves of a decimal amount ('323.' '12', '137' '.06': draws 31015
    and 31031, an amount read as two values for one column, the cell lost), a label's numbering ('3' '.其他',
    31031: 表三's row 其他 unmapped)."""
    out = sorted(boxes, key=lambda b: (b[0], b[1]))
    lefts = [b[0] for b in out]  # kept in step with `out`: a join keeps the first token's left edge
    k = 0
    while k < len(out):
        x0, y0, x1, y1 = out[k]
        near = range(bisect_left(lefts, x1), bisect_right(lefts, x1 + POINT_GAP * glyph))
        after = [j for j in near if j != k and min(y1, out[j][3]) - max(y0, out[j][1])
                 >= 0.5 * min(y1 - y0, out[j][3] - out[j][1])]
        if len(after) == 1 and _point_between(ink, out[k], out[after[0]], glyph):
            b = out.pop(after[0])
            del lefts[after[0]]
            k -= after[0] < k
            out[k] = (x0, min(y0, b[1]), max(x1, b[2]), max(y1, b[3]))
            continue
        k += 1
    return out


def _point_between(ink: np.ndarray, a: tuple[int, int, int, int], b: tuple[int, int, int, int], glyph: int
                   ) -> bool:
    """Whether a point (a blob small and low on the line) stands between the last glyph of token `a` and the
    first of `b`: at the end of `a`, at the start of `b`, or alone between them (a speck, in no token)."""
    x0, x1 = max(a[2] - glyph, a[0]), min(b[0] + glyph, b[2])
    y0, y1 = min(a[1], b[1]), max(a[3], b[3])
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink[y0:y1, x0:x1], connectivity=8)
    glyphs = [(int(stats[i, 0]), int(stats[i, 0] + stats[i, 2])) for i in range(1, n)
              if int(stats[i, 3]) >= glyph // 2]
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if max(w, h) > glyph // 3 or y + h < (y1 - y0) - glyph // 4:
            continue  # not a point: too large, or not low on the line
        left = [g1 for _, g1 in glyphs if g1 <= x]
        right = [g0 for g0, _ in glyphs if g0 >= x + w]
        if left and right and not any(g0 < x + w and g1 > x for g0, g1 in glyphs) and \
                max(x - max(left), min(right) - x - w) <= POINT_SIDE * glyph:
            return True
    return False


@dataclass(frozen=True)
class DashSettings:
    """When a blob too thin for a word is the blank mark '—' of a table read by position, in typical glyph
    heights. Strokes of a character that blur split off are thin bars too: a detached stroke of 三, 二 or 情
    has the rest of the character just above or below it, one of 工 or 王 sits at the top or bottom of its
    line, not mid-height."""

    min_width: float = 0.4
    max_width: float = 3.0
    max_height: float = 0.35
    min_fill: float = 0.25  # share of its box the bar's ink fills (noise clusters are sparse)
    alone_above: float = 0.6  # no other ink over or under it within this gap (a bar of 二, the rest of 情)
    piece: float = 0.3  # ink this large either way counts there; smaller is specks
    mid_line: float = 0.3  # its centre this close to the centre of another token of its line ...
    apart: float = 1.0  # ... and every token of its line at least this far from it (一 in a label has
    # its neighbours closer, even at wide letter spacing)


DASHES = DashSettings()


def dash_boxes(ink: np.ndarray, boxes: np.ndarray, tall: np.ndarray, glyph: int,
               settings: DashSettings = DASHES) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of the thin blobs that are blank marks: solid bars a dash wide, alone in their column
    (no other ink just above or below), at mid-height of a line that holds another token, and with no
    token close beside them."""
    x0, y0, x1, y1 = (boxes[:, k] for k in range(4))
    w, h = x1 - x0, y1 - y0
    thin = (~tall & (w >= settings.min_width * glyph) & (w <= settings.max_width * glyph)
            & (h <= settings.max_height * glyph) & (h >= 1))
    candidates = [int(k) for k in np.nonzero(thin)[0]
                  if np.count_nonzero(ink[y0[k]:y1[k], x0[k]:x1[k]]) >= settings.min_fill * w[k] * h[k]]
    bars = np.zeros(len(boxes), dtype=bool)
    bars[candidates] = True
    pieces = np.maximum(w, h) >= settings.piece * glyph  # any ink but specks
    centre = (y0 + y1) / 2
    out = []
    for k in candidates:
        overlap = (np.minimum(x1, x1[k]) - np.maximum(x0, x0[k])) > 0.5 * np.minimum(w, w[k])
        gap = np.maximum(y0 - y1[k], y0[k] - y1)
        stacked = pieces & overlap & (gap < settings.alone_above * glyph)
        stacked[k] = False
        if stacked.any():
            continue
        off_centre = np.abs(centre - centre[k])
        gap_x = np.maximum(x0 - x1[k], x0[k] - x1)
        beside = (tall | bars) & (off_centre <= glyph) & (gap_x < settings.apart * glyph)
        beside[k] = False
        level = (tall | bars) & (off_centre <= settings.mid_line * glyph) & (gap_x >= settings.apart * glyph)
        if not beside.any() and level.any():
            out.append((int(x0[k]), int(y0[k]), int(x1[k]), int(y1[k])))
    return out[:MAX_TOKENS]


def line_bands(ink: np.ndarray, min_gap: int, min_height: int) -> list[tuple[int, int]]:
    """(top, bottom) rows of the text lines in an ink mask: horizontal projection split at blank gaps
    wider than `min_gap`, bands lower than `min_height` dropped."""
    rows = np.where(ink.sum(axis=1) > 0)[0]
    if len(rows) == 0:
        return []
    bands = []
    start = prev = int(rows[0])
    for r in rows[1:]:
        if r - prev > min_gap:
            bands.append((start, prev + 1))
            start = int(r)
        prev = int(r)
    bands.append((start, prev + 1))
    return [(a, b) for a, b in bands if b - a >= min_height]


THIN_BAND = 0.5  # a band under this share of the tallest line's height is part of a character (三's strokes)
MERGED_BAND = 1.3  # ... joined to its nearest band only while the two stay within one line's height


def merge_thin_bands(bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Bands of `line_bands` with the strokes of one character put back together: at high resolution the
    gaps between the strokes of 三 or 二 are wider than the gap that separates lines."""
    out = list(bands)
    while len(out) > 1:
        tallest = max(b - a for a, b in out)
        merges = []
        for i, (a, b) in enumerate(out):
            if b - a >= THIN_BAND * tallest:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(out):
                    top, bottom = min(a, out[j][0]), max(b, out[j][1])
                    if bottom - top <= MERGED_BAND * tallest:
                        gap = out[j][0] - b if j > i else a - out[j][1]
                        merges.append((gap, min(i, j)))
        if not merges:
            break
        _, k = min(merges)
        out[k:k + 2] = [(out[k][0], out[k + 1][1])]
    return out


def full_lines(boxes: list[tuple[int, int, int, int]], least: int) -> int:
    """Lines (tokens whose middles lie within each other's height) of at least `least` tokens: a table's
    rows hold a label and values; prose, headings and specks do not line up so."""
    lines: list[tuple[float, float, int]] = []  # top, bottom, tokens
    for _x0, y0, _x1, y1 in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        middle = (y0 + y1) / 2
        if lines and lines[-1][0] <= middle <= lines[-1][1]:
            top, bottom, count = lines[-1]
            lines[-1] = (top, bottom, count + 1)
        else:
            lines.append((y0, y1, 1))
    return sum(1 for *_, count in lines if count >= least)


def looks_tabular(boxes: list[tuple[int, int, int, int]], marks: int = 0, boxed: bool = False) -> bool:
    """Many short tokens (numbers, header words, `marks`: dashes standing for blanks): a table; prose is long
    runs of characters (draw 28035: 表四 ruled across only, blanks '—', six digits and three '总计' counted). In a
    box, half as many, words of five glyphs counted (41018: 表四 in an outer box, blanks printing nothing)."""
    least, wide = (6, 5) if boxed else (12, 3)
    if len(boxes) + marks < least or not boxes:
        return False
    heights = sorted(y1 - y0 for _, y0, _, y1 in boxes)
    glyph = heights[len(heights) // 2]
    short = marks + sum(1 for x0, _, x1, _ in boxes if x1 - x0 <= wide * glyph)
    return short >= least and short >= 0.3 * (len(boxes) + marks)


_ONE_AS_DASH = {"一": "—", "一一": "——"}
_END_SPECKS = ".,:;·'` "  # specks read beside a glyph


def dash_for_one(text: str) -> str:
    """A cell (or token) that reads as the character 一 and nothing else (a speck beside it aside: '一.') is a
    printed dash, the blank mark: the recogniser reads '—' as 一; no label of the tables is 一 alone."""
    return _ONE_AS_DASH.get(text.strip().strip(_END_SPECKS), text)


def without_rule_strokes(text: str) -> str:
    """A line of words with a cell rule's stub read at its ends as '|' or '丨', or as 'l', 'I', 'i' beside a
    Chinese character (a double rule's inner line: draw 39027, '小\nli计' named no column); no label has them."""
    return _RULE_LETTERS.sub("", text.strip("|丨 ")).strip() if CJK.search(text) else text


_RULE_LETTERS = re.compile(f"^[|丨lIi]{{1,3}}(?=[{CJK_RANGE}])|(?<=[{CJK_RANGE}])[|丨lIi]{{1,3}}$", re.MULTILINE)


BLANK_TEXT = frozenset({"-", "—", "/", "－", "／", "——"})  # a blank cell's printed marks


def meaningful(text: str) -> bool:
    """Text, a number or a blank marker; a speck read as '.', ':' or 'B' is noise."""
    text = text.strip()
    return bool(text) and (bool(_CJK_OR_DIGIT.search(text)) or text in BLANK_TEXT)


LABEL_GAP = 1.0  # glyph heights: words of one label apart by less than this are one token (letter spacing)
NUMBER_TOKEN = re.compile(r"[-—/]|[0-9][0-9,，.]*(?:万元|亿元|元)?")  # a value token: a number or a blank mark
AMOUNT_HEAD = re.compile(r"[0-9][0-9,，.]*[万亿]?")  # a number, perhaps with the first letter of its unit
UNIT_TAIL = re.compile(r"万元|亿元|元")  # ... and the rest of the unit, a token of its own at letter spacing


def _units_joined(line: list[Char], readings: dict[int, Reading]) -> list[Char]:
    """An amount's unit read apart from its number ('420.92万' '元', draw 28007's 政府集中采购 in an unruled
    表二) is part of the value: apart, the line did not end in a value and its label was left in pieces."""
    out: list[Char] = []
    for ch in line:
        prev = out[-1] if out else None
        # After a 万 or 亿 only a 元 can stand, however it was read ('兀': draw 32002, JPEG 25; at 0.68 it made
        # the amount unsure): the number's reading is the value's.
        after_ten_thousand = prev is not None and prev.text.strip()[-1:] in ("万", "亿")
        tail = "元" if after_ten_thousand and ch.text.strip() in ("兀", "元") else ch.text.strip()
        if (prev is not None and UNIT_TAIL.fullmatch(tail) and AMOUNT_HEAD.fullmatch(prev.text.strip())
                and _close(prev, ch, float("inf"))):
            unit = ch._replace(text=tail)
            readings[id(unit)] = Reading(tail, 1.0, ()) if after_ten_thousand else readings[id(ch)]
            out[-1] = _join(prev, unit, readings)
        else:
            out.append(ch)
    return out


def _run_of_values(line: list[Char]) -> int:
    """Index of the first token of the run of values that ends the line (len(line) when it ends in none)."""
    k = len(line)
    while k > 0 and NUMBER_TOKEN.fullmatch(line[k - 1].text.strip()):
        k -= 1
    return k


def _values_start(lines: list[list[Char]]) -> float:
    """The left edge of the value columns: where the run of values that ends the lines holding values starts
    (the lowest such edge on the page, a stray number in a label aside)."""
    starts = []
    for line in lines:
        k = _run_of_values(line)
        if k < len(line) - 1:  # two values at least
            starts.append(line[k].x0)
    return float(np.percentile(starts, 10)) if starts else float("-inf")


def _label_words_joined(line: list[Char], readings: dict[int, Reading], values_at: float) -> list[Char]:
    """A row label's words split at wide letter spacing ('(二)', '部分公', '开') joined again: on a line
    that ends in values, Chinese tokens left of the value columns and close together are one, and so are two
    with a short token between them (a ')' read '1'). Lines without values (header words of narrow
    columns, 表四's) and the values themselves are never joined."""
    if not line or not NUMBER_TOKEN.fullmatch(line[-1].text.strip()):
        return line
    # The line's own values start where its run of values does: another table's value columns on the page
    # may start further left, and a label reaching past them was left in pieces (draw 28007: 表二's values
    # set the page's edge left of 表三's longest labels, '5.属于三类内部事' '务信息' read as two levels).
    k = _run_of_values(line)
    values_at = max(values_at, line[k].x0) if k < len(line) else values_at
    out: list[Char] = []
    i = 0
    while i < len(line):
        ch = line[i]
        prev = out[-1] if out else None
        nxt = line[i + 1] if i + 1 < len(line) else None
        if prev is not None and CJK.search(prev.text) and _close(prev, ch, values_at):
            if CJK.search(ch.text):
                out[-1] = _join(prev, ch, readings)
                i += 1
                continue
            if len(ch.text.strip()) <= 2 and nxt is not None and CJK.search(nxt.text) and _close(ch, nxt, values_at):
                out[-1] = _join(_join(prev, ch, readings), nxt, readings)
                i += 2
                continue
        out.append(ch)
        i += 1
    return out


def _close(a: Char, b: Char, values_at: float) -> bool:
    return b.x1 <= values_at and 0 <= b.x0 - a.x1 < LABEL_GAP * max(b.y1 - b.y0, a.y1 - a.y0, 1.0)


def _join(a: Char, b: Char, readings: dict[int, Reading]) -> Char:
    joined = Char(a.text + b.text, a.x0, min(a.y0, b.y0), b.x1, max(a.y1, b.y1))
    readings[id(joined)] = Reading(joined.text, min(readings[id(a)].confidence, readings[id(b)].confidence), ())
    return joined


def token_table(boxes: list[tuple[int, int, int, int]], readings: list[Reading], page: int, scale: float,
                index: int, origin: str) -> Table | None:
    """One positioned-lines table (method ocr-text) from the tokens and their readings."""
    items = [(Char(dash_for_one(r.text), x0 / scale, y0 / scale, x1 / scale, y1 / scale), r)
             for (x0, y0, x1, y1), r in zip(boxes, readings, strict=True) if meaningful(r.text)]
    by_char = {id(ch): reading for ch, reading in items}
    cells = []
    n_cols = 0
    lines = lines_of([ch for ch, _ in items])
    values_at = _values_start(lines)
    rows = [_label_words_joined(_units_joined(line, by_char), by_char, values_at) for line in lines]
    for r, line in enumerate(rows):
        for c, ch in enumerate(line):
            reading = by_char[id(ch)]
            box = BBox(ch.x0, ch.y0, ch.x1, ch.y1, origin=origin)
            cells.append(Cell(r, c, ch.text, provenance=Provenance(page=page, bbox=box),
                              confidence=reading.confidence, alternatives=reading.alternatives))
            n_cols = max(n_cols, c + 1)
    if not cells:
        return None
    return Table(tuple(cells), len(rows), n_cols, "ocr-text", (page,), index)
