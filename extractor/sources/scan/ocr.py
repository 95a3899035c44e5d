"""Offline text recognition with rapidocr's bundled PP-OCR model, recognition only (the grid gives the boxes).

The recogniser is driven directly so its per-character probabilities stay visible: a cell's confidence is
its least sure character, and a digit read with a close runner-up yields an alternative reading that the
identities may later choose (never this module).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import cv2
import numpy as np

from extractor.errors import UnsupportedInput

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_engine: Any = None


def _threads() -> int:
    """Recognition threads: the cores this worker owns (its pool sets EXTRACTOR_OCR_THREADS)."""
    try:
        return max(1, int(os.environ.get("EXTRACTOR_OCR_THREADS", "1")))
    except ValueError:
        return 1

DIGITS = set("0123456789")
BLANK_MARKS = set("/／")  # a blank cell's mark, read as '1' or '7' from a poor scan
COMPETING = DIGITS | BLANK_MARKS
NUMERIC_CHARS = DIGITS | set(",.-+/—")
DECIMAL_POINTS = set(".,，")
MINUS = set("-−－")  # dashes that parse as a number's minus
MINUS_LIKE = MINUS | set("—–")  # ... and what the recogniser confuses them with
UNIT_CHARS = set("万亿元")
DECIMAL_COMMA = re.compile(r"(-?\d+)[,，](\d{1,2})(万元|亿元|元)?")  # no thousands group has fewer than 3 digits
DECIMAL_COLON = re.compile(r"(-?\d+)[:：](\d{1,2})(万元|亿元|元|万)?")
COLON_POINT = 0.5  # the confidence of a point read as a colon, at most
UNSURE = 0.90  # a character below this probability is uncertain
RUNNER_UP = 0.04  # a competing digit above this probability is a candidate reading


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float
    alternatives: tuple[str, ...] = ()
    numeric: Reading | None = None  # the line read as a number (digits only compete)


def _recognizer() -> Any:
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError:
                raise UnsupportedInput("scanned pages need OCR: pip install 'rapidocr==3.10.0' onnxruntime") from None
            params = {"Global.log_level": "error", "Rec.rec_batch_num": RECOGNISER.batch,
                      "EngineConfig.onnxruntime.intra_op_num_threads": _threads(),
                      "EngineConfig.onnxruntime.inter_op_num_threads": 1}
            _engine = RapidOCR(params=params)._load_rec_model()
    return _engine


class Classes(NamedTuple):
    """Classes of the charset that stand for one another in a number (once per batch: ~18,700 classes)."""

    points: list[int]
    minus: list[int]
    units: list[int]


def classes_of(charset: list[str]) -> Classes:
    return Classes(*([i for i, ch in enumerate(charset) if ch in chars] for chars in (DECIMAL_POINTS, MINUS_LIKE,
                                                                                       UNIT_CHARS)))


def _decode(probs: np.ndarray, charset: list[str], classes: Classes | None = None) -> Reading:
    """CTC greedy decoding of one line (class 0 is the blank), keeping each character's probability and,
    for a digit, a competing digit as an alternative reading of the line. `classes`: the charset's
    (`classes_of`), found here if not given (a caller reading a batch finds them once)."""
    classes = classes or classes_of(charset)
    best = probs.argmax(axis=1)
    chars: list[tuple[str, float, str | None]] = []
    point_of: dict[int, float] = {}  # a point's probability of being a point or a comma, at its best step
    minus_of: dict[int, float] = {}  # a minus's probability of being any dash, at its best step
    unit_of: dict[int, float] = {}  # a unit's probability among the units and none, at its best step
    prev = 0
    for t, idx in enumerate(best):
        if idx != 0 and idx != prev:
            ch = charset[idx]
            runner = None
            if ch in COMPETING:
                top = np.argpartition(probs[t], -4)[-4:]
                for alt in top[np.argsort(probs[t, top])[::-1]][1:]:
                    if alt != 0 and charset[alt] in COMPETING and probs[t, alt] >= RUNNER_UP:
                        runner = charset[alt]
                        break
            chars.append((ch, float(probs[t, idx]), runner))
        elif idx != 0 and idx == prev and chars:
            ch, p, runner = chars[-1]
            chars[-1] = (ch, max(p, float(probs[t, idx])), runner)
        if idx != 0 and charset[idx] in DECIMAL_POINTS:
            point_of[len(chars) - 1] = max(point_of.get(len(chars) - 1, 0.0), float(probs[t, classes.points].sum()))
        if idx != 0 and charset[idx] in MINUS:
            minus_of[len(chars) - 1] = max(minus_of.get(len(chars) - 1, 0.0), float(probs[t, classes.minus].sum()))
        if idx != 0 and charset[idx] in UNIT_CHARS:
            share = float(probs[t, idx]) / max(float(probs[t, classes.units].sum() + probs[t, 0]), 1e-9)
            unit_of[len(chars) - 1] = max(unit_of.get(len(chars) - 1, 0.0), share)
        prev = idx
    # A point read before the last one or two digits (a unit aside) is a decimal point whether it is a '.' or a
    # ',' (marks reads '562,35' as 562.35): one value (draw 35019: '562,35' at 0.77 for its comma, 0.23 point).
    whole = "".join(c for c, _, _ in chars).strip()
    for k, share in point_of.items():
        after = re.sub(r"\s*(万元|亿元|元)?\s*$", "", "".join(c for c, _, _ in chars[k + 1:]))
        point = chars[k][0] == "." and 1 <= len(after) <= 2 and after.isdigit() and k > 0 and chars[k - 1][0].isdigit()
        if point or DECIMAL_COMMA.fullmatch(whole):
            chars[k] = (chars[k][0], max(chars[k][1], share), chars[k][2])
    # A minus before a number's first digit is a minus however long the recogniser thinks the dash is
    # (draw 36016: '-1' in 本年增/减 at 0.75 for '-', 0.24 for '—': flagged though right). Only a dash that
    # parses as a minus is made sure; '—1' stays as read.
    lead = next((k for k, (c, _, _) in enumerate(chars) if c != " "), None)
    if lead is not None and lead in minus_of and lead + 1 < len(chars) and chars[lead + 1][0].isdigit():
        chars[lead] = (chars[lead][0], max(chars[lead][1], minus_of[lead]), chars[lead][2])
    # A unit after a number is one of the units or none: a character that is no unit ('方' for 万, draw 38023:
    # '344.69万元' at 0.76 for 万, 0.24 for 方) is no reading of it.
    last_digit = max((k for k, (c, _, _) in enumerate(chars) if c.isdigit()), default=None)
    for k, share in unit_of.items():
        if last_digit is not None and k > last_digit:
            chars[k] = (chars[k][0], max(chars[k][1], share), chars[k][2])
    text = "".join(c for c, _, _ in chars)
    # Nothing read in a crop that holds ink is no sure reading (a '0' with a speck above it read as nothing).
    # Nor does a space weigh, but between two digits (two numbers or one): the recogniser is seldom sure of
    # the gap between a number and its unit ('227.96 万元' at 0.85 for its space, draw 28024: flagged).
    confidence = min((p for k, (ch, p, _) in enumerate(chars) if ch != " " or _between_digits(chars, k)),
                     default=0.0)
    # A blank mark competes only as a whole cell: '/' and '1' look alike at low resolution, but a '/' inside
    # a number is no reading.
    alternatives = [text[:k] + runner + text[k + 1:] for k, (ch, p, runner) in enumerate(chars)
                    if runner is not None and p < UNSURE and (len(chars) == 1 or (ch in DIGITS and runner in DIGITS))]
    return Reading(text, confidence, tuple(alternatives[:4]))


def _between_digits(chars: list[tuple[str, float, str | None]], k: int) -> bool:
    before = next((c for c, _, _ in reversed(chars[:k]) if c != " "), "")
    after = next((c for c, _, _ in chars[k + 1:] if c != " "), "")
    return before.isdigit() and after.isdigit()


class Charset(NamedTuple):
    """The model's classes, and those of its reading as a number (digits and number punctuation)."""

    chars: list[str]
    classes: Classes
    allowed: np.ndarray  # the classes a number is read from (the blank first)
    numeric: list[str]
    numeric_classes: Classes


@functools.lru_cache(maxsize=1)
def _charset() -> Charset:
    """Once per process: listing the ~18,700 classes took 7 ms on every call of the recogniser."""
    chars: list[str] = list(_recognizer().postprocess_op.character)
    allowed = np.array([0] + [i for i, ch in enumerate(chars) if i and ch in NUMERIC_CHARS])
    numeric = [chars[i] if i else "" for i in allowed]
    return Charset(chars, classes_of(chars), allowed, numeric, classes_of(numeric))


def _decode_numeric(probs: np.ndarray, charset: Charset) -> Reading:
    """The same line read as a number: only digits and number punctuation compete (renormalised), so an
    'o' the free reading saw becomes the digit the model rated highest, with that digit's share as
    confidence."""
    sub = probs[:, charset.allowed]
    sub = sub / np.maximum(sub.sum(axis=1, keepdims=True), 1e-9)
    return _decode(sub, charset.numeric, charset.numeric_classes)


@dataclass(frozen=True)
class RecogniserSettings:
    """How crops are grouped, padded and batched for the recogniser (its time is ~3/4 of a scanned page's)."""

    # Crops are fingerprinted black and white at mid-contrast (4 levels: ~10% more crops to read, no gain
    # seen), 24 px high, and read once per look-alike group:
    fingerprint_levels: int = 2
    fingerprint_height: int = 24
    # Two crops of one width are alike when their fingerprints differ in at most this many pixels, none
    # touching another: noise on a glyph's edge, not a stroke (a '3' and an '8' differ by a stroke). On the
    # corpus' scans, 933 such pairs: the same number read in all (9 differ in the free text or sureness).
    alike_pixels: int = 4
    # Width per height a crop is padded to at least. One digit (0.9 wide) padded to 2.0 is half of the pixels
    # read, but 1.5 read specks as a '1' and lost a row of an unruled page (draws 37005, 37036); 1.0 reads
    # '0' as 'O' and labels with a '|'.
    min_ratio: float = 2.0
    # Crops read in one batch are padded to its widest: no wider than this times its narrowest.
    ratio_spread: float = 1.3
    batch: int = 16


RECOGNISER = RecogniserSettings()


def _fingerprint(crop: np.ndarray, settings: RecogniserSettings = RECOGNISER) -> np.ndarray:
    """A crop's ink at fingerprint height, thresholded at the middle of the crop's own contrast, not at a
    fixed grey: faint print never reached grey 128, and every digit of a light scan shared one blank
    fingerprint (and one reading)."""
    gray = crop if crop.ndim == 2 else crop[:, :, 0]
    height = settings.fingerprint_height
    width = max(1, round(gray.shape[1] * height / max(gray.shape[0], 1)))
    small = cv2.resize(gray, (width, height), interpolation=cv2.INTER_AREA).astype(np.float32)
    low, high = float(small.min()), float(small.max())
    return ((small - low) * (settings.fingerprint_levels - 0.01) / max(high - low, 1.0)).astype(np.uint8)


def _alike(a: np.ndarray, b: np.ndarray, settings: RecogniserSettings = RECOGNISER) -> bool:
    """Two fingerprints of crops that read alike: the same, or apart by a few isolated pixels."""
    if a.shape != b.shape:
        return False
    differ = (a != b).astype(np.uint8)
    count = int(differ.sum())
    if count == 0:
        return True
    if count > settings.alike_pixels:
        return False
    _, _, stats, _ = cv2.connectedComponentsWithStats(differ, connectivity=8)
    return int(stats[1:, cv2.CC_STAT_AREA].max()) <= 1


def _groups(crops: list[np.ndarray]) -> list[int]:
    """For each crop, the index of the first crop alike it (itself when none before it is)."""
    firsts: dict[tuple[int, int], list[tuple[int, np.ndarray]]] = {}
    out = []
    for i, crop in enumerate(crops):
        key = _fingerprint(crop)
        seen = firsts.setdefault(key.shape, [])
        first = next((j for j, other in seen if _alike(key, other)), None)
        if first is None:
            seen.append((i, key))
            first = i
        out.append(first)
    return out


def recognise(crops: list[np.ndarray]) -> list[Reading]:
    """Read single text lines (grayscale or BGR crops); crops that look alike are read once."""
    if not crops:
        return []
    group = _groups(crops)
    firsts = sorted(set(group))
    readings = dict(zip(firsts, _recognise([crops[i] for i in firsts]), strict=True))
    return [readings[g] for g in group]


def _chunks(ratios: list[float], batch: int, spread: float = RECOGNISER.ratio_spread) -> list[list[int]]:
    """Indices of crops in batches of similar width per height: a crop padded far past its own width reads
    less surely (a '365.16 万元' beside a long label: 0.84, alone 0.96), and the padding is wasted work."""
    chunks: list[list[int]] = []
    for i in sorted(range(len(ratios)), key=ratios.__getitem__):
        if chunks and len(chunks[-1]) < batch and ratios[i] <= spread * ratios[chunks[-1][0]]:
            chunks[-1].append(i)
        else:
            chunks.append([i])
    return chunks


def _recognise(crops: list[np.ndarray]) -> list[Reading]:
    rec = _recognizer()
    charset = _charset()
    images = [np.repeat(c[:, :, None], 3, axis=2) if c.ndim == 2 else c for c in crops]
    ratios = [max(RECOGNISER.min_ratio, image.shape[1] / max(image.shape[0], 1)) for image in images]
    out: list[Reading | None] = [None] * len(images)
    for chunk in _chunks(ratios, RECOGNISER.batch):
        # No padding to the model's nominal 320 px: short crops (one number) stay short, which is most of the time.
        ratio = max(ratios[i] for i in chunk)
        norm = np.concatenate([rec.resize_norm_img(images[i], ratio)[np.newaxis, :] for i in chunk])
        preds = rec.session(norm.astype(np.float32))
        for k, i in enumerate(chunk):
            free = _decode(preds[k], charset.chars, charset.classes)
            out[i] = replace(free, numeric=_decode_numeric(preds[k], charset))
    return [r if r is not None else Reading("", 0.0) for r in out]


def warm_up() -> None:
    """Load the recognition model now (a worker that will read scans pays for it once, up front)."""
    _recognizer()


def decimal_point(reading: Reading) -> Reading:
    """A decimal point read as a comma ('407,78' for 407.78, draw 17002): a comma followed by one or two
    digits ending the number is no thousands separator. Read as a colon ('102:25万', draw 38015: the token
    no value, 政府集中采购's row lost), it is the point too, but unsurely: no number of these tables holds a
    colon, yet a colon is no point the recogniser saw."""
    text = reading.text.strip()
    found = DECIMAL_COMMA.fullmatch(text)
    if found is not None:
        return replace(reading, text=f"{found.group(1)}.{found.group(2)}{found.group(3) or ''}")
    found = DECIMAL_COLON.fullmatch(text)
    if found is None:
        return reading
    return replace(reading, text=f"{found.group(1)}.{found.group(2)}{found.group(3) or ''}",
                   confidence=min(reading.confidence, COLON_POINT))
