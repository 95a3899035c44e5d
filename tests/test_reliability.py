"""Issue 10: hostile input, faults and concurrency. One regression test per defect of the audit, named after
it; each recipe must end in a bounded `failed` (or a correctly flagged document), in batch and through the API."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, REPO

import extractor
from extractor.cli import main

PY = sys.executable
SLOW_RUN = """
import os, sys, time
import extractor.pipeline as pipeline
real = pipeline.run
def slow(raw, doc_id, *a, **k):
    with open(os.environ["PIDS"], "a") as f:
        f.write(f"{os.getpid()}\\n")
    time.sleep(float(os.environ.get("SLEEP", "600")))
    return real(raw, doc_id, *a, **k)
pipeline.run = slow
from extractor.cli import main
sys.argv = ["extractor"] + sys.argv[1:]
main()
"""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "zombie" not in f.read().lower()
    except FileNotFoundError:
        return False


def _slow_batch(tmp_path: Path, args: list[str], sleep: str) -> tuple[subprocess.Popen[bytes], Path]:
    script = tmp_path / "slow.py"
    script.write_text(SLOW_RUN, encoding="utf-8")
    pids = tmp_path / "pids.txt"
    env = dict(os.environ, PIDS=str(pids), SLEEP=sleep, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([PY, str(script), *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return proc, pids


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killed_batch_leaves_no_worker_alive(tmp_path: Path, how: int) -> None:
    """Defect 1: a killed batch left its workers running forever."""
    doc = tmp_path / "doc.txt"
    doc.write_text("1 " * 20000, encoding="utf-8")
    proc, pids = _slow_batch(tmp_path, ["batch", str(doc), "--out", str(tmp_path / "o"), "--quiet"], "600")
    deadline = time.monotonic() + 30
    while not (pids.exists() and pids.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [int(p) for p in pids.read_text().split()]
    assert workers and all(_alive(p) for p in workers)
    proc.send_signal(how)
    proc.wait(timeout=20)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers), "a worker outlived its batch by more than 10 s"


def _docs(tmp_path: Path, names: list[str]) -> Path:
    inputs = tmp_path / "in"
    for name in names:
        src = next((CORPUS / name).glob("document.*"))
        (inputs / name).mkdir(parents=True)
        (inputs / name / src.name).write_bytes(src.read_bytes())
    return inputs


NAMES = ["html_2021_basic", "html_2019_basic", "docx_2021", "text_tab_2021", "text_pipe_2021", "html_blanks",
         "text_glued_2021", "html_traditional"]


@pytest.mark.parametrize("kill_after", [0.8, 1.9, 3.1])
def test_kill_then_resume_gives_each_row_once(tmp_path: Path, kill_after: float) -> None:
    """Defect 6: a kill between writes, then a resume, duplicated rows."""
    inputs = _docs(tmp_path, NAMES)
    out = tmp_path / "out"
    proc, _ = _slow_batch(tmp_path, ["batch", str(inputs), "--out", str(out), "-j", "2", "--quiet"], "0.4")
    time.sleep(kill_after)
    proc.kill()
    proc.wait(timeout=20)
    journal = out / "reports.jsonl"
    if journal.exists():  # a kill in the middle of a write leaves at most an unfinished last line
        with journal.open("ab") as f:
            f.write(b'{"doc_id": "html_2021_basic/document.html", "status": "ok", "cel')
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    docs = _rows(out / "documents.csv")
    assert sorted(d["doc_id"] for d in docs) == sorted(f"{n}/{next((inputs / n).iterdir()).name}" for n in NAMES)
    keys = [(r["doc_id"], r["table"], r["row"], r["col"]) for r in _rows(out / "cells.csv")]
    assert len(keys) == len(set(keys))
    assert sum(int(d["n_cells"]) for d in docs) == len(keys)
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["doc_id"] for line in lines)


def test_rerun_after_a_file_changed_replaces_its_rows(tmp_path: Path) -> None:
    inputs = _docs(tmp_path, ["html_2021_basic", "text_tab_2021"])
    out = tmp_path / "out"
    CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    changed = inputs / "text_tab_2021" / "document.txt"
    changed.write_bytes((CORPUS / "text_pipe_2021" / "document.txt").read_bytes())
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    assert "1 ok, 1 skipped" in result.output
    docs = _rows(out / "documents.csv")
    assert len(docs) == 2
    cells = [r for r in _rows(out / "cells.csv") if r["doc_id"] == "text_tab_2021/document.txt"]
    assert len(cells) == 200 and len({(r["table"], r["row"], r["col"]) for r in cells}) == 200


def test_second_batch_on_a_locked_out_is_refused(tmp_path: Path) -> None:
    """Defect 7: two batches on one --out both ran."""
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([PY, "-c", textwrap.dedent(f"""
        import fcntl, time
        f = open({str(out / '.lock')!r}, "a")
        fcntl.lockf(f, fcntl.LOCK_EX)
        print("locked", flush=True)
        time.sleep(60)""")], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
    try:
        result = CliRunner().invoke(main, ["batch", str(CORPUS / "html_2021_basic"), "--out", str(out)])
    finally:
        holder.kill()
    assert result.exit_code == 1 and "in use by another batch" in result.output


def test_api_call_is_bounded_in_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 3: extract() had no bounds; settings were accepted and ignored."""
    import extractor.pipeline as pipeline

    def hang(*args: object, **kwargs: object) -> None:
        time.sleep(600)

    monkeypatch.setattr(pipeline, "run", hang)  # the worker forked below inherits the hang
    start = time.monotonic()
    report = extractor.extract(b"anything", kind="text", settings={"max_seconds": 2, "max_memory_mb": 512})
    assert report.status == "failed" and "timed out" in report.error
    assert time.monotonic() - start < 2 + 5


def test_api_refuses_dev_zero_and_fifo(tmp_path: Path) -> None:
    """Defect 3: /dev/zero ran out of memory, a FIFO hung forever."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for source in ("/dev/zero", str(fifo)):
        start = time.monotonic()
        report = extractor.extract(source)
        assert report.status == "failed" and "only regular files are read" in report.error
        assert time.monotonic() - start < 5


def _docx_with(document_xml: str) -> bytes:
    base = (CORPUS / "docx_2021" / "document.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = document_xml.encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


def test_docx_huge_gridspan_is_clamped_before_use() -> None:
    """Defect 2: a gridSpan of 999999999 drove a loop for the whole time limit."""
    base = (CORPUS / "docx_2021" / "document.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    hostile = xml.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="999999999"/>', 1)
    start = time.monotonic()
    report = extractor.extract(_docx_with(hostile), settings={"max_seconds": 20})
    assert time.monotonic() - start < 10 and report.status in ("ok", "flagged", "failed")
    assert "internal error" not in report.error


def test_docx_body_over_the_limit_is_refused() -> None:
    """Defect 2: a DOCX inflating to 250 MB passed the zip checks and took gigabytes."""
    report = extractor.extract((CORPUS / "docx_2021" / "document.docx").read_bytes(),
                               settings={"max_docx_xml_bytes": 10_000})
    assert report.status == "failed" and "Word document body inflates" in report.error


def test_one_line_of_twenty_thousand_tokens_is_linear() -> None:
    """Defect 2: quadratic field measuring (40 KB: 51 s)."""
    start = time.monotonic()
    report = extractor.extract(("1 " * 20000).encode(), kind="text", settings={"isolate": False})
    assert report.status == "failed" and time.monotonic() - start < 5


def test_glued_runs_of_26_digits_are_bounded() -> None:
    """Defect 2: the resolver copied a dict for each of up to 200 000 candidate splits."""
    rows = "\n".join(f"{label}{'12345678901234567890123456'}" for label in (
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开", "（七）总计"))
    text = f"某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{rows}\n"
    start = time.monotonic()
    report = extractor.extract(text.encode(), kind="text", settings={"isolate": False})
    assert time.monotonic() - start < 20 and report.status in ("flagged", "failed")


def test_pdf_with_a_thousand_by_thousand_grid_is_bounded(tmp_path: Path) -> None:
    """Defect 2: a 12 KB PDF drawing a 1000x1000 ruled grid (O(h x v), 2.8 GB at 3000)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(1000, 1000))
    for i in range(1001):
        c.line(0, i, 1000, i)
        c.line(i, 0, i, 1000)
    c.drawString(10, 10, "第二十条 自然人")
    c.save()
    start = time.monotonic()
    report = extractor.extract(buf.getvalue(), settings={"max_seconds": 30})
    assert time.monotonic() - start < 30 and report.status == "failed"


def test_multi_frame_tiff_is_bounded_before_decoding(tmp_path: Path) -> None:
    """Defect 2: a small TIFF of 50 frames x 56 Mpx took 7.4 GB."""
    from PIL import Image

    frames = [Image.new("1", (2000, 2000)) for _ in range(5)]
    path = tmp_path / "frames.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="group4")
    report = extractor.extract(path, settings={"max_image_frames": 3})
    assert report.status == "failed" and "frame" in report.error
    report = extractor.extract(path, settings={"max_document_pixels": 10_000_000})
    assert report.status == "failed" and "pixel" in report.error


def test_csv_cells_that_spreadsheets_would_run_are_quoted(tmp_path: Path) -> None:
    """Defect 8: a doc_id starting with = went into the CSV raw (formula injection)."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "=HYPERLINK(1).html").write_bytes((CORPUS / "html_2021_basic" / "document.html").read_bytes())
    out = tmp_path / "out"
    CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    assert _rows(out / "documents.csv")[0]["doc_id"] == "'=HYPERLINK(1).html"


def test_pil_global_limit_is_left_alone() -> None:
    """Defect 8: the library set PIL's global MAX_IMAGE_PIXELS."""
    from PIL import Image

    before = Image.MAX_IMAGE_PIXELS
    extractor.extract((CORPUS / "scan_200dpi_clean" / "document.pdf").read_bytes(), settings={"isolate": False})
    assert Image.MAX_IMAGE_PIXELS == before


def test_2021_report_never_mixes_other_with_missing_sub_rows() -> None:
    """Defect 5: （六）2 with a corrupted label cell came out as `other`, status ok."""
    page = (CORPUS / "html_2021_basic" / "document.html").read_text(encoding="utf-8")
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    start = page.index(label)
    cell_start = page.rindex("<td", 0, start)
    corrupted = page[:cell_start] + "<\xe1d" + page[cell_start + 3:]
    report = extractor.extract(corrupted.encode("utf-8"), kind="html")
    assert report.status == "flagged"
    assert report.cell("t3", "other", "natural") is None or any(
        f.check in ("mixed_other", "missing_cells") and f.severity == "error" for f in report.findings)


def test_worker_memory_is_shared_out() -> None:
    """Defect 8: -j N allowed N x 4 GiB."""
    from extractor.pool import worker_memory
    from extractor.settings import Settings

    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    assert worker_memory(Settings(), 64) * 64 <= total


def test_slow_script_is_valid_python() -> None:
    compile(textwrap.dedent(SLOW_RUN), "slow.py", "exec")
