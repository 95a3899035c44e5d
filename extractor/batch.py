"""Many documents in worker processes, each bounded in time and memory, none able to stop the batch.

Workers are long-lived (no fork per document); the parent watches each one: a document that runs past
`max_seconds` gets its worker killed and replaced, a worker that dies (native crash, out of memory) costs
only its current document, which comes back as a `failed` report.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import stat
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from extractor.model import Report
from extractor.settings import Settings

_log = logging.getLogger(__name__)

# Files of a folder that are read: every document type the loaders know, and files without an extension.
# Other files (metadata .json, .csv sidecars, scripts) are skipped and counted; a file named on the command
# line is always read and, if it is not a report, fails with a row saying what it is.
SCAN_SUFFIXES = frozenset({
    ".pdf", ".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml", ".docx", ".doc", ".wps", ".rtf", ".odt",
    ".txt", ".text", ".md", ".markdown", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp",
    ".xlsx", ".xlsm", ".xls", ".et", ".ods", ".zip", "",
})
MANIFEST_SUFFIXES = frozenset({".manifest", ".lst", ".list"})


@dataclass(frozen=True)
class Job:
    source: str | bytes
    doc_id: str
    error: str = ""  # set when the input cannot even be handed to a worker: its row says why


@dataclass
class Expanded:
    jobs: list[Job]
    skipped: list[str]  # folder files of other types, not read


def _folder_jobs(root: Path, prefix: str, out: Expanded) -> None:
    """Every document file under root (doc_id: prefix + path relative to root). Symlinks are followed only
    inside the root; FIFOs, devices and links out of the folder get a failed row, never a read."""
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            rel = prefix + path.relative_to(root).as_posix()
            if name.startswith("."):
                continue
            if path.suffix.lower() not in SCAN_SUFFIXES:
                out.skipped.append(rel)
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(real_root):
                    out.jobs.append(Job(str(path), rel, "symbolic link out of the input folder: not followed"))
                    continue
            mode = path.stat().st_mode if path.exists() else 0
            if not stat.S_ISREG(mode):
                out.jobs.append(Job(str(path), rel, "not a regular file (a pipe, device or broken link): not read"))
                continue
            out.jobs.append(Job(str(path), rel))


def expand_inputs(inputs: Sequence[str]) -> list[Job]:
    return expand(inputs).jobs


def expand(inputs: Sequence[str]) -> Expanded:
    """Files as given, folders searched recursively (doc_id relative to the folder, prefixed with the folder's
    name when several folders are given, so that doc_ids stay unique), manifests (@list or *.manifest / *.lst:
    one path per line, relative to the manifest), URLs as given."""
    out = Expanded([], [])
    folders = [i for i in inputs if not i.startswith(("http://", "https://", "@")) and Path(i).is_dir()]
    names: dict[str, int] = {}
    for item in inputs:
        if item.startswith(("http://", "https://")):
            out.jobs.append(Job(item, item))
            continue
        path = Path(item[1:] if item.startswith("@") else item)
        if item.startswith("@") or path.suffix.lower() in MANIFEST_SUFFIXES:
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    target = line if line.startswith(("http://", "https://")) or Path(line).is_absolute() \
                        else str(path.parent / line)
                    out.jobs.append(Job(target, line))
        elif path.is_dir():
            prefix = ""
            if len(folders) > 1:
                name = path.resolve().name or "root"
                names[name] = names.get(name, 0) + 1
                prefix = f"{name}/" if names[name] == 1 else f"{name}~{names[name]}/"
            _folder_jobs(path, prefix, out)
        elif path.exists() and not path.is_file():
            out.jobs.append(Job(str(path), item, "not a regular file (a pipe or device): not read"))
        else:
            out.jobs.append(Job(str(path), item))
    return out


def _limit_memory(megabytes: int) -> None:
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform without rlimits
        _log.debug("memory limit not applied")


def _reports(job: Job, settings: Settings, kind: str | None) -> list[Report]:
    """The reports of one job: one, or one per member of a zip archive."""
    from extractor import extract
    from extractor.fetch import fetch_url
    from extractor.pipeline import run_all
    from extractor.sources import RawInput, sniff_kind

    source = fetch_url(job.source, settings) if isinstance(job.source, str) and \
        job.source.startswith(("http://", "https://")) else job.source
    if isinstance(source, str):
        path = Path(source)
        if path.is_file() and path.stat().st_size <= settings.max_bytes:
            with path.open("rb") as handle:
                head = handle.read(4096)
            if (kind or sniff_kind(head, path.name)) == "zip":
                return run_all(RawInput(path.read_bytes(), path.name), job.doc_id, settings, "zip")
        return [extract(source, kind=kind, settings=settings, doc_id=job.doc_id)]
    return run_all(RawInput(source, job.doc_id), job.doc_id, settings, kind)


def _worker(conn: Connection, settings: Settings, kind: str | None) -> None:
    _limit_memory(settings.max_memory_mb)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        index, job = message
        try:
            reports = _reports(job, settings, kind)
        except MemoryError:
            reports = [failed(job.doc_id, "out of memory: input too large to process")]
        except Exception as exc:  # fetch errors and the like: one line, the batch goes on
            reports = [failed(job.doc_id, f"{type(exc).__name__}: {exc}")]
        conn.send((index, reports))


def failed(doc_id: str, error: str) -> Report:
    return Report(doc_id=doc_id, source_kind="", status="failed", error=error)


class _Slot:
    def __init__(self, ctx: mp.context.BaseContext, settings: Settings, kind: str | None) -> None:
        self.ctx, self.settings, self.kind = ctx, settings, kind
        self.task: tuple[int, Job] | None = None
        self.started = 0.0
        self._start()

    def _start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.conn: Connection = parent
        self.process = self.ctx.Process(  # type: ignore[attr-defined]
            target=_worker, args=(child, self.settings, self.kind), daemon=True)
        self.process.start()
        child.close()

    def send(self, index: int, job: Job) -> None:
        self.task = (index, job)
        self.started = time.monotonic()
        self.conn.send((index, job))

    def restart(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()
        self.task = None
        self._start()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1)


def run_many(sources: Sequence[str | bytes | os.PathLike[str] | Job], jobs: int, kind: str | None,
             settings: Settings) -> Iterator[Report]:
    """Yield one report per source, in completion order."""
    tasks: deque[tuple[int, Job]] = deque()
    for i, source in enumerate(sources):
        if isinstance(source, Job):
            job = source
        elif isinstance(source, bytes):
            job = Job(source, "<bytes>")
        else:
            job = Job(str(source), str(source))
        if job.error:
            yield failed(job.doc_id, job.error)
            continue
        tasks.append((i, job))
    if not tasks:
        return
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    slots = [_Slot(ctx, settings, kind) for _ in range(max(1, min(jobs, len(tasks))))]
    try:
        while tasks or any(s.task for s in slots):
            for slot in slots:
                if slot.task is None and tasks:
                    slot.send(*tasks.popleft())
            busy = [s for s in slots if s.task is not None]
            ready = wait([s.conn for s in busy], timeout=0.2)
            for slot in busy:
                assert slot.task is not None
                doc_id = slot.task[1].doc_id
                if slot.conn in ready:
                    try:
                        _, reports = slot.conn.recv()
                    except (EOFError, OSError):
                        code = slot.process.exitcode
                        slot.restart()
                        yield failed(doc_id, f"worker died while processing (exit code {code}): out of memory "
                                             "or a crash in a native library")
                        continue
                    slot.task = None
                    yield from reports
                elif time.monotonic() - slot.started > settings.max_seconds:
                    slot.restart()
                    yield failed(doc_id, f"timed out after {settings.max_seconds:.0f} s")
    finally:
        for slot in slots:
            slot.stop()
