"""Truth files in the formats the real reports may use."""

from __future__ import annotations

import json
from pathlib import Path

from extractor.evaluation import _read_truth, discover, same_value


def test_truth_with_code_column(tmp_path: Path) -> None:
    path = tmp_path / "truth.csv"
    path.write_text("code,value\nt3/new/natural,5\nt3.denied.secret.total,0\nt4:review:total,\n", encoding="utf-8")
    assert _read_truth(path) == {("t3", "new", "natural"): "5", ("t3", "denied.secret", "total"): "0",
                                 ("t4", "review", "total"): ""}


def test_discover_every_document_of_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / "truth.csv").write_text("table,row,col,value\nt3,new,total,3\n", encoding="utf-8")
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4")
    (folder / "meta.json").write_text(json.dumps({"source_errors": [{"check": "I4", "table": "t4"}]}),
                                      encoding="utf-8")
    cases = list(discover(tmp_path))
    assert sorted(c.document.name for c in cases) == ["report.html", "report.pdf"]
    assert cases[0].expected_findings == [{"check": "I4", "table": "t4"}]


def test_same_value() -> None:
    from decimal import Decimal

    assert same_value(12, "12") and same_value(Decimal("1.50"), "1.5") and same_value(None, "")
    assert not same_value(0, "") and not same_value(None, "0") and same_value("52.15万元", "52.15万元")
