"""Reports as flat records: the rows of cells.csv / documents.csv / checks.csv, and a typed JSON document
that reads back into a Report (the batch journal is made of them).

Types: in JSON a value is a number (a decimal that a float cannot hold exactly is written as its text) or a
string for a free-text amount, null when blank; confidence a float; year an integer or null; bbox four
numbers. CSV cells are text; a text cell that a spreadsheet would run as a formula is quoted with '.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from extractor.model import BBox, CanonicalCell, Finding, Provenance, Report, Value

CELL_COLUMNS = ["doc_id", "template", "table", "row", "col", "value", "raw", "page", "bbox", "bbox_origin",
                "source_path", "method", "confidence", "row_label", "col_label"]
DOCUMENT_COLUMNS = ["doc_id", "source_kind", "agency", "year", "template", "status", "checks_failed", "error",
                    "warnings", "n_cells", "sha256", "seconds", "parent"]
CHECK_COLUMNS = ["doc_id", "check", "severity", "table", "row", "col", "expected", "found", "message"]
_FORMULA_STARTS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def value_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def csv_safe(text: object) -> object:
    """Spreadsheet-safe text: a cell opening with = + - @ (not a plain number) is prefixed with '."""
    # The first character decides for nearly every cell: no regex for them (a batch writes millions).
    if isinstance(text, str) and text[:1] in _FORMULA_STARTS and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def cell_record(doc_id: str, cell: CanonicalCell) -> dict[str, Any]:
    box = cell.provenance.bbox
    return {
        "doc_id": doc_id, "template": cell.template, "table": cell.table, "row": cell.row, "col": cell.col,
        "value": value_text(cell.value), "raw": cell.raw,
        "page": "" if cell.provenance.page is None else cell.provenance.page,
        "bbox": box.as_text() if box else "", "bbox_origin": box.origin if box else "",
        "source_path": cell.provenance.path or "", "method": cell.method,
        "confidence": f"{cell.confidence:.2f}", "row_label": cell.row_label, "col_label": cell.col_label,
    }


def document_record(report: Report) -> dict[str, Any]:
    return {
        "doc_id": report.doc_id, "source_kind": report.source_kind, "agency": report.agency,
        "year": "" if report.year is None else report.year, "template": report.template,
        "status": report.status, "checks_failed": report.checks_failed, "error": report.error,
        "warnings": sum(1 for f in report.findings if f.severity == "warning"), "n_cells": len(report.cells),
        "sha256": report.sha256, "seconds": f"{sum(t for _, t in report.timings):.4f}", "parent": report.parent,
    }


def check_record(doc_id: str, finding: Finding) -> dict[str, Any]:
    return {
        "doc_id": doc_id, "check": finding.check, "severity": finding.severity, "table": finding.table,
        "row": finding.row, "col": finding.col, "expected": finding.expected, "found": finding.found,
        "message": finding.message,
    }


def _json_value(value: Value) -> Any:
    """Decimals as JSON numbers when the number reads back as the same decimal (always, for amounts of up to
    15 significant digits), else as their exact text."""
    if isinstance(value, Decimal):
        number = float(value)
        return number if Decimal(repr(number)) == value else format(value, "f")
    return value


def _cell_json(cell: CanonicalCell) -> dict[str, Any]:
    box = cell.provenance.bbox
    return {
        "table": cell.table, "row": cell.row, "col": cell.col, "value": _json_value(cell.value), "raw": cell.raw,
        # Hundredths of a point (or pixel): full float digits doubled the journal's size and encoding time.
        "page": cell.provenance.page, "bbox": [round(v, 2) for v in (box.x0, box.y0, box.x1, box.y1)] if box else None,
        "bbox_origin": box.origin if box else None, "source_path": cell.provenance.path,
        "method": cell.method, "confidence": round(cell.confidence, 4), "row_label": cell.row_label,
        "col_label": cell.col_label, "alternatives": list(cell.alternatives),
    }


def report_json(report: Report) -> dict[str, Any]:
    """The whole report as typed JSON (see the module docstring)."""
    return {
        "doc_id": report.doc_id, "source_kind": report.source_kind, "status": report.status,
        "agency": report.agency, "year": report.year, "template": report.template, "sha256": report.sha256,
        "error": report.error, "checks_failed": report.checks_failed, "parent": report.parent,
        "warnings": sum(1 for f in report.findings if f.severity == "warning"), "n_cells": len(report.cells),
        "seconds": round(sum(t for _, t in report.timings), 5),
        "timings": {name: round(sec, 5) for name, sec in report.timings},
        "cells": [_cell_json(c) for c in report.cells],
        "findings": [check_record(report.doc_id, f) | {"cells": ["/".join(k) for k in f.cells]}
                     for f in report.findings],
    }


def journal_data(report: Report, source: str = "") -> dict[str, Any]:
    """A journal line's content: the report (with the path or URL it was read from, when given)."""
    data = report_json(report)
    if source:
        data["source"] = source
    return data


def dumps(data: dict[str, Any]) -> str:
    """One line of typed JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _value_of(value: Any) -> Value:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return Decimal(str(value))


def _key(text: str) -> tuple[str, str, str]:
    table, row, col = text.split("/")
    return table, row, col


def report_from_json(data: dict[str, Any]) -> Report:
    """The Report a journal line was written from (timings summed, cell alternatives kept)."""
    cells = []
    template = str(data.get("template") or "")
    for c in data.get("cells", []):
        bbox = c.get("bbox")
        box = BBox(bbox[0], bbox[1], bbox[2], bbox[3], origin=c.get("bbox_origin") or "") if bbox else None
        cells.append(CanonicalCell(
            template=template, table=c["table"], row=c["row"], col=c["col"], value=_value_of(c.get("value")),
            raw=c.get("raw") or "", provenance=Provenance(page=c.get("page"), bbox=box, path=c.get("source_path")),
            method=c.get("method") or "", confidence=float(c.get("confidence") or 0.0),
            row_label=c.get("row_label") or "", col_label=c.get("col_label") or "",
            alternatives=tuple(c.get("alternatives") or ())))
    findings = tuple(
        Finding(check=f["check"], severity=f["severity"], message=f.get("message", ""), table=f.get("table", ""),
                row=f.get("row", ""), col=f.get("col", ""), expected=f.get("expected", ""), found=f.get("found", ""),
                cells=tuple(_key(k) for k in f.get("cells", []) if k.count("/") == 2))
        for f in data.get("findings", []))
    timings = tuple((k, float(v)) for k, v in (data.get("timings") or {}).items())
    return Report(doc_id=data["doc_id"], source_kind=data.get("source_kind") or "", status=data["status"],
                  cells=tuple(cells), findings=findings, agency=data.get("agency") or "", year=data.get("year"),
                  template=template, sha256=data.get("sha256") or "", error=data.get("error") or "",
                  timings=timings, parent=data.get("parent") or "")
