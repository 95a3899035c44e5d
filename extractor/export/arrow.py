"""Arrow arrays from Python columns without pa.array: pyarrow's converter imports pandas on its first call
(half a second of every batch), and the JSON reader costs twice the time per row. The four types of the
output schemas are built from their buffers: validity bitmap, then offsets and bytes (strings) or values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa


def column(values: list[Any], kind: pa.DataType) -> pa.Array:
    """One typed array; None is null. Raises ValueError for a value the type cannot hold exactly."""
    n = len(values)
    present = np.fromiter((v is not None for v in values), dtype=bool, count=n)
    validity = pa.py_buffer(np.packbits(present, bitorder="little"))
    if pa.types.is_string(kind):
        encoded = [v.encode("utf-8") if v is not None else b"" for v in values]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=n), out=offsets[1:])
        if offsets[-1] >= 2**31:
            raise ValueError("string column over 2 GiB in one row group")
        return pa.Array.from_buffers(kind, n, [validity, pa.py_buffer(offsets.astype(np.int32)),
                                               pa.py_buffer(b"".join(encoded))])
    if pa.types.is_decimal(kind):
        data = b"".join(_decimal_bytes(v, kind.scale, kind.precision) for v in values)
        return pa.Array.from_buffers(kind, n, [validity, pa.py_buffer(data)])
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        dtype = _NUMPY[kind]
        try:
            filled = np.array([v if v is not None else 0 for v in values], dtype=dtype)
        except OverflowError as exc:
            raise ValueError(f"out of range for {kind}: {exc}") from None
        return pa.Array.from_buffers(kind, n, [validity, pa.py_buffer(filled)])
    raise TypeError(f"no column builder for {kind}")


_NUMPY = {pa.int32(): np.int32, pa.int64(): np.int64, pa.float32(): np.float32, pa.float64(): np.float64}


def _decimal_bytes(value: Any, scale: int, precision: int) -> bytes:
    if value is None:
        return bytes(16)
    # Exact integer arithmetic on the digits: Decimal arithmetic would round at the context's 28 digits.
    sign, digits, exponent = Decimal(value).as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"{value} is not a finite number")
    units = int("".join(map(str, digits)) or "0")
    shift = exponent + scale
    if shift >= 0:
        units *= 10**shift
    elif units % 10**-shift:
        raise ValueError(f"{value} has more than {scale} decimal places")
    else:
        units //= 10**-shift
    units = -units if sign else units
    if abs(units) >= 10**precision:
        raise ValueError(f"{value} does not fit decimal({precision}, {scale})")
    return units.to_bytes(16, "little", signed=True)
