"""Two pages side by side in one image (a book or a folded printout scanned open): where to cut it.

Read whole, the two pages' lines run into each other (a 表二 row and a 表三 row on one line: scan draw 42001,
95/198 cells). The cut is an empty band down the middle of the image, as wide as two pages' margins, with
print on both sides; the image may lie on its side (the band then runs across)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractor.sources.scan.clean import rotate, skew_angle
from extractor.sources.scan.masks import ink_mask


@dataclass(frozen=True)
class SpreadSettings:
    work_width: int = 800  # pixels: the image is judged at this size
    centre: float = 0.12  # the band's middle lies within this share of the image's width of its middle
    min_band: float = 0.04  # the band spans at least this share of the width (both pages' margins)
    empty: float = 0.003  # share of a column's height inked for it to count as empty (specks, noise)
    printed: float = 0.02  # share of a column's height inked for it to hold print (not specks, a page number)
    min_printed: float = 0.3  # share of each side's columns holding print: a page on each side
    min_aspect: float = 1.15  # the image is this much wider than tall (two portrait pages)


SPREAD = SpreadSettings()


@dataclass(frozen=True)
class Cut:
    across: bool  # the band runs across the image (the spread lies on its side)
    at: int  # pixel of the cut along the image's width (or height, when across)


def spread_cut(bgr: np.ndarray, settings: SpreadSettings = SPREAD) -> Cut | None:
    """Where a spread's two pages part, or None for one page."""
    height, width = bgr.shape[:2]
    across = height > width
    if max(height, width) < settings.min_aspect * min(height, width):
        return None
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr
    if across:
        gray = np.ascontiguousarray(np.rot90(gray))
    factor = settings.work_width / gray.shape[1]
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ink = ink_mask(small)
    angle = skew_angle(ink)
    if abs(angle) >= 0.1:  # a skewed spread's band slants: straightened, it is as wide as printed
        ink = (rotate(255 - ink, angle) < 128).astype(np.uint8) * 255
    inked = (ink > 0).mean(axis=0)
    empty = inked <= settings.empty
    band = _widest_run(empty, len(empty) // 2, int(settings.centre * len(empty)))
    if band is None or band[1] - band[0] < settings.min_band * len(empty):
        return None
    left, right = inked[:band[0]], inked[band[1]:]
    if min((left > settings.printed).mean() if len(left) else 0.0,
           (right > settings.printed).mean() if len(right) else 0.0) < settings.min_printed:
        return None
    # Each side a page of lines running across the band: a page on its side has its lines along it, and
    # the gaps between them are empty bands too (and so is the gap between two tables of one page).
    if not all(_lines_across(part) for part in (ink[:, :band[0]], ink[:, band[1]:])):
        return None
    # (np.rot90 puts the image's rows in its columns, in order: a cut across is at that row)
    return Cut(across, int((band[0] + band[1]) / 2 / factor))


def _lines_across(ink: np.ndarray) -> bool:
    """Whether print runs in lines across (its rows' ink varies more than its columns': lines and the gaps
    between them) rather than down."""
    rows, cols = ink.mean(axis=1), ink.mean(axis=0)
    rows, cols = rows[rows.size // 20: -(rows.size // 20) or None], cols[cols.size // 20: -(cols.size // 20) or None]
    if not rows.size or not cols.size or rows.mean() == 0 or cols.mean() == 0:
        return False
    return float(rows.std() / rows.mean()) > float(cols.std() / cols.mean())


def _widest_run(empty: np.ndarray, middle: int, reach: int) -> tuple[int, int] | None:
    """The widest run of empty columns whose middle lies within `reach` of `middle`."""
    best: tuple[int, int] | None = None
    start = None
    for k, blank in enumerate([*empty.tolist(), False]):
        if blank and start is None:
            start = k
        elif not blank and start is not None:
            if abs((start + k) / 2 - middle) <= reach and (best is None or k - start > best[1] - best[0]):
                best = (start, k)
            start = None
    return best


def halves(bgr: np.ndarray, cut: Cut) -> tuple[np.ndarray, np.ndarray]:
    """The two parts of the image either side of the cut (left, right; or top, bottom when across)."""
    if cut.across:
        return bgr[:cut.at], bgr[cut.at:]
    return bgr[:, :cut.at], bgr[:, cut.at:]


def first_is_second(cut: Cut, turn: int) -> bool:
    """Whether the second part is the first page: a spread upside down puts its first page on the right; on
    its side, turned a quarter clockwise to read (it lay turned counter-clockwise), at the bottom."""
    return turn == 180 if not cut.across else turn == 90
