"""What every loader shares: the input as bytes plus a name, and the loader signature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extractor.model import SourceDoc
from extractor.settings import Settings


@dataclass(frozen=True)
class RawInput:
    data: bytes
    name: str  # file name or "<bytes>"; used for the kind sniffing only, never re-opened


Loader = Callable[[RawInput, Settings], SourceDoc]
