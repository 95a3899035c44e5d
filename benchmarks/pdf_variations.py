"""Cells right per layout kind on a large fresh draw of the PDF layout generator (issue 8: >= 300 PDFs).

    python benchmarks/pdf_variations.py [--count 300] [--seed 1000] [-j 2]

Writes the draw to a temporary folder, extracts every PDF (worker processes), and prints per layout
kind and per drawn property: documents, cells right, documents flagged, silently wrong documents (a wrong
cell in an `ok` document: must be 0), and documents read fully right that were flagged all the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "corpus"))

from pdf_variations import write  # noqa: E402
from variations import HEADER, arguments, ordered, run  # noqa: E402

from extractor.evaluation import Case  # noqa: E402
from extractor.model import Report  # noqa: E402

PROPERTIES = ("rules", "text_mode", "font", "blank", "t3_header", "subtotal_column", "repeat_header", "template")


def keys(case: Case, report: Report) -> list[str]:
    layout = case.meta["layout"]
    return [f"kind: {case.meta['layout_kind']}"] + [f"{p}={layout[p]}" for p in PROPERTIES]


def main() -> None:
    args = arguments(__doc__, 300, 1000)
    buckets, made, took = run(write, args, keys)
    print(f"{args.count} PDFs drawn in {made:.0f} s, extracted in {took:.0f} s with {args.jobs} workers")
    print(f"{'':34s} {HEADER}")
    for key, bucket in ordered(buckets, ("all", "kind")):
        print(f"{key:34s} {bucket.row()}")


if __name__ == "__main__":
    main()
