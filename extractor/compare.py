"""Year over year: one agency's reports of consecutive years side by side, and the checks across years.

Reports are grouped by agency (the name normalised: spaces, brackets and their notes dropped) and year.
A value is compared across the 2019/2021 template change only where canonical_cells.csv says the cell is
the same in both (`vs_2021` = same); the 2019 （六）其他处理 row is compared with the sum of the three 2021
other.* rows (`sum`); cells that are only approximately alike (`approx`) or have no counterpart are never
put side by side. The cross-year checks (四 of year y-1 = 二 of year y; 现行有效 roll-forward) come from
validate.cross_year.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from extractor.model import Finding, Report
from extractor.validate.cross_year import agency_key, cross_year_findings, summarise

Number = int | Decimal
# The series drawn per agency: (name, cells summed).
MAIN_SERIES = (
    ("received (t3.new.total)", ("t3.new.total",)),
    ("granted (t3.granted.total)", ("t3.granted.total",)),
    ("denied (t3.denied.*.total)", tuple(f"t3.denied.{r}.total" for r in (
        "secret", "prohibited", "safety", "third_party", "internal", "process", "enforcement", "query"))),
    ("reviews (t4.review.total)", ("t4.review.total",)),
    ("lawsuits (t4.suit_*.total)", ("t4.suit_direct.total", "t4.suit_after_review.total")),
)


@lru_cache(maxsize=1)
def crosswalk() -> dict[str, str]:
    """`table.row.col` of a 2019 cell -> how it relates to 2021 (same / approx / sum / none)."""
    text = resources.files("extractor.spec").joinpath("canonical_cells.csv").read_text(encoding="utf-8")
    return {f"{r['table']}.{r['row']}.{r['col']}": r["vs_2021"] for r in csv.DictReader(text.splitlines())
            if r["template"] == "2019"}


def comparable_values(report: Report) -> dict[str, Number]:
    """The report's numbers under codes that mean the same in both templates (see the module docstring)."""
    values: dict[str, Number] = {}
    walk = crosswalk()
    other: dict[str, Number] = defaultdict(int)
    for c in report.cells:
        if isinstance(c.value, str):
            continue
        number: Number = c.value if c.value is not None else 0
        code = f"{c.table}.{c.row}.{c.col}"
        if report.template == "2019" and walk.get(code) not in ("same", "sum"):
            continue
        if c.table == "t3" and c.row.startswith("other."):
            other[f"t3.other.{c.col}"] += number  # 2021: the sum of the three rows is the 2019 row
            if report.template == "2021":
                values[code] = number
            continue
        values[code] = number
    for code, total in other.items():
        values.setdefault(code, total)
    return values


@dataclass
class AgencyYears:
    agency: str
    years: dict[int, Report] = field(default_factory=dict)
    values: dict[int, dict[str, Number]] = field(default_factory=dict)
    findings: list[tuple[str, Finding]] = field(default_factory=list)

    def series(self) -> dict[str, dict[int, Number]]:
        out: dict[str, dict[int, Number]] = {}
        for name, codes in MAIN_SERIES:
            points = {}
            for year, values in sorted(self.values.items()):
                if any(code in values for code in codes):
                    points[year] = sum((values.get(code, 0) for code in codes), start=0)
            out[name] = points
        return out

    def changes(self) -> list[tuple[str, int, Number, int, Number]]:
        """(code, year before, value, year, value) for every comparable code of consecutive years that changed."""
        out = []
        years = sorted(self.values)
        for before, year in zip(years, years[1:], strict=False):
            if year != before + 1:
                continue
            a, b = self.values[before], self.values[year]
            for code in sorted(set(a) & set(b)):
                if a[code] != b[code]:
                    out.append((code, before, a[code], year, b[code]))
        return out


def compare(reports: Iterable[Report]) -> list[AgencyYears]:
    """The agencies with reports of at least two years, each with its values, changes and cross-year checks."""
    groups: dict[str, AgencyYears] = {}
    summaries = []
    for report in reports:
        if report.status == "failed" or report.year is None or not report.agency:
            continue
        key = agency_key(report.agency)
        group = groups.setdefault(key, AgencyYears(report.agency))
        if report.year in group.years:
            continue  # the same year twice (a web page and its PDF): the first one counts
        group.years[report.year] = report
        group.values[report.year] = comparable_values(report)
        summary = summarise(report)
        if summary is not None:
            summaries.append((key, summary))
    by_agency: dict[str, list] = defaultdict(list)
    for key, summary in summaries:
        by_agency[key].append(summary)
    for key, group in groups.items():
        group.findings = cross_year_findings(by_agency[key])
    return [g for g in groups.values() if len(g.years) > 1]
