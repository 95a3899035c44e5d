"""What analysts get (issue 11): typed Parquet / JSON / DuckDB / Excel that read back, the wide table, and the
year-over-year comparison of the three 平潭 reports."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import CORPUS, REALDATA

from extractor.cli import main


def _batch(tmp_path: Path, names: list[str], *extra: str) -> Path:
    inputs = tmp_path / "in"
    for name in names:
        shutil.copytree(CORPUS / name, inputs / name)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet", *extra])
    assert result.exit_code == 0, result.output
    return out


def test_outputs_are_typed_and_read_back(tmp_path: Path) -> None:
    out = _batch(tmp_path, ["html_2021_basic", "html_blanks_slash_2019"], "--xlsx", str(tmp_path / "r.xlsx"),
                 "--duckdb", str(tmp_path / "r.duckdb"))
    cells = pq.read_table(out / "cells.parquet")
    assert str(cells.schema.field("value").type).startswith("decimal128")
    assert str(cells.schema.field("confidence").type) == "double"
    docs = pq.read_table(out / "documents.parquet").to_pylist()
    assert {d["year"] for d in docs} == {2023, 2020} and all(isinstance(d["checks_failed"], int) for d in docs)
    wide = pq.read_table(out / "wide.parquet").to_pylist()
    assert len(wide) == 2 and any(isinstance(r["t3.new.total"], Decimal) for r in wide)
    line = json.loads((out / "reports.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert isinstance(line["cells"][0]["confidence"], float) and isinstance(line["year"], int)
    assert any(isinstance(c["value"], int) for c in line["cells"])
    import duckdb

    con = duckdb.connect(str(tmp_path / "r.duckdb"), read_only=True)
    assert con.execute("select count(*) from documents").fetchone() == (2,)
    assert con.execute("select count(*) from wide").fetchone() == (2,)
    query = 'select sum(value) from cells where "table" = \'t3\' and "row" = \'new\' and col = \'total\''
    total = con.execute(query).fetchone()
    assert total is not None and total[0] > 0
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert set(book.sheetnames) == {"cells", "documents", "checks", "wide"}
    assert (out / "wide.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    assert not (out / "cells.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.skipif(not (REALDATA / "fj_pingtan_2021").exists(), reason=f"{REALDATA} is absent")
def test_compare_pingtan_three_years(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for year in (2021, 2022, 2023):
        shutil.copy(REALDATA / f"fj_pingtan_{year}" / "source.html", inputs / f"pingtan_{year}.html")
    out = tmp_path / "out"
    CliRunner().invoke(main, ["batch", str(inputs), "--out", str(out), "--quiet"])
    result = CliRunner().invoke(main, ["compare", str(out)])
    assert "平潭综合实验区: 2021–2023" in result.output
    assert "in_force_roll_forward pingtan_2023.html t2/normative/in_force" in result.output
    charts = list((out / "compare").glob("agency*.png"))
    assert len(charts) == 1 and charts[0].stat().st_size > 2000
    changes = (out / "compare" / "changes.csv").read_text(encoding="utf-8")
    assert "t3.new.total,2021,70,2022,74,4" in changes


def test_tables_written_as_the_batch_goes_equal_tables_rebuilt_from_the_journal(tmp_path: Path) -> None:
    """A fresh batch writes its tables from its journal lines as it goes; a rebuild reads the journal back:
    both must give the same bytes (rounded boxes and confidences, cross-year findings, the wide table)."""
    from extractor.export import MARKER, TABLE_FILES, BatchWriter
    from extractor.validate.cross_year import CrossYear

    out = _batch(tmp_path, ["pdf_lo_2021", "html_source_errors", "html_blanks_slash_2019"])
    live = {name: (out / name).read_bytes() for name in TABLE_FILES}
    (out / MARKER).unlink()
    with BatchWriter(out, extra_checks=CrossYear) as writer:
        assert writer._live is None  # the journal is not empty: the tables are rebuilt on close
    for name in TABLE_FILES:
        if name.endswith(".csv"):
            assert (out / name).read_bytes() == live[name], name
        else:
            import io

            before = pq.read_table(io.BytesIO(live[name]))
            assert pq.read_table(out / name).equals(before), name
    assert not list(out.glob("*.tmp"))
