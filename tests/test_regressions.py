"""One test per bug found, named after it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import extractor
from extractor.identities import t3_leaf_rows

if TYPE_CHECKING:
    from extractor.model import Header


def _text(lines: list[str]) -> bytes:
    return "\n".join(["某局2023年政府信息公开工作年度报告", *lines]).encode()


def test_group_prefix_on_glued_row_is_not_the_hybrid_other_row() -> None:
    # "（六）其他处理1.申请人…不补正…" once mapped to 2019 `other` because the leaf began with 其他处理.
    report = extractor.extract(_text([
        "三、收到和处理政府信息公开申请情况", "自然人法人或其他组织总计",
        "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请1000001",
    ]), kind="text")
    assert report.cell("t3", "other.no_correction", "natural").value == 1  # type: ignore[union-attr]
    assert report.cell("t3", "other", "natural") is None


def test_fee_header_row_is_not_a_blank_fees_row() -> None:
    # "| 信息内容 | 本年收费金额（单位：万元） | | |" was read as a blank 行政事业性收费 row, and the real
    # row then dropped as a duplicate: a silently wrong blank.
    report = extractor.extract(_text([
        "二、主动公开政府信息情况", "| 第二十条第（八）项 | | | |", "| 信息内容 | 本年收费金额（单位：万元） | | |",
        "| 行政事业性收费 | 703.67 | | |",
    ]), kind="text")
    assert str(report.cell("t2", "fees", "amount_wan").value) == "703.67"  # type: ignore[union-attr]


def test_t4_header_rows_are_not_blank_data_rows() -> None:
    report = extractor.extract(_text([
        "四、政府信息公开行政复议、行政诉讼情况", "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |",
        "| | | | | | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |",
        "| " + " | ".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3) + " |",
        "| " + " | ".join(["2", "0", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "0", "0", "2"]) + " |",
    ]), kind="text")
    assert report.cell("t4", "review", "upheld").value == 2  # type: ignore[union-attr]
    assert report.cell("t4", "suit_after_review", "total").value == 2  # type: ignore[union-attr]


def test_2019_other_leaf_is_not_counted_twice_in_i2() -> None:
    leaves = t3_leaf_rows("2019", ["other", "granted"])
    assert leaves.count("other") == 1


def test_blank_total_summands_make_i2_not_assessable() -> None:
    # Reports that fill 总计 only on summary rows once failed I2 on the 总计 column as an error.
    report = extractor.extract(__import__("conftest").CORPUS / "html_blanks" / "document.html")
    i2_total = [f for f in report.findings if f.check == "I2" and f.col == "total"]
    assert i2_total and all(f.severity == "not_assessable" for f in i2_total)
    assert report.status == "ok"


def test_next_row_label_is_not_swallowed_as_a_continuation() -> None:
    # "行政许可\t24" then "第二十条第（六）项" and a blank "行政处罚" line: the label-continuation rule once
    # glued them onto 行政许可, losing 行政处罚 and 行政强制.
    report = extractor.extract(_text([
        "二、主动公开政府信息情况", "第二十条第（五）项", "信息内容\t本年处理决定数量", "行政许可\t24",
        "第二十条第（六）项", "信息内容\t本年处理决定数量", "行政处罚", "行政强制\t3",
    ]), kind="text")
    assert report.cell("t2", "license", "decisions").value == 24  # type: ignore[union-attr]
    assert report.cell("t2", "penalty", "decisions").value is None  # type: ignore[union-attr]
    assert report.cell("t2", "coercion", "decisions").value == 3  # type: ignore[union-attr]


def test_ocr_token_confidence_reaches_the_cell() -> None:
    # Cells of unruled scans (ocr-text tables) lost their OCR confidence on the way to the mapper, so an
    # unsure digit came out as certain.
    from extractor.model import BBox, Cell, Paragraph, Provenance, SourceDoc, Table
    from extractor.pipeline import run
    from extractor.settings import Settings
    from extractor.sources import RawInput

    def token(r: int, c: int, text: str, confidence: float = 1.0) -> Cell:
        box = BBox(40.0 + 80 * c, 20.0 * r, 70.0 + 80 * c, 20.0 * r + 10)
        return Cell(r, c, text, provenance=Provenance(page=1, bbox=box), confidence=confidence,
                    alternatives=("3",) if confidence < 1 else ())

    cells = (token(0, 0, "第二十条第（一）项"), token(1, 0, "信息内容"), token(1, 1, "本年制发件数"),
             token(1, 2, "本年废止件数"), token(1, 3, "现行有效件数"), token(2, 0, "规章"), token(2, 1, "8", 0.5),
             token(2, 2, "0"), token(2, 3, "1"))
    doc = SourceDoc("scanned-pdf", (Paragraph("二、主动公开政府信息情况"), Table(cells, 3, 4, "ocr-text", (1,))))
    report = run(RawInput(b"x", "x.pdf"), "x", Settings(), "pdf", doc)
    cell = report.cell("t2", "rules", "issued")
    assert cell is not None and cell.value == 8 and cell.confidence == 0.5
    assert any(f.check == "uncertain_value" and f.row == "rules" for f in report.findings)


def _grid(index: int, page: int, edges: list[float], rows: list[list[tuple[int, int, str, int, int]]]):  # type: ignore[no-untyped-def]
    """A ruled grid: rows of (row, col, text, rowspan, colspan); each cell's box from the column edges."""
    from extractor.model import BBox, Cell, Provenance, Table

    cells = [Cell(r, c, text, rs, cs, Provenance(page=page, bbox=BBox(edges[c], 100 + 20 * r, edges[c + cs],
                                                                         100 + 20 * (r + rs))))
             for row in rows for r, c, text, rs, cs in row]
    return Table(tuple(cells), max(r + rs for row in rows for r, _, _, rs, _ in row), len(edges) - 1,
                 "ocr-lattice", (page,), index)


def test_continued_grid_with_one_label_column_fewer_keeps_its_values_under_their_header() -> None:
    """Regression (scan draw 17000, dashed rules, 小计 column, 表三 continued on page 2 without its header:
    140/200): page 1's grid had a sliver column left of the values (an offset rule), page 2's had not, so
    every value of page 2 sat one column number lower than its header. A row starting with a blank cell
    then read its 商业企业 value as 自然人's, and so on along the row. A continued grid's columns are put
    under the header's by their x positions."""
    from extractor.model import SourceDoc
    from extractor.pipeline import run
    from extractor.settings import Settings
    from extractor.sources import RawInput

    values = [305.0 + 20 * i for i in range(9)]
    first = _grid(100, 1, [60.0, 110.0, 160.0, 300.0, *values], [
        [(0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 4),
         (0, 4, "申请人情况", 1, 8)],
        [(1, 4, "自然人", 2, 1), (1, 5, "法人或其他组织", 1, 6), (1, 11, "总计", 2, 1)],
        [(2, 5 + i, word, 1, 1) for i, word in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构",
                                                           "其他", "小计"])],
        [(3, 0, "一、本年新收政府信息公开申请数量", 1, 4)] + [(3, 4 + i, v, 1, 1) for i, v in enumerate(
            ["1", "8", "0", "0", "0", "0", "8", "9"])],
    ])
    second = _grid(200, 2, [60.0, 110.0, 160.0, *values], [
        [(0, 0, "三、本年度办理结果", 1, 1), (0, 1, "（五）不予处理", 1, 1),
         (0, 2, "5.要求行政机关确认或重新出具已获取信息", 1, 1)] + [(0, 3 + i, v, 1, 1) for i, v in enumerate(
             ["", "8", "", "", "", "", "8", "8"])],
    ])
    doc = SourceDoc(kind="scanned-pdf", blocks=(first, second), n_pages=2)
    report = run(RawInput(b"", "report.pdf"), "report.pdf", Settings(), "scanned-pdf", doc)
    assert report.cell("t3", "ignored.confirm", "commercial").value == 8  # type: ignore[union-attr]
    assert report.cell("t3", "ignored.confirm", "total").value == 8  # type: ignore[union-attr]
    natural = report.cell("t3", "ignored.confirm", "natural")
    assert natural is None or natural.value is None
    assert report.cell("t3", "new", "commercial").value == 8  # type: ignore[union-attr]


def test_table_known_by_its_top_left_header_cell_alone() -> None:
    """Regression (scan draw 17006, faint rules under a grey seal at 150 dpi: 25/200): 表三's heading and
    column words were misread, only its top-left cell (本列数据的勾稽关系…) read well, and the whole table
    was taken for 表二's continuation. That cell names 表三."""
    from extractor.lexicon.sections import anchor_section

    assert anchor_section(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "人他总计审业企"],
                          True) == "t3"
    # Draw 17013: a speck after the cell's closing bracket read '。', and the row was taken for prose.
    assert anchor_section(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）。", "申请人情况"],
                          True) == "t3"
    assert anchor_section(["本机关收到申请人情况。", "总计"], False) is None


def test_misread_applicant_columns_named_by_the_template_order() -> None:
    """Regression (scan draw 17013, a grey seal over 表三's header at 150 dpi: 8/200): 自然人, 商业企业 and
    科研机构 were read '八', '商1', '4研机点', so their columns had no code and every row had 8 values for 7
    columns. The five words read sit exactly where the template's order with a 小计 column puts them, and
    no other order fits: the three columns between are named by it. Too few words read, or words out of
    that order, name nothing."""
    from extractor.map.header import header_codes
    from extractor.model import Header

    top = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",)
    words = ["申请人情况/自然/八", "申请人情况/法人或其他组织/商1", "申请人情况/法人或其他组织/4研机点",
             "申请人情况/法人或其他组织/社会公益组织", "申请人情况/法人或其他组织/法律服务机构",
             "申请人情况/法人或其他组织/其他", "申请人情况/法人或其他组织/小计", "申请人情况/总计"]
    header = Header(tuple((c, top) for c in range(3))
                    + tuple((3 + i, tuple(w.split("/"))) for i, w in enumerate(words)))
    codes = header_codes("t3", "2021", header).by_col
    assert [codes.get(c) for c in range(3, 11)] == ["natural", "commercial", "research", "social", "legal", "other",
                                                     "subtotal", "total"]
    assert 2 not in codes
    few = Header(header.paths[:6] + ((6, ("社会公益组织",)), (10, ("申请人情况", "总计"))))
    assert sorted(header_codes("t3", "2021", few).by_col) == [6, 10]
    swapped = Header(header.paths[:6] + ((6, ("其他",)), (7, ("法律服务机构",)), (8, ("社会公益组织",)),
                                         (9, ("小计",)), (10, ("总计",))))
    assert sorted(header_codes("t3", "2021", swapped).by_col) == [6, 7, 8, 9, 10]


def test_header_row_with_one_misread_cell_still_names_its_table() -> None:
    """Regression (mild scan draw 21005, a grey seal over 表三's header, table images in a web page:
    45/200): 表三's top-left header cell was read as '4', and a header row holding any number was taken for a
    data row, so 申请人情况 never named the table and all of 表三 went to 表二. A row of words with one number
    among them is still a header row; a data row is mostly numbers."""
    from extractor.detect import find_regions
    from extractor.model import Cell, Paragraph, SourceDoc, Table

    def row(r: int, *texts: str) -> list[Cell]:
        return [Cell(r, c, text) for c, text in enumerate(texts)]

    t2 = Table(tuple(row(0, "信息内容", "本年制发件数") + row(1, "规章", "5")), 2, 2, "ocr-lattice")
    t3 = Table(tuple(row(0, "4", "申请人情况", "总计") + row(1, "一、本年新收政府信息公开申请数量", "3", "3")),
               2, 3, "ocr-lattice")
    doc = SourceDoc("scanned-pdf", (Paragraph("二、主动公开政府信息情况"), t2, t3))
    regions, _ = find_regions(doc)
    assert [(r.section, r.table is t3) for r in regions] == [("t2", False), ("t3", True)]


def test_column_split_by_a_seal_stroke_keeps_every_column_in_place() -> None:
    """Regression (mild scan draw 21015, a grey seal over 表三's header at 150 dpi: 75/200): a stroke of the
    seal read as a rule split 社会公益组织's column in two on the header's page, and cut 自然人 into '自然' over
    '人'. The template order then put every code one column off (wrong values, caught by the identities);
    the continued page, without the split, got its header shifted. Now: the two halves under one header cell
    are one column of the order, a word cut in two is read whole, the empty half of a value is nothing, and
    the continued page takes each header column at its x (a half no cell has alone between its neighbours)."""
    import math

    from extractor.lexicon import match_col
    from extractor.map.columns import by_header
    from extractor.map.header import header_codes
    from extractor.model import BBox, Header, Provenance, RowCell

    assert match_col("t3", ["申请人情况", "自然", "人"], "2021") == "natural"
    top = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",)
    words = ["申请人情况/自然/人", "申请人情况/法人或其他组织/企业", "申请人情况/法人或其他组织/机号",
             "申请人情况/法人或其他组织/会\n组", "申请人情况/法人或其他组织/会\n组",
             "申请人情况/法人或其他组织/法律服务机构", "申请人情况/法人或其他组织/其他",
             "申请人情况/法人或其他组织/小计", "申请人情况/总计"]
    xs = (60.0, 100.0, 175.0, 240.0, 269.0, 298.0, math.nan, math.nan, 355.0, 384.0, 413.0, 441.0)
    header = Header(tuple((c, top) for c in range(3)) + tuple((3 + i, tuple(w.split("/"))) for i, w in
                                                              enumerate(words)), table=1, xs=xs)
    codes = header_codes("t3", "2021", header).by_col
    assert [codes.get(c) for c in range(3, 12)] == ["natural", "commercial", "research", "social", "social",
                                                     "legal", "other", "subtotal", "total"]

    def value(text: str, col: int) -> RowCell:
        return RowCell(text, col, col + 1, Provenance(1, BBox(xs[col] - 10 if not math.isnan(xs[col]) else 0, 0,
                                                                 xs[col] + 10 if not math.isnan(xs[col]) else 0, 9)))

    row = [value(t, c) for c, t in zip(range(3, 12), ["1", "0", "0", "", "2", "0", "0", "2", "3"], strict=True)]
    targets = by_header(row, header_codes("t3", "2021", header), [("new", c) for c in
                                                                   catalog_cols()])
    assert targets is not None and targets[3] is None and targets[4] == ("new", "social")
    continued = [x for k, x in enumerate(xs) if k != 7]
    continued[6] = 326.5
    assert _codes_on_next_page(header, continued) == APPLICANTS_WITH_SUBTOTAL


APPLICANTS_WITH_SUBTOTAL = ["natural", "commercial", "research", "social", "legal", "other", "subtotal", "total"]


def _codes_on_next_page(header: Header, centres: Sequence[float]) -> list[object]:
    """The codes of grid columns 3-10 of a continued page whose columns stand at `centres`, under `header`."""
    from extractor.layout.header import header_on
    from extractor.map.header import header_codes
    from extractor.model import BBox, Cell, Provenance, Table

    cells = tuple(Cell(0, c, "1", provenance=Provenance(2, BBox(x - 10, 0, x + 10, 9))) for c, x in enumerate(centres))
    codes = header_codes("t3", "2021", header_on(header, Table(cells, 1, len(centres), "ocr-lattice", (2,), 2))).by_col
    return [codes.get(c) for c in range(3, 11)]


def catalog_cols() -> list[str]:
    from extractor.codes import catalog

    return list(catalog().cols("2021", "t3", "new"))


def test_t4_header_without_its_block_words_is_named_by_the_template_order() -> None:
    """Regression (mild scan draw 21015: 表四 missing): the block words over 表四's columns (行政复议 /
    未经复议直接起诉 / 复议后起诉) were not read, so no column had a code and 表四 was lost. When the header's
    fifteen columns show the template's column words where its order puts them, each column is the
    template's cell at its place; a word out of that order names nothing."""
    from extractor.map.header import header_codes
    from extractor.model import Header

    leaves = ["结果维\n持", "结果纠\n正", "其他结\n果", "尚未审\n结", "总计", "结果\n持", "细果纠\n正", "其他结\n果",
              "尚末は\n结", "总", "结果维\n持", "结果纠\n正", "其他结\n果", "尚未审\n结", "总计"]
    codes = header_codes("t4", "2021", Header(tuple((c, (w,)) for c, w in enumerate(leaves)))).by_col
    assert codes[0] == ("review", "upheld") and codes[9] == ("suit_direct", "total")
    assert codes[14] == ("suit_after_review", "total") and len(codes) == 15
    swapped = leaves[:3] + ["总计", "尚未审\n结"] + leaves[5:]
    assert header_codes("t4", "2021", Header(tuple((c, (w,)) for c, w in enumerate(swapped)))).by_col == {}


def test_value_under_two_columns_is_left_out_not_given_to_the_first() -> None:
    """Regression (mild scan draw 20032, a red seal over 表二's (五)/(六) rows: values in the wrong column):
    the rule between 上一年项目数量 and 本年增/减 was lost under the seal, so '4' sat in one cell spanning
    both columns and went to the first, and the (六) header cell read '上一年项目数量本年增/减' named
    上一年项目数量 for both. Nothing can tell which column such a value is in: it is left out (its columns
    reported missing), and the rest of the row is still read."""
    from extractor.map.columns import by_header
    from extractor.map.header import header_codes
    from extractor.model import Header, Provenance, RowCell

    def cell(text: str, col0: int, col1: int) -> RowCell:
        return RowCell(text, col0, col1, Provenance(1))

    expected = [("other_mgmt", c) for c in ("prev_items", "change", "decisions")]
    header = header_codes("t2", "2019", Header(((0, ("信息内容",)), (1, ("上一年项目数量",)), (2, ("本年增/减",)),
                                                (3, ("处理决定数量",)))))
    spanning = [cell("4", 1, 3), cell("7", 3, 4)]
    assert by_header(spanning, header, expected) is None  # the row's slots are counted first (place_values)
    assert by_header(spanning, header, expected, partial=True) == [None, ("other_mgmt", "decisions")]
    merged = header_codes("t2", "2019", Header(((0, ("信息内容",)), (1, ("上一年项目数量本年增/减",)),
                                                (2, ("上一年项目数量本年增/减",)), (3, ("处理决定数量",)))))
    assert 1 not in merged.by_col and 2 not in merged.by_col
    assert by_header([cell("-5", 1, 3), cell("", 3, 4)], merged, expected, partial=True) == [
        None, ("other_mgmt", "decisions")]
    assert by_header([cell("-5", 1, 2), cell("", 2, 3), cell("", 3, 4)], merged, expected, partial=True) == [
        None, None, ("other_mgmt", "decisions")]


def test_marks_beside_a_full_row_are_strays_not_the_row_again() -> None:
    """Regression (mild scan draw 22002, horizontal rules, a red seal below 表四 at 150 dpi: 200/200 cells
    right, flagged with 100 duplicate_cell errors): the seal's remains read as '—', '/' and '1' made rows of a
    mark or two under 表四, each mapped onto 表四's fifteen cells again, and header words run into a label
    holding 总计 made a second 表三 total row with one '/'. Once a row is read in full, a row of a few marks
    with its code (表四: any row, it has no labels) is a stray, warned about and left out."""
    from extractor.map import Mapping, map_table
    from extractor.model import (
        BBox,
        Header,
        LabeledRow,
        LabeledTable,
        LabelSource,
        Layout,
        Provenance,
        RowCell,
        RowKind,
    )

    words = [f"{b}/{c}" for b in ("行政复议", "未经复议直接起诉", "复议后起诉")
             for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    header = Header(tuple((c, ("行政诉讼", *w.split("/"))) for c, w in enumerate(words)))

    def row(texts: list[str], path: tuple[str, ...] = ()) -> LabeledRow:
        cells = tuple(RowCell(t, c, c + 1, Provenance(3, BBox(40.0 * c, 0, 40.0 * c + 9, 9))) for c, t in
                      enumerate(texts))
        return LabeledRow(path, cells, RowKind.DATA, LabelSource.NONE, Layout.GRID, "ocr-lattice", (0,),
                          header=header)

    full = row(["0"] * 14 + ["3"])
    mapping = Mapping("2021")
    map_table(LabeledTable("t4", (full, row(["—"]), row(["/", "1"], ("人",)))), "2021", mapping)
    assert not [f for f in mapping.findings if f.check == "duplicate_cell"]
    assert [f.check for f in mapping.findings].count("stray_values") == 2
    assert len(mapping.cells) == 15


def test_litigation_heading_misread_over_ten_columns_names_no_block() -> None:
    """Regression (scan draw 14011, a grey seal over 表四's header): the heading over the ten 行政诉讼 columns
    read '未经复议直诉议后起诉' (复议后起诉 garbled) and named every one of them 未经复议直接起诉. A block named
    over more columns than it has names none; the template's order places the columns (a header cell over two
    columns, a rule lost under the seal, is left out of the words that must agree with it)."""
    from extractor.map.header import header_codes
    from extractor.model import Header

    heading = "行品 诉讼\n9 re\n未经复议直诉议后起诉"
    leaves = ["结果\n维持", "结果\n纠正", "1\n其他尚未\n结周二吉", "1\n其他尚未\n结周二吉", "怎", "结\n维持",
              "练共其他\n纠正果", "练共其他\n纠正果", "尚未\n审结", "总计"]
    header = Header(tuple((c, (leaf,)) for c, leaf in enumerate(["结果\n维持", "结果\n纠正", "其他\n结果",
                                                                "尚未\n审结", "总计"]))
                    + tuple((5 + i, (heading, leaf)) for i, leaf in enumerate(leaves)))
    codes = header_codes("t4", "2021", header).by_col
    blocks = ["review"] * 5 + ["suit_direct"] * 5 + ["suit_after_review"] * 5
    cols = ["upheld", "corrected", "other", "pending", "total"] * 3
    assert [codes.get(c) for c in range(15)] == list(zip(blocks, cols, strict=True))


def test_continued_page_standing_off_the_header_page_keeps_every_column() -> None:
    """Regression (scan draw 24031, 100 dpi, 表三 continued without its header: 151/200): the header's
    top-left cell over three label columns counted as a column split in two, so each column was placed by
    the nearest x; the continued page stood 10 points left of the header's, more than that reach for the
    narrow applicant columns, and four of them were lost. The pages' offset (within a column) is taken off
    first."""
    from extractor.model import Header

    top = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",)
    words = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计", "总计"]
    xs = (65.0, 116.0, 208.0, 284.0, 309.0, 333.0, 358.0, 383.0, 408.0, 432.0, 457.0)
    header = Header(tuple((c, top) for c in range(3)) + tuple((3 + i, ("申请人情况", w)) for i, w in
                                                              enumerate(words)), table=1, xs=xs)
    continued = (55.0, 106.0, 199.0, 275.0, 299.0, 324.0, 349.0, 373.0, 397.0, 422.0, 447.0)  # as measured
    assert _codes_on_next_page(header, continued) == APPLICANTS_WITH_SUBTOTAL
    # Draw 24034 (pages turned upside down, skew -2.8): 17 points right on columns 33 wide, past half a
    # column; the median fit took the header one column off (8 values for 7 columns). The mean fit over every
    # column, label columns too, finds it.
    xs = (64.0, 92.0, 142.0, 194.0, 227.0, 260.0, 293.0, 327.0, 360.0, 393.0, 427.0)
    continued = (83.0, 111.0, 160.0, 211.0, 244.0, 277.0, 310.0, 343.0, 376.0, 409.0, 442.0)
    assert _codes_on_next_page(Header(header.paths, table=1, xs=xs), continued) == APPLICANTS_WITH_SUBTOTAL


def test_garbled_label_of_a_scanned_row_is_named_by_its_place_unsurely() -> None:
    """Regression (mild scan draw 35004, 150 dpi, a web page's picture: '4.保护第三方合法权益' read
    '(三/4.保护第二万石', no row; its seven cells missing, the document flagged). An OCR row whose label names
    nothing, alone between two labelled rows with one template row missing between them, is that row,
    unsurely (its cells stand where the identities confirm them). Printed text is what it says: there an
    unknown label stays unknown."""
    from extractor.map import UNREAD_LABEL, code_rows
    from extractor.model import BBox, LabeledRow, LabeledTable, LabelSource, Layout, Provenance, RowCell, RowKind

    def row(label: str, method: str = "ocr-lattice") -> LabeledRow:
        cells = tuple(RowCell("0", c, c + 1, Provenance(2, BBox(40.0 * c, 0, 40.0 * c + 9, 9))) for c in range(7))
        return LabeledRow(("（三）不予公开", label), cells, RowKind.DATA, LabelSource.OWN, Layout.GRID, method, (0,))

    for method, expected in (("ocr-lattice", "denied.third_party"), ("pdf-lattice", None)):
        table = LabeledTable("t3", (row("3.危及“三安全一稳定”", method), row("(三/4.保护第二万石", method),
                                    row("5.属于三类内部事务信息", method)))
        codes = code_rows(table, "2021")
        assert [c.code for c in codes] == ["denied.safety", expected, "denied.internal"]
    assert code_rows(LabeledTable("t3", (row("3.危及“三安全一稳定”"), row("(三/4.保护第二万石"),
                                         row("5.属于三类内部事务信息"))), "2021")[1].how == "unread"
    assert UNREAD_LABEL < 0.9


def test_t4_values_in_order_when_a_blank_vanished() -> None:
    """Fourteen values under fifteen columns, each set flush right so that one stands nearer the next
    column's centre: the in-order placement with the least distance, when it clearly beats the others."""
    from extractor.map.t4_columns import _in_order
    from extractor.model import BBox, Provenance, RowCell

    # Browser draw 51024: header word centres and the values' centres; column 12's blank printed nothing.
    centres = [54, 93, 132, 171.5, 200, 229.5, 268.5, 307.5, 347, 376, 405.5, 444.5, 483.5, 522.5, 552]
    xs = [54, 109.5, 149, 188, 207.5, 246.5, 285.5, 324.5, 363.5, 382.5, 422, 500, 539, 558.5]
    values = [RowCell("1", i, i + 1, Provenance(page=1, bbox=BBox(x - 2, 0, x + 2, 8))) for i, x in enumerate(xs)]
    targets = [("t4", str(i)) for i in range(15)]
    assert _in_order(values, centres, targets) == [t for i, t in enumerate(targets) if i != 11]
    assert _in_order(values[:10], centres, targets) is None  # five vanished: not tried
    evenly = [20.0 + 40 * i for i in range(15)]
    halfway = [c + 19 for i, c in enumerate(evenly) if i != 9]  # col 9's or col 8's blank? too close to tell
    assert _in_order([RowCell("1", i, i + 1, Provenance(page=1, bbox=BBox(x - 2, 0, x + 2, 8)))
                      for i, x in enumerate(halfway)], evenly, targets) is None


def test_implausible_count_is_an_error() -> None:
    """A count no agency reports (digits of a row run together into one cell) is flagged, never ok."""
    from extractor.model import CanonicalCell, Provenance
    from extractor.validate import check_plausible

    def cell(value: int) -> CanonicalCell:
        return CanonicalCell("2021", "t4", "review", "upheld", value, str(value), Provenance(page=1), "pdf", 1.0)

    assert [f.check for f in check_plausible([cell(21364000400000), cell(12)])] == ["implausible_value"]


def test_header_of_one_column_on_a_continued_grid_whose_columns_it_misses() -> None:
    """A one-column header moved onto a continued grid where no shift put it over a column: the median of no
    gaps raised, and the second opinion's reading of the page failed (browser draw 62066)."""
    import math

    from extractor.layout.header import header_on
    from extractor.model import BBox, Cell, Header, Provenance, Table

    header = Header(paths=((5, ("总计",)),), table=1, xs=(10.0, 20.0, 30.0, 40.0, 50.0, 60.0))
    cells = tuple(Cell(0, c, "1", provenance=Provenance(2, BBox(x - 5, 0, x + 5, 9))) for c, x in
                  enumerate((12.0, 22.0)))
    moved = header_on(header, Table(cells, 1, 2, "pdf-lattice", (2,), 2))
    assert moved.paths == header.paths and not math.isnan(moved.xs[0])


def test_digit_run_with_a_subtotal_keeps_only_its_cells_digits() -> None:
    """'84122' of 小计 and 总计 after organisations 48 17 0 19 and a blank: 122 (browser draw 62184); '57187234'
    of 其他, 小计 and 总计 after 21 31 38 40: 57 and 234 (60157); a sum the run does not hold: no reading."""
    from extractor.map.columns import without_subtotal
    from extractor.model import Provenance, RowCell

    def row(*texts: str) -> list[RowCell]:
        return [RowCell(t, k, k + 1, Provenance()) for k, t in enumerate(texts)]

    orgs = [("new", c) for c in ("natural", "commercial", "research", "social", "legal", "other")]
    assert without_subtotal("84122", [("new", "total")], row("38", "48", "17", "0", "19", "-"), list(orgs)) == ("122",)
    assert without_subtotal("57187234", [("new", "other"), ("new", "total")], row("47", "21", "31", "38", "40"),
                            list(orgs[:5])) == ("57", "234")
    assert without_subtotal("85122", [("new", "total")], row("38", "48", "17", "0", "19", "-"), list(orgs)) is None
