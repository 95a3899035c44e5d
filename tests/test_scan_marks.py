"""Scan clean-up and reading by shape, on drawn images: dashed rules, grey seals, a character's strokes split
into lines, blank marks the recogniser misreads, rule stubs at a label's ends."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractor.sources.rules import component_to_grid
from extractor.sources.scan.grid import page_grids
from extractor.sources.scan.marks import mark_by_shape
from extractor.sources.scan.masks import ink_mask
from extractor.sources.scan.ocr import Reading
from extractor.sources.scan.seal import remove_grey_seal
from extractor.sources.scan.tokens import dash_for_one, merge_thin_bands, without_rule_strokes

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
XS, YS = (100, 400, 650, 900), (100, 160, 220, 280)


def _dashed_grid(text: str = "") -> np.ndarray:
    image = np.full((400, 1000), 255, np.uint8)
    for y in YS:
        for x in range(XS[0], XS[-1], 20):
            cv2.line(image, (x, y), (min(x + 13, XS[-1]), y), 0, 3)
    for x in XS:
        for y in range(YS[0], YS[-1], 20):
            cv2.line(image, (x, y), (x, min(y + 13, YS[-1])), 0, 3)
    if text:
        pil = Image.fromarray(image)
        ImageDraw.Draw(pil).text((110, 112), text, font=ImageFont.truetype(str(FONT), 34), fill=0)
        image = np.asarray(pil).copy()
    return image


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_dashed_rules_make_a_grid_and_text_makes_none() -> None:
    """Regression (scan draw seed 8000: dashed rules, 0/198, 'no cell could be mapped'): dashes are shorter
    than any rule, so no grid was found; bridging their gaps over the whole ink then joined the strokes of
    neighbouring characters into rules. Dashes are joined only with dashes (thin components along the
    direction), across the other direction's rules."""
    ink = ink_mask(_dashed_grid("三二一二三十二三"))
    components, _ = page_grids(ink, 4.0)
    assert len(components) == 1
    grid = component_to_grid(*components[0], 4.0)
    assert (len(grid.ys) - 1, len(grid.xs) - 1) == (3, 3)


def test_grey_seal_removed_and_print_under_it_kept() -> None:
    """Regression (scan draw seeds 8006, 8011: a red seal scanned in grayscale, 14/198 and 50/200): the seal
    cannot be told by colour; its thick mid-grey ring and star are, and the black print under it stays."""
    page = np.full((1200, 1000), 255, np.uint8)
    cv2.line(page, (50, 600), (950, 600), 0, 2)  # a rule through the seal
    cv2.putText(page, "128", (420, 560), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 4)
    seal = np.full_like(page, 255)
    cv2.circle(seal, (500, 560), 130, 94, 10)
    cv2.fillPoly(seal, [np.array([(500, 480), (560, 620), (440, 620)], np.int32)], 94)
    page = (page.astype(np.float32) * seal.astype(np.float32) / 255).astype(np.uint8)
    clean = remove_grey_seal(page)
    assert clean[560 - 130, 500] == 255 and clean[600 - 10, 500] == 255  # ring and star gone
    assert (clean[530:570, 420:520] < 60).sum() >= 0.9 * (page[530:570, 420:520] < 60).sum()  # digits kept
    assert (clean[599:602, 50:950] < 60).mean() > 0.3  # the rule kept


def test_strokes_of_one_character_are_one_line() -> None:
    """Regression (scan draw seed 8000, 400 dpi): '三、' split at the gaps between its strokes into '一' and
    '二、', and the group label no longer matched."""
    assert merge_thin_bands([(0, 5), (18, 40), (52, 92)]) == [(0, 40), (52, 92)]
    assert merge_thin_bands([(0, 34), (44, 78)]) == [(0, 34), (44, 78)]
    assert merge_thin_bands([(0, 34), (44, 48), (58, 92)]) == [(0, 34), (44, 48), (58, 92)]  # too far to join


def test_dash_read_as_one_or_a_dot_is_the_blank_mark() -> None:
    """Regression (scan draws 8000, 8006): the printed '—' read as the character 一, a short '-' as '•', ':'
    or '*', so values went missing and rows misaligned."""
    assert dash_for_one("一") == "—" and dash_for_one("一二") == "一二"
    bar = np.full((30, 40), 255, np.uint8)
    cv2.line(bar, (8, 15), (30, 15), 0, 3)
    assert mark_by_shape(bar, Reading("•", 0.4)) == Reading("—", 0.95)
    assert mark_by_shape(bar, Reading("-", 0.45)).confidence >= 0.95
    assert mark_by_shape(bar, Reading("7", 0.95)).text == "7"  # a digit read is never overruled by shape
    assert mark_by_shape(bar, Reading("企业", 0.9)).text == "企业"
    dot = np.full((30, 40), 255, np.uint8)
    cv2.circle(dot, (20, 15), 4, 0, -1)
    assert mark_by_shape(dot, Reading("•", 0.4)).text == "•"


def test_small_dash_read_unsurely_as_one_digit_is_a_dash_with_the_digit_its_alternative() -> None:
    """Regression (mild scan draw 27025, 200 dpi, JPEG 25: 175/198): a blank cell's small '-' (6 by 4 pixels
    blurred) read '1' at 0.55, and every blank cell of its look shared that reading. No digit is wider than
    tall: a filled bar read unsurely as one digit is a dash, the digit its alternative for the identities.
    What a seal's cleaning leaves of a '0' (an arch as wide, half filled: draw 27037) stays as read."""
    dash = np.full((25, 28), 255, np.uint8)
    cv2.rectangle(dash, (11, 11), (16, 14), 90, -1)
    assert mark_by_shape(dash, Reading("1", 0.55, ("4",))) == Reading("—", 0.55, ("1",))
    assert mark_by_shape(dash, Reading("1", 0.97)).text == "1"  # read surely: the recogniser's
    assert mark_by_shape(dash, Reading("-", 0.21)) == Reading("—", 0.95)
    arch = np.full((25, 28), 255, np.uint8)
    cv2.ellipse(arch, (16, 17), (5, 6), 0, 180, 360, 60, 2)
    assert mark_by_shape(arch, Reading("0", 0.39)).text == "0"


def test_rule_stub_at_a_label_end_is_dropped() -> None:
    """Regression (scan draw seed 8006): a header read '|其他' did not match its column."""
    assert without_rule_strokes("|其他") == "其他" and without_rule_strokes("其他丨") == "其他"
    assert without_rule_strokes("|") == "|"


def test_double_rule_read_as_letters_beside_a_stacked_header_word_is_dropped() -> None:
    """Regression (fresh scan draw 39027, double rules: '小\nli计' and '总\nli计' named no column, 表三 of
    198 cells lost): 'l', 'I', 'i' at a line's end beside a Chinese character are a rule's line, not text.
    Not in a word of letters, nor a digit."""
    assert without_rule_strokes("li计") == "计" and without_rule_strokes("计li") == "计"
    assert without_rule_strokes("小\nli计") == "小\n计"
    assert without_rule_strokes("1计") == "1计" and without_rule_strokes("lilac") == "lilac"


def test_faint_digits_do_not_share_one_reading() -> None:
    """Regression (scan draw seed 8016, 100 dpi: 18 cells silently '3' or '0' at confidence 0.9, caught only
    by the identities): crops are read once per fingerprint, and the fingerprint was the crop thresholded at
    grey 128; print lighter than that left every digit the same blank fingerprint and the first one's reading."""
    from extractor.sources.scan.ocr import _alike, _fingerprint

    def digit(text: str, ink: int) -> np.ndarray:
        crop = np.full((40, 30), 255, np.uint8)
        cv2.putText(crop, text, (4, 32), cv2.FONT_HERSHEY_SIMPLEX, 1.0, ink, 2)
        return crop

    assert not _alike(_fingerprint(digit("3", 150)), _fingerprint(digit("5", 150)))
    assert not _alike(_fingerprint(digit("3", 150)), _fingerprint(digit("8", 150)))
    assert _alike(_fingerprint(digit("3", 0)), _fingerprint(digit("3", 0)))


def test_page_image_over_ten_megabytes_in_a_web_page_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (scan draw seed 512: a web page of two 400-dpi page images, 34 MB data: URIs): libxml2
    drops an attribute over 10 MB, so no image was read and the report came out with no table at all."""
    import base64
    import io

    from extractor.settings import Settings
    from extractor.sources import html as html_source
    from extractor.sources import image as image_source
    from extractor.sources.base import RawInput

    noise = np.random.default_rng(0).integers(0, 255, (2000, 2000, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    assert len(uri) > 10_000_000
    seen: list[int] = []
    monkeypatch.setattr(image_source, "image_blocks",
                        lambda data, first_page, settings=None: seen.append(len(data)) or [])
    page = f'<html><body><p>政府信息公开工作年度报告</p><img src="{uri}"><img src="{uri[:5000]}"></body></html>'
    html_source.load_html(RawInput(page.encode(), "page.html"), Settings())
    assert seen and seen[0] == len(buffer.getvalue())


def test_unsure_slash_confirmed_by_its_lean() -> None:
    """Regression (scan draw seeds 8007, 8013, 8022: every '/' blank of 表二 read '/' at 0.5-0.8 with '1' as
    runner-up, flagged with no identity to decide): on the draw, a '/' leans 0.27-0.55 along its middle, a
    '1' (flag and foot left out) -0.31-0.06, and a '7' always has its top bar; the shape decides, surely."""
    def glyph(*strokes: tuple[int, int, int, int]) -> np.ndarray:
        image = np.full((48, 36), 255, np.uint8)
        for x0, y0, x1, y1 in strokes:
            cv2.line(image, (x0, y0), (x1, y1), 0, 3)
        return image

    slash = glyph((10, 42, 26, 6))
    song_one = glyph((18, 6, 18, 42), (18, 6, 11, 13), (12, 42, 24, 42))  # stem, flag, foot
    seven = glyph((8, 6, 28, 6), (28, 6, 14, 42))
    assert mark_by_shape(slash, Reading("/", 0.55, ("1",))) == Reading("/", 0.95, ())
    assert mark_by_shape(slash, Reading("1", 0.97)) == Reading("/", 0.97, ())
    assert mark_by_shape(song_one, Reading("1", 0.6, ("/",))) == Reading("1", 0.6, ("/",))
    assert mark_by_shape(seven, Reading("7", 0.7, ("/",))) == Reading("7", 0.7, ("/",))


def test_seven_whose_bar_came_apart_is_no_sure_slash() -> None:
    """Regression (mild scan draw 35000, Song at 200 dpi, JPEG 25: a '7' read at 0.99996 became a sure '/',
    a blank, its light stem leaning and its dark bar a piece of its own): a bar in a piece of its own over a
    leaning stroke leaves the glyph unsure between '7' and '/', for the identities; a lone '/' stays sure."""
    seven = np.full((35, 29), 250, np.uint8)
    cv2.line(seven, (9, 11), (19, 11), 30, 2)  # the bar
    cv2.line(seven, (17, 15), (13, 29), 110, 2)  # the stem, lighter, apart from it
    read = mark_by_shape(seven, Reading("7", 0.99996))
    assert read.text == "7" and read.confidence <= 0.5 and "/" in read.alternatives
    slash = np.full((35, 29), 250, np.uint8)
    cv2.line(slash, (10, 28), (19, 6), 30, 3)
    assert mark_by_shape(slash, Reading("7", 0.9)) == Reading("/", 0.95, ())


def test_slash_with_a_piece_of_its_cells_rule_in_the_crop_is_a_slash() -> None:
    """Regression (mild scan draw 28019, Song at 200 dpi, text jittered: two blank '/' read '1' at 0.99):
    the crop of a '/' low in its cell holds a piece of the cell's bottom rule, the crop's largest ink; the
    lean was measured on the rule (no lean) and the recogniser's '1' stood. Ink far wider than tall is a
    rule's piece, never the glyph; a '1' with a rule under it stays a '1'."""
    crop = np.full((48, 33), 255, np.uint8)
    cv2.line(crop, (12, 38), (20, 12), 0, 2)  # the '/'
    cv2.line(crop, (6, 44), (27, 44), 0, 3)  # the rule's piece inside the padding, the crop's largest ink
    assert mark_by_shape(crop, Reading("1", 0.99)) == Reading("/", 0.99, ())
    one = np.full((48, 33), 255, np.uint8)
    cv2.line(one, (16, 12), (16, 38), 0, 2)
    cv2.line(one, (6, 44), (27, 44), 0, 3)
    assert mark_by_shape(one, Reading("1", 0.99)) == Reading("1", 0.99)


def test_blurred_zero_read_as_a_character_is_read_as_a_number() -> None:
    """Regression (scan draws 8006, 507: 100-150 dpi): a blurred '0' read as 日 stayed text, a value missing;
    for a cell of that one character, the reading in which only digits compete is taken, with its own
    (often unsure) confidence."""
    from extractor.sources.scan.marks import zero_for_lookalike

    reading = Reading("日", 0.8, (), numeric=Reading("0", 0.7, ("8",)))
    assert zero_for_lookalike(reading) == Reading("0", 0.7, ("8",))
    label = Reading("日期", 0.9, (), numeric=Reading("0", 0.3))
    assert zero_for_lookalike(label) == label


def test_noise_specks_do_not_use_up_the_token_cap() -> None:
    """Regression (scan draw seed 12001, noise 12, a web page of a table with horizontal rules only): the
    token cap (a page of text, not a bomb) counted every ink blob in raster order, so the specks of the top
    half used it up and the lower half of the page, 表三 with it, was never read."""
    from extractor.sources.scan.tokens import MAX_TOKENS, token_boxes

    ink = np.zeros((3000, 2000), np.uint8)
    rng = np.random.default_rng(1)
    for y, x in zip(rng.integers(0, 1400, 3 * MAX_TOKENS), rng.integers(0, 2000, 3 * MAX_TOKENS), strict=True):
        ink[y, x] = 255  # specks, one pixel each
    for k in range(20):  # words of 30-pixel characters low on the page
        cv2.rectangle(ink, (100 + (k % 5) * 300, 2000 + (k // 5) * 80), (190 + (k % 5) * 300, 2030 + (k // 5) * 80),
                      255, 3)
    boxes = token_boxes(ink)
    assert sum(1 for _, y0, _, _ in boxes if y0 >= 1990) == 20


def test_shaded_cell_is_padded_with_its_own_grey() -> None:
    """Regression (scan draw seed 14007, cell fills: a '-' blank in a shaded cell read '□' at 0.34, flagged):
    crops were padded white, which framed a grey cell's text in a box."""
    from extractor.sources.scan.tokens import padded

    cell = np.full((24, 26), 228, np.uint8)
    cv2.line(cell, (9, 12), (16, 12), 40, 2)
    out = padded(cell)
    assert out.shape == (36, 38) and out[0, 0] == 228 and out[0].min() == 228


def test_table_outline_tilted_past_a_photo_is_not_unwarped() -> None:
    """Regression (scan draw seed 14016, dashed rules, 300 dpi, noise: 15/198): the largest outline of rule
    ink was dashed rules and text run together, a quadrilateral tilted 13 degrees; unwarping by it tilted the
    whole page and no grid was found. A skewed photo's outline tilts a few degrees at most."""
    from extractor.sources.scan.clean import perspective

    gray = np.full((1000, 800), 255, np.uint8)
    quad = np.array([(600, 200), (100, 320), (80, 800), (640, 760)], np.int32)
    cv2.polylines(gray, [quad], True, 0, 10)
    assert perspective(gray, ink_mask(gray), 30) is None
    photo = np.full((1000, 800), 255, np.uint8)
    cv2.polylines(photo, [np.array([(100, 200), (640, 180), (660, 800), (90, 780)], np.int32)], True, 0, 3)
    assert perspective(photo, ink_mask(photo), 30) is not None  # a photo's few degrees are undone


def test_zero_with_a_speck_above_reads_as_zero() -> None:
    """Regression (scan draw seed 14004: a '0' with dust above it read 'ó', dropped as no text; the empty
    cell was then settled as blank by the identity, silently wrong): an accent is a speck."""
    from extractor.sources.scan.marks import as_number_if_numeric

    reading = Reading("ó", 0.55, (), numeric=Reading("0", 0.998))
    assert as_number_if_numeric(reading) == Reading("0", 0.998)


def test_number_with_a_bracket_or_an_end_speck_is_a_number() -> None:
    """Regression (scan draws 14023, 14024, 14016: 7, 38 and 3 cells missing): a '0' read as '(' ('13(') and
    a speck read as a dot after a digit ('1.', '0.') made the cell no number, and the row's values were taken
    for labels and the whole row lost."""
    from extractor.sources.scan.marks import as_number_if_numeric

    assert as_number_if_numeric(Reading("13(", 0.7, (), numeric=Reading("130", 0.8))).text == "130"
    assert as_number_if_numeric(Reading("1.", 0.9, (), numeric=Reading("1.", 0.9))) == Reading("1", 0.9)
    assert as_number_if_numeric(Reading("45.37", 0.9, (), numeric=Reading("45.37", 0.9))).text == "45.37"


def test_number_over_a_piece_of_seal_ring_is_the_number() -> None:
    """Regression (scan draw 14011: a grey seal's ring under a '3' read as a second line '—', the row lost
    its first column): a number with lone marks on their own lines in one cell is the number."""
    from extractor.sources.scan.marks import without_stray_marks

    three, dash = Reading("3", 0.99), Reading("—", 0.95)
    assert without_stray_marks([three, dash]) == [three]
    assert without_stray_marks([dash]) == [dash]
    assert without_stray_marks([Reading("12", 0.9), Reading("3", 0.9)]) == [Reading("12", 0.9), Reading("3", 0.9)]


def test_grey_rule_under_a_red_seal_survives() -> None:
    """Regression (scan draw 14019, a red seal over 表三 at 400 dpi: 172/200): every red pixel was made
    white, and a thin grey rule under the stamp is red there too (the stamp's ink multiplies with it), so
    rows merged under the seal. Red pixels keep the darkness of the print under them."""
    from extractor.sources.scan.seal import remove_red

    page = np.full((400, 600, 3), 255, np.uint8)
    cv2.line(page, (0, 200), (600, 200), (128, 128, 128), 2)
    seal = np.full_like(page, 255)
    cv2.circle(seal, (300, 200), 120, (40, 40, 220), 12)
    cv2.fillPoly(seal, [np.array([(300, 150), (340, 230), (260, 230)], np.int32)], (40, 40, 220))
    page = (page.astype(np.float32) * seal.astype(np.float32) / 255).astype(np.uint8)
    gray = remove_red(page)
    assert gray[80, 300] == 255 and gray[220, 300] == 255  # ring and star gone
    assert (gray[199:202, 0:600].min(axis=0) < 160).all()  # the rule, under the ring and the star too


def test_blank_mark_read_as_punctuation_is_the_mark() -> None:
    """Regression (scan draws 15008, 15027: '/' with a speck below read '!' or '/.', a small '-' read '“';
    the cells came out empty and unsure, flagged on consistent documents): a slash with specks is judged by
    its shape, and a mark the digits-only reading is sure of is that mark."""
    from extractor.sources.scan.marks import as_number_if_numeric

    slash = np.full((48, 36), 255, np.uint8)
    cv2.line(slash, (10, 38), (26, 6), 0, 3)
    cv2.circle(slash, (12, 44), 1, 0, -1)
    assert mark_by_shape(slash, Reading("!", 0.83)) == Reading("/", 0.95, ())
    assert mark_by_shape(slash, Reading("/.", 0.41)) == Reading("/", 0.95, ())
    assert as_number_if_numeric(Reading("“", 0.46, (), numeric=Reading("-", 0.92))) == Reading("-", 0.92)
    assert as_number_if_numeric(Reading("“", 0.46, (), numeric=Reading("-", 0.5))).text == "“"


def test_cell_of_one_speck_is_surely_empty() -> None:
    """Regression (scan draw 15002, 100 dpi, empty cells for blanks: 17 empty cells with a noise dot read '•'
    at 0.3-0.6, each flagged): a cell whose only ink read as a speck is empty, surely, unless the speck's
    digits-only reading is a number, which then stays as its alternative."""
    from extractor.sources.scan.marks import blank_of_specks

    assert blank_of_specks([Reading("•", 0.41, (), numeric=Reading(",", 0.63))]) == (1.0, ())
    confidence, alternatives = blank_of_specks([Reading("•", 0.5, (), numeric=Reading("0", 0.7))])
    assert alternatives == ("0",) and confidence < 0.9


def test_cell_whose_ink_reads_as_letters_is_not_surely_empty() -> None:
    """Regression (mild scan draw 27019: a '0' under a grey seal's ring, cleaned down to its two sides, read
    'iì' at 0.70; the line was dropped as no number and the cell came out empty surely, silently wrong):
    letters read from character-sized ink leave the empty reading unsure; a speck's lone low letter, or a
    cell of specks alone, does not."""
    from extractor.sources.scan.marks import blank_of_specks

    assert blank_of_specks([Reading("iì", 0.70)])[0] < 0.9
    assert blank_of_specks([Reading("U", 0.87)])[0] < 0.9
    assert blank_of_specks([Reading("iì", 0.70)], specks_alone=True) == (1.0, ())
    assert blank_of_specks([Reading("价", 0.04)])[0] == 0.04  # a speck's reading: as unsure as it was read
    assert blank_of_specks([Reading(":", 0.8)]) == (1.0, ())
    # Draw 35034 (no seal on the page, 300 dpi, blur, JPEG 45): a blank cell's blurred '-' read 'à' at 0.32
    # and nothing read digits-only; the cell flagged, right. Letters are a seal's leftovers only under one.
    assert blank_of_specks([Reading("à", 0.32, (), Reading("", 0.0))], under_seal=False) == (1.0, ())
    assert blank_of_specks([Reading("U", 0.56, (), Reading("0", 0.26))], under_seal=False) == (0.74, ("0",))


def test_number_with_specks_before_its_sign_is_the_number() -> None:
    """Regression (scan draw 15002, 100 dpi, noise: t2 values '·0', '·-73', ': -1' were no numbers, rows of
    表二 lost): specks at the ends of a signed number are dropped like those after a digit."""
    from extractor.sources.scan.marks import as_number_if_numeric

    assert as_number_if_numeric(Reading("·-73", 0.6, (), numeric=Reading(".-73", 0.68))) == Reading("-73", 0.68)
    assert as_number_if_numeric(Reading("·0", 0.6, (), numeric=Reading(".0", 0.9))).text == "0"


def test_crops_batched_only_with_crops_of_similar_width() -> None:
    """Regression (scan draw 15001: '365.16 万元' read at 0.84 in a batch padded to a long label's width,
    0.96 alone; a consistent document flagged): a batch is padded to its widest crop, so crops are batched
    only with crops at most ratio_spread times as wide per height (less padding is also less work)."""
    from extractor.sources.scan.ocr import RECOGNISER, _chunks

    ratios = [2.0, 2.1, 9.0, 2.2, 3.6, 4.7, 12.0]
    chunks = _chunks(ratios, 16)
    assert sorted(i for chunk in chunks for i in chunk) == list(range(len(ratios)))
    for chunk in chunks:
        assert max(ratios[i] for i in chunk) <= RECOGNISER.ratio_spread * min(ratios[i] for i in chunk)
    assert [len(c) for c in _chunks([2.0] * 40, 16)] == [16, 16, 8]


def test_zero_with_dust_read_as_nothing_is_unsure_and_looked_at_again() -> None:
    """Regression (scan draw 16027: a '0' with a speck above it read as nothing at all, confidence 1.0 by
    default, and the cell reported surely empty: silently wrong): an empty reading of a crop with ink is
    unsure (0.0), a cell of such readings is unsure, and the crop is read again without its specks."""
    from extractor.sources.scan.marks import blank_of_specks, without_specks

    assert blank_of_specks([Reading("", 0.0)]) == (0.0, ())
    crop = np.full((40, 36), 250, np.uint8)
    cv2.ellipse(crop, (18, 24), (8, 11), 0, 0, 360, 30, 3)
    cv2.circle(crop, (18, 6), 1, 30, -1)
    clean = without_specks(crop)
    assert clean[6, 18] == 250 and (clean[12:37] == crop[12:37]).all()


def test_labels_of_two_rows_in_one_cell_are_split_by_the_rows() -> None:
    """Regression (scan draw 16017, faint rules at 150 dpi: 130/200): the faint rule between two rows'
    labels was lost, the two labels became one cell spanning both rows and each row's values were taken
    twice. Labels sitting each within its own row, far apart, are split by the rows; a group label stacked
    over the span (lines close together) stays one cell."""
    from extractor.sources.scan.crops import split_by_rows

    ys, xs = [0.0, 40.0, 80.0], [0.0, 300.0]
    ink = np.zeros((80, 300), np.uint8)
    cv2.rectangle(ink, (20, 12), (200, 28), 255, 2)  # row 0's label
    cv2.rectangle(ink, (20, 52), (180, 68), 255, 2)  # row 1's label
    assert split_by_rows((0, 0, 2, 1), ys, ink, xs) == [(0, 0, 1, 1), (1, 0, 1, 1)]
    stacked = np.zeros((80, 300), np.uint8)
    for top in (22, 36):  # two lines of one label, centred on the span
        cv2.rectangle(stacked, (20, top), (120, top + 10), 255, 2)
    assert split_by_rows((0, 0, 2, 1), ys, stacked, xs) == [(0, 0, 2, 1)]


def test_values_of_two_columns_in_one_cell_are_split_at_a_piece_of_their_rule() -> None:
    """Regression (mild scan draw 27001, a grey seal over 表四's header: 183/198): the seal's cleaning took
    the rule between 尚未审结 and 总计 of 未经复议直接起诉 above the value row, the piece left in that row was
    too short for a rule, and the two values became one cell over two columns ('14 value cells for 15
    columns'). A solid upright bar at a column's rule with ink either side splits the cell; a '1' centred
    alone on the rule, or a bracket's thin curve there, does not."""
    from extractor.sources.scan.crops import split_by_columns

    ys, xs = [0.0, 46.0], [0.0, 95.0, 190.0]

    def cell(*draw: tuple[str, int]) -> np.ndarray:
        ink = np.zeros((46, 190), np.uint8)
        for what, x in draw:
            if what == "0":
                cv2.ellipse(ink, (x, 23), (5, 9), 0, 0, 360, 255, 2)
            elif what == "bar":
                cv2.rectangle(ink, (x - 3, 9), (x + 3, 35), 255, -1)
            elif what == "bracket":
                cv2.ellipse(ink, (x + 6, 23), (6, 13), 0, 100, 260, 255, 2)
        return ink

    spec = (0, 0, 1, 2)
    assert split_by_columns(spec, ys, cell(("0", 47), ("bar", 95), ("0", 142)), xs) == [(0, 0, 1, 1), (0, 1, 1, 1)]
    assert split_by_columns(spec, ys, cell(("bar", 95)), xs) == [spec]  # a '1' centred on the span
    assert split_by_columns(spec, ys, cell(("0", 47), ("bracket", 95), ("0", 142)), xs) == [spec]


def test_speck_read_as_a_character_beside_a_number_is_dropped() -> None:
    """Regression (scan draw 14024: a speck under '11' read '价' at 0.04 as the cell's second line, the row
    no longer a row of numbers): a lone non-digit character read with next to no confidence is a speck; a
    cell of such lines alone is unsure, not surely empty."""
    from extractor.sources.scan.marks import blank_of_specks, noise_line

    assert noise_line(Reading("价", 0.04)) and not noise_line(Reading("7", 0.04))
    assert not noise_line(Reading("价", 0.9)) and not noise_line(Reading("公开", 0.1))
    assert blank_of_specks([Reading("价", 0.04)])[0] == 0.04
    assert not noise_line(Reading("•", 0.19))  # draw 16013: a '-' read '•' at 0.19 is no reason to doubt



def test_dash_read_unsurely_is_made_sure_by_its_shape() -> None:
    """Regression (scan draw 18020: a consistent document flagged): a blank cell's '—' read '一' at 0.84,
    and a 表二 cell, in no identity, stayed unsure. A crop whose only ink is one bar is a dash, surely; a
    stroke that is no bar is left as read."""
    bar = np.full((30, 60), 255, np.uint8)
    cv2.line(bar, (15, 15), (45, 15), 0, 3)
    assert mark_by_shape(bar, Reading("一", 0.84)).confidence >= 0.95
    assert mark_by_shape(bar, Reading("—", 0.7)).text == "—"
    one = np.full((30, 60), 255, np.uint8)
    cv2.line(one, (30, 5), (30, 25), 0, 3)
    assert mark_by_shape(one, Reading("一", 0.84)).confidence == 0.84
    # Draw 35019 (Song, 200 dpi): a small '—' 13 by 2 pixels with a bump below one end, 0.69 of its box, read
    # '一' at 0.57: a bar all the same; the arch a seal's cleaning leaves of a '0' is not (27037).
    bumped = np.full((24, 35), 250, np.uint8)
    bumped[11:13, 10:23] = 40
    bumped[13, 11:14] = 90
    assert mark_by_shape(bumped, Reading("一", 0.57)).confidence >= 0.95
    arch = np.full((30, 30), 250, np.uint8)
    cv2.ellipse(arch, (15, 20), (9, 8), 0, 180, 360, 20, 2)
    assert mark_by_shape(arch, Reading("一", 0.6)).confidence == 0.6


def test_decimal_point_read_as_a_comma_is_a_decimal_point() -> None:
    """Regression (scan draw 17002: '407.78' read '407,78', no number, the fee cell missing): a comma
    followed by one or two digits ending a number is no thousands separator; '1,234' stays a thousand."""
    from extractor.sources.scan.marks import as_number_if_numeric

    assert as_number_if_numeric(Reading("407,78", 0.63, numeric=Reading("407,78", 0.63))).text == "407.78"
    assert as_number_if_numeric(Reading("1,234", 0.9, numeric=Reading("1,234", 0.9))).text == "1,234"
    # Draw 31028: an amount with its unit, '212,65万元', no number: the 政府集中采购 row lost.
    assert as_number_if_numeric(Reading("212,65万元", 0.9, numeric=Reading("212,65", 0.9))).text == "212.65万元"


def test_light_rule_hidden_by_a_red_seal_is_drawn_again() -> None:
    """Regression (mild scan draw 20032, a red seal over 表二's (五)/(六) rows: values in the wrong column):
    a light grey rule under the stamp is as light as the stamp's uneven ink and was whitened with it, so the
    rule between two columns broke under the seal's star and the rows' values sat in one cell over both.
    Between two pieces of one rule, where the stamp was, the rule is drawn again; nowhere else."""
    from extractor.sources.scan.seal import remove_red

    page = np.full((800, 1654, 3), 255, np.uint8)  # A4 width at 200 dpi
    cv2.line(page, (700, 100), (700, 700), (200, 200, 200), 3)  # a light rule down the page
    cv2.line(page, (1000, 100), (1000, 380), (200, 200, 200), 3)  # a rule ending under the seal
    seal = np.full_like(page, 255)
    star = np.array([(700, 330), (790, 470), (610, 470)], np.int32)
    cv2.fillPoly(seal, [star], (40, 40, 220))
    cv2.fillPoly(seal, [star + (300, 0)], (40, 40, 220))
    page = (page.astype(np.float32) * seal.astype(np.float32) / 255).astype(np.uint8)
    gray = remove_red(page)
    assert (gray[330:470, 698:703].min(axis=1) < 230).all()  # the rule again across the star
    assert gray[330:470, 600:690].min() == 255 and gray[330:470, 712:800].min() == 255  # not off the rule ...
    assert (gray[400:470, 995:1006] == 255).all()  # ... nor past a rule's end


def _glyphs(text: str, bar: bool = False) -> np.ndarray:
    pil = Image.new("L", (120, 60), 255)
    ImageDraw.Draw(pil).text((30, 8), text, font=ImageFont.truetype(str(FONT), 40), fill=0)
    image = np.asarray(pil).copy()
    if bar:  # a minus run into the first digit, a little low: how a jittered '-3' scanned at 300 dpi looked
        ys, xs = np.where(image < 128)
        y = int(ys.min() + 0.7 * (ys.max() - ys.min()))
        cv2.line(image, (int(xs.min()) - 9, y), (int(xs.min()) + 3, y), 0, 3)
    return image


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_minus_run_into_a_digit_is_kept_as_a_signed_reading() -> None:
    """Regression (mild scan draw 23015): a 本年增/减 of '-3' whose minus touched the 3 was read '3' surely,
    in a cell no identity checks: silently wrong. A thin bar at mid-height starting the ink of a number wider
    than its digits gives the signed reading as an alternative; a '4' or a '3' alone gives none."""
    from extractor.sources.scan.marks import with_hidden_sign

    signed = with_hidden_sign(_glyphs("3", bar=True), Reading("3", 0.999))
    assert "-3" in signed.alternatives
    for digits in ("3", "4", "7", "14"):
        assert with_hidden_sign(_glyphs(digits), Reading(digits, 0.999)).alternatives == ()


def test_signed_alternative_dropped_where_no_sign_may_stand() -> None:
    """The map keeps a '-3' alternative only under a column that may be negative (本年增/减)."""
    from extractor.map.cells import CellWriter
    from extractor.model import Provenance, RowCell

    writer = CellWriter("t2", "2019", [], [])
    cell = RowCell("3", 2, 2, Provenance(page=1), confidence=0.999, alternatives=("-3",))
    writer.emit(("penalty", "change"), "3", cell, "ocr-lattice", 0.999, "行政处罚")
    writer.emit(("penalty", "decisions"), "3", cell, "ocr-lattice", 0.999, "行政处罚")
    change, decisions = writer.cells
    assert change.alternatives == ("-3",) and decisions.alternatives == ()


def test_cell_with_a_number_on_each_line_is_one_unsure_number() -> None:
    """Regression (scan draw 14011): a '0' over a piece of grey seal read '1' made a cell '0\\n1', taken for a
    label. The surest line stands, unsure, with the other line and the two joined as alternatives."""
    from extractor.sources.scan.marks import one_number_of_lines

    (line,) = one_number_of_lines([Reading("0", 0.99), Reading("1", 0.7)])
    assert line.text == "0" and line.confidence <= 0.5 and line.alternatives == ("1", "01")
    words = [Reading("结果", 0.99), Reading("1", 0.7)]
    assert one_number_of_lines(words) == words


def test_light_rules_through_a_grey_seal_on_a_skewed_page_are_drawn_again() -> None:
    """Regression (mild scan draw 23026, a grey seal over 表三's last rows, skew -1.1 degrees: 171/198): the
    light rules under the seal's ring and star were whitened with it and the rows and columns under it
    merged into one cell, read as a label. Rules are drawn again between their pieces where the seal was,
    along the page's slope (a straight closing misses pieces a few pixels apart in height)."""
    page = np.full((1000, 1000), 255, np.uint8)
    for y in (400, 460, 520, 580):  # light rules rising 1 in 50, as on a page turned by a degree
        cv2.line(page, (50, y), (950, y - 18), 200, 3)
    seal = np.full_like(page, 255)
    cv2.circle(seal, (500, 490), 200, 94, 16)
    cv2.fillPoly(seal, [np.array([(500, 380), (600, 600), (400, 600)], np.int32)], 94)
    page = (page.astype(np.float32) * seal.astype(np.float32) / 255).astype(np.uint8)
    clean = remove_grey_seal(page)
    assert clean[490, 500] == 255  # the star gone
    for y in (400, 460, 520, 580):
        rule = [clean[y - (x - 50) * 18 // 900 - 3:y - (x - 50) * 18 // 900 + 4, x].min() for x in range(60, 940)]
        assert np.mean(np.array(rule) < 230) > 0.95, y



def test_rules_of_two_tables_are_not_joined_across_a_seal() -> None:
    """Regression (scan draw 24024, a grey seal between 表三 and 表四: 199 -> 194 with the bridging above):
    a column rule of 表三 and one of 表四 on one line faced each other across the seal, its star over most
    of the gap, and were joined: 表三's last rows read across two columns. A gap is bridged only where the
    seal's ink or the rule's remains cover nearly all of it, not across paper."""
    page = np.full((1000, 1000), 255, np.uint8)
    cv2.line(page, (500, 100), (500, 330), 0, 3)  # 表三's column rule ...
    cv2.line(page, (500, 570), (500, 900), 0, 3)  # ... and 表四's, on one line
    for y in (100, 200, 330, 570, 700, 900):
        cv2.line(page, (100, y), (900, y), 0, 3)
    seal = np.full_like(page, 255)
    cv2.circle(seal, (500, 450), 200, 94, 16)
    cv2.fillPoly(seal, [np.array([(500, 340), (600, 520), (400, 520)], np.int32)], 94)
    page = (page.astype(np.float32) * seal.astype(np.float32) / 255).astype(np.uint8)
    clean = remove_grey_seal(page)
    assert clean[530:560, 497:504].min() > 200  # paper between the star and 表四 stays paper


def test_zero_is_never_given_a_signed_reading() -> None:
    """Regression (scan draw 26004: a correct document flagged for '0' with the alternative '-0' under a
    column that may not be negative; '-0' is no negative number, so the map kept it)."""
    from extractor.sources.scan.marks import with_sign

    assert with_sign(Reading("0", 0.99)).alternatives == ()
    assert with_sign(Reading("30", 0.99)).alternatives == ("-30",)


def test_circled_number_read_from_a_scan_is_no_crash() -> None:
    """Regression (full scan draw 29027, 29003, 29034: the real report scanned at 100 and 400 dpi failed with
    'internal error in load: ValueError: invalid literal for int() with base 10: '①''): '①'.isdigit() holds
    but int() refuses it; the sign checks took it for a number. A reading of circled digits is left as read."""
    from extractor.sources.scan.marks import with_hidden_sign, with_sign
    from extractor.sources.scan.positional import _signed_if_faint

    circled = Reading("①", 0.9)
    crop = np.full((40, 40), 255, np.uint8)
    cv2.circle(crop, (20, 20), 10, 0, 2)
    assert with_sign(circled) == circled
    assert with_hidden_sign(crop, circled) == circled
    assert _signed_if_faint(crop, ink_mask(crop), (5, 5, 35, 35), circled) == circled
    assert with_sign(Reading("１２", 0.9)).alternatives == ("-１２",)  # full-width digits are decimal: int() takes them


def test_crops_alike_by_isolated_pixels_only() -> None:
    """Speed (crops read once per look-alike group, not per identical fingerprint: 21% fewer crops read):
    fingerprints apart by a few isolated pixels (noise on an edge) read alike; the same count of pixels in
    one stroke (what tells a '3' from an '8' at low resolution) does not, nor do different widths."""
    from extractor.sources.scan.ocr import RECOGNISER, _alike

    base = np.zeros((24, 14), np.uint8)
    base[4:20, 3:5] = 1
    noise = base.copy()
    noise[2, 2] = noise[10, 10] = noise[21, 6] = 1
    stroke = base.copy()
    stroke[10, 8:11] = 1
    assert _alike(base, noise)
    assert not _alike(base, stroke)
    assert int((base != stroke).sum()) <= RECOGNISER.alike_pixels
    assert not _alike(base, np.zeros((24, 15), np.uint8))
