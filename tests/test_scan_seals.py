"""What a seal hides, pages that are only skewed, and small readings of the scan path, on drawn images."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.model import Paragraph, SourceDoc, Table
from extractor.sources.scan.masks import ink_mask


def _ruled_page(skew: float = 0.0, faint: bool = False) -> np.ndarray:
    """A page of 150 dpi with one table (12 rows, 6 columns), turned by `skew` degrees; `faint`: its rules
    light grey and broken every few pixels, as a faint rule comes out of a web page's picture."""
    page = np.full((1755, 1240), 250, np.uint8)
    xs, ys = [100 + 170 * k for k in range(7)], [200 + 60 * k for k in range(13)]
    colour = 200 if faint else 40
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), colour, 1 if faint else 2)
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), colour, 1 if faint else 2)
    if faint:
        page[:, ::7] = 250  # broken every seven pixels across ...
        page[::7, :] = np.maximum(page[::7, :], 250)  # ... and down
        cv2.line(page, (xs[0], ys[0]), (xs[3], ys[5]), 40, 3)  # a stroke across: pieces, no outline
    if skew:
        matrix = cv2.getRotationMatrix2D((620, 877), skew, 1.0)
        page = cv2.warpAffine(page, matrix, (1240, 1755), borderValue=250)
    return page


def test_skewed_page_is_not_warped_by_a_homography() -> None:
    """Regression (mild scan draws 28009, 28004, 28026: 193, 191, 200 but flagged): a page only skewed has a
    table outline whose corners, found a few pixels off, made a homography that bent the page; rows cut
    through their labels. A rectangle turned (opposite sides parallel) is left to deskew."""
    from extractor.sources.scan.clean import perspective

    page = _ruled_page(skew=0.8)
    assert perspective(page, ink_mask(page), 30) is None
    photo = np.full((1755, 1240), 250, np.uint8)  # a phone's perspective: the far side shorter
    corners = np.array([(140, 200), (1100, 230), (1130, 980), (100, 960)], np.int32)
    cv2.polylines(photo, [corners], True, 40, 3)
    assert perspective(photo, ink_mask(photo), 30) is not None


def test_outline_of_rule_pieces_is_no_perspective() -> None:
    """Regression (mild scan draw 28024, faint rules at 150 dpi in a web page's picture: 134/198): rules
    found in pieces made an outline that cut across the table; the page was warped by it and 表三's grid on
    the second page lost. An outline whose sides do not lie on rules gives no perspective."""
    from extractor.sources.scan.clean import perspective

    page = _ruled_page(faint=True)
    assert perspective(page, ink_mask(page), 30) is None


def test_space_before_a_unit_does_not_make_the_amount_unsure() -> None:
    """Regression (mild scan draw 28024: '227.96 万元' read at 0.85 for the space between number and unit,
    the document flagged though every cell was right). A space counts only between two digits."""
    from extractor.sources.scan.ocr import _decode

    charset = ["", "2", "7", ".", " ", "万", "元"]
    steps = [(1, 1.0), (3, 1.0), (2, 1.0), (4, 0.77), (5, 1.0), (6, 1.0)]  # '2.7 万元'
    probs = np.zeros((len(steps), len(charset)), np.float32)
    for t, (k, p) in enumerate(steps):
        probs[t, k], probs[t, 0] = p, 1 - p
    assert _decode(probs, charset).confidence == 1.0
    steps = [(1, 1.0), (4, 0.77), (2, 1.0)]  # '2 7': one number or two, unsure
    probs = np.zeros((len(steps), len(charset)), np.float32)
    for t, (k, p) in enumerate(steps):
        probs[t, k], probs[t, 0] = p, 1 - p
    assert _decode(probs, charset).confidence < 0.8


def test_decimal_point_that_might_be_a_comma_is_sure() -> None:
    """Regression (mild scan draw 35019: '562.35' read at 0.74 for its point, 0.26 a comma, a 表二 amount in
    no identity flagged): before the last one or two digits a comma is read as the decimal point too, so the
    two readings are one value. Not before three digits (a thousands comma), nor a point read as a comma."""
    from extractor.sources.scan.ocr import _decode

    charset = ["", "5", "6", ".", ",", "万", "元"]

    def decoded(*keys: int) -> float:
        probs = np.zeros((len(keys), len(charset)), np.float32)
        for t, k in enumerate(keys):
            if k in (3, 4):  # the point read, the comma its runner-up, or the other way round
                probs[t, k], probs[t, 7 - k] = 0.74, 0.26
            else:
                probs[t, k] = 1.0
        return _decode(probs, charset).confidence

    assert decoded(1, 2, 3, 1, 2) > 0.99  # '56.56'
    assert decoded(1, 2, 3, 1, 2, 5, 6) > 0.99  # '56.56万元'
    assert decoded(1, 2, 4, 1, 2) > 0.99  # '56,56', read as 56.56 (in context, draw 35019 read the comma)
    assert decoded(1, 2, 3, 1, 2, 1) == np.float32(0.74)  # '56.565': a comma there would group thousands
    assert decoded(1, 2, 4, 1, 2, 1) == np.float32(0.74)  # '56,565'


def test_cell_under_a_seal_is_read_unsurely() -> None:
    """Regression (mild scan draw 28031: a '0' under a red seal's star, as light as the star's ink, was
    whitened with it and the cell read blank surely, silently wrong; 31011: an '8' half under a grey seal's
    squares read '3' at 0.999). The cleaning says where a seal was; a cell whose middle it covered is read
    unsurely, blank or not: the identities may confirm it, or a person looks."""
    from extractor.sources.scan import _read_page

    page = cv2.cvtColor(_ruled_page(), cv2.COLOR_GRAY2BGR)
    for row in range(1, 12):
        for col in range(1, 6):
            cv2.putText(page, "0", (100 + 170 * col + 75, 200 + 60 * row + 42), cv2.FONT_HERSHEY_SIMPLEX, 1.0,
                        (40, 40, 40), 2)
    cv2.circle(page, (100 + 170 * 3 + 85, 200 + 60 * 6 + 30), 45, (40, 40, 220), -1)  # a red star's body
    cells = [c for t in _read_page(page, 1, 1.0, 0) if isinstance(t, Table) for c in t.cells]
    sealed = [c for c in cells if c.provenance.bbox and c.provenance.bbox.x0 == 610 and c.provenance.bbox.y0 == 560]
    assert len(sealed) == 1 and sealed[0].confidence <= 0.3
    others = [c for c in cells if c.text == "0" and c not in sealed]
    assert len(others) > 40 and all(c.confidence > 0.9 for c in others)


def test_row_only_table_three_has_switches_to_it() -> None:
    """Regression (mild scan draw 31011: a grey seal over 表三's header, its words unreadable; every 表三 row was
    taken for 表二's, 36/198). A row labelled 一、本年新收政府信息公开申请数量 is 表三's, whatever the header."""
    from extractor.detect import find_regions
    from extractor.model import Cell

    def table(rows: list[list[str]], index: int) -> Table:
        cells = tuple(Cell(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row))
        return Table(cells, len(rows), max(len(r) for r in rows), "ocr-lattice", (1,), index)

    t2 = table([["信息内容", "本年新制作数量"], ["规章", "3"]], 1)
    t3 = table([["表数拥的勾精关系为", "使國區"], ["一、本年新收政府信息公开申请数量", "51", "11"],
                ["二、上年结转政府信息公开申请数量", "0", "1"]], 2)
    doc = SourceDoc(kind="scanned-pdf", blocks=(Paragraph("二、主动公开政府信息情况"), t2, t3))
    regions, _ = find_regions(doc)
    assert [(r.section, r.table.index, r.row_start) for r in regions] == [("t2", 1, 0), ("t2", 2, 0), ("t3", 2, 1)]


def test_header_word_read_in_pieces_is_one_word() -> None:
    """Regression (mild scan draw 31020, 表四 of an unruled page at 300 dpi: '尚未' '审', '总' '计' and '复'
    '议后起诉' read apart, 20 header words for 15 columns, 表四 not placed). Neighbours of one header line
    that together are a piece of a header word, a letter apart, are one word; two columns' words are not."""
    from extractor.layout.header import _pieces_joined

    line: list[list[float | str]] = [[147.0, 160.0, "尚未"], [164.0, 171.0, "审"], [182.0, 189.0, "总"],
                                     [191.0, 198.0, "计"], [210.0, 236.0, "结果维"], [245.0, 270.0, "结果纠"],
                                     [386.0, 393.0, "复"], [395.0, 429.0, "议后起诉"]]
    assert [w[2] for w in _pieces_joined(line)] == ["尚未审", "总计", "结果维", "结果纠", "复议后起诉"]
    assert [w[2] for w in _pieces_joined([[100.0, 107.0, "总"], [160.0, 167.0, "计"]])] == ["总", "计"]


def test_token_a_seal_cut_to_a_letter_stands_as_its_number_unsure() -> None:
    """Regression (mild scan draw 31020, unruled, a grey seal's ring through a '0': what the cleaning left
    read 'è' at 0.21 and was dropped as a speck; 行政强制's cell read blank, the document 'ok', silently
    wrong). A token the seal touched keeps its number reading, unsure; one it did not touch is as read."""
    from extractor.sources.scan.ocr import Reading
    from extractor.sources.scan.positional import _under_seal

    hidden = np.zeros((100, 100), np.uint8)
    hidden[40:60, 55:70] = 255
    cut = Reading("è", 0.21, (), Reading("0", 0.96))
    assert (_under_seal(cut, (50, 40, 62, 56), hidden).text, _under_seal(cut, (50, 40, 62, 56), hidden).confidence) \
        == ("0", 0.3)
    assert _under_seal(cut, (10, 10, 22, 26), hidden) == cut
    assert _under_seal(Reading("7", 1.0), (50, 40, 62, 56), hidden).confidence == 0.3


def test_blank_placed_by_position_under_a_seal_is_unsure() -> None:
    """Regression (mild scan draw 31012, ruled across only, a red seal's star over a '0' of 表三: the '0' was
    whitened with the star, the row's other values placed by position and the cell read blank; the document
    came out 'ok', silently wrong). The page's seal boxes travel with its tables; a blank cell placed by
    position where a seal covered its column is unsure, one beside the seal is not."""
    from extractor.model import BBox, CanonicalCell, Provenance
    from extractor.reconcile.hidden import blanks_under_seals
    from extractor.sources.scan.hidden import seal_boxes

    hidden = np.zeros((400, 1000), np.uint8)
    cv2.circle(hidden, (500, 200), 60, 255, -1)
    boxes = seal_boxes(hidden, 2.0, "top-left, points")
    assert boxes and all(250 - 40 <= b.x0 and b.x1 <= 250 + 40 for b in boxes)  # in points, around the disc

    def cell(col: str, x: float, y: float, value: int | None) -> CanonicalCell:
        box = BBox(x - 3, y - 4, x + 3, y + 4, "top-left, points")
        return CanonicalCell("2021", "t3", "other.no_correction" if y == 100 else "granted", col, value,
                             "" if value is None else str(value), Provenance(page=2, bbox=box), "ocr-text:position",
                             0.9)

    cells = [cell("social", 250, 50, 3), cell("legal", 330, 50, 4),  # the columns' values in the row above
             cell("social", 330, 100, None), cell("legal", 330, 100, None)]  # blanks: provenance of the row
    blanks_under_seals(cells, {2: boxes})
    assert [c.confidence for c in cells] == [0.9, 0.9, 0.3, 0.9]


def test_point_between_two_tokens_joins_them() -> None:
    """Regression (mild scan draws 31015 and 31031, no rules: an amount '323.12' read as the tokens '323.' and
    '12', '137.06' as '137' and '.06': two values for one column, the amount lost; '3.其他' as '3' and '.其他',
    the row unmapped). A point standing between two tokens of a line, closer than a glyph to both, joins
    them; two numbers a gap apart with no point stay two."""
    from extractor.sources.scan.tokens import tokens_and_dashes

    ink = np.zeros((60, 400), np.uint8)
    for x in (10, 24, 38):  # '323', digits 11 x 17
        cv2.rectangle(ink, (x, 20), (x + 10, 36), 255, 2)
    ink[33:37, 59:63] = 255  # the point, 10 pixels after the digits, 8 before the next: beyond letter spacing
    for x in (72, 86):  # '12'
        cv2.rectangle(ink, (x, 20), (x + 10, 36), 255, 2)
    for x in (200, 214, 250):  # '12' and, a gap apart, '5'
        cv2.rectangle(ink, (x, 20), (x + 10, 36), 255, 2)
    boxes, _ = tokens_and_dashes(ink)
    assert [(b[0] // 10, b[2] // 10) for b in sorted(boxes)] == [(0, 9), (19, 22), (24, 26)]


def test_print_lost_with_a_seal_is_told_from_a_seal_over_paper() -> None:
    """Regression (mild scan draw 31005, 300 dpi, a red seal over blank cells of 表三: every cell right, but
    the blank cells under the ring read unsurely and the document flagged): a seal's ink over paper hides
    nothing. Print is lost where pixels of the seal darker than its ink around them (print under a stamp
    multiplies with it) were whitened all the same: a light '0' under a red star (28031)."""
    from extractor.sources.scan.hidden import lost_print
    from extractor.sources.scan.seal import red_mask, remove_grey_seal, remove_red

    page = np.full((400, 600, 3), 245, np.uint8)
    star = np.zeros((400, 600), bool)
    star[100:300, 100:300] = True
    page[star] = (60, 60, 235)  # the stamp's red ink, even
    light = np.zeros((400, 600), np.uint8)
    cv2.putText(light, "0", (170, 230), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 255, 4)
    under = (light > 0) & star
    page[under] = (45, 45, 160)  # a light digit under the red: the stamp's ink times the print's grey
    red = remove_red(page)
    gray = remove_grey_seal(red)
    lost = lost_print(page, red_mask(cv2.cvtColor(page, cv2.COLOR_BGR2HSV)), red, gray)
    assert lost[under].mean() > 200  # the digit's pixels were whitened: lost
    assert not lost[120:160, 120:300].any()  # the stamp over paper: nothing lost


def test_blurred_edge_of_print_kept_on_a_red_stamp_is_not_lost_print() -> None:
    """Regression (draw 28005, 300 dpi, blur, a red star under a '0' of 表二: right, flagged): the lost-print
    test, its specks now dropped by size (a thin Song '0' under a grey ring is a line a pixel wide, draw
    27019), kept the reddish rim of a dark '0' the cleaning left whole. Whitened pixels beside print that
    survived a red stamp are its edge; the light digit the stamp took (28031) is still lost."""
    from extractor.sources.scan.hidden import lost_print
    from extractor.sources.scan.seal import red_mask, remove_grey_seal, remove_red

    page = np.full((400, 600, 3), 245, np.uint8)
    page[100:300, 100:300] = (60, 60, 235)
    cv2.putText(page, "0", (170, 230), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (20, 20, 20), 5)
    page = cv2.GaussianBlur(page, (5, 5), 1.5)
    red = remove_red(page)
    gray = remove_grey_seal(red)
    lost = lost_print(page, red_mask(cv2.cvtColor(page, cv2.COLOR_BGR2HSV)), red, gray)
    assert gray[150:240, 160:250].min() < 100  # the dark digit survived the cleaning
    assert not lost[140:250, 150:260].any()


def test_grey_seal_over_paper_loses_no_print_however_blurred_its_strokes() -> None:
    """Regression (draw 32001, a grey seal at 300 dpi over four right cells of 表二, flagged): the cleaning
    whitens a grey seal's pale halo and the blurred edges of its strokes too, and their mean made the ring's
    own ink 'darker than the seal': all of the ring was lost print. The seal's level is that of its even ink
    (the most common level of its pixels), and a seal over paper loses nothing."""
    from extractor.sources.scan.hidden import lost_print
    from extractor.sources.scan.seal import red_mask, remove_grey_seal, remove_red

    page = np.full((1000, 1000, 3), 252, np.uint8)
    cv2.circle(page, (500, 500), 200, (93, 93, 93), 12)
    for angle in range(0, 360, 30):
        x, y = int(500 + 140 * np.cos(np.radians(angle))), int(500 + 140 * np.sin(np.radians(angle)))
        cv2.rectangle(page, (x - 12, y - 12), (x + 12, y + 12), (105, 105, 105), -1)
    cv2.fillPoly(page, [np.array([[500, 420], [570, 470], [545, 560], [455, 560], [430, 470]], np.int32)],
                 (100, 100, 100))
    page = cv2.GaussianBlur(page, (5, 5), 1.2)
    red = remove_red(page)
    gray = remove_grey_seal(red)
    assert (gray != red).sum() > 20000  # the seal was found and taken out
    assert not lost_print(page, red_mask(cv2.cvtColor(page, cv2.COLOR_BGR2HSV)), red, gray).any()


def test_noisy_grey_seal_over_paper_loses_no_print() -> None:
    """Regression (draw 33005, noise 12: specks along a seal's ring read as lost print, an amount it crossed
    flagged): print lost is darker than the seal's ink by the spread of that ink too, not only by a share."""
    from extractor.sources.scan.hidden import lost_print
    from extractor.sources.scan.seal import red_mask, remove_grey_seal, remove_red

    page = np.full((1000, 1000, 3), 250, np.uint8)
    cv2.circle(page, (500, 500), 200, (93, 93, 93), 12)
    cv2.fillPoly(page, [np.array([[500, 420], [570, 470], [545, 560], [455, 560], [430, 470]], np.int32)],
                 (93, 93, 93))
    noise = np.random.default_rng(5).normal(0, 12, page.shape[:2])[:, :, None]
    page = np.clip(page.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    red = remove_red(page)
    gray = remove_grey_seal(red)
    assert (gray != red).sum() > 20000
    assert not lost_print(page, red_mask(cv2.cvtColor(page, cv2.COLOR_BGR2HSV)), red, gray).any()


def test_cell_read_the_same_through_the_seal_is_sure() -> None:
    """Regression (mild scan draw 35005: a bold '0' on a grey seal's square, kept whole by the cleaning, its
    blurred edges whitened with the square and taken for print lost; the cell flagged at 0.30, right): a cell
    under a seal read again on the page as scanned, seal and all, is sure where both readings agree surely
    ('136.61 万元' and '136.61万元' agree, draw 35015); where the cleaning cut a digit, the page as scanned reads
    otherwise (31011: an '8' half under a square read '3') and the cell stays unsure."""
    from extractor.model import BBox, Cell, Provenance
    from extractor.sources.scan.crops import seen_through

    plain = np.full((60, 400), 250, np.uint8)
    cv2.rectangle(plain, (0, 0), (400, 60), 40, 2)  # the cells' rules
    cv2.rectangle(plain, (120, 5), (180, 55), 120, -1)  # a grey seal's square under the second cell's '8'
    for k, text in enumerate(("0", "8", "36")):
        cv2.putText(plain, text, (30 + 120 * k, 42), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 20, 2)
    ink = np.where(plain < 80, 255, 0).astype(np.uint8)
    ink[:4], ink[-4:], ink[:, :4], ink[:, -4:] = 0, 0, 0, 0
    boxes = [(120 * k, 0, 120 * k + 120, 60) for k in range(3)]
    cells = [Cell(0, k, text, 1, 1, Provenance(page=1, bbox=BBox(*box, origin="top-left, pixels")), 0.3)
             for k, (text, box) in enumerate(zip(("0", "3", "38"), boxes, strict=True))]
    under = {0: ("0", 0.999), 1: ("3", 0.999), 2: ("38", 0.99)}
    out = seen_through(plain, ink, cells, under, boxes, 1.0)
    assert out[0].confidence > 0.9  # the same '0' both ways
    assert out[1].confidence == 0.3 and out[2].confidence == 0.3  # '8' and '36' on the page as scanned


def test_seal_print_shows_through_is_no_opaque_stamp() -> None:
    """Regression (mild scan draw 35033: a grey star over a blank cell, words and a '0' beside it plain
    through it; the blank cell flagged as a stamp that may hide print whole). Text kept inside a seal's ink
    shows the seal was stamped over the page, not pasted; a seal with no text through it may be opaque."""
    from extractor.sources.scan.hidden import sealed, translucent

    seal = np.zeros((200, 200), np.uint8)
    cv2.circle(seal, (100, 100), 60, 255, -1)
    text = np.zeros_like(seal)
    cv2.putText(text, "36", (70, 115), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 255, 3)
    seal[60:64, 90:110] = 0  # a thin stroke the cleaning left as it was: a hole in the seal's mask
    assert translucent(seal, text)
    pasted = np.zeros_like(seal)
    cv2.circle(pasted, (100, 100), 60, 255, -1)
    beside = np.zeros_like(seal)
    cv2.putText(beside, "36", (0, 190), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 255, 3)
    assert not translucent(pasted, beside)
    cell = (slice(70, 130), slice(70, 130))
    nothing = np.zeros((60, 60), np.uint8)
    assert sealed(pasted[cell], nothing, None) and not sealed(pasted[cell], nothing, None, opaque=False)
