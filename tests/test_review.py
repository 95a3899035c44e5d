"""The review site in a real browser (headless Chromium, installed by .ci/run): the page of a flagged
report highlights the cell of the failed check and its source crop loads; a screenshot is kept."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, REPO

from extractor.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = REPO / "benchmarks" / "out" / "review_flagged_pdf.png"


def _batch(tmp_path: Path) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(CORPUS / "pdf_source_errors" / "document.pdf", inputs / "flagged.pdf")
    shutil.copy(CORPUS / "html_source_errors" / "document.html", inputs / "flagged.html")
    shutil.copy(CORPUS / "html_2021_basic" / "document.html", inputs / "ok.html")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--review", "--quiet"])
    assert "review:" in result.output, result.output
    return out / "review"


def test_review_site_files(tmp_path: Path) -> None:
    review = _batch(tmp_path)
    index = (review / "index.html").read_text(encoding="utf-8")
    assert index.index("flagged.html") < index.index("ok.html")  # flagged documents first
    page = next(p for p in review.glob("doc*.html") if "flagged.pdf" in p.read_text(encoding="utf-8"))
    html = page.read_text(encoding="utf-8")
    assert re.search(r"<td class='bad' data-code='t4/suit_direct/total'", html)
    assert "<img src='img/" in html and "expected" in html


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_review_page_in_a_browser(tmp_path: Path) -> None:
    review = _batch(tmp_path)
    page = next(p for p in review.glob("doc*.html") if "flagged.pdf" in p.read_text(encoding="utf-8"))
    profile = tmp_path / "profile"
    run = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=3000"]
    dom = subprocess.run([*run, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "class=\"bad\"" in dom and "data-code=\"t4/suit_direct/total\"" in dom
    loaded = re.search(r'data-images-loaded="(\d+)"', dom)
    total = re.search(r'data-images="(\d+)"', dom)
    assert loaded and total and int(total.group(1)) > 0 and loaded.group(1) == total.group(1), dom[:500]
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([*run, "--window-size=1400,2000", f"--screenshot={SCREENSHOT}", page.as_uri()],
                   capture_output=True, timeout=120)
    assert SCREENSHOT.exists() and SCREENSHOT.stat().st_size > 10_000
