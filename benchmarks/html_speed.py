"""Seconds per HTML / DOCX / text report on one core (target: median <= 20 ms per HTML report).

    python benchmarks/html_speed.py [--rounds 5]

Runs in this process (one core), after one warm-up pass, over every such document of corpus/ and of
../shared/realdata when present; prints median / p90 / max per kind and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections import defaultdict
from pathlib import Path

import extractor
from extractor.sources import sniff_kind

REPO = Path(__file__).resolve().parent.parent
# The extraction itself, in this process: the library's default worker isolation adds ~5 ms of IPC per call.
IN_PROCESS = {"isolate": False}
SUFFIXES = {".html", ".htm", ".docx", ".txt"}


def documents() -> list[Path]:
    roots = [REPO / "corpus", REPO.parent / "shared" / "realdata"]
    return sorted(p for root in roots if root.exists() for p in root.rglob("*")
                  if p.suffix.lower() in SUFFIXES and p.is_file() and p.parent.name != "bad")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    docs = [(p, p.read_bytes()) for p in documents()]
    kinds = {}
    for path, data in docs:  # warm-up: imports, lazily built tables, the OCR model
        report = extractor.extract(data, settings=IN_PROCESS)
        ocr = any(c.method.startswith("ocr") for c in report.cells)
        kinds[path] = sniff_kind(data, path.name) + ("+images(ocr)" if ocr else "")
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.rounds):
        for path, data in docs:
            start = time.perf_counter()
            extractor.extract(data, kind=kinds[path].split("+")[0], settings=IN_PROCESS)
            times[kinds[path]].append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'kind':18s} {'docs':>5s} {'median ms':>10s} {'p90 ms':>8s} {'max ms':>8s}")
    for kind, values in sorted(times.items()):
        values.sort()
        p90 = values[int(0.9 * (len(values) - 1))]
        print(f"{kind:18s} {len(values) // args.rounds:5d} {statistics.median(values) * 1000:10.1f} "
              f"{p90 * 1000:8.1f} {values[-1] * 1000:8.1f}")
    print(f"peak memory (RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
