"""Reports given as URLs: fetched over http(s) with bounds; other schemes are refused."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS

import extractor
from extractor.cli import main


@pytest.fixture()
def server() -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(CORPUS))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_extract_url(server: str) -> None:
    report = extractor.extract(f"{server}/html_2021_basic/document.html")
    assert report.status == "ok" and report.doc_id.endswith("/html_2021_basic/document.html")


def test_batch_url_and_missing_url(server: str, tmp_path: Path) -> None:
    good, missing = f"{server}/docx_2021/document.docx", f"{server}/nope.html"
    result = CliRunner().invoke(main, ["batch", good, missing, "--out", str(tmp_path), "--quiet",
                                       "--allow-private-urls"])
    assert "1 ok" in result.output and "1 failed" in result.output
    rows = (tmp_path / "documents.csv").read_text(encoding="utf-8")
    assert good in rows and "404" in rows


def test_other_url_schemes_are_refused(tmp_path: Path) -> None:
    from extractor.fetch import fetch_url
    from extractor.settings import Settings

    with pytest.raises(extractor.errors.UnsupportedInput):
        fetch_url(f"file://{tmp_path}", Settings())
