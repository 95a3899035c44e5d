"""One test per bug found on scanned draws, named after it (unit level: no recogniser)."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.model import BBox, Header, LabeledRow, LabelSource, Layout, Provenance, RowCell, RowKind


def _dashed(ink: np.ndarray, horizontal: bool, at: int, start: int, end: int, dash: int, gap: int,
            phase: int = 0) -> None:
    """A dashed rule drawn 2 pixels thick into `ink`, dashes from `start + phase`."""
    pos = start + phase
    while pos < end:
        stop = min(pos + dash, end)
        if horizontal:
            ink[at:at + 2, pos:stop] = 255
        else:
            ink[pos:stop, at:at + 2] = 255
        pos += dash + gap


def test_dashed_rule_of_short_rows_whose_last_dash_stops_a_gap_short_of_the_crossing_is_found() -> None:
    """Regression (scan draw 36001, 300-dpi dashed rules seen at 200 dpi): in rows 45 pixels high the last
    dash of a column's rule stopped 9 pixels short of the next row's rule, the span was not taken for a rule,
    and three rows of values were read as cells over two columns ('- 1 一')."""
    from extractor.sources.scan.clean import dashed_masks

    ink = np.zeros((260, 400), np.uint8)
    rows = [20, 73, 126, 179, 232]
    for y in rows:
        _dashed(ink, True, y, 10, 390, 8, 6)
    for x in (10, 200, 388):
        for top in rows[:-1]:
            # Three dashes from the top rule; the last ends 11 pixels above the next rule, farther than the
            # widest gap between dashes that is bridged.
            _dashed(ink, False, x, top + 4, top + 42, 8, 7)
    empty = np.zeros_like(ink)
    _, vertical = dashed_masks(ink, (empty, empty), 60, 10, 8)
    covered = vertical[rows[0]:rows[-1], 198:204].any(axis=1)
    assert covered.mean() > 0.9  # the column's rule runs down every row


def _cell_ink(*glyphs: tuple[str, int, int, int, int]) -> np.ndarray:
    ink = np.zeros((46, 190), np.uint8)
    for kind, x, y, w, h in glyphs:
        if kind == "0":
            cv2.ellipse(ink, (x, 23), (5, 9), 0, 0, 360, 255, 2)
        else:
            ink[y:y + h, x:x + w] = 255
    return ink


def test_two_values_in_one_cell_over_two_columns_are_split_where_paper_stands_at_the_rule() -> None:
    """Regression (scan draw 36001: a grey seal's cleaning took the dashed rules of three rows; draw 36014:
    the rule between 上一年项目数量 and 本年增/减 cut to stubs, '0' and '-3' read '03' under the first header):
    two texts either side of a column's rule with paper wider than a text's height between them are two
    cells, a stub of the rule from its top or foot between them or not. Text across the rule (a bracket there)
    keeps the cell whole."""
    from extractor.sources.scan.crops import split_by_columns

    ys, xs = [0.0, 46.0], [0.0, 95.0, 190.0]
    spec = (0, 0, 1, 2)
    assert split_by_columns(spec, ys, _cell_ink(("0", 47, 0, 0, 0), ("0", 142, 0, 0, 0)), xs) == [
        (0, 0, 1, 1), (0, 1, 1, 1)]
    stub = ("bar", 93, 5, 5, 12)  # from the top of the inset box down, 5 wide: a rule's stub
    assert split_by_columns(spec, ys, _cell_ink(("0", 47, 0, 0, 0), stub, ("0", 142, 0, 0, 0)), xs) == [
        (0, 0, 1, 1), (0, 1, 1, 1)]
    # A solid piece of it, both ends cut by a seal's ring (draw 35024: '3' and '-' of 表四 read '31-').
    piece = ("bar", 93, 12, 4, 14)
    assert split_by_columns(spec, ys, _cell_ink(("0", 47, 0, 0, 0), piece, ("0", 142, 0, 0, 0)), xs) == [
        (0, 0, 1, 1), (0, 1, 1, 1)]
    wide = ("bar", 80, 20, 30, 3)  # a dash across the rule: one text over both columns
    assert split_by_columns(spec, ys, _cell_ink(("0", 47, 0, 0, 0), wide, ("0", 142, 0, 0, 0)), xs) == [spec]
    assert split_by_columns(spec, ys, _cell_ink(("0", 95, 0, 0, 0)), xs) == [spec]  # one text centred
    # A speck on one side is no text (draw 37038: beside a '0' centred over three columns, read '2').
    assert split_by_columns(spec, ys, _cell_ink(("0", 47, 0, 0, 0), ("bar", 140, 18, 11, 11)), xs) == [spec]
    # A number and its unit over two merged columns, a text's height apart (draw 31008: '28.93 万元').
    unit = _cell_ink(("bar", 60, 14, 30, 18), ("bar", 110, 14, 18, 18))
    assert split_by_columns(spec, ys, unit, xs) == [spec]


def test_stub_of_a_rule_in_a_cells_corner_is_no_text() -> None:
    """Regression (scan draw 36014, a red seal at 150 dpi): 4 by 15 pixels left of the cell's left rule at its
    top were read with the '0' beside them as one bar, and the cell came out a sure '—' (truth 0)."""
    from extractor.sources.scan.crops import INSET, cell_text

    ink = np.zeros((47, 333), np.uint8)
    ink[INSET:INSET + 15, INSET:INSET + 4] = 255  # the stub, from the corner down
    cv2.ellipse(ink, (166, 25), (7, 9), 0, 0, 360, 255, 2)
    keep, _ = cell_text(ink, (0, 0, 333, 47))
    assert not keep[:, :10].any() and keep[:, 150:180].any()


def _drawn_crop(rows: list[str], shape: tuple[int, int]) -> np.ndarray:
    """A light crop with dark ink where `rows` have '#', ten pixels from its top."""
    crop = np.full(shape, 248, np.uint8)
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            if ch == "#":
                crop[10 + y, x] = 60
    return crop


def test_seven_cut_at_its_corner_into_a_bar_as_large_as_its_stem_is_no_sure_slash() -> None:
    """Regression (scan draw 36037, 300 dpi Song with noise): a '7' read at 1.0 whose bar came apart from its
    stem, the bar the larger piece: the bar was taken for the stroke, leaned, and the '7' became a sure '/', a
    blank; I2 and I3 caught it. The stroke is the largest upright piece: a leaning stem under a bar of its own
    is '7' or '/', unsurely, for the identities."""
    from extractor.sources.scan.marks import PIECES_UNSURE, mark_by_shape
    from extractor.sources.scan.ocr import Reading

    rows = ["..............#................", "...........##########..........",
            "...........#########...........", "..........###.....##...........",
            "..........##...................", ".................#.............",
            "................##.............", "................#..............",
            "...............##..............", "..............###..............",
            "..............##...............", "..............##...............",
            "..............##...............", ".............###...............",
            ".............###...............", "..............##..............."]
    read = mark_by_shape(_drawn_crop(rows, (36, 31)), Reading("7", 1.0))
    assert read.text == "7" and read.confidence <= PIECES_UNSURE and "/" in read.alternatives
    # Draw 33021: a short stem whose top stands two pixels under the bar's foot.
    rows = ["............#########...........", "............#########...........",
            "...........####....##...........", "...........##...................",
            "...........#......#.............", "................................",
            ".................#..............", "................##..............",
            "................#...............", "...............##...............",
            "...............##...............", "..............###...............",
            "..............###...............", "..............###...............",
            "..............###..............."]
    read = mark_by_shape(_drawn_crop(rows, (35, 32)), Reading("7", 1.0))
    assert read.text == "7" and read.confidence <= PIECES_UNSURE and "/" in read.alternatives


def test_bar_read_unsurely_as_a_digit_without_a_bar_is_the_dash() -> None:
    """Regression (scan draw 36031, 150 dpi Kai in a web page): blank cells' '—', 8 pixels wide, read '0' at
    0.22 (or '8'), kept '—' at 0.22 with '0' beside it: three cells flagged. No part of a 0, 3, 6, 8 or 9 is a
    filled bar; what a seal leaves of a '1' or '7' may be, and stays unsure."""
    from extractor.sources.scan.marks import SURE_SHAPE, mark_by_shape
    from extractor.sources.scan.ocr import Reading

    crop = np.full((24, 28), 250, np.uint8)
    crop[11:14, 9:19] = 40
    sure = mark_by_shape(crop, Reading("0", 0.22, ("8",)))
    assert sure.text == "—" and sure.confidence >= SURE_SHAPE
    foot = mark_by_shape(crop, Reading("1", 0.22))
    assert foot.text == "—" and foot.confidence < 0.9 and foot.alternatives == ("1",)


def test_stacked_header_word_read_a_little_wider_than_the_word_above_is_its_end() -> None:
    """Regression (scan draw 36009, 300 dpi blurred, unruled): '益组织' read 1.8 points wider than '社会公' above
    it was taken for a word of its own; 社会公益组织 named no column and page 2 of 表三 was not placed."""
    from extractor.layout.header import stacked_words
    from extractor.model import LogicalRow, Table

    def row(index: int, words: list[tuple[str, float, float]]) -> LogicalRow:
        cells = tuple(RowCell(text, k, k + 1, Provenance(1, BBox(x0, 10.0 * index, x1, 10.0 * index + 8)))
                      for k, (text, x0, x1) in enumerate(words))
        return LogicalRow(cells, index, Table((), 2, 1, "ocr-text"), Layout.POSITIONAL)

    words = stacked_words([row(0, [("商业企", 314.3, 342.4), ("社会公", 395.6, 422.3)]),
                           row(1, [("业", 322.0, 331.0), ("益组织", 394.9, 423.4)])])
    assert [w[2] for w in words] == ["商业企业", "社会公益组织"]


def _positional_row(path: tuple[str, ...], values: list[str]) -> LabeledRow:
    cells = tuple(RowCell(v, k, k + 1, Provenance(1, BBox(300.0 + 60 * k, 0, 310.0 + 60 * k, 9)))
                  for k, v in enumerate(values))
    return LabeledRow(path, cells, RowKind.DATA, LabelSource.OWN, Layout.POSITIONAL, "ocr-text", (0,))


def test_positioned_label_read_apart_at_a_wide_letter_gap_names_its_row() -> None:
    """Regression (scan draw 36004, Kai printed a character at a time): '行政许' and '可' read as two words,
    the path ('行政许', '可') named nothing and three cells went missing. The last two words together name
    the row; a grid's cells are separate cells and are not joined."""
    from extractor.map import code_of_label

    assert code_of_label("t2", "2019", _positional_row(("行政许", "可"), ["-3"]), None).code == "license"
    grid = LabeledRow(("行政许", "可"), (), RowKind.DATA, LabelSource.OWN, Layout.GRID, "ocr-lattice", (0,))
    assert code_of_label("t2", "2019", grid, None).code is None


def test_header_line_with_a_stroke_read_as_a_dash_is_no_data_row() -> None:
    """Regression (scan draw 36015, a shaded header): '—' read between 法人或其他组织 and 总计 made the header
    lines a data row, named （七）总计 by its 总计, with one value: a misaligned row flagged the document."""
    from extractor.layout import build_table
    from extractor.model import LogicalRow, Table

    def line(index: int, texts: list[tuple[str, float]]) -> LogicalRow:
        cells = tuple(RowCell(text, k, k + 1, Provenance(1, BBox(x, 10.0 * index, x + 20, 10.0 * index + 8)))
                      for k, (text, x) in enumerate(texts))
        return LogicalRow(cells, index, Table((), 2, 1, "ocr-text"), Layout.POSITIONAL)

    rows = [line(0, [("(本列数据的勾稽关系为：第一项加第二项之和，等于第申请人情况", 40.0), ("—", 330.0)]),
            line(1, [("三项加第四项之和)", 40.0), ("自然", 240.0), ("法人或其他组织", 300.0), ("—", 400.0),
                     ("总计", 500.0)])]
    table = build_table("t3", "2021", [rows])
    assert not [r for r in table.rows if r.kind is RowKind.DATA]


def test_grid_row_under_a_garbled_header_cell_is_filled_by_order_where_its_header_agrees() -> None:
    """Regression (scan draw 36008, a seal over 表二's (八) header: '本年增/减' read '本年/'): the blank cell
    under it went missing. The row has as many slots as the block's columns and the slot the header placed
    is where the order puts it: the order places the other. A cell over two columns, one under a header
    that names nothing, goes to neither (draw 36014: '03' under 上一年项目数量 and '七年增/' went to the first)."""
    from extractor.map.columns import place_values
    from extractor.map.header import header_codes

    header = header_codes("t2", "2019", Header(((0, ("信息内容",)), (1, ("上一年项目数量",)), (2, ("本年/",)))))
    row = LabeledRow(("行政事业性收费",), (RowCell("", 1, 2, Provenance(1)), RowCell("", 2, 3, Provenance(1))),
                     RowKind.DATA, LabelSource.OWN, Layout.GRID, "ocr-lattice", (0,))
    expected = [("fees", "prev_items"), ("fees", "change")]
    assert place_values(row, header, expected) == ("header", expected)
    three = header_codes("t2", "2019", Header(((0, ("信息内容",)), (1, ("上一年项目数量",)), (2, ("七年增/",)),
                                               (3, ("处理决定数量",)))))
    spanning = RowCell("03", 1, 3, Provenance(1))
    assert three.lookup(spanning) is None and three.is_unclear(spanning)


def test_cells_merged_round_a_corner_are_the_rectangles_the_lost_rule_leaves() -> None:
    """Regression (scan draw 34002, a seal over the rule under 二、上年结转 in the label columns): that label
    and 三、本年度办理结果 below it were one L-shaped cell, its box over every label beside it; the row read
    '三' and its seven cells were lost. No printed cell is L-shaped: it is cut where more of a rule is drawn
    (here the stub of the lost rule, not the column's rule, absent beside the label)."""
    from extractor.sources.rules import Line, component_to_grid

    h = [Line(0, 0, 30), Line(10, 0, 2), Line(10, 10, 30), Line(20, 10, 30), Line(30, 0, 30)]
    v = [Line(0, 0, 30), Line(10, 10, 30), Line(20, 0, 30), Line(30, 0, 30)]
    grid = component_to_grid(h, v, 0.5)
    assert grid.owner[(0, 0)] == grid.owner[(0, 1)] == (0, 0, 1, 2)
    assert grid.owner[(1, 0)] == grid.owner[(2, 0)] == (1, 0, 2, 1)
    # The rule down the column drawn a little instead: the other cut.
    h[1], v[1] = Line(10, 10, 30), Line(10, 8, 30)
    grid = component_to_grid(h, v, 0.5)
    assert grid.owner[(0, 0)] == grid.owner[(1, 0)] == (0, 0, 3, 1)


def test_t4_column_word_misread_stands_midway_between_the_words_beside_it() -> None:
    """Regression (scan draw 34020, horizontal rules, a seal over 表四's header): '尚未章' for 尚未审 named no
    column, 14 words for 15 columns, and 表四 was not placed. A word or two misread stand midway between the
    words beside them when those are two columns' spacing apart; out of step, nothing is placed."""
    from extractor.map.t4_columns import _centres_in_order

    names = ["upheld", "corrected", "other", "pending", "total"] * 3
    words = [(40.0 * i, name) for i, name in enumerate(names)]
    assert _centres_in_order(words, names) == [40.0 * i for i in range(15)]
    assert _centres_in_order(words[:8] + words[9:], names) == [40.0 * i for i in range(15)]
    shifted = words[:8] + [(x + 40.0, name) for x, name in words[9:]]  # a column wider than any
    assert _centres_in_order(shifted, names) is None
    assert _centres_in_order(words[:5] + words[8:], names) is None  # three misread


def test_number_cut_in_two_tokens_at_a_letter_gap_is_joined_when_read_whole(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Regression (scan draw 32002, 300 dpi, horizontal rules): '11' was two tokens (the gap beside a narrow '1'
    is wider than the word gap tokens are joined across), two values for one column, and the row was lost.
    Digit tokens closer than a line height on a line are read again together and joined where that reads
    them as one number; values of neighbouring columns stand farther apart."""
    import extractor.sources.scan.positional as positional
    from extractor.sources.scan.ocr import Reading

    monkeypatch.setattr(positional, "read_values", lambda crops: [Reading("11", 0.99) for _ in crops])
    gray = np.full((60, 400), 255, np.uint8)
    boxes = [(100, 20, 106, 50), (122, 20, 128, 50), (250, 20, 262, 50)]
    readings = [Reading("1", 0.99), Reading("1", 0.98), Reading("7", 1.0)]
    out_boxes, out_readings = positional._digits_joined(gray, boxes, readings)
    assert out_boxes == [(100, 20, 128, 50), (250, 20, 262, 50)]
    assert [r.text for r in out_readings] == ["11", "7"] and out_readings[0].confidence == 0.98
    monkeypatch.setattr(positional, "read_values", lambda crops: [Reading("1 1", 0.99) for _ in crops])
    assert positional._digits_joined(gray, boxes, readings)[0] == boxes  # read as two: left apart


def test_title_whose_last_letters_were_not_read_still_names_agency_and_year() -> None:
    """Regression (scan draws 36012, 36033: the title read '…工作年度报' and '…工作年度'; agency not found)."""
    from extractor.detect.meta import agency_and_year

    for title in ("示例县人民政府办公室2020年政府信息公开工作年度报", "示例县人民政府办公室2020年政府信息公开工作年度",
                  "示例县人民政府办公室2020年政府信息公开工作年度报告"):
        assert agency_and_year(title + "\n一、总体情况") == ("示例县人民政府办公室", 2020)


def test_title_line_is_read_before_the_words_below_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Regression (scan draw 36019): tokens of the page's top band came left to right and the cap on how many
    are read cut the title's right half ('示例县人民政府' read, agency and year lost). Top lines first."""
    import extractor.sources.scan.title as title
    from extractor.sources.scan.ocr import Reading

    boxes = [(10 + 13 * k, 200, 20 + 13 * k, 220) for k in range(50)] + [(10, 20, 690, 40), (700, 20, 790, 40)]
    boxes.sort()  # left to right, as token_boxes gives them
    monkeypatch.setattr(title, "text_ink", lambda bgr, width: (np.zeros((1000, 800), np.uint8),) * 2)
    monkeypatch.setattr(title, "token_boxes", lambda band: list(boxes))
    monkeypatch.setattr(title, "token_crops", lambda gray, found: list(found))
    words = {(10, 20, 690, 40): "示例县人民政府", (700, 20, 790, 40): "办公室2023年政府信息公开工作年度报告"}
    monkeypatch.setattr(title, "recognise", lambda crops: [Reading(words.get(b, "字"), 0.99) for b in crops])
    lines = title.title_lines(np.zeros((1000, 800, 3), np.uint8))
    assert lines[0] == "示例县人民政府办公室2023年政府信息公开工作年度报告"


def test_zero_with_a_dash_after_it_is_a_number_not_a_label() -> None:
    """Regression (scan draw 36016, 150 dpi Kai with noise): a '0' with a speck after it read '0-', no number,
    and the row's values before it were taken into its label (three cells read blank)."""
    from extractor.sources.scan.marks import as_number_if_numeric
    from extractor.sources.scan.ocr import Reading

    assert as_number_if_numeric(Reading("0-", 0.9, (), Reading("0-", 0.9))).text == "0"
    assert as_number_if_numeric(Reading("-3", 0.9, (), Reading("-3", 0.9))).text == "-3"


def test_count_read_with_a_point_or_a_minus_may_be_read_without_it() -> None:
    """Regression (scan draw 36016): '1.1' for 11 and '-4' for 4 in count cells, specks read as a point and a
    minus; the identities failed and the document was flagged. A count has neither: its reading without them
    is a candidate for the identities; a signed cell (本年增/减) keeps its minus."""
    from extractor.model import CanonicalCell, Provenance
    from extractor.reconcile.uncertain import _candidates

    def cell(table: str, row: str, col: str, raw: str, template: str = "2021") -> CanonicalCell:
        return CanonicalCell(template, table, row, col, None, raw, Provenance(1), "ocr-lattice", 0.7)

    assert [raw for _, raw in _candidates(cell("t3", "new", "natural", "1.1"))] == ["1.1", "11"]
    assert [raw for _, raw in _candidates(cell("t4", "review", "other", "-4"))] == ["-4", "4"]
    assert [raw for _, raw in _candidates(cell("t2", "license", "change", "-1", "2019"))] == ["-1"]


def test_blank_that_vanished_does_not_take_the_readings_of_the_value_beside_it() -> None:
    """Regression (scan draw 32017, 300 dpi Song, JPEG 25, unruled): two blanks of 部分公开 that printed nothing
    were placed beside the row's last value, a '7' read '7' or '/', took its '/' as their own reading, and were
    flagged as unsure empty cells though right."""
    from extractor.map.cells import CellWriter

    writer = CellWriter("t3", "2019", [], [])
    seven = RowCell("7", 6, 7, Provenance(1, BBox(300, 0, 310, 9)), confidence=0.5, alternatives=("/",))
    writer.emit(("partial", "research"), "", seven, "ocr-text:position", 0.9, "部分公开", blank=True)
    writer.emit(("partial", "total"), "7", seven, "ocr-text:position", 0.5, "部分公开")
    assert writer.by_key[("t3", "partial", "research")].alternatives == ()
    assert writer.by_key[("t3", "partial", "total")].alternatives == ("/",)


def test_minus_read_as_a_dash_or_a_minus_is_sure() -> None:
    """Regression (mild scan draw 36016: '-1' in 本年增/减 read at 0.75 for its '-', 0.24 for '—', a 表二 cell in
    no identity flagged though right): before a number's first digit every dash is one minus. Not a dash
    that does not parse as one ('—1' stays unsure), nor a dash inside a number."""
    from extractor.sources.scan.ocr import _decode

    charset = ["", "-", "—", "1", "2"]

    def decoded(*steps: tuple[int, float, int]) -> tuple[str, float]:
        probs = np.zeros((len(steps), len(charset)), np.float32)
        for t, (k, p, runner) in enumerate(steps):
            probs[t, k], probs[t, runner] = p, 1 - p
        reading = _decode(probs, charset)
        return reading.text, reading.confidence

    assert decoded((1, 0.75, 2), (3, 1.0, 0)) == ("-1", 1.0)
    assert decoded((2, 0.6, 1), (3, 1.0, 0)) == ("—1", np.float32(0.6))
    assert decoded((3, 1.0, 0), (1, 0.75, 2), (4, 1.0, 0))[1] == np.float32(0.75)
    assert decoded((1, 0.75, 0), (3, 1.0, 0))[1] == np.float32(0.75)  # a speck or a minus: still unsure


def test_blurred_speck_far_from_a_value_is_left_out_of_its_crop() -> None:
    """Regression (mild scan draw 37038: a 9x9 speck 372 pixels right of a 12x17 '0' kept as a glyph by its
    box, the crop 413 pixels wide read '0' at 0.81, a 表二 cell in no identity flagged though right): a small
    compact blob far from every other blob of the cell is noise. A dash is not (a blank mark's '-'), nor a
    blob near the text."""
    from extractor.sources.scan.crops import cell_text

    ink = np.zeros((46, 1004), np.uint8)
    cv2.ellipse(ink, (500, 22), (5, 7), 0, 0, 360, 255, 2)  # the '0', 17 high
    cv2.line(ink, (880, 18), (888, 26), 255, 1)  # the speck, far right: 9x9, as tall as half the '0' ...
    cv2.line(ink, (880, 26), (888, 18), 255, 1)  # ... but little ink
    keep, _ = cell_text(ink, (0, 0, 1004, 46))
    assert keep[:, 870:].sum() == 0 and keep[:, 490:512].sum() > 0
    cv2.rectangle(ink, (520, 18), (529, 27), 255, -1)  # a blob beside the '0' stays
    keep, _ = cell_text(ink, (0, 0, 1004, 46))
    assert keep[:, 515:535].sum() > 0
    dash = np.zeros((46, 1004), np.uint8)
    cv2.rectangle(dash, (100, 21), (114, 23), 255, -1)  # a '-' blank mark...
    cv2.rectangle(dash, (700, 14), (712, 30), 255, -1)  # ... beside a larger speck far away
    keep, _ = cell_text(dash, (0, 0, 1004, 46))
    assert keep[:, 95:120].sum() > 0


def test_misread_header_words_of_an_unruled_table_placed_by_order_and_spacing() -> None:
    """Regression (mild scan draw 38006: '自然大' and '注会公益组织' read for 自然人 and 社会公益组织 over an
    unruled 表三 whose zeros are blank: no value of the table placed, 91 cells lost): a column whose word was
    misread is under the word that names nothing standing where the others' order and spacing put it, at
    an end too. Not when no such word stands there, nor when the words read are out of order."""
    from extractor.map.columns import by_position
    from extractor.map.header import HeaderMap
    from extractor.model import BBox, Provenance, RowCell

    names = ["natural", "commercial", "research", "social", "legal", "other", "total"]
    expected = [("new", name) for name in names]
    xs = [341.0, 363.5, 385.5, 407.5, 430.5, 453.0, 474.5]
    read = {"commercial", "research", "legal", "other", "total"}
    anchors = [(x - 8, x + 8, name) for x, name in zip(xs, names, strict=True) if name in read]
    unread = [(333.0, 377.0), (xs[0] - 8, xs[0] + 8), (xs[3] - 8, xs[3] + 8)]  # 申请人情况 spans two columns

    def cell(text: str, x: float) -> RowCell:
        return RowCell(text, 0, 1, Provenance(page=1, bbox=BBox(x - 4, 0, x + 4, 8)))

    values = [cell("41", 340.5), cell("11", 363.0), cell("52", 475.0)]
    header = HeaderMap(anchors=anchors, unread=unread)
    assert by_position(values, header, expected) == [("new", "natural"), ("new", "commercial"), ("new", "total")]
    assert by_position(values, HeaderMap(anchors=anchors, unread=unread[:1]), expected) is None
    swapped = [(a, b, {"legal": "other", "other": "legal"}.get(n, n)) for a, b, n in anchors]
    assert by_position(values, HeaderMap(anchors=swapped, unread=unread), expected) is None


def test_decimal_point_read_as_a_colon_is_the_point_unsurely() -> None:
    """Regression (fresh scan draw 38015: '102.25万元' read '102:25万', no value, and the row 政府集中采购 of an
    unruled 表二 lost): a colon before the last one or two digits of an amount is its point, read unsurely."""
    from extractor.sources.scan.marks import as_number_if_numeric
    from extractor.sources.scan.ocr import Reading

    read = as_number_if_numeric(Reading("102:25万", 0.89))
    assert read.text == "102.25万" and read.confidence <= 0.5
    assert as_number_if_numeric(Reading("12:345", 0.95)).text == "12:345"


def test_unit_read_beside_a_character_that_is_no_unit_is_sure() -> None:
    """Regression (fresh scan draw 38023: '344.69万元' at 0.76 for 万, 0.24 for 方, a 表二 amount in no
    identity flagged though right): after a number, only the units and none compete for a unit's place. Two
    units competing stay unsure (万元 or 元 is a factor of 10,000)."""
    from extractor.sources.scan.ocr import _decode

    charset = ["", "3", ".", "6", "万", "方", "元", "亿"]

    def decoded(unit: int, runner: int, p: float) -> float:
        steps = [(1, 1.0, 0), (2, 1.0, 0), (3, 1.0, 0), (unit, p, runner), (6, 1.0, 0)]  # '3.6?元'
        probs = np.zeros((len(steps), len(charset)), np.float32)
        for t, (k, q, other) in enumerate(steps):
            probs[t, k], probs[t, other] = q, 1 - q
        return _decode(probs, charset).confidence

    assert decoded(4, 5, 0.76) > 0.99
    assert decoded(4, 7, 0.6) < 0.9
    assert decoded(4, 0, 0.6) < 0.9  # a unit or none


def test_unruled_row_whose_group_label_ran_into_its_leaf_and_a_value_read_with_specks() -> None:
    """Regression (fresh scan draw 38010, unruled 2021 表三: '(六)其1.申请人无正当理由逾期' one token, the group's
    column too narrow for a word gap, and a '0' read '0…' among the values; the row's values were taken for
    its label and the row lost): a group label and its leaf in one word are taken apart at the leaf's
    numbering when the word names no row, and a recognised token with a digit between two values is a value
    misread. A token with a digit beside a label stays the label's ('1' '属于国家秘密')."""
    from extractor.layout.labels import names_row, split_row
    from extractor.model import LogicalRow, Table

    assert names_row("t3", "2021", ["(六)其1.申请人无正当理由逾期"], "ignored.confirm") == "other.no_correction"
    assert names_row("t3", "2021", ["第二十条第(一)项"], None) is None

    def row(*texts: str) -> LogicalRow:
        cells = tuple(RowCell(t, k, k + 1, Provenance(page=1, bbox=BBox(10.0 * k, 0, 10.0 * k + 8, 8)))
                      for k, t in enumerate(texts))
        return LogicalRow(cells, 0, Table((), 1, len(texts), "ocr-text"), Layout.POSITIONAL)

    labels, values = split_row(row("(六)其1.申请人无正当理由逾期", "0", "0", "0…", "0", "0"))
    assert [c.text for c in labels] == ["(六)其1.申请人无正当理由逾期"] and len(values) == 5
    labels, values = split_row(row("(三)不予公开", "1", "属于国家秘密", "9", "3"))
    assert [c.text for c in labels] == ["(三)不予公开", "1", "属于国家秘密"]
    labels, values = split_row(row("1", "9", "3"))
    assert [c.text for c in labels] == []


def test_repeated_header_line_whose_column_word_was_read_in_pieces_is_no_row_of_its_total() -> None:
    """Regression (scan draw 39023, a 表三 continued with its header repeated): the line '自 | 然人 | 法人 |
    或其他组织 | 总计' held no header-only word in one piece, so its 总计 named a blank （七）总计 row above the
    data and the real total row became a duplicate: seven cells read blank."""
    from extractor.layout import build_table
    from extractor.model import LogicalRow, Table

    def line(index: int, texts: list[tuple[str, float]]) -> LogicalRow:
        cells = tuple(RowCell(text, k, k + 1, Provenance(1, BBox(x, 10.0 * index, x + 20, 10.0 * index + 8)))
                      for k, (text, x) in enumerate(texts))
        return LogicalRow(cells, index, Table((), 2, 1, "ocr-text"), Layout.POSITIONAL)

    rows = [line(0, [("自", 240.0), ("然人", 260.0), ("法人", 300.0), ("或其他组织", 330.0), ("总计", 500.0)]),
            line(1, [("商业企业", 300.0), ("小计", 460.0)]),
            line(2, [("3.其他", 40.0), ("1", 240.0), ("2", 300.0), ("3", 460.0), ("4", 500.0)])]
    table = build_table("t3", "2021", [rows])
    assert [r.path for r in table.rows if any("总计" in part for part in r.path)] == []
    assert [r.path[-1] for r in table.rows if r.kind is RowKind.DATA] == ["3.其他"]


def test_lone_character_between_two_values_of_an_unruled_row_is_a_value_misread() -> None:
    """Regression (fresh scan draw 39036, 表四 with horizontal rules only: a '4' under a seal read '壬'): the
    character was taken for the end of the row's label, 表四's fifteen values became fourteen and seven cells
    went to the wrong columns (flagged). A lone character between two values is a value misread; a word
    there, or a character before the label's words, is not."""
    from extractor.layout.labels import split_row
    from extractor.model import LogicalRow, Table

    def row(*texts: str) -> LogicalRow:
        cells = tuple(RowCell(t, k, k + 1, Provenance(page=1, bbox=BBox(10.0 * k, 0, 10.0 * k + 8, 8)))
                      for k, t in enumerate(texts))
        return LogicalRow(cells, 0, Table((), 1, len(texts), "ocr-text"), Layout.POSITIONAL)

    labels, values = split_row(row("3", "0", "—", "0", "3", "2", "0", "壬", "6", "—", "4", "0", "4"))
    assert labels == [] and [c.text for c in values][7] == "壬"
    labels, values = split_row(row("三", "不", "1.属于国家秘密", "0", "8"))
    assert [c.text for c in labels] == ["三", "不", "1.属于国家秘密"]
    labels, values = split_row(row("0", "其他情形", "0", "8"))
    assert [c.text for c in labels] == ["0", "其他情形"]


def test_two_tokens_of_an_unruled_row_in_one_column_keep_the_rest_of_the_row() -> None:
    """Regression (fresh scan draw 39025, unruled 表三 with blanks for zeros, a seal's remains read '4' beside
    a '51'): two tokens under one header word made the row misaligned and its seven cells were lost. The
    token nearer the column's centre is its value, unsurely, the other its rival reading (the identities may
    choose); the rest of the row is placed. A born-digital row is never placed so."""
    from dataclasses import replace as swap

    from extractor.map.columns import expected_targets, place_contested
    from extractor.map.header import HeaderMap, header_codes
    from extractor.model import LabeledRow, LabelSource, RowKind

    words = (("自然人", 172.0, 202.0), ("商业企业", 226.0, 261.0), ("科研机构", 280.0, 315.0),
             ("社会公益组织", 337.0, 381.0), ("法律服务机构", 387.0, 436.0), ("其他", 446.0, 463.0),
             ("总计", 501.0, 518.0))
    header = Header(((0, ("自然人",)),), tuple((x0, x1, w) for w, x0, x1 in words), (0,), -1, ())
    codes: HeaderMap = header_codes("t3", "2021", header, frozenset())
    values = tuple(RowCell(t, k, k + 1, Provenance(1, BBox(x - 6, 100, x + 6, 110)))
                   for k, (t, x) in enumerate([("51", 188.0), ("51", 246.0), ("4", 261.0), ("24", 358.0),
                                               ("34", 455.0), ("160", 510.0)]))
    row = LabeledRow(("本年新收政府信息公开申请数量",), values, RowKind.DATA, LabelSource.OWN, Layout.POSITIONAL,
                     "ocr-text", (0,), (1,), header)
    expected = expected_targets("t3", "2021", "new")
    placed = place_contested(row, codes, expected)
    assert placed is not None
    targets, rivals = placed
    assert targets == [("new", "natural"), ("new", "commercial"), None, ("new", "social"), ("new", "other"),
                       ("new", "total")]
    assert rivals == {1: [2]}
    assert place_contested(swap(row, method="pdf-words"), codes, expected) is None


def test_bar_read_as_one_unsurely_but_surely_among_digits_is_the_dash() -> None:
    """Regression (fresh scan draw 40034, 200 dpi, blurred, JPEG 25: blank cells' '—' read '1' at 0.64 and,
    among digits alone, at 0.98; the bar's shape was not looked at, two cells silently wrong): the shape is
    looked at whenever the free reading is unsure of the digit."""
    from extractor.sources.scan.marks import _shaped
    from extractor.sources.scan.ocr import Reading

    crop = np.full((24, 44), 250, np.uint8)
    crop[11:14, 12:32] = 60
    read = _shaped(crop, Reading("1", 0.64, (), Reading("1", 0.98)))
    assert read.text == "—" and read.confidence < 0.9
    sure = _shaped(crop, Reading("1", 0.99, (), Reading("1", 0.99)))
    assert sure.text == "1"


def test_text_lying_on_a_red_stamp_is_looked_at_again() -> None:
    """Regression (fresh scan draw 40021, a '0' its ring crossed: the cleaning cut it to '()', read '1'
    surely; the thin arcs it took were too thin to count as print lost): a value whose ink lies on a red
    stamp's is sealed, for a second look; one beside the stamp is not."""
    from extractor.sources.scan.hidden import sealed

    text = np.zeros((30, 60), np.uint8)
    text[8:22, 25:28] = 255
    red = np.zeros_like(text)
    nothing = np.zeros_like(text)
    red[:, 20:30] = 255
    assert sealed(red, nothing, text, red=red)
    red[:] = 0
    red[:, 40:50] = 255
    assert not sealed(red, nothing, text, red=red)


def test_zero_read_with_specks_as_quotes_is_the_zero() -> None:
    """Regression (fresh scan draw 40022, 150 dpi, JPEG 25, noise: a '0' with dust beside it read '"o' at 0.42,
    dropped as no text; its unruled row's cell read blank surely, silently wrong): quotes are specks, the
    reading among digits stands."""
    from extractor.sources.scan.marks import as_number_if_numeric
    from extractor.sources.scan.ocr import Reading

    assert as_number_if_numeric(Reading('"o', 0.42, (), Reading("0", 0.97))).text == "0"
    # Quotes alone are specks in a blank cell, whatever digit they resemble most (draw 39006: '4' at 0.21).
    assert as_number_if_numeric(Reading('"', 0.53, (), Reading("4", 0.21))).text == '"'


def test_red_stamp_seen_through_keeps_light_print_on_it() -> None:
    """Regression (fresh scan draws 40021, 40002: a cell whose text lies on a red stamp is looked at again on
    the page with the stamp in; in grey its ring was a dark stroke, and a '0' it crossed read '1' there
    surely; a stamp's outlines 'lost' across the cell widened the crop): the second look sees the stamp
    through its red channel, print on it as light as it is, and a dash is the same text as '一'."""
    from extractor.sources.scan.crops import read_alike
    from extractor.sources.scan.ocr import Reading
    from extractor.sources.scan.seal import remove_red

    page = np.full((40, 80, 3), 250, np.uint8)
    page[:, 30:50] = (40, 40, 220)  # the ring
    page[10:30, 38:41] = (17, 17, 147)  # a light stroke printed on it (multiplied)
    assert remove_red(page)[20, 39] == 255  # cleaned: taken with the stamp
    seen = remove_red(page, cut=False)
    assert 150 < seen[20, 39] < 200 and seen[20, 33] >= 250
    assert read_alike(Reading("—", 0.95), Reading("一", 0.95))
    assert not read_alike(Reading("1", 0.95), Reading("0", 0.99))


def test_values_of_two_rows_with_the_rules_residue_between_them_are_split_by_the_rows() -> None:
    """Regression (fresh scan draw 40030, a seal over the rule between 3.其他 and （七）总计: the cell read
    '0\\n一\\n0', the rule's residue a line of its own across the rows' border, so the cell was not split and the
    total row was lost): a thin line across the lost rule's place is no text."""
    from extractor.sources.scan.crops import split_by_rows

    ys, xs = [0.0, 40.0, 80.0], [0.0, 120.0]
    ink = np.zeros((80, 120), np.uint8)
    cv2.ellipse(ink, (60, 20), (6, 9), 0, 0, 360, 255, 2)  # row 0's '0'
    cv2.ellipse(ink, (60, 60), (6, 9), 0, 0, 360, 255, 2)  # row 1's '0'
    ink[38:42, 52:68] = 255  # what is left of the rule between them
    assert split_by_rows((0, 0, 2, 1), ys, ink, xs) == [(0, 0, 1, 1), (1, 0, 1, 1)]


def test_header_word_of_two_narrow_columns_read_as_one_names_both() -> None:
    """Regression (fresh scan draw 39000, 150 dpi, 表三 in an outer box: '科研机门社会公m组织' one word over
    科研机构 and 社会公益组织, the gap between them lost; only 科研机构 named, so no value of the table was
    placed: 119 cells lost): a word reading like its column's name and its unnamed neighbour's run together
    names both, split where their letters meet. A word naming one column stays whole."""
    from extractor.map.header import header_codes

    words = (("自然人", 275.0, 301.0), ("商业企业", 314.0, 350.0), ("科研机门社会公m组织", 354.0, 431.0),
             ("法律服务机：", 435.0, 470.0), ("其他", 475.0, 493.0), ("总计", 515.0, 533.0))
    header = Header((), tuple((x0, x1, w) for w, x0, x1 in words), (0,), -1, ())
    anchors = header_codes("t3", "2021", header).anchors
    assert [a[2] for a in sorted(anchors)] == ["natural", "commercial", "research", "social", "legal", "other",
                                               "total"]
    research = next(a for a in anchors if a[2] == "research")
    assert research[0] == 354.0 and 380.0 < research[1] < 390.0
    whole = (("科研机构", 354.0, 390.0), ("社会公益组织", 395.0, 431.0))
    two = header_codes("t3", "2021", Header((), tuple((x0, x1, w) for w, x0, x1 in whole), (0,), -1, ()))
    assert sorted(two.anchors) == [(354.0, 390.0, "research"), (395.0, 431.0, "social")]


def test_blank_row_whose_leaf_was_read_in_two_words_is_a_row() -> None:
    """Regression (fresh scan draw 39000, unruled 表三 printing blanks for zeros: '3.危及“三安全' '稳定”' one
    label in two words, its last word taken for the leaf; the blank row named nothing and was lost with no
    note): the leaf is the numbered word and what follows it."""
    from extractor.layout.labels import names_row

    assert names_row("t3", "2021", ["3.危及“三安全", "稳定”"], "denied.prohibited", leaf_only=True) == "denied.safety"
    assert names_row("t3", "2021", ["(三)不予", "公开", "3.危及“三安全", "稳定”"], None, leaf_only=True) \
        == "denied.safety"


def test_dash_beside_a_red_stamp_on_an_unruled_page_is_unsure() -> None:
    """Regression (scan draw 37026, unruled, a '0' on a red seal's ring: the cleaning left its top, a bar read
    '—' surely, and I3 took it: '—' for '0', silently wrong but for other flags): a blank mark whose bar a
    seal touched, or came within two bar heights of, is unsure; one far from it stays sure."""
    from extractor.sources.scan.ocr import Reading
    from extractor.sources.scan.positional import sealed_marks

    touched = np.zeros((100, 200), np.uint8)
    touched[60:70, 100:140] = 255  # the ring, just below the bar
    dash = Reading("—", 0.95, ())
    near, far = sealed_marks([(105, 50, 120, 55), (20, 50, 35, 55)], [dash, dash], touched)
    assert near.confidence < 0.9 and far.confidence == 0.95


def test_rest_of_the_header_note_with_two_misread_words_is_a_header_line() -> None:
    """Regression (fresh scan draw 41008, 200 dpi, blurred, JPEG 25: the line '三项加第四项之和)' with two column
    words misread '—' and '7' was taken for a data row whose label ran on over the column words below; every
    row of the page's 表三 lost its columns, 120 cells): the rest of the note is header-only, and a header-only
    line with a digit or two beside it is a header line."""
    from extractor.layout import build_table
    from extractor.model import LogicalRow, Table

    def line(index: int, texts: list[tuple[str, float]]) -> LogicalRow:
        cells = tuple(RowCell(text, k, k + 1, Provenance(1, BBox(x, 10.0 * index, x + 20, 10.0 * index + 8)))
                      for k, (text, x) in enumerate(texts))
        return LogicalRow(cells, index, Table((), 2, 1, "ocr-text"), Layout.POSITIONAL)

    note = "(本列数据的勾稽关系为：第一项加第二项之和,等于第"
    rows = [line(0, [(note, 40.0), ("申请人情况", 300.0), ("总计", 500.0)]),
            line(1, [("三项加第四项之和)", 40.0), ("—", 420.0), ("7", 450.0)]),
            line(2, [("自然人", 280.0), ("商业企业", 320.0), ("其他", 450.0)]),
            line(3, [("本年新收政府信息公开申请数量", 40.0), ("1", 285.0), ("2", 325.0), ("3", 455.0), ("6", 505.0)])]
    table = build_table("t3", "2021", [rows])
    data = [r for r in table.rows if r.kind is RowKind.DATA]
    assert [r.path[-1] for r in data] == ["本年新收政府信息公开申请数量"]
    assert data[0].header is not None and any("自然人" in w for _, _, w in data[0].header.words)


def test_table_in_a_box_with_few_short_tokens_is_read() -> None:
    """Regression (fresh scan draw 41018: 表四 alone on a landscape page in an outer box, its blanks printing
    nothing: seven digits and three '总计' were too few short tokens, the box was taken for prose and 表四 lost):
    in a box, half as many tokens and words of up to five glyphs count. Prose outside a box is still prose."""
    from extractor.sources.scan.tokens import looks_tabular

    glyph = 20
    words = [(100 * k, 0, 100 * k + 4 * glyph, glyph) for k in range(15)]  # 结果维持 and the like
    digits = [(100 * k, 40, 100 * k + glyph // 2, 40 + glyph) for k in range(4)]
    prose = [(0, 80 + 30 * k, 40 * glyph, 80 + 30 * k + glyph) for k in range(6)]
    assert looks_tabular(words + digits + prose, boxed=True)
    assert not looks_tabular(words + digits + prose)
    assert not looks_tabular(prose, boxed=True)


def test_count_read_negative_is_unsure_when_recognised_and_an_error_when_printed() -> None:
    """Regression (fresh scan draw 41019, dashed rules at 150 dpi: a piece of the rule before '52' read as a
    minus, '-52' kept sure in 表二's 本年制发件数, and '-1' in 表四): no count is negative. A recognised one is
    unsure (the identities may read it without the minus); one a text source prints is an error."""
    from extractor.map.cells import CellWriter
    from extractor.model import CanonicalCell, Finding

    cells: list[CanonicalCell] = []
    findings: list[Finding] = []
    writer = CellWriter("t2", "2021", cells, findings)
    cell = RowCell("-52", 1, 2, Provenance(1, BBox(0, 0, 10, 10)), confidence=0.99)
    writer.emit(("rules", "issued"), "-52", cell, "ocr-lattice:header", 1.0, "规章")
    assert cells[-1].confidence <= 0.5 and not findings
    writer.emit(("normative", "issued"), "-52", cell, "pdf-lattice:header", 1.0, "行政规范性文件")
    assert [f.check for f in findings] == ["negative_count"]
    signed = CellWriter("t2", "2019", cells, findings)
    signed.emit(("license", "change"), "-3", cell, "ocr-lattice:header", 1.0, "行政许可")
    assert cells[-1].confidence == 0.99  # 2019's 本年增/减 may be negative


def test_one_misread_header_word_of_a_two_column_table_is_its_column() -> None:
    """Regression (fresh scan draw 41021, 表二 (八) of 2019 with horizontal rules: '上' | '年项目数量' | '本三减'
    for 上一年项目数量 and 本年增/减, neither named, the row's '-3' lost): '年项目' names 上一年项目数量, and with too
    few words for a spacing the one word that names nothing past it is 本年增/减's. Several such words (a
    label's, before the first column) name nothing."""
    from extractor.map.columns import by_position, expected_targets
    from extractor.map.header import header_codes

    words = (("第二十条第信息内容", 44.0, 89.0), ("(八)", 94.0, 111.0), ("项", 116.0, 125.0), ("上", 194.0, 203.0),
             ("年项目数量", 213.0, 256.0), ("本三减", 315.0, 355.0))
    header = Header((), tuple((x0, x1, w) for w, x0, x1 in words), (0,), -1, ())
    codes = header_codes("t2", "2019", header)
    value = RowCell("-3", 1, 2, Provenance(1, BBox(326.0, 0, 340.0, 8)))
    assert by_position([value], codes, expected_targets("t2", "2019", "fees")) == [("fees", "change")]
    first = (("第二十条第信息内容", 44.0, 89.0), ("上工年三数量", 194.0, 256.0), ("本年增/减", 315.0, 355.0))
    codes = header_codes("t2", "2019", Header((), tuple((x0, x1, w) for w, x0, x1 in first), (0,), -1, ()))
    early = RowCell("4", 1, 2, Provenance(1, BBox(220.0, 0, 228.0, 8)))
    assert by_position([early], codes, expected_targets("t2", "2019", "fees")) is None


def test_blank_mark_between_a_double_rules_inner_lines_read_as_a_box_character_is_the_mark() -> None:
    """Regression (scan draw 39030, double rules at 150 dpi, blanks printed '-': the dash between the rules'
    inner lines read '日', unreadable, its document flagged): a cell read as a 0-like box character whose
    reading among digits is a blank mark, or nothing, is that, unsurely; a digit there is still the digit."""
    from extractor.sources.scan.marks import zero_for_lookalike
    from extractor.sources.scan.ocr import Reading

    mark = zero_for_lookalike(Reading("日", 0.29, (), Reading("-", 0.40)))
    assert mark.text == "-" and mark.confidence <= 0.29
    assert zero_for_lookalike(Reading("日", 0.38, (), Reading("", 0.0))).text == ""
    assert zero_for_lookalike(Reading("日", 0.5, (), Reading("0", 0.9))).text == "0"
    assert zero_for_lookalike(Reading("日", 0.5, (), Reading("12", 0.9))).text == "日"


def test_numbered_label_naming_a_column_is_a_row_under_a_repeated_header() -> None:
    """Regression (scan draw 41018 after the browser-draw work: '3.其他' alone on its line, a blank row, after
    表三's header repeated on a new page, was taken for the header's 其他 column word and the row lost): a
    column's word is a header line only without list numbering."""
    from extractor.layout import build_table
    from extractor.model import LogicalRow, Table

    def line(index: int, texts: list[tuple[str, float]]) -> LogicalRow:
        cells = tuple(RowCell(text, k, k + 1, Provenance(1, BBox(x, 10.0 * index, x + 20, 10.0 * index + 8)))
                      for k, (text, x) in enumerate(texts))
        return LogicalRow(cells, index, Table((), 2, 1, "ocr-text"), Layout.POSITIONAL)

    rows = [line(0, [("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 40.0), ("1", 285.0),
                     ("1", 505.0)]),
            line(1, [("(本列数据的勾稽关系为：第一项加第二项之和,等于第三项加第四项之和)", 40.0),
                     ("申请人情况", 300.0)]),
            line(2, [("自然人", 280.0), ("商业企业", 320.0), ("其他", 450.0), ("总计", 500.0)]),
            line(3, [("3.其他", 40.0)]),
            line(4, [("(七)总计", 40.0), ("1", 285.0), ("1", 505.0)])]
    table = build_table("t3", "2021", [rows])
    assert [r.path[-1] for r in table.rows if r.kind is RowKind.BLANK] == ["3.其他"]
