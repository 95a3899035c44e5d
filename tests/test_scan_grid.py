"""Scan grids drawn in ways that broke them: dashed rules crossing in narrow cells, strokes of text lined up
between a row's rules, specks on a line of their own beside a number."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractor.sources.rules import component_to_grid
from extractor.sources.scan.grid import page_grids
from extractor.sources.scan.masks import ink_mask

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def _dashed_rule(image: np.ndarray, horizontal: bool, at: int, start: int, end: int, crossings: list[int],
                 arm: int = 7) -> None:
    """A dashed rule whose dash pattern puts a dash over every crossing ('┼'), dashes of 13 and gaps of 6
    between them, as the PDF generator's dash pattern draws narrow cells (draw 17000 at 300 dpi)."""
    spans = [(c - arm, c + arm) for c in crossings]
    for (_, a), (b, _) in zip(spans[:len(crossings)], spans[1:len(crossings)], strict=False):
        spans += [(x, x + 13) for x in range(a + 6, b - 17, 19)]
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if horizontal:
            cv2.line(image, (a, at), (b, at), 0, 3)
        else:
            cv2.line(image, (at, a), (at, b), 0, 3)


def _ruled(page: np.ndarray, xs: tuple[int, ...], ys: tuple[int, ...]) -> None:
    """A ruled grid drawn in black: a rule along each y across the xs, and along each x down the ys."""
    black = (0, 0, 0) if page.ndim == 3 else 0
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), black, 3)
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), black, 3)


def test_dashed_grid_of_narrow_cells_is_joined_at_its_crossings() -> None:
    """Regression (scan draw 17000, dashed rules at 300 dpi: 15/200): where two dashed rules cross, their
    dashes make one '┼' blob, neither thin nor along either rule; a narrow cell's span between two such
    blobs holds a dash or two, too short for a rule, so the value columns had no rules at all. A crossing's
    bars are pieces of both rules."""
    xs, ys = [100 + 57 * i for i in range(9)], [100 + 46 * i for i in range(8)]
    image = np.full((800, 1654), 255, np.uint8)  # a page 1654 pixels wide: A4 at 200 dpi
    for y in ys:
        _dashed_rule(image, True, y, xs[0], xs[-1], xs)
    for x in xs:
        _dashed_rule(image, False, x, ys[0], ys[-1], ys, arm=10)
    _dashed_rule(image, True, 700, 100, 1500, [100, 1500])  # 表二's wide cells: the page has dashed rules
    components, _ = page_grids(ink_mask(image), 4.0)
    assert len(components) == 1
    grid = component_to_grid(*components[0], 4.0)
    assert (len(grid.ys) - 1, len(grid.xs) - 1) == (len(ys) - 1, len(xs) - 1)


def test_dashed_rule_stopping_a_dash_short_of_its_crossing_reaches_it() -> None:
    """Regression (mild scan draw 28022, dashed rules at 150 dpi, JPEG 45: 25/200): a dash touching a
    crossing is one blob with it, thin neither way, and was lost: 表三's header rules stopped a dash short,
    the edges between 申请人情况 and the note cell were not drawn, the header read as one cell and the table
    was taken for 表二's. A line is carried on to the crossing it stops short of where ink lies along the
    way, never across blank paper or a character's stroke."""
    from extractor.sources.rules import Line
    from extractor.sources.scan.grid import reach_crossings

    ink = np.zeros((400, 600), np.uint8)
    h_lines = [Line(100.0, 50.0, 550.0), Line(300.0, 50.0, 550.0)]
    inked, blank, stroke = Line(200.0, 128.0, 300.0), Line(400.0, 128.0, 300.0), Line(480.0, 128.0, 300.0)
    ink[100:128, 199:202] = 255  # the lost dash: ink from the crossing at y 100 down to where the line starts
    ink[105:120, 479:482] = 255  # a character's stroke on a line's track: half the way
    text = Line(540.0, 128.0, 300.0)
    ink[101:112, 530:551] = ink[115:127, 530:551] = 255  # two lines of a label across the track, all the way
    reach_crossings(h_lines, [inked, blank, stroke, text], ink, 4.0, 60, 0.75)
    assert (inked.start, blank.start, stroke.start, text.start) == (100.0, 128.0, 128.0, 128.0)


def test_faint_rule_one_pixel_wide_is_found() -> None:
    """Regression (mild scan draw 28024, faint grey rules at 150 dpi in a web page's picture: 183/198): the
    median filter that takes specks out of the ink took 表四's rules one pixel wide too; its box and header
    rules were lost, the header merged and 表四 was not found. Rules are looked for in the ink not denoised
    as well."""
    image = np.full((500, 1240), 250, np.uint8)  # A4 at 150 dpi
    xs, ys = (100, 400, 700, 1000), (100, 160, 220, 280)
    for y in ys:
        image[y, xs[0]:xs[-1] + 1] = 180
    for x in xs:
        image[ys[0]:ys[-1] + 1, x] = 180
    assert page_grids(ink_mask(image), 4.0)[0] == []
    image[130:132, 200:231] = 60  # '一' of a header word, 31 x 2 pixels: a rule of the ink not denoised at min_len
    components, rules = page_grids(ink_mask(image), 4.0, ink_mask(image, denoise=False))
    assert len(components) == 1
    grid = component_to_grid(*components[0], 4.0)
    assert (len(grid.ys), len(grid.xs)) == (len(ys), len(xs))
    assert not rules[125:138, 195:236].any()  # draw 28023: '上一年' lost its 一 to the rules, read '上午'


def test_strokes_lined_up_in_a_one_line_row_are_no_rule() -> None:
    """Regression (scan draw 17004, double rules: 193/200): on a page with dashed rules, the vertical strokes
    of 执 and 法 lined up between the rules of a one-line row were taken for a dashed rule across that one
    cell, and the label was cut in two. A short span is a rule only when its line goes on past a crossing."""
    from extractor.sources.scan.clean import dashed_masks
    from extractor.sources.scan.masks import line_masks

    image = np.full((400, 900), 255, np.uint8)
    _ruled(image, (100, 800), (100, 146, 192))
    for top in (106, 126):  # two strokes of neighbouring characters, lined up, between the row's rules
        cv2.line(image, (400, top), (400, top + 14), 0, 3)
    _dashed_rule(image, True, 300, 100, 800, [100, 800])  # a dashed rule elsewhere on the page
    ink = ink_mask(image)
    solid = line_masks(ink, 36)
    _, vertical = dashed_masks(ink, solid, 66, 10, 8)
    assert not vertical[100:192, 395:406].any()


def test_line_of_specks_under_a_number_is_no_second_line() -> None:
    """Regression (scan draw 17023, 150 dpi, JPEG 25, noise: 139/198): JPEG and noise specks below a '0'
    made a second text line, read '住膜'; the cell was no number and its row lost. A line of blobs all far
    smaller than the cell's largest is dropped; a cell of specks alone keeps them (they are judged as a
    blank cell's marks). In a cell spanning many rows, a thin stroke along a third of its side is its rule."""
    from extractor.sources.scan.crops import INSET, cell_text

    ink = np.zeros((120, 140), np.uint8)
    cv2.rectangle(ink, (60, 15), (72, 36), 255, 3)  # a '0', 13 x 22
    cv2.rectangle(ink, (50, 65), (53, 69), 255, -1)  # two specks on a line of their own
    cv2.rectangle(ink, (100, 62), (103, 66), 255, -1)
    kept, alone = cell_text(ink, (0, 0, 140, 120))
    assert kept[10:35].any() and not kept[55:70].any() and not alone
    specks = np.zeros_like(ink)
    specks[65:70, 50:54] = 255
    assert cell_text(specks, (0, 0, 140, 120))[0].any()
    tall = np.zeros((640, 110), np.uint8)
    cv2.rectangle(tall, (30, 20), (60, 45), 255, 3)  # the group label's first character
    tall[320:625, INSET:INSET + 2] = 255  # a piece of the cell's left rule, bent past the inset
    assert not cell_text(tall, (0, 0, 110, 640))[0][:, :3].any()


def test_noise_apart_from_a_dash_and_a_cell_of_noise_alone_are_no_text() -> None:
    """Regression (scan draw 18010, shaded cells at 150 dpi with noise and JPEG 25: 123/200): dots of noise
    beside a blank cell's '—' were read '0 一'. A blob smaller than any character at the page's resolution
    is noise when it stands apart from larger ones; a decimal point, close to its digits, stays; a cell of
    such blobs alone keeps them (a '0' broken into pieces must not become a sure blank)."""
    from extractor.sources.scan.crops import cell_text

    page = np.zeros((200, 1654), np.uint8)  # A4 at 200 dpi: noise is under ~6 pixels
    cv2.line(page, (60, 30), (100, 30), 255, 3)  # the blank mark
    page[28:32, 130:134] = 255  # a dot of noise beyond it
    kept, _ = cell_text(page, (0, 0, 300, 60))
    assert kept[20:40, 50:110].any() and not kept[:, 120:140].any()
    noise = np.zeros_like(page)
    for x in (40, 90, 160):
        noise[100:104, x:x + 4] = 255
    assert cell_text(noise, (0, 80, 300, 140))[0].any()
    number = np.zeros_like(page)
    cv2.rectangle(number, (40, 100), (52, 121), 255, 3)  # '0'
    number[118:122, 56:60] = 255  # '.'
    cv2.rectangle(number, (64, 100), (76, 121), 255, 3)  # '0'
    assert cell_text(number, (0, 80, 300, 140))[0][:, 51:57].any()


def test_noise_blob_as_large_as_a_speck_can_be_apart_from_a_digit_is_no_text() -> None:
    """Regression (mild scan draw 28029, 150 dpi read at 200, blur, noise 12, JPEG 25: a correct document
    flagged): a 5 x 7 noise blob, over the page's speck size, stood two digit widths left of a '0'; kept, it
    widened the crop to '·.0' (0.41) and the cell came out unsure. Apart from the glyphs (blobs of half the
    cell's tallest: a word whose characters touch is wider than one), such a blob is noise; a minus beside
    its digit and a character apart from its word stay."""
    from extractor.sources.scan.crops import cell_text

    page = np.zeros((200, 1654), np.uint8)  # A4 at 200 dpi: specks are under ~6.6 pixels
    cv2.rectangle(page, (154, 28), (166, 46), 255, 3)  # a '0', 13 x 19
    page[36:43, 113:118] = 255  # the noise blob, 5 x 7, 36 pixels left of it
    kept, _ = cell_text(page, (0, 20, 300, 60))
    assert kept[:, 145:170].any() and not kept[:, 100:125].any()
    minus = np.zeros_like(page)
    cv2.rectangle(minus, (154, 28), (166, 46), 255, 3)
    minus[36:39, 144:151] = 255  # '-' just before the '0'
    assert cell_text(minus, (0, 20, 300, 60))[0][:, 135:145].any()
    word = np.zeros_like(page)  # '科' apart from '研机构', three characters touching in one wide blob
    cv2.rectangle(word, (20, 28), (38, 46), 255, 2)
    cv2.rectangle(word, (50, 28), (110, 46), 255, 2)
    assert cell_text(word, (0, 20, 300, 60))[0][:, 15:40].any()


def test_label_words_split_by_letter_spacing_are_joined() -> None:
    """Regression (mild scan draw 19005, no rules, text drawn a character at a time with wide tracking:
    133/200): '(二)部分公开（区分…' came out as the tokens '(二)', '部分公', '开', '1' (a bracket) and
    '区分处理的', five parts of a label path that named nothing. Tokens of a row's label, left of the
    value columns and close together, are one; the values and header lines are never joined."""
    from extractor.model import Char
    from extractor.sources.scan.ocr import Reading
    from extractor.sources.scan.tokens import _label_words_joined, _values_start

    def line(*words: tuple[str, float, float]) -> list[Char]:
        return [Char(text, x0, 100.0, x1, 110.0) for text, x0, x1 in words]

    row = line(("(二)", 10, 30), ("部分公", 36, 66), ("开", 72, 82), ("1", 86, 89), ("区分处理的", 94, 144),
               ("10", 300, 312), ("9", 400, 406), ("19", 500, 512))
    header = line(("商业", 300, 320), ("科研", 326, 346))
    readings = {id(ch): Reading(ch.text, 0.9) for ch in row + header}
    values_at = _values_start([row, row, header])
    assert [ch.text for ch in _label_words_joined(row, readings, values_at)] == [
        "(二)部分公开1区分处理的", "10", "9", "19"]
    assert _label_words_joined(header, readings, values_at) == header
    numbered = line(("3", 10, 16), ("其他", 22, 42), ("5", 300, 306), ("5", 500, 506))
    readings.update({id(ch): Reading(ch.text, 0.9) for ch in numbered})
    assert [ch.text for ch in _label_words_joined(numbered, readings, values_at)] == ["3", "其他", "5", "5"]


def test_label_reaching_past_another_tables_value_columns_is_one_label() -> None:
    """Regression (mild scan draw 28007, an unruled 2019 report at 200 dpi: 175/198): 表二's value columns,
    left of 表三's, set the page's edge of the values, and 表三's longest labels reached past it: their words
    were not joined ('5.属于三类内部事' '务信息', two levels of a path that named nothing) and three rows were
    lost. A line's own run of values marks where its label ends. An amount's unit read apart ('420.92万'
    '元') is part of its value, so 政府集中采购's line ends in values too."""
    from extractor.model import Char
    from extractor.sources.scan.ocr import Reading
    from extractor.sources.scan.tokens import _label_words_joined, _units_joined, _values_start

    def line(*words: tuple[str, float, float]) -> list[Char]:
        return [Char(text, x0, 100.0, x1, 110.0) for text, x0, x1 in words]

    t2_row = line(("规章", 10, 40), ("0", 80, 86), ("36", 250, 262))
    t3_row = line(("5.属于", 10, 37), ("三类内部事", 38, 82), ("务信息", 85, 109), ("0", 290, 296), ("4", 330, 336))
    amount = line(("政府", 10, 30), ("集中", 33, 53), ("采购", 56, 76), ("28", 150, 162), ("420.92万", 250, 290),
                  ("元", 292, 300))
    readings = {id(ch): Reading(ch.text, 0.9) for ch in t2_row + t3_row + amount}
    values_at = _values_start([t2_row] * 5 + [t3_row])
    assert values_at < 100
    assert [ch.text for ch in _label_words_joined(t3_row, readings, values_at)] == ["5.属于三类内部事务信息", "0", "4"]
    joined = _label_words_joined(_units_joined(amount, readings), readings, values_at)
    assert [ch.text for ch in joined] == ["政府集中采购", "28", "420.92万元"]
    assert _units_joined(line(("本年收费", 10, 50), ("元", 52, 60)), readings | {}) == line(
        ("本年收费", 10, 50), ("元", 52, 60))


def test_frame_with_a_header_rule_beside_a_grid_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Review of the frame reading (no draw showed it): on a page with a ruled grid and a framed table
    whose header has a rule under it, only the frame's first row went to the reading by position. All of
    the frame does."""
    import extractor.sources.scan as scan

    page = np.full((1400, 1654, 3), 255, np.uint8)
    _ruled(page, (100, 450, 800, 1150, 1500), (100, 160, 220))  # a ruled grid of four columns
    _ruled(page, (100, 1500), (400, 460, 1200))  # a box with a rule under its header
    cv2.rectangle(page, (700, 1000), (730, 1030), (0, 0, 0), 3)  # ink in the box's body
    seen: list[np.ndarray] = []
    monkeypatch.setattr(scan, "unruled", lambda gray, ink, *args, **kwargs: seen.append(ink) or [])
    scan._read_page(page, 1, 1.0, 0)
    assert seen and seen[0][990:1040, 690:740].any()


def test_cell_of_noise_specks_alone_reads_blank_not_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (mild scan draw 20024, 150 dpi, noise 12, JPEG 25: 159/198): blank cells holding only
    noise specks were read '湖中', 'B部' or '1\n9'; as text they became row labels or glued values and whole
    rows were lost. Whatever a cell of specks alone reads as is a speck's reading: the cell is blank, unsure
    only where a speck read as a digit (blank_of_specks)."""
    import extractor.sources.scan as scan
    from extractor.model import Table
    from extractor.sources.scan.ocr import Reading

    page = np.full((700, 1654), 255, np.uint8)  # A4 at 200 dpi: specks are under ~6 pixels
    _ruled(page, (200, 600, 1000, 1400), (200, 300, 400))
    for x, y in ((660, 230), (700, 260), (760, 240), (820, 275)):  # noise in the middle cell of row one
        page[y:y + 4, x:x + 3] = 0
    for x, y in ((250, 265), (1050, 265), (250, 365)):  # a '0' in the cells beside it and below
        cv2.ellipse(page, (x, y - 16), (8, 15), 0, 0, 360, 0, 3)
    seen = Reading("湖中", 0.16, (), Reading("9", 0.53))
    monkeypatch.setattr(scan, "read_values", lambda crops: [seen] * len(crops))
    tables = [b for b in scan._read_page(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR), 1, 1.0, 0) if isinstance(b, Table)]
    cells = {(c.row, c.col): c for c in tables[0].cells}
    assert cells[(0, 0)].text == "湖中" and cells[(0, 2)].text == "湖中"  # ink of a glyph: its reading stands
    assert cells[(0, 1)].text == "" and cells[(0, 1)].alternatives == ("9",) and cells[(0, 1)].confidence < 0.9
    # Read as nothing (draw 22030: confidence 0.04, the document flagged), specks alone are surely blank.
    monkeypatch.setattr(scan, "read_values", lambda crops: [
        Reading("0", 0.99) if int((c < 128).sum()) > 100 else Reading("", 0.04) for c in crops])
    tables = [b for b in scan._read_page(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR), 1, 1.0, 0) if isinstance(b, Table)]
    cells = {(c.row, c.col): c for c in tables[0].cells}
    assert cells[(0, 0)].text == "0" and cells[(0, 1)].text == "" and cells[(0, 1)].confidence == 1.0


def test_blank_marks_on_an_unruled_page_are_tokens_and_strokes_of_characters_are_not() -> None:
    """Regression (mild scan draw 21001, horizontal rules, '—' for every blank: 73/200): a dash is too thin
    for a word token, so every '—' was dropped, rows had too few values and most of 表三 and all of 表四 were
    lost. A thin solid bar is a blank mark when it stands alone: mid-height on a line with other tokens, no
    ink just above or below it (二, 三, the rest of a character blur broke) and nothing close beside it (一 in
    '这一情' at wide spacing)."""
    from extractor.sources.scan.tokens import dash_for_one, tokens_and_dashes

    ink = np.zeros((400, 1654), np.uint8)
    glyph = 24

    def char(x: int, y: int) -> None:  # a character's box of strokes, full height
        cv2.rectangle(ink, (x, y), (x + glyph - 2, y + glyph), 255, 2)
        cv2.line(ink, (x + glyph // 2, y), (x + glyph // 2, y + glyph), 255, 2)

    def bar(x: int, y: int, width: int = 16) -> None:
        ink[y:y + 3, x:x + width] = 255

    for k in range(40):
        char(40 + k * 36, 20)  # a header line: a page is mostly characters
    mid = 100 + glyph // 2
    for k in range(3):
        char(40 + k * 28, 100)  # a label ...
    bar(40 + 3 * 28 + 12, mid)  # ... with 一 in it, letter-spaced
    char(40 + 3 * 28 + 40, 100)
    for x in (400, 560, 720):
        bar(x, mid)  # blank marks in the value columns
    char(880, 100)  # a value
    bar(1040, 106)  # 二: two bars, one over the other, alone on its spot
    bar(1040, 118)
    cv2.rectangle(ink, (1200, 100), (1216, 116), 255, 2)  # a character whose foot stroke blur split off
    bar(1198, 100 + glyph - 3, 22)
    bar(1300, mid - 4)  # 情 broken by blur: its top a bar, the rest of it just below
    ink[mid + 5:mid + 15, 1301:1315] = 255
    for x in range(300, 1400, 150):
        bar(x, 250)  # 表四's row: blank marks only
    boxes, bars = tokens_and_dashes(ink)
    assert sorted(x0 // 4 for x0, y0, _, _ in bars if y0 < 200) == [100, 140, 180]  # x within a few pixels
    assert sorted(x0 // 4 for x0, y0, _, _ in bars if y0 > 200) == [x // 4 for x in range(300, 1400, 150)]
    assert len(boxes) >= 5  # the characters are words as before
    assert dash_for_one("一.") == "—" and dash_for_one("一二") == "一二"


def test_noise_specks_do_not_set_the_height_of_a_character() -> None:
    """Regression (mild scan draw 22023, noise at 150 dpi: a page of prose after 表四 read as a table of 80
    rows of '1'): hundreds of specks put the typical character height at 5 pixels, so every speck was a word
    token and the prose page looked tabular. Specks (under SPECK_PAGE of the page width) do not count."""
    from extractor.sources.scan.tokens import tokens_and_dashes

    rng = np.random.default_rng(7)
    ink = np.zeros((1200, 1654), np.uint8)
    for x, y in zip(rng.integers(0, 1650, 600), rng.integers(0, 1195, 600), strict=True):
        ink[y:y + 4, x:x + 4] = 255
    for k in range(20):  # a line of prose
        cv2.rectangle(ink, (100 + 30 * k, 600), (124 + 30 * k, 626), 255, 2)
    boxes, _ = tokens_and_dashes(ink)
    assert len(boxes) < 30


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_rows_below_a_small_grid_are_read_by_position() -> None:
    """Regression (scan draw 24004, a table ruled across only, a reviewer's stamp touching its top rule):
    the stamp and the top rules made a grid of two rows, and with a grid on the page nothing outside it was
    read: every other row of 表三 was lost. Text outside every grid that looks like a table is read by
    position too, below the grid in reading order."""
    from extractor.model import Table
    from extractor.sources.scan import _read_page

    image = Image.new("L", (1400, 1000), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 26)
    for y in (60, 110, 160):
        draw.line((100, y, 1300, y), fill=0, width=3)
    for x in (100, 700, 850, 1000, 1150, 1300):
        draw.line((x, 60, x, 160), fill=0, width=3)
    labels = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "(六)其他处理",
              "(七)总计", "四、结转下年度继续办理"]
    for r, label in enumerate(labels):
        y = 200 + r * 60
        draw.text((110, y), label, font=font, fill=0)
        for k, x in enumerate((760, 910, 1060, 1210)):
            draw.text((x, y), str((r + k) % 10), font=font, fill=0)
    blocks = _read_page(cv2.cvtColor(np.asarray(image), cv2.COLOR_GRAY2BGR), 1, 1.0, 0)
    positional = [b for b in blocks if isinstance(b, Table) and b.method == "ocr-text"]
    assert positional and blocks[-1] is positional[0]
    texts = [c.text for c in positional[0].cells]
    assert "2.重复申请" in texts and texts.count("3") >= 3


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_headings_and_specks_outside_a_grid_are_not_a_table() -> None:
    """Regression (mild scan draw 23010, 198 -> 135 with the reading above): a heading between two grids,
    a line of prose and noise specks read as single characters passed for a table; read first on its page,
    it took 表三's place and its continuation grid was lost. Outside the grids a table needs lines of a
    label and values."""
    from extractor.model import Table
    from extractor.sources.scan import _read_page

    image = Image.new("L", (1400, 1000), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 26)
    for y in (400, 450, 500, 550):
        draw.line((100, y, 1300, y), fill=0, width=3)
    for x in (100, 700, 850, 1000, 1150, 1300):
        draw.line((x, 400, x, 550), fill=0, width=3)
    draw.text((110, 330), "四、政府信息公开行政复议、行政诉讼情况", font=font, fill=0)
    draw.text((110, 620), "五、政府信息公开工作存在的主要问题及改进情况", font=font, fill=0)
    draw.text((110, 680), "本机关将进一步加强培训。", font=font, fill=0)
    rng = np.random.default_rng(7)
    for x, y in rng.integers((50, 600), (1350, 950), size=(20, 2)):  # blots the size of a character
        draw.ellipse((int(x), int(y), int(x) + 14, int(y) + 18), fill=0)
    blocks = _read_page(cv2.cvtColor(np.asarray(image), cv2.COLOR_GRAY2BGR), 1, 1.0, 0)
    assert not [b for b in blocks if isinstance(b, Table) and b.method == "ocr-text"]


def test_lined_up_specks_beside_a_large_grid_are_not_read() -> None:
    """Regression (mild scan draw 23014, 150 dpi, blur, noise, JPEG 25: a correct document flagged): specks
    outside 表三's grid lined up in rows of four and more, and 161 rows of them were read by position (489
    crops). Text outside the grids is read only when the grids cover little of the page."""
    from extractor.model import Table
    from extractor.sources.scan import _read_page

    page = np.full((1400, 1400), 255, np.uint8)
    _ruled(page, (100, 500, 700, 900, 1100, 1300), tuple(range(100, 701, 60)))
    for r in range(6):
        for k in range(6):
            x, y = 150 + k * 190, 800 + r * 90
            cv2.ellipse(page, (x, y), (7, 9), 0, 0, 360, 0, -1)
    blocks = _read_page(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR), 1, 1.0, 0)
    assert not [b for b in blocks if isinstance(b, Table) and b.method == "ocr-text"]


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_number_right_of_its_cells_centre_may_have_lost_its_minus() -> None:
    """Regression (scan draw 26009: '-3' and '-2' under a red seal, the thin minus whitened with the stamp,
    read '3' and '2' surely in 本年增/减 cells no identity checks: silently wrong). A number standing right
    of its cell's centre by about a minus's width is flagged as possibly signed (the map keeps that reading
    only where a sign may stand); a number at the centre is not."""
    from extractor.sources.scan.crops import cell_crops

    def cell(x: int) -> tuple[np.ndarray, np.ndarray]:
        pil = Image.new("L", (300, 60), 255)
        ImageDraw.Draw(pil).text((x, 12), "3", font=ImageFont.truetype(str(FONT), 32), fill=0)
        gray = np.asarray(pil).copy()
        return gray, (gray < 128).astype(np.uint8) * 255

    width = ImageFont.truetype(str(FONT), 32).getbbox("3")[2]
    gray, ink = cell(150 - width // 2 + 9)  # where '-3' centred puts its 3
    assert cell_crops(gray, ink, (0, 0, 300, 60))[2] == [True]
    gray, ink = cell(150 - width // 2)
    assert cell_crops(gray, ink, (0, 0, 300, 60))[2] == [False]


def test_number_off_its_cells_centre_without_a_seal_has_no_lost_minus() -> None:
    """Regression (fresh scan draw 40000, double rules skewed at 150 dpi: a '5' a few pixels right of its
    cell's centre was given a signed reading '-5' and its document flagged, with no seal on the page to take a
    minus): the place of a number says it lost a minus only in a cell a seal's ink was taken from."""
    from extractor.sources.scan.crops import cell_crops

    pil = Image.new("L", (300, 60), 255)
    width = ImageFont.truetype(str(FONT), 32).getbbox("5")[2]
    ImageDraw.Draw(pil).text((150 - width // 2 + 9, 12), "5", font=ImageFont.truetype(str(FONT), 32), fill=0)
    gray = np.asarray(pil).copy()
    ink = (gray < 128).astype(np.uint8) * 255
    assert cell_crops(gray, ink, (0, 0, 300, 60), sealed=False)[2] == [False]
    assert cell_crops(gray, ink, (0, 0, 300, 60), sealed=True)[2] == [True]
