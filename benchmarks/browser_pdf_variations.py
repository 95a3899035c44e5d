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
from variations import layout_benchmark  # noqa: E402

PROPERTIES = ("border", "label_align", "value_align", "letter_spacing", "vertical_groups", "thead", "blank",
              "face", "size", "padding", "landscape", "subtotal_column", "t3_header", "template")


def main() -> None:
    layout_benchmark(write, __doc__, 60000, PROPERTIES, "printed")


if __name__ == "__main__":
    main()
