"""Every web page of the corpus and of the real reports, dumped as a crawler does (cells run together):
each cell comes out right or the document is flagged, never silently wrong (issue 7 item 4)."""

from __future__ import annotations

import sys

import pytest
from conftest import CORPUS, REALDATA

import extractor
from extractor.evaluation import discover, score

sys.path.insert(0, str(CORPUS))
from render_crawler import crawler_text, pipe_text  # noqa: E402

PAGES = [c for root in (CORPUS, REALDATA) if root.exists() for c in discover(root)
         if c.document.suffix.lower() in (".html", ".htm") and "images" not in c.folder.name]


@pytest.mark.parametrize("case", PAGES, ids=[c.name for c in PAGES])
@pytest.mark.parametrize("row_sep", ["", " "], ids=["glued", "rows-spaced"])
def test_crawler_dump_is_right_or_flagged(case, row_sep: str) -> None:  # type: ignore[no-untyped-def]
    text = crawler_text(case.document.read_bytes(), row_sep=row_sep)
    report = extractor.extract(text.encode("utf-8"), kind="text")
    result = score(report, case)
    if report.status == "ok":
        assert not result.wrong and not result.missing, (result.wrong[:5], result.missing[:5])


def test_real_crawler_dump_matches_the_saved_one() -> None:
    """The renderer reproduces what the real crawler saved (the table part of fj_pingtan_2023)."""
    folder = REALDATA / "fj_pingtan_2023"
    if not folder.exists():
        pytest.skip(f"{REALDATA} is absent")
    ours = crawler_text((folder / "source.html").read_bytes())
    saved = (folder / "source_page.txt").read_text(encoding="utf-8")
    snippet = "一、本年新收政府信息公开申请数量801000081二、上年结转政府信息公开申请数量0000000"
    assert snippet in saved and snippet in ours


@pytest.mark.parametrize("case", PAGES, ids=[c.name for c in PAGES])
@pytest.mark.parametrize("one_cell_per_line", [False, True], ids=["pipe-rows", "cell-per-line"])
def test_pipe_excerpt_is_right_or_flagged(case, one_cell_per_line: bool) -> None:  # type: ignore[no-untyped-def]
    """The web-page corpus renderings of ../shared/realdata/*_pg: `a | b |` rows, or one cell per line."""
    text = pipe_text(case.document.read_bytes(), one_cell_per_line)
    report = extractor.extract(text.encode("utf-8"), kind="text", settings={"isolate": False})
    result = score(report, case)
    if report.status == "ok":
        assert not result.wrong and not result.missing, (result.wrong[:5], result.missing[:5])
