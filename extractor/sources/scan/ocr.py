"""Offline text recognition with rapidocr's bundled PP-OCR model, recognition only (the grid gives the boxes).

The recogniser is driven directly so its per-character probabilities stay visible: a cell's confidence is
its least sure character, and a digit read with a close runner-up yields an alternative reading that the
identities may later choose (never this module).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from extractor.errors import UnsupportedInput

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_engine: Any = None

DIGITS = set("0123456789")
UNSURE = 0.90  # a character below this probability is uncertain
RUNNER_UP = 0.04  # a competing digit above this probability is a candidate reading


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float
    alternatives: tuple[str, ...] = ()


def _recognizer() -> Any:
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError:
                raise UnsupportedInput("scanned pages need OCR: pip install 'rapidocr==3.10.0' onnxruntime") from None
            params = {"Global.log_level": "error", "Rec.rec_batch_num": 16,
                      "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                      "EngineConfig.onnxruntime.inter_op_num_threads": 1}
            _engine = RapidOCR(params=params)._load_rec_model()
    return _engine


def _decode(probs: np.ndarray, charset: list[str]) -> Reading:
    """CTC greedy decoding of one line, keeping each character's probability and digit runner-up."""
    best = probs.argmax(axis=1)
    chars: list[tuple[str, float, str | None]] = []
    prev = 0
    for t, idx in enumerate(best):
        if idx != 0 and idx != prev:
            p = float(probs[t, idx])
            top = np.argpartition(probs[t], -4)[-4:]
            order = top[np.argsort(probs[t, top])[::-1]]
            runner = None
            ch = charset[idx]
            for alt in order[1:4]:
                alt_ch = charset[alt] if alt < len(charset) else ""
                if alt != 0 and alt_ch in DIGITS and ch in DIGITS and probs[t, alt] >= RUNNER_UP:
                    runner = alt_ch
                    break
            chars.append((ch, p, runner))
        elif idx != 0 and idx == prev and chars:
            ch, p, runner = chars[-1]
            chars[-1] = (ch, max(p, float(probs[t, idx])), runner)
        prev = idx
    text = "".join(c for c, _, _ in chars)
    confidence = min((p for _, p, _ in chars), default=1.0)
    alternatives = []
    for k, (_, p, runner) in enumerate(chars):
        if runner is not None and p < UNSURE:
            alternatives.append(text[:k] + runner + text[k + 1:])
    return Reading(text, confidence, tuple(alternatives[:4]))


def _fingerprint(crop: np.ndarray) -> bytes:
    """Strict visual identity of a crop: the same ink at 24 px height (a page has dozens of identical '0')."""
    gray = crop if crop.ndim == 2 else crop[:, :, 0]
    width = max(1, round(gray.shape[1] * 24 / max(gray.shape[0], 1)))
    small = cv2.resize(gray, (width, 24), interpolation=cv2.INTER_AREA)
    return width.to_bytes(4, "little") + np.packbits(small < 128).tobytes()


def recognise(crops: list[np.ndarray]) -> list[Reading]:
    """Read single text lines (grayscale or BGR crops); identical-looking crops are read once."""
    if not crops:
        return []
    keys = [_fingerprint(c) for c in crops]
    unique: dict[bytes, int] = {}
    for i, key in enumerate(keys):
        unique.setdefault(key, i)
    firsts = list(unique.values())
    readings = _recognise([crops[i] for i in firsts])
    by_key = {keys[i]: reading for i, reading in zip(firsts, readings, strict=True)}
    return [by_key[key] for key in keys]


def _recognise(crops: list[np.ndarray]) -> list[Reading]:
    rec = _recognizer()
    charset: list[str] = list(rec.postprocess_op.character)
    images = [np.repeat(c[:, :, None], 3, axis=2) if c.ndim == 2 else c for c in crops]
    order = sorted(range(len(images)), key=lambda i: images[i].shape[1] / max(images[i].shape[0], 1))
    out: list[Reading | None] = [None] * len(images)
    _, height, width = rec.rec_image_shape
    batch = rec.rec_batch_num
    for start in range(0, len(order), batch):
        chunk = order[start:start + batch]
        # No padding to the model's nominal 320 px: short crops (one number) stay short, which is most of the time.
        ratio = max(2.0, *(images[i].shape[1] / max(images[i].shape[0], 1) for i in chunk))
        norm = np.concatenate([rec.resize_norm_img(images[i], ratio)[np.newaxis, :] for i in chunk])
        preds = rec.session(norm.astype(np.float32))
        for k, i in enumerate(chunk):
            out[i] = _decode(preds[k], charset)
    return [r if r is not None else Reading("", 0.0) for r in out]
