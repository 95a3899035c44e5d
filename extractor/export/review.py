"""A static review site of a batch's output: what a person checks by eye, flagged documents first.

`extractor review OUT` (or `batch --review`) writes OUT/review/: index.html lists every document with its
status and counts, filterable; one page per document shows each table as a grid under its canonical codes
beside the region of the source it came from (the page image cropped to the table, with every cell's box
drawn, for PDFs and scans; the source's own table, or its lines, for web pages, Word files and text), with
the cells of failed checks and uncertain readings marked on both sides and the findings listed with
their arithmetic. Self-contained: no script or style is fetched from anywhere.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from pathlib import Path

from extractor.codes import catalog
from extractor.export.records import value_text
from extractor.model import CanonicalCell, Report, Table

STYLE = """body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}th{background:#f2f2f2}td.l{text-align:left}
.grid td.l{white-space:nowrap;max-width:22em;overflow:hidden;text-overflow:ellipsis}
.bad{background:#f8c9c4;outline:2px solid #c0392b}.unsure{background:#fde9b0}.blank{color:#999}
.ok{color:#1e7e34}.flagged{color:#c0392b;font-weight:bold}.failed{color:#7f8c8d}.side{display:flex;gap:2em;
flex-wrap:wrap;align-items:flex-start}.side>div{max-width:48%;overflow:auto}img{max-width:100%;border:1px solid #ccc}
pre{white-space:pre-wrap;background:#f7f7f7;padding:.5em}.src .bad{background:#f8c9c4}"""
FILTER = """<script>function show(s){for(const r of document.querySelectorAll('tr[data-status]'))
r.style.display=(s==='all'||r.dataset.status===s)?'':'none'}</script>"""
LOADED = """<script>window.addEventListener('load',()=>{const i=[...document.images];
document.body.dataset.imagesLoaded=i.filter(x=>x.complete&&x.naturalWidth>0).length;
document.body.dataset.images=i.length})</script>"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _marked(report: Report) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """(cells of failed checks, cells read with doubt)."""
    bad = {k for f in report.findings if f.severity == "error"
           for k in (f.cells or (((f.table, f.row, f.col),) if f.table and f.row and f.col else ()))}
    unsure = {c.key for c in report.cells if c.confidence < 0.9 or c.method.endswith(("+identity", "+prose"))}
    return bad, unsure


def _grid(report: Report, table: str, bad: set[tuple[str, str, str]], unsure: set[tuple[str, str, str]]) -> str:
    cells = [c for c in report.cells if c.table == table]
    if not cells:
        return f"<p>{table}: not found</p>"
    rows = list(dict.fromkeys(c.row for c in cells))
    cols = list(dict.fromkeys(c.col for c in cells))
    by_key = {c.key: c for c in cells}
    cat = catalog()
    out = [f"<table class='grid' data-table='{table}'><tr><th>row</th><th>label</th>"]
    out += [f"<th>{_e(c)}</th>" for c in cols]
    out.append("</tr>")
    for row in rows:
        spec = cat.get(report.template, table, row, next(c.col for c in cells if c.row == row))
        label = spec.row_label.split("/")[-1] if spec else row
        out.append(f"<tr><td class='l'>{_e(row)}</td><td class='l'>{_e(label)}</td>")
        for col in cols:
            cell = by_key.get((table, row, col))
            if cell is None:
                out.append("<td></td>")
                continue
            cls = "bad" if cell.key in bad else "unsure" if cell.key in unsure else ""
            text = value_text(cell.value) or ("·" if not cell.raw else cell.raw)
            title = f"raw {cell.raw!r} · {cell.method} · confidence {cell.confidence:.2f}"
            out.append(f"<td class='{cls}' data-code='{table}/{row}/{col}' title='{_e(title)}'>{_e(text)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _findings(report: Report) -> str:
    items = []
    for f in sorted(report.findings, key=lambda f: ("error", "warning", "info", "not_assessable").index(f.severity)):
        where = "/".join(x for x in (f.table, f.row, f.col) if x)
        arithmetic = f" — expected {_e(f.expected)}, found {_e(f.found)}" if f.expected or f.found else ""
        cells = f" <small>({_e(', '.join('/'.join(k) for k in f.cells[:12]))})</small>" if f.cells else ""
        items.append(f"<li class='{f.severity}'><b>[{f.severity}] {_e(f.check)}</b> {_e(where)}: "
                     f"{_e(' '.join(f.message.split()))}{arithmetic}{cells}</li>")
    return "<ul>" + "".join(items) + "</ul>" if items else "<p>No findings.</p>"


def _pdf_crops(source: Path, report: Report, folder: Path, stem: str, bad: set[tuple[str, str, str]]) -> dict[str, str]:
    """table -> img tag: the table's region of each page it is on, cell boxes drawn (red: failed checks)."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    by_page: dict[tuple[str, int], list[CanonicalCell]] = defaultdict(list)
    for c in report.cells:
        if c.provenance.page and c.provenance.bbox and c.provenance.bbox.origin.startswith("top-left"):
            by_page[(c.table, c.provenance.page)].append(c)
    out: dict[str, str] = defaultdict(str)
    pdf = pdfium.PdfDocument(source.read_bytes())
    try:
        for (table, page_no), cells in sorted(by_page.items()):
            page = pdf[page_no - 1]
            scale = 1.5
            image = page.render(scale=scale).to_pil().convert("RGB")
            page.close()
            draw = ImageDraw.Draw(image)
            for c in cells:
                b = c.provenance.bbox
                assert b is not None
                color = (192, 57, 43) if c.key in bad else (30, 126, 52)
                draw.rectangle([b.x0 * scale, b.y0 * scale, b.x1 * scale, b.y1 * scale], outline=color,
                               width=3 if c.key in bad else 1)
            # The page's width (the labels are left of the values), the table's height and a little more.
            y0 = min(c.provenance.bbox.y0 for c in cells if c.provenance.bbox) * scale - 150  # with the header
            y1 = max(c.provenance.bbox.y1 for c in cells if c.provenance.bbox) * scale + 20
            crop = image.crop((0, max(0, int(y0)), image.width, min(image.height, int(y1))))
            name = f"{stem}-{table}-p{page_no}.png"
            crop.save(folder / name)
            out[table] += f"<p>page {page_no}</p><img src='img/{name}' alt='{table} page {page_no}'>"
    finally:
        pdf.close()
    return out


def _source_tables(source: Path, report: Report, bad: set[tuple[str, str, str]]) -> dict[str, str]:
    """table -> the source's own grid (web page, Word, spreadsheet) or lines (text), cells of failed checks
    marked by their provenance path."""
    from extractor.settings import Settings
    from extractor.sources import RawInput, load

    paths = defaultdict(set)
    for c in report.cells:
        if c.provenance.path:
            paths[c.table].add((c.provenance.path, c.key in bad))
    try:
        doc = load(RawInput(source.read_bytes(), source.name), Settings())
    except Exception:  # a review page must not fail because a source moved or changed
        return {}
    out: dict[str, str] = {}
    for table, marks in paths.items():
        bad_paths = {p for p, is_bad in marks if is_bad}
        used = {p for p, _ in marks}
        lines = sorted({int(m.group(1)) for p in used if (m := re.match(r"line\[(\d+)\]", p))})
        if lines:
            text_lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
            bad_lines = {int(m.group(1)) for p in bad_paths if (m := re.match(r"line\[(\d+)\]", p))}
            body = "".join(f"<div class='{'bad' if n in bad_lines else ''}'>{_e(text_lines[n - 1])}</div>"
                           for n in range(max(1, lines[0] - 2), min(len(text_lines), lines[-1] + 1) + 1))
            out[table] = f"<pre class='src'>{body}</pre>"
            continue
        for block in doc.blocks:
            if not isinstance(block, Table) or not any(x.provenance.path in used for x in block.cells):
                continue
            grid = ["<table class='src'>"]
            for r in range(block.n_rows):
                grid.append("<tr>")
                for src in (x for x in block.cells if x.row == r):
                    cls = "bad" if src.provenance.path in bad_paths else ""
                    grid.append(f"<td class='l {cls}' rowspan='{src.rowspan}' colspan='{src.colspan}'>"
                                f"{_e(src.text)}</td>")
                grid.append("</tr>")
            grid.append("</table>")
            out[table] = out.get(table, "") + "".join(grid)
    return out


def document_page(report: Report, source: Path | None, folder: Path, stem: str) -> str:
    bad, unsure = _marked(report)
    sides: dict[str, str] = {}
    if source is not None and source.is_file():
        try:
            if source.read_bytes()[:5] == b"%PDF-":
                sides = _pdf_crops(source, report, folder / "img", stem, bad)
            else:
                sides = _source_tables(source, report, bad)
        except Exception as exc:  # a review must not fail because a source is gone or unreadable now
            sides = {t: f"<p>source not shown: {_e(exc)}</p>" for t in ("t2", "t3", "t4")}
    names = {"t2": "表二 主动公开政府信息情况", "t3": "表三 收到和处理政府信息公开申请情况",
             "t4": "表四 行政复议、行政诉讼"}
    parts = [f"<!doctype html><meta charset='utf-8'><title>{_e(report.doc_id)}</title><style>{STYLE}</style>",
             "<p><a href='index.html'>← all documents</a></p>",
             f"<h1>{_e(report.doc_id)}</h1><p class='{report.status}'>status: {report.status}"
             f"{' — ' + _e(report.error) if report.error else ''}</p>",
             f"<p>{_e(report.agency)} {report.year or ''} · template {report.template} · {report.source_kind}</p>",
             "<h2>Findings</h2>", _findings(report)]
    for table in ("t2", "t3", "t4"):
        parts.append(f"<h2>{names[table]}</h2><div class='side'><div>{_grid(report, table, bad, unsure)}</div>"
                     f"<div>{sides.get(table, '')}</div></div>")
    parts.append(LOADED)
    return "".join(parts)


def write_review(out: Path, reports: list[Report], sources: dict[str, str]) -> Path:
    """The review site under out/review/; returns the index page."""
    folder = out / "review"
    (folder / "img").mkdir(parents=True, exist_ok=True)
    order = {"flagged": 0, "failed": 1, "ok": 2}
    rows = []
    for n, report in enumerate(sorted(reports, key=lambda r: (order.get(r.status, 3), r.doc_id))):
        stem = f"doc{n:05d}"
        source = sources.get(report.doc_id)
        page = document_page(report, Path(source) if source else None, folder, stem)
        (folder / f"{stem}.html").write_text(page, encoding="utf-8")
        errors = sum(1 for f in report.findings if f.severity == "error")
        warnings = sum(1 for f in report.findings if f.severity == "warning")
        rows.append(f"<tr data-status='{report.status}'><td class='l'><a href='{stem}.html'>{_e(report.doc_id)}</a>"
                    f"</td><td class='{report.status}'>{report.status}</td><td>{errors}</td><td>{warnings}</td>"
                    f"<td>{len(report.cells)}</td><td class='l'>{_e(report.agency)}</td><td>{report.year or ''}</td>"
                    f"<td class='l'>{_e(report.error)}</td></tr>")
    counts = {s: sum(1 for r in reports if r.status == s) for s in ("ok", "flagged", "failed")}
    buttons = " ".join(f"<button onclick=\"show('{s}')\">{s} ({counts.get(s, len(reports))})</button>"
                       for s in ("all", "flagged", "failed", "ok"))
    charts = sorted((out / "compare").glob("agency*.png")) if (out / "compare").is_dir() else []
    years = ("<h2>Year over year</h2><p><a href='../compare/index.html'>values, changes and cross-year checks"
             "</a></p>" + "".join(f"<img src='../compare/{c.name}' alt='main series'>" for c in charts)
             if charts else "")
    index = (f"<!doctype html><meta charset='utf-8'><title>review</title><style>{STYLE}</style>{FILTER}"
             f"<h1>{len(reports)} documents</h1><p>{buttons}</p><table><tr><th>document</th><th>status</th>"
             "<th>errors</th><th>warnings</th><th>cells</th><th>agency</th><th>year</th><th>error</th></tr>"
             + "".join(rows) + "</table>" + years + LOADED)
    (folder / "index.html").write_text(index, encoding="utf-8")
    (folder / "sources.json").write_text(json.dumps(sources, ensure_ascii=False), encoding="utf-8")
    return folder / "index.html"
