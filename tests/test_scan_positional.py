"""Tables read by position on scans (no ruled grid): which ink is a token, which page is a table."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.sources.scan.tokens import looks_tabular, tokens_and_dashes


def test_blank_marks_count_toward_a_table_read_by_position() -> None:
    """Regression (mild scan draw 28035, 表四 on a landscape page of its own, ruled across only, its blanks
    printed '—': 183/200): the header's four-character words are long tokens, and the six digits and three
    '总计' were all the short ones; the table was taken for prose and not read. The dashes standing for
    blanks count as short tokens too."""
    words = [(100 + 140 * i, 270, 198 + 140 * i, 294) for i in range(15)]  # '结果维持' and the like
    totals = [(700 + 700 * i, 270, 748 + 700 * i, 294) for i in range(3)]  # '总计'
    digits = [(460 + 140 * i, 320, 472 + 140 * i, 340) for i in range(6)]
    title = [(120, 130, 460, 160)]
    boxes = words + totals + digits + title
    assert not looks_tabular(boxes)
    assert looks_tabular(boxes, marks=8)
    prose = [(100, 100 + 40 * i, 1500, 124 + 40 * i) for i in range(30)]
    assert not looks_tabular(prose, marks=3)


def test_specks_joined_into_a_blob_are_no_token() -> None:
    """Regression (mild scan draw 28010, 200 dpi, noise, JPEG 25, '/' for blanks: 188/198): five specks of
    noise in a diagonal were joined into one blob the size of a digit and read '7' (0.19), a fourth value in
    a row of three columns, and the row was lost. A blob made of specks alone is no token; a digit beside
    specks still is."""
    ink = np.zeros((300, 1654), np.uint8)  # A4 at 200 dpi: specks are under ~6 pixels
    for k in range(5):  # a diagonal of 3-pixel specks, 4 pixels apart
        ink[100 + 3 * k:103 + 3 * k, 900 + 4 * k:903 + 4 * k] = 255
    for x in range(300, 700, 60):  # words of a label line, so the page has a glyph height
        cv2.putText(ink, "8", (x, 120), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 255, 2)
    cv2.putText(ink, "7", (1200, 120), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 255, 2)
    ink[125:128, 1195:1198] = 255  # a speck beside a digit
    boxes, _ = tokens_and_dashes(ink)
    assert not [b for b in boxes if b[0] < 925 and b[2] > 895]
    assert [b for b in boxes if b[0] <= 1208 <= b[2]]
    assert len(boxes) == 8


def test_minus_left_in_pieces_by_a_seals_cleaning_makes_a_token_signed() -> None:
    """Regression (draw 25008, unruled, a red seal over 表二 at 200 dpi: '-5' read '5' surely, silently wrong
    in a 本年增/减 cell no identity checks): the cleaning left a stub of the minus inside the token's box; the
    grey before the token's first glyph (the stub, a speck beside the digit, left out) holds the faint bar,
    and the signed reading becomes an alternative. A '4' (its bar left of its stem) is no sign."""
    from extractor.sources.scan.masks import ink_mask
    from extractor.sources.scan.ocr import Reading
    from extractor.sources.scan.positional import _signed_if_faint

    gray = np.full((60, 200), 252, np.uint8)
    cv2.putText(gray, "5", (100, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)  # ink x 101-113, y 25-40
    gray[32:34, 92:96] = 170  # what is left of the faint minus, light as the seal's ink
    gray[32:34, 96:100] = 120  # its stub reaching into the token's box, a speck beside the digit
    ink = ink_mask(gray)
    box = (97, 24, 114, 42)
    assert _signed_if_faint(gray, ink, box, Reading("5", 1.0)).alternatives == ("-5",)
    four = np.full((60, 200), 252, np.uint8)
    cv2.putText(four, "4", (100, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
    assert _signed_if_faint(four, ink_mask(four), (99, 24, 116, 42), Reading("4", 1.0)).alternatives == ()
