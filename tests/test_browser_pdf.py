"""Reports printed to PDF by Chromium (corpus/browser_pdf_variations.py): a PDF maker other than our own
writer. A small draw is right or flagged; layouts it broke are regression tests here."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import CORPUS

import extractor
from extractor.evaluation import discover, score
from extractor.sources.pdf import _dotted_rules

sys.path.insert(0, str(CORPUS))
from browser_pdf_variations import write  # noqa: E402

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")


def _read(folder: Path) -> tuple[str, int, int, list[object]]:
    case = next(iter(discover(folder)))
    report = extractor.extract(case.document)
    result = score(report, case)
    return report.status, result.right, result.total, [*result.wrong, *result.missing]


def test_dots_in_a_row_are_one_rule() -> None:
    row = [(100 + 1.5 * k, 50.0, 0.75) for k in range(40)]
    column = [(20.0, 10 + 1.5 * k, 0.75) for k in range(10)]
    scattered = [(300 + 9 * k, 200 + 7 * k, 0.75) for k in range(6)]  # full stops, not a rule
    segments = _dotted_rules(row + column + scattered)
    horizontal = [s for s in segments if s.horizontal and s.x1 - s.x0 > 4]
    vertical = [s for s in segments if not s.horizontal]
    assert len(horizontal) == 1 and horizontal[0].x0 == pytest.approx(99.625) and horizontal[0].x1 > 158
    assert len(vertical) == 1 and vertical[0].x0 == pytest.approx(20.0)


@needs_chromium
def test_browser_dotted_borders(tmp_path: Path) -> None:
    """Chromium draws a dotted border as one 0.75 pt square per dot: the table had no rules at all
    (browser draw 50058: 10/200 cells, 表三 not found)."""
    status, right, total, bad = _read(write(tmp_path, 50058, border="dotted", vertical_groups=False))
    assert (status, right) == ("ok", total), bad[:5]


@needs_chromium
def test_browser_draw_right_or_flagged(tmp_path: Path) -> None:
    for seed in range(50100, 50104):
        status, right, total, bad = _read(write(tmp_path / str(seed), seed))
        assert status != "ok" or right == total, (seed, bad[:5])
