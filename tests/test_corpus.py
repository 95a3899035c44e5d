"""Every truth cell of the corpus (and of the shared real reports, read in place) must be right, every
source-side inconsistency listed in meta.json must come out as a finding, and the status must say so."""

from __future__ import annotations

import pytest
from conftest import CORPUS, REALDATA, extract_once

from extractor.evaluation import discover, score

CORPUS_CASES = list(discover(CORPUS))
REAL_CASES = list(discover(REALDATA)) if REALDATA.exists() else []


def test_corpus_is_not_empty() -> None:
    kinds = {c.meta.get("source_kind") for c in CORPUS_CASES}
    assert {"html", "docx", "text"} <= kinds
    assert {c.meta.get("template") for c in CORPUS_CASES} >= {"2019", "2021"}


def _check(case) -> None:  # type: ignore[no-untyped-def]
    report = extract_once(case.document)
    result = score(report, case)
    assert not result.wrong, f"wrong cells: {result.wrong[:10]}"
    assert not result.missing, f"missing cells: {result.missing[:10]}"
    assert not result.findings_missed, f"source inconsistencies not reported: {result.findings_missed}"
    errors = [f for f in report.findings if f.severity == "error"]
    expected_errors = [e for e in case.expected_findings if e.get("check") not in ("prose_total",)]
    if expected_errors:
        assert report.status == "flagged"
    else:
        assert report.status == "ok", [f"{f.check} {f.table}/{f.row}/{f.col}: {f.message}" for f in errors]


@pytest.mark.parametrize("case", CORPUS_CASES, ids=[c.folder.name for c in CORPUS_CASES])
def test_corpus_document(case) -> None:  # type: ignore[no-untyped-def]
    _check(case)


@pytest.mark.skipif(not REAL_CASES, reason="../shared/realdata is not present beside this clone")
@pytest.mark.parametrize("case", REAL_CASES, ids=[str(c.document.relative_to(REALDATA)) for c in REAL_CASES])
def test_real_report(case) -> None:  # type: ignore[no-untyped-def]
    _check(case)


@pytest.mark.skipif(not (REALDATA / "seed_xingyang_2023").exists(), reason="seed report not present")
def test_seed_report_all_200_cells_exact_and_ok() -> None:
    seeds = [c for c in REAL_CASES if c.folder.name == "seed_xingyang_2023"]
    assert seeds
    for case in seeds:
        report = extract_once(case.document)
        result = score(report, case)
        assert result.right == len(case.truth) == 200, (case.document.name, result.wrong, result.missing[:5])
        assert report.status == "ok", [f.message for f in report.findings if f.severity == "error"]
