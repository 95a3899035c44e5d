"""The batch's tables from its journal: CSV (the OUTPUT.md contract: plain UTF-8, so that every CSV reader
sees `doc_id` as the first header), typed Parquet, a wide table (one row per report; its CSV carries a
UTF-8 BOM so that Excel and WPS open it as is), and on request an Excel workbook and a DuckDB database.
Every file is written to a temporary name and renamed into place: a reader never sees half a file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from extractor.codes import catalog
from extractor.export.arrow import column
from extractor.export.records import (
    CELL_COLUMNS,
    CHECK_COLUMNS,
    DOCUMENT_COLUMNS,
    cell_record,
    check_record,
    csv_safe,
    document_record,
)
from extractor.model import Finding, Report

VALUE = pa.decimal128(38, 10)
CELLS_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("template", pa.string()), ("table", pa.string()), ("row", pa.string()),
    ("col", pa.string()), ("value", VALUE), ("value_text", pa.string()), ("raw", pa.string()),
    ("page", pa.int32()), ("x0", pa.float64()), ("y0", pa.float64()), ("x1", pa.float64()), ("y1", pa.float64()),
    ("bbox_origin", pa.string()), ("source_path", pa.string()), ("method", pa.string()),
    ("confidence", pa.float64()), ("row_label", pa.string()), ("col_label", pa.string()),
])
DOCUMENTS_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("source_kind", pa.string()), ("agency", pa.string()), ("year", pa.int32()),
    ("template", pa.string()), ("status", pa.string()), ("checks_failed", pa.int32()), ("error", pa.string()),
    ("warnings", pa.int32()), ("n_cells", pa.int32()), ("sha256", pa.string()), ("seconds", pa.float64()),
    ("parent", pa.string()),
])
CHECKS_SCHEMA = pa.schema([(name, pa.string()) for name in CHECK_COLUMNS])
ROW_GROUP = 50_000


def wide_codes() -> list[str]:
    """Every canonical code of both templates, as `table.row.col`, in catalogue order."""
    return list(dict.fromkeys(f"{s.table}.{s.row}.{s.col}" for s in catalog().specs))


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    return Decimal(value) if isinstance(value, int) else value  # type: ignore[return-value]


def cell_rows(report: Report) -> Iterator[dict[str, Any]]:
    for c in report.cells:
        box = c.provenance.bbox
        yield {
            "doc_id": report.doc_id, "template": c.template, "table": c.table, "row": c.row, "col": c.col,
            "value": _number(c.value), "value_text": c.value if isinstance(c.value, str) else None, "raw": c.raw,
            "page": c.provenance.page, "x0": box.x0 if box else None, "y0": box.y0 if box else None,
            "x1": box.x1 if box else None, "y1": box.y1 if box else None, "bbox_origin": box.origin if box else None,
            "source_path": c.provenance.path, "method": c.method, "confidence": c.confidence,
            "row_label": c.row_label, "col_label": c.col_label,
        }


def document_row(report: Report) -> dict[str, Any]:
    row = document_record(report)
    row["year"] = report.year
    row["seconds"] = float(row["seconds"])
    return row


def wide_row(report: Report, codes: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {"doc_id": report.doc_id, "template": report.template, "status": report.status,
                           "agency": report.agency, "year": report.year, "checks_failed": report.checks_failed}
    row.update(dict.fromkeys(codes))
    for c in report.cells:
        row[f"{c.table}.{c.row}.{c.col}"] = _number(c.value) if not isinstance(c.value, str) else None
    return row


def wide_schema(codes: list[str]) -> pa.Schema:
    return pa.schema([("doc_id", pa.string()), ("template", pa.string()), ("status", pa.string()),
                      ("agency", pa.string()), ("year", pa.int32()), ("checks_failed", pa.int32())]
                     + [(code, VALUE) for code in codes])


@dataclass
class _Sink:
    """One output table written as CSV and Parquet side by side, row group by row group."""

    path_csv: Path
    path_parquet: Path
    csv_columns: list[str]
    schema: pa.Schema
    bom: bool = False

    def __post_init__(self) -> None:
        self._csv_tmp = self.path_csv.with_name(self.path_csv.name + ".tmp")
        self._pq_tmp = self.path_parquet.with_name(self.path_parquet.name + ".tmp")
        self._csv_handle = self._csv_tmp.open("w", encoding="utf-8-sig" if self.bom else "utf-8", newline="")
        self._csv = csv.writer(self._csv_handle)
        self._csv.writerow(self.csv_columns)
        self._pq = pq.ParquetWriter(self._pq_tmp, self.schema)
        self._names = list(self.schema.names)
        self._columns: dict[str, list[Any]] = {name: [] for name in self._names}
        self._n = 0

    def add(self, csv_row: dict[str, Any], typed_row: dict[str, Any]) -> None:
        self._csv.writerow([csv_safe(csv_row.get(k, "")) for k in self.csv_columns])
        for name in self._names:  # columns, not rows: arrays are built from them
            self._columns[name].append(typed_row.get(name))
        self._n += 1
        if self._n >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._n:
            arrays = [column(self._columns[f.name], f.type) for f in self.schema]
            self._pq.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
            self._columns = {name: [] for name in self._names}
            self._n = 0

    def close(self) -> None:
        self._flush()
        self._pq.close()
        self._csv_handle.close()
        os.replace(self._csv_tmp, self.path_csv)
        os.replace(self._pq_tmp, self.path_parquet)


def write_tables(out: Path, reports: Iterable[Report], extra_checks: Iterable[tuple[str, Finding]]) -> int:
    """cells / documents / checks / wide as CSV and Parquet from the reports; returns the number of reports.
    `extra_checks` is iterated after the last report (it may depend on having seen them all)."""
    codes = wide_codes()
    sinks = {
        "cells": _Sink(out / "cells.csv", out / "cells.parquet", CELL_COLUMNS, CELLS_SCHEMA),
        "documents": _Sink(out / "documents.csv", out / "documents.parquet", DOCUMENT_COLUMNS, DOCUMENTS_SCHEMA),
        "checks": _Sink(out / "checks.csv", out / "checks.parquet", CHECK_COLUMNS, CHECKS_SCHEMA),
        "wide": _Sink(out / "wide.csv", out / "wide.parquet", list(wide_schema(codes).names), wide_schema(codes),
                      bom=True),
    }
    n = 0
    for report in reports:
        n += 1
        for cell, typed in zip(report.cells, cell_rows(report), strict=True):
            sinks["cells"].add(cell_record(report.doc_id, cell), typed)
        for finding in report.findings:
            record = check_record(report.doc_id, finding)
            sinks["checks"].add(record, record)
        sinks["documents"].add(document_record(report), document_row(report))
        wide = wide_row(report, codes)
        sinks["wide"].add({k: ("" if v is None else v) for k, v in wide.items()}, wide)
    for doc_id, finding in extra_checks:
        record = check_record(doc_id, finding)
        sinks["checks"].add(record, record)
    for sink in sinks.values():
        sink.close()
    return n


def write_xlsx(out: Path, path: Path, max_rows: int = 1_000_000) -> None:
    """An Excel workbook of the four tables (from their Parquet files); a sheet stops at Excel's row limit."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name in ("documents", "checks", "cells", "wide"):
        sheet = book.create_sheet(name)
        table = pq.read_table(out / f"{name}.parquet")
        sheet.append(table.column_names)
        for i, row in enumerate(table.to_pylist()):
            if i >= max_rows:
                sheet.append([f"... {table.num_rows - max_rows} more rows in {name}.parquet"])
                break
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row.values()])
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    os.replace(tmp, path)


def write_duckdb(out: Path, path: Path) -> None:
    """A DuckDB database: tables cells, documents, checks and a view `wide` (one row per report)."""
    import duckdb

    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for name in ("cells", "documents", "checks"):
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet(?)", [str(out / f"{name}.parquet")])
        con.execute("CREATE TABLE wide_table AS SELECT * FROM read_parquet(?)", [str(out / "wide.parquet")])
        con.execute("CREATE VIEW wide AS SELECT * FROM wide_table")
    finally:
        con.close()
    os.replace(tmp, path)
