"""Whether another engine's reading of a table may replace the primary reading (the second opinion).

A reading is accepted only where it makes every identity of the table hold and agrees with the primary on
every value the primary read without doubt: an engine that shifts a whole column can keep the identities
(a 小计 equals the sum beside it), but not also agree with the rows the primary read right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractor.identities import equations
from extractor.model import CanonicalCell, Finding

Key = tuple[str, str, str]


@dataclass(frozen=True)
class OpinionSettings:
    # A table without identities (表二) is accepted only where this share of its cells agrees with values
    # the primary read without doubt: nothing else would vouch for the engine's columns.
    min_agreement_without_identities: float = 0.6


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str
    same_values: bool = False  # the engine read every value alike and breaks the same identities


def doubtful_keys(table: str, findings: Sequence[Finding], cells: Sequence[CanonicalCell]) -> set[Key]:
    """Cells of `table` the primary's error findings point at (their cells, or every cell of their row)."""
    doubtful: set[Key] = set()
    for f in findings:
        if f.severity != "error" or f.table != table:
            continue
        doubtful.update(k for k in f.cells if k[0] == table)
        if f.row:
            doubtful.update(c.key for c in cells if c.table == table and c.row == f.row)
    return doubtful


def judge(table: str, template: str, primary: Sequence[CanonicalCell], primary_findings: Sequence[Finding],
          other: Sequence[CanonicalCell], other_findings: Sequence[Finding],
          settings: OpinionSettings = OpinionSettings()) -> Verdict:
    mine = {c.key: c for c in primary if c.table == table}
    theirs = {c.key: c for c in other if c.table == table}
    if not theirs:
        return Verdict(False, "table not found")
    errors = [f for f in other_findings if f.table == table and f.severity == "error"]
    if errors:
        same = mine.keys() == theirs.keys() and all(theirs[k].value == c.value for k, c in mine.items())
        if same:  # evidence that the source itself breaks the arithmetic: no other engine will do better
            return Verdict(False, "reads the same values", same_values=True)
        return Verdict(False, f"{len(errors)} error(s) of its own ({errors[0].check})")
    if set(mine) - set(theirs):
        return Verdict(False, f"{len(set(mine) - set(theirs))} cell(s) the primary read are missing")
    unassessed = sum(1 for f in other_findings if f.table == table and f.severity == "not_assessable")
    was_unassessed = sum(1 for f in primary_findings if f.table == table and f.severity == "not_assessable")
    if unassessed > was_unassessed:
        return Verdict(False, "identities it leaves unassessed")
    doubtful = doubtful_keys(table, primary_findings, primary)
    differ = [k for k, c in mine.items() if k not in doubtful and theirs[k].value != c.value]
    if differ:
        return Verdict(False, f"{len(differ)} value(s) the primary read without doubt differ ({'/'.join(differ[0])})")
    rows = {c.row for c in other if c.table == "t3"}
    has_identities = any(eq.table == table for eq in equations(template, rows))
    agreed = sum(1 for k in mine if k not in doubtful)
    if not has_identities and agreed < settings.min_agreement_without_identities * len(theirs):
        return Verdict(False, f"no identity holds it and only {agreed} of {len(theirs)} values are confirmed")
    return Verdict(True, "every identity holds" if has_identities else f"{agreed} of {len(theirs)} values confirmed")
