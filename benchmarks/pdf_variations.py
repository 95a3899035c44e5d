"""Cells right per layout kind on a large fresh draw of the PDF layout generator (issue 8: >= 300 PDFs).

    python benchmarks/pdf_variations.py [--count 300] [--seed 1000] [-j 2]

Writes the draw to a temporary folder, extracts every PDF (worker processes), and prints per layout
kind and per drawn property: documents, cells right, documents flagged, consistent documents flagged,
and silently wrong documents (a wrong cell in an `ok` document: must be 0).
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

from pdf_variations import write  # noqa: E402

import extractor  # noqa: E402
from extractor.evaluation import discover, score  # noqa: E402

PROPERTIES = ("rules", "text_mode", "font", "blank", "t3_header", "subtotal_column", "repeat_header", "template")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        for seed in range(args.seed, args.seed + args.count):
            write(out, seed)
        made = time.perf_counter() - start
        cases = {str(c.document): c for c in discover(out)}
        start = time.perf_counter()
        stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # docs right total flagged silent
        for report in extractor.extract_many(list(cases), jobs=args.jobs):
            case = cases[report.doc_id]
            result = score(report, case)
            layout = case.meta["layout"]
            keys = [f"kind: {case.meta['layout_kind']}", "all"] + [f"{p}={layout[p]}" for p in PROPERTIES]
            for key in keys:
                s = stats[key]
                s[0] += 1
                s[1] += result.right
                s[2] += result.total
                s[3] += report.status != "ok"
                s[4] += bool(result.wrong) and report.status == "ok"
        took = time.perf_counter() - start
    print(f"{args.count} PDFs drawn in {made:.0f} s, extracted in {took:.0f} s with {args.jobs} workers")
    print(f"{'':34s} {'docs':>5s} {'cells right':>12s} {'flagged':>8s} {'silent':>7s}")
    for key in sorted(stats, key=lambda k: (not k.startswith(("kind", "all")), k)):
        docs, right, total, flagged, silent = stats[key]
        print(f"{key:34s} {docs:5d} {right / total:12.2%} {flagged:8d} {silent:7d}")


if __name__ == "__main__":
    main()
