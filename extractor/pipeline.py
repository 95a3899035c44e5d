"""The stages as a list of callables over one document, with per-stage timings and a status at the end.

load -> detect (sections, template, agency, year) -> cells (grid rows) -> layout (LabeledTable per section)
-> map (canonical cells) -> reconcile (glued runs, uncertain readings) -> validate. A document never raises
out of here: any failure becomes a `failed` report with a one-line error.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from extractor.cells import region_rows
from extractor.detect import find_regions, prose_text
from extractor.detect.meta import agency_and_year
from extractor.detect.prose import prose_claims
from extractor.errors import ExtractionError
from extractor.layout import build_table
from extractor.lexicon import detect_template
from extractor.map import map_tables
from extractor.model import BBox, Finding, LogicalRow, Report, SourceDoc, Status, Table
from extractor.numbers import looks_numeric
from extractor.reconcile import reconcile
from extractor.settings import Settings
from extractor.sources import RawInput, load, sniff_kind
from extractor.validate import check_completeness, check_identities, check_plausible
from extractor.validate.prose import check_prose
from extractor.work import Work

_log = logging.getLogger(__name__)


def stage_load(w: Work) -> None:
    w.kind = w.kind or sniff_kind(w.raw.data, w.raw.name)
    w.doc = load(w.raw, w.settings, w.kind)


def stage_detect(w: Work) -> None:
    assert w.doc is not None
    w.findings.extend(Finding("bad_text_layer", "error", problem) for problem in w.doc.problems)
    w.findings.extend(Finding("not_read", "warning", note) for note in w.doc.notes)
    w.regions, found = find_regions(w.doc)
    w.findings.extend(found)
    w.prose = prose_text(w.doc, w.regions)
    w.claims = prose_claims(w.prose)
    w.agency, w.year = agency_and_year(w.doc.text)


def stage_cells(w: Work) -> None:
    w.rows = [(region.section, region_rows(region)) for region in w.regions]


def stage_layout(w: Work) -> None:
    texts = [cell.text for _, rows in w.rows for row in rows for cell in row.cells]
    w.template = detect_template(texts, w.year)
    by_section: dict[str, list[list[LogicalRow]]] = {}
    for section, rows in w.rows:
        by_section.setdefault(section, []).append(rows)
    w.tables = [build_table(section, w.template, by_section[section]) for section in ("t2", "t3", "t4")
                if section in by_section]


def stage_map(w: Work) -> None:
    w.mapping = map_tables(w.tables, w.template)


def stage_reconcile(w: Work) -> None:
    assert w.mapping is not None
    assert w.doc is not None
    hidden: dict[int, set[BBox]] = {}
    for block in w.doc.blocks:
        if isinstance(block, Table) and block.hidden:
            for page in block.pages:
                hidden.setdefault(page, set()).update(block.hidden)
    reconcile(w.mapping, w.claims, {page: tuple(boxes) for page, boxes in hidden.items()})
    w.findings.extend(w.mapping.findings)


def stage_validate(w: Work) -> None:
    assert w.mapping is not None and w.doc is not None
    cells = w.mapping.cells
    found = {c.table for c in cells}
    w.findings.extend(check_completeness(cells, w.template, found))
    w.findings.extend(check_identities(cells, w.template))
    w.findings.extend(check_plausible(cells))
    w.findings.extend(check_prose(cells, w.claims, w.prose))


def stage_second_opinion(w: Work) -> None:
    """Tables of a born-digital PDF left with errors are read again by other engines (see
    extractor.second_opinion); a reading replaces the table only where the identities vouch for it."""
    from extractor.second_opinion import second_opinion

    second_opinion(w, READING)


STAGES: list[tuple[str, Callable[[Work], None]]] = [
    ("load", stage_load),
    ("detect", stage_detect),
    ("cells", stage_cells),
    ("layout", stage_layout),
    ("map", stage_map),
    ("reconcile", stage_reconcile),
    ("validate", stage_validate),
    ("second_opinion", stage_second_opinion),
]
# The stages that turn a SourceDoc into a validated reading (an engine's second reading runs these).
READING = [(name, stage) for name, stage in STAGES if name not in ("load", "second_opinion")]


def _failed(doc_id: str, kind: str, sha: str, error: str, timings: list[tuple[str, float]]) -> Report:
    return Report.failure(doc_id, error, kind, sha, tuple(timings))


def run(raw: RawInput, doc_id: str, settings: Settings, kind: str | None = None,
        doc: SourceDoc | None = None) -> Report:
    """All stages over one input; with `doc` given, loading is skipped (benchmarks feed other engines' grids)."""
    sha = hashlib.sha256(raw.data).hexdigest()
    work = Work(raw=raw, settings=settings, kind=kind, doc=doc)
    timings: list[tuple[str, float]] = []
    for name, stage in STAGES[1:] if doc is not None else STAGES:
        start = time.perf_counter()
        try:
            stage(work)
        except ExtractionError as exc:
            timings.append((name, time.perf_counter() - start))
            return _failed(doc_id, work.kind or "", sha, str(exc), timings)
        except (MemoryError, RecursionError) as exc:
            timings.append((name, time.perf_counter() - start))
            return _failed(doc_id, work.kind or "", sha, f"input too large to process ({type(exc).__name__})",
                           timings)
        except Exception as exc:  # a bug or an unforeseen input: the batch must go on
            _log.debug("stage %s failed on %s", name, doc_id, exc_info=True)
            timings.append((name, time.perf_counter() - start))
            return _failed(doc_id, work.kind or "", sha, f"internal error in {name}: {type(exc).__name__}: {exc}",
                           timings)
        timings.append((name, time.perf_counter() - start))
    return _report(work, doc_id, sha, timings)


def run_all(raw: RawInput, doc_id: str, settings: Settings, kind: str | None = None) -> list[Report]:
    """One report per document: a zip archive gives one per member (doc_id `archive.zip!member`)."""
    from extractor.sources.archive import members

    kind = kind or sniff_kind(raw.data, raw.name)
    if kind != "zip":
        return [run(raw, doc_id, settings, kind)]
    sha = hashlib.sha256(raw.data).hexdigest()
    try:
        found = members(raw.data, settings)
    except ExtractionError as exc:
        return [_failed(doc_id, "zip", sha, str(exc), [])]
    if not found:
        return [_failed(doc_id, "zip", sha, "zip archive without any document in it", [])]
    reports = []
    for member in found:
        member_id = f"{doc_id}!{member.name}"
        sub = sniff_kind(member.data, member.name)
        if sub == "zip":
            reports.append(_failed(member_id, "zip", hashlib.sha256(member.data).hexdigest(),
                                   "archive inside an archive: not expanded", []))
            continue
        reports.append(run(RawInput(member.data, member.name), member_id, settings, sub))
    return reports


def _no_cells_reason(w: Work) -> str:
    """Why nothing came out: 'not a report' only when nothing of a report's vocabulary is there at all."""
    numbers = any(looks_numeric(c.text) for _, rows in w.rows for row in rows for c in row.cells)
    if w.regions and numbers:
        return "tables found but no cell could be mapped to the template"
    assert w.doc is not None
    text = w.doc.text[:200_000]
    words = ("主动公开政府信息情况", "收到和处理政府信息公开申请", "行政复议", "政府信息公开工作年度报告")
    headings = [t for t in words if t in text]
    if headings:
        pictures = " (its tables may be pictures that were not read)" if w.doc.notes else ""
        return (f"a disclosure report ({headings[0]} found) but none of 表二/表三/表四 could be read as a table"
                + pictures)
    return "not a government information disclosure annual report: no 表二/表三/表四 and no section heading found"


def _report(w: Work, doc_id: str, sha: str, timings: list[tuple[str, float]]) -> Report:
    assert w.mapping is not None and w.doc is not None
    cells = tuple(w.mapping.cells)
    kind = w.doc.kind
    if not cells:
        reason = _no_cells_reason(w)
        failed = _failed(doc_id, kind, sha, reason, timings)
        return replace(failed, findings=tuple(w.findings), agency=w.agency, year=w.year, template=w.template)
    findings = tuple(w.findings)
    status: Status = "flagged" if any(f.severity == "error" for f in findings) else "ok"
    return Report(doc_id=doc_id, source_kind=kind, status=status, cells=cells, findings=findings,
                  agency=w.agency, year=w.year, template=w.template, sha256=sha, timings=tuple(timings))



def trace(raw: RawInput, kind: str | None, settings: Settings) -> dict[str, Any]:
    """Run the stages one by one and record what each produced (see extractor.trace)."""
    from extractor.trace import doc_json, rows_json, tables_json

    work = Work(raw=raw, settings=settings, kind=kind)
    out: dict[str, Any] = {}
    for name, stage in STAGES:
        try:
            stage(work)
        except Exception as exc:  # the trace shows where a document fails, then stops
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
            return out
        if name == "load" and work.doc is not None:
            out[name] = doc_json(work.doc)
        elif name == "detect":
            out[name] = {"agency": work.agency, "year": work.year,
                         "regions": [{"section": r.section, "table": r.table.index, "method": r.table.method,
                                      "rows": [r.row_start, r.row_end]} for r in work.regions]}
        elif name == "cells":
            out[name] = rows_json(work.rows)
        elif name == "layout":
            out[name] = {"template": work.template, "tables": tables_json(work.tables)}
        elif name == "map" and work.mapping is not None:
            out[name] = {"row_codes": [f"{s} row {i}: {c}" for s, i, c in work.mapping.row_codes],
                         "cells": len(work.mapping.cells),
                         "glued": [f"{g.table}/{g.targets[0][0]}: {g.digits}" for g in work.mapping.glued],
                         "findings": [_finding(f) for f in work.mapping.findings]}
        elif name == "reconcile" and work.mapping is not None:
            out[name] = {"cells": len(work.mapping.cells),
                         "findings": [_finding(f) for f in work.mapping.findings]}
        elif name in ("validate", "second_opinion"):
            out[name] = {"findings": [_finding(f) for f in work.findings]}
    return out


def _finding(f: Finding) -> str:
    where = "/".join(x for x in (f.table, f.row, f.col) if x)
    return f"[{f.severity}] {f.check} {where}: {f.message}" + (f" (found {f.found})" if f.found else "")
