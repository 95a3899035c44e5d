"""Batch output, exactly once under any kill: a journal of whole reports, tables rebuilt from it.

- `reports.jsonl` is the journal: one line of typed JSON per document, appended with a single write. It is
  the only file written while the batch runs; a kill can at worst leave its last line unfinished, which the
  next run cuts off. A document extracted again (the file changed, a failed one retried) gets a new line,
  and the newest line of a doc_id is the one that counts.
- Every few hundred documents (or seconds) the new reports also go to Parquet part files (`parts/`), so a
  running batch can be read; each part is written to a temporary name and renamed.
- On close, and on the next run after a kill, the tables (cells / documents / checks / wide, CSV and Parquet;
  see export.tables) are rebuilt from the journal, each renamed into place when complete; nothing is
  rebuilt when the journal did not change. A batch that starts on an empty journal writes the tables as it
  goes, from the very records its journal lines hold, instead of reading the journal back at the end.
- A lock on the folder (`.lock`, a POSIX record lock) keeps a second batch out of it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from extractor.errors import ExtractionError
from extractor.export.records import dumps, journal_data, report_from_json
from extractor.export.tables import TableWriter, write_tables
from extractor.model import Finding, Report

_log = logging.getLogger(__name__)

JOURNAL = "reports.jsonl"
TABLE_FILES = [f"{n}.{e}" for n in ("cells", "documents", "checks", "wide") for e in ("csv", "parquet")]
MARKER = ".compacted"  # the journal size the tables were last built from
class Checker(Protocol):
    """Checks across documents (cross-year): shown every report once, then asked for its findings."""

    def see(self, report: Report) -> None: ...

    def findings(self) -> list[tuple[str, Finding]]: ...


ExtraChecks = Callable[[], Checker]


class OutputLocked(ExtractionError):
    """Another batch is writing to this output folder."""


class BatchWriter:
    def __init__(self, out: Path, force: bool = False, part_every: int = 200, part_seconds: float = 30.0,
                 extra_checks: ExtraChecks | None = None) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self._lock: IO[str] = (out / ".lock").open("a")
        try:
            # A POSIX record lock belongs to this process alone: forked workers do not hold it, and it goes
            # the moment the batch dies, however it dies.
            fcntl.lockf(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            raise OutputLocked(f"{out} is in use by another batch (lock {out / '.lock'}); wait for it or choose "
                               "another --out") from None
        if force:
            for name in [JOURNAL, MARKER, *TABLE_FILES]:
                (out / name).unlink(missing_ok=True)
            shutil.rmtree(out / "parts", ignore_errors=True)
        self.journal = out / JOURNAL
        self._repair_journal()
        self.part_every, self.part_seconds = part_every, part_seconds
        self.extra_checks = extra_checks
        self._pending: list[Report] = []
        self._last_part = time.monotonic()
        self._fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.written = 0
        # On an empty journal the tables are the journal's lines in order: they are written as they come.
        self._live: TableWriter | None = None
        self._live_ids: set[str] = set()
        self._checker: Checker | None = None
        if os.fstat(self._fd).st_size == 0:
            self._live = TableWriter(out)
            self._checker = extra_checks() if extra_checks else None

    # -- the journal ---------------------------------------------------------------------------------------
    def _repair_journal(self) -> None:
        """Cut an unfinished last line (a kill during its write)."""
        if not self.journal.exists() or self.journal.stat().st_size == 0:
            return
        with self.journal.open("rb+") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(size - 1)
            if f.read(1) == b"\n":
                return
            end = size
            while end > 0:  # look back, a block at a time, for the end of the last whole line
                start = max(0, end - (1 << 20))
                f.seek(start)
                cut = f.read(end - start).rfind(b"\n")
                if cut >= 0:
                    f.truncate(start + cut + 1)
                    break
                end = start
            else:
                f.truncate(0)
            _log.info("journal: an unfinished last line was cut off")

    def entries(self) -> dict[str, dict[str, Any]]:
        """doc_id -> {sha256, status, offset} of the newest journal line of every document."""
        found: dict[str, dict[str, Any]] = {}
        if not self.journal.exists():
            return found
        with self.journal.open("rb") as f:
            offset = 0
            for line in f:
                try:
                    data = json.loads(line)
                    found[data["doc_id"]] = {"sha256": data.get("sha256", ""), "status": data.get("status", ""),
                                             "offset": offset, "source": data.get("source", "")}
                except (ValueError, KeyError):
                    _log.info("journal: unreadable line at byte %d skipped", offset)
                offset += len(line)
        return found

    def done(self) -> dict[str, tuple[str, str]]:
        """doc_id -> (sha256, status) already in the output."""
        return {doc_id: (e["sha256"], e["status"]) for doc_id, e in self.entries().items()}

    def reports(self) -> Iterator[Report]:
        """The newest report of every document, in first-seen order, read one at a time."""
        entries = self.entries()
        with self.journal.open("rb") as f:
            for entry in entries.values():
                f.seek(entry["offset"])
                yield report_from_json(json.loads(f.readline()))

    def sources(self) -> dict[str, str]:
        """doc_id -> the path or URL it was read from."""
        return {doc_id: e["source"] for doc_id, e in self.entries().items() if e["source"]}

    def write(self, report: Report, source: str = "") -> None:
        data = journal_data(report, source)
        os.write(self._fd, (dumps(data) + "\n").encode("utf-8"))
        self.written += 1
        if self._live is not None:
            if report.doc_id in self._live_ids:  # a newer line replaces an older one: rebuild at the end
                self._live.abandon()
                self._live = None
            else:
                self._live_ids.add(report.doc_id)
                # What a rebuild would read back from this line (rounded boxes and confidences included).
                written = report_from_json(data)
                if self._checker is not None:
                    self._checker.see(written)
                self._live.add(written)
        self._pending.append(report)
        if len(self._pending) >= self.part_every or time.monotonic() - self._last_part > self.part_seconds:
            self._write_part()

    # -- parts and tables ----------------------------------------------------------------------------------
    def _write_part(self) -> None:
        if not self._pending:
            return
        parts = self.out / "parts"
        parts.mkdir(exist_ok=True)
        number = len(list(parts.glob("documents-*.parquet"))) + 1
        staging = parts / f".part-{number:05d}"
        staging.mkdir(exist_ok=True)
        write_tables(staging, self._pending, [])
        for name in ("cells", "documents", "checks"):
            os.replace(staging / f"{name}.parquet", parts / f"{name}-{number:05d}.parquet")
        shutil.rmtree(staging, ignore_errors=True)
        self._pending = []
        self._last_part = time.monotonic()

    def compact(self) -> bool:
        """Rebuild the tables from the journal when it changed since they were built; True if rebuilt."""
        size = self.journal.stat().st_size if self.journal.exists() else 0
        marker = self.out / MARKER
        built = marker.read_text().strip() if marker.exists() else ""
        if built == str(size) and all((self.out / name).exists() for name in TABLE_FILES):
            return False
        checker = self.extra_checks() if self.extra_checks else None

        def seen(reports: Iterator[Report]) -> Iterator[Report]:
            for report in reports:
                if checker is not None:
                    checker.see(report)
                yield report

        def afterwards() -> Iterator[tuple[str, Finding]]:
            if checker is not None:
                yield from checker.findings()

        # One pass over the journal: the cross-document checks see each report as its rows are written, and
        # their findings go into the checks table after the last report.
        write_tables(self.out, seen(self.reports()), afterwards())
        self._built(size)
        return True

    def _built(self, size: int) -> None:
        """The tables are in place for a journal of `size` bytes: say so, and the parts are no longer needed."""
        (self.out / MARKER).write_text(str(size))
        shutil.rmtree(self.out / "parts", ignore_errors=True)

    def _finish_live(self) -> bool:
        """Put the tables written as the batch went into place; True if there were such tables."""
        if self._live is None:
            return False
        live, self._live = self._live, None
        live.finish(self._checker.findings() if self._checker is not None else ())
        self._built(self.journal.stat().st_size)
        return True

    def close(self) -> None:
        try:
            os.close(self._fd)
            if not self._finish_live():
                self.compact()
        finally:
            fcntl.lockf(self._lock, fcntl.LOCK_UN)
            self._lock.close()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
