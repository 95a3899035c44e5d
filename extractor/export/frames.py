"""pandas views of reports (pandas is imported only here, at the export edge)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pyarrow as pa

from extractor.export.tables import CELLS_SCHEMA, DOCUMENTS_SCHEMA, cell_rows, document_row
from extractor.model import Report


def cells_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """Canonical long format, one row per cell, typed as the Parquet output (Arrow-backed columns: `value`
    is an exact decimal, null when the source cell is blank)."""
    rows = [row for r in reports for row in cell_rows(r)]
    return pa.Table.from_pylist(rows, schema=CELLS_SCHEMA).to_pandas(types_mapper=pd.ArrowDtype)


def documents_frame(reports: Iterable[Report]) -> pd.DataFrame:
    rows = [document_row(r) for r in reports]
    return pa.Table.from_pylist(rows, schema=DOCUMENTS_SCHEMA).to_pandas(types_mapper=pd.ArrowDtype)
