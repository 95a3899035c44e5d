"""extractor: the statistical tables of 政府信息公开工作年度报告 as canonical cells, every number right or flagged.

    report = extractor.extract("report.html")
    report.status, report.cells, report.findings, report.to_frame()
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from extractor.codes import CodeSpec
from extractor.model import CanonicalCell, Finding, Report
from extractor.settings import Settings, resolve

if TYPE_CHECKING:
    from extractor.inputs import Job

__version__ = "0.1.0"

Source = str | os.PathLike[str] | bytes


def _job(source: Source, kind: str | None, doc_id: str | None) -> Job:
    from extractor.inputs import Job

    if isinstance(source, bytes):
        return Job(source, doc_id or "<bytes>", kind=kind)
    if isinstance(source, str) and ("\n" in source or source.lstrip().startswith("<")):
        # The content itself (a web page or a text rendering given as a string), not a path.
        return Job(source.encode("utf-8"), doc_id or "<string>", kind=kind)
    text = os.fspath(source)
    return Job(text, doc_id or text, kind=kind)


def extract(source: Source, kind: str | None = None, settings: Settings | dict[str, Any] | None = None,
            doc_id: str | None = None) -> Report:
    """Extract one report from a path, a URL, bytes, or the text of a page or rendering.

    Never raises for bad input: a document that cannot be read comes back with `status == "failed"` and a
    one-line `error`. By default the document runs in a worker process bounded like a batch document
    (`settings.max_seconds`, `settings.max_memory_mb`); `settings={"isolate": False}` runs it here.
    Raises ValueError for an unknown `kind` or setting."""
    from dataclasses import replace

    from extractor.pool import Isolated, reports_of
    from extractor.sources import KINDS

    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    resolved = resolve(settings)
    job = _job(source, kind, doc_id)
    if resolved.isolate:
        reports = Isolated.run(job, replace(resolved, isolate=False))
    else:
        reports = reports_of(job, resolved, kind)
    if len(reports) == 1:
        return reports[0]
    names = ", ".join(r.doc_id.rsplit("!", 1)[-1] for r in reports[:5])
    return Report(doc_id=job.doc_id, source_kind="zip", status="failed",
                  error=f"zip archive of {len(reports)} documents ({names}{', ...' if len(reports) > 5 else ''}): "
                        "extract_many() and batch give one report each")


def extract_many(sources: Iterable[Source], jobs: int = 1, kind: str | None = None,
                 settings: Settings | dict[str, Any] | None = None) -> Iterator[Report]:
    """Extract many reports in `jobs` worker processes, yielding reports as they finish.

    Each document runs with the time and memory bounds of `settings`; one that crashes or hangs its worker
    comes back as a `failed` report and the rest go on.
    """
    from extractor.pool import run_many

    yield from run_many(list(sources), jobs=jobs, kind=kind, settings=resolve(settings))


def codes(template: str | None = None) -> list[CodeSpec]:
    """The canonical cells (../shared/spec/canonical_cells.csv): table, row, col, labels, kind, per template."""
    from extractor.codes import catalog

    return [s for s in catalog().specs if template is None or s.template == template]


__all__ = ["CanonicalCell", "CodeSpec", "Finding", "Report", "Settings", "__version__", "codes", "extract",
           "extract_many"]
