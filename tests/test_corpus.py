"""Every truth cell of the corpus (and of the shared real reports, read in place) must be right, every
source-side inconsistency listed in meta.json must come out as a finding, and the status must say so."""

from __future__ import annotations

import json
import os
from pathlib import Path

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
    expected_errors = [e for e in case.expected_findings if not str(e.get("check", "")).startswith("prose")]
    if expected_errors:
        assert report.status == "flagged"
    else:
        assert report.status == "ok", [f"{f.check} {f.table}/{f.row}/{f.col}: {f.message}" for f in errors]


@pytest.mark.parametrize("case", CORPUS_CASES, ids=[c.folder.name for c in CORPUS_CASES])
def test_corpus_document(case) -> None:  # type: ignore[no-untyped-def]
    _check(case)


REAL_ABSENT = f"{REALDATA} is absent (CI and sessions place ../shared beside the clone)"
FLOOR_FILE = Path(__file__).parent / "realdata_floor.json"
RAISE_FLOOR = os.environ.get("EXTRACTOR_RAISE_FLOOR") == "1"


def _floors() -> dict[str, dict[str, int]]:
    return json.loads(FLOOR_FILE.read_text(encoding="utf-8")) if FLOOR_FILE.exists() else {}


@pytest.mark.skipif(not REALDATA.exists(), reason=REAL_ABSENT)
def test_realdata_yields_cases() -> None:
    assert REAL_CASES, f"{REALDATA} exists but no truth.json case was found in it"
    names = {c.name for c in REAL_CASES}
    assert set(_floors()) <= names, f"floors for files that are gone: {set(_floors()) - names}"


@pytest.mark.skipif(not REALDATA.exists(), reason=REAL_ABSENT)
@pytest.mark.parametrize("case", REAL_CASES, ids=[c.name for c in REAL_CASES])
def test_real_report(case) -> None:  # type: ignore[no-untyped-def]
    """Every source file of every real report. A wrong cell in an `ok` document always fails; right cells and
    reported source inconsistencies may not fall below the ratchet in realdata_floor.json, which only rises
    (EXTRACTOR_RAISE_FLOOR=1 rewrites it from this run, and the run then fails on purpose)."""
    report = extract_once(case.document)
    result = score(report, case)
    found = len(case.expected_findings) - len(result.findings_missed)
    floors = _floors()
    if RAISE_FLOOR:
        floors[case.name] = {"cells": result.right, "findings": found}
        FLOOR_FILE.write_text(json.dumps(dict(sorted(floors.items())), indent=1) + "\n", encoding="utf-8")
        pytest.fail("floor rewritten: unset EXTRACTOR_RAISE_FLOOR and re-run")
    if report.status == "ok":
        assert not result.wrong, f"silently wrong cells in an ok document: {result.wrong[:10]}"
    floor = floors.get(case.name, {"cells": len(case.truth), "findings": len(case.expected_findings)})
    assert result.right >= floor["cells"], (
        f"{result.right}/{len(case.truth)} cells right, below the floor {floor['cells']}; "
        f"wrong {result.wrong[:5]}, missing {result.missing[:5]}")
    assert found >= floor["findings"], f"source inconsistencies not reported: {result.findings_missed}"
    if result.right > floor["cells"] or found > floor["findings"]:
        pytest.fail(f"better than the floor ({result.right} cells, {found} findings): raise it with "
                    "EXTRACTOR_RAISE_FLOOR=1 so that it never falls back")


def test_raise_floor_flag_is_off() -> None:
    assert not RAISE_FLOOR, "EXTRACTOR_RAISE_FLOOR is set: the real-report floor is being rewritten"
