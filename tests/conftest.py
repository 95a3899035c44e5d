from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
REALDATA = SHARED / "realdata"
REGEN_GOLDEN = os.environ.get("EXTRACTOR_REGEN_GOLDEN") == "1"


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


_REPORTS: dict[Path, object] = {}


def extract_once(path: Path):  # type: ignore[no-untyped-def]
    """One extraction per corpus document per test session (scans take seconds; several tests read them)."""
    import extractor

    if path not in _REPORTS:
        _REPORTS[path] = extractor.extract(path)
    return _REPORTS[path]
