from __future__ import annotations

from importlib import resources

import pytest
from conftest import SHARED

from extractor.codes import catalog


@pytest.mark.skipif(not (SHARED / "spec").exists(), reason="../shared/spec not beside this clone")
def test_packaged_codes_identical_to_shared_spec() -> None:
    packaged = resources.files("extractor.spec").joinpath("canonical_cells.csv").read_bytes()
    assert packaged == (SHARED / "spec" / "canonical_cells.csv").read_bytes()


def test_catalogue_sizes() -> None:
    cat = catalog()
    count = {t: sum(1 for s in cat.specs if s.template == t) for t in ("2019", "2021")}
    assert count == {"2019": 198, "2021": 200}
    assert cat.rows("2021", "t3")[-2:] == ["total", "pending"]
    assert cat.cols("2021", "t3", "other") == cat.cols("2021", "t3", "new")  # hybrid row
