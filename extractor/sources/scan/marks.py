"""Readings of value cells corrected by what a value cell can hold: blank marks told by their shape (a poor
scan makes the recogniser hesitate between '/' and '1' or '7', and read a short dash as '•', ':' or '*'; the
ink of a one-glyph crop settles what the glyph is), numbers read with look-alike letters or specks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import cv2
import numpy as np

from extractor.sources.scan.ocr import BLANK_MARKS, Reading, decimal_point, recognise
from extractor.sources.scan.tokens import BLANK_TEXT, CJK

SLASH_LEAN = 0.22  # a '/' leans right by at least this (x per y, middle of the stroke); '1' stands under 0.1
SLASH_TOP_BAR = 0.6  # the top fifth of a '/' spans at most this share of its width; a '7's bar spans it all
SURE_SHAPE = 0.95  # the confidence of a blank mark told by its shape
SURE_MARK = 0.9  # a blank mark read this surely when only digits and marks compete is one
SLASH_LOOKALIKES = {"1", "7", "/", "l", "I", "|"}
PIECE_SHARE = 0.25  # ink of at least this share of the largest piece's area is a piece of the glyph
PIECES_UNSURE = 0.5  # the confidence of a glyph whose shape and pieces say '/' and '7' both
RULE_PIECE_ASPECT = 5  # ink this many times wider than tall is a rule's piece, not the glyph of a '/', '1', '7'
_SPECKS = ".,:;·'`"  # specks beside a glyph, as read


def _stroke(crop: np.ndarray) -> tuple[float, float, float] | None:
    """(lean, top bar, top bar in pieces) of the crop's main glyph (its largest ink component): lean is how
    far the middle three fifths of the stroke move right per row up (the flag and foot of a '1' left out);
    top bar the share of the glyph's width its top fifth spans; in pieces, the same with the other large
    pieces of ink there (a '7' whose bar came apart from its stem). None without a glyph."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(_ink(crop), connectivity=8)
    if n < 2:
        return None
    # A piece of the cell's rule in the crop (a number jittered near its cell's edge) is no glyph, however
    # large (draw 28019: the rule under a '/' was the crop's largest ink, and a '/' read '1' at 0.99 stood).
    bars = stats[:, cv2.CC_STAT_WIDTH] >= RULE_PIECE_ASPECT * stats[:, cv2.CC_STAT_HEIGHT]
    areas = np.where(bars, 0, stats[:, cv2.CC_STAT_AREA])
    if not areas[1:].any():
        return None
    # The stroke is the largest upright piece: a '7' cut in two at its corner has a bar as large as its stem
    # (draw 36037: bar 27 pixels, stem 23; the bar taken for the stroke leaned, and a sure '7' became '/').
    upright = np.where(stats[:, cv2.CC_STAT_HEIGHT] >= stats[:, cv2.CC_STAT_WIDTH], areas, 0)
    stroke = upright if upright[1:].max() >= PIECE_SHARE * areas[1:].max() else areas
    main = labels == 1 + int(np.argmax(stroke[1:]))
    ys, xs = np.nonzero(main)
    if len(xs) < 8:
        return None
    height, width = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    rows = range(ys.min() + height // 5, ys.max() - height // 5 + 1)
    centres = [(y, float(xs[ys == y].mean())) for y in rows if (ys == y).any()]
    if len(centres) < 3:
        return None
    yy, xx = np.array(centres).T
    lean = -float(np.polyfit(yy, xx, 1)[0])
    top = main[ys.min(): ys.min() + max(1, height // 5)]
    cols = np.nonzero(top.any(axis=0))[0]
    pieces = np.isin(labels, 1 + np.flatnonzero(areas[1:] >= PIECE_SHARE * areas[1:].max()))
    # Up to half the stroke's height above it: a bar that came apart from a short stem stands clear of it
    # (draw 33021: a stem 9 pixels tall, the bar's foot 2 pixels above its top).
    band = pieces[max(0, ys.min() - height // 2): ys.min() + max(1, height // 5)]
    band_cols = np.nonzero(band.any(axis=0))[0]
    glyph_cols = np.nonzero(pieces.any(axis=0))[0]
    return (lean, float((cols.max() - cols.min() + 1) / width),
            float((band_cols.max() - band_cols.min() + 1) / (glyph_cols.max() - glyph_cols.min() + 1)))


def _slash_or(crop: np.ndarray, reading: Reading) -> Reading:
    """A lone '/', '1' or '7' whose stroke leans like a '/' all along its middle and has no top bar is the
    blank mark '/', surely: measured on the draws, a '1' never leans past 0.06 and a '7' always has its bar
    (a poor scan makes the recogniser hesitate between them, or read '/' as a sure '1')."""
    text = reading.text.strip().strip(_SPECKS)  # '/.' and '!': a slash with a speck below it
    # A faint '/' among a noisy scan's specks read as nothing or a letter ('i'), '1' its other or digits-only
    # reading (draw 33030: a blank '/' cell unsure): its shape tells it as well.
    others = [*reading.alternatives, *([reading.numeric.text] if reading.numeric is not None else [])]
    faint = len(text) <= 1 and not text.isdigit() and any(alt.strip() in SLASH_LOOKALIKES for alt in others)
    if text not in SLASH_LOOKALIKES and reading.text.strip() != "!" and not faint:
        return reading
    shape = _stroke(crop)
    if shape is None:
        return reading
    lean, top_bar, top_bar_in_pieces = shape
    if lean < SLASH_LEAN or top_bar > SLASH_TOP_BAR:
        return reading
    if top_bar_in_pieces > SLASH_TOP_BAR:
        # A bar in a piece of its own over a leaning stroke: a '7' whose bar a JPEG cut off (draw 35000: a '7'
        # read surely, its stem leaning, became a sure '/', a blank); or a '/' with a speck: either, unsurely.
        return Reading(text, min(reading.confidence, PIECES_UNSURE), tuple(dict.fromkeys(
            alt for alt in (*reading.alternatives, "/", "7") if alt != text)))
    return Reading("/", max(reading.confidence, SURE_SHAPE), ())  # an alternative would make it unsure again


BAR_ASPECT = 2.0  # a dash is at least this much wider than tall; digits and dots are not
BAR_ASPECT_READ = 1.3  # ... or this, when read as a dash or as one digit (no digit is wider than tall; a
# short '-' blurred at 200 dpi is 6 by 4 pixels) ...
BAR_FILL = 0.7  # ... and fills this share of its box (a blurred '-': 0.83-0.88; half a '0': 0.47)
BAR_ROUGH = 1  # ... or is no taller than its columns' usual thickness and this many pixels
BAR_SPECKS = 0.25  # other ink under this share of the bar's area is noise
BARLESS_DIGITS = frozenset("03689")  # digits with no straight bar: no part of one alone is a filled bar
DASH = "—"
DASHES = frozenset({"-", "—", "－", "——", "–"})  # the dash marks a bar's shape can confirm


def _ink(crop: np.ndarray) -> np.ndarray:
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    # Otsu: faint scans leave the strokes lighter than any fixed grey level.
    return (cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]).astype(np.uint8)


def _bar_or(crop: np.ndarray, reading: Reading) -> Reading:
    """A crop whose only ink (specks aside) is one short horizontal bar is the blank mark '—', whatever the
    recogniser made of it ('•', ':', a hesitant '-'), unless it read digits."""
    # 一 is left to the cell (a line of a stacked label can be 一: only a cell of it alone is a dash).
    text = reading.text.strip()
    # Draw 18020: a blank cell's '—' read '一' at 0.84, and the cell unsure. A bar's shape makes it sure (一
    # stays 一: the cell decides whether it is a dash).
    unsure_dash = (text in DASHES or text == "一") and reading.confidence < SURE_SHAPE
    # No digit's glyph is wider than tall: a bar read unsurely as one digit is the bar (draw 27025: a small '-'
    # read '1' at 0.55, and every blank cell of its look with it); the digit stays its alternative, for the
    # identities (what a seal's cleaning leaves of a Song '1' is its foot).
    one_digit = len(text) == 1 and text.isdigit() and reading.confidence < SURE_SHAPE
    if not unsure_dash and not one_digit and (any(ch.isdigit() for ch in text) or text in BLANK_MARKS
                                              or text == "一" or len(text) > 1 and CJK.search(text)):
        return reading
    n, labels, stats, _ = cv2.connectedComponentsWithStats(_ink(crop), connectivity=8)
    if n < 2:
        return reading
    areas = stats[1:, cv2.CC_STAT_AREA]
    main = int(np.argmax(areas)) + 1
    if int((areas >= BAR_SPECKS * areas.max()).sum()) != 1:
        return reading
    width, height, area = (int(stats[main, k]) for k in (cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT, cv2.CC_STAT_AREA))
    if unsure_dash or one_digit:
        # ... filled like a bar: what a seal's cleaning leaves of a '0' is an arch as wide (draw 27037). A bar
        # a pixel rough along one edge is as thick as its columns all the same (draw 35019: a '—' 13 by 3 with
        # a bump, 0.69 of its box, read '一' at 0.57, the cell flagged).
        thickness = float(np.median((labels == main).sum(axis=0)[stats[main, cv2.CC_STAT_LEFT]:][:width]))
        filled = area >= BAR_FILL * width * height or height <= thickness + BAR_ROUGH
        if width < BAR_ASPECT_READ * height or not filled:
            return reading
    elif width < BAR_ASPECT * height:
        return reading
    if one_digit and not {text, *reading.alternatives} <= BARLESS_DIGITS:
        return Reading(DASH, reading.confidence, (text,))
    # A bar read as a digit that has no bar to be left of it ('0' at 0.22, or '8': draw 36031, a 150-dpi
    # '—' 8 pixels wide, three blank cells flagged) is the bar.
    return Reading("一" if text == "一" else DASH, max(reading.confidence, SURE_SHAPE), ())


def mark_by_shape(crop: np.ndarray, reading: Reading) -> Reading:
    """The reading of a one-glyph value crop, corrected where the glyph's shape is a blank mark's."""
    return _bar_or(crop, _slash_or(crop, reading))


# Misread digits ("13(" for 130), and specks read as quotes ('"o' for a '0' with dust beside it: fresh draw
# 40022, the token dropped as no text and the cell read blank surely).
_QUOTES = set("\"“”‘’")  # specks beside a glyph, not one alone
_DIGIT_LOOKALIKES = set("oOlI|SsBZ:;'`._,·-()[]{}°CDQGbgqTz ") | _QUOTES
_ZERO_LOOKALIKES = set("日口目曰囗回")


def as_number_if_numeric(reading: Reading) -> Reading:
    """A short line without Chinese that is mostly digits or digit look-alikes is a value cell: take the
    reading in which only digits compete ('o' -> '0', a speck ':' dropped) with that reading's confidence."""
    # An accent is a speck over the glyph ('ó' is a '0' with dust above it).
    text = "".join(ch for ch in unicodedata.normalize("NFD", reading.text.strip()) if not unicodedata.combining(ch))
    numeric = reading.numeric
    if numeric is None or not numeric.text or not text or len(text) > 14 or CJK.search(text):
        return decimal_point(reading)  # an amount with its unit ('212,65万元', draw 31028: the row lost)
    if numeric.text in _MARKS and numeric.confidence >= SURE_MARK and len(text) <= 2 and not any(
            ch.isdigit() for ch in text):
        # A blank mark read as punctuation ('“' for a small '-'): blank either way, but a mark, not a speck.
        return numeric
    if sum(ch.isdigit() or ch in _DIGIT_LOOKALIKES for ch in text) < len(text) or not any(
            ch.isdigit() for ch in numeric.text) or set(text) <= _QUOTES:
        return reading  # quotes alone are specks (draw 39006: '"' in a blank cell, '4' among digits at 0.21)
    return decimal_point(_without_end_specks(numeric))


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _without_end_specks(reading: Reading) -> Reading:
    """A number read with specks at its ends ('0.', '·-73', ': -1'): specks of the scan by the digits, not a
    decimal point or a separator (no digit follows them)."""
    text = _unspecked(reading.text)
    if text == reading.text or not _NUMBER.fullmatch(text):
        return reading
    return replace(reading, text=text, alternatives=tuple(_unspecked(a) for a in reading.alternatives))


def _unspecked(text: str) -> str:
    """A number's text without specks at its ends, nor a dash after it (a minus stands before a number: '0-'
    is a '0' and a speck, draw 36016, and read so it took the row's values into its label)."""
    return text.strip().strip(_SPECKS).rstrip("-—").strip(_SPECKS)


_MARKS = BLANK_TEXT | {"一"}  # and 一, the dash as the recogniser reads it


def without_stray_marks(lines: list[Reading]) -> list[Reading]:
    """The lines of a cell with one number among lone marks: the number alone. A number and a dash or slash
    on lines of their own in one cell is a number and a piece of something else (a seal's ring, a rule's
    stub); a blank mark is only ever alone."""
    numbers = [line for line in lines if line.text.strip().isdigit()]
    if len(lines) > 1 and len(numbers) == 1 and all(
            line is numbers[0] or line.text.strip() in _MARKS for line in lines):
        return numbers
    return lines


SEVERAL_NUMBERS = 0.5  # the confidence of a cell holding a number on each of several lines


def one_number_of_lines(lines: list[Reading]) -> list[Reading]:
    """A cell with a number on each of its lines (scan draw 14011: '0' over a piece of grey seal read '1'):
    no value cell holds two numbers, so one is noise or the lines are one number wrapped. The surest line,
    unsure, with the others and the lines joined as its alternatives for the identities; a cell of text lines
    over digits would otherwise pass for a label and take its row's values with it."""
    if len(lines) < 2 or not all(line.text.strip().isdigit() for line in lines):
        return lines
    best = max(lines, key=lambda line: line.confidence)
    others = [line.text.strip() for line in lines if line is not best]
    joined = "".join(line.text.strip() for line in lines)
    return [replace(best, confidence=min(best.confidence, SEVERAL_NUMBERS),
                    alternatives=tuple(dict.fromkeys([*best.alternatives, *others, joined])))]


def zero_for_lookalike(reading: Reading) -> Reading:
    """A cell read as one character like 日 or 口 and nothing else is a blurred '0' (no label of the tables
    is that character alone; a line of a stacked label can be, so whole cells only): the reading in which
    only digits compete, with its own confidence; or a blank mark between a double rule's inner lines, when
    that reading is the mark or nothing (draw 39030: '日' for '-', read '-' or nothing among digits), as
    unsurely."""
    numeric = reading.numeric
    if reading.text.strip() not in _ZERO_LOOKALIKES or numeric is None or len(numeric.text.strip()) > 1:
        return reading
    if numeric.text.isdigit():
        return numeric
    if numeric.text.strip() in _MARKS | {""}:
        return replace(numeric, confidence=min(numeric.confidence, reading.confidence))
    return reading


SPECK_SHARE = 0.15  # ink blobs under this share of the crop's largest are specks, for a second look


def without_specks(crop: np.ndarray) -> np.ndarray:
    """The crop with its small ink blobs (dust beside a glyph) turned to its background grey."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(_ink(crop), connectivity=8)
    if n < 3:
        return crop
    areas = stats[:, cv2.CC_STAT_AREA].copy()
    areas[0] = 0
    small = areas < SPECK_SHARE * areas.max()
    small[0] = False
    out = crop.copy()
    out[small[labels]] = int(np.median(crop))
    return out


def read_values(crops: list[np.ndarray]) -> list[Reading]:
    """Crops of table cells read, numbers as numbers and the blank marks '/' and '—' told by their shape. A
    crop read as nothing at all is looked at again without its specks (a '0' with dust above it read as
    nothing); only a number or a blank mark found so is taken."""
    readings = recognise(crops)
    empty = [i for i, r in enumerate(readings) if not r.text.strip()]
    for i, again in zip(empty, recognise([without_specks(crops[i]) for i in empty]), strict=True):
        value = as_number_if_numeric(again).text.strip()
        if value.isdigit() or value in _MARKS:  # a value found again; a character would be the dust's reading
            readings[i] = again
    return [with_hidden_sign(crop, _shaped(crop, r)) for crop, r in zip(crops, readings, strict=True)]


def _shaped(crop: np.ndarray, free: Reading) -> Reading:
    """A value crop's reading as a number, or the blank mark its shape is. A digit the number reading is
    sure of but the free reading is not may be a mark: among digits alone a bar is sure to be a '1' (fresh
    draw 40034: two '—' read '1' at 0.64 free and 0.98 as a number, kept sure: silently wrong)."""
    reading = as_number_if_numeric(free)
    doubted = replace(reading, confidence=min(reading.confidence, free.confidence)) \
        if reading.text.strip() == free.text.strip() else reading
    marked = mark_by_shape(crop, doubted)
    return reading if marked is doubted else marked


SIGN_WIDTH = (0.6, 0.3)  # ink wider than (a * digits + b) line heights holds more than the digits read
SIGN_THIN = 0.3  # a minus, seen column by column, spans at most this share of the line height...
SIGN_LONG = 0.15  # ...over at least this share of it, from the left end of the ink...
SIGN_BAND = (0.35, 0.85)  # ...between these heights (from the top; a '7's bar is at the top, a '4's within)
SIGN_DARK = 50  # grey levels under the paper's that a faint minus is at least ...
SIGN_FAINT_LONG = 0.3  # ... over this share of the line height, apart from the digits


def with_sign(reading: Reading) -> Reading:
    """A number with its signed reading as an alternative (the map keeps it only where a sign may stand; a
    zero has no sign)."""
    text = reading.text.strip()
    if not signable(text):
        return reading
    return replace(reading, alternatives=tuple(dict.fromkeys((*reading.alternatives, "-" + text))))


def signable(text: str) -> bool:
    """A number a minus may have stood before: digits, not zero (isdigit() holds for '①', which int()
    refuses)."""
    return text.isdecimal() and int(text) != 0


def glyph_labels(stats: np.ndarray) -> list[int]:
    """Labels of the components (connectedComponentsWithStats' `stats`) that are glyphs, not specks."""
    areas = stats[1:, cv2.CC_STAT_AREA]
    return [k + 1 for k in range(len(areas)) if areas[k] >= SPECK_SHARE * areas.max()]


def faint_sign(before: np.ndarray) -> bool:
    """Whether the grey just before a number (as wide as the line is high, the line's height) holds a faint
    bar at mid-height: a minus the cleaning lost (scan draw 26009: '-3' under a red seal, the thin minus as
    light as the stamp, read '3' surely in a 本年增/减 cell no identity checks)."""
    height = before.shape[0]
    if before.size == 0 or height < 6:
        return False
    dark = before < int(np.median(before)) - SIGN_DARK
    run = best = 0
    for column in dark.T:
        rows = np.where(column)[0]
        middle = (rows[0] + rows[-1]) / 2 / height if len(rows) else -1.0
        if len(rows) and rows[-1] - rows[0] + 1 <= SIGN_THIN * height and SIGN_BAND[0] <= middle <= SIGN_BAND[1]:
            run += 1
            best = max(best, run)
        else:
            run = 0
    return best >= SIGN_FAINT_LONG * height


def with_hidden_sign(crop: np.ndarray, reading: Reading) -> Reading:
    """A number whose ink starts with a thin bar at mid-height and is wider than its digits: a minus run
    into the first digit (scan draw 23015: '-3' read '3' surely, in a 本年增/减 cell no identity checks).
    The signed reading becomes an alternative, which makes the cell unsure where a sign may stand (the map
    drops it under columns that cannot be negative)."""
    text = reading.text.strip()
    if not signable(text):
        return reading
    _, labels, stats, _ = cv2.connectedComponentsWithStats(_ink(crop), connectivity=8)
    glyphs = glyph_labels(stats)
    if not glyphs:
        return reading
    x0 = min(int(stats[k, 0]) for k in glyphs)
    x1 = max(int(stats[k, 0] + stats[k, 2]) for k in glyphs)
    y0 = min(int(stats[k, 1]) for k in glyphs)
    height = max(int(stats[k, 1] + stats[k, 3]) for k in glyphs) - y0
    if x1 - x0 < (SIGN_WIDTH[0] * len(text) + SIGN_WIDTH[1]) * height:
        return reading
    first = min(glyphs, key=lambda k: int(stats[k, 0]))  # a sign run into the first digit is part of its blob
    run = 0
    for column in (labels[:, x0:] == first).T:
        rows = np.where(column)[0]
        if len(rows) == 0 or rows[-1] - rows[0] + 1 > SIGN_THIN * height \
                or not SIGN_BAND[0] <= ((rows[0] + rows[-1]) / 2 - y0) / height <= SIGN_BAND[1]:
            break
        run += 1
    return with_sign(reading) if run >= SIGN_LONG * height else reading


def blank_of_specks(dropped: list[Reading], specks_alone: bool = False,
                    under_seal: bool = True) -> tuple[float, tuple[str, ...]]:
    """(confidence, alternatives) of a cell whose every line was dropped as specks (':', '•'): empty, surely
    unless a line's digits-only reading is a number, which then stays as an alternative (a faint '0' read as
    a dot must not pass for an empty cell). `under_seal`: a seal's ink was taken out of the cell."""
    numbers = [r.numeric for r in dropped if r.numeric is not None and r.numeric.text.strip().isdigit()]
    # A crop the recogniser read nothing in at all, or a character in it unsurely, may hold anything; not
    # when all its ink is specks (no blob the size of a character or a blank mark): that is noise.
    confidence = 1.0 if specks_alone else min(
        (r.confidence for r in dropped if not r.text.strip() or noise_line(r)), default=1.0)
    # Letters read from ink the size of a character are what a seal's cleaning leaves of a digit ('U', 'n',
    # 'iì' of a '0' the ring crossed: draw 27019 read such cells blank surely); the cell is not surely empty.
    # Not where no seal was: a blurred '-' read 'à' with no digit in it (draw 35034, right, flagged).
    if not specks_alone and under_seal and any(_letters(r) for r in dropped):
        confidence = min(confidence, GARBLED_BLANK)
    if not numbers:
        return confidence, ()
    alternatives = tuple(dict.fromkeys(n.text.strip() for n in numbers))
    return min(confidence, 1.0 - max(n.confidence for n in numbers)), alternatives


NOISE_READING = 0.2  # a lone character read less surely than this is a speck's reading, not text
GARBLED_BLANK = 0.5  # the confidence of an empty reading where character-sized ink read as letters


def _letters(reading: Reading) -> bool:
    """Letters read surely enough to be ink of a character, not a speck's reading."""
    return any(ch.isalpha() for ch in reading.text) and not noise_line(reading)


def noise_line(reading: Reading) -> bool:
    """A line of one letter or character read with next to no confidence: a speck (read '价' at 0.04).
    Punctuation ('•') is a speck's reading anyway, and a short dash's: not made unsure by this."""
    text = reading.text.strip()
    return len(text) == 1 and text.isalpha() and reading.confidence < NOISE_READING
