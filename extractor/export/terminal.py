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


def render(report: Report) -> str:
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
        if table != "t2":
            lines.append(_pad("", 24) + "".join(_pad(SHORT_COLS.get(c, c)[:8], 10, right=True) for c in cols))
        for row in rows:
            row_cols = [c.col for c in report.cells if c.table == table and c.row == row]
            spec = cat.get(report.template, table, row, row_cols[0])
            label = spec.row_label.split("/")[-1] if spec else row
            out = _pad(label[:11], 24)
            for col in cols if table != "t2" else row_cols:
                cell = cells.get((table, row, col))
                text = "" if cell is None else (value_text(cell.value) or ("·" if not cell.raw else cell.raw))
                if (table, row, col) in flagged:
                    text += "!"
                if table == "t2":
                    col_spec = cat.get(report.template, table, row, col)
                    text = f"{(col_spec.col_label if col_spec else col)}: {text}"
                    out += "  " + text
                else:
                    out += _pad(text, 10, right=True)
            lines.append(out)
    findings = [f for f in report.findings if f.severity != "not_assessable"]
    if findings:
        lines += ["", "Findings (! marks cells of failed checks; · is a blank cell):"]
        for f in findings:
            where = "/".join(x for x in (f.table, f.row, f.col) if x)
            extra = f" (expected {f.expected}, found {f.found})" if f.expected or f.found else ""
            lines.append(f"  [{f.severity}] {f.check} {where}: {f.message}{extra}")
    return "\n".join(lines)
