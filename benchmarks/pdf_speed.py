"""Born-digital PDFs: extractor against generic tools followed by the same label matching.

    python benchmarks/pdf_speed.py [--rounds 3]

For every corpus PDF (and ../shared/realdata PDFs when present) and three methods — extractor; pdfplumber
`extract_tables` + glue; camelot lattice + glue (glue = extractor's own detect/map/validate stages over
the tool's grids) — prints median seconds per report (one core, best of `rounds`), peak memory (each
method runs in its own process) and cell accuracy against truth.csv. Times drift 20-40% between runs on
these machines: compare methods inside one run.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The extraction itself, in this process: the library's default worker isolation adds ~5 ms of IPC per call.
IN_PROCESS = {"isolate": False}
METHODS = ("extractor", "pdfplumber+glue", "camelot-lattice+glue")


def cases() -> list:  # type: ignore[type-arg]
    from extractor.evaluation import discover

    roots = [REPO / "corpus", REPO.parent / "shared" / "realdata"]
    # Born-digital PDFs only: scans have their own benchmark (scan_speed.py).
    return [c for root in roots if root.exists() for c in discover(root)
            if c.document.suffix.lower() == ".pdf" and c.meta.get("source_kind", "pdf") == "pdf"]


def _all_pages(data: bytes):  # type: ignore[no-untyped-def]
    """Every page of the PDF, as the engines take them (number and size; no characters needed)."""
    import pypdfium2

    from extractor.model import PageContent

    pdf = pypdfium2.PdfDocument(data)
    try:
        return [PageContent(i + 1, *pdf.get_page_size(i), chars=()) for i in range(len(pdf))]
    finally:
        pdf.close()


def run_engine(engine_name: str, data: bytes):  # type: ignore[no-untyped-def]
    """A generic tool's grids of every page: the second opinion's own readers (extractor.sources.engines)."""
    from extractor.sources.engines import Engine, read_pages

    return read_pages(Engine(engine_name), data, _all_pages(data))


def run_pdfplumber(data: bytes, name: str):  # type: ignore[no-untyped-def]
    return run_engine("pdfplumber", data)


def measure(method: str, rounds: int) -> dict[str, object]:
    import extractor
    from extractor.evaluation import score
    from extractor.pipeline import run
    from extractor.settings import Settings
    from extractor.sources import RawInput

    settings = Settings()
    per_doc = []
    right = total = silent = 0
    for case in cases():
        data = case.document.read_bytes()
        best = float("inf")
        report = None
        for _ in range(rounds):
            start = time.perf_counter()
            try:
                if method == "extractor":
                    report = extractor.extract(data, kind="pdf", settings=IN_PROCESS)
                else:
                    doc = run_engine("pdfplumber" if method.startswith("pdfplumber") else "camelot", data)
                    report = run(RawInput(data, case.document.name), str(case.document), settings, "pdf", doc)
            except Exception as exc:  # a baseline that crashes scores zero for the document
                report = extractor.Report(doc_id=str(case.document), source_kind="pdf", status="failed",
                                          error=str(exc))
            best = min(best, time.perf_counter() - start)
        assert report is not None
        s = score(report, case)
        right, total = right + s.right, total + s.total
        silent += bool(s.wrong) and report.status == "ok"
        per_doc.append((case.folder.name, best, s.right, s.total))
    return {"method": method, "median_s": statistics.median(t for _, t, _, _ in per_doc),
            "accuracy": right / total if total else 0.0, "silent_wrong_docs": silent, "docs": len(per_doc),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "per_doc": per_doc}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--method", choices=METHODS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.method:
        print(json.dumps(measure(args.method, args.rounds)))
        return
    results = []
    for method in METHODS:
        out = subprocess.run([sys.executable, __file__, "--method", method, "--rounds", str(args.rounds)],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(f"{method}: failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'method':22s} {'docs':>4s} {'median s/report':>16s} {'accuracy':>9s} {'silent wrong':>13s} "
          f"{'peak MB':>8s}")
    for r in results:
        print(f"{r['method']:22s} {r['docs']:4d} {r['median_s']:16.3f} {r['accuracy']:9.2%} "
              f"{r['silent_wrong_docs']:13d} {r['peak_mb']:8.0f}")
    if results and results[0]["method"] == "extractor":
        for r in results[1:]:
            print(f"extractor is {r['median_s'] / results[0]['median_s']:.1f}x faster than {r['method']}")
    print("\nper document (seconds, cells right/total):")
    names = [d[0] for d in results[0]["per_doc"]] if results else []
    for i, name in enumerate(names):
        row = "  ".join(f"{r['per_doc'][i][1]:6.3f} {r['per_doc'][i][2]:3d}/{r['per_doc'][i][3]:3d}" for r in results)
        print(f"  {name:32s} {row}")


if __name__ == "__main__":
    main()
