from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import click
from click.testing import CliRunner
from conftest import CORPUS

from extractor.cli import main

CONTRACT = {
    "cells.csv": ["doc_id", "template", "table", "row", "col", "value", "raw", "page"],
    "documents.csv": ["doc_id", "source_kind", "agency", "year", "template", "status", "checks_failed", "error"],
    "checks.csv": ["doc_id", "check", "severity", "table", "row", "col", "expected", "found", "message"],
}


def test_every_command_has_help_text() -> None:
    assert main.help
    for name, command in main.commands.items():
        assert command.help and len(command.help) > 20, name
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.name}"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "0.1.0" in result.output


def test_extract_prints_tables_and_marks_findings() -> None:
    result = CliRunner().invoke(main, ["extract", str(CORPUS / "html_source_errors" / "document.html")])
    assert result.exit_code == 0
    assert "表三 收到和处理政府信息公开申请情况" in result.output
    assert "0!" in result.output  # 表四 复议 总计 printed 0 under non-zero parts
    assert "[error] I4 t4/review/total" in result.output


def test_extract_json() -> None:
    result = CliRunner().invoke(main, ["extract", "--json", str(CORPUS / "html_2021_basic" / "document.html")])
    data = json.loads(result.output)
    assert data["status"] == "ok" and len(data["cells"]) == 200


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_batch_contract_failures_and_rerun(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(CORPUS / "html_2021_basic", inputs / "a")
    shutil.copytree(CORPUS / "bad", inputs / "bad")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "-j", "2", "--quiet"])
    assert result.exit_code == 3, result.output  # some inputs failed
    assert "failed   bad/corrupt.pdf" in result.output
    for name, columns in CONTRACT.items():
        with (out / name).open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header[: len(columns)] == columns
    docs = {r["doc_id"]: r for r in _rows(out / "documents.csv")}
    assert docs["a/document.html"]["status"] == "ok"
    for bad in ("bad/empty.html", "bad/corrupt.docx", "bad/corrupt.pdf", "bad/not_a_report.html", "bad/README.md"):
        assert docs[bad]["status"] == "failed" and docs[bad]["error"], bad
    cells = [r for r in _rows(out / "cells.csv") if r["doc_id"] == "a/document.html"]
    assert len(cells) == 200
    assert (out / "cells.parquet").exists() and (out / "reports.jsonl").exists()
    again = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    # The ok document is skipped; the failed ones are tried again and replace their rows (no duplicates).
    assert "5 failed, 1 skipped" in again.output
    assert len(_rows(out / "documents.csv")) == 6 and len(_rows(out / "cells.csv")) == 200
    forced = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--force", "--quiet"])
    assert "6 skipped" not in forced.output and len(_rows(out / "documents.csv")) == 6


def test_batch_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "list.manifest"
    manifest.write_text(f"{CORPUS / 'docx_2021' / 'document.docx'}\n# comment\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(manifest), "--out", str(tmp_path / "o"), "--quiet"])
    assert "1 ok" in result.output


def test_eval_prints_accuracy_per_kind(tmp_path: Path) -> None:
    for name in ("html_2021_basic", "docx_2019", "text_glued_2021", "pdf_unruled_2021"):
        shutil.copytree(CORPUS / name, tmp_path / name)
    result = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for kind in ("html", "docx", "text", "pdf"):
        assert any(line.startswith(kind) and "100.00%" in line for line in result.output.splitlines()), kind


def test_eval_fails_on_a_silently_wrong_number(tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "html_2021_basic", tmp_path / "case")
    truth = (tmp_path / "case" / "truth.csv").read_text(encoding="utf-8").splitlines()
    truth[1] = truth[1].rsplit(",", 1)[0] + ",999"  # the truth disagrees with a cell the report states
    (tmp_path / "case" / "truth.csv").write_text("\n".join(truth) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 1 and "!! " in result.output


def test_batch_cross_year_warnings(tmp_path: Path) -> None:
    # Two years of one agency: the 2020 report's pending column against the 2021 report's carried column.
    inputs = tmp_path / "in"
    inputs.mkdir()
    old = (CORPUS / "text_tab_2019" / "document.txt").read_text(encoding="utf-8")
    new = (CORPUS / "text_tab_2021" / "document.txt").read_text(encoding="utf-8").replace("2023年", "2021年")
    (inputs / "a2020.txt").write_text(old, encoding="utf-8")
    (inputs / "a2021.txt").write_text(new, encoding="utf-8")
    out = tmp_path / "out"
    CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    checks = [r for r in _rows(out / "checks.csv") if r["check"] == "carry_over"]
    assert checks and all(r["doc_id"] == "a2021.txt" and r["severity"] == "warning" for r in checks)


def test_interrupted_batch_keeps_what_it_wrote_and_resumes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import extractor.batch as batch

    inputs = tmp_path / "in"
    for name in ("html_2021_basic", "html_2019_basic", "docx_2021", "text_tab_2021", "text_pipe_2021"):
        shutil.copytree(CORPUS / name, inputs / name)
    real = batch.run_many

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        for n, report in enumerate(real(*args, **kwargs)):
            if n == 2:
                raise KeyboardInterrupt
            yield report

    monkeypatch.setattr(batch, "run_many", interrupted)
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    assert first.exit_code != 0
    done = _rows(out / "documents.csv")
    assert len(done) == 2
    cells = _rows(out / "cells.csv")
    assert {r["doc_id"] for r in cells} == {r["doc_id"] for r in done} and len(cells) in (398, 400)
    monkeypatch.setattr(batch, "run_many", real)
    second = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    assert "2 skipped" in second.output and "3 ok" in second.output
    assert len(_rows(out / "documents.csv")) == 5
