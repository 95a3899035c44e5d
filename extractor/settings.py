"""Frozen, validated settings. `resolve` accepts None, a dict of overrides or a Settings."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Settings:
    # Hostile-input bounds, per document.
    max_bytes: int = 200 * 1024 * 1024
    max_seconds: float = 120.0
    max_memory_mb: int = 4096
    max_table_rows: int = 2000
    max_table_cells: int = 100_000
    max_pages: int = 400
    max_ocr_pages: int = 30
    max_unzipped_bytes: int = 300 * 1024 * 1024
    max_zip_ratio: float = 200.0
    max_archive_members: int = 500
    # The library API runs each document in a bounded worker process (time and memory as the batch);
    # False runs it in the calling process, unbounded (benchmarks, callers that isolate themselves).
    isolate: bool = True

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("bool", bool):
                if not isinstance(value, bool):
                    raise ValueError(f"setting {f.name} must be True or False, got {value!r}")
                continue
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"setting {f.name} must be a positive number, got {value!r}")


def resolve(settings: Settings | dict[str, Any] | None) -> Settings:
    if settings is None:
        return Settings()
    if isinstance(settings, Settings):
        return settings
    if isinstance(settings, dict):
        known = {f.name for f in fields(Settings)}
        unknown = set(settings) - known
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        return replace(Settings(), **settings)
    raise TypeError(f"settings must be None, a dict or Settings, not {type(settings).__name__}")
