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


def _exact(tmp_path: Path, seed: int) -> None:
    status, right, total, bad = _read(write(tmp_path, seed))
    assert (status, right) == ("ok", total), bad[:5]


@needs_chromium
def test_browser_dashed_border_drawn_as_one_path(tmp_path: Path) -> None:
    """Chromium fills every dash of a dashed border (2.2 x 0.7 pt) as a subpath of one path over the page;
    the path's box is the page, read as a cell fill and skipped (browser draw 50024: no rules)."""
    _exact(tmp_path, 50024)


@needs_chromium
def test_browser_horizontal_rules_wrapped_labels(tmp_path: Path) -> None:
    """Rules between rows only, labels over two or three lines, values centred between them: '其小' read as one
    header word, a wrapped label's end joined to the next row's line, dashes apart from the digits of their
    row, '信1' glued (browser draw 50009: 34/200)."""
    _exact(tmp_path, 50009)


@needs_chromium
def test_browser_stacked_group_label_beside_wrapped_labels(tmp_path: Path) -> None:
    """No rules, a group label written vertically one letter a line beside labels wrapped around their
    values, '总计' centred over three header lines (browser draw 50016: 137/200)."""
    _exact(tmp_path, 50016)


@needs_chromium
def test_browser_blank_dashes_around_one_value_not_a_page_number(tmp_path: Path) -> None:
    """'-' '2' '-' across 表二's columns read as a page footer '- 2 -' and dropped; the row came out blank and
    sure (browser draw 50014: silently wrong)."""
    _exact(tmp_path, 50014)


@needs_chromium
def test_browser_distributed_labels(tmp_path: Path) -> None:
    """Labels set with distributed spacing come one letter a token ('行' '政' '许' '可': browser draw 50042)."""
    _exact(tmp_path, 50042)
