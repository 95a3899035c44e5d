"""Zip archives of reports: each member is a document of its own, expanded within bounds.

Member names without the zip UTF-8 flag are decoded as GB18030 when that reads (Chinese Windows writes
them so); directories, macOS resource forks and hidden files are skipped; nested archives are listed but
not expanded.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from extractor.errors import CorruptInput, InputTooLarge
from extractor.settings import Settings

_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes


def _name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _skipped(name: str) -> bool:
    parts = name.split("/")
    return name.endswith("/") or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts if p)


def members(data: bytes, settings: Settings) -> list[Member]:
    """The archive's documents, refused as a whole when it would inflate past the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not _skipped(_name(i))]
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptInput(f"unreadable zip archive: {exc}") from None
    if len(infos) > settings.max_archive_members:
        raise InputTooLarge(f"zip archive of {len(infos)} files, over the {settings.max_archive_members}-file limit")
    declared = sum(i.file_size for i in infos)
    if declared > settings.max_unzipped_bytes:
        raise InputTooLarge(f"zip archive inflates to {declared} bytes, over the {settings.max_unzipped_bytes} limit")
    out: list[Member] = []
    total = 0
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > settings.max_zip_ratio:
            raise InputTooLarge(f"zip member {_name(info)!r} inflates {ratio:.0f}x: refused as a zip bomb")
        try:
            with archive.open(info) as handle:
                # Read at most what the header declares (+1 to catch a lying header).
                body = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
            raise CorruptInput(f"zip member {_name(info)!r} unreadable: {exc}") from None
        total += len(body)
        if len(body) > info.file_size or total > settings.max_unzipped_bytes:
            raise InputTooLarge("zip archive inflates past its declared sizes or the limit")
        out.append(Member(_name(info), body))
    return out
