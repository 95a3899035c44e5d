"""Golden outputs beside every corpus document. Regenerate with EXTRACTOR_REGEN_GOLDEN=1 (the run then
fails on purpose, so the flag cannot be left on)."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS, REGEN_GOLDEN, extract_once

import extractor
from extractor.evaluation import discover
from extractor.export.records import value_text

CASES = list(discover(CORPUS))


def _golden(report: extractor.Report) -> dict[str, object]:
    return {
        "status": report.status,
        "template": report.template,
        "agency": report.agency,
        "year": report.year,
        "cells": {f"{c.table}/{c.row}/{c.col}": [value_text(c.value), c.raw] for c in report.cells},
        "findings": sorted(f"{f.severity} {f.check} {f.table}/{f.row}/{f.col}" for f in report.findings),
    }


@pytest.mark.parametrize("case", CASES, ids=[c.folder.name for c in CASES])
def test_matches_golden(case) -> None:  # type: ignore[no-untyped-def]
    got = _golden(extract_once(case.document))
    path = case.folder / "golden.json"
    if REGEN_GOLDEN:
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.fail("golden file regenerated: unset EXTRACTOR_REGEN_GOLDEN and re-run")
    assert path.exists(), f"no golden file for {case.folder.name}: run with EXTRACTOR_REGEN_GOLDEN=1"
    assert got == json.loads(path.read_text(encoding="utf-8"))


def test_regen_flag_is_off() -> None:
    assert not REGEN_GOLDEN, "EXTRACTOR_REGEN_GOLDEN is set: golden files are being rewritten"
