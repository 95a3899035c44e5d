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
    max_docx_xml_bytes: int = 40 * 1024 * 1024  # word/document.xml inflated: lxml needs ~15x that in memory
    max_image_pixels: int = 60_000_000  # one image frame (a 600-dpi A3 page)
    max_image_frames: int = 30
    max_document_pixels: int = 300_000_000  # all image frames of one document
    max_fields_per_line: int = 5_000  # a text line with more fields is cut there (a 表三 row has ten)
    max_grid_lines: int = 400  # ruling lines per direction on a page; more is a drawing, not a report table
    max_fetch_seconds: float = 60.0  # a whole URL fetch, redirects included
    allow_private_urls: bool = True  # False: refuse URLs resolving to loopback, private or link-local addresses
    # The library API runs each document in a bounded worker process (time and memory as the batch);
    # False runs it in the calling process, unbounded (benchmarks, callers that isolate themselves).
    isolate: bool = True
    ocr_threads: int = 0  # recognition threads per worker; 0: the cores this process may use / workers
    # Born-digital PDF tables left with errors are read again by pdfplumber and camelot (pages of those
    # tables only, at most this many); False keeps the primary reading alone.
    second_opinion: bool = True
    second_opinion_max_pages: int = 12

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("bool", bool):
                if not isinstance(value, bool):
                    raise ValueError(f"setting {f.name} must be True or False, got {value!r}")
                continue
            if f.name == "ocr_threads" and value == 0:
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
