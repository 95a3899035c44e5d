"""The batch as the CLI runs it: inputs expanded, documents already in the output skipped, the rest run in
the worker pool and journalled, tables rebuilt, and a summary that names what failed or was flagged."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from extractor.export import BatchWriter
from extractor.inputs import Expanded, Job, expand, expand_inputs
from extractor.model import Report
from extractor.pool import run_many
from extractor.settings import Settings
from extractor.validate.cross_year import CrossYear

if TYPE_CHECKING:
    from extractor.distributed import DaskRun

__all__ = ["BatchSummary", "Expanded", "Job", "expand", "expand_inputs", "run_batch", "run_many"]


@dataclass
class BatchSummary:
    inputs: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"ok": 0, "flagged": 0, "failed": 0, "skipped": 0})
    flagged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    review: Path | None = None
    cluster: object = None
    workers: dict[str, int] = field(default_factory=dict)  # documents per Dask worker
    busy: dict[str, float] = field(default_factory=dict)  # seconds each Dask worker spent extracting


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pending_jobs(jobs: list[Job], done: dict[str, tuple[str, str]]) -> tuple[list[Job], int]:
    """The jobs still to run: a document whose file is unchanged since it was extracted (same doc_id and
    sha256, not failed) is skipped; a changed file or a failed document runs again and replaces its rows."""
    todo: list[Job] = []
    skipped = 0
    for job in jobs:
        seen = done.get(job.doc_id)
        remote = isinstance(job.source, str) and "://" in job.source and not job.source.startswith(
            ("http://", "https://", "file://"))
        if seen and seen[1] != "failed" and remote:
            skipped += 1  # a file in object storage is taken as unchanged (--force reads everything again)
            continue
        path = Path(str(job.source)) if isinstance(job.source, str) else None
        if seen and seen[1] != "failed" and not job.error and path is not None and path.is_file() \
                and not str(job.source).startswith(("http://", "https://")) and _sha256(path) == seen[0]:
            skipped += 1
            continue
        todo.append(job)
    return todo, skipped


def _executor(todo: list[Job], jobs: int, kind: str | None, settings: Settings, dask: str | DaskRun | None
              ) -> tuple[Iterator[Report], DaskRun | None]:
    """The local worker pool, or a Dask cluster (`local[:N]`, a scheduler address, or a connected DaskRun)."""
    if dask is None:
        return run_many(todo, jobs=jobs, kind=kind, settings=settings), None
    from extractor.distributed import connect, run_many_dask

    run = connect(dask, settings) if isinstance(dask, str) else dask
    if run.dashboard:
        print(f"dask dashboard: {run.dashboard}", file=sys.stderr)
    return run_many_dask(todo, run, kind, settings), run


def _stop_on_term(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def output_folder(out: str | Path) -> Iterator[Path]:
    """The folder to write into: `out` itself, or for an fsspec URL (s3://bucket/run, memory://run ...) a local
    staging folder that starts from the remote journal (so that a resume skips what is done) and is copied
    back, tables and Parquet parts included, when the batch ends (or is interrupted)."""
    text = str(out)
    if "://" not in text or text.startswith("file://"):
        yield Path(text.removeprefix("file://"))
        return
    import fsspec

    fs, root = fsspec.core.url_to_fs(text)
    staging = Path(tempfile.mkdtemp(prefix="extractor-out-"))
    remote_journal = f"{root.rstrip('/')}/reports.jsonl"
    if fs.exists(remote_journal):
        fs.get(remote_journal, str(staging / "reports.jsonl"))
    try:
        yield staging
    finally:
        fs.makedirs(root, exist_ok=True)
        for path in sorted(staging.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                target = f"{root.rstrip('/')}/{path.relative_to(staging).as_posix()}"
                fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
                fs.put_file(str(path), target)
        shutil.rmtree(staging, ignore_errors=True)


def run_batch(inputs: list[str], out: Path | str, jobs: int, settings: Settings, kind: str | None = None,
              force: bool = False, progress: Callable[[BatchSummary, int, Report | None], None] | None = None,
              xlsx: Path | None = None, duckdb: Path | None = None, review: bool = False,
              dask: str | DaskRun | None = None, keep_cluster: bool = False) -> BatchSummary:
    """Run a batch into `out` (see extractor.export for the files). SIGTERM and Ctrl-C stop it cleanly: the
    workers are stopped, everything finished is kept, and the tables are rebuilt."""
    started = time.perf_counter()
    expanded = expand(inputs)
    summary = BatchSummary(inputs=len(expanded.jobs))
    previous = signal.signal(signal.SIGTERM, _stop_on_term)
    try:
        with output_folder(out) as folder:
            _run_into(folder, expanded, summary, jobs, settings, kind, force, progress, xlsx, duckdb, review, dask,
                      keep_cluster)
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    summary.seconds = time.perf_counter() - started
    if summary.interrupted:
        print("batch interrupted: finished documents kept; run the same command again to resume", file=sys.stderr)
    return summary


def _run_into(out: Path, expanded: Expanded, summary: BatchSummary, jobs: int, settings: Settings,
              kind: str | None, force: bool, progress: Callable[[BatchSummary, int, Report | None], None] | None,
              xlsx: Path | None, duckdb: Path | None, review: bool, dask: str | DaskRun | None,
              keep_cluster: bool = False) -> None:
    """The batch proper, into a local folder: journal, tables, and what was asked for besides."""
    with BatchWriter(out, force=force, extra_checks=CrossYear) as writer:
        todo, summary.counts["skipped"] = pending_jobs(expanded.jobs, {} if force else writer.done())
        sources = {job.doc_id: os.path.abspath(job.source) if isinstance(job.source, str)
                   and not job.source.startswith(("http://", "https://")) else str(job.source)
                   for job in todo if not isinstance(job.source, bytes)}
        if progress:
            progress(summary, len(todo), None)
        reports, cluster = _executor(todo, jobs, kind, settings, dask)
        summary.cluster = cluster
        try:
            for report in reports:
                writer.write(report, sources.get(report.doc_id, sources.get(report.doc_id.split("!")[0], "")))
                summary.counts[report.status] += 1
                if report.status == "flagged":
                    summary.flagged.append(report.doc_id)
                elif report.status == "failed":
                    summary.failed.append((report.doc_id, report.error))
                if progress:
                    progress(summary, len(todo), report)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            if cluster is not None:
                summary.workers = dict(cluster.per_worker)
                summary.busy = dict(cluster.busy)
                if not keep_cluster:
                    cluster.close()
    if review:
        from extractor.compare import compare
        from extractor.export.compare import write_compare
        from extractor.export.review import write_review

        with BatchWriter(out, extra_checks=CrossYear) as again:
            write_compare(out, compare(again.reports()))
            summary.review = write_review(out, list(again.reports()), again.sources())
    if xlsx is not None or duckdb is not None:
        from extractor.export.tables import write_duckdb, write_xlsx

        if xlsx is not None:
            write_xlsx(out, xlsx)
        if duckdb is not None:
            write_duckdb(out, duckdb)
