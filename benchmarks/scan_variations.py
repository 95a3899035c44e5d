"""Cells right per scan variation on a fresh draw of the scan generator (issue 9: >= 150 scanned pages).

    python benchmarks/scan_variations.py [--count 40] [--seed 5000] [-j 2] [--mild]

Draws --count scanned reports (about four pages each), extracts them in worker processes, and prints per
drawn property (dpi, JPEG quality, skew, page turn, perspective, seal, noise, blur, delivered as a web page):
documents, cells right, documents flagged, silently wrong documents (must be 0), documents read fully right
but flagged, agency and year found, and seconds per page. --mild draws only the looks of the kept-aside scans
(150-300 dpi, slight skew, blur, noise, JPEG, seals; no page turns, no perspective).
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "corpus"))

from scan_variations import write  # noqa: E402
from variations import HEADER, Bucket, arguments, ordered, run  # noqa: E402

from extractor.evaluation import Case  # noqa: E402
from extractor.model import Report  # noqa: E402

SHOWN = ("dpi", "jpeg", "skew", "turn", "perspective", "seal", "web", "noise", "blur", "colour", "rules")


def _bucket(name: str, value: object) -> str:
    if name == "skew":
        return f"skew={'<=1' if abs(float(value)) <= 1 else '1-2' if abs(float(value)) <= 2 else '2-3'}"  # type: ignore[arg-type]
    return f"{name}={value}"


def keys(case: Case, report: Report) -> list[str]:
    return [_bucket(k, v) for k, v in case.meta["scan"].items() if k in SHOWN]


def pages_title_time(case: Case, report: Report, bucket: Bucket) -> None:
    bucket.extra["pages"] += max(1, len({c.provenance.page for c in report.cells if c.provenance.page}))
    bucket.extra["title"] += report.year == case.meta["year"] and report.agency == case.meta["agency"]
    bucket.extra["seconds"] += sum(t for _, t in report.timings)


def main() -> None:
    mild = "--mild" in sys.argv
    if mild:
        sys.argv.remove("--mild")
    args = arguments(__doc__, 40, 5000)
    buckets, _, took = run(partial(write, mild=mild), args, keys, {"max_seconds": 600}, pages_title_time)
    print(f"{args.count} scanned reports{' (mild looks)' if mild else ''}, "
          f"~{buckets['all'].extra['pages']:.0f} table pages, extracted in {took:.0f} s with {args.jobs} workers")
    print(f"{'':22s} {HEADER} {'title':>6s} {'s/page':>7s}")
    for key, b in ordered(buckets):
        print(f"{key:22s} {b.row()} {b.extra['title']:6.0f} {b.extra['seconds'] / b.extra['pages']:7.2f}")


if __name__ == "__main__":
    main()
