"""Prose counts checked against the cells (detect.prose reads them). A disagreement is a warning (the prose
is often loose or counts differently); a number that matches only a looser reading (新收 + 上年结转 for
'received') is an info finding.
"""

from __future__ import annotations

import re

from extractor.detect.prose import Cells, Claim, Number
from extractor.identities import T4_BLOCKS
from extractor.model import CanonicalCell, Finding
from extractor.normalize import clean_text

_ALL_UPHELD = re.compile(r"(?:均|全部|都)(?:获|被|予以|予)?(?:维持|胜诉)")


def _num(cells: Cells, key: tuple[str, str, str]) -> Number | None:
    cell = cells.get(key)
    return None if cell is None or isinstance(cell.value, str) else cell.value


def check_prose(cells: list[CanonicalCell], claims: list[tuple[Claim, int, str]], text: str) -> list[Finding]:
    by_key = {c.key: c for c in cells}
    findings: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for claim, stated, clause in claims:
        if (claim.name, stated) in seen:
            continue
        seen.add((claim.name, stated))
        value = claim.value(by_key)
        if value is None or value == stated:
            continue
        looser = claim.looser(by_key) if claim.looser else None
        loose = looser is not None and looser == stated
        message = (f"prose says '{clause}件': the table gives {value}, and {looser} only counting 上年结转 too"
                   if loose else f"prose says '{clause}件' but the table gives {value}")
        findings.append(Finding(f"prose_{claim.name}", "info" if loose else "warning", message, table=claim.table,
                                row=claim.row, col=claim.col, expected=str(stated), found=str(value)))
    findings.extend(_all_upheld(by_key, text))
    return findings


def _all_upheld(cells: Cells, text: str) -> list[Finding]:
    """'复议7件、诉讼9件，均获维持': every case of the blocks named should be 结果维持."""
    findings = []
    if not _ALL_UPHELD.search(text):
        return []
    for sentence in re.split(r"[。；;]", clean_text(text)):
        if not _ALL_UPHELD.search(sentence):
            continue
        blocks = [b for b in T4_BLOCKS
                  if (b == "review" and "复议" in sentence) or (b != "review" and "诉讼" in sentence)]
        for block in blocks:
            total, upheld = _num(cells, ("t4", block, "total")), _num(cells, ("t4", block, "upheld"))
            if total and upheld is not None and upheld != total:
                findings.append(Finding(
                    "prose_all_upheld", "warning", f"prose says the cases were all upheld ('{sentence.strip()[:60]}') "
                    f"but 表四 {block} has {upheld} 维持 of {total}", table="t4", row=block, col="upheld",
                    expected=str(total), found=str(upheld)))
    return findings
