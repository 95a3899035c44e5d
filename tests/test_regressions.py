"""One test per bug found, named after it."""

from __future__ import annotations

import extractor
from extractor.identities import t3_leaf_rows


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
