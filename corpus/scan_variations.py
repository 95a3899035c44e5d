"""Seeded scans of every look, to find what the scan path gets wrong (issue 9).

    python corpus/scan_variations.py OUT --count 20 [--seed 1] [--mild]

Each draw takes a born-digital report from the PDF layout generator (corpus/pdf_variations.py: rules, fonts,
widths, headers, blanks, label variants) and scans it: 100-400 dpi, JPEG quality 25-95, skew up to +-3
degrees, the page turned 90/180/270 degrees, a phone photo's perspective and uneven light, blur and noise,
faint rules, a red seal over the numbers, a reviewer's ticks and stamp, a halftone print; set in Hei, Song or
Kai; delivered as an image-only PDF (now and then two pages to an image), a web page or a Word file with the
pages as pictures. Now and then the real born-digital report of ../shared/realdata is scanned instead (its
truth.json is written beside the scan). OUT/<name>/ gets the document, truth.csv and meta.json (the draw
under `scan`). The generator never runs the extractor.
"""

from __future__ import annotations

import io
import json
import random
import sys
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdf_variations import draw  # noqa: E402
from render_pdf import to_pdf  # noqa: E402
from render_scan import Damage, _pil, damage, docx_with_images, html_with_images, render_pages, spreads  # noqa: E402
from truthgen import draw_cli, make_truth, render_values, write_case_files, write_meta  # noqa: E402


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


REAL_PDF = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata" / "js_huaian_hongzequ_2023"
FACES = ["hei", "hei", "song", "kai"]


def extra_looks(seed: int, mild: bool, extended: bool = True) -> dict[str, object]:
    """Looks drawn apart from the damage (so the damage of a seed stays what it was): the typeface, and (not
    `mild`) a reviewer's ticks and stamp, a halftone print, two pages in one image, a Word file of page
    pictures, and the real born-digital report of ../shared/realdata scanned instead of a drawn one. Not
    `extended`: none of them, the draws as they were before they existed (the documents regression tests pin)."""
    rng = random.Random(seed * 15485863 + 1)
    looks: dict[str, object] = {"face": rng.choice(FACES) if extended else "hei"}
    if mild or not extended:
        return looks | {"ticks": False, "halftone": False, "spread": False, "word": False, "real": False}
    return looks | {"ticks": rng.random() < 0.25, "halftone": rng.random() < 0.12, "spread": rng.random() < 0.1,
                    "word": rng.random() < 0.1, "real": rng.random() < 0.08 and (REAL_PDF / "source.pdf").exists()}


def scan_pdf(pdf: bytes, d: Damage, turn: int, seed: int, spread: bool = False) -> bytes:
    rng = np.random.default_rng(seed)
    images = [damage(p, d, rng) for p in render_pages(pdf, d.dpi)]
    pages = [_pil(_turn(image, turn), d.colour) for image in (spreads(images) if spread else images)]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=d.dpi, quality=85)
    return out.getvalue()


def write(out: Path, seed: int, mild: bool = False, extended: bool = True) -> Path:
    template, pdf_options, layout = draw(seed)
    if not mild:  # the seeds the tests pin were drawn ruled; the kept-aside scans are of every layout
        pdf_options.rules = "full" if pdf_options.rules in ("none", "outer") else pdf_options.rules
    rng = random.Random(seed * 104729)
    d, turn, scan = scan_damage(rng, mild)
    web = rng.random() < 0.15
    looks = extra_looks(seed, mild, extended)
    pdf_options.face = str(looks["face"])
    d.ticks, d.halftone = bool(looks["ticks"]), bool(looks["halftone"])
    word = bool(looks["word"]) and not web
    truth_rng = random.Random(seed * 7919)
    truth = make_truth(template, truth_rng)
    rendered = render_values(truth, pdf_options.options.style, truth_rng)
    born = to_pdf(truth, rendered, pdf_options) if not looks["real"] else (REAL_PDF / "source.pdf").read_bytes()
    folder = out / f"scanvar_{seed:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    if web:
        name = "document.html"
        (folder / name).write_bytes(html_with_images(born, d, seed, "政府信息公开工作年度报告"))
    elif word:
        name = "document.docx"
        (folder / name).write_bytes(docx_with_images(born, d, seed, "政府信息公开工作年度报告"))
    else:
        name = "document.pdf"
        (folder / name).write_bytes(scan_pdf(born, d, turn, seed, spread=bool(looks["spread"])))
    meta = {"source_kind": "scan", "template": template, "seed": seed, "layout": layout,
            "scan": scan | looks | {"web": web, "word": word, "rules": pdf_options.rules},
            "agency": pdf_options.options.agency, "year": pdf_options.options.year, "inconsistencies": []}
    if looks["real"]:
        _real_truth(folder, name, meta)
    else:
        write_case_files(folder, template, rendered, meta)
    return folder


def _real_truth(folder: Path, name: str, meta: dict[str, object]) -> None:
    """The real report's hand-checked truth and facts, read where they lie (never copied into the
    repository): its two 表四 总计 printed wrong stay source errors the scan must report."""
    real = json.loads((REAL_PDF / "truth.json").read_text(encoding="utf-8"))
    facts = json.loads((REAL_PDF / "meta.json").read_text(encoding="utf-8"))
    (folder / "truth.json").write_text(json.dumps(real | {"files": [name]}, ensure_ascii=False), encoding="utf-8")
    meta |= {"template": real["template"], "agency": facts["agency"], "year": facts["year"],
             "layout": {"real": REAL_PDF.name}, "inconsistencies": facts.get("source_inconsistencies", [])}
    write_meta(folder, meta)


def main() -> None:
    mild = "--mild" in sys.argv  # the kept-aside scans' looks only (see scan_damage)
    if mild:
        sys.argv.remove("--mild")
    draw_cli(partial(write, mild=mild), __doc__, 20, "scanned reports")


if __name__ == "__main__":
    main()
