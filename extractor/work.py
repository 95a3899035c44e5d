"""One document's work in progress: what each stage of the pipeline reads and leaves for the next."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.detect import Region
from extractor.detect.prose import Claim
from extractor.map import Mapping
from extractor.model import Finding, LabeledTable, LogicalRow, SourceDoc
from extractor.settings import Settings
from extractor.sources import RawInput


@dataclass
class Work:
    raw: RawInput
    settings: Settings
    kind: str | None
    doc: SourceDoc | None = None
    regions: list[Region] = field(default_factory=list)
    rows: list[tuple[str, list[LogicalRow]]] = field(default_factory=list)
    tables: list[LabeledTable] = field(default_factory=list)
    prose: str = ""
    claims: list[tuple[Claim, int, str]] = field(default_factory=list)
    agency: str = ""
    year: int | None = None
    template: str = ""
    mapping: Mapping | None = None
    findings: list[Finding] = field(default_factory=list)
