"""Seeded scans of every look, to find what the scan path gets wrong (issue 9).

    python corpus/scan_variations.py OUT --count 20 [--seed 1] [--mild]

Each draw takes a born-digital report from the PDF layout generator (corpus/pdf_variations.py: rules, fonts,
widths, headers, blanks, label variants) and scans it: 100-400 dpi, JPEG quality 25-95, skew up to +-3
degrees, the page turned 90/180/270 degrees, a phone photo's perspective and uneven light, blur and noise,
faint rules, a red seal over the numbers; delivered as an image-only PDF or as a web page with the pages as
images. OUT/<name>/ gets the document, truth.csv and meta.json (the draw under `scan`). The generator never
runs the extractor.
"""

from __future__ import annotations

import io
import random
import sys
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdf_variations import draw  # noqa: E402
from render_pdf import to_pdf  # noqa: E402
from render_scan import Damage, _pil, damage, html_with_images, render_pages  # noqa: E402
from truthgen import draw_cli, make_truth, render_values, write_case_files  # noqa: E402


def scan_damage(rng: random.Random, mild: bool = False) -> tuple[Damage, int, dict[str, object]]:
    """(damage, page turn in degrees, the draw) for one seed. `mild`: the looks of the kept-aside scans
    (150-300 dpi, skew within 1.5 degrees, blur, noise, JPEG, seals; never turned, no perspective), and
    tables of every rule style (a box only, no rules), not only ruled ones."""
    if mild:
        d = Damage(dpi=rng.choice([150, 200, 300]), rotate=round(rng.uniform(-1.5, 1.5), 2),
                   blur=rng.choice([0, 0, 3]), noise=rng.choice([0.0, 6.0, 12.0]),
                   jpeg=rng.choice([0, 25, 45, 70, 95]), seal=rng.random() < 0.4, perspective=0.0,
                   colour=rng.random() < 0.5)
        turn = 0
    else:
        d = Damage(dpi=rng.choice([100, 150, 200, 200, 300, 400]), rotate=round(rng.uniform(-3, 3), 2),
                   blur=rng.choice([0, 0, 0, 3]), noise=rng.choice([0.0, 0.0, 6.0, 12.0]),
                   jpeg=rng.choice([0, 25, 45, 70, 95]), seal=rng.random() < 0.3,
                   perspective=rng.choice([0.0, 0.0, 0.0, 0.02, 0.04]), colour=rng.random() < 0.3)
        turn = rng.choice([0, 0, 0, 0, 90, 180, 270])
    return d, turn, {"dpi": d.dpi, "skew": d.rotate, "blur": d.blur, "noise": d.noise, "jpeg": d.jpeg,
                     "seal": d.seal, "perspective": d.perspective, "colour": d.colour, "turn": turn}


def _turn(image: np.ndarray, degrees: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(image, k=-degrees // 90)) if degrees else image


def scan_pdf(pdf: bytes, d: Damage, turn: int, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    pages = [_pil(_turn(damage(p, d, rng), turn), d.colour) for p in render_pages(pdf, d.dpi)]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=d.dpi, quality=85)
    return out.getvalue()


def write(out: Path, seed: int, mild: bool = False) -> Path:
    template, pdf_options, layout = draw(seed)
    if not mild:  # the seeds the tests pin were drawn ruled; the kept-aside scans are of every layout
        pdf_options.rules = "full" if pdf_options.rules in ("none", "outer") else pdf_options.rules
    rng = random.Random(seed * 104729)
    d, turn, scan = scan_damage(rng, mild)
    web = rng.random() < 0.15
    truth_rng = random.Random(seed * 7919)
    truth = make_truth(template, truth_rng)
    rendered = render_values(truth, pdf_options.options.style, truth_rng)
    born = to_pdf(truth, rendered, pdf_options)
    folder = out / f"scanvar_{seed:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    if web:
        (folder / "document.html").write_bytes(html_with_images(born, d, seed, "政府信息公开工作年度报告"))
    else:
        (folder / "document.pdf").write_bytes(scan_pdf(born, d, turn, seed))
    meta = {"source_kind": "scan", "template": template, "seed": seed, "layout": layout,
            "scan": scan | {"web": web, "rules": pdf_options.rules}, "agency": pdf_options.options.agency,
            "year": pdf_options.options.year,
            "inconsistencies": []}
    write_case_files(folder, template, rendered, meta)
    return folder


def main() -> None:
    mild = "--mild" in sys.argv  # the kept-aside scans' looks only (see scan_damage)
    if mild:
        sys.argv.remove("--mild")
    draw_cli(partial(write, mild=mild), __doc__, 20, "scanned reports")


if __name__ == "__main__":
    main()
