"""Reading an input file within bounds: regular files only, never more than the byte limit."""

from __future__ import annotations

import stat
from pathlib import Path

from extractor.errors import InputTooLarge, UnsupportedInput
from extractor.settings import Settings


def read_source(path: Path, settings: Settings) -> bytes:
    """The file's bytes. A FIFO, a device (/dev/zero) or a socket is refused before it is opened, and a
    file is read up to the limit and no further, whatever its size claims."""
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        what = "a pipe" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) \
            else "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise UnsupportedInput(f"{path.name} is {what}: only regular files are read")
    with path.open("rb") as handle:
        data = handle.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise InputTooLarge(f"over the {settings.max_bytes}-byte limit")
    return data


def read_remote(url: str, settings: Settings) -> bytes:
    """A file anywhere fsspec reaches (s3://, gs://, memory://, ...), read up to the limit and no further."""
    import fsspec

    with fsspec.open(url, "rb") as handle:
        data = handle.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise InputTooLarge(f"over the {settings.max_bytes}-byte limit")
    return bytes(data)
