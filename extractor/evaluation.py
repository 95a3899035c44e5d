"""Score extraction against truth: the generated corpus (truth.csv) and the real reports (truth.json).

Two truth formats are read:
- `truth.csv` (corpus/<case>/): columns table,row,col,value, or one code column ('t3/new/natural') and value;
  an empty value is a blank cell. Every document file of the folder is a case.
- `truth.json` (../shared/realdata/<report>/): {"template", "files": [...], "cells": {"t3|new|natural": 5}};
  `null` is a blank cell, `"/"` a printed slash, other strings text amounts kept verbatim ("251000元"),
  numbers compare as decimals. Every file listed under "files" is a separate case scored on the same cells.

meta.json may list the inconsistencies the source itself carries: objects naming a `check` (corpus), or
sentences (real reports, `source_inconsistencies`) from which `expected_from_sentence` derives the finding
that must come out; a sentence it cannot turn into a check is kept as `unchecked`.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from extractor.model import Report, Value
from extractor.numbers import SLASH_MARKERS

_DOC_SUFFIXES = {".pdf", ".html", ".htm", ".xhtml", ".docx", ".doc", ".wps", ".rtf", ".txt", ".md", ".png", ".jpg",
                 ".jpeg", ".tif", ".tiff", ".xlsx", ".xls", ".zip"}
Key = tuple[str, str, str]


@dataclass(frozen=True)
class Expected:
    """One truth cell: `blank` (nothing printed), `slash` (a printed '/'), `empty` (either: truth.csv has no
    way to tell them apart), `number` or `text`."""

    kind: str
    text: str = ""

    def matches(self, value: Value, raw: str) -> bool:
        if self.kind == "empty":
            return value is None
        if self.kind == "blank":
            return value is None and raw.strip() not in SLASH_MARKERS
        if self.kind == "slash":
            return value is None and raw.strip() in SLASH_MARKERS
        if self.kind == "text":
            return isinstance(value, str) and value == self.text
        if value is None or isinstance(value, str):
            return False
        try:
            return Decimal(str(value)) == Decimal(self.text.replace(",", ""))
        except InvalidOperation:
            return False

    def __str__(self) -> str:
        return {"blank": "(blank)", "empty": "(blank)", "slash": "/"}.get(self.kind, self.text)


def expected_of(value: object, blank_csv: bool = False) -> Expected:
    if blank_csv and value == "":
        return Expected("empty")
    if value is None:
        return Expected("blank")
    if isinstance(value, bool):
        raise ValueError(f"truth value {value!r} is not a cell value")
    if isinstance(value, int | float | Decimal):
        return Expected("number", str(value))
    text = str(value).strip()
    if text in SLASH_MARKERS:
        return Expected("slash")
    try:
        Decimal(text.replace(",", ""))
        return Expected("number", text)
    except InvalidOperation:
        return Expected("text", text)


@dataclass(frozen=True)
class Case:
    folder: Path
    document: Path
    truth: dict[Key, Expected]
    meta: dict[str, Any]
    template: str = ""

    @property
    def name(self) -> str:
        return f"{self.folder.name}/{self.document.name}"

    @property
    def expected_findings(self) -> list[dict[str, str]]:
        """Findings the source's own inconsistencies must produce (see module docstring)."""
        found: list[dict[str, str]] = []
        for value in self.meta.values():
            if isinstance(value, list):
                found.extend(v for v in value if isinstance(v, dict) and "check" in v)
        for sentence in self.meta.get("source_inconsistencies", []) or []:
            if isinstance(sentence, str):
                expected = expected_from_sentence(sentence)
                if expected is not None:
                    found.append(expected)
        return found

    @property
    def unchecked_inconsistencies(self) -> list[str]:
        return [s for s in self.meta.get("source_inconsistencies", []) or []
                if isinstance(s, str) and expected_from_sentence(s) is None]


_IDENTITY = re.compile(r"\b(I[1-4])\b[^.;]*?\b(fails|not assessable)")
_TABLE = re.compile(r"^\s*(t[234])\b")


def expected_from_sentence(sentence: str) -> dict[str, str] | None:
    """The finding a described source inconsistency must produce, or None when no check can see it.

    'I4 fails' / 'I3 is not assessable' -> that identity; 'prose says' -> a prose check; 'typo' in a
    heading or label -> the label matched as a variant; （六） printed as one row -> the single-row finding."""
    table_match = _TABLE.match(sentence)
    table = table_match.group(1) if table_match else ""
    identity = _IDENTITY.search(sentence)
    if identity:
        return {"check": identity.group(1), "table": table or ("t4" if identity.group(1) == "I4" else "t3")}
    if "prose" in sentence.lower()[:40]:
        return {"check": "prose*"}
    if "heading typo" in sentence:
        return {"check": "heading_variant", "table": table}
    if "label typo" in sentence:
        return {"check": "label_variant", "table": table}
    if "single row" in sentence and "其他处理" in sentence:
        return {"check": "single_other_row", "table": "t3"}
    return None


@dataclass
class Score:
    right: int = 0
    wrong: list[tuple[Key, str, str]] = field(default_factory=list)
    missing: list[Key] = field(default_factory=list)
    findings_missed: list[dict[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + len(self.wrong) + len(self.missing)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0


def _truth_csv(folder: Path) -> Path | None:
    for name in ("truth.csv", "cells.csv", "expected.csv"):
        if (folder / name).exists():
            return folder / name
    found = sorted(folder.glob("*truth*.csv"))
    return found[0] if found else None


def _read_truth(path: Path) -> dict[Key, Expected]:
    """table,row,col,value columns; or one code column ('t3/new/natural', 't3.new.natural') and value."""
    truth: dict[Key, Expected] = {}
    with path.open(encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            value = expected_of((r.get("value") or "").strip(), blank_csv=True)
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


def _read_truth_json(path: Path) -> tuple[dict[Key, Expected], list[str], str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    truth: dict[Key, Expected] = {}
    for code, value in (data.get("cells") or {}).items():
        parts = code.split("|")
        if len(parts) == 3 and all(parts):
            truth[(parts[0], parts[1], parts[2])] = expected_of(value)
    return truth, [str(f) for f in data.get("files") or []], str(data.get("template") or "")


def _meta(folder: Path) -> dict[str, Any]:
    path = folder / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return meta if isinstance(meta, dict) else {}


def discover(root: Path) -> Iterator[Case]:
    """Every case under root: each folder with truth.json (its listed files) or a truth CSV (its documents)."""
    folders = sorted({p.parent for p in root.rglob("truth.json")} | {p.parent for p in root.rglob("*.csv")
                                                                   if p == _truth_csv(p.parent)})
    for folder in folders:
        meta = _meta(folder)
        if (folder / "truth.json").exists():
            truth, files, template = _read_truth_json(folder / "truth.json")
            for name in files:
                yield Case(folder, folder / name, truth, meta, template)
            continue
        csv_path = _truth_csv(folder)
        assert csv_path is not None
        truth = _read_truth(csv_path)
        docs = sorted(p for p in folder.iterdir() if p.suffix.lower() in _DOC_SUFFIXES and p.is_file())
        for doc in docs:  # the same report published several ways shares one truth
            yield Case(folder, doc, truth, meta, str(meta.get("template") or ""))


def same_value(ours: Value, truth: str, raw: str = "") -> bool:
    """Compare with a truth CSV value ('' = blank)."""
    return expected_of(truth, blank_csv=True).matches(ours, raw)


def score(report: Report, case: Case) -> Score:
    result = Score()
    ours = {c.key: c for c in report.cells}
    for key, expected in case.truth.items():
        cell = ours.get(key)
        if cell is None:
            result.missing.append(key)
        elif expected.matches(cell.value, cell.raw):
            result.right += 1
        else:
            result.wrong.append((key, cell.raw if cell.value is None else str(cell.value), str(expected)))
    for wanted in case.expected_findings:
        if not any(_finding_matches(f, wanted) for f in report.findings):
            result.findings_missed.append(wanted)
    return result


def _finding_matches(finding: object, expected: dict[str, str]) -> bool:
    for k, v in expected.items():
        if k not in ("check", "table", "row", "col") or v in (None, ""):
            continue
        got = str(getattr(finding, k, ""))
        if not (got.startswith(v[:-1]) if v.endswith("*") else got == str(v)):
            return False
    return True
