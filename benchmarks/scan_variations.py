"""Cells right per scan variation on a fresh draw of the scan generator (issue 9: >= 150 scanned pages).

    python benchmarks/scan_variations.py [--count 40] [--seed 5000] [-j 2]

Draws --count scanned reports (about four pages each), extracts them in worker processes, and prints per
drawn property (dpi, JPEG quality, skew, page turn, perspective, seal, delivered as a web page): documents,
cells right, documents flagged, silently wrong documents (must be 0), agency and year found, and seconds per
page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "corpus"))

from scan_variations import write  # noqa: E402

import extractor  # noqa: E402
from extractor.evaluation import discover, score  # noqa: E402


def _bucket(name: str, value: object) -> str:
    if name == "skew":
        return f"skew={'<=1' if abs(float(value)) <= 1 else '1-2' if abs(float(value)) <= 2 else '2-3'}"  # type: ignore[arg-type]
    return f"{name}={value}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=5000)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for seed in range(args.seed, args.seed + args.count):
            write(out, seed)
        cases = {str(c.document): c for c in discover(out)}
        stats: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0.0, 0])
        start = time.perf_counter()
        pages = 0
        for report in extractor.extract_many(list(cases), jobs=args.jobs, settings={"max_seconds": 600}):
            case = cases[report.doc_id]
            result = score(report, case)
            scan = case.meta["scan"]
            n_pages = max(1, len({c.provenance.page for c in report.cells if c.provenance.page}))
            pages += n_pages
            keys = ["all"] + [_bucket(k, v) for k, v in scan.items() if k in (
                "dpi", "jpeg", "skew", "turn", "perspective", "seal", "web", "noise")]
            for key in keys:
                s = stats[key]
                s[0] += 1
                s[1] += result.right
                s[2] += result.total
                s[3] += report.status != "ok"
                s[4] += bool(result.wrong) and report.status == "ok"
                s[5] += report.year == case.meta["year"] and report.agency == case.meta["agency"]
                s[6] += sum(t for _, t in report.timings)
                s[7] += n_pages
        took = time.perf_counter() - start
    print(f"{args.count} scanned reports, ~{pages} table pages, extracted in {took:.0f} s with {args.jobs} workers")
    print(f"{'':22s} {'docs':>5s} {'cells right':>12s} {'flagged':>8s} {'silent':>7s} {'title':>6s} {'s/page':>7s}")
    for key in sorted(stats, key=lambda k: (k != "all", k)):
        docs, right, total, flagged, silent, title, seconds, n_pages = stats[key]
        print(f"{key:22s} {docs:5.0f} {right / total:12.2%} {flagged:8.0f} {silent:7.0f} {title:6.0f} "
              f"{seconds / n_pages:7.2f}")


if __name__ == "__main__":
    main()
