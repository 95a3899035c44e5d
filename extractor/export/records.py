"""Reports as flat records: the rows of cells.csv / documents.csv / checks.csv and a JSON document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from extractor.model import CanonicalCell, Finding, Report, Value

CELL_COLUMNS = ["doc_id", "template", "table", "row", "col", "value", "raw", "page", "bbox", "bbox_origin",
                "source_path", "method", "confidence", "row_label", "col_label"]
DOCUMENT_COLUMNS = ["doc_id", "source_kind", "agency", "year", "template", "status", "checks_failed", "error",
                    "warnings", "n_cells", "sha256", "seconds"]
CHECK_COLUMNS = ["doc_id", "check", "severity", "table", "row", "col", "expected", "found", "message"]


def value_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


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
        "sha256": report.sha256, "seconds": f"{sum(t for _, t in report.timings):.4f}",
    }


def check_record(doc_id: str, finding: Finding) -> dict[str, Any]:
    return {
        "doc_id": doc_id, "check": finding.check, "severity": finding.severity, "table": finding.table,
        "row": finding.row, "col": finding.col, "expected": finding.expected, "found": finding.found,
        "message": finding.message,
    }


def report_json(report: Report) -> dict[str, Any]:
    doc = document_record(report)
    doc["timings"] = {name: round(sec, 5) for name, sec in report.timings}
    doc["cells"] = [cell_record(report.doc_id, c) for c in report.cells]
    doc["findings"] = [check_record(report.doc_id, f) | {"cells": ["/".join(k) for k in f.cells]}
                       for f in report.findings]
    return doc
