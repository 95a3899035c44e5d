"""What a seal may hide: where print was lost with its ink (lost_print), whether a cell's reading can be
trusted under it (sealed), and the seal's boxes on a page (seal_boxes) for what is read by position."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.model import BBox

HIDDEN_TILE = 150  # tiles across a page width in which the seal mask is summed into boxes
HIDDEN_TILE_SHARE = 0.25  # share of a tile the seal's ink covered for the tile to be hidden


def seal_boxes(hidden: np.ndarray, scale: float, origin: str) -> tuple[BBox, ...]:
    """The seal mask of a page as boxes (in output units): runs of hidden tiles along each band of tiles."""
    if not hidden.any():
        return ()
    tile = max(4, hidden.shape[1] // HIDDEN_TILE)
    rows, cols = hidden.shape[0] // tile, hidden.shape[1] // tile
    share = (hidden[:rows * tile, :cols * tile] > 0).reshape(rows, tile, cols, tile).mean(axis=(1, 3))
    boxes: list[BBox] = []
    for r in range(rows):
        on = np.flatnonzero(share[r] >= HIDDEN_TILE_SHARE)
        if on.size == 0:
            continue
        runs = np.split(on, np.flatnonzero(np.diff(on) > 1) + 1)
        boxes.extend(BBox(int(run[0]) * tile / scale, r * tile / scale, (int(run[-1]) + 1) * tile / scale,
                          (r + 1) * tile / scale, origin) for run in runs)
    return tuple(boxes)


LOST_SHARE = 0.03  # share of where a cell's print stands in which print was lost with a seal's ink ...
ON_RED = 0.1  # ... or share of a cell's text ink lying on a red stamp's ink
SOLID_SHARE = 0.5  # ... or which a seal's ink covers solidly (a stamp pasted over print hides it whole)
# (draw 28031: a '0' under a red seal's star, as light as the star's ink, was whitened with it and read blank
# surely: silently wrong; 31011: an '8' half under a grey seal's squares read '3' at 0.999)


def sealed(seal: np.ndarray, lost: np.ndarray, text: np.ndarray | None, opaque: bool = True,
           red: np.ndarray | None = None) -> bool:
    """Whether a seal may have hidden print in a cell (`seal`, `lost`: its masks over the cell's inside). A
    cell read empty (`text` None): where print was lost in its middle (where a value is printed), or the
    seal covers most of it solidly and may be `opaque`; a cell read: where print was lost in its text's own
    box (`text`: the text's ink), or its ink lies on a red stamp's (`red`: what the thin strokes it lost
    there leave is too little to tell: fresh draw 40021, a '0' its ring crossed read '1' surely). A seal over
    print that survives it, or over a blank cell's paper, hides nothing."""
    if text is not None and red is not None and red.any() and np.count_nonzero(text):
        # Print darker than the stamp is no red by its hue: the stamp's ink around it says where it lies.
        near = cv2.dilate(red, np.ones((3, 3), np.uint8))
        if np.count_nonzero(near[text > 0]) >= ON_RED * np.count_nonzero(text):
            return True
    if text is None:
        middle = slice(seal.shape[1] // 4, seal.shape[1] - seal.shape[1] // 4)
        return _share(lost[:, middle]) >= LOST_SHARE or (opaque and _share(seal[:, middle]) >= SOLID_SHARE)
    ys, xs = np.nonzero(text)
    if len(ys) == 0:
        return False
    pad = max(2, (int(ys.max()) - int(ys.min())) // 6)  # a stroke's width around the text
    top, left = max(int(ys.min()) - pad, 0), max(int(xs.min()) - pad, 0)
    return _share(lost[top:int(ys.max()) + pad + 1, left:int(xs.max()) + pad + 1]) >= LOST_SHARE


SEEN_THROUGH_SHARE = 0.02  # print kept inside a seal's ink, as a share of that ink, that shows it translucent
SEAL_BODY = 5  # pixels across the holes print leaves in a seal's mask, closed to find print inside it


def translucent(seal: np.ndarray, text: np.ndarray) -> bool:
    """Whether print shows through a page's seal: text (`text`: its ink, rules out, for the cleaning draws
    rules again across a seal) kept inside the seal's ink. A stamp on paper multiplies with the print under
    it, and print darker than the stamp is told by lost_print; a seal pasted over the page opaquely shows
    none, and a blank cell it covers may have held anything (draws 35026, 35033: a grey star over a blank
    cell, the '0' and the words beside it plain through it, the cell flagged though right)."""
    ink = int(np.count_nonzero(seal))
    if not ink:
        return False
    body = cv2.morphologyEx(seal, cv2.MORPH_CLOSE, np.ones((SEAL_BODY, SEAL_BODY), np.uint8)) > 0
    return int(np.count_nonzero(body & (text > 0))) >= SEEN_THROUGH_SHARE * ink


def _share(mask: np.ndarray) -> float:
    return float(np.count_nonzero(mask)) / mask.size if mask.size else 0.0


LOST_DARKER = 0.12  # print under a seal is this much darker than the seal's ink around it ...
LOST_NOISE = 3.0  # ... and than this many times the spread of its even ink (a noisy scan's) ...
LOST_WHITE = 230  # ... and was lost where the cleaning left it lighter than this
LOST_REACH = 3  # pixels around lost print where what is left of its strokes may lie
LOST_PIXELS = 4  # pixels a piece of lost print has at least (fewer: a speck of the scan's noise)
SURVIVED = 160  # a cleaned pixel darker than this is print the cleaning kept ...
RIM_OF_PRINT = 2  # ... and pixels this close to it are its blurred edge
INK_SPREAD = 0.2  # a stamp's even ink lies within this share of its most common level
SEAL_INK = 200  # a grey seal's pixels lighter than this are its halo on the paper, not its ink (red is by hue)


def lost_print(bgr: np.ndarray, red: np.ndarray, red_removed: np.ndarray, cleaned: np.ndarray) -> np.ndarray:
    """255 where print may have gone with a seal's ink: pixels of the seal (red, or grey and whitened) darker
    than the seal's ink around them (print under a stamp multiplies with it) that the cleaning whitened all
    the same (draw 28031: a '0' under a red star as light as its ink, read blank surely). A seal's even
    ink, over a blank cell, loses nothing: a cell there reads surely. `red`: red_mask of the page."""
    seal = red | (cleaned != red_removed)
    if not seal.any():
        return np.zeros(cleaned.shape, np.uint8)
    channel = np.where(red, bgr[:, :, 2], red_removed).astype(np.float32)
    window = (max(5, cleaned.shape[1] // 60),) * 2
    # The ink's level from its even ink alone: the cleaning also whitens the pale halo and the blurred edges
    # of its strokes, which lightened the mean until a ring's own ink came out darker than it, all of the ring
    # 'lost print' (draw 32001: a grey seal, four right cells under it flagged). The stamp's ink is the most
    # common level of its pixels; those near it make the local level, that level where none is near.
    even = np.zeros(seal.shape, bool)
    fallback = np.zeros(seal.shape, np.float32)
    # A noisy scan's ink spreads: print lost is darker than the ink by its noise too (draw 33005, noise 12:
    # specks along a red ring 'lost print' beside an amount it crossed).
    margin = np.zeros(seal.shape, np.float32)
    for kind in (red, seal & ~red & (channel < SEAL_INK)):
        values = channel[kind]
        if values.size:
            mode = float(np.bincount((values // 4).astype(np.int64)).argmax() * 4 + 2)
            near = np.abs(values - mode) <= INK_SPREAD * mode
            even[kind] = near  # the two kinds share no pixel
            fallback[kind] = mode
            spread = 1.4826 * float(np.median(np.abs(values[near] - np.median(values[near])))) if near.any() else 0.0
            margin[kind] = max(LOST_DARKER * mode, LOST_NOISE * spread)
    mask = even.astype(np.float32)
    weight = cv2.blur(mask, window)
    level = np.where(weight > 0, cv2.blur(channel * mask, window) / np.maximum(weight, 1e-3), fallback)
    lost = seal & (channel < level - margin) & (cleaned >= LOST_WHITE)
    # The blurred edge of print that survived a red stamp is no print lost: a '0' on a red star kept whole,
    # its reddish rim taken by hue with the star (draw 28005, a right cell flagged). Not under grey ink: what
    # its cleaning leaves of a thin Song '0' a ring crossed is pieces beside the print it took (draw 27019).
    survived = (cleaned < SURVIVED).astype(np.uint8)
    lost &= ~(red & (cv2.dilate(survived, np.ones((2 * RIM_OF_PRINT + 1,) * 2, np.uint8)) > 0))
    # Specks out. Under grey ink by size, a thin stroke kept: a Song '0' under a ring is a line a pixel wide
    # (draw 27019), which an opening took. Under red by an opening: a red stamp's edges ring dark where a JPEG
    # cut them (draws 31007, 31027 at 150 dpi: lines along the squares' sides were lost print).
    n, labels, stats, _ = cv2.connectedComponentsWithStats((lost & ~red).astype(np.uint8), connectivity=8)
    big = stats[:, cv2.CC_STAT_AREA] >= LOST_PIXELS
    big[0] = False
    lost_u8 = (big[labels] * 255).astype(np.uint8)
    lost_u8 |= cv2.morphologyEx((lost & red).astype(np.uint8) * 255, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return np.asarray(cv2.dilate(lost_u8, np.ones((2 * LOST_REACH + 1,) * 2, np.uint8)))
