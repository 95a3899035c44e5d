"""Page image clean-up before grid detection: red seals out, perspective and skew corrected, ink found.

Every transform is a named function over numpy images, applied in order by `clean_page`.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

_log = logging.getLogger(__name__)


def remove_red(bgr: np.ndarray) -> np.ndarray:
    """Grayscale page with red ink (seal stamps, red headers) turned to paper white."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    red = ((hue <= 12) | (hue >= 165)) & (sat >= 60) & (val >= 60)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    gray[red] = 255
    return gray


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
    width = float(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = float(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([tl, [tl[0] + width, tl[1]], [tl[0] + width, tl[1] + height], [tl[0], tl[1] + height]],
                      dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], dtype=np.float32), target)
    return cv2.warpPerspective(gray, matrix, (gray.shape[1], gray.shape[0]), borderValue=255)


def clean_page(bgr: np.ndarray, min_len: int) -> tuple[np.ndarray, np.ndarray]:
    """(clean grayscale, ink mask) of a page image."""
    gray = remove_red(bgr)
    gray = unwarp(gray, ink_mask(gray), min_len)
    angle = skew_angle(ink_mask(gray))
    if abs(angle) >= 0.05:
        gray = rotate(gray, angle)
    _log.debug("deskewed by %.2f degrees", angle)
    return gray, ink_mask(gray)
