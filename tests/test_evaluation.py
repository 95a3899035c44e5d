"""Truth files in the formats the real reports may use."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from extractor.evaluation import Expected, _read_truth, discover, expected_from_sentence, same_value


def test_truth_with_code_column(tmp_path: Path) -> None:
    path = tmp_path / "truth.csv"
    path.write_text("code,value\nt3/new/natural,5\nt3.denied.secret.total,0\nt4:review:total,\n", encoding="utf-8")
    assert _read_truth(path) == {("t3", "new", "natural"): Expected("number", "5"),
                                 ("t3", "denied.secret", "total"): Expected("number", "0"),
                                 ("t4", "review", "total"): Expected("empty")}


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
    assert same_value(12, "12") and same_value(Decimal("1.50"), "1.5") and same_value(None, "")
    assert not same_value(0, "") and not same_value(None, "0") and same_value("52.15万元", "52.15万元")


def test_truth_json_files_blanks_slashes_and_text(tmp_path: Path) -> None:
    folder = tmp_path / "report"
    folder.mkdir()
    cells = {"t3|new|natural": None, "t2|rules|issued": "/", "t2|procurement|amount": "251000元",
             "t2|fees|amount_wan": 24252.311082, "t3|new|total": 0}
    (folder / "truth.json").write_text(json.dumps({"template": "2021", "files": ["a.html", "a.txt"], "cells": cells}),
                                       encoding="utf-8")
    (folder / "meta.json").write_text(json.dumps({"source_inconsistencies": [
        "t4 复议 block printed as 总计 0 ≠ 10+1 = 11 (I4 fails; value kept as printed)",
        "prose says 自然人72件 while t3 says 71", "an observation no check can see"]}), encoding="utf-8")
    cases = list(discover(tmp_path))
    assert [c.document.name for c in cases] == ["a.html", "a.txt"]
    truth = cases[0].truth
    assert truth[("t3", "new", "natural")].matches(None, "") and not truth[("t3", "new", "natural")].matches(0, "0")
    slash = truth[("t2", "rules", "issued")]
    assert slash.matches(None, "/") and not slash.matches(None, "")
    assert truth[("t2", "procurement", "amount")].matches("251000元", "251000元")
    assert truth[("t2", "fees", "amount_wan")].matches(Decimal("24252.311082"), "24252.311082")
    assert not truth[("t3", "new", "total")].matches(None, "")
    assert cases[0].expected_findings == [{"check": "I4", "table": "t4"}, {"check": "prose*"}]
    assert cases[0].unchecked_inconsistencies == ["an observation no check can see"]


def test_sentences_that_name_a_check() -> None:
    assert expected_from_sentence("t3 总计 column blank ... I3 is not assessable on the detail rows") == \
        {"check": "I3", "table": "t3"}
    assert expected_from_sentence("t3 label typo '2.其他法律行政止公开'") == {"check": "label_variant", "table": "t3"}


def test_eval_refuses_a_folder_without_cases(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from extractor.cli import main

    result = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code != 0 and "no case found" in result.output
