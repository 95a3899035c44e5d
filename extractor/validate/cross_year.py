"""Checks across one agency's reports of consecutive years (warnings: reports get revised, agencies renamed).

- carry_over: 四、结转下年度继续办理 of year y-1 equals 二、上年结转 of year y, per column.
- in_force_roll_forward (2021 表二): 现行有效 of y = 现行有效 of y-1 + 本年制发 of y - 本年废止 of y.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from extractor.identities import T3_COLS
from extractor.model import Finding, Report
from extractor.normalize import clean_text

Number = int | Decimal


@dataclass(frozen=True)
class YearSummary:
    doc_id: str
    agency: str
    year: int
    values: dict[tuple[str, str, str], Number] = field(default_factory=dict)


WANTED_ROWS = {("t3", "pending"), ("t3", "carried"), ("t2", "rules"), ("t2", "normative")}


def agency_key(name: str) -> str:
    """One spelling per agency: notes in brackets, spaces and punctuation dropped."""
    text = clean_text(name)
    text = re.sub(r"[（(【\[].*?[）)】\]]", "", text)
    return re.sub(r"[\s·,，。、\"“”'‘’]", "", text)


def summarise(report: Report) -> YearSummary | None:
    if report.status == "failed" or not report.agency or report.year is None:
        return None
    values = {c.key: c.number for c in report.cells if (c.table, c.row) in WANTED_ROWS}
    return YearSummary(report.doc_id, agency_key(report.agency), report.year, values)


class CrossYear:
    """The batch's cross-year checks: each report summarised as it is seen, findings at the end."""

    def __init__(self) -> None:
        self.summaries: list[YearSummary] = []

    def see(self, report: Report) -> None:
        summary = summarise(report)
        if summary is not None:
            self.summaries.append(summary)

    def findings(self) -> list[tuple[str, Finding]]:
        return cross_year_findings(self.summaries)


def cross_year_findings(summaries: Iterable[YearSummary]) -> list[tuple[str, Finding]]:
    """(doc_id of the later report, finding) for every disagreement between consecutive years."""
    by_agency: dict[tuple[str, int], YearSummary] = {}
    for s in summaries:
        by_agency.setdefault((s.agency, s.year), s)
    out: list[tuple[str, Finding]] = []
    for (agency, year), now in sorted(by_agency.items()):
        before = by_agency.get((agency, year - 1))
        if before is None:
            continue
        for col in T3_COLS:
            prev, cur = before.values.get(("t3", "pending", col)), now.values.get(("t3", "carried", col))
            if prev is not None and cur is not None and prev != cur:
                out.append((now.doc_id, Finding(
                    "carry_over", "warning", f"{year - 1} report ({before.doc_id}) left {prev} pending; this "
                    f"report carries over {cur}", table="t3", row="carried", col=col, expected=str(prev),
                    found=str(cur))))
        for row in ("rules", "normative"):
            keys = [("t2", row, c) for c in ("in_force", "issued", "abolished")]
            if all(k in now.values for k in keys) and ("t2", row, "in_force") in before.values:
                expected = before.values[("t2", row, "in_force")] + now.values[keys[1]] - now.values[keys[2]]
                if expected != now.values[keys[0]]:
                    out.append((now.doc_id, Finding(
                        "in_force_roll_forward", "warning", f"现行有效 of {year - 1} + 制发 - 废止 gives {expected}",
                        table="t2", row=row, col="in_force", expected=str(expected),
                        found=str(now.values[keys[0]]))))
    return out
