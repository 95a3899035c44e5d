"""Counts the report's prose states about its own tables ('共收到政府信息公开申请75件，涉及自然人72件'),
each tied to the table quantity its clause names. Checked against the cells by validate.prose; used by
reconcile to choose among the readings of a glued digit run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from extractor.identities import T3_APPLICANTS
from extractor.model import CanonicalCell
from extractor.normalize import clean_text

Number = int | Decimal
Cells = dict[tuple[str, str, str], CanonicalCell]

# A number of cases stated in prose, with the clause before it (back to the previous punctuation).
# The number is bounded and may not start inside a longer one: the scan stays linear on a run of digits.
_STATED = re.compile(r"(?P<clause>[^，。；;：:,、（）()\d]{0,40}?)(?<![\d,])(?P<n>\d[\d,]{0,14})\s*(?:件|个|份)")


@dataclass(frozen=True)
class Claim:
    """Words that must all occur in the clause (any alternative of each '|' group), words that must not,
    what the number should equal, and a looser reading it may also match."""

    name: str
    all_of: tuple[str, ...]
    none_of: tuple[str, ...]
    table: str
    row: str
    col: str
    value: Callable[[Cells], Number | None]
    looser: Callable[[Cells], Number | None] | None = None
    single: bool = False  # the number is exactly the cell (table, row, col), not a sum

    def matches(self, clause: str) -> bool:
        return all(any(w in clause for w in group.split("|")) for group in self.all_of) \
            and not any(w in clause for w in self.none_of)


def _num(cells: Cells, key: tuple[str, str, str]) -> Number | None:
    cell = cells.get(key)
    return None if cell is None or isinstance(cell.value, str) or cell.value is None else cell.value


def _t3(row: str, col: str = "total") -> Callable[[Cells], Number | None]:
    """A 表三 cell; a blank 总计 is the sum of the applicant cells of its row (总计 filled only on summaries)."""
    def get(cells: Cells) -> Number | None:
        found = _num(cells, ("t3", row, col))
        if found is None and col == "total" and any(("t3", row, c) in cells for c in T3_APPLICANTS):
            found = sum((_num(cells, ("t3", row, c)) or 0 for c in T3_APPLICANTS), start=0)
        return found
    return get


def _t3_group(prefix: str) -> Callable[[Cells], Number | None]:
    def get(cells: Cells) -> Number | None:
        rows = sorted({k[1] for k in cells if k[0] == "t3" and (k[1] == prefix or k[1].startswith(prefix + "."))})
        values = [_t3(r)(cells) for r in rows]
        return None if not values or any(v is None for v in values) else sum(v or 0 for v in values)
    return get


def _plus(*parts: Callable[[Cells], Number | None]) -> Callable[[Cells], Number | None]:
    def get(cells: Cells) -> Number | None:
        values = [p(cells) for p in parts]
        return None if any(v is None for v in values) else sum(v or 0 for v in values)
    return get


def _t2(row: str, col: str) -> Callable[[Cells], Number | None]:
    return lambda cells: _num(cells, ("t2", row, col))


def _t4_total(*blocks: str) -> Callable[[Cells], Number | None]:
    return _plus(*(lambda c, b=b: _num(c, ("t4", b, "total")) for b in blocks))


CLAIMS = (
    Claim("in_force", ("现行有效", "规范性文件"), (), "t2", "normative", "in_force", _t2("normative", "in_force"),
          single=True),
    Claim("issued", ("制发|出台|印发", "规范性文件"), ("废止", "现行有效"), "t2", "normative", "issued",
          _t2("normative", "issued"), single=True),
    Claim("abolished", ("废止", "规范性文件"), ("现行有效", "制发"), "t2", "normative", "abolished",
          _t2("normative", "abolished"), single=True),
    Claim("natural", ("自然人",), ("法人",), "t3", "new", "natural", _t3("new", "natural"),
          _plus(_t3("new", "natural"), _t3("carried", "natural"))),
    Claim("received", ("收到|受理", "申请"), ("自然人", "法人", "复议", "诉讼", "上年", "结转"), "t3", "new", "total",
          _t3("new"), _plus(_t3("new"), _t3("carried"))),
    Claim("carried", ("上年结转|上年度结转",), (), "t3", "carried", "total", _t3("carried")),
    Claim("pending", ("结转下年度|转下一年度|转入下一年度|结转至下一年度",), (), "t3", "pending", "total",
          _t3("pending")),
    Claim("granted_partial", ("予以公开|同意公开", "部分公开"), (), "t3", "granted", "total",
          _plus(_t3("granted"), _t3("partial"))),
    Claim("granted", ("予以公开|同意公开|全部公开",), ("不予公开",), "t3", "granted", "total", _t3("granted")),
    Claim("partial", ("部分公开",), (), "t3", "partial", "total", _t3("partial")),
    Claim("denied", ("不予公开",), (), "t3", "denied", "total", _t3_group("denied")),
    Claim("unable", ("无法提供",), (), "t3", "unable", "total", _t3_group("unable")),
    Claim("ignored", ("不予处理",), (), "t3", "ignored", "total", _t3_group("ignored")),
    Claim("review", ("行政复议|复议",), ("诉讼", "复议后"), "t4", "review", "total", _t4_total("review")),
    Claim("suit", ("诉讼",), ("复议",), "t4", "suit_direct", "total", _t4_total("suit_direct", "suit_after_review")),
)


def prose_claims(text: str) -> list[tuple[Claim, int, str]]:
    """(claim, number, clause) for every stated count whose clause names a table quantity."""
    out: list[tuple[Claim, int, str]] = []
    for m in _STATED.finditer(clean_text(text)):
        clause = m["clause"].replace(" ", "")
        for claim in CLAIMS:
            if claim.matches(clause):
                out.append((claim, int(m["n"].replace(",", "")), clause + m["n"]))
                break
    return out
