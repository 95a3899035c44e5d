"""Regressions of scan draw 32000-32039 (mild looks, never debugged on before: 97.11%), each on the piece of the
pipeline that failed, with the inputs it saw: fast, no page is drawn or recognised."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.model import BBox, Cell, Char, Header, Layout, LogicalRow, Provenance, RowCell, Table

TOP = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",)
APPLICANTS = ["natural", "commercial", "research", "social", "legal", "other", "total"]


def _header(words: list[str]) -> Header:
    return Header(tuple((c, TOP) for c in range(3)) + tuple((3 + i, tuple(w.split("/"))) for i, w in enumerate(words)))


def test_subtotal_read_and_one_column_misread_still_names_every_column() -> None:
    """Regression (draw 32019, thick rules, a grey seal over 表三's header at 150 dpi: 116/200): 法律服务机构
    was read '法律务构', unnamed, yet with 小计 read the header had seven names, as many as the template has
    columns, and the order was not looked at: '8 value cells for 7 columns' on most rows. Names are counted by
    what they name."""
    from extractor.map.header import header_codes

    header = _header(["申人情况/自然\n人", "申人情况/法人或其他组织/商业\n企业", "申人情况/法人或其他组织/科研\n机构",
                      "申人情况/法人或其他组织/会\n公益\n组织", "申人情况/法人或其他组织/法律\n务\n构",
                      "申人情况/法人或其他组织/其他", "申人情况/法人或其他组织/小计", "申人情况/总计"])
    codes = header_codes("t3", "2021", header).by_col
    assert [codes.get(c) for c in range(3, 11)] == [*APPLICANTS[:6], "subtotal", "total"]


def test_subtotal_is_never_named_by_count_and_a_header_split_no_row_has_is_one_column() -> None:
    """Regression (draw 32014, double rules, JPEG 25, a grey seal over 表三's header: 159/200 after its rule was
    found): the seal's strokes cut the header cell of 其他 in three; by the count of columns the template's order
    with a 小计 fitted, the third piece was named 小计 though no 小计 was read, and the 其他 values under it were
    read past. A 小计 is named only where one was read; header columns that no cell of the rows below starts at
    are one column with the one before."""
    from extractor.map.header import header_codes

    header = _header(["申请人情况/自然人", "申请人情况/法人或其/商业\n企业", "申请人情况/他绍",
                      "申请人情况/他绍/社会公\n益组织", "申请人情况/他绍", "申请人情况/他绍/7", "申请人情况/他绍/7",
                      "申请人情况/1/7", "申请人情况/总计"])
    alone = header_codes("t3", "2021", header).by_col
    assert "subtotal" not in alone.values() and 10 not in alone
    rows_start = frozenset({0, 1, 2, 3, 4, 5, 6, 7, 8, 11})
    codes = header_codes("t3", "2021", header, rows_start).by_col
    assert [codes.get(c) for c in range(3, 12)] == [*APPLICANTS[:6], "other", "other", "total"]


def test_header_words_one_blob_read_with_a_space_are_apart() -> None:
    """Regression (draw 32008, no rules, 150 dpi: 123/200): '法律服' and '其他', close over two narrow columns,
    were one blob of ink read '法律服 其他'; joined with '务机构' below, neither 法律服务机构 nor 其他 named a
    column, and no value of 表三 was placed. Chinese words a space apart in one token are words at their own
    places; a space in a number is no word gap."""
    from extractor.layout.header import stacked_words
    from extractor.sources.scan.positional import spaced_words

    def cell(text: str, x0: float, x1: float, y: float) -> Cell:
        return Cell(0, 0, text, provenance=Provenance(1, BBox(x0, y, x1, y + 9)))

    top = cell("法律服 其他", 460.0, 509.0, 100.0)
    words = spaced_words(top)
    assert [w[0] for w in words] == ["法律服", "其他"]
    assert words[0][2] < 490 < words[1][1] and words[1][2] == 509.0
    assert spaced_words(cell("82 108", 460.0, 490.0, 100.0)) == ()
    assert spaced_words(cell("法律服务机构", 460.0, 514.0, 100.0)) == ()

    rows = [_positioned_row([(top.text, 460.0, 509.0, words)], 0), _positioned_row([("务机构", 460.0, 487.0, ())], 1)]
    assert [w[2] for w in stacked_words(rows)] == ["法律服务机构", "其他"]


def _positioned_row(tokens: list[tuple[str, float, float, tuple[tuple[str, float, float], ...]]], index: int,
                    method: str = "ocr-text") -> LogicalRow:
    table = Table((), 2, 1, method)
    cells = tuple(RowCell(text, k, k + 1, Provenance(1, BBox(x0, 100.0 + 12 * index, x1, 109.0 + 12 * index)),
                          words=words) for k, (text, x0, x1, words) in enumerate(tokens))
    return LogicalRow(cells, index, table, Layout.POSITIONAL)


def test_header_words_of_two_columns_read_as_one_token_are_apart() -> None:
    """Regression (draw 32002, a web page of 300 dpi pictures, 表四 ruled across only: 表四 lost): '结果纠' and
    '其他结' of two narrow columns were one token '结果纠其他结', and their ends '正' '果' one token below; 14
    header words for 15 columns, and no value of 表四 was placed. A token made of pieces of header words in one
    way only is those words; the letters under them go each to the word above it."""
    from extractor.layout.header import stacked_words
    from extractor.lexicon import split_column_words

    assert split_column_words("结果纠其他结") == ["结果纠", "其他结"]
    assert split_column_words("结果纠正") is None and split_column_words("法人或其他组织") is None
    assert split_column_words("四政府信息公开") is None
    rows = [_positioned_row([("结果维", 880.0, 1016.0, ()), ("结果纠其他结", 1034.0, 1300.0, ()),
                             ("尚未审", 1324.0, 1441.0, ())], 0),
            _positioned_row([("持", 880.0, 925.0, ()), ("正果", 1034.0, 1225.0, ()), ("结", 1324.0, 1369.0, ())], 1)]
    assert [w[2] for w in stacked_words(rows)] == ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    # Crawler text glues every header word by design, at character offsets: never cut (corpus text_glued_2021,
    # 18/200 with the cut: a glued digit run was placed under 自然人 alone).
    glued = [_positioned_row([("自然人法人或其他组织总计", 0.0, 24.0, ())], 0, "text-glued")]
    assert [w[2] for w in stacked_words(glued)] == ["自然人法人或其他组织总计"]


def test_a_yuan_misread_after_wan_is_the_unit_of_the_amount() -> None:
    """Regression (draw 32002, JPEG 25): '333.71万' '兀' — the 元 read '兀' — was no unit, the line did not end
    in a value and 政府集中采购 was lost; read as 元 at the recogniser's 0.68, the amount was unsure. After 万
    only 元 stands: the unit is 元 and the number's reading is the value's."""
    from extractor.sources.scan.ocr import Reading
    from extractor.sources.scan.tokens import _units_joined

    line = [Char("政府集中采购", 10, 100, 76, 110), Char("2", 150, 100, 156, 110), Char("333.71万", 250, 100, 290, 110),
            Char("兀", 292, 100, 300, 110)]
    readings = {id(ch): Reading(ch.text, 0.99) for ch in line}
    readings[id(line[-1])] = Reading("兀", 0.68)
    joined = _units_joined(line, readings)
    assert [ch.text for ch in joined] == ["政府集中采购", "2", "333.71万元"]
    assert readings[id(joined[-1])].confidence == 0.99
    alone = [Char("本年", 10, 100, 50, 110), Char("兀", 52, 100, 60, 110)]
    assert [ch.text for ch in _units_joined(alone, {id(ch): Reading(ch.text, 0.9) for ch in alone})] == ["本年", "兀"]


def test_numbering_that_lost_its_point_is_numbering() -> None:
    """Regression (draw 32008): '3.其他' read '3其他' mapped to no row (its seven cells lost). A digit right
    before a Chinese word at a label's start is its numbering."""
    from extractor.normalize import strip_enum

    assert strip_enum("3其他") == "其他"
    assert strip_enum("3.其他") == "其他" and strip_enum("2019年") == "2019年"
    # Draw 35035: the point read as a colon; the row's words matched through its group's path ('二、上年结转…'
    # inherited above it) and its seven cells went to 上年结转, found twice.
    assert strip_enum("2:其他法律行政止公开") == "其他法律行政止公开" and strip_enum("12:30") == "12:30"


def test_blank_that_vanished_is_not_as_unsure_as_the_value_beside_it() -> None:
    """Regression (draw 32008): the blanks of an unruled row, placed beside its last value, took that value's
    0.54 and five blank cells were flagged. A vanished blank's certainty is the placement's."""
    from extractor.map.cells import CellWriter

    writer = CellWriter("t3", "2021", [], [])
    unsure = RowCell("2", 9, 10, Provenance(2, BBox(535, 75, 541, 82)), confidence=0.54)
    writer.emit(("other.no_correction", "natural"), "", unsure, "ocr-text:position", 0.9, "1.申请人…", blank=True)
    writer.emit(("other.no_correction", "total"), "2", unsure, "ocr-text:position", 0.9, "1.申请人…")
    assert [round(c.confidence, 2) for c in writer.cells] == [0.9, 0.54]


def test_rule_a_seal_ring_touches_is_still_a_rule() -> None:
    """Regression (draw 32014, double rules at 200 dpi, JPEG 25, a grey seal): the ring's lower arc touched the
    rule above 表三's first row and made one blob with it, too thick for a rule: the rule was lost, the header
    and the first row read as one row of cells ('—' for the header's label). The band of pixel lines around the
    fullest one is the rule, when it is as thin and as long as one."""
    from extractor.sources.scan.clean import rule_segments
    from extractor.sources.scan.masks import line_masks

    ink = np.zeros((200, 1000), np.uint8)
    ink[120:124, 50:950] = 255  # the rule
    cv2.ellipse(ink, (500, 60), (130, 64), 0, 0, 180, 255, 8)  # the ring's lower arc, down onto the rule
    h_mask, _ = line_masks(ink, 40)
    segments, mask = rule_segments(h_mask, True, 40, 8)
    rules = [s for s in segments if s.x1 - s.x0 > 800]
    assert len(rules) == 1 and abs(rules[0].y0 - 121.5) <= 1.5, segments
    assert mask[121, 500] and not mask[100:115, 380:620].any()


def test_a_longer_phrase_holding_a_short_label_is_not_that_label() -> None:
    """Regression (draw 32030, a web page of 200 dpi pictures, unruled: 193/200): the wrapped end of 部分公开's
    label, '计这一情形 不计 其他情形', resembled 其他 (0.67) and became a blank 其他 row, whose blanks were kept
    over the real row's values (duplicate cells). A leaf longer than a short official label holding it is
    another phrase; printed numbering may still name the row."""
    from extractor.lexicon import resemble_row

    assert resemble_row("t3", "2021", ["其他情形"]) is None
    numbered = resemble_row("t3", "2021", ["（六）其他处理", "3.其他情况"])
    assert numbered is not None and numbered.code == "other.other"
    typo = resemble_row("t3", "2021", ["4.无正当理由大量反复申靖"])
    assert typo is not None and typo.code == "ignored.bulk"


def test_an_amount_in_wan_without_yuan_is_a_value() -> None:
    """Regression (draw 32003, a red seal over 政府集中采购's amount: the row lost): '436.23万', its 元 gone
    under the seal, was no value, and the row was dropped with it. A number in 万 is an amount in 万元."""
    from decimal import Decimal

    from extractor.numbers import parse_value

    parsed = parse_value("436.23万", "decimal")
    assert parsed is not None and parsed.value == Decimal("436.23") and parsed.unit == "万元"
    assert parse_value("万", "decimal") is None and parse_value("5万件", "int") is None


def test_misread_value_cells_of_a_grid_row_are_values_not_its_label() -> None:
    """Regression (draw 33022, 150 dpi, blur, a grey seal over 表三's first rows: 171/200): '26?' (262 under the
    seal) ended 表三's first row and '心' (a '—') stood among the 总计 row's values; read as label cells, the
    rows were lost. A recognised cell of a few characters with a digit, or between two values, is a value
    slot (reported unreadable); a word never is."""
    from extractor.layout.labels import split_row

    table = Table((), 1, 9, "ocr-lattice")

    def row(*texts: str) -> LogicalRow:
        return LogicalRow(tuple(RowCell(t, c, c + 1, Provenance(1)) for c, t in enumerate(texts)), 0, table,
                          Layout.GRID)

    labels, values = split_row(row("一、本年新收政府信息公开申请数量", "56", "33", "1", "47", "36", "49", "26?"))
    assert [c.text for c in labels] == ["一、本年新收政府信息公开申请数量"] and len(values) == 7
    labels, values = split_row(row("(七)总计", "57", "32", "42", "44", "心", "50", "25"))
    assert [c.text for c in values] == ["57", "32", "42", "44", "心", "50", "25"]
    labels, values = split_row(row("三、本年度办理结果", "1", "(一)予以公开", "0", "0"))
    assert [c.text for c in labels] == ["三、本年度办理结果", "1", "(一)予以公开"]
    text_row = LogicalRow(tuple(RowCell(t, c, c + 1, Provenance(1)) for c, t in enumerate(["规章", "5", "心"])),
                          0, Table((), 1, 3, "html"), Layout.GRID)
    assert [c.text for c in split_row(text_row)[1]] == []


def test_heading_whose_numeral_was_read_apart_names_its_table() -> None:
    """Regression (draw 33031, unruled, a grey seal over the end of 表四's heading: 表四 lost, its rows read
    into 表三): the heading came as '四' '政府信息公开行政复议' '行政诉', three tokens and no '、'. A numeral
    read apart and a heading's words are a heading."""
    from extractor.detect import find_regions
    from extractor.model import SourceDoc

    lines = [["三、收到和处理政府信息公开申请情况"], ["申请人情况", "自然人", "总计"],
             ["一、本年新收政府信息公开申请数量", "1", "1"], ["四", "政府信息公开行政复议", "行政诉"],
             ["行政复议", "行诉讼"], ["/", "/", "4"]]
    cells = tuple(Cell(r, c, t) for r, line in enumerate(lines) for c, t in enumerate(line))
    table = Table(cells, len(lines), 3, "ocr-text")
    regions, _ = find_regions(SourceDoc("scanned-pdf", (table,)))
    assert [(r.section, r.row_start, r.row_end) for r in regions] == [("t3", 0, 3), ("t4", 3, 6)]


def test_faint_slash_read_as_a_letter_is_the_blank_mark() -> None:
    """Regression (draw 33030, 200 dpi, noise, JPEG 25, blanks printed '/'): a faint '/' among specks was read
    'i' at 0.28, '1' its digits-only reading; dropped as a speck's reading, the blank cell was unsure (no
    identity in 表二). A lone glyph whose other reading is a '/' look-alike is told by its shape too; an
    upright stroke stays what it read."""
    from extractor.sources.scan.marks import mark_by_shape
    from extractor.sources.scan.ocr import Reading

    def crop(lean: float) -> np.ndarray:
        image = np.full((44, 30), 255, np.uint8)
        cv2.line(image, (15 - int(lean * 14), 36), (15 + int(lean * 14), 8), 90, 2)
        return image

    faint = Reading("i", 0.28, (), Reading("1", 0.67))
    read = mark_by_shape(crop(0.45), faint)
    assert read.text == "/" and read.confidence >= 0.9
    assert mark_by_shape(crop(0.0), faint).text == "i"


def test_column_cut_in_three_by_a_seal_in_the_header_alone_is_one_column() -> None:
    """Regression (fresh draw 34036, 150 dpi, noise, a grey seal over 表三's header: 118/200): the seal's
    strokes cut 自然人 ('白然人') into three header columns, one cell in the rows below. The template's order
    fitted both the header's columns and the rows' cells, two fits naming no column two ways; neither was
    taken and 表三's rows were misaligned. Fits that agree are one reading."""
    from extractor.map.header import header_codes

    header = _header(["上适入/白然人", "白然人", "祝/白然人", "祝/法人或他组织/商业企业", "祝/法人或他组织/科研机构",
                      "祝/法人或他组织/社会公益\n组织", "祝/法人或他组织/法律服务\n机构", "祝/法人或他组织/其他",
                      "祝/法人或他组织/小计", "祝/总计"])
    codes = header_codes("t3", "2021", header, frozenset({0, 3, 6, 7, 8, 9, 10, 11, 12})).by_col
    assert [codes.get(c) for c in range(3, 13)] == ["natural"] * 3 + APPLICANTS[1:6] + ["subtotal", "total"]
