"""Cells right per layout kind on a fresh draw of reports printed to PDF by Chromium (issue 8: a PDF maker
other than our own writer; corpus/browser_pdf_variations.py).

    python benchmarks/browser_pdf_variations.py [--count 300] [--seed 60000] [-j 2]

Prints per layout kind and per drawn property: documents, cells right, documents flagged, silently wrong
documents (must be 0), and documents read fully right that were flagged all the same. Printing takes
about a second a document (one Chromium per page set).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "corpus"))

from browser_pdf_variations import write  # noqa: E402
from variations import HEADER, arguments, ordered, run  # noqa: E402

from extractor.evaluation import Case  # noqa: E402
from extractor.model import Report  # noqa: E402

PROPERTIES = ("border", "label_align", "value_align", "letter_spacing", "vertical_groups", "thead", "blank",
              "face", "size", "padding", "landscape", "subtotal_column", "t3_header", "template")


def keys(case: Case, report: Report) -> list[str]:
    layout = case.meta["layout"]
    return [f"kind: {case.meta['layout_kind']}"] + [f"{p}={layout[p]}" for p in PROPERTIES]


def main() -> None:
    args = arguments(__doc__, 300, 60000)
    buckets, made, took = run(write, args, keys)
    print(f"{args.count} PDFs printed in {made:.0f} s, extracted in {took:.0f} s with {args.jobs} workers")
    print(f"{'':34s} {HEADER}")
    for key, bucket in ordered(buckets, ("all", "kind")):
        print(f"{key:34s} {bucket.row()}")


if __name__ == "__main__":
    main()
