"""Page image clean-up before grid detection: red seals out, perspective and skew corrected, ink found.

Every transform is a named function over numpy images, applied in order by `clean_page`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from extractor.model import Segment

_log = logging.getLogger(__name__)


RED_PAPER = 90  # percentile of the red channel over the red pixels: the stamp's own ink, made paper white
RED_PRINT = 160  # ... and under it, print is what stays darker than this (the stamp's uneven ink is not)


def remove_red(bgr: np.ndarray) -> np.ndarray:
    """Grayscale page with red ink (seal stamps, red headers) turned to paper white. Red pixels take their
    red channel, scaled so the stamp's ink is white: print under a stamp (its ink multiplies with the print)
    keeps its darkness there, so a grey rule or a thin digit under the seal survives."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    red = ((hue <= 12) | (hue >= 165)) & (sat >= 60) & (val >= 60)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    if red.any():
        channel = bgr[:, :, 2][red].astype(np.float32)
        paper = max(float(np.percentile(channel, RED_PAPER)), 1.0)
        under = channel * 255.0 / paper
        gray[red] = np.where(under < RED_PRINT, under, 255).astype(np.uint8)
        _rules_under_seal(gray, red)
    return gray


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


def _pieces_of_grey(half: np.ndarray, pieces: np.ndarray, grey: float, settings: SealSettings) -> np.ndarray:
    """Mask (255) of the labelled pieces whose ink is mostly within the band around `grey`."""
    labels = pieces.ravel()
    inside = (np.abs(half.ravel().astype(np.int16) - grey) <= settings.band).astype(np.float64)
    total = np.bincount(labels)
    share = np.bincount(labels, weights=inside, minlength=len(total)) / np.maximum(total, 1)
    keep = share >= settings.piece_uniform
    keep[0] = False
    return (keep[pieces] * 255).astype(np.uint8)


def _one_grey(half: np.ndarray, pieces: np.ndarray, n: int, settings: SealSettings) -> np.ndarray:
    """Per labelled piece: is most of its ink within the band around the piece's own median grey?"""
    labels = pieces.ravel()
    values = half.ravel()
    inked = labels > 0
    order = np.lexsort((values[inked], labels[inked]))
    sorted_labels, sorted_values = labels[inked][order], values[inked][order].astype(np.int16)
    starts = np.searchsorted(sorted_labels, np.arange(n))
    ends = np.searchsorted(sorted_labels, np.arange(n), side="right")
    out = np.zeros(n, dtype=bool)
    for i in range(1, n):
        if ends[i] > starts[i]:
            piece = sorted_values[starts[i]:ends[i]]
            median = piece[len(piece) // 2]
            out[i] = np.mean(np.abs(piece - median) <= settings.band) >= settings.piece_uniform
    return out


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
    small[0] = True
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
        if not (least <= w <= most and least <= h <= most):
            continue
        shape = half[y:y + h, x:x + w][body[y:y + h, x:x + w] > 0]
        seal_grey = float(np.median(shape))
        # One stamp's ink is one grey; blurred text at low resolution spreads over every grey.
        if shape.size < settings.density * w * h or np.mean(
                np.abs(shape.astype(np.int16) - seal_grey) <= settings.band) < settings.uniform:
            continue
        # The seal's own strokes (ring, star, the name's characters) in its box: the pieces of its grey (a
        # bold character inside the ring survives the opening too, but spreads from black to paper grey),
        # with the stamp's soft edge. Print under the strokes is darker than the seal.
        box = out[2 * y:2 * (y + h), 2 * x:2 * (x + w)]
        strokes = _pieces_of_grey(half[y:y + h, x:x + w], pieces[y:y + h, x:x + w], seal_grey, settings)
        strokes = cv2.resize(cv2.bitwise_and(cv2.dilate(strokes, np.ones((3, 3), np.uint8)),
                                             cv2.bitwise_not(rules[y:y + h, x:x + w])),
                             (box.shape[1], box.shape[0]), interpolation=cv2.INTER_NEAREST) > 0
        box[strokes & (box > settings.print_share * seal_grey)] = 255
        seals += 1
    if seals:
        _log.debug("grey seal(s) removed: %d", seals)
        # The rules through the seal were whitened with it where they ran into its ring (draw 23026: rows
        # under the seal merged, their values read as one label): drawn again between their pieces.
        _rules_under_seal(out, out != gray)
    return out


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark strokes as 255 on 0: adaptive, so uneven lighting of photographed pages does not matter."""
    blurred = cv2.medianBlur(gray, 3)
    return cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def line_masks(ink: np.ndarray, min_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules: runs of ink at least `min_len` long (text strokes are shorter), then
    runs interrupted by a little lost ink (a faded or broken print, a seal removed by colour) rejoined."""

    def one_way(long: tuple[int, int], join: tuple[int, int]) -> np.ndarray:
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, long))
        return cv2.morphologyEx(runs, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, join))

    return one_way((min_len, 1), (min_len // 2, 3)), one_way((1, min_len), (3, min_len // 2))


def _dash_runs(ink: np.ndarray, horizontal: bool, min_len: int, gap: int, thick: int,
               crossing: np.ndarray | None = None, junctions: bool = False,
               same: np.ndarray | None = None) -> np.ndarray:
    """Ink components no thicker than a rule and lying along the direction, joined across gaps up to
    `gap`, kept where they run `min_len`. A character is never such a component as a whole, so its strokes
    are never joined to its neighbour's. `crossing`: the other direction's rules, taken out of `ink`; a
    run passes through them, and `same`, the rules of this direction found so far, confirm a short span.
    `junctions`: the bars of crossings of dashed rules are pieces too."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    along, across = (w, h) if horizontal else (h, w)
    dash = (across <= thick) & (along >= across) & (area >= 3)
    dash[0] = False
    dashes = (dash[labels] * 255).astype(np.uint8)
    if junctions:
        dashes |= _junction_arms(labels, stats, ~dash, horizontal, thick)
    pieces = dashes if crossing is None else cv2.bitwise_or(dashes, crossing)
    kernel, long, across_rule = ((gap, 1), (min_len, 1), (min_len // 2, 1)) if horizontal else (
        (1, gap), (1, min_len), (1, min_len // 2))
    joined = cv2.morphologyEx(pieces, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    runs = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, long))
    if crossing is not None:
        runs = cv2.bitwise_or(runs, _spans(joined, dashes, crossing, horizontal, max(2 * gap, min_len // 3),
                                           runs if same is None else cv2.bitwise_or(runs, same)))
    # Where a rule of the other direction crosses, the two dashes make one blob, neither thin nor along:
    # runs on both sides of it are joined across.
    return cv2.morphologyEx(runs, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, across_rule))


JUNCTION = 5  # rule thicknesses: the largest blob where dashed rules cross (a dash may touch the crossing)
JUNCTION_BAR = 0.85  # a junction's bars run across this share of its box, both ways


def _junction_arms(labels: np.ndarray, stats: np.ndarray, candidate: np.ndarray, horizontal: bool,
                   thick: int) -> np.ndarray:
    """The bar along the direction of each small blob that is a crossing of two dashed rules ('┼', '┬',
    '└'): it has a thin bar across its whole width and another down its whole height. Without it every
    span of a dashed grid is broken at both ends, and a span of a cell or two is too short to be a rule."""
    out = np.zeros(labels.shape, np.uint8)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    small = candidate & (w <= JUNCTION * thick) & (h <= JUNCTION * thick) & (w > thick) & (h > thick)
    small[0] = False
    for k in np.flatnonzero(small):
        x, y, bw, bh = stats[k, :4]
        blob = labels[y:y + bh, x:x + bw] == k
        rows = np.flatnonzero(blob.sum(axis=1) >= JUNCTION_BAR * bw)
        cols = np.flatnonzero(blob.sum(axis=0) >= JUNCTION_BAR * bh)
        if not len(rows) or not len(cols) or np.ptp(rows) >= thick or np.ptp(cols) >= thick:
            continue
        if horizontal:
            out[y + rows[0]:y + rows[-1] + 1, x:x + bw] = 255
        else:
            out[y:y + bh, x + cols[0]:x + cols[-1] + 1] = 255
    return out


SPAN_ALIGN = 2.0  # pixels: the dashes of one span line up across its direction within this


def _spans(joined: np.ndarray, dashes: np.ndarray, crossing: np.ndarray, horizontal: bool, min_len: int,
           same: np.ndarray) -> np.ndarray:
    """Runs shorter than a rule usually is that reach from one crossing rule to the next: a dashed rule
    across a single narrow cell. Two dashes at least, lined up: the vertical stroke of 亻 in a tight row can
    reach from rule to rule too, but alone or beside a slanted stroke. And the line goes on past a crossing
    (another span, or a rule of `same` direction already found): strokes of two characters lined up
    between the rules of a one-line row do not."""
    short = (min_len, 1) if horizontal else (1, min_len)
    runs = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, short))
    runs = cv2.bitwise_and(runs, cv2.bitwise_not(crossing))  # each span between two crossings apart
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    keep = np.zeros(n, dtype=bool)
    height, width = crossing.shape
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        if horizontal:
            mid = y + h // 2
            ends = crossing[mid, max(x - 2, 0)] and crossing[mid, min(x + w + 1, width - 1)]
        else:
            mid = x + w // 2
            ends = crossing[max(y - 2, 0), mid] and crossing[min(y + h + 1, height - 1), mid]
        if not ends:
            continue
        m, _, _, centres = cv2.connectedComponentsWithStats(dashes[y:y + h, x:x + w], connectivity=8)
        across = centres[1:m, 1 if horizontal else 0]
        keep[k] = m - 1 >= 2 and float(np.ptp(across)) <= 2 * SPAN_ALIGN
    line = cv2.bitwise_or((keep[labels] * 255).astype(np.uint8), same)
    reach, side = max(min_len // 2, 3), int(2 * SPAN_ALIGN)
    for j in np.flatnonzero(keep):
        x, y, w, h = (int(v) for v in stats[j, :4])
        if horizontal:
            mid = y + h // 2
            beyond = (line[max(mid - side, 0):mid + side + 1, max(x - reach, 0):max(x - 3, 0)],
                      line[max(mid - side, 0):mid + side + 1, x + w + 3:x + w + reach])
        else:
            mid = x + w // 2
            beyond = (line[max(y - reach, 0):max(y - 3, 0), max(mid - side, 0):mid + side + 1],
                      line[y + h + 3:y + h + reach, max(mid - side, 0):mid + side + 1])
        keep[j] = any(part.size and part.any() for part in beyond)
    return (keep[labels] * 255).astype(np.uint8)


def dashed_masks(ink: np.ndarray, solid: tuple[np.ndarray, np.ndarray], min_len: int, gap: int,
                 thick: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules drawn dashed. A dash touching a rule of the other direction is one
    component with it, neither thin nor along: each direction is looked for again with the other's rules
    (solid or dashed) taken out of the ink, twice (a short span is only known to end at a rule once that
    rule is found)."""
    grow = np.ones((3, 3), np.uint8)
    found = [_dash_runs(ink, True, min_len, gap, thick), np.zeros_like(ink)]
    if cv2.countNonZero(cv2.bitwise_and(found[0], cv2.bitwise_not(cv2.dilate(solid[0], grow)))) < min_len:
        return found[0], found[1]  # no dashed horizontal rule: a solid (or unruled) page, not worth 3 passes
    # Dashed rules there are: where they cross, the crossing's bars join the spans on either side. Only
    # then: on a solid page at 100 dpi whole characters and digits pass for crossings (draw 16010).
    found[0] = _dash_runs(ink, True, min_len, gap, thick, junctions=True)
    for horizontal in (False, True, False):
        crossing = cv2.dilate(found[horizontal] | solid[horizontal], grow)
        runs = _dash_runs(cv2.bitwise_and(ink, cv2.bitwise_not(crossing)), horizontal, min_len, gap, thick,
                          crossing, same=found[not horizontal] | solid[not horizontal])
        found[not horizontal] |= runs
    return found[0], found[1]


def rule_segments(mask: np.ndarray, horizontal: bool, min_len: int, max_thickness: int) -> tuple[
        list[Segment], np.ndarray]:
    """Rule segments of a line mask, and the mask of just those components (for taking rules out of text)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    keep = np.zeros(n, dtype=bool)
    for k, (x, y, w, h, area) in enumerate(stats[1:n], start=1):
        # A rule is long and thin along its whole length; strokes of text glued by the gap closing are
        # short or thick.
        # Straight too: strokes of neighbouring characters never line up within a rule's width.
        if horizontal and w >= min_len and area / w <= max_thickness and h <= 2 * max_thickness:
            out.append(Segment(float(x), y + h / 2, float(x + w), y + h / 2))
            keep[k] = True
        elif not horizontal and h >= min_len and area / h <= max_thickness and w <= 2 * max_thickness:
            out.append(Segment(x + w / 2, float(y), x + w / 2, float(y + h)))
            keep[k] = True
    return out, (keep[labels] * 255).astype(np.uint8)


def skew_angle(ink: np.ndarray, limit: float = 3.0) -> float:
    """The rotation (degrees) that makes text lines and rules most horizontal, by projection sharpness."""
    small = cv2.resize(ink, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        rotated = cv2.warpAffine(small, cv2.getRotationMatrix2D(centre, angle, 1.0), (w, h))
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float((profile ** 2).sum())

    coarse = max(np.arange(-limit, limit + 1e-6, 0.25), key=sharpness)
    return float(max(np.arange(coarse - 0.25, coarse + 0.25 + 1e-6, 0.05), key=sharpness))


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


UNWARP_TILT = 7.0  # degrees: a table outline's side tilted more is no table (skew 3 + a phone's perspective 2)


def _tilt(a: np.ndarray, b: np.ndarray) -> float:
    """Degrees between the side a-b and the nearest axis."""
    dx, dy = abs(float(b[0] - a[0])), abs(float(b[1] - a[1]))
    return float(np.degrees(np.arctan2(min(dx, dy), max(dx, dy, 1e-9))))


def unwarp(gray: np.ndarray, ink: np.ndarray, min_len: int) -> np.ndarray:
    """Undo a photographed page's perspective from the outline of its largest table."""
    horizontal, vertical = line_masks(ink, min_len)
    rules = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(rules, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return gray
    outline = max(contours, key=cv2.contourArea)
    if cv2.contourArea(outline) < 0.08 * gray.shape[0] * gray.shape[1]:
        return gray
    quad = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True)
    if len(quad) != 4:
        return gray
    pts = quad.reshape(4, 2).astype(np.float32)
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    tl, br, tr, bl = pts[np.argmin(s)], pts[np.argmax(s)], pts[np.argmin(d)], pts[np.argmax(d)]
    # Nearly rectangular already: leave it to deskew (a homography would only add interpolation blur).
    if max(abs(tl[1] - tr[1]), abs(bl[1] - br[1]), abs(tl[0] - bl[0]), abs(tr[0] - br[0])) < 6:
        return gray
    # An outline that is no table's (dashed rules and text run together) would tilt the page.
    if max(_tilt(tl, tr), _tilt(tr, br), _tilt(br, bl), _tilt(bl, tl)) > UNWARP_TILT:
        _log.debug("table outline too tilted for a perspective: left as it is")
        return gray
    width = float(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = float(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([tl, [tl[0] + width, tl[1]], [tl[0] + width, tl[1] + height], [tl[0], tl[1] + height]],
                      dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], dtype=np.float32), target)
    return cv2.warpPerspective(gray, matrix, (gray.shape[1], gray.shape[0]), borderValue=255)


def deskew(gray: np.ndarray) -> np.ndarray:
    """The page turned by its skew angle, when it has one."""
    angle = skew_angle(ink_mask(gray))
    _log.debug("deskewed by %.2f degrees", angle)
    return rotate(gray, angle) if abs(angle) >= 0.05 else gray


def clean_page(bgr: np.ndarray, min_len: int) -> tuple[np.ndarray, np.ndarray]:
    """(clean grayscale, ink mask) of a page image."""
    gray = remove_grey_seal(remove_red(bgr))
    gray = deskew(unwarp(gray, ink_mask(gray), min_len))
    return gray, ink_mask(gray)
