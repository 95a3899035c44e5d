"""The loop both variation benchmarks share: draw a fresh set with a seeded generator, extract it in worker
processes, score every document and add it to the buckets its drawn properties name."""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import extractor
from extractor.evaluation import Case, Score, discover, score
from extractor.model import Report


@dataclass
class Bucket:
    docs: int = 0
    right: int = 0
    total: int = 0
    flagged: int = 0
    silent: int = 0  # a wrong cell in an `ok` document: must stay 0
    consistent: int = 0  # documents read fully right
    consistent_flagged: int = 0  # ... and flagged all the same (a person asked to look for nothing)
    extra: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, report: Report, result: Score) -> None:
        self.docs += 1
        self.right += result.right
        self.total += result.total
        self.flagged += report.status != "ok"
        self.silent += bool(result.wrong) and report.status == "ok"
        fully_right = result.right == result.total
        self.consistent += fully_right
        self.consistent_flagged += fully_right and report.status != "ok"

    def row(self) -> str:
        share = self.right / self.total if self.total else 0.0
        return (f"{self.docs:5d} {share:12.2%} {self.flagged:8d} {self.silent:7d} "
                f"{self.consistent_flagged:4d}/{self.consistent:<4d}")


HEADER = f"{'docs':>5s} {'cells right':>12s} {'flagged':>8s} {'silent':>7s} {'right docs flagged':>18s}"


def arguments(doc: str, count: int, seed: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    return parser.parse_args()


def run(write: Callable[[Path, int], Path], args: argparse.Namespace,
        keys: Callable[[Case, Report], list[str]], settings: dict[str, object] | None = None,
        each: Callable[[Case, Report, Bucket], None] | None = None) -> tuple[dict[str, Bucket], float, float]:
    """Buckets by key, seconds to draw, seconds to extract. `each` adds a benchmark's own figures."""
    buckets: dict[str, Bucket] = defaultdict(Bucket)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        for seed in range(args.seed, args.seed + args.count):
            write(out, seed)
        made = time.perf_counter() - start
        cases = {str(c.document): c for c in discover(out)}
        start = time.perf_counter()
        for report in extractor.extract_many(list(cases), jobs=args.jobs, settings=settings):
            case = cases[report.doc_id]
            result = score(report, case)
            for key in ["all", *keys(case, report)]:
                buckets[key].add(report, result)
                if each:
                    each(case, report, buckets[key])
        took = time.perf_counter() - start
    return buckets, made, took


def ordered(buckets: dict[str, Bucket], first: tuple[str, ...] = ("all",)) -> list[tuple[str, Bucket]]:
    return sorted(buckets.items(), key=lambda kv: (not kv[0].startswith(first), kv[0]))


def layout_benchmark(write: Callable[[Path, int], Path], doc: str, seed: int, properties: tuple[str, ...],
                     made: str = "drawn") -> None:
    """The PDF layout benchmarks' main: a draw of 300 (or --count), per layout kind and per drawn property."""
    args = arguments(doc, 300, seed)

    def keys(case: Case, report: Report) -> list[str]:
        layout = case.meta["layout"]
        return [f"kind: {case.meta['layout_kind']}"] + [f"{p}={layout[p]}" for p in properties]

    buckets, making, took = run(write, args, keys)
    print(f"{args.count} PDFs {made} in {making:.0f} s, extracted in {took:.0f} s with {args.jobs} workers")
    print(f"{'':34s} {HEADER}")
    for key, bucket in ordered(buckets, ("all", "kind")):
        print(f"{key:34s} {bucket.row()}")

