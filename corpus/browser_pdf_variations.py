"""Seeded reports printed to PDF by a web browser (Chromium), a second PDF maker beside render_pdf's.

    python corpus/browser_pdf_variations.py OUT --count 40 [--seed 1] [-j 2]

Our own PDF writer (render_pdf, reportlab) places every glyph where our reader expects it. Many published
reports are printed from a web page or a word processor instead, whose PDFs differ in ways we would not
write ourselves: text in glyph runs of a subset font, borders as filled rectangles, separate cell borders
(two rules per boundary), cells split by a page break with the rowspan label left on the first part,
<thead> repeated on every page, vertical writing, distributed (分散对齐) labels. Each draw picks,
independently: the face and size (Song, Hei, Kai, Ming; numbers in a Latin face or not); borders (collapsed
thin, hairline, thick outer, double, dashed, dotted, separate with spacing, horizontal only, outer only,
none); cell padding; label and value alignment and letter spacing; header and zebra fills; the page
(A4 portrait or landscape, margins); <thead> on 表三/表四; group labels written vertically; column widths
fixed or left to the browser; and the values' style (zeros as 0, blank, -, —, /; thousands separators) and
label variants as pdf_variations draws them. OUT/<name>/ gets document.pdf, truth.csv and meta.json. The
generator never runs the extractor.
"""

from __future__ import annotations

import html
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdf_variations import LABEL_VARIANTS  # noqa: E402
from render import Options, document, place  # noqa: E402
from truthgen import Style, make_truth, prose_title, render_values, write_case_files  # noqa: E402

FACES = ["Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", "AR PL UMing CN", "AR PL SungtiL GB",
         "WenQuanYi Zen Hei"]
LATIN = ["", "", "Times New Roman, DejaVu Serif", "DejaVu Sans", "Liberation Mono, DejaVu Sans Mono"]
BORDERS = ["collapse", "collapse", "hairline", "thick_outer", "double", "dashed", "dotted", "separate",
           "horizontal", "outer", "none"]
AGENCIES = ["示例县人民政府办公室", "某市生态环境局", "某区住房和城乡建设局", "某镇人民政府", "某省交通运输厅"]


def draw(seed: int) -> dict[str, object]:
    """The layout properties of one seed."""
    rng = random.Random(seed)
    template = rng.choice(["2021", "2021", "2019"])
    return {
        "template": template, "face": rng.choice(FACES), "latin": rng.choice(LATIN),
        "size": rng.choice([9, 10, 10.5, 12, 14]), "border": rng.choice(BORDERS),
        "padding": rng.choice([0, 1, 3, 6]), "label_align": rng.choice(["left", "center", "justify"]),
        "value_align": rng.choice(["center", "center", "right", "left"]),
        "letter_spacing": rng.choice([0, 0, 0.1, 0.3]), "header_fill": rng.random() < 0.3,
        "zebra": rng.random() < 0.15, "landscape": rng.random() < 0.3, "margin": rng.choice([10, 20, 30]),
        "thead": rng.random() < 0.5, "vertical_groups": rng.random() < 0.25,
        "fixed_widths": rng.random() < 0.5, "label_share": rng.choice([0.3, 0.4, 0.5]),
        "line_height": rng.choice([1.0, 1.3, 1.8]), "bold_header": rng.random() < 0.5,
        "blank": (blank := rng.choice([None, None, "", "-", "—", "/"])),
        "blank_rate": rng.choice([0.3, 0.6, 1.0]) if blank is not None else 0.0,
        "thousands": rng.random() < 0.2, "t3_header": rng.choice(["standard", "standard", "total_first_row"]),
        "subtotal_column": rng.random() < 0.15, "br_labels": rng.random() < 0.3,
        "t4_official": rng.random() < 0.3,
        "labels": {k: rng.choice(v) for k, v in LABEL_VARIANTS.items() if rng.random() < 0.3},
        "agency": rng.choice(AGENCIES),
    }


def _border_css(kind: str) -> str:
    return {
        "collapse": "table{border-collapse:collapse} td{border:1px solid #000}",
        "hairline": "table{border-collapse:collapse} td{border:0.5px solid #000}",
        "thick_outer": "table{border-collapse:collapse;border:2.5px solid #000} td{border:1px solid #000}",
        "double": "table{border-collapse:collapse} td{border:3px double #000}",
        "dashed": "table{border-collapse:collapse} td{border:1px dashed #000}",
        "dotted": "table{border-collapse:collapse} td{border:1px dotted #000}",
        "separate": "table{border-collapse:separate;border-spacing:2px;border:1px solid #000}"
                    " td{border:1px solid #000}",
        "horizontal": "table{border-collapse:collapse;border-top:1.5px solid #000;border-bottom:1.5px solid #000}"
                      " td{border-bottom:0.75px solid #000}",
        "outer": "table{border-collapse:collapse;border:1.5px solid #000} td{border:none}",
        "none": "table{border-collapse:collapse} td{border:none}",
    }[kind]


def css(d: dict[str, object]) -> str:
    latin = f"{d['latin']}, " if d["latin"] else ""
    align = {"left": "text-align:left", "center": "text-align:center",
             "justify": "text-align:justify;text-align-last:justify"}[str(d["label_align"])]
    page = "A4 landscape" if d["landscape"] else "A4"
    return (f"@page{{size:{page};margin:{d['margin']}mm}}"
            f"body{{font-family:'{d['face']}';font-size:{d['size']}pt;line-height:{d['line_height']}}}"
            f"h1{{font-size:{float(str(d['size'])) * 1.6}pt;text-align:center}}"
            f"{_border_css(str(d['border']))}"
            f"table{{{'table-layout:fixed;' if d['fixed_widths'] else ''}width:100%;margin:8px 0}}"
            f"td{{padding:{d['padding']}px;vertical-align:middle}}"
            f"td.l{{{align};letter-spacing:{d['letter_spacing']}em}}"
            f"td.v{{text-align:{d['value_align']};font-family:{latin}'{d['face']}'}}"
            f"td.h{{text-align:center;{'font-weight:bold;' if d['bold_header'] else ''}"
            f"{'background:#d9d9d9;' if d['header_fill'] else ''}}}"
            f"tr.z td{{{'background:#eef3fb' if d['zebra'] else ''}}}"
            f"td.g{{{'writing-mode:vertical-rl;text-orientation:upright;' if d['vertical_groups'] else ''}}}")


def _is_value(text: str) -> bool:
    t = text.replace(",", "").replace("，", "").strip()
    return t == "" or t in ("-", "—", "/") or t.lstrip("-").replace(".", "", 1).isdigit()


def _header_rows(spec: list[list[tuple[str, int, int]]]) -> int:
    """Rows before the first that holds a value (表三/表四's header)."""
    for i, row in enumerate(spec):
        if any(_is_value(t) for t, _, _ in row) and i > 0:
            return i
    return 0


def table_html(spec: list[list[tuple[str, int, int]]], d: dict[str, object], n_cols: int) -> str:
    head = _header_rows(spec) if d["thead"] else 0
    placed = place(spec)
    rows: list[list[str]] = [[] for _ in spec]
    for r, c, text, rs, cs in placed:
        value = r >= head and _is_value(text) and c > 0
        kind = "v" if value else ("h" if r < max(head, 1) or c > 0 else "l")
        if kind == "l" and rs > 2:
            kind = "l g"
        attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        inner = "<br>".join(html.escape(line) for line in text.split("\n"))
        rows[r].append(f'<td class="{kind}"{attrs}>{inner}</td>')
    cols = ""
    if d["fixed_widths"]:
        label_cols = max(1, n_cols - (len(spec[-1]) - 1)) if spec else 1
        share = float(str(d["label_share"]))
        value_cols = max(1, n_cols - label_cols)
        widths = [share * 100 / label_cols] * label_cols + [(1 - share) * 100 / value_cols] * value_cols
        cols = "<colgroup>" + "".join(f'<col style="width:{w:.2f}%">' for w in widths) + "</colgroup>"
    body = [f'<tr{" class=z" if i % 2 else ""}>{"".join(cells)}</tr>' for i, cells in enumerate(rows)]
    thead = f"<thead>{''.join(body[:head])}</thead>" if head else ""
    return f"<table>{cols}{thead}<tbody>{''.join(body[head:])}</tbody></table>"


def page_html(truth, rendered, d: dict[str, object]) -> str:
    options = Options(labels=d["labels"], year=2020 if d["template"] == "2019" else 2023,  # type: ignore[arg-type]
                      agency=str(d["agency"]), t3_header=str(d["t3_header"]),
                      subtotal_column=bool(d["subtotal_column"]), br_labels=bool(d["br_labels"]),
                      t4_official=bool(d["t4_official"]))
    parts = []
    for kind, value in document(truth, rendered, options):
        if kind == "p":
            text = html.escape(str(value))
            parts.append(f"<h1>{text}</h1>" if value == prose_title(options.agency, options.year) else f"<p>{text}</p>")
        else:
            spec = value
            n_cols = max(c + cs for _, c, _, _, cs in place(spec))  # type: ignore[arg-type]
            parts.append(table_html(spec, d, n_cols))  # type: ignore[arg-type]
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css(d)}</style></head><body>'
            + "\n".join(parts) + "</body></html>")


def print_pdf(page: str, timeout: float = 120) -> bytes:
    """The page printed by headless Chromium (no header or footer lines)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        src.write_text(page, encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", src.as_uri()],
                       check=True, capture_output=True, timeout=timeout)
        return out.read_bytes()


def write(out: Path, seed: int, **fixed: object) -> Path:
    """One case folder; `fixed` overrides drawn layout properties (a test that needs one layout)."""
    d = {**draw(seed), **fixed}
    template = str(d["template"])
    rng = random.Random(seed * 7919)
    truth = make_truth(template, rng)
    style = Style(blank=d["blank"], blank_rate=float(str(d["blank_rate"])), thousands=bool(d["thousands"]))  # type: ignore[arg-type]
    rendered = render_values(truth, style, rng)
    folder = out / f"browserpdf_{seed:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    page = page_html(truth, rendered, d)
    (folder / "document.pdf").write_bytes(print_pdf(page))
    year = 2020 if template == "2019" else 2023
    meta = {"source_kind": "pdf", "template": template, "seed": seed, "layout": d, "agency": d["agency"],
            "year": year, "layout_kind": layout_kind(d), "inconsistencies": []}
    write_case_files(folder, template, rendered, meta)
    return folder


def layout_kind(d: dict[str, object]) -> str:
    """The bucket a draw is scored in."""
    if d["border"] in ("none", "outer"):
        return "no rules"
    if d["border"] == "horizontal":
        return "horizontal rules"
    if d["border"] in ("separate", "double"):
        return "doubled rules"
    return "ruled"


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    with ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(lambda s: write(args.out, s), range(args.seed, args.seed + args.count)))
    print(f"{args.count} browser-printed PDFs in {args.out}")


if __name__ == "__main__":
    main()
