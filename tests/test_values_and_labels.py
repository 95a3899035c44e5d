from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.detect.meta import agency_and_year
from extractor.detect.prose import prose_claims
from extractor.lexicon import detect_template, match_col, match_row
from extractor.normalize import norm, strip_enum
from extractor.numbers import parse_value


@pytest.mark.parametrize(("raw", "value"), [
    ("12", 12), ("１２３", 123), ("1,234", 1234), ("1，234", 1234), (" 7 ", 7), ("-2", -2), ("+2", 2),
    ("减4", -4), ("增3", 3), ("52.15", Decimal("52.15")), ("251000元", 251000), ("22（其中修订16件）", 22),
    ("3件", 3),
])
def test_numbers(raw: str, value: object) -> None:
    parsed = parse_value(raw)
    assert parsed is not None and parsed.value == value and not parsed.blank


@pytest.mark.parametrize("raw", ["", " ", "—", "-", "/", "－", "——", "\u3000"])
def test_blank_markers_are_blank_not_zero(raw: str) -> None:
    parsed = parse_value(raw)
    assert parsed is not None and parsed.blank and parsed.value is None


@pytest.mark.parametrize("raw", ["12 34", "1.属于国家秘密", "规章", "12和34", "第二十条第（一）项"])
def test_not_one_number(raw: str) -> None:
    assert parse_value(raw) is None


def test_annotation_is_kept_as_a_note() -> None:
    parsed = parse_value("22（其中修订16件）")
    assert parsed is not None and "其中修订16件" in parsed.note


def test_norm_removes_every_variant() -> None:
    assert norm("（一） 予以\n公开") == norm("(一)予以公开")
    assert norm("1．属于国家秘密") == norm("1、属于国家秘密") == "1.属于国家秘密"
    assert norm("危及“三安全一稳定”") == "危及三安全一稳定"
    assert norm("結轉下年度繼續辦理") == norm("结转下年度继续办理")
    assert strip_enum(norm("三、本年度办理结果")) == "本年度办理结果"


@pytest.mark.parametrize(("parts", "row"), [
    (["一、本年新收政府信息公开申请数量"], "new"),
    (["三、本年度办理结果", "（三）不予公开", "3．危及“三安全一稳定”"], "denied.safety"),
    (["（六）其他处理", "3.其他"], "other.other"),
    (["（六）其他处理"], "other"),
    (["（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"], "other.no_correction"),
    (["5.要求行政机关确认或重新出具已获取信息"], "ignored.confirm"),
    (["4.无正当理由大量反复申请"], "ignored.bulk"),
    (["（二）部分公开（区分处理的，只计这一情形，不计其他", "情形）"], "partial"),
    (["（七）总计"], "total"),
    (["四、结转下年度继续办理"], "pending"),
])
def test_t3_row_labels(parts: list[str], row: str) -> None:
    assert match_row("t3", parts, None) == row


def test_three_other_needs_its_group() -> None:
    assert match_row("t3", ["3.其他"], None) is None
    assert match_row("t3", ["3.其他"], "other.no_fee") == "other.other"


@pytest.mark.parametrize(("header", "col"), [
    (["申请人情况", "法人或其他组织", "商业 企业"], "commercial"), (["法人或其他组织", "其他"], "other"),
    (["自然人"], "natural"), (["总计"], "total"), (["法 律 服 务\n机构"], "legal"),
])
def test_t3_columns(header: list[str], col: str) -> None:
    assert match_col("t3", header, "2021") == col


def test_template_from_labels_then_year() -> None:
    assert detect_template(["本年制发件数", "本年废止件数"], 2019) == "2021"
    assert detect_template(["本年新制作数量", "上一年项目数量"], 2023) == "2019"
    assert detect_template(["自然人"], 2020) == "2019"
    assert detect_template(["自然人"], 2022) == "2021"


def test_agency_and_year() -> None:
    assert agency_and_year("荥阳市人民政府2023年政府信息公开工作年度报告\n正文") == ("荥阳市人民政府", 2023)
    assert agency_and_year("2022年度 北京市教育委员会 政府信息公开工作年度报告") == ("北京市教育委员会", 2022)


def test_prose_claims() -> None:
    found = prose_claims("本年度共收到政府信息公开申请1,234件，办结")
    assert [(c.name, n) for c, n, _ in found] == [("received", 1234)]
    assert [c.name for c, _, _ in prose_claims("收到行政复议申请3件")] == ["review"]
