"""extractor: the statistical tables of 政府信息公开工作年度报告 as canonical cells, every number right or flagged.

    report = extractor.extract("report.html")
    report.status, report.cells, report.findings, report.to_frame()
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from extractor.model import CanonicalCell, Finding, Report
from extractor.settings import Settings, resolve

__version__ = "0.1.0"

Source = str | os.PathLike[str] | bytes


def _read(source: Source, settings: Settings) -> tuple[bytes, str, str]:
    if isinstance(source, bytes):
        return source, "<bytes>", "<bytes>"
    if isinstance(source, str) and source.lower().startswith(("http://", "https://")):
        from extractor.fetch import fetch_url

        return fetch_url(source, settings), source.rsplit("/", 1)[-1], source
    path = Path(source)
    size = path.stat().st_size
    if size > settings.max_bytes:
        from extractor.errors import InputTooLarge

        raise InputTooLarge(f"{size} bytes, over the {settings.max_bytes}-byte limit")
    return path.read_bytes(), path.name, str(source)


def extract(source: Source, kind: str | None = None, settings: Settings | dict[str, Any] | None = None,
            doc_id: str | None = None) -> Report:
    """Extract one report from a path or bytes. Never raises for bad input: see `Report.status`."""
    from extractor.errors import ExtractionError
    from extractor.pipeline import run_all
    from extractor.sources import RawInput

    resolved = resolve(settings)
    try:
        data, name, default_id = _read(source, resolved)
    except (OSError, ExtractionError) as exc:
        ident = doc_id or str(source)
        return Report(doc_id=ident, source_kind=kind or "", status="failed",
                      error=f"cannot read input: {exc}")
    reports = run_all(RawInput(data, name), doc_id or default_id, resolved, kind)
    if len(reports) == 1:
        return reports[0]
    names = ", ".join(r.doc_id.rsplit("!", 1)[-1] for r in reports[:5])
    return Report(doc_id=doc_id or default_id, source_kind="zip", status="failed",
                  error=f"zip archive of {len(reports)} documents ({names}{', ...' if len(reports) > 5 else ''}): "
                        "extract_many() and batch give one report each")


def extract_many(sources: Iterable[Source], jobs: int = 1, kind: str | None = None,
                 settings: Settings | dict[str, Any] | None = None) -> Iterator[Report]:
    """Extract many reports in `jobs` worker processes, yielding reports as they finish.

    Each document runs with the time and memory bounds of `settings`; one that crashes or hangs its worker
    comes back as a `failed` report and the rest go on.
    """
    from extractor.batch import run_many

    yield from run_many(list(sources), jobs=jobs, kind=kind, settings=resolve(settings))


__all__ = ["CanonicalCell", "Finding", "Report", "Settings", "__version__", "extract", "extract_many"]
