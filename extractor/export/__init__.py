"""Batch output: cells.csv / documents.csv / checks.csv (OUTPUT.md), reports.jsonl, and Parquet copies.

Rows are appended and flushed document by document, so an interrupted batch keeps everything written.
"""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import IO, Any

from extractor.export.records import (
    CELL_COLUMNS,
    CHECK_COLUMNS,
    DOCUMENT_COLUMNS,
    cell_record,
    check_record,
    document_record,
    report_json,
)
from extractor.model import Report
from extractor.validate.cross_year import YearSummary, cross_year_findings, summarise

_log = logging.getLogger(__name__)

FILES = {"cells.csv": CELL_COLUMNS, "documents.csv": DOCUMENT_COLUMNS, "checks.csv": CHECK_COLUMNS}


class BatchWriter:
    def __init__(self, out: Path, force: bool = False) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        if force:
            for name in [*FILES, "reports.jsonl"]:
                (out / name).unlink(missing_ok=True)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, csv.DictWriter[str]] = {}
        for name, columns in FILES.items():
            path = out / name
            fresh = not path.exists() or path.stat().st_size == 0
            handle = path.open("a", encoding="utf-8", newline="")
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            if fresh:
                writer.writeheader()
            self._files[name], self._writers[name] = handle, writer
        self._jsonl = (out / "reports.jsonl").open("a", encoding="utf-8")
        self._years: list[YearSummary] = []

    def done_hashes(self) -> set[str]:
        path = self.out / "documents.csv"
        with path.open(encoding="utf-8", newline="") as f:
            return {row["sha256"] for row in csv.DictReader(f) if row.get("sha256")}

    def write(self, report: Report) -> None:
        cells = self._writers["cells.csv"]
        for cell in report.cells:
            cells.writerow(cell_record(report.doc_id, cell))
        checks = self._writers["checks.csv"]
        for finding in report.findings:
            checks.writerow(check_record(report.doc_id, finding))
        # documents.csv last: a row there means the document's cells and checks are complete.
        self._writers["documents.csv"].writerow(document_record(report))
        self._jsonl.write(json.dumps(report_json(report), ensure_ascii=False) + "\n")
        summary = summarise(report)
        if summary is not None:
            self._years.append(summary)
        for handle in (*self._files.values(), self._jsonl):
            handle.flush()

    def close(self) -> None:
        # Warnings across one agency's consecutive years, known only once the batch has seen both.
        for doc_id, finding in cross_year_findings(self._years):
            self._writers["checks.csv"].writerow(check_record(doc_id, finding))
        for handle in (*self._files.values(), self._jsonl):
            handle.close()
        self.write_parquet()

    def write_parquet(self) -> None:
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - pandas is a dependency
            return
        for name in FILES:
            frame = pd.read_csv(self.out / name, dtype=str, keep_default_na=False)
            frame.to_parquet(self.out / name.replace(".csv", ".parquet"), index=False)

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
