"""Scans and table images: seconds per table page, peak memory, accuracy and flagging.

    python benchmarks/scan_speed.py

One core (onnxruntime runs with one thread). For each scanned corpus document (source kind scanned-pdf, or
a web page or Word file of table images): every page image is cleaned, gridded and read (timed per page that holds a
table, model loading excluded by a warm-up), then the whole document is extracted and scored. Prints the
median and p90 seconds per table page, peak RSS, cell accuracy, how many documents with a wrong cell were
flagged, and how many fully correct documents were flagged anyway (target: at most 2%).
"""

from __future__ import annotations

import resource
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

import extractor
from extractor.evaluation import discover, score
from extractor.sources.scan import scan_page

REPO = Path(__file__).resolve().parent.parent
# The extraction itself, in this process: the library's default worker isolation adds ~5 ms of IPC per call.
IN_PROCESS = {"isolate": False}


def page_images(path: Path) -> list[np.ndarray]:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        return [cv2.cvtColor(np.asarray(pdf[i].render(scale=200 / 72).to_pil().convert("RGB")), cv2.COLOR_RGB2BGR)
                for i in range(len(pdf))]
    from extractor.sources.image import data_uri_bytes, decode_images

    if path.suffix == ".docx":  # a Word file of page pictures: its media parts, in order
        import zipfile

        with zipfile.ZipFile(path) as package:
            names = sorted(n for n in package.namelist() if n.startswith("word/media/"))
            return [frame for n in names for frame in decode_images(package.read(n))]
    from lxml import html

    images = []
    for src in html.fromstring(data).xpath("//img/@src"):
        raw = data_uri_bytes(src, 50_000_000)
        if raw:
            images.extend(decode_images(raw))
    return images


def main() -> None:
    cases = [c for c in discover(REPO / "corpus")
             if c.meta.get("source_kind") == "scanned-pdf" or "images" in c.folder.name]
    warm = page_images(cases[0].document)[0]
    scan_page(warm, 1, 200 / 72, 1)
    per_page: list[float] = []
    right = total = wrong_docs = wrong_flagged = correct_docs = correct_flagged = 0
    print(f"{'document':40s} {'pages':>5s} {'s/table page':>13s} {'cells':>9s} {'status':>8s}")
    for case in cases:
        times = []
        for i, image in enumerate(page_images(case.document)):
            start = time.perf_counter()
            tables = scan_page(image, i + 1, 200 / 72, i + 1)
            if tables:
                times.append(time.perf_counter() - start)
        per_page.extend(times)
        report = extractor.extract(case.document, settings=IN_PROCESS)
        s = score(report, case)
        right, total = right + s.right, total + s.total
        if s.wrong or s.missing:
            wrong_docs += 1
            wrong_flagged += report.status != "ok"
        else:
            correct_docs += 1
            expected_errors = [e for e in case.expected_findings if not str(e.get("check", "")).startswith("prose")]
            correct_flagged += report.status != "ok" and not expected_errors
        print(f"{case.folder.name:40s} {len(times):5d} {statistics.mean(times):13.2f} {s.right:4d}/{s.total:<4d} "
              f"{report.status:>8s}")
    per_page.sort()
    print()
    print(f"table pages: {len(per_page)}; median {statistics.median(per_page):.2f} s, "
          f"p90 {per_page[int(0.9 * (len(per_page) - 1))]:.2f} s per table page (one core)")
    print(f"peak memory (RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"cells right: {right}/{total} = {right / total:.2%}")
    print(f"documents with a wrong or missing cell: {wrong_docs}, flagged: {wrong_flagged}")
    print(f"fully correct documents: {correct_docs}, flagged without a source error: {correct_flagged} "
          f"({correct_flagged / max(correct_docs, 1):.1%})")


if __name__ == "__main__":
    main()
