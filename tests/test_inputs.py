"""A row for every input: markdown, XHTML, spreadsheets, zip archives, unknown types, special files
(issue 7 item 5; issue 10 item 8)."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from conftest import CORPUS

import extractor
from extractor.cli import main
from extractor.evaluation import discover, score
from extractor.sources import sniff_kind

HTML = CORPUS / "html_2021_basic" / "document.html"
TEXT = CORPUS / "text_tab_2021" / "document.txt"


def _case(name: str):  # type: ignore[no-untyped-def]
    return next(c for c in discover(CORPUS) if c.folder.name == name)


def test_markdown_file_is_read_as_text(tmp_path: Path) -> None:
    md = tmp_path / "report.md"
    md.write_bytes(TEXT.read_bytes())
    report = extractor.extract(md)
    assert report.status == "ok" and len(report.cells) == 200


def test_xhtml_with_xml_declaration() -> None:
    page = HTML.read_text(encoding="utf-8")
    xhtml = '<?xml version="1.0" encoding="utf-8"?>\n' + page
    report = extractor.extract(xhtml.encode("utf-8"), kind="html")
    assert report.status == "ok" and len(report.cells) == 200


def _sheet_of(case_name: str, path: Path) -> None:
    """The text rendering's grid written into a workbook, numbers as numbers (71.0 as calamine reads it)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in (CORPUS / case_name / "document.txt").read_text(encoding="utf-8").splitlines():
        sheet.append([float(f) if f.strip().isdigit() else f for f in line.split("\t")])
    book.save(path)


def test_xlsx_workbook(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    _sheet_of("text_tab_2021", path)
    assert sniff_kind(path.read_bytes(), "x.bin") == "sheet"
    report = extractor.extract(path)
    result = score(report, _case("text_tab_2021"))
    assert not result.wrong and not result.missing, (result.wrong[:3], result.missing[:3])
    assert report.status == "ok" and report.source_kind == "sheet"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_zip_of_reports_gives_a_row_per_member(tmp_path: Path) -> None:
    archive = tmp_path / "reports.zip"
    archive.write_bytes(_zip({"a/report.html": HTML.read_bytes(), "b.txt": TEXT.read_bytes(),
                              "__MACOSX/._b.txt": b"junk", "inner.zip": _zip({"x.txt": b"x"})}))
    reports = {r.doc_id: r for r in extractor.extract_many([archive])}
    assert reports[f"{archive}!a/report.html"].status == "ok"
    assert reports[f"{archive}!b.txt"].status == "ok"
    assert "archive inside an archive" in reports[f"{archive}!inner.zip"].error
    assert len(reports) == 3
    single = extractor.extract(archive)
    assert single.status == "failed" and "zip archive of 3 documents" in single.error


def test_unknown_type_is_named(tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(200))
    report = extractor.extract(path)
    assert report.status == "failed" and "MP4" in report.error and "unsupported input" in report.error
    gz = extractor.extract(b"\x1f\x8b\x08\x00" + bytes(100))
    assert "gzip" in gz.error


def test_report_without_readable_tables_is_not_called_not_a_report() -> None:
    text = "某县2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n（表格见附件图片）\n".encode()
    report = extractor.extract(text, kind="text")
    assert report.status == "failed" and "not a government" not in report.error
    assert "a disclosure report" in report.error


def test_batch_gives_every_file_a_row(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "report.md").write_bytes(TEXT.read_bytes())
    (inputs / "notes.json").write_text("{}", encoding="utf-8")
    (inputs / "archive.zip").write_bytes(_zip({"r.html": HTML.read_bytes()}))
    os.mkfifo(inputs / "pipe.txt")
    outside = tmp_path / "secret.txt"
    outside.write_text("a local file that must never be read into output", encoding="utf-8")
    (inputs / "link.txt").symlink_to(outside)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    assert result.exit_code == 3, result.output
    with (out / "documents.csv").open(encoding="utf-8") as f:
        docs = {r["doc_id"]: r for r in csv.DictReader(f)}
    assert docs["report.md"]["status"] == "ok"
    assert docs["archive.zip!r.html"]["status"] == "ok"
    assert "not a regular file" in docs["pipe.txt"]["error"]
    assert "out of the input folder" in docs["link.txt"]["error"]
    assert "notes.json" not in docs
    assert "never be read" not in (out / "cells.csv").read_text(encoding="utf-8")


def test_two_roots_with_same_file_names_get_distinct_doc_ids(tmp_path: Path) -> None:
    for root in ("2022", "2023"):
        (tmp_path / root).mkdir()
        (tmp_path / root / "report.html").write_bytes(HTML.read_bytes())
    out = tmp_path / "out"
    CliRunner().invoke(main, ["batch", str(tmp_path / "2022"), str(tmp_path / "2023"), "--out", str(out), "--quiet"])
    with (out / "documents.csv").open(encoding="utf-8") as f:
        ids = sorted(r["doc_id"] for r in csv.DictReader(f))
    assert ids == ["2022/report.html", "2023/report.html"]
