"""Digit runs without separators: split only where exactly one split satisfies the identities."""

from __future__ import annotations

import extractor
from extractor.identities import equations
from extractor.model import GluedRun, Provenance, RowCell
from extractor.reconcile.glued import _equations_by_key, resolve, splits

T3_COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")


def _run(row: str, *pieces: str) -> GluedRun:
    cell = RowCell(pieces[0], 0, 1, Provenance())
    return GluedRun("t3", tuple((row, c) for c in T3_COLS), pieces, cell)


def _splits(digits: str, n: int) -> list[tuple[int, ...]] | None:
    cell = RowCell(digits, 0, 1, Provenance())
    run = GluedRun("t2", tuple(("x", str(i)) for i in range(n)), (digits,), cell)
    return splits(run, {}, {})


def _t3_text(rows: dict[str, str]) -> bytes:
    lines = ["某局2023年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
             "自然人法人或其他组织总计", "商业企业科研机构社会公益组织法律服务机构其他"]
    lines += [f"{label}{digits}" for label, digits in rows.items()]
    return "\n".join(lines).encode()


def test_splits_respect_leading_zeros() -> None:
    assert _splits("1000001", 7) == [(1, 0, 0, 0, 0, 0, 1)]
    assert (10, 0, 0, 0, 0, 0, 10) in (_splits("100000010", 7) or [])
    assert sorted(_splits("1234", 3) or []) == [(1, 2, 34), (1, 23, 4), (12, 3, 4)]
    assert _splits("0012", 3) == [(0, 0, 12)]


def test_row_identity_prunes_while_splitting() -> None:
    by_key = _equations_by_key(equations("2021", []))
    assert splits(_run("new", "640020470"), {}, by_key) == [(64, 0, 0, 2, 0, 4, 70)]
    # Two separated pieces: each gives at least one cell and a boundary between them is a cell boundary.
    assert splits(_run("partial", "500000", "5"), {}, by_key) == [(5, 0, 0, 0, 0, 0, 5)]


def test_hostile_run_is_bounded() -> None:
    """A 26-digit run of a 表三 row must not enumerate every cut (issue 10: seconds and gigabytes)."""
    by_key = _equations_by_key(equations("2021", []))
    found = splits(_run("new", "12345678901234567890123456"), {}, by_key)
    assert found is None or len(found) <= 5000


def test_runs_settled_together_by_column_identities() -> None:
    eqs = equations("2021", [])
    runs = [_run("new", "1100002"), _run("carried", "0000000")]
    cands = resolve(runs, {}, eqs)
    assert cands[1] == [(0, 0, 0, 0, 0, 0, 0)] and cands[0] is not None and len(cands[0]) == 1


def test_unique_split_by_row_identity() -> None:
    report = extractor.extract(_t3_text({"一、本年新收政府信息公开申请数量": "100000010"}), kind="text")
    assert report.cell("t3", "new", "natural").value == 10  # type: ignore[union-attr]
    assert report.cell("t3", "new", "total").value == 10  # type: ignore[union-attr]
    assert report.cell("t3", "new", "natural").method.endswith("split+identity")  # type: ignore[union-attr]


def test_ambiguous_run_leaves_cells_empty_with_finding() -> None:
    # 0,1,10,0,0,0,11 and 0,11,0,0,0,0,11 both satisfy 总计 = sum of the six: nothing else decides.
    report = extractor.extract(_t3_text({"一、本年新收政府信息公开申请数量": "011000011",
                                         "二、上年结转政府信息公开申请数量": "0000000"}), kind="text")
    assert report.cell("t3", "new", "natural") is None
    assert report.cell("t3", "carried", "natural").value == 0  # type: ignore[union-attr]
    ambiguous = [f for f in report.findings if f.check == "ambiguous"]
    assert ambiguous and ambiguous[0].severity == "error" and ambiguous[0].row == "new"
    assert report.status == "flagged"
