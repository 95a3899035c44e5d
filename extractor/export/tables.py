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
from operator import itemgetter
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
FIXED_COLUMNS = frozenset(("template", "table", "row", "col", "bbox_origin", "method", "confidence", "page",
                           "check", "severity", "status", "source_kind", "sha256", "year", "checks_failed",
                           "warnings", "n_cells", "seconds"))


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
    # Columns the program fills from a closed vocabulary or with numbers it formats itself: never text a
    # spreadsheet could run as a formula, so csv_safe is spared them (a batch writes millions of cells).
    fixed: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._csv_tmp = self.path_csv.with_name(self.path_csv.name + ".tmp")
        self._pq_tmp = self.path_parquet.with_name(self.path_parquet.name + ".tmp")
        self._csv_handle = self._csv_tmp.open("w", encoding="utf-8-sig" if self.bom else "utf-8", newline="")
        self._csv = csv.writer(self._csv_handle)
        self._csv.writerow(self.csv_columns)
        self._pq = pq.ParquetWriter(self._pq_tmp, self.schema)
        self._values = itemgetter(*self.csv_columns)
        self._free = [i for i, name in enumerate(self.csv_columns) if name not in self.fixed]
        self._rows: list[dict[str, Any]] = []

    def add(self, csv_row: dict[str, Any], typed_row: dict[str, Any]) -> None:
        """One row: `csv_row` holds every CSV column, `typed_row` the Parquet ones (a missing one is null)."""
        values = list(self._values(csv_row))
        for i in self._free:
            values[i] = csv_safe(values[i])
        self._csv.writerow(values)
        self._rows.append(typed_row)
        if len(self._rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            rows = self._rows
            arrays = [column([row.get(f.name) for row in rows], f.type) for f in self.schema]
            self._pq.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
            self._rows = []

    def close(self) -> None:
        self._flush()
        self._pq.close()
        self._csv_handle.close()
        os.replace(self._csv_tmp, self.path_csv)
        os.replace(self._pq_tmp, self.path_parquet)

    def discard(self) -> None:
        self._pq.close()
        self._csv_handle.close()
        self._csv_tmp.unlink(missing_ok=True)
        self._pq_tmp.unlink(missing_ok=True)


class TableWriter:
    """cells / documents / checks / wide as CSV and Parquet, a report at a time, renamed into place by
    `finish` (or removed by `abandon`): a batch feeds it as it goes instead of reading its journal back."""

    def __init__(self, out: Path) -> None:
        self.codes = wide_codes()
        wide = wide_schema(self.codes)
        self.sinks = {
            "cells": _Sink(out / "cells.csv", out / "cells.parquet", CELL_COLUMNS, CELLS_SCHEMA, fixed=FIXED_COLUMNS),
            "documents": _Sink(out / "documents.csv", out / "documents.parquet", DOCUMENT_COLUMNS, DOCUMENTS_SCHEMA,
                               fixed=FIXED_COLUMNS),
            "checks": _Sink(out / "checks.csv", out / "checks.parquet", CHECK_COLUMNS, CHECKS_SCHEMA,
                            fixed=FIXED_COLUMNS),
            # The wide table's value columns hold numbers (or nothing).
            "wide": _Sink(out / "wide.csv", out / "wide.parquet", list(wide.names), wide, bom=True,
                          fixed=FIXED_COLUMNS | frozenset(self.codes)),
        }
        self.n = 0

    def add(self, report: Report) -> None:
        self.n += 1
        cells = self.sinks["cells"]
        for cell, typed in zip(report.cells, cell_rows(report), strict=True):
            cells.add(cell_record(report.doc_id, cell), typed)
        for finding in report.findings:
            record = check_record(report.doc_id, finding)
            self.sinks["checks"].add(record, record)
        self.sinks["documents"].add(document_record(report), document_row(report))
        wide = wide_row(report, self.codes)
        self.sinks["wide"].add({k: ("" if v is None else v) for k, v in wide.items()}, wide)

    def finish(self, extra_checks: Iterable[tuple[str, Finding]] = ()) -> int:
        """Write `extra_checks` (iterated now: they may depend on every report) and put the files in place;
        returns the number of reports."""
        for doc_id, finding in extra_checks:
            record = check_record(doc_id, finding)
            self.sinks["checks"].add(record, record)
        for sink in self.sinks.values():
            sink.close()
        return self.n

    def abandon(self) -> None:
        for sink in self.sinks.values():
            sink.discard()


def write_tables(out: Path, reports: Iterable[Report], extra_checks: Iterable[tuple[str, Finding]]) -> int:
    """cells / documents / checks / wide as CSV and Parquet from the reports; returns the number of reports.
    `extra_checks` is iterated after the last report (it may depend on having seen them all)."""
    writer = TableWriter(out)
    for report in reports:
        writer.add(report)
    return writer.finish(extra_checks)


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
