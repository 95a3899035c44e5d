"""Agency and report year from the title or the first lines of text."""

from __future__ import annotations

import re

from extractor.normalize import clean_text

_AGENCY = r"(?P<agency>[^\s，。,:：]{2,40}?)"
_YEAR = r"(?P<year>20\d{2})\s*年度?"
# The title's last letters may be lost to a scan's recognition ('…工作年度报', '…工作年度': draws 36012, 36033).
_TITLE = r"政府信息公开(?:工作)?年度(?:报告?)?"
_YEAR_FIRST = re.compile(rf"{_YEAR}\s*{_AGENCY}\s*{_TITLE}")
_AGENCY_FIRST = re.compile(rf"{_AGENCY}\s*{_YEAR}\s*{_TITLE}")


def agency_and_year(text: str) -> tuple[str, int | None]:
    head = clean_text(text[:3000])
    for pattern in (_AGENCY_FIRST, _YEAR_FIRST):
        m = pattern.search(head)
        if m:
            agency = m["agency"].strip("《》\"“” ")
            return agency, int(m["year"])
    m = re.search(r"(20\d{2})\s*年度?", head)
    return "", int(m.group(1)) if m else None
