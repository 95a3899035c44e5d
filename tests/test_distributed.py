"""Issue 12: batches on a Dask cluster (LocalCluster, worker processes), inputs and outputs through fsspec,
report pages whose report is an attachment."""

from __future__ import annotations

import csv
import functools
import http.server
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from extractor.cli import main

pytest.importorskip("distributed")

CASES = ["html_2021_basic", "html_2019_basic", "docx_2021", "text_tab_2021", "text_glued_2021", "pdf_ruled_2021",
         "pdf_unruled_2021", "html_source_errors", "bad"]


def _inputs(tmp_path: Path) -> Path:
    inputs = tmp_path / "in"
    for name in CASES:
        shutil.copytree(CORPUS / name, inputs / name)
    return inputs


def _table(path: Path, key: tuple[str, ...], drop: tuple[str, ...] = ("seconds",)) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8") as f:
        rows = [tuple(v for k, v in r.items() if k not in drop) for r in csv.DictReader(f)]
    return sorted(rows)


def test_dask_local_cluster_matches_the_local_pool(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    local, dask = tmp_path / "local", tmp_path / "dask"
    CliRunner().invoke(main, ["batch", str(inputs), "--out", str(local), "-j", "2", "--quiet"])
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(dask), "--dask", "local:2", "--quiet"])
    assert result.exit_code == 3, result.output  # corpus/bad fails, as in the local run
    assert "worker tcp://" in result.output
    for name in ("cells.csv", "documents.csv", "checks.csv"):
        assert _table(dask / name, ()) == _table(local / name, ()), name
    again = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(dask), "--dask", "local:2", "--quiet"])
    assert "skipped" in again.output and len(_table(dask / "documents.csv", ())) == len(
        _table(local / "documents.csv", ()))


def test_dask_survives_a_killed_worker(tmp_path: Path) -> None:
    """A worker killed midway: its task runs again elsewhere; nothing is lost or duplicated."""
    from extractor.batch import run_batch
    from extractor.distributed import DaskRun, connect
    from extractor.settings import Settings

    inputs = _inputs(tmp_path)
    run = connect("local:2", Settings())
    killed: list[int] = []

    def kill_one() -> None:
        time.sleep(1.5)
        pids = run.client.run(os.getpid)
        victim = sorted(pids.values())[0]
        killed.append(victim)
        os.kill(victim, 9)

    import extractor.distributed as distributed

    original = distributed.connect
    distributed.connect = lambda spec, settings: run  # type: ignore[assignment]
    try:
        threading.Thread(target=kill_one, daemon=True).start()
        summary = run_batch([str(inputs)], tmp_path / "out", 1, Settings(), dask="local:2")
    finally:
        distributed.connect = original  # type: ignore[assignment]
    assert killed and isinstance(run, DaskRun)
    docs = _table(tmp_path / "out" / "documents.csv", ())
    ids = [d[0] for d in docs]
    assert len(ids) == len(set(ids)) == summary.inputs
    cells = _table(tmp_path / "out" / "cells.csv", ())
    keys = [(c[0], c[2], c[3], c[4]) for c in cells]
    assert len(keys) == len(set(keys))


def test_fsspec_inputs_and_outputs(tmp_path: Path) -> None:
    import fsspec

    from extractor.batch import run_batch
    from extractor.settings import Settings

    fs = fsspec.filesystem("memory")
    for name in ("html_2021_basic", "text_tab_2021"):
        source = next((CORPUS / name).glob("document.*"))
        fs.pipe(f"/reports/{name}/{source.name}", source.read_bytes())
    summary = run_batch(["memory://reports"], "memory://results", 1, Settings())
    assert summary.counts["ok"] == 2
    assert fs.exists("/results/cells.parquet") and fs.exists("/results/documents.csv")
    again = run_batch(["memory://reports"], "memory://results", 1, Settings())
    assert again.counts["skipped"] == 2


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(CORPUS / "docx_2021" / "document.docx", root / "report.docx")
    (root / "page.html").write_text(
        "<html><body><h1>某县2023年政府信息公开工作年度报告</h1><p>附件：<a href='report.docx'>2023年政府信息公开"
        "工作年度报告.docx</a> <a href='http://elsewhere.example/x.pdf'>外站</a></p></body></html>",
        encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_report_page_whose_report_is_an_attachment(site: str, tmp_path: Path) -> None:
    page = f"{site}/page.html"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", page, "--out", str(out), "--quiet", "--allow-private-urls"])
    assert result.exit_code == 0, result.output
    with (out / "documents.csv").open(encoding="utf-8") as f:
        docs = list(csv.DictReader(f))
    assert [(d["doc_id"], d["parent"], d["status"]) for d in docs] == [(f"{site}/report.docx", page, "ok")]


def test_local_path_does_not_import_dask_or_fsspec(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys, extractor\n"
            f"list(extractor.extract_many([{str(CORPUS / 'html_2021_basic' / 'document.html')!r}]))\n"
            "from extractor.batch import run_batch\nfrom extractor.settings import Settings\n"
            f"run_batch([{str(CORPUS / 'text_tab_2021')!r}], {str(tmp_path / 'o')!r}, 1, Settings())\n"
            "print(sorted(m for m in ('dask', 'distributed', 'fsspec') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr
