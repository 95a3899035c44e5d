"""The whole `extractor batch -j 1` against pdfplumber `extract_tables` + the same label matching, one core.

    python benchmarks/batch_vs_pdfplumber.py [--count 45] [--seed 3000] [--rounds 3]

Draws `count` PDFs with corpus/pdf_variations.py, then times, as whole processes started from here (start-up,
imports and output writing included), A = `extractor batch DIR -j 1 --out OUT` and B = a Python process that
reads every PDF with pdfplumber `extract_tables()` and runs extractor's own detect/map/validate stages over its
grids (the glue of benchmarks/pdf_speed.py). A and B alternate; the ratio is taken pair by pair and its median
printed (issue 8 target: <= 0.2). Also prints the batch's own per-stage sums from its journal, so the part
that is not per-document work (start-up, worker, export) shows.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "corpus"))
sys.path.append(str(REPO / "benchmarks"))  # after corpus/: benchmarks/pdf_variations.py shares the name


def baseline(folder: Path) -> None:
    """B: pdfplumber extract_tables + the same glue, every PDF of the folder, in this process."""
    from pdf_speed import run_pdfplumber

    from extractor.pipeline import run
    from extractor.settings import Settings
    from extractor.sources import RawInput

    settings = Settings(isolate=False, second_opinion=False)
    for path in sorted(folder.rglob("*.pdf")):
        data = path.read_bytes()
        run(RawInput(data, path.name), str(path), settings, "pdf", run_pdfplumber(data, path.name))


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=45)
    parser.add_argument("--seed", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline(args.baseline)
        return
    from pdf_variations import write

    with tempfile.TemporaryDirectory() as tmp:
        draw = Path(tmp) / "draw"
        for seed in range(args.seed, args.seed + args.count):
            write(draw, seed)
        # Both sides import the package: its bytecode is written first, as an installed package has it (an
        # editable install under PYTHONDONTWRITEBYTECODE compiles it again in every process).
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "extractor")], check=True)
        extractor_bin = str(Path(sys.executable).with_name("extractor"))
        a_times, b_times, ratios = [], [], []
        for k in range(args.rounds):
            out = Path(tmp) / f"out{k}"
            a = _timed(["taskset", "-c", "0", extractor_bin, "batch", str(draw), "-j", "1", "--out", str(out)])
            b = _timed(["taskset", "-c", "0", sys.executable, __file__, "--baseline", str(draw)])
            a_times.append(a)
            b_times.append(b)
            ratios.append(a / b)
        stages: dict[str, float] = defaultdict(float)
        for line in (Path(tmp) / "out0" / "reports.jsonl").read_text(encoding="utf-8").splitlines():
            for name, seconds in json.loads(line).get("timings", {}).items():
                stages[name] += seconds
    print(f"{args.count} PDFs (seed {args.seed}), {args.rounds} rounds, one core")
    print(f"extractor batch -j 1        median {statistics.median(a_times):6.2f} s  "
          f"({statistics.median(a_times) / args.count * 1000:.0f} ms/PDF)")
    print(f"pdfplumber + same glue      median {statistics.median(b_times):6.2f} s  "
          f"({statistics.median(b_times) / args.count * 1000:.0f} ms/PDF)")
    print(f"ratio A/B (pairwise median) {statistics.median(ratios):.3f}   (target <= 0.2)")
    total = sum(stages.values())
    print(f"batch per-document stage sums (first round): {total:.2f} s of {a_times[0]:.2f} s wall;"
          f" the rest is start-up, worker and output writing")
    for name, seconds in stages.items():
        print(f"  {name:16s} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
