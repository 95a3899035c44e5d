"""pandas views of reports (pandas is imported only here, at the export edge)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from extractor.export.records import CELL_COLUMNS, cell_record
from extractor.model import Report


def cells_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """Canonical long format: one row per cell; `number` is the value as a float (NaN when blank)."""
    rows = [cell_record(r.doc_id, c) for r in reports for c in r.cells]
    frame = pd.DataFrame(rows, columns=CELL_COLUMNS)
    numeric = pd.to_numeric(frame["value"].where(frame["value"] != ""), errors="coerce")
    frame.insert(CELL_COLUMNS.index("value") + 1, "number", numeric)
    return frame
