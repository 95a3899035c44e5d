"""Which way up a scanned page is: pages scanned or photographed turned by 90, 180 or 270 degrees.

A sample of the page's longest words (on the page deskewed, its solid and dashed rules taken out) is read
by the recogniser as the page stands and under each other turn; the turn it is surest of wins, and only by a
clear margin (else the page stays as it is). A page that reads surely as it stands is not turned at all.
(Telling a page on its side by how its ink joins across and down was measured right on 88 of 94 pages:
not used.)
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractor.sources.scan.clean import dashed_masks, deskew
from extractor.sources.scan.masks import ink_mask, line_masks
from extractor.sources.scan.seal import remove_red


@dataclass(frozen=True)
class OrientSettings:
    work_width: int = 1200  # pixels: the page is judged at this width
    sample_words: int = 10  # words read under each turn
    min_margin: float = 0.08  # mean confidence the better way must win by
    upright: float = 0.9  # a page whose words read this surely as they stand is upright: the other turns
    # are not read (on the draws, the wrong turns of a page scored under 0.5)
    min_chars: int = 20  # a turn whose sampled words hold fewer characters scores in proportion (a page on
    # its side yields a few pairs of stacked characters, read confidently)


def text_ink(bgr: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(grayscale, ink of text only) of the page at about `width` pixels, deskewed, its rules (solid or
    dashed) taken out: words sampled from it must be words, not stretches of a rule."""
    scale = width / max(bgr.shape[1], 1)
    small = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else bgr
    gray = deskew(remove_red(small))
    ink = ink_mask(gray)
    min_len = max(30, small.shape[1] // 30)
    h_rules, v_rules = line_masks(ink, min_len)
    h_dashed, v_dashed = dashed_masks(ink, (h_rules, v_rules), min_len, max(3, small.shape[1] // 160),
                                      max(3, small.shape[1] // 300))
    rules = h_rules | v_rules | h_dashed | v_dashed
    text = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 3), np.uint8))))
    return gray, text


def _sample(gray: np.ndarray, text: np.ndarray, count: int) -> list[np.ndarray]:
    from extractor.sources.scan.tokens import token_boxes, token_crops

    boxes = [b for b in token_boxes(text) if (b[2] - b[0]) >= 2.5 * (b[3] - b[1]) and (b[3] - b[1]) >= 8]
    boxes.sort(key=lambda b: -(b[2] - b[0]))
    return token_crops(gray, boxes[:count])


def _score(gray: np.ndarray, text: np.ndarray, settings: OrientSettings) -> float:
    """How sure the recogniser is of a sample of the page's words, as they stand, per character (0 without
    words; fewer characters than `min_chars` count as unsure ones)."""
    from extractor.sources.scan.ocr import recognise

    crops = _sample(gray, text, settings.sample_words)
    if len(crops) < 3:
        return 0.0
    readings = recognise(crops)
    return sum(r.confidence * len(r.text) for r in readings) / max(sum(len(r.text) for r in readings),
                                                                   settings.min_chars)


def best_turn(bgr: np.ndarray, settings: OrientSettings = OrientSettings()) -> int:
    """The clockwise turn (0, 90, 180, 270) under which the page's words read best; 0 unless another turn
    wins by a clear margin."""
    gray, text = text_ink(bgr, settings.work_width)
    scores = {0: _score(gray, text, settings)}
    if scores[0] >= settings.upright:
        return 0  # read as it stands this surely, no other turn wins by the margin
    for turn in (90, 180, 270):
        k = -turn // 90
        scores[turn] = _score(np.ascontiguousarray(np.rot90(gray, k)), np.ascontiguousarray(np.rot90(text, k)),
                              settings)
    best = max(scores, key=lambda t: scores[t])
    return best if scores[best] > scores[0] + settings.min_margin else 0
