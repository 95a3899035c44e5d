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
from variations import layout_benchmark  # noqa: E402

PROPERTIES = ("rules", "text_mode", "font", "blank", "t3_header", "subtotal_column", "repeat_header", "template")


def main() -> None:
    layout_benchmark(write, __doc__, 1000, PROPERTIES)


if __name__ == "__main__":
    main()
