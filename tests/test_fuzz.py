"""A small seeded draw of the fuzzing harness (tests/fuzz.py); benchmarks/fuzz.py runs hundreds."""

from __future__ import annotations

from conftest import CORPUS
from fuzz import mutants, verdict

import extractor


def test_fuzzed_documents_end_cleanly_and_are_never_silently_wrong() -> None:
    draw = mutants(CORPUS, 60, seed=7, suffixes=(".html", ".txt", ".docx", ".pdf"))
    sources = [m.data for m in draw]
    reports = list(extractor.extract_many(sources, jobs=2, settings={"max_seconds": 60}))
    assert len(reports) == len(draw)
    # extract_many yields in completion order: match each report back to its mutant by content hash.
    import hashlib

    by_hash = {hashlib.sha256(m.data).hexdigest(): m for m in draw}
    problems = []
    for report in reports:
        mutant = by_hash.get(report.sha256)
        if mutant is None:
            assert report.status == "failed" and "internal error" not in report.error, report.error
            continue
        found = verdict(mutant, report)
        if found:
            problems.append((mutant.case.folder.name, mutant.edits, found))
    assert not problems, problems[:5]
