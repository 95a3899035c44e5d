"""Generate the synthetic corpus: HTML / DOCX / text reports with truth, covering the quirks of real ones.

    python corpus/make_corpus.py            # rewrite every corpus/<case>/ (deterministic seeds)

Each case folder holds `document.<ext>`, `truth.csv` (template,table,row,col,value; value empty where the
source cell is blank) and `meta.json` (source kind, agency, year, quirks exercised, and the source-side
inconsistencies that must come out as findings). corpus/bad/ holds inputs that must fail cleanly.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render import Options, to_docx, to_html, to_text  # noqa: E402
from render_pdf import PdfOptions, to_pdf  # noqa: E402
from render_scan import Damage, docx_with_images, html_with_images, image_pdf, mixed_pdf, pictured_tables_pdf  # noqa: E402
from truthgen import Style, Truth, cols_of, make_truth, render_values, rows_of  # noqa: E402

ROOT = Path(__file__).resolve().parent
Key = tuple[str, str, str]


@dataclass
class Case:
    name: str
    kind: str
    template: str
    quirks: list[str]
    seed: int
    options: Options = field(default_factory=Options)
    pdf: PdfOptions | None = None
    big: bool = False
    hybrid_other: bool = False
    small_t2: bool = False
    # (cell, new value, expected findings): the source itself breaks an identity
    breaks: list[tuple[Key, int, list[dict[str, str]]]] = field(default_factory=list)


def libreoffice_pdf(truth: Truth, rendered: object, options: Options) -> bytes:
    """The DOCX rendering converted by LibreOffice: narrow label columns, rows cut by page breaks."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(to_docx(truth, rendered, options))  # type: ignore[arg-type]
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                        "pdf", "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=120)
        return (Path(tmp) / "report.pdf").read_bytes()


RENDER: dict[str, tuple[str, Callable[[Truth, object, Options], bytes]]] = {
    "html": ("html", to_html), "docx": ("docx", to_docx), "text": ("txt", to_text),  # type: ignore[dict-item]
    "pdf-lo": ("pdf", libreoffice_pdf),
}


def _order(truth: Truth, key: Key) -> tuple[int, int, int]:
    table, row, col = key
    rows = truth.t3_rows() if table == "t3" else rows_of(truth.template, table)
    cols = [c for c, _ in cols_of("2019" if row == "other" else truth.template, table, row)]
    return ("t2", "t3", "t4").index(table), rows.index(row), cols.index(col)


def write_case(case: Case) -> None:
    rng = random.Random(case.seed)
    truth = make_truth(case.template, rng, big=case.big, hybrid_other=case.hybrid_other, small_t2=case.small_t2)
    inconsistencies: list[dict[str, str]] = []
    for key, value, expected in case.breaks:
        truth.values[key] = value
        inconsistencies.extend(expected)
    rendered = render_values(truth, case.options.style, rng)
    if case.pdf is not None:
        case.pdf.options = case.options
        ext, data = "pdf", to_pdf(truth, rendered, case.pdf)
    else:
        ext, render = RENDER[case.kind]
        data = render(truth, rendered, case.options)
    folder = ROOT / case.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("document.*"):
        old.unlink()  # golden.json stays: the tests compare against it
    (folder / f"document.{ext}").write_bytes(data)
    with (folder / "truth.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["template", "table", "row", "col", "value"])
        for (table, row, col), value in sorted(rendered.truth.items(), key=lambda kv: _order(truth, kv[0])):
            w.writerow([case.template, table, row, col, "" if value is None else value])
    if case.options.prose_delta:
        inconsistencies.append({"check": "prose_received", "table": "t3", "row": "new", "col": "total"})
    kind = "pdf" if case.kind.startswith("pdf") else case.kind
    meta = {"source_kind": kind, "template": case.template, "agency": case.options.agency,
            "year": case.options.year, "quirks": case.quirks, "inconsistencies": inconsistencies}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _i(check: str, table: str, row: str, col: str) -> dict[str, str]:
    return {"check": check, "table": table, "row": row, "col": col}


CASES = [
    Case("html_2021_basic", "html", "2021", ["utf-8", "rowspan/colspan"], 1),
    Case("html_2019_basic", "html", "2019", ["2019 template", "signed changes", "text amount"], 2,
         Options(year=2020)),
    Case("html_gbk_declared", "html", "2021", ["GB2312 declared, GB18030 bytes", "&nbsp;"], 3,
         Options(encoding="gbk-declared", agency="某市生态环境局")),
    Case("html_gbk_undeclared", "html", "2019", ["GBK without declaration"], 4,
         Options(encoding="gbk-undeclared", year=2019)),
    Case("html_word_export", "html", "2021", ["MsoNormalTable", "nested span/p/o:p", "<br> inside labels",
                                              "header words broken by line breaks", "BOM"], 5,
         Options(word=True, br_labels=True, encoding="utf-8-bom")),
    Case("html_layout_split_t2", "html", "2021", ["tables inside a layout table", "表二 as four <table>s"], 6,
         Options(layout=True, split_t2=True)),
    Case("html_malformed_spans", "html", "2021", ["rowspan overrunning the table", "colspan too wide"], 7,
         Options(malformed=True)),
    Case("html_blanks", "html", "2021", ["blank / — / / for zero", "总计 only on summary rows"], 8,
         Options(style=Style(blank="—", blank_rate=0.5, total_only_summary=True))),
    Case("html_blanks_slash_2019", "html", "2019", ["'/' for zero"], 9,
         Options(year=2020, style=Style(blank="/", blank_rate=0.6))),
    Case("html_fullwidth_thousands", "html", "2021", ["full-width digits", "thousands separators"], 10,
         Options(style=Style(fullwidth=True, thousands=True)), big=True),
    Case("html_traditional", "html", "2021", ["traditional characters (mirror site)"], 11,
         Options(style=Style(traditional=True))),
    Case("html_hybrid_other", "html", "2021", ["2021 report with one （六）其他处理 row"], 12, hybrid_other=True),
    Case("html_annotated_extra_row", "html", "2021", ["22（其中修订16件）", "local extra row 其他主动公开文件"], 13,
         Options(annotate=True, extra_t2_row=True)),
    Case("html_source_errors", "html", "2021", ["表四 总计 0 under non-zero parts", "I3 broken", "prose total"],
         14, Options(prose_delta=3),
         breaks=[(("t4", "review", "upheld"), 2, []),
                 (("t4", "review", "total"), 0, [_i("I4", "t4", "review", "total")]),
                 (("t3", "granted", "total"), 99,
                  [_i("I3", "t3", "granted", "total"), _i("I2", "t3", "total", "total")])]),
    Case("docx_2021", "docx", "2021", ["gridSpan", "vMerge"], 21),
    Case("docx_2019", "docx", "2019", ["2019 template", "vMerge"], 22, Options(year=2020)),
    Case("docx_blanks_source_error", "docx", "2021", ["blanks", "I1 broken"], 23,
         Options(style=Style(blank="", blank_rate=0.4)),
         breaks=[(("t3", "new", "natural"), 77, [_i("I1", "t3", "", "natural"), _i("I3", "t3", "new", "total")])]),
    Case("text_tab_2021", "text", "2021", ["tab-separated", "empty fields"], 31, Options(text_style="tab")),
    Case("text_tab_2019", "text", "2019", ["tab-separated", "2019 template"], 32, Options(text_style="tab", year=2020)),
    Case("text_pipe_2021", "text", "2021", ["pipe-separated"], 33,
         Options(text_style="pipe", style=Style(blank="-", blank_rate=0.3))),
    Case("text_aligned_2021", "text", "2021", ["whitespace-aligned", "blank cells vanish"], 34,
         Options(text_style="aligned", style=Style(blank="", blank_rate=0.5, blank_tables=("t3",)))),
    Case("text_glued_2021", "text", "2021", ["cells concatenated without separators"], 35,
         Options(text_style="glued"), small_t2=True),
    Case("text_tab_blank_rows", "text", "2021", ["tab-separated", "blank cells", "trailing empty fields dropped",
                                                 "all-blank rows reduced to their label"], 36,
         Options(text_style="tab", style=Style(blank="", blank_rate=0.8))),
    Case("text_copied_table_2019", "text", "2019", ["a browser's copy of the HTML table: no spanned slots",
                                                    "blank cells"], 37,
         Options(text_style="copied", year=2020, style=Style(blank="", blank_rate=0.5))),
    Case("html_t4_official_layout", "html", "2021", ["表四 header as the template draws it"], 15,
         Options(t4_official=True)),
    Case("html_t3_split_tables", "html", "2021", ["表三 broken into two <table>s by a page break",
                                                  "group label repeated below the break"], 16,
         Options(word=True, split_t3_at=12)),
    Case("html_t3_split_repeated_header_2019", "html", "2019", ["表三 in two <table>s, header repeated"], 17,
         Options(split_t3_at=16, repeat_t3_header=True, year=2020)),
    Case("pdf_lo_2021", "pdf-lo", "2021", ["LibreOffice-converted DOCX", "labels wrapped per character",
                                           "rows and group labels cut by page breaks"], 41),
    Case("pdf_lo_2019", "pdf-lo", "2019", ["LibreOffice-converted DOCX", "2019 template"], 42, Options(year=2020)),
    Case("pdf_lo_blanks_source_error", "pdf-lo", "2021", ["LibreOffice", "blank cells", "I1 broken"], 43,
         Options(style=Style(blank="", blank_rate=0.4)),
         breaks=[(("t3", "new", "natural"), 77, [_i("I1", "t3", "", "natural"), _i("I3", "t3", "new", "total")])]),
    Case("pdf_ruled_2021", "pdf", "2021", ["fully ruled", "header repeated after page break"], 51,
         pdf=PdfOptions(rules="full")),
    Case("pdf_ruled_fills_2019", "pdf", "2019", ["fully ruled", "coloured header fills", "white lines",
                                                 "rules as thin filled rectangles", "header not repeated"], 52,
         Options(year=2020), pdf=PdfOptions(rules="full", fills=True, white_lines=True, thin_rect_rules=True,
                                           repeat_header=False)),
    Case("pdf_horizontal_2021", "pdf", "2021", ["horizontal rules only", "landscape 表四 (/Rotate 90)"], 53,
         pdf=PdfOptions(rules="horizontal", landscape_t4=True)),
    Case("pdf_unruled_2021", "pdf", "2021", ["no rules"], 54, pdf=PdfOptions(rules="none")),
    Case("pdf_unruled_charbychar", "pdf", "2021", ["no rules", "character-by-character text, loose tracking"],
         55, pdf=PdfOptions(rules="none", char_by_char=True, tracking=1.2)),
    Case("pdf_ruled_charbychar_fullwidth", "pdf", "2021", ["character-by-character", "full-width digits",
                                                           "thousands separators"], 56,
         Options(style=Style(fullwidth=True, thousands=True)), big=True,
         pdf=PdfOptions(rules="full", char_by_char=True, tracking=0.8)),
    Case("pdf_narrow_labels", "pdf", "2021", ["labels wrapped over three lines", "header not repeated"], 57,
         pdf=PdfOptions(rules="full", label_width=0.55, repeat_header=False)),
    Case("pdf_faint_broken_rules", "pdf", "2021", ["faint grey rules", "broken rules (gaps)"], 61,
         pdf=PdfOptions(rules="full", rule_gray=0.6, rule_dash=(30, 2.5))),
    Case("pdf_encrypted_empty_password", "pdf", "2021", ["encrypted, empty user password"], 58,
         pdf=PdfOptions(rules="full", encrypt_empty_password=True)),
    Case("pdf_hybrid_other_2019_blanks", "pdf", "2021", ["one （六）其他处理 row", "blanks as —"], 59,
         Options(style=Style(blank="—", blank_rate=0.5)), hybrid_other=True, pdf=PdfOptions(rules="full")),
    Case("pdf_source_errors", "pdf", "2021", ["表四 总计 0 under non-zero parts", "I3 broken", "prose total"], 60,
         Options(prose_delta=2), pdf=PdfOptions(rules="horizontal"),
         breaks=[(("t4", "suit_direct", "corrected"), 3, []),
                 (("t4", "suit_direct", "total"), 0, [_i("I4", "t4", "suit_direct", "total")]),
                 (("t3", "partial", "natural"), 40, [_i("I3", "t3", "partial", "total")])]),
]


@dataclass
class ScanCase:
    name: str
    source: str  # a corpus case whose PDF is scanned
    output: str  # scan-pdf | html-images | mixed-pdf
    damage: Damage
    quirks: list[str]
    seed: int


SCANS = [
    ScanCase("scan_200dpi_clean", "pdf_ruled_2021", "scan-pdf", Damage(dpi=200), ["200 dpi scan"], 71),
    ScanCase("scan_150dpi_jpeg", "pdf_ruled_2021", "scan-pdf", Damage(dpi=150, jpeg=45),
             ["150 dpi", "JPEG artefacts"], 72),
    ScanCase("scan_300dpi_rotated_noise_2019", "pdf_ruled_fills_2019", "scan-pdf",
             Damage(dpi=300, rotate=1.8, noise=12), ["300 dpi", "rotated +1.8°", "noise", "2019 template"], 73),
    ScanCase("scan_200dpi_rotated_blur_libreoffice", "pdf_lo_2021", "scan-pdf", Damage(dpi=200, rotate=-2.0, blur=3),
             ["rotated -2°", "blur", "labels wrapped per character"], 74),
    ScanCase("scan_red_seal", "pdf_ruled_2021", "scan-pdf", Damage(dpi=200, seal=True, colour=True, rotate=0.6),
             ["red seal over the table", "colour scan"], 75),
    ScanCase("scan_photo_perspective", "pdf_ruled_2021", "scan-pdf",
             Damage(dpi=220, perspective=0.03, noise=6, jpeg=70), ["photographed page", "perspective", "lighting"],
             76),
    ScanCase("scan_source_errors", "pdf_lo_blanks_source_error", "scan-pdf", Damage(dpi=200, rotate=0.8, noise=8),
             ["scan", "blank cells", "I1 broken in the source"], 77),
    ScanCase("scan_faint_broken_rules", "pdf_faint_broken_rules", "scan-pdf", Damage(dpi=200, rotate=-0.7, blur=3),
             ["faint, broken rules in a scan", "blur"], 80),
    ScanCase("scan_unruled", "pdf_unruled_2021", "scan-pdf", Damage(dpi=200, rotate=0.5, noise=5),
             ["unruled tables in a scan"], 81),
    ScanCase("scan_horizontal_rules_landscape", "pdf_horizontal_2021", "scan-pdf", Damage(dpi=200, blur=3),
             ["horizontal rules only, scanned", "landscape 表四 page"], 82),
    ScanCase("pdf_tables_as_pictures", "pdf_ruled_2021", "pictured-pdf", Damage(dpi=200),
             ["born-digital prose, tables pasted as pictures"], 83),
    ScanCase("html_table_images", "pdf_ruled_2021", "html-images", Damage(dpi=200),
             ["tables as PNG images inside a web page"], 78),
    ScanCase("docx_table_images", "pdf_ruled_fills_2019", "docx-images", Damage(dpi=200, rotate=-0.4, noise=5, jpeg=70),
             ["a Word file whose pages are pictures", "2019 template"], 84),
    ScanCase("mixed_scanned_table_pages", "pdf_ruled_fills_2019", "mixed-pdf", Damage(dpi=200, rotate=0.5, noise=5),
             ["born-digital prose pages", "scanned table pages"], 79),
]


def write_scan(case: ScanCase) -> None:
    source = ROOT / case.source
    pdf = (source / "document.pdf").read_bytes()
    meta = json.loads((source / "meta.json").read_text(encoding="utf-8"))
    folder = ROOT / case.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("document.*"):
        old.unlink()
    if case.output == "html-images":
        name, data = "document.html", html_with_images(pdf, case.damage, case.seed, str(meta["agency"]) + "年度报告")
        meta["source_kind"] = "html"
    elif case.output == "docx-images":
        name, data = "document.docx", docx_with_images(pdf, case.damage, case.seed, str(meta["agency"]) + "年度报告")
        meta["source_kind"] = "docx"
    else:
        render = {"scan-pdf": image_pdf, "mixed-pdf": mixed_pdf, "pictured-pdf": pictured_tables_pdf}[case.output]
        name, data = "document.pdf", render(pdf, case.damage, case.seed)
        meta["source_kind"] = "scanned-pdf"
    (folder / name).write_bytes(data)
    shutil.copy(source / "truth.csv", folder / "truth.csv")
    meta["quirks"] = case.quirks + [f"scanned from {case.source}"]
    if "prose_received" in {i["check"] for i in meta["inconsistencies"]}:  # prose is not read on scanned pages
        meta["inconsistencies"] = [i for i in meta["inconsistencies"] if i["check"] != "prose_received"]
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_bad() -> None:
    bad = ROOT / "bad"
    if bad.exists():
        shutil.rmtree(bad)
    bad.mkdir()
    (bad / "empty.html").write_bytes(b"")
    (bad / "corrupt.docx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    (bad / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\n")
    (bad / "not_a_report.html").write_text(
        "<html><head><meta charset='utf-8'></head><body><h1>关于开展春季植树活动的通知</h1>"
        "<p>各单位：为改善生态环境，定于3月12日开展植树活动。</p><table><tr><td>单位</td><td>人数</td></tr>"
        "<tr><td>办公室</td><td>12</td></tr></table></body></html>", encoding="utf-8")
    (bad / "README.md").write_text("Inputs that must each give one `failed` row with a clear error.\n")


def main() -> None:
    only = set(sys.argv[1:])
    for case in CASES:
        if not only or case.name in only:
            write_case(case)
    for scan in SCANS:
        if not only or scan.name in only:
            write_scan(scan)
    write_bad()
    print(f"wrote {len(CASES) + len(SCANS)} cases and corpus/bad/")


if __name__ == "__main__":
    main()
