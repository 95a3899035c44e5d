"""Seeded layout variations of born-digital reports, to find what the PDF reader gets wrong.

    python corpus/pdf_variations.py OUT --count 40 [--seed 1]

Each draw picks, independently: the template; the rules (full, horizontal only, outer box only, none,
dashed, double, thick outer box, thin filled rectangles, faint grey); how text is drawn (per line, per word,
per character, with tracking and jitter); the font (embedded TrueType or the standard CID font STSong-Light,
not embedded); cell fills; label and value column widths; 表四 on a landscape /Rotate page; tables continued
over pages with or without the header repeated; 表三 header variants (总计 on the first header row, a
法人或其他组织 小计 column, header words broken over lines); zeros printed as 0, blank, -, —, /; thousands
separators; and label variants seen in real reports (FACTS.md: typos, 1、 numbering, half-width brackets,
规范性文件 for 行政规范性文件). OUT/<name>/ gets document.pdf, truth.csv and meta.json (the draw, under
`layout`), so `extractor eval OUT` scores it. The generator never runs the extractor.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render import Options  # noqa: E402
from render_pdf import PdfOptions, to_pdf  # noqa: E402
from truthgen import Style, draw_cli, make_truth, render_values, write_case_files  # noqa: E402

# Labels as real reports print them (../shared/research/FACTS.md, ../shared/realdata).
LABEL_VARIANTS = {
    "2.其他法律行政法规禁止公开": ["2.其他法律行政止公开", "2、其他法律行政法规禁止公开",
                            "2. 其他法律、行政法规禁止公开"],
    "1.属于国家秘密": ["1、属于国家秘密", "1. 属于国家秘密"],
    "（一）予以公开": ["(一) 予以公开", "（一）予以公开"],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": ["（二）部分公开",
                                               "(二)部分公开（区分处理的，只计这一情形，不计其他情形）"],
    "行政规范性文件": ["规范性文件"],
    "4.无正当理由大量反复申请": ["4.无正当理由大量反复 申请"],
    "5.要求行政机关确认或重新出具已获取信息": ["5.要求行政机关确认或重新出具已获取的信息"],
    "四、结转下年度继续办理": ["四、结转下年度继续办理的申请"],
    "3.危及“三安全一稳定”": ["3.危及\"三安全一稳定\"", "3.危及三安全一稳定"],
}
RULES = ["full", "full", "horizontal", "outer", "none", "dashed", "double", "thick", "thin_rect", "faint"]


def draw(seed: int) -> tuple[str, PdfOptions, dict[str, object]]:
    """(template, options, the layout properties drawn) for one seed."""
    rng = random.Random(seed)
    template = rng.choice(["2021", "2021", "2019"])
    rules = rng.choice(RULES)
    text_mode = rng.choice(["line", "line", "word", "char"])
    blank = rng.choice([None, None, "", "-", "—", "/"])
    labels = {k: rng.choice(v) for k, v in LABEL_VARIANTS.items() if rng.random() < 0.3}
    style = Style(blank=blank, blank_rate=rng.choice([0.3, 0.6, 1.0]) if blank is not None else 0.0,
                  thousands=rng.random() < 0.2)
    options = Options(style=style, labels=labels, year=2020 if template == "2019" else 2023,
                      t3_header=rng.choice(["standard", "standard", "total_first_row"]),
                      subtotal_column=rng.random() < 0.15, br_labels=rng.random() < 0.3)
    pdf = PdfOptions(
        rules={"dashed": "full", "double": "full", "thick": "full", "thin_rect": "full", "faint": "full"}.get(
            rules, rules),
        rule_dash=(rng.uniform(2, 30), rng.uniform(1, 3)) if rules == "dashed" else None,
        double_rules=rules == "double", outer_width=1.8 if rules in ("thick", "outer") else 0.6,
        thin_rect_rules=rules == "thin_rect", rule_gray=0.65 if rules == "faint" else 0.0,
        text_mode=text_mode, tracking=rng.choice([0.0, 0.0, 0.5, 1.2]) if text_mode != "line" else 0.0,
        jitter=rng.choice([0.0, 0.0, 0.3, 0.8]), font=rng.choice(["ttf", "ttf", "cid"]),
        fills=rng.random() < 0.3, repeat_header=rng.random() < 0.5, landscape_t4=rng.random() < 0.3,
        label_width=rng.choice([0.55, 0.8, 1.0, 1.0, 1.25]), value_width=rng.choice([0.7, 1.0, 1.0]),
        seed=seed, exact_centering=True, options=options)
    layout = {"template": template, "rules": rules, "text_mode": text_mode, "font": pdf.font, "jitter": pdf.jitter,
              "tracking": pdf.tracking, "blank": blank, "fills": pdf.fills, "repeat_header": pdf.repeat_header,
              "landscape_t4": pdf.landscape_t4, "label_width": pdf.label_width, "value_width": pdf.value_width,
              "t3_header": options.t3_header, "subtotal_column": options.subtotal_column,
              "br_labels": options.br_labels, "thousands": style.thousands, "labels": labels}
    return template, pdf, layout


def layout_kind(layout: dict[str, object]) -> str:
    """The bucket a draw is scored in (the independent generator's layout kinds)."""
    if layout["rules"] in ("none", "outer"):
        return "no rules"
    if layout["rules"] == "horizontal":
        return "horizontal rules"
    if layout["text_mode"] == "char":
        return "char by char"
    if layout["landscape_t4"] and not layout["repeat_header"]:
        return "landscape, continued"
    return "ruled"


def write(out: Path, seed: int) -> Path:
    template, pdf, layout = draw(seed)
    rng = random.Random(seed * 7919)
    truth = make_truth(template, rng)
    rendered = render_values(truth, pdf.options.style, rng)
    folder = out / f"pdfvar_{seed:05d}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "document.pdf").write_bytes(to_pdf(truth, rendered, pdf))
    meta = {"source_kind": "pdf", "template": template, "seed": seed, "layout": layout,
            "layout_kind": layout_kind(layout), "inconsistencies": []}
    write_case_files(folder, template, rendered, meta)
    return folder


def main() -> None:
    draw_cli(write, __doc__, 40, "PDFs")


if __name__ == "__main__":
    main()
