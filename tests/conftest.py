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
