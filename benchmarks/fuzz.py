"""The fuzzing harness at size: hundreds of seeded mutants of corpus documents (tests/fuzz.py).

    python benchmarks/fuzz.py [--count 500] [--seed 1] [-j 2] [--scans]

Prints how many ended ok / flagged / failed, the slowest, and every oracle failure: a hang (time-out), an
internal error or traceback, or an `ok` report with a wrong 表三/表四 cell. Exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from fuzz import mutants, verdict  # noqa: E402

import extractor  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--scans", action="store_true", help="mutate scanned documents too (seconds each)")
    args = parser.parse_args()
    suffixes = (".html", ".txt", ".docx", ".pdf", ".md") + ((".png",) if args.scans else ())
    draw = mutants(REPO / "corpus", args.count, args.seed, suffixes)
    by_hash = {hashlib.sha256(m.data).hexdigest(): m for m in draw}
    start = time.perf_counter()
    statuses: Counter[str] = Counter()
    problems = []
    slowest: list[tuple[float, str]] = []
    for report in extractor.extract_many([m.data for m in draw], jobs=args.jobs, settings={"max_seconds": 60}):
        statuses[report.status] += 1
        mutant = by_hash.get(report.sha256)
        seconds = sum(t for _, t in report.timings)
        slowest.append((seconds, mutant.case.folder.name if mutant else report.doc_id))
        found = verdict(mutant, report) if mutant else ("internal error" in report.error and report.error)
        if found:
            problems.append((mutant.case.folder.name if mutant else "?", mutant.edits if mutant else (), found))
    took = time.perf_counter() - start
    print(f"{len(draw)} mutants in {took:.0f} s: " + ", ".join(f"{n} {k}" for k, n in statuses.most_common()))
    print("slowest: " + ", ".join(f"{name} {s:.2f}s" for s, name in sorted(slowest, reverse=True)[:5]))
    for problem in problems:
        print("PROBLEM", *problem)
    print(f"{len(problems)} oracle failure(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
