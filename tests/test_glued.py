"""Digit runs without separators: split only where exactly one split satisfies the identities."""

from __future__ import annotations

import extractor
from extractor.map.glued import splits


def _t3_text(rows: dict[str, str]) -> bytes:
    lines = ["某局2023年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
             "自然人法人或其他组织总计", "商业企业科研机构社会公益组织法律服务机构其他"]
    lines += [f"{label}{digits}" for label, digits in rows.items()]
    return "\n".join(lines).encode()


def test_splits_respect_leading_zeros() -> None:
    assert splits("1000001", 7) == [(1, 0, 0, 0, 0, 0, 1)]
    assert (10, 0, 0, 0, 0, 0, 10) in (splits("100000010", 7) or [])
    assert all(len(s) == 3 for s in splits("1234", 3) or [])


def test_unique_split_by_row_identity() -> None:
    report = extractor.extract(_t3_text({"一、本年新收政府信息公开申请数量": "100000010"}), kind="text")
    assert report.cell("t3", "new", "natural").value == 10  # type: ignore[union-attr]
    assert report.cell("t3", "new", "total").value == 10  # type: ignore[union-attr]
    assert report.cell("t3", "new", "natural").method.endswith("glued+identity")  # type: ignore[union-attr]


def test_ambiguous_run_leaves_cells_empty_with_finding() -> None:
    # 0,1,10,0,0,0,11 and 0,11,0,0,0,0,11 both satisfy 总计 = sum of the six: nothing else decides.
    report = extractor.extract(_t3_text({"一、本年新收政府信息公开申请数量": "011000011",
                                         "二、上年结转政府信息公开申请数量": "0000000"}), kind="text")
    assert report.cell("t3", "new", "natural") is None
    assert report.cell("t3", "carried", "natural").value == 0  # type: ignore[union-attr]
    ambiguous = [f for f in report.findings if f.check == "ambiguous"]
    assert ambiguous and ambiguous[0].severity == "error" and ambiguous[0].row == "new"
    assert report.status == "flagged"
