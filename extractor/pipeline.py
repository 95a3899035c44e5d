"""The stages as a list of callables over one document, with per-stage timings and a status at the end.

load -> find_regions -> region_rows -> map_rows -> validate. A document never raises out of here: any
failure becomes a `failed` report with a one-line error.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from extractor.cells import LogicalRow, region_rows
from extractor.detect import Region, find_regions
from extractor.errors import ExtractionError
from extractor.map import Mapping, map_rows
from extractor.map.labels import detect_template
from extractor.map.meta import agency_and_year, claimed_new_requests
from extractor.model import Finding, Report, SourceDoc, Status
from extractor.settings import Settings
from extractor.sources import RawInput, load, sniff_kind
from extractor.validate import check_completeness, check_identities, check_prose

_log = logging.getLogger(__name__)


@dataclass
class Work:
    raw: RawInput
    settings: Settings
    kind: str | None
    doc: SourceDoc | None = None
    regions: list[Region] = field(default_factory=list)
    rows: list[tuple[str, list[LogicalRow]]] = field(default_factory=list)
    agency: str = ""
    year: int | None = None
    template: str = ""
    mapping: Mapping | None = None
    findings: list[Finding] = field(default_factory=list)


def stage_load(w: Work) -> None:
    w.kind = w.kind or sniff_kind(w.raw.data, w.raw.name)
    w.doc = load(w.raw, w.settings, w.kind)


def stage_detect(w: Work) -> None:
    assert w.doc is not None
    w.findings.extend(Finding("bad_text_layer", "error", problem) for problem in w.doc.problems)
    w.findings.extend(Finding("not_read", "warning", note) for note in w.doc.notes)
    w.regions = find_regions(w.doc)
    w.agency, w.year = agency_and_year(w.doc.text)


def stage_cells(w: Work) -> None:
    w.rows = [(region.section, region_rows(region)) for region in w.regions]


def stage_map(w: Work) -> None:
    texts = [cell.text for _, rows in w.rows for row in rows for cell in row.cells]
    w.template = detect_template(texts, w.year)
    w.mapping = map_rows(w.rows, w.template, (w.doc.kind if w.doc else "") or "")
    w.findings.extend(w.mapping.findings)


def stage_validate(w: Work) -> None:
    assert w.mapping is not None and w.doc is not None
    cells = w.mapping.cells
    found = {c.table for c in cells}
    w.findings.extend(check_completeness(cells, w.template, found))
    w.findings.extend(check_identities(cells, w.template))
    w.findings.extend(check_prose(cells, claimed_new_requests(w.doc.text)))


STAGES: list[tuple[str, Callable[[Work], None]]] = [
    ("load", stage_load),
    ("detect", stage_detect),
    ("cells", stage_cells),
    ("map", stage_map),
    ("validate", stage_validate),
]


def _failed(doc_id: str, kind: str, sha: str, error: str, timings: list[tuple[str, float]]) -> Report:
    return Report(doc_id=doc_id, source_kind=kind, status="failed", sha256=sha,
                  error=" ".join(error.split())[:300], timings=tuple(timings))


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


def _report(w: Work, doc_id: str, sha: str, timings: list[tuple[str, float]]) -> Report:
    assert w.mapping is not None and w.doc is not None
    cells = tuple(w.mapping.cells)
    kind = w.doc.kind
    if not cells:
        reason = ("not a government information disclosure annual report: no 表二/表三/表四 found"
                  if not w.regions else "tables found but no cell could be mapped to the template")
        failed = _failed(doc_id, kind, sha, reason, timings)
        return replace(failed, findings=tuple(w.findings), agency=w.agency, year=w.year, template=w.template)
    findings = tuple(w.findings)
    status: Status = "flagged" if any(f.severity == "error" for f in findings) else "ok"
    return Report(doc_id=doc_id, source_kind=kind, status=status, cells=cells, findings=findings,
                  agency=w.agency, year=w.year, template=w.template, sha256=sha, timings=tuple(timings))

