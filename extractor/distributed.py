"""Batches on a Dask cluster: `extractor batch ... --dask tcp://host:8786` or `--dask local[:N]`.

Dask schedules (futures, `as_completed`, retries when a worker is lost); each Dask worker keeps, through a
worker plugin, one long-lived extraction process of its own, started when the worker joins (the OCR model
warmed once there), so that every document keeps the local pool's bounds: time (`max_seconds`), memory
(`max_memory_mb`), and a crash or hang costing only that document, as a `failed` report. The extraction
process is spawned (not forked: Dask workers are daemonic and may not fork children) and dies with its
Dask worker. dask and distributed are imported only here: the local path never loads them.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from distributed import WorkerPlugin

from extractor.inputs import Job
from extractor.model import Report
from extractor.pool import Slot, collect, serve_jobs
from extractor.settings import Settings

_log = logging.getLogger(__name__)

SERVE = "from extractor.distributed import serve; serve()"


def serve() -> None:
    """The spawned extraction process: settings first, then jobs, on its stdin; reports on its stdout."""
    recv = Connection(os.dup(0), writable=False)
    send = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the report stream
    settings, kind, warm = recv.recv()
    if warm:
        try:
            from extractor.sources.scan.ocr import warm_up

            warm_up()
        except Exception:  # a missing OCR engine fails the documents that need it, not the worker
            _log.debug("OCR warm-up failed", exc_info=True)
    serve_jobs(recv, send, settings, kind)


class _Process:
    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        self.popen.kill()

    def join(self, timeout: float | None = None) -> None:
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            pass


class SpawnedSlot(Slot):
    """A pool slot whose process is spawned afresh (not forked): usable inside a (daemonic) Dask worker."""

    def __init__(self, settings: Settings, kind: str | None, warm: bool = False) -> None:
        self.warm = warm
        super().__init__(None, settings, kind)

    def _start(self) -> None:
        popen = subprocess.Popen([sys.executable, "-c", SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 close_fds=True)
        assert popen.stdin is not None and popen.stdout is not None
        self.process = _Process(popen)
        self.out = Connection(os.dup(popen.stdin.fileno()), readable=False)
        self.conn = Connection(os.dup(popen.stdout.fileno()), writable=False)
        popen.stdin.close()
        popen.stdout.close()
        self.out.send((self.settings, self.kind, self.warm))

    def run(self, job: Job) -> list[Report]:
        """One job, bounded by the settings' time limit."""
        if not self.process.is_alive():
            self.restart()
        self.send(0, job)
        while True:
            ready = wait([self.conn], timeout=0.5)
            reports = collect(self, bool(ready), self.settings)
            if reports:
                return reports


class ExtractorPlugin(WorkerPlugin):
    """A Dask worker plugin: the worker's extraction process, started (and its OCR warmed) when the worker
    joins, stopped when it leaves. Only the settings travel to the workers; the process is made there."""

    name = "extractor"

    def __init__(self, settings: Settings, kind: str | None, warm_ocr: bool = True) -> None:
        self.settings, self.kind, self.warm_ocr = settings, kind, warm_ocr
        self.slot: SpawnedSlot | None = None
        self.lock: threading.Lock | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings, "kind": self.kind, "warm_ocr": self.warm_ocr, "slot": None, "lock": None}

    def setup(self, worker: Any) -> None:
        self.lock = threading.Lock()
        self.slot = SpawnedSlot(self.settings, self.kind, self.warm_ocr)

    def teardown(self, worker: Any) -> None:
        if self.slot is not None:
            self.slot.stop()

    def run(self, job: Job) -> list[Report]:
        if self.lock is None:
            self.lock = threading.Lock()
        with self.lock:
            if self.slot is None:
                self.slot = SpawnedSlot(self.settings, self.kind, self.warm_ocr)
            return self.slot.run(job)


def _run_job(job: Job) -> tuple[str, float, list[Report]]:
    from distributed import get_worker

    worker = get_worker()
    plugin: Any = worker.plugins["extractor"]
    start = time.perf_counter()
    reports = plugin.run(job)
    return worker.address, time.perf_counter() - start, reports


@dataclass
class DaskRun:
    """The client and what each worker did (for the summary)."""

    client: Any
    cluster: Any = None
    per_worker: Counter[str] = field(default_factory=Counter)
    busy: Counter[str] = field(default_factory=Counter)
    plugin_registered: bool = False

    @property
    def dashboard(self) -> str:
        return str(getattr(self.client, "dashboard_link", "") or "")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def connect(spec: str, settings: Settings) -> DaskRun:
    """`local`, `local:N` (a LocalCluster of N worker processes, one thread each) or a scheduler address."""
    from distributed import Client, LocalCluster

    if spec == "local" or spec.startswith("local:"):
        n = int(spec.split(":", 1)[1]) if ":" in spec else (os.cpu_count() or 2)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                               memory_limit=0)
        return DaskRun(Client(cluster), cluster)
    return DaskRun(Client(spec))


def run_many_dask(sources: Sequence[Job], run: DaskRun, kind: str | None, settings: Settings) -> Iterator[Report]:
    """Yield the reports of every job as the cluster finishes them; a task whose worker died is retried once
    on another worker, and a job that still fails comes back as a `failed` report."""
    from distributed import as_completed

    if not run.plugin_registered:
        run.client.register_plugin(ExtractorPlugin(settings, kind), name="extractor")
        run.plugin_registered = True
    run.per_worker.clear()
    run.busy.clear()
    ready = []
    for job in sources:
        if job.error:
            yield Report.failure(job.doc_id, job.error)
        else:
            ready.append(job)
    keys = [f"extract-{i}-{time.monotonic_ns()}" for i in range(len(ready))]
    futures = run.client.map(_run_job, ready, pure=False, retries=1, key=keys)
    by_key = {f.key: job for f, job in zip(futures, ready, strict=True)}
    for future in as_completed(futures):
        try:
            address, seconds, reports = future.result()
        except Exception as exc:  # the task failed twice (its workers died): the document's row says so
            yield Report.failure(by_key[future.key].doc_id, f"lost on the cluster: {type(exc).__name__}: {exc}")
            continue
        run.per_worker[address] += 1
        run.busy[address] += seconds
        yield from reports
