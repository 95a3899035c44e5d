"""Documents per second on a Dask LocalCluster of 1 and 2 workers, per kind of the corpus, and the cluster a
national corpus would need (issue 12).

    python benchmarks/scale.py [--repeat 3] [--docs 10**6] [--hours 8] [--scanned-share 0.25]

Each kind (born-digital PDF, web pages, scans) is run on its own: the corpus documents of that kind,
copied --repeat times under distinct names, through `extractor batch --dask local:N`. The figures give the
speed-up of two workers over one and, from the per-worker rates and the mix asked for, the number of
worker cores needed to redo --docs documents in --hours.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from extractor.batch import run_batch  # noqa: E402
from extractor.distributed import connect  # noqa: E402
from extractor.settings import Settings  # noqa: E402

KINDS = {
    "pdf": lambda p: p.suffix == ".pdf" and p.parent.name.startswith("pdf_") and "pictures" not in p.parent.name,
    "html": lambda p: p.suffix == ".html" and "images" not in p.parent.name,
    "scan": lambda p: p.parent.name.startswith("scan_"),
}


def _folder(root: Path, kind: str, repeat: int) -> int:
    docs = sorted(p for p in (REPO / "corpus").rglob("document.*") if KINDS[kind](p) and p.parent.name != "bad")
    for n in range(repeat):
        for doc in docs:
            target = root / kind / f"{n}-{doc.parent.name}{doc.suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(doc, target)
    return len(docs) * repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--docs", type=float, default=1e6)
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--scanned-share", type=float, default=0.25)
    parser.add_argument("--kinds", default="pdf,html,scan")
    args = parser.parse_args()
    rates: dict[str, dict[int, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for kind in args.kinds.split(","):
            n_docs = _folder(root, kind, args.repeat)
            rates[kind] = {}
            for workers in (1, 2):
                run = connect(f"local:{workers}", Settings())
                # Start-up (cluster, worker processes, model warm-up) is paid once per cluster, not per batch:
                # one warm-up batch, then the timed one on the same cluster.
                run_batch([str(root / kind)], root / f"warm-{kind}-{workers}", workers, Settings(), dask=run,
                          keep_cluster=True)
                out = root / f"out-{kind}-{workers}"
                start = time.perf_counter()
                summary = run_batch([str(root / kind)], out, workers, Settings(), dask=run, keep_cluster=True)
                took = time.perf_counter() - start
                run.close()
                busy = sum(summary.busy.values())
                rates[kind][workers] = n_docs / took
                print(f"{kind:5s} {workers} worker(s): {n_docs} docs in {took:6.1f} s = {n_docs / took:6.2f} doc/s "
                      f"(extraction {busy:6.1f} s of worker time; journal and tables included)", flush=True)
            print(f"{kind:5s} speed-up with 2 workers: {rates[kind][2] / rates[kind][1]:.2f}x", flush=True)
    per_core = {k: v[2] / 2 for k, v in rates.items()}
    born = [k for k in per_core if k != "scan"]
    seconds = args.hours * 3600
    mix = {"scan": args.scanned_share, **{k: (1 - args.scanned_share) / max(len(born), 1) for k in born}}
    core_seconds = sum(args.docs * share / per_core[k] for k, share in mix.items() if k in per_core)
    print(f"\n{args.docs:.0f} documents ({args.scanned_share:.0%} scanned, the rest split evenly over {born}) in "
          f"{args.hours:g} h: {core_seconds / 3600:.0f} worker-core hours -> about {core_seconds / seconds:.0f} "
          "worker cores (one Dask worker per core), at the 2-worker per-core rates measured here")


if __name__ == "__main__":
    sys.exit(main())
