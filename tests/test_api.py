from __future__ import annotations

from conftest import CORPUS

import extractor


def test_extract_from_bytes_and_path_agree() -> None:
    path = CORPUS / "text_tab_2021" / "document.txt"
    a = extractor.extract(path)
    b = extractor.extract(path.read_bytes(), kind="text")
    assert [(c.key, c.value) for c in a.cells] == [(c.key, c.value) for c in b.cells]


def test_report_fields() -> None:
    report = extractor.extract(CORPUS / "html_gbk_declared" / "document.html")
    assert (report.status, report.template, report.agency, report.year) == ("ok", "2021", "某市生态环境局", 2023)
    assert report.sha256 and dict(report.timings).keys() >= {"load", "detect", "map", "validate"}
    cell = report.cell("t3", "new", "total")
    assert cell is not None and cell.provenance.path and cell.raw


def test_to_frame_is_canonical_long_format_and_typed() -> None:
    from decimal import Decimal

    frame = extractor.extract(CORPUS / "html_blanks" / "document.html").to_frame()
    assert list(frame.columns[:8]) == ["doc_id", "template", "table", "row", "col", "value", "value_text", "raw"]
    assert len(frame) == 200
    blanks = frame[frame["value"].isna()]
    assert len(blanks) > 0 and (blanks["raw"].isin(["", "—", "-", "/"])).all()
    numbers = frame["value"].dropna()
    assert all(isinstance(v, Decimal) for v in numbers) and str(frame["confidence"].dtype).startswith("double")


def test_cell_with_an_unknown_code_names_the_valid_ones() -> None:
    import pytest

    report = extractor.extract(CORPUS / "html_2021_basic" / "document.html")
    with pytest.raises(KeyError, match="its columns are natural, commercial"):
        report.cell("t3", "new", "totals")
    with pytest.raises(KeyError, match="its rows are new, carried"):
        report.cell("t3", "news", "total")
    assert len(extractor.codes("2021")) == len([c for c in extractor.codes() if c.template == "2021"]) > 190


def test_extract_many_in_parallel() -> None:
    paths = [CORPUS / name / "document.html" for name in ("html_2021_basic", "html_2019_basic", "html_traditional")]
    reports = list(extractor.extract_many(paths, jobs=2))
    assert sorted(r.doc_id for r in reports) == sorted(str(p) for p in paths)
    assert all(r.status == "ok" for r in reports)


def test_settings_are_validated() -> None:
    import pytest

    with pytest.raises(ValueError):
        extractor.Settings(max_seconds=0)
    with pytest.raises(ValueError):
        extractor.extract(b"x", settings={"no_such": 1})
