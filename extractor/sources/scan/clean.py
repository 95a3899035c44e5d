"""Page image clean-up before grid detection: red seals out, perspective and skew corrected, ink found.

Every transform is a named function over numpy images, applied in order by `clean_page`.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

import cv2
import numpy as np

from extractor.model import Segment
from extractor.sources.scan.hidden import lost_print
from extractor.sources.scan.masks import ink_mask, line_masks
from extractor.sources.scan.seal import red_mask, remove_grey_seal, remove_red

_log = logging.getLogger(__name__)


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
                                           runs if same is None else cv2.bitwise_or(runs, same), gap))
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
           same: np.ndarray, gap: int) -> np.ndarray:
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
        # A span's last dash may stop a gap short of the crossing (draw 36001: 300-dpi dashes seen at 200
        # dpi, 9 pixels between the last dash and the rule, three rows of values read as merged cells).
        if horizontal:
            mid = y + h // 2
            ends = crossing[mid, max(x - gap - 2, 0):max(x - 1, 1)].any() and \
                crossing[mid, x + w:min(x + w + gap + 2, width)].any()
        else:
            mid = x + w // 2
            ends = crossing[max(y - gap - 2, 0):max(y - 1, 1), mid].any() and \
                crossing[y + h:min(y + h + gap + 2, height), mid].any()
        if not ends:
            continue
        m, _, _, centres = cv2.connectedComponentsWithStats(dashes[y:y + h, x:x + w], connectivity=8)
        across = centres[1:m, 1 if horizontal else 0]
        keep[k] = m - 1 >= 2 and float(np.ptp(across)) <= 2 * SPAN_ALIGN
    line = cv2.bitwise_or((keep[labels] * 255).astype(np.uint8), same)
    reach, side = max(min_len // 2, 3) + gap, int(2 * SPAN_ALIGN)  # the next span may start a gap past it
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
    kept = np.zeros(mask.shape, dtype=bool)
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
        elif (w if horizontal else h) >= min_len:
            band = _rule_band(labels[y:y + h, x:x + w] == k, horizontal, min_len, max_thickness)
            if band is not None:
                a, b, start, end = band
                if horizontal:
                    out.append(Segment(float(x + start), y + (a + b) / 2, float(x + end), y + (a + b) / 2))
                    kept[y + a:y + b, x:x + w] |= labels[y + a:y + b, x:x + w] == k
                else:
                    out.append(Segment(x + (a + b) / 2, float(y + start), x + (a + b) / 2, float(y + end)))
                    kept[y:y + h, x + a:x + b] |= labels[y:y + h, x + a:x + b] == k
    return out, ((keep[labels] | kept) * 255).astype(np.uint8)


RULE_BAND = 0.5  # of the fullest line of pixels: the lines around it this full are the rule's width


def _rule_band(component: np.ndarray, horizontal: bool, min_len: int, max_thickness: int
               ) -> tuple[int, int, int, int] | None:
    """A rule inside a component too thick to be one: a seal's ring or a stroke that runs along a rule for a
    while makes one blob with it (draw 32014: a grey seal's ring under 表三's header touched the rule above
    its first row, the rule was lost and the header and first row read as one). The rule is the band of
    pixel lines around the fullest one, as thin as a rule and as long: (first line, end line, start, end)
    across and along the component, else None."""
    along = component if horizontal else component.T
    counts = along.sum(axis=1)
    peak = int(counts.argmax())
    full = counts >= RULE_BAND * counts[peak]
    a = peak
    while a > 0 and full[a - 1]:
        a -= 1
    b = peak + 1
    while b < len(full) and full[b]:
        b += 1
    if b - a > max_thickness:
        return None
    cols = np.nonzero(along[a:b].any(axis=0))[0]
    if cols.size == 0 or cols[-1] + 1 - cols[0] < min_len or counts[peak] < min_len:
        return None
    return a, b, int(cols[0]), int(cols[-1]) + 1


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


PARALLEL_SIDES = 0.35  # degrees: opposite sides of a table's outline this close to parallel are no perspective


def _angle_between(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> float:
    """Degrees between the directions a-b and c-d."""
    first = np.degrees(np.arctan2(float(b[1] - a[1]), float(b[0] - a[0])))
    second = np.degrees(np.arctan2(float(d[1] - c[1]), float(d[0] - c[0])))
    return float(abs((first - second + 180) % 360 - 180))


SIDE_ON_RULES = 0.7  # share of each side of a table's outline that must lie on its rules ...
SIDE_REACH = 9  # ... within this many pixels


def _on_rules(rules: np.ndarray, a: np.ndarray, b: np.ndarray, samples: int = 200) -> float:
    """Share of the segment a-b lying on the (dilated) rules mask."""
    t = np.linspace(0.0, 1.0, samples)
    xs = np.clip(np.rint(a[0] + (b[0] - a[0]) * t).astype(int), 0, rules.shape[1] - 1)
    ys = np.clip(np.rint(a[1] + (b[1] - a[1]) * t).astype(int), 0, rules.shape[0] - 1)
    return float(np.count_nonzero(rules[ys, xs])) / samples


def warp(image: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    return cv2.warpPerspective(image, matrix, (image.shape[1], image.shape[0]), borderValue=255)


def perspective(gray: np.ndarray, ink: np.ndarray, min_len: int) -> np.ndarray | None:
    """The homography that undoes a photographed page's perspective (from the outline of its largest
    table), or None where the page needs none."""
    horizontal, vertical = line_masks(ink, min_len)
    rules = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(rules, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    if cv2.contourArea(outline) < 0.08 * gray.shape[0] * gray.shape[1]:
        return None
    quad = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True)
    if len(quad) != 4:
        return None
    pts = quad.reshape(4, 2).astype(np.float32)
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    tl, br, tr, bl = pts[np.argmin(s)], pts[np.argmax(s)], pts[np.argmin(d)], pts[np.argmax(d)]
    # Nearly rectangular already, or a rectangle turned (opposite sides parallel): leave it to deskew. A
    # homography from corners found a few pixels off distorts a page that was only skewed (draws 28009,
    # 28004, 28026: rows of a skewed page cut through their labels; 193, 191, 200 but flagged).
    if max(abs(tl[1] - tr[1]), abs(bl[1] - br[1]), abs(tl[0] - bl[0]), abs(tr[0] - br[0])) < 6:
        return None
    if max(_angle_between(tl, tr, bl, br), _angle_between(tl, bl, tr, br)) < PARALLEL_SIDES:
        return None
    # An outline that is no table's (dashed rules and text run together) would tilt the page.
    if max(_tilt(tl, tr), _tilt(tr, br), _tilt(br, bl), _tilt(bl, tl)) > UNWARP_TILT:
        _log.debug("table outline too tilted for a perspective: left as it is")
        return None
    # The outline of a table photographed runs along its box's rules; the outline of rules found in pieces
    # (faint rules broken by the ink threshold) cuts across the table and warps a straight page (draw 28024:
    # a page with no perspective distorted, 表三's grid lost, 134/198).
    # The corners are on the outer edge of the rules' mask: the sides are looked for a few pixels around.
    near = cv2.dilate(rules, np.ones((SIDE_REACH, SIDE_REACH), np.uint8))
    if min(_on_rules(near, a, b) for a, b in ((tl, tr), (tr, br), (br, bl), (bl, tl))) < SIDE_ON_RULES:
        _log.debug("table outline not along rules: no perspective taken from it")
        return None
    width = float(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = float(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([tl, [tl[0] + width, tl[1]], [tl[0] + width, tl[1] + height], [tl[0], tl[1] + height]],
                      dtype=np.float32)
    return cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], dtype=np.float32), target)


def deskew(gray: np.ndarray) -> np.ndarray:
    """The page turned by its skew angle, when it has one."""
    angle = skew_angle(ink_mask(gray))
    _log.debug("deskewed by %.2f degrees", angle)
    return rotate(gray, angle) if abs(angle) >= DESKEW_MIN else gray


class CleanPage(NamedTuple):
    """A page made ready for reading; the masks are on the cleaned page (255 where set)."""

    gray: np.ndarray  # seals out, perspective and skew undone
    ink: np.ndarray
    seal: np.ndarray  # where a seal's ink was taken out (red or grey)
    lost: np.ndarray  # where print may have gone with it (lost_print)
    plain: np.ndarray  # the page's grey as scanned, seals in (red ones by their red channel), turned as `gray`
    red: np.ndarray  # where a red seal's ink was (print on it included)


def clean_page(bgr: np.ndarray, min_len: int) -> CleanPage:
    """A page image cleaned (red and grey seals out, perspective and skew undone) with its masks."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    red_ink = red_mask(hsv)
    red = remove_red(bgr, hsv)
    gray = remove_grey_seal(red)
    # Paper-white where masked: the masks turn with the page as pictures whose border is unmasked.
    seal = np.where(red_ink | (gray != red), 0, 255).astype(np.uint8)
    stamp = np.where(red_ink, 0, 255).astype(np.uint8) if red_ink.any() else None
    lost = 255 - lost_print(bgr, red_ink, red, gray)
    has_seal = not seal.all()
    # A red stamp is seen through, not in grey: there it is a dark stroke, and a '0' its ring crossed read
    # '1' as surely as on the cleaned page (fresh draw 40021).
    plain = (remove_red(bgr, hsv, cut=False) if red_ink.any() else red) if has_seal else gray
    matrix = perspective(gray, ink_mask(gray), min_len)
    if matrix is not None:
        gray, seal, lost = warp(gray, matrix), warp(seal, matrix), warp(lost, matrix)
        stamp = None if stamp is None else warp(stamp, matrix)
        plain = warp(plain, matrix) if has_seal else gray
    angle = skew_angle(ink_mask(gray))
    _log.debug("deskewed by %.2f degrees", angle)
    if abs(angle) >= DESKEW_MIN:
        gray, seal, lost = rotate(gray, angle), rotate(seal, angle), rotate(lost, angle)
        stamp = None if stamp is None else rotate(stamp, angle)
        plain = rotate(plain, angle) if has_seal else gray
    return CleanPage(gray, ink_mask(gray), _mask(seal), _mask(lost), plain,
                     np.zeros_like(gray) if stamp is None else _mask(stamp))


def _mask(picture: np.ndarray) -> np.ndarray:
    """A mask carried through the page's turns as a picture (set where dark), as 255 where set."""
    return np.where(picture < HIDDEN_LEVEL, 255, 0).astype(np.uint8)


DESKEW_MIN = 0.05  # degrees: a smaller skew is left alone (turning would only blur)
HIDDEN_LEVEL = 128  # the seal mask, carried through the page's turns as a picture, is seal below this
