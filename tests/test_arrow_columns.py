"""Arrow columns built from their buffers (extractor.export.arrow): the same arrays pa.array would give,
nulls kept, no pandas import, and values the type cannot hold refused."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pyarrow as pa
import pytest

from extractor.export.arrow import column

CASES = [
    (["a", None, "中文", ""], pa.string()),
    ([1, None, -3, 2**31 - 1], pa.int32()),
    ([0.5, None, -1e300], pa.float64()),
    ([Decimal("443.93"), None, Decimal("-1"), 5, Decimal("12345678901234567890.0123456789")], pa.decimal128(38, 10)),
    ([], pa.string()),
    ([None, None], pa.decimal128(38, 10)),
]


@pytest.mark.parametrize(("values", "kind"), CASES)
def test_column_equals_pa_array(values: list[object], kind: pa.DataType) -> None:
    built = column(values, kind)
    built.validate(full=True)
    assert built.equals(pa.array(values, type=kind))


@pytest.mark.parametrize(("values", "kind"), [([Decimal("1.00000000001")], pa.decimal128(38, 10)),
                                              ([2**40], pa.int32()), ([Decimal(10) ** 30], pa.decimal128(38, 10)),
                                              ([Decimal("NaN")], pa.decimal128(38, 10))])
def test_column_refuses_values_the_type_cannot_hold(values: list[object], kind: pa.DataType) -> None:
    with pytest.raises(ValueError):
        column(values, kind)


def test_batch_tables_do_not_import_pandas() -> None:
    """Regression: pa.array imported pandas, half a second of every batch run."""
    code = ("import sys, pyarrow as pa; from extractor.export.arrow import column; "
            "column(['x', None], pa.string()); column([1], pa.int32()); print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
