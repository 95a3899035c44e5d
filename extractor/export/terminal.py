"""The three tables as readable terminal tables, cells of failed checks marked."""

from __future__ import annotations

import unicodedata

from extractor.codes import catalog
from extractor.export.records import value_text
from extractor.model import Report

SHORT_COLS = {
    "natural": "自然人", "commercial": "商业企业", "research": "科研机构", "social": "社会公益", "legal": "法律服务",
    "other": "其他", "total": "总计", "upheld": "维持", "corrected": "纠正", "pending": "未审结",
}
TITLES = {
    "t2": "表二 主动公开政府信息情况", "t3": "表三 收到和处理政府信息公开申请情况", "t4": "表四 行政复议、行政诉讼",
}


def _w(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _w(text), 0)
    return gap + text if right else text + gap


MAX_LABEL = 40  # display columns; a longer label keeps its start and end


def _label(row_label: str) -> str:
    """The official label with its group, numbering kept: '三、本年度办理结果/（三）不予公开/1.属于国家秘密' reads
    '（三）不予公开 1.属于国家秘密' (the top group is the same for every result row)."""
    parts = row_label.split("/")
    text = " ".join(parts[-2:]) if len(parts) > 2 else parts[-1]
    if _w(text) <= MAX_LABEL:
        return text
    head, tail = "", ""
    for ch in text:
        if _w(head + ch) > MAX_LABEL - 12:
            break
        head += ch
    for ch in reversed(text):
        if _w(tail + ch) > 10:
            break
        tail = ch + tail
    return f"{head}…{tail}"


def render(report: Report, codes: bool = False) -> str:
    lines = [f"{report.doc_id}: {report.status}"
             + (f" — {report.error}" if report.error else "")
             + (f"  [{report.agency} {report.year or ''} template {report.template}]" if report.cells else "")]
    if not report.cells:
        return "\n".join(lines)
    # Mark the cell a check is about (its total); checks without one mark all their cells.
    flagged = {k for f in report.findings if f.severity == "error"
               for k in (((f.table, f.row, f.col),) if f.row and f.col else f.cells)}
    cells = {c.key: c for c in report.cells}
    cat = catalog()
    for table in ("t2", "t3", "t4"):
        rows = [r for r in dict.fromkeys(c.row for c in report.cells if c.table == table)]
        if not rows:
            lines += ["", f"{TITLES[table]}: not found"]
            continue
        lines += ["", TITLES[table]]
        cols = list(dict.fromkeys(c.col for c in report.cells if c.table == table))
        labels = [cat.get(report.template, table, r, cols[0]) for r in rows]
        label_width = max([_w(_label(s.row_label)) for s in labels if s] + [10]) + (21 if codes else 0) + 2
        if table != "t2":
            head = [(c if codes else SHORT_COLS.get(c, c)[:8]) for c in cols]
            lines.append(_pad("", label_width) + "".join(_pad(h, 12 if codes else 10, right=True) for h in head))
        for row in rows:
            row_cols = [c.col for c in report.cells if c.table == table and c.row == row]
            spec = cat.get(report.template, table, row, row_cols[0])
            label = _label(spec.row_label) if spec else row
            if codes:
                label = f"{row:20s} {label}"
            out = _pad(label, label_width)
            for col in cols if table != "t2" else row_cols:
                cell = cells.get((table, row, col))
                text = "" if cell is None else (value_text(cell.value) or ("·" if not cell.raw else cell.raw))
                if (table, row, col) in flagged:
                    text += "!"
                if table == "t2":
                    col_spec = cat.get(report.template, table, row, col)
                    text = f"{col if codes else (col_spec.col_label if col_spec else col)}: {text}"
                    out += "  " + text
                else:
                    out += _pad(text, 12 if codes else 10, right=True)
            lines.append(out)
    findings = [f for f in report.findings if f.severity != "not_assessable"]
    if findings:
        lines += ["", "Findings (! marks cells of failed checks; · is a blank cell):"]
        for f in findings:
            where = "/".join(x for x in (f.table, f.row, f.col) if x)
            extra = f" (expected {f.expected}, found {f.found})" if f.expected or f.found else ""
            line = f"  [{f.severity}] {f.check} {where}: {f.message}{extra}"
            lines.append(" ".join(line.replace("\n", "⏎").split()))
    return "\n".join(lines)
