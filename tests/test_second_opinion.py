"""The second opinion: pdfplumber and camelot re-read born-digital tables left with errors; their reading is
taken only where every identity holds and every undoubted value agrees."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, REALDATA

import extractor
from extractor.evaluation import discover, score
from extractor.model import CanonicalCell, Finding
from extractor.pipeline import STAGES, Work, stage_second_opinion, stage_validate
from extractor.settings import Settings
from extractor.sources import RawInput
from extractor.validate.opinion import judge

sys.path.insert(0, str(CORPUS))
from pdf_variations import write  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
HONGZE = REALDATA / "js_huaian_hongzequ_2023" / "source.pdf"


def _read_until_validate(path: Path) -> Work:
    work = Work(raw=RawInput(path.read_bytes(), path.name), settings=Settings(isolate=False), kind="pdf")
    for name, stage in STAGES:
        if name == "validate":
            break
        stage(work)
    return work


@pytest.mark.skipif(not FONT.exists(), reason="CJK font not installed (fonts-wqy-zenhei)")
def test_second_opinion_restores_a_value_the_primary_misread(tmp_path: Path) -> None:
    """A ruled report whose primary reading of one 表三 value is wrong (I3 fails): pdfplumber's reading of the
    page makes every identity hold and agrees elsewhere, so it replaces 表三, with its own method."""
    folder = write(tmp_path, 1004)  # fully ruled
    case = next(iter(discover(folder.parent)))
    work = _read_until_validate(case.document)
    assert work.mapping is not None
    index, cell = next((i, c) for i, c in enumerate(work.mapping.cells)
                       if c.key == ("t3", "granted", "natural"))
    work.mapping.cells[index] = replace(cell, value=int(cell.number) + 7, raw=str(int(cell.number) + 7))
    stage_validate(work)
    assert any(f.check == "I3" and f.severity == "error" for f in work.findings)
    stage_second_opinion(work)
    assert not [f for f in work.findings if f.severity == "error"], work.findings
    restored = next(c for c in work.mapping.cells if c.key == ("t3", "granted", "natural"))
    assert restored.value == cell.value and restored.method.split(":")[0] == "pdfplumber"
    assert restored.provenance.page and restored.provenance.bbox is not None
    note = next(f for f in work.findings if f.check == "second_opinion")
    assert "accepted" in note.message and "I3" in note.message


@pytest.mark.skipif(not HONGZE.exists(), reason="../shared/realdata not present")
def test_second_opinion_keeps_the_source_own_errors() -> None:
    """The real 洪泽区 PDF breaks I4 twice itself: the other engines read the same values, the flag stays."""
    report = extractor.extract(HONGZE)
    case = next(c for c in discover(HONGZE.parent) if c.document == HONGZE)
    assert report.status == "flagged"
    assert sum(1 for f in report.findings if f.check == "I4" and f.severity == "error") == 2
    note = next(f for f in report.findings if f.check == "second_opinion")
    assert note.message.startswith("pdfplumber reads the same values") and "flag stays" in note.message
    result = score(report, case)
    assert result.right == result.total
    assert {c.method for c in report.cells} == {"pdf-lattice:header"}


def _cell(row: str, col: str, value: int, table: str = "t3") -> CanonicalCell:
    return CanonicalCell("2021", table, row, col, value, str(value), extractor.model.Provenance(), "x", 1.0)


def test_shifted_reading_that_keeps_identities_is_refused() -> None:
    """An engine whose values differ on a row the primary read without doubt is refused, whatever its
    identities say (a column shifted under a 小计 keeps them)."""
    primary = [_cell("new", "natural", 5), _cell("new", "total", 5), _cell("granted", "natural", 3)]
    doubt = [Finding("I3", "error", "x", table="t3", row="granted", cells=(("t3", "granted", "natural"),))]
    other = [_cell("new", "natural", 4), _cell("new", "total", 5), _cell("granted", "natural", 2)]
    verdict = judge("t3", "2021", primary, doubt, other, [])
    assert not verdict.accepted and "differ" in verdict.reason


def test_table_without_identities_needs_confirmed_values() -> None:
    """表二 has no identity: a reading whose values the primary mostly could not confirm is refused."""
    primary = [_cell("regulations", "made", 1, "t2")]
    doubt = [Finding("misaligned_row", "error", "x", table="t2", row="regulations")]
    other = [_cell("regulations", "made", 2, "t2"), _cell("normative", "made", 3, "t2")]
    verdict = judge("t2", "2021", primary, doubt, other, [])
    assert not verdict.accepted and "confirmed" in verdict.reason
