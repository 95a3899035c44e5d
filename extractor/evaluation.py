"""Score extraction against truth files: corpus/<case>/ and the shared real reports, read in place.

A case is a folder with one document, a truth CSV (columns table,row,col,value; template optional) and
optionally meta.json listing the source-side inconsistencies that must come out as findings.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from extractor.model import Report, Value

_DOC_SUFFIXES = {".pdf", ".html", ".htm", ".docx", ".doc", ".wps", ".rtf", ".txt", ".png", ".jpg", ".jpeg", ".tif",
                 ".tiff"}


@dataclass(frozen=True)
class Case:
    folder: Path
    document: Path
    truth: dict[tuple[str, str, str], str]
    meta: dict[str, object]

    @property
    def expected_findings(self) -> list[dict[str, str]]:
        """Source-side inconsistencies listed in meta.json (any list of objects naming a `check`)."""
        found: list[dict[str, str]] = []
        for value in self.meta.values():
            if isinstance(value, list):
                found.extend(v for v in value if isinstance(v, dict) and "check" in v)
        return found


@dataclass
class Score:
    right: int = 0
    wrong: list[tuple[tuple[str, str, str], str, str]] = field(default_factory=list)
    missing: list[tuple[str, str, str]] = field(default_factory=list)
    findings_missed: list[dict[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + len(self.wrong) + len(self.missing)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0


def _truth_file(folder: Path) -> Path | None:
    for name in ("truth.csv", "cells.csv", "expected.csv"):
        if (folder / name).exists():
            return folder / name
    found = sorted(folder.glob("*truth*.csv"))
    return found[0] if found else None


def _read_truth(path: Path) -> dict[tuple[str, str, str], str]:
    """table,row,col,value columns; or one code column ('t3/new/natural', 't3.new.natural') and value."""
    truth: dict[tuple[str, str, str], str] = {}
    with path.open(encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            value = (r.get("value") or "").strip()
            if r.get("table") and r.get("row") and r.get("col"):
                truth[(r["table"], r["row"], r["col"])] = value
                continue
            code = r.get("code") or r.get("key") or r.get("cell") or ""
            parts = code.replace(":", "/").split("/") if "/" in code or ":" in code else code.split(".", 1)
            if len(parts) == 2:  # "t3.new.natural": the row code itself may hold a dot
                table, rest = parts
                row, _, col = rest.rpartition(".")
                parts = [table, row, col]
            if len(parts) == 3 and all(parts):
                truth[(parts[0], parts[1], parts[2])] = value
    return truth


def discover(root: Path) -> Iterator[Case]:
    """Every folder under root that holds a truth CSV and exactly one document."""
    for truth_path in sorted(p for p in root.rglob("*.csv") if p == _truth_file(p.parent)):
        folder = truth_path.parent
        docs = sorted(p for p in folder.iterdir() if p.suffix.lower() in _DOC_SUFFIXES and p.is_file())
        meta_path = folder / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        truth = _read_truth(truth_path)
        for doc in docs:  # the same report published several ways (PDF, web page, text) shares one truth
            yield Case(folder, doc, truth, meta if isinstance(meta, dict) else {})


def same_value(ours: Value, truth: str) -> bool:
    if truth == "":
        return ours is None
    if ours is None:
        return False
    if isinstance(ours, str):
        return ours == truth
    try:
        return Decimal(str(ours)) == Decimal(truth.replace(",", ""))
    except InvalidOperation:
        return False


def score(report: Report, case: Case) -> Score:
    result = Score()
    ours = {c.key: c for c in report.cells}
    for key, value in case.truth.items():
        cell = ours.get(key)
        if cell is None:
            result.missing.append(key)
        elif same_value(cell.value, value):
            result.right += 1
        else:
            result.wrong.append((key, "" if cell.value is None else str(cell.value), value))
    for expected in case.expected_findings:
        if not any(_finding_matches(f, expected) for f in report.findings):
            result.findings_missed.append(expected)
    return result


def _finding_matches(finding: object, expected: dict[str, str]) -> bool:
    return all(str(getattr(finding, k, "")) == str(v) for k, v in expected.items()
               if k in ("check", "table", "row", "col") and v not in (None, ""))
