"""Word .doc / .wps / .rtf through LibreOffice (`soffice --headless --convert-to docx`), then the docx loader."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from extractor.errors import CorruptInput, UnsupportedInput
from extractor.model import SourceDoc
from extractor.settings import Settings
from extractor.sources.base import RawInput
from extractor.sources.docx import load_docx


def load_office(raw: RawInput, settings: Settings) -> SourceDoc:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnsupportedInput(
            "Word .doc/.wps/.rtf needs LibreOffice: apt-get install libreoffice-writer-nogui"
        )
    suffix = Path(raw.name).suffix.lower() if Path(raw.name).suffix else ".doc"
    with tempfile.TemporaryDirectory(prefix="extractor-office-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(raw.data)
        try:
            subprocess.run(
                [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                 "--convert-to", "docx", "--outdir", tmp, str(source)],
                capture_output=True, timeout=max(30.0, settings.max_seconds / 2), check=False,
            )
        except subprocess.TimeoutExpired:
            raise CorruptInput("LibreOffice did not convert the file in time") from None
        # soffice exits 0 even when it fails: the output file is the only proof.
        converted = Path(tmp) / "input.docx"
        if not converted.exists():
            raise CorruptInput("LibreOffice could not convert the file (corrupt or not a Word document)")
        doc = load_docx(RawInput(converted.read_bytes(), "input.docx"), settings)
    return replace(doc, kind="doc")
