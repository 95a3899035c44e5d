"""Blank marks told by their shape: a poor scan makes the recogniser hesitate between '/' and '1' or '7',
and read a short dash as '•', ':' or '*'. The ink of a one-glyph crop settles what the glyph is."""

from __future__ import annotations

import re

import cv2
import numpy as np

from extractor.sources.scan.ocr import Reading

SLASH_SLANT = (45.0, 78.0)  # degrees from the horizontal: a '/' stroke; '1' stands at 80-90
SLASH_LOOKALIKES = {"1", "7", "/", "l", "I", "|"}


def _slant(crop: np.ndarray) -> tuple[float, float] | None:
    """(slant of the ink's main axis in degrees from the horizontal, share of the glyph's width its top row
    of ink spans) for a crop holding one glyph; None without ink."""
    ink = _ink(crop)
    ys, xs = np.nonzero(ink)
    if len(xs) < 8:
        return None
    m = cv2.moments(ink, True)
    angle = abs(0.5 * np.degrees(np.arctan2(2 * m["mu11"], m["mu20"] - m["mu02"])))
    top = ink[ys.min(): ys.min() + max(1, (ys.max() - ys.min()) // 5)]
    top_cols = np.nonzero(top.any(axis=0))[0]
    width = xs.max() - xs.min() + 1
    return float(angle), float((top_cols.max() - top_cols.min() + 1) / width) if len(top_cols) else 0.0


def _slash_or(crop: np.ndarray, reading: Reading) -> Reading:
    """A lone '1' or '7' whose single stroke slants like a '/' and has no top bar is the blank mark '/'
    (a poor scan makes the recogniser hesitate between them): '/' first, the digit kept as an alternative
    for the identities to choose."""
    text = reading.text.strip()
    if text not in SLASH_LOOKALIKES or text == "/":
        return reading
    shape = _slant(crop)
    if shape is None:
        return reading
    angle, top_bar = shape
    if not SLASH_SLANT[0] <= angle <= SLASH_SLANT[1] or top_bar > 0.6:
        return reading
    return Reading("/", min(reading.confidence, 0.89), (text,))


BAR_ASPECT = 2.0  # a dash is at least this much wider than tall; digits and dots are not
BAR_SPECKS = 0.25  # other ink under this share of the bar's area is noise
DASH = "—"
_CJK = re.compile(r"[\u3400-\u9fff]")


def _ink(crop: np.ndarray) -> np.ndarray:
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    # Otsu: faint scans leave the strokes lighter than any fixed grey level.
    return (cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]).astype(np.uint8)


def _bar_or(crop: np.ndarray, reading: Reading) -> Reading:
    """A crop whose only ink (specks aside) is one short horizontal bar is the blank mark '—', whatever the
    recogniser made of it ('•', ':', a hesitant '-'), unless it read digits."""
    # 一 is left to the cell (a line of a stacked label can be 一: only a cell of it alone is a dash).
    text = reading.text.strip()
    if any(ch.isdigit() for ch in text) or text in ("/", "／", "一") or len(text) > 1 and _CJK.search(text):
        return reading
    n, _, stats, _ = cv2.connectedComponentsWithStats(_ink(crop), connectivity=8)
    if n < 2:
        return reading
    areas = stats[1:, cv2.CC_STAT_AREA]
    main = int(np.argmax(areas)) + 1
    if int((areas >= BAR_SPECKS * areas.max()).sum()) != 1:
        return reading
    if stats[main, cv2.CC_STAT_WIDTH] < BAR_ASPECT * stats[main, cv2.CC_STAT_HEIGHT]:
        return reading
    return Reading(DASH, max(reading.confidence, 0.95), ())


def mark_by_shape(crop: np.ndarray, reading: Reading) -> Reading:
    """The reading of a one-glyph value crop, corrected where the glyph's shape is a blank mark's."""
    return _bar_or(crop, _slash_or(crop, reading))
