"""Ink and rule masks of a page image: the first measures every clean-up step and the grid finder take."""

from __future__ import annotations

import cv2
import numpy as np


def ink_mask(gray: np.ndarray, denoise: bool = True) -> np.ndarray:
    """Dark strokes as 255 on 0: adaptive, so uneven lighting of photographed pages does not matter.
    `denoise`: a median filter first takes specks out, and with them a rule one pixel wide (a faint rule
    at 150 dpi); rules are looked for in the mask without it too."""
    blurred = cv2.medianBlur(gray, 3) if denoise else gray
    return cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def line_masks(ink: np.ndarray, min_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules: runs of ink at least `min_len` long (text strokes are shorter), then
    runs interrupted by a little lost ink (a faded or broken print, a seal removed by colour) rejoined."""

    def one_way(long: tuple[int, int], join: tuple[int, int]) -> np.ndarray:
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, long))
        return cv2.morphologyEx(runs, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, join))

    return one_way((min_len, 1), (min_len // 2, 3)), one_way((1, min_len), (3, min_len // 2))
