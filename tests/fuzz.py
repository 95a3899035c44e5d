"""Seeded mutations of corpus documents, and the oracle they are judged by (issue 10's fuzzing harness).

A mutant is a corpus document with one to three edits: a byte flipped, a span deleted, random bytes
inserted, a span duplicated, the file cut short, a digit changed, or (web pages) a cell's markup broken.
The oracle: the extraction ends (no hang: a time-out counts against it), no error reads as an internal
error or a traceback, and an `ok` report has every 表三/表四 cell of the original truth right unless the
edit could have changed it (表二 has no identity, so an edited 表二 digit cannot be caught and is not
judged). Used by tests/test_fuzz.py (a small draw) and benchmarks/fuzz.py (hundreds).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from extractor.evaluation import Case, discover, score
from extractor.identities import equations
from extractor.model import Report

MUTATIONS = ("flip", "delete", "insert", "duplicate", "truncate", "digit", "markup")


@dataclass(frozen=True)
class Mutant:
    case: Case
    data: bytes
    edits: tuple[str, ...]


def mutate(data: bytes, rng: random.Random, is_html: bool) -> tuple[bytes, list[str]]:
    out = bytearray(data)
    edits: list[str] = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(MUTATIONS if is_html else MUTATIONS[:-1])
        if not out:
            break
        at = rng.randrange(len(out))
        if kind == "flip":
            out[at] = rng.randrange(256)
        elif kind == "delete":
            del out[at: at + rng.randint(1, 20)]
        elif kind == "insert":
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 12)))
        elif kind == "duplicate":
            out[at:at] = out[at: at + rng.randint(1, 200)]
        elif kind == "truncate":
            del out[max(at, len(out) // 3):]
        elif kind == "digit":
            digits = [i for i, b in enumerate(out) if 48 <= b <= 57]
            if digits:
                i = rng.choice(digits)
                out[i] = 48 + (out[i] - 48 + rng.randint(1, 9)) % 10
        elif kind == "markup":
            cells = [i for i in range(len(out) - 3) if out[i:i + 3] == b"<td"]
            if cells:
                i = rng.choice(cells)
                out[i:i + 3] = rng.choice([b"<\xe1d", b"<t", b"", b"<td rowspan=99999999"])
        edits.append(kind)
    return bytes(out), edits


def mutants(corpus: Path, count: int, seed: int, suffixes: tuple[str, ...]) -> list[Mutant]:
    cases = [c for c in discover(corpus) if c.document.suffix.lower() in suffixes and "scan" not in c.folder.name]
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        case = rng.choice(cases)
        data, edits = mutate(case.document.read_bytes(), rng, case.document.suffix.lower() in (".html", ".htm"))
        found.append(Mutant(case, data, tuple(edits)))
    return found


def _protected(key: tuple[str, str, str], report: Report) -> bool:
    """Whether an identity that holds this cell could be evaluated (no blank 总计 in it)."""
    cells = {c.key: c for c in report.cells}
    for eq in equations(report.template, {c.row for c in report.cells if c.table == "t3"}):
        if key in eq.keys and all(k in cells for k in eq.keys) and \
                not any("total" in (k[1], k[2]) and cells[k].value is None for k in eq.keys):
            return True
    return False


def verdict(mutant: Mutant, report: Report) -> str | None:
    """None when the report passes the oracle, else what is wrong."""
    if "timed out" in report.error:
        return f"hang: {report.error}"
    if "internal error" in report.error or "Traceback" in report.error:
        return f"crash: {report.error}"
    if report.status != "ok":
        return None
    # An edit inside a number of 表三/表四 breaks an identity: an ok report may not hold a changed number. A
    # blank is not a number: an edit that wipes a digit out leaves a cell the source itself prints blank.
    # A cell whose every identity is not assessable (总计 left blank on its row and column) is not judged.
    # A 0 read where the truth is blank (or the reverse) is the same count: an edit that shifts an aligned
    # line can move a 0 into a blank slot, and no arithmetic can tell.
    wrong = [w for w in score(report, mutant.case).wrong if w[0][0] in ("t3", "t4") and w[1] not in ("", "0")
             and _protected(w[0], report)]
    return f"ok with wrong cells {wrong[:3]} after {mutant.edits}" if wrong else None
