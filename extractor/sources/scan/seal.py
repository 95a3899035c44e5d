"""Seals out of a page image: red stamps by colour, stamps scanned in grey by their large thick one-grey
pieces, and the rules a stamp's ink hid drawn again."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from extractor.sources.scan.masks import ink_mask, line_masks

_log = logging.getLogger(__name__)


RED_PAPER = 90  # percentile of the red channel over the red pixels: the stamp's own ink, made paper white
RED_PRINT = 160  # ... and under it, print is what stays darker than this (the stamp's uneven ink is not)


def _reddish(hsv: np.ndarray) -> np.ndarray:
    return np.asarray((hsv[:, :, 0] <= 12) | (hsv[:, :, 0] >= 165))


def red_mask(hsv: np.ndarray) -> np.ndarray:
    """Pixels of red ink (a seal stamp, a red header) of a page in HSV, as booleans."""
    return np.asarray(_reddish(hsv) & (hsv[:, :, 1] >= 60) & (hsv[:, :, 2] >= 60))


def remove_red(bgr: np.ndarray, hsv: np.ndarray | None = None, cut: bool = True) -> np.ndarray:
    """Grayscale page with red ink (seal stamps, red headers) turned to paper white. Red pixels take their
    red channel, scaled so the stamp's ink is white: print under a stamp (its ink multiplies with the print)
    keeps its darkness there, so a grey rule or a thin digit under the seal survives. `hsv`: the page in
    HSV, when the caller has it. Without `cut`, what is lighter than print under a stamp is kept as light as
    it is, and hidden rules are not drawn again: a second look at a cell on the stamp (a '0' its ring
    crossed, cut to '()' and read '1' surely: fresh draw 40021)."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV) if hsv is None else hsv
    red = red_mask(hsv)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    if red.any():
        channel = bgr[:, :, 2][red].astype(np.float32)
        paper = max(float(np.percentile(channel, RED_PAPER)), 1.0)
        under = channel * 255.0 / paper
        gray[red] = np.where(under < RED_PRINT, under, 255).astype(np.uint8) if cut else np.clip(under, 0, 255)
        # The stamp's soft rim, paler than its ink, is no print either: left, its outlines read as strokes
        # ('011' for a '0' beside a seal's squares, draw 28031).
        near = cv2.dilate(red.astype(np.uint8), np.ones((RIM + 1, RIM + 1), np.uint8)) > 0
        gray[near & ~red & _reddish(hsv) & (hsv[:, :, 1] >= RIM_SATURATION) & (hsv[:, :, 2] >= RIM_LIGHT)] = 255
        if cut:
            _rules_under_seal(gray, red)
    return gray


RIM = 4  # pixels around a stamp's ink where its paler rim lies
RIM_SATURATION = 12  # ... a rim pixel is still this saturated (paper: under ~7) ...
RIM_LIGHT = 170  # ... and this light (print under it is darker)


SEAL_BRIDGE = 0.25  # page widths: the longest stretch of a rule a seal's ink may hide (a seal: ~0.22 across)


def _rules_under_seal(gray: np.ndarray, red: np.ndarray) -> None:
    """Rules the seal's ink hid, drawn again in place: a light grey rule under the stamp is whitened with
    it (as light as the stamp's uneven ink), and a row or column whose rule breaks under the star loses its
    cells. Only where the stamp was, only between two pieces of one rule."""
    ink = ink_mask(gray)
    min_len = max(30, gray.shape[1] // 45)
    horizontal, vertical = line_masks(ink, min_len)
    rules = horizontal | vertical
    if not rules.any():
        return
    span = max(min_len, int(gray.shape[1] * SEAL_BRIDGE))
    hidden = cv2.dilate(red.astype(np.uint8) * 255, np.ones((3, 3), np.uint8)) > 0
    grey = int(np.percentile(gray[rules > 0], 25))  # the rules' core, not their soft edges
    covered = hidden | (ink > 0)
    for mask, across in ((horizontal, False), (vertical, True)):
        _bridge(gray, mask.T if across else mask, covered.T if across else covered, span, grey, across)


BRIDGE_SLOPE = 0.03  # a rule's two pieces meet across a gap within this slope (a page skewed up to ~1.7 degrees)
BRIDGE_COVER = 0.9  # share of a gap the seal's ink (or what is left of the rule) covers on a rule's own line


def _bridge(gray: np.ndarray, mask: np.ndarray, covered: np.ndarray, span: int, grey: int, across: bool) -> None:
    """Horizontal pieces of `mask` whose facing ends are at most `span` apart, at one height give or take the
    page's skew, with the gap all but covered by the seal's ink or ink left: joined by a line (on the page
    not yet deskewed a straight closing misses them). Not across paper: two tables' rules on one line face
    each other across the seal's blank middle (draw 24024). `across`: the arrays are transposed (vertical
    rules)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    ends = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        rows_left = np.where(labels[y:y + h, x] == i)[0]
        rows_right = np.where(labels[y:y + h, x + w - 1] == i)[0]
        if len(rows_left) and len(rows_right):
            ends.append((x, y + float(np.mean(rows_left)), x + w - 1, y + float(np.mean(rows_right))))
    target = gray.T if across else gray
    for _x0, _y0, ax, ay in ends:
        for bx, by, _x1, _y1 in ends:
            gap = bx - ax
            if not 1 < gap <= span or abs(by - ay) > BRIDGE_SLOPE * gap + 2:
                continue
            xs = np.arange(ax + 1, bx)
            ys = np.round(ay + (by - ay) * (xs - ax) / gap).astype(int)
            if np.mean(covered[ys, xs]) < BRIDGE_COVER:
                continue
            for dy in (-1, 0, 1):  # as thick as a scanned rule: a line of one pixel fades when the page is turned
                row = np.clip(ys + dy, 0, target.shape[0] - 1)
                target[row, xs] = np.minimum(target[row, xs], grey)


def _whiten(out: np.ndarray, half: np.ndarray, body: np.ndarray, pieces: np.ndarray, rules: np.ndarray,
            box: tuple[int, int, int, int], settings: SealSettings, inside: np.ndarray | None = None) -> int:
    """Turn a seal's strokes to paper in `out`; 1 if the shape is a seal, else 0. `box`: the shape's (x, y,
    w, h) at half resolution; `inside`: the part of the box that is the seal's (all of it when None)."""
    x, y, w, h = box
    if inside is None:
        inside = np.ones((h, w), dtype=bool)
    shape = half[y:y + h, x:x + w][(body[y:y + h, x:x + w] > 0) & inside]
    if shape.size == 0:
        return 0
    seal_grey = float(np.median(shape))
    # One stamp's ink is one grey; blurred text at low resolution spreads over every grey.
    if shape.size < settings.density * w * h or np.mean(
            np.abs(shape.astype(np.int16) - seal_grey) <= settings.band) < settings.uniform:
        return 0
    # The seal's own strokes (ring, star, the name's characters) in its box: the pieces of its grey (a bold
    # character inside the ring survives the opening too, but spreads from black to paper grey), with the
    # stamp's soft edge. Print under the strokes is darker than the seal.
    full = out[2 * y:2 * (y + h), 2 * x:2 * (x + w)]
    strokes = _pieces_of_grey(half[y:y + h, x:x + w], pieces[y:y + h, x:x + w], seal_grey, settings)
    strokes[~inside] = 0
    strokes = cv2.resize(cv2.bitwise_and(cv2.dilate(strokes, np.ones((3, 3), np.uint8)),
                                         cv2.bitwise_not(rules[y:y + h, x:x + w])),
                         (full.shape[1], full.shape[0]), interpolation=cv2.INTER_NEAREST) > 0
    full[strokes & (full > settings.print_share * seal_grey)] = 255
    return 1


def _rings(body: np.ndarray, rmin: float, rmax: float, k: int, settings: SealSettings
           ) -> list[tuple[int, int, int]]:
    """Circles (cx, cy, r) in a mask of thick mid-grey ink whose circumference the ink covers nearly all
    round: a round seal's ring, whatever print of its grey touches it. The ring's edge is widened by the
    stroke width `k`."""
    found = cv2.HoughCircles(cv2.GaussianBlur(body, (9, 9), 2), cv2.HOUGH_GRADIENT, dp=2, minDist=rmin,
                             param1=RING_EDGE, param2=settings.ring_votes, minRadius=int(rmin), maxRadius=int(rmax))
    if found is None:
        return []
    angles = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    height, width = body.shape
    rings: list[tuple[int, int, int]] = []
    for cx, cy, r in found[0][:RING_CANDIDATES]:
        cover = 0.0
        for dr in range(-k, k + 1):  # the ring's stroke is k wide or more: its middle is somewhere within
            xs = np.clip((cx + (r + dr) * np.cos(angles)).astype(int), 0, width - 1)
            ys = np.clip((cy + (r + dr) * np.sin(angles)).astype(int), 0, height - 1)
            cover = max(cover, float(np.mean(body[ys, xs] > 0)))
        if cover >= settings.ring and all((cx - a) ** 2 + (cy - b) ** 2 > (r + c) ** 2 for a, b, c in rings):
            rings.append((int(cx), int(cy), int(r + RING_MARGIN * k)))
    return rings


def _disc(cx: int, cy: int, r: int, size: tuple[int, ...]) -> tuple[tuple[int, int, int, int], np.ndarray]:
    """The box (x, y, w, h) of a circle within an image of `size` (height, width), and the circle in it."""
    x, y = max(cx - r, 0), max(cy - r, 0)
    w, h = min(cx + r + 1, size[1]) - x, min(cy + r + 1, size[0]) - y
    yy, xx = np.ogrid[y:y + h, x:x + w]
    return (x, y, w, h), (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r


RING_CANDIDATES = 8  # circles of the Hough transform looked at, strongest first
RING_EDGE = 100  # the Hough transform's edge threshold on the blurred mask (ink is 255 on 0: any clear edge)
RING_MARGIN = 2  # stroke widths added to a ring's radius: its outer half and soft edge are whitened too


@dataclass(frozen=True)
class SealSettings:
    """A seal printed in grey (a colour seal scanned in grayscale): mid-grey ink in thick, large shapes
    (ring, star), unlike text (thin strokes, small) and rules (thin)."""
    darkest: int = 45  # grey levels of a seal's ink: from here ...
    lightest: int = 170  # ... to here
    stroke: int = 330  # page widths per the thinnest seal stroke kept by the opening (5 px at 200 dpi)
    size: float = 0.12  # a seal shape spans at least this share of the page width both ways (a seal is ~0.2,
    # 0.24-0.33 found with print beside it; a blurred block of stacked header words at 150 dpi reached 0.05,
    # light words at 100 dpi 0.18 by 0.075) ...
    largest: float = 0.4  # ... and at most this (a seal is 4-5 cm across; a dark photo background is not one)
    rule: float = 0.15  # a straight run this share of the page width long is a rule, not a seal's stroke
    density: float = 0.1  # share of its box a seal's ink covers at least (23022: 0.149, text pieces beside it)
    band: int = 20  # grey levels around the seal's median ...
    uniform: float = 0.65  # ... that hold at least this share of its ink (blurred text: 0.61 at most)
    print_share: float = 0.6  # under the seal, print is darker than this share of the seal's grey level
    piece: float = 2.5  # a seal's piece is at least this many stroke widths long (a digit's joint is not)
    piece_uniform: float = 0.5  # share of a piece's ink within the band: a blurred ring arc 0.64, words <= 0.47
    ring: float = 0.8  # share of a circle a round seal's ring covers (27005: 0.90; circles through a grid <= 0.33)
    ring_votes: int = 60  # Hough accumulator votes a circle needs to be looked at (at half resolution, dp 2)


def _of_grey(half: np.ndarray, pieces: np.ndarray, grey: float | np.ndarray, settings: SealSettings) -> np.ndarray:
    """Per labelled piece (label 0 never): is most of its ink within the band around `grey` (one grey, or
    each pixel's piece's own)?"""
    labels = pieces.ravel()
    inside = (np.abs(half.ravel().astype(np.int16) - grey) <= settings.band).astype(np.float64)
    total = np.bincount(labels)
    share = np.bincount(labels, weights=inside, minlength=len(total)) / np.maximum(total, 1)
    keep = share >= settings.piece_uniform
    keep[0] = False
    return keep


def _pieces_of_grey(half: np.ndarray, pieces: np.ndarray, grey: float, settings: SealSettings) -> np.ndarray:
    """Mask (255) of the labelled pieces whose ink is mostly within the band around `grey`."""
    return (_of_grey(half, pieces, grey, settings)[pieces] * 255).astype(np.uint8)


def _one_grey(half: np.ndarray, pieces: np.ndarray, n: int, settings: SealSettings) -> np.ndarray:
    """Per labelled piece: is most of its ink within the band around the piece's own median grey?"""
    labels = pieces.ravel()
    values = half.ravel()
    inked = labels > 0
    order = np.lexsort((values[inked], labels[inked]))
    sorted_labels, sorted_values = labels[inked][order], values[inked][order].astype(np.int16)
    starts = np.searchsorted(sorted_labels, np.arange(n))
    ends = np.searchsorted(sorted_labels, np.arange(n), side="right")
    medians = np.zeros(n, dtype=np.int16)  # the upper median of each piece's greys
    inked_pieces = ends > starts
    medians[inked_pieces] = sorted_values[(starts + (ends - starts) // 2)[inked_pieces]]
    return _of_grey(half, pieces, medians[pieces].ravel(), settings)[:n]


def _straight_runs(mask: np.ndarray, run: int, k: int) -> np.ndarray:
    """Thin straight runs of `mask` at least `run` long, either way, widened by a pixel; not bands through
    a seal's star (wider than 2 k)."""
    rules: np.ndarray = np.zeros_like(mask)
    for along, across in (((run, 1), (1, 2 * k)), ((1, run), (2 * k, 1))):
        runs = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along))
        wide = cv2.morphologyEx(runs, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across))
        rules = cv2.bitwise_or(rules, cv2.bitwise_and(runs, cv2.bitwise_not(wide)))
    return cv2.dilate(rules, np.ones((3, 3), np.uint8))


def remove_grey_seal(gray: np.ndarray, settings: SealSettings = SealSettings()) -> np.ndarray:
    """The page with a grey seal's ink turned to paper white: the seal's thick strokes, where not clearly
    darker than the seal's own grey (text under a seal stays black: the stamp's ink multiplies with it).
    Found at half resolution (a seal is large), whitened at full."""
    half = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
    width = half.shape[1]
    mid: np.ndarray = ((half >= settings.darkest) & (half <= settings.lightest)).astype(np.uint8) * 255
    # Thick rules (a table's outer box) would join the seal to the table: long straight runs go first.
    run = max(15, int(width * settings.rule))
    k = max(3, width // settings.stroke)
    mid = cv2.bitwise_and(mid, cv2.bitwise_not(_straight_runs(mid, run, k)))
    # Rules of any grey are never whitened: a rule under the seal's ring is as grey as the ring.
    rules = _straight_runs((half <= settings.lightest).astype(np.uint8) * 255, run, k)
    body = cv2.morphologyEx(mid, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    # Blobs that survive the opening but are no longer than a stroke is wide (where a digit's strokes
    # meet, where rules cross) are print, not a seal's ring, star or characters: whitened, they cut digits.
    n, pieces, stats, _ = cv2.connectedComponentsWithStats(body, connectivity=8)
    small = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) < settings.piece * k
    # A piece of a seal is of one grey; a piece of blurred print spreads from black to paper (draw 23022: at
    # 300 dpi with blur and JPEG 25, pieces of 表四's words joined a grey seal into one shape as wide as the
    # table, never taken for a seal). Pieces not of their own one grey are not seal.
    small |= ~_one_grey(half, pieces, n, settings)
    small[0] = True
    body = (~small[pieces]).astype(np.uint8) * 255
    pieces[small[pieces]] = 0
    # The rules crossing a seal cut it into pieces (arcs, bands of the star, the rim's blobs): pieces near
    # each other are one shape.
    near = cv2.dilate(body, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (4 * k, 4 * k)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(near, connectivity=8)
    least, most = settings.size * width, settings.largest * width
    out = gray.copy()
    seals = 0
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if least <= w and least <= h and (w > most or h > most):
            # Too large for a seal: one joined by pieces of print or grid of its grey (a blurred grid at 200 dpi,
            # draw 27005). A round seal's ring is found in it.
            for cx, cy, r in _rings(body[y:y + h, x:x + w], least / 2, most / 2, k, settings):
                disc, inside = _disc(x + cx, y + cy, r, half.shape)
                seals += _whiten(out, half, body, pieces, rules, disc, settings, inside)
            continue
        if not (least <= w <= most and least <= h <= most):
            continue
        seals += _whiten(out, half, body, pieces, rules, (x, y, w, h), settings)
    if seals:
        _log.debug("grey seal(s) removed: %d", seals)
        # The rules through the seal were whitened with it where they ran into its ring (draw 23026: rows
        # under the seal merged, their values read as one label): drawn again between their pieces.
        _rules_under_seal(out, out != gray)
    return out
