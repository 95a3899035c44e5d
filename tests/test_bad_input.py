"""Hostile and broken input: one clear failed report each, bounded time and memory, nothing leaks out."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest

import extractor
from extractor.inputs import Job
from extractor.pool import run_many
from extractor.settings import Settings


def _failed(report: extractor.Report, words: str) -> None:
    assert report.status == "failed"
    assert words in report.error
    assert "\n" not in report.error and len(report.error) < 320


def test_empty_file() -> None:
    _failed(extractor.extract(b""), "empty")


def test_missing_file_is_a_failed_report_not_an_exception(tmp_path: Path) -> None:
    _failed(extractor.extract(tmp_path / "nope.html"), "cannot read input")


def test_corrupt_docx() -> None:
    _failed(extractor.extract(b"PK\x03\x04" + bytes(range(256)) * 4), "not a valid Word file")


def test_zip_without_document_xml_is_an_archive_not_a_broken_word_file() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    report = extractor.extract(buf.getvalue())
    _failed(report, "not a government information disclosure annual report")
    assert report.doc_id == "<bytes>!hello.txt"


def test_zip_bomb_is_refused_before_inflating() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b"a" * 50_000_000)
    assert len(buf.getvalue()) < 200_000
    _failed(extractor.extract(buf.getvalue()), "zip bomb")


def test_not_a_report() -> None:
    page = ("<html><body><h1>关于开展春季植树活动的通知</h1>"
            "<table><tr><td>单位</td><td>人数</td></tr></table></body></html>")
    _failed(extractor.extract(page.encode()), "not a government information disclosure annual report")


def test_docx_external_entity_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-本机关不掌握", encoding="utf-8")
    d = docx.Document()
    d.add_paragraph("PLACEHOLDER")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                head, body = text.split("?>", 1)
                text = (head + f'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>' + body)
                text = text.replace("PLACEHOLDER", "&xxe;")
                data = text.encode()
            z.writestr(item, data)
    report = extractor.extract(out.getvalue())
    assert report.status == "failed"
    assert "TOPSECRET" not in repr(report)


def test_deeply_nested_html_is_bounded() -> None:
    heading = "三、收到和处理政府信息公开申请情况"
    page = "<html><body>" + "<div>" * 100_000 + heading + "</div>" * 100_000 + "</body></html>"
    start = time.perf_counter()
    report = extractor.extract(page.encode())
    assert time.perf_counter() - start < 10
    assert report.status == "failed"


def test_huge_table_is_bounded() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>{i}</td></tr>" for i in range(100_000))
    page = f"<html><body><p>三、收到和处理政府信息公开申请情况</p><table>{rows}</table></body></html>"
    start = time.perf_counter()
    report = extractor.extract(page.encode())
    assert time.perf_counter() - start < 10
    assert report.status == "failed"


def test_input_over_size_limit() -> None:
    _failed(extractor.extract(b"x" * 2000, settings={"max_bytes": 1000}), "over the 1000-byte limit")


def test_html_image_and_file_urls_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    page = f'<html><body><img src="file://{secret}"><iframe src="file://{secret}"></iframe></body></html>'
    assert "TOPSECRET" not in repr(extractor.extract(page.encode()))


GOOD = Path(__file__).resolve().parent.parent / "corpus" / "html_2021_basic" / "document.html"


def _batch_with_bad_marker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, marker: str, misbehave,  # type: ignore[no-untyped-def]
                           settings: Settings) -> dict[str, extractor.Report]:
    """Run a batch of one document that misbehaves inside its worker (it holds `marker`) and a good one."""
    import extractor.pipeline as pipeline

    bad = tmp_path / "bad.html"
    bad.write_text(f"<html><body>{marker}</body></html>", encoding="utf-8")
    original = pipeline.stage_load

    def load(work):  # type: ignore[no-untyped-def]
        if marker.encode() in work.raw.data:
            misbehave()
        original(work)

    monkeypatch.setattr(pipeline, "STAGES", [("load", load), *pipeline.STAGES[1:]])
    jobs = [Job(str(bad), "bad"), Job(str(GOOD), "good")]
    return {r.doc_id: r for r in run_many(jobs, jobs=1, kind=None, settings=settings)}


def test_batch_survives_a_hanging_document(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    start = time.perf_counter()
    reports = _batch_with_bad_marker(monkeypatch, tmp_path, "SLOW", lambda: time.sleep(60), Settings(max_seconds=2))
    assert time.perf_counter() - start < 30
    assert reports["bad"].status == "failed" and "timed out" in reports["bad"].error
    assert reports["good"].status == "ok"


def test_batch_survives_a_crashing_worker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    reports = _batch_with_bad_marker(monkeypatch, tmp_path, "CRASH", lambda: os._exit(9), Settings())
    assert reports["bad"].status == "failed" and "worker died" in reports["bad"].error
    assert reports["good"].status == "ok"
