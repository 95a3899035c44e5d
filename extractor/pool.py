"""Documents in worker processes, each bounded in time and memory, none able to stop the others.

Workers are long-lived (no fork per document); the parent watches each one: a document that runs past
`max_seconds` gets its worker killed and replaced, a worker that dies (native crash, out of memory) costs
only its current document, which comes back as a `failed` report. A worker dies with its parent: the
kernel kills it when the parent goes (PR_SET_PDEATHSIG on Linux), and a watchdog thread exits it when its
parent changes, so no worker outlives a killed batch.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from extractor.errors import ExtractionError
from extractor.inputs import Job
from extractor.model import Report
from extractor.settings import Settings

_log = logging.getLogger(__name__)

WATCHDOG_SECONDS = 1.0


def _limit_memory(megabytes: int) -> None:
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform without rlimits
        _log.debug("memory limit not applied")


def _die_with_parent() -> None:
    """The kernel kills this process when its parent dies (Linux); elsewhere a thread watches the parent."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watchdog").start()


def reports_of(job: Job, settings: Settings, kind: str | None) -> list[Report]:
    """The reports of one job, in this process: one, or one per member of a zip archive."""
    from extractor.fetch import fetch_url
    from extractor.pipeline import run_all
    from extractor.sources import RawInput
    from extractor.sources.read import read_remote, read_source

    if isinstance(job.source, str) and job.source.startswith(("http://", "https://")):
        page = fetch_url(job.source, settings)
        reports = run_all(RawInput(page, job.source.rsplit("/", 1)[-1]), job.doc_id, settings, kind)
        if len(reports) == 1 and reports[0].status == "failed" and reports[0].source_kind == "html" \
                and not reports[0].cells:
            from extractor.attachments import follow

            attached = follow(page, job.source, settings)
            if attached:
                return attached  # the page held no table: its report is in the attachments
        return reports
    if isinstance(job.source, bytes):
        return run_all(RawInput(job.source, job.doc_id), job.doc_id, settings, kind)
    if "://" in job.source and not job.source.startswith("file://"):
        try:
            data = read_remote(job.source, settings)
        except (OSError, ExtractionError, ImportError, ValueError) as exc:
            return [Report.failure(job.doc_id, f"cannot read input: {exc}")]
        return run_all(RawInput(data, job.source.rsplit("/", 1)[-1]), job.doc_id, settings, kind)
    try:
        data = read_source(Path(job.source.removeprefix("file://")), settings)
    except (OSError, ExtractionError) as exc:
        return [Report.failure(job.doc_id, f"cannot read input: {exc}")]
    return run_all(RawInput(data, Path(job.source).name), job.doc_id, settings, kind)


def _worker(conn: Connection, other_end: Connection, settings: Settings, kind: str | None) -> None:
    other_end.close()  # the parent's end: EOF reaches us when the parent is gone
    serve_jobs(conn, conn, settings, kind)


def serve_jobs(recv: Connection, send: Connection, settings: Settings, kind: str | None) -> None:
    """The worker's loop: jobs in, reports out, until the parent says stop or goes away."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _limit_memory(settings.max_memory_mb)
    # Read by the recogniser when (if) it loads: importing it here would load OpenCV into every worker.
    os.environ["EXTRACTOR_OCR_THREADS"] = str(settings.ocr_threads or 1)
    while True:
        try:
            message = recv.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, job = message
        try:
            reports = reports_of(job, settings, job.kind or kind)
        except MemoryError:
            reports = [Report.failure(job.doc_id, "out of memory: input too large to process")]
        except Exception as exc:  # fetch errors and the like: one line, the batch goes on
            _log.debug("job %s failed", job.doc_id, exc_info=True)
            reports = [Report.failure(job.doc_id, f"{type(exc).__name__}: {exc}")]
        try:
            send.send((index, reports))
        except (OSError, ValueError):
            return


class Slot:
    """One worker process and the job it is on (forked; extractor.distributed spawns instead)."""

    def __init__(self, ctx: mp.context.BaseContext | None, settings: Settings, kind: str | None) -> None:
        self.ctx, self.settings, self.kind = ctx, settings, kind
        self.task: tuple[int, Job] | None = None
        self.started = 0.0
        self._start()

    def _start(self) -> None:
        assert self.ctx is not None
        parent, child = self.ctx.Pipe()
        self.conn: Connection = parent
        self.out: Connection = parent  # where jobs go: the same duplex pipe here
        self.process: Any = self.ctx.Process(  # type: ignore[attr-defined]
            target=_worker, args=(child, parent, self.settings, self.kind), daemon=True)
        self.process.start()
        child.close()

    def send(self, index: int, job: Job) -> None:
        self.task = (index, job)
        self.started = time.monotonic()
        self.out.send((index, job))

    def _close(self) -> None:
        self.conn.close()
        if self.out is not self.conn:
            self.out.close()

    def restart(self) -> None:
        self.process.kill()
        self.process.join(5)
        self._close()
        self.task = None
        self._start()

    def stop(self) -> None:
        try:
            self.out.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)
        self._close()


def worker_memory(settings: Settings, jobs: int) -> int:
    """Per-worker memory: the setting, or what the machine can give each of `jobs` workers if less."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):  # pragma: no cover - no sysconf
        return settings.max_memory_mb
    return max(256, min(settings.max_memory_mb, int(total * 0.8) // max(jobs, 1)))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _context() -> mp.context.BaseContext:
    return mp.get_context("fork" if hasattr(os, "fork") else "spawn")


def run_many(sources: Sequence[str | bytes | os.PathLike[str] | Job], jobs: int, kind: str | None,
             settings: Settings) -> Iterator[Report]:
    """Yield the reports of every source, in completion order (a zip archive yields one per member)."""
    tasks: deque[tuple[int, Job]] = deque()
    for i, source in enumerate(sources):
        if isinstance(source, Job):
            job = source
        elif isinstance(source, bytes):
            job = Job(source, "<bytes>")
        else:
            job = Job(str(source), str(source))
        if job.error:
            yield Report.failure(job.doc_id, job.error)
            continue
        tasks.append((i, job))
    if not tasks:
        return
    n = max(1, min(jobs, len(tasks)))
    settings = replace(settings, max_memory_mb=worker_memory(settings, n),
                       ocr_threads=settings.ocr_threads or max(1, _cores() // n))
    slots = [Slot(_context(), settings, kind) for _ in range(n)]
    try:
        while tasks or any(s.task for s in slots):
            for slot in slots:
                if slot.task is None and tasks:
                    slot.send(*tasks.popleft())
            busy = [s for s in slots if s.task is not None]
            ready = wait([s.conn for s in busy], timeout=0.2)
            for slot in busy:
                assert slot.task is not None
                done = collect(slot, slot.conn in ready, settings)
                if slot.task is None and tasks:
                    slot.send(*tasks.popleft())  # the worker goes on while the caller writes these reports
                yield from done
    finally:
        for slot in slots:
            slot.stop()


def collect(slot: Slot | Any, ready: bool, settings: Settings) -> list[Report]:
    assert slot.task is not None
    doc_id = slot.task[1].doc_id
    if ready:
        try:
            _, reports = slot.conn.recv()
        except (EOFError, OSError):
            code = slot.process.exitcode
            slot.restart()
            return [Report.failure(doc_id, f"worker died while processing (exit code {code}): out of memory or a "
                                   "crash in a native library")]
        slot.task = None
        return list(reports)
    if time.monotonic() - slot.started > settings.max_seconds:
        slot.restart()
        return [Report.failure(doc_id, f"timed out after {settings.max_seconds:.0f} s")]
    return []


class Isolated:
    """A single long-lived worker for the library API: each call is bounded like a batch document."""

    _slot: Slot | None = None
    _settings: Settings | None = None
    _lock = threading.Lock()

    @classmethod
    def run(cls, job: Job, settings: Settings) -> list[Report]:
        with cls._lock:
            if cls._slot is None or cls._settings != settings or not cls._slot.process.is_alive():
                if cls._slot is not None:
                    cls._slot.stop()
                cls._slot = Slot(_context(), replace(settings, ocr_threads=settings.ocr_threads or _cores()),
                                 kind=None)
                cls._settings = settings
            slot = cls._slot
            slot.send(0, job)
            deadline = slot.started + settings.max_seconds
            while True:
                ready = wait([slot.conn], timeout=max(0.05, min(0.5, deadline - time.monotonic())))
                reports = collect(slot, bool(ready), settings)
                if reports:
                    return reports
