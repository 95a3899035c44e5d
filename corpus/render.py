"""Render a report (prose + 表二/表三/表四 as spanned grids) to HTML, DOCX and text renderings with quirks."""

from __future__ import annotations

import html
import io
import unicodedata
from dataclasses import dataclass, field

from truthgen import (
    HEADINGS,
    NOTE,
    T3_COLS,
    T4_BLOCKS,
    T4_PARTS,
    Rendered,
    Style,
    Truth,
    cols_of,
    general_paragraph,
    label_of,
    prose_title,
    t2_blocks,
    t3_label_parts,
    trad,
)

Spec = list[list[tuple[str, int, int]]]  # rows of (text, rowspan, colspan), HTML placement


@dataclass
class Options:
    style: Style = field(default_factory=Style)
    agency: str = "示例县人民政府办公室"
    year: int = 2023
    prose_delta: int = 0
    encoding: str = "utf-8"  # utf-8 | utf-8-bom | gbk-declared | gbk-undeclared
    word: bool = False
    split_t2: bool = False
    layout: bool = False
    malformed: bool = False
    br_labels: bool = False
    extra_t2_row: bool = False
    annotate: bool = False
    text_style: str = "tab"  # tab | pipe | aligned | glued | copied (a browser's copy: no spanned slots)
    t4_official: bool = False  # 表四 as the State Council template draws it (复议 sub-headers rowspan 2)
    split_t3_at: int = 0  # Word's HTML export of a table broken by a page: a second <table> from this row
    repeat_t3_header: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # a template label -> the label as printed
    t3_header: str = "standard"  # standard | total_first_row (总计 spans the three header rows)
    subtotal_column: bool = False  # a 法人或其他组织 小计 column after the five organisation columns


def t2_spec(truth: Truth, r: Rendered, o: Options) -> list[Spec]:
    specs: list[Spec] = []
    for heading, rows in t2_blocks(truth.template):
        cols = cols_of(truth.template, "t2", rows[0])
        spans = [1] * len(cols)
        spans[-1] += 3 - len(cols)
        header = [(label, 1, s) for (_, label), s in zip(cols, spans, strict=True)]
        spec: Spec = [[(heading, 1, 4)], [("信息内容", 1, 1), *header]]
        for row in rows:
            label = label_of(truth.template, "t2", row).split("/")[-1]
            label = o.labels.get(label, label)
            cells = [(r.text[("t2", row, col)], 1, s) for (col, _), s in zip(cols, spans, strict=True)]
            if o.annotate and row == "normative" and truth.template == "2021":
                cells[0] = (cells[0][0] + "（其中修订1件）", 1, cells[0][2])
            spec.append([(label, 1, 1)] + cells)
        if o.extra_t2_row and heading.endswith("（一）项"):
            spec.append([("其他主动公开文件", 1, 1)] + [("7", 1, s) for s in spans])
        specs.append(spec)
    return specs if o.split_t2 else [[row for spec in specs for row in spec]]


def t3_spec(truth: Truth, r: Rendered, o: Options) -> Spec:
    br = "\n" if o.br_labels else ""
    orgs = [(f"商业{br}企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), (f"法律服务{br}机构", 1, 1),
            ("其他", 1, 1)] + ([("小计", 1, 1)] if o.subtotal_column else [])
    n_orgs = len(orgs)
    if o.t3_header == "total_first_row":
        spec: Spec = [
            [(NOTE, 3, 3), ("申请人情况", 1, n_orgs + 1), ("总计", 3, 1)],
            [("自然人", 2, 1), ("法人或其他组织", 1, n_orgs)],
            orgs,
        ]
    else:
        spec = [
            [(NOTE, 3, 3), ("申请人情况", 1, (9 if o.malformed else 7) + (n_orgs - 5))],
            [("自然人", 2, 1), ("法人或其他组织", 1, n_orgs), ("总计", 2, 1)],
            orgs,
        ]
    rows = truth.t3_rows()
    parts = {row: [o.labels.get(p, p) for p in t3_label_parts(truth, row)] for row in rows}
    for i, row in enumerate(rows):
        p = parts[row]
        cells: list[tuple[str, int, int]] = []
        for level, text in enumerate(p):
            prefix = tuple(p[: level + 1])
            first = i == 0 or tuple(parts[rows[i - 1]][: level + 1]) != prefix
            if not first:
                continue
            if level == len(p) - 1:
                cells.append((text if level == 0 else text.replace("（区分", br + "（区分"), 1, 3 - level))
            else:
                span = sum(1 for rr in rows if tuple(parts[rr][: level + 1]) == prefix)
                if o.malformed and level == 0:
                    span += 20  # overruns the table
                cells.append((text, span, 1))
        values = [(r.text[("t3", row, col)], 1, 1) for col in T3_COLS]
        if o.subtotal_column:
            orgs_sum = sum(int(truth.get("t3", row, c) or 0) for c in T3_COLS[1:6])  # type: ignore[call-overload]
            values.insert(6, (str(orgs_sum), 1, 1))
        spec.append(cells + values)
    return spec


def t4_spec(truth: Truth, r: Rendered, o: Options) -> Spec:
    labels = [label for _, label in cols_of(truth.template, "t4", "review")]
    values = [(r.text[("t4", block, part)], 1, 1) for block in T4_BLOCKS for part in T4_PARTS]
    if o.t4_official:
        return [
            [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
            [(label, 2, 1) for label in labels] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
            [(label, 1, 1) for _ in range(2) for label in labels],
            values,
        ]
    return [
        [("行政复议", 2, 5), ("行政诉讼", 1, 10)],
        [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(label, 1, 1) for _ in T4_BLOCKS for label in labels],
        [(r.text[("t4", block, part)], 1, 1) for block in T4_BLOCKS for part in T4_PARTS],
    ]


def _split_spec(spec: Spec, at: int, header_rows: int) -> tuple[Spec, Spec]:
    """Cut a spanned grid before row `at`: spans crossing the cut are shortened, and the part below gets
    the cut cells again (their text repeated, as Word does), optionally under a repeated header."""
    placed = place(spec)
    first: Spec = [[] for _ in range(at)]
    rest: Spec = [[] for _ in range(len(spec) - at)]
    for r, _, text, rs, cs in placed:
        if r < at:
            first[r].append((text, min(rs, at - r), cs))
            if r + rs > at:
                rest[0].append((text, r + rs - at, cs))  # the group label continues on the next page
        else:
            rest[r - at].append((text, rs, cs))
    return first, spec[:header_rows] + rest


def document(truth: Truth, r: Rendered, o: Options) -> list[tuple[str, object]]:
    """The report as ordered ('p', text) / ('table', Spec) blocks."""
    blocks: list[tuple[str, object]] = [
        ("p", prose_title(o.agency, o.year)),
        ("p", "一、总体情况"),
        ("p", general_paragraph(truth, r, o.prose_delta)),
        ("p", HEADINGS["t2"]),
    ]
    blocks += [("table", spec) for spec in t2_spec(truth, r, o)]
    t3 = t3_spec(truth, r, o)
    if o.split_t3_at:
        first, rest = _split_spec(t3, o.split_t3_at, 3 if o.repeat_t3_header else 0)
        blocks += [("p", HEADINGS["t3"]), ("table", first), ("p", "— 3 —"), ("table", rest)]
    else:
        blocks += [("p", HEADINGS["t3"]), ("table", t3)]
    blocks += [("p", HEADINGS["t4"]), ("table", t4_spec(truth, r, o))]
    blocks += [("p", "五、政府信息公开工作存在的主要问题及改进情况"), ("p", "本机关将进一步加强培训。")]
    if o.style.traditional:
        blocks = [(k, trad(v, o.style) if isinstance(v, str) else
                   [[(trad(t, o.style), rs, cs) for t, rs, cs in row] for row in v]) for k, v in blocks]  # type: ignore[attr-defined]
    return blocks


def place(spec: Spec) -> list[tuple[int, int, str, int, int]]:
    """HTML placement: (row, col, text, rowspan, colspan) with spans clamped to the table."""
    taken: set[tuple[int, int]] = set()
    out = []
    for ri, row in enumerate(spec):
        c = 0
        for text, rs, cs in row:
            while (ri, c) in taken:
                c += 1
            rs = min(rs, len(spec) - ri)
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((ri + dr, c + dc))
            out.append((ri, c, text, rs, cs))
            c += cs
    return out


# ---------------------------------------------------------------- HTML

def _cell_html(text: str, o: Options) -> str:
    lines = [html.escape(line) for line in text.split("\n")]
    if o.word:
        inner = "<br>\n".join(f'<span style="font-size:10.5pt;font-family:仿宋_GB2312">{line}</span>' for line in lines)
        return f'<p class="MsoNormal" align="center" style="text-align:center">{inner}<o:p></o:p></p>'
    return "<br>".join(lines).replace(" ", "&nbsp;") if o.encoding.startswith("gbk") else "<br>".join(lines)


def to_html(truth: Truth, r: Rendered, o: Options) -> bytes:
    parts: list[str] = []
    for kind, value in document(truth, r, o):
        if kind == "p":
            parts.append(f'<p class="MsoNormal"><span>{html.escape(str(value))}</span><o:p></o:p></p>'
                         if o.word else f"<p>{html.escape(str(value))}</p>")
            continue
        cls = ' class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0"' if o.word else ' border="1"'
        rows = []
        for row in value:  # type: ignore[attr-defined]
            tds = []
            for text, rs, cs in row:
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                tds.append(f"<td{attrs} valign=\"center\">{_cell_html(text, o)}</td>")
            rows.append(f"<tr>{''.join(tds)}</tr>")
        parts.append(f"<table{cls}><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")
    body = "\n".join(parts)
    if o.layout:
        body = (f'<table width="100%"><tr><td class="nav">首页 &gt; 政务公开</td></tr><tr><td><div class="content">'
                f"{body}</div></td></tr></table>")
    charset = {"gbk-declared": '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
               "gbk-undeclared": "", "utf-8": '<meta charset="utf-8">', "utf-8-bom": ""}[o.encoding]
    xmlns = ' xmlns:o="urn:schemas-microsoft-com:office:office"' if o.word else ""
    page = (f"<!DOCTYPE html>\n<html{xmlns}><head>{charset}<title>{html.escape(prose_title(o.agency, o.year))}</title>"
            f"<style>td {{border:1px solid}}</style></head>\n<body>\n{body}\n</body></html>\n")
    if o.encoding.startswith("gbk"):
        return page.encode("gb18030")
    return ("\ufeff" + page).encode("utf-8") if o.encoding == "utf-8-bom" else page.encode("utf-8")


# ---------------------------------------------------------------- DOCX

def to_docx(truth: Truth, r: Rendered, o: Options) -> bytes:
    import datetime

    import docx

    d = docx.Document()
    stamp = datetime.datetime(2024, 1, 15, 9, 0, 0)
    d.core_properties.created = d.core_properties.modified = stamp  # reproducible bytes
    for kind, value in document(truth, r, o):
        if kind == "p":
            d.add_paragraph(str(value))
            continue
        placed = place(value)  # type: ignore[arg-type]
        n_rows = len(value)  # type: ignore[arg-type]
        n_cols = max(c + cs for _, c, _, _, cs in placed)
        table = d.add_table(rows=n_rows, cols=n_cols)
        table.style = "Table Grid"
        for ri, c, text, rs, cs in placed:
            cell = table.cell(ri, c)
            if rs > 1 or cs > 1:
                cell = cell.merge(table.cell(ri + rs - 1, c + cs - 1))
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return _fixed_zip_times(out.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same DOCX bytes on every run: zip entries otherwise carry the time of writing."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 15, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


# ---------------------------------------------------------------- text renderings

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _grid_rows(spec: Spec) -> list[dict[int, str]]:
    rows: list[dict[int, str]] = [dict() for _ in spec]
    for ri, c, text, _, _ in place(spec):
        rows[ri][c] = text.replace("\n", "")
    return rows


def to_text(truth: Truth, r: Rendered, o: Options) -> bytes:
    lines: list[str] = []
    for kind, value in document(truth, r, o):
        if kind == "p":
            lines.append(str(value))
            continue
        rows = _grid_rows(value)  # type: ignore[arg-type]
        n_cols = max(max(row, default=0) for row in rows) + 1
        for row in rows:
            fields = [row.get(c, "") for c in range(n_cols)]
            if o.text_style == "tab":
                lines.append("\t".join(fields).rstrip("\t"))
            elif o.text_style == "copied":
                lines.append("\t".join(row[c] for c in sorted(row)).rstrip("\t"))
            elif o.text_style == "pipe":
                lines.append("| " + " | ".join(fields) + " |")
            elif o.text_style == "glued":
                lines.append("".join(fields))
            else:
                lines.append(_aligned(fields, n_cols))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _aligned(fields: list[str], n_cols: int) -> str:
    """Each field at its column's start (values centred in 12-wide columns); blank cells vanish into spaces."""
    if n_cols == 10:
        starts = [0, 24, 44] + [130 + 12 * k for k in range(7)]
    elif n_cols == 15:
        starts = [12 * k for k in range(15)]
    else:
        starts = [0] + [44 + 16 * k for k in range(n_cols - 1)]
    line = ""
    for c, text in enumerate(fields):
        if not text:
            continue
        start = starts[c]
        if c >= 3 or n_cols != 10:
            start += max((12 - _width(text)) // 2, 0) if n_cols != 10 or c >= 3 else 0
        pad = max(start - _width(line), 1 if line else 0)
        line += " " * pad + text
    return line
