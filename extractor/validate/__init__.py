"""Identities and completeness -> findings. Findings are data: nothing here raises or repairs a number."""

from __future__ import annotations

from decimal import Decimal

from extractor.codes import catalog
from extractor.identities import Equation, equations
from extractor.model import CanonicalCell, Finding, Severity


def _fmt(value: int | Decimal) -> str:
    return str(value)


def check_identities(cells: list[CanonicalCell], template: str) -> list[Finding]:
    by_key = {c.key: c for c in cells}
    present_tables = {c.table for c in cells}
    present_rows = {c.row for c in cells if c.table == "t3"}
    findings: list[Finding] = []
    for eq in equations(template, present_rows):
        if eq.table not in present_tables:
            continue
        findings.extend(_check(eq, by_key))
    return findings


def _check(eq: Equation, by_key: dict[tuple[str, str, str], CanonicalCell]) -> list[Finding]:
    missing = [k for k in eq.keys if k not in by_key]
    where = dict(table=eq.table, row=eq.row, col=eq.col)
    if missing:
        return [Finding(eq.check, "not_assessable", f"{len(missing)} cell(s) of the identity not found",
                        cells=tuple(missing), **where)]
    lhs = sum((by_key[k].number for k in eq.lhs), start=0)
    rhs = sum((by_key[k].number for k in eq.rhs), start=0)
    if lhs == rhs:
        return []
    # 总计 filled only on summary rows: a failure that involves a blank total cell is not assessable.
    blank_totals = [k for k in eq.keys if "total" in (k[1], k[2]) and by_key[k].value is None
                    and by_key[k].raw.strip() == ""]
    severity: Severity = "not_assessable" if blank_totals else "error"
    text = {
        "I1": "新收 + 上年结转 should equal （七）总计 + 结转下年度",
        "I2": "（七）总计 should equal the sum of the result rows",
        "I3": "总计 column should equal the sum of the six applicant columns",
        "I4": "表四 总计 should equal 维持 + 纠正 + 其他 + 尚未审结",
    }[eq.check]
    return [Finding(eq.check, severity, text, expected=_fmt(rhs) if eq.check != "I1" else _fmt(lhs),
                    found=_fmt(lhs) if eq.check != "I1" else _fmt(rhs), cells=eq.keys, **where)]


def check_completeness(cells: list[CanonicalCell], template: str, tables_found: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    names = {"t2": "表二 主动公开政府信息情况", "t3": "表三 收到和处理政府信息公开申请情况",
             "t4": "表四 行政复议、行政诉讼"}
    keys = {c.key for c in cells}
    rows_present = {c.row for c in cells if c.table == "t3"}
    cat = catalog()
    for table in ("t2", "t3", "t4"):
        if table not in tables_found:
            findings.append(Finding("missing_table", "error", f"{names[table]} not found", table=table))
            continue
        split_other = {r for r in rows_present if r.startswith("other.")}
        if table == "t3" and "other" in rows_present and split_other:
            findings.append(Finding(
                "mixed_other", "error", "（六）其他处理 found both as one row (`other`) and as sub-rows "
                f"({', '.join(sorted(split_other))}): a row is misread or its label lost", table="t3", row="other"))
        for row in cat.rows(template, table):
            if table == "t3" and row.startswith("other.") and "other" in rows_present and not split_other:
                continue  # a 2021 report printing （六）其他处理 as one row
            missing = [col for col in cat.cols(template, table, row) if (table, row, col) not in keys]
            if missing:
                findings.append(Finding("missing_cells", "error", f"{len(missing)} cell(s) of row {row} not found",
                                        table=table, row=row, col=",".join(missing)))
    return findings


# A request count of ten million is more than any agency receives in a year: such a number is digits of
# several cells run together that reached a cell whole (glued text once put '021364000400000' in 表四's
# first cell, the identities unable to tell because every other cell of the row was blank).
MAX_PLAUSIBLE_COUNT = 10_000_000


def check_plausible(cells: list[CanonicalCell]) -> list[Finding]:
    """Counts of 表三 and 表四 no agency could report."""
    return [Finding("implausible_value", "error", f"{c.raw!r} is no count one agency reports in a year: digits of "
                    "several cells run together?", table=c.table, row=c.row, col=c.col, found=c.raw)
            for c in cells if c.table in ("t3", "t4") and isinstance(c.value, int)
            and abs(c.value) >= MAX_PLAUSIBLE_COUNT]

