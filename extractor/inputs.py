"""What a batch reads: files, folders, manifests and URLs turned into jobs with unique doc_ids."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_log = logging.getLogger(__name__)

# Files of a folder that are read: every document type the loaders know, and files without an extension.
# Other files (metadata .json, .csv sidecars, scripts) are skipped and counted; a file named on the command
# line is always read and, if it is not a report, fails with a row saying what it is.
SCAN_SUFFIXES = frozenset({
    ".pdf", ".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml", ".docx", ".doc", ".wps", ".rtf", ".odt",
    ".txt", ".text", ".md", ".markdown", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp",
    ".xlsx", ".xlsm", ".xls", ".et", ".ods", ".zip", "",
})
MANIFEST_SUFFIXES = frozenset({".manifest", ".lst", ".list"})


@dataclass(frozen=True)
class Job:
    source: str | bytes
    doc_id: str
    error: str = ""  # set when the input cannot even be handed to a worker: its row says why
    kind: str | None = None  # the input kind, when the caller knows it


@dataclass
class Expanded:
    jobs: list[Job]
    skipped: list[str]  # folder files of other types, not read


def _folder_jobs(root: Path, prefix: str, out: Expanded) -> None:
    """Every document file under root (doc_id: prefix + path relative to root). Symlinks are followed only
    inside the root; FIFOs, devices and links out of the folder get a failed row, never a read."""
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            rel = prefix + path.relative_to(root).as_posix()
            if name.startswith("."):
                continue
            if path.suffix.lower() not in SCAN_SUFFIXES:
                out.skipped.append(rel)
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(real_root):
                    out.jobs.append(Job(str(path), rel, "symbolic link out of the input folder: not followed"))
                    continue
            mode = path.stat().st_mode if path.exists() else 0
            if not stat.S_ISREG(mode):
                out.jobs.append(Job(str(path), rel, "not a regular file (a pipe, device or broken link): not read"))
                continue
            out.jobs.append(Job(str(path), rel))


def _remote_jobs(url: str, out: Expanded) -> None:
    """A file, folder or glob anywhere fsspec reaches (s3://, gs://, memory://, ...): its files as jobs, doc_id
    relative to the folder (or the glob's fixed part), read by the worker itself."""
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    protocol = url.split("://", 1)[0]
    if fs.isdir(path):
        root, found = path.rstrip("/"), sorted(fs.find(path))
    else:
        found = sorted(fs.glob(path)) if any(ch in path for ch in "*?[") else [path]
        root = path.split("*", 1)[0].rsplit("/", 1)[0] if any(ch in path for ch in "*?[") else ""
    for name in found:
        rel = name[len(root):].lstrip("/") if root and name.startswith(root) else name
        if Path(name).suffix.lower() not in SCAN_SUFFIXES:
            out.skipped.append(rel)
            continue
        out.jobs.append(Job(f"{protocol}://{name}", rel if root else url))


def expand_inputs(inputs: Sequence[str]) -> list[Job]:
    return expand(inputs).jobs


def expand(inputs: Sequence[str]) -> Expanded:
    """Files as given, folders searched recursively (doc_id relative to the folder, prefixed with the folder's
    name when several folders are given, so that doc_ids stay unique), manifests (@list or *.manifest / *.lst:
    one path per line, relative to the manifest), URLs as given."""
    out = Expanded([], [])
    folders = [i for i in inputs if not i.startswith(("http://", "https://", "@")) and Path(i).is_dir()]
    names: dict[str, int] = {}
    for item in inputs:
        if item.startswith(("http://", "https://")):
            out.jobs.append(Job(item, item))
            continue
        if item.startswith("file://"):
            item = item[len("file://"):]
        elif "://" in item:
            _remote_jobs(item, out)
            continue
        path = Path(item[1:] if item.startswith("@") else item)
        if item.startswith("@") or path.suffix.lower() in MANIFEST_SUFFIXES:
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    target = line if line.startswith(("http://", "https://")) or Path(line).is_absolute() \
                        else str(path.parent / line)
                    out.jobs.append(Job(target, line))
        elif path.is_dir():
            prefix = ""
            if len(folders) > 1:
                name = path.resolve().name or "root"
                names[name] = names.get(name, 0) + 1
                prefix = f"{name}/" if names[name] == 1 else f"{name}~{names[name]}/"
            _folder_jobs(path, prefix, out)
        elif path.exists() and not path.is_file():
            out.jobs.append(Job(str(path), item, "not a regular file (a pipe or device): not read"))
        else:
            out.jobs.append(Job(str(path), item))
    return out


