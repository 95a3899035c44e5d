"""Command line: a thin layer over the public API. Library errors become clean one-line CLI errors."""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import click

import extractor
from extractor.settings import Settings

KIND = click.Choice(["pdf", "html", "docx", "doc", "text", "image"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(extractor.__version__, prog_name="extractor")
def main() -> None:
    """Recover 表二/表三/表四 of 政府信息公开工作年度报告 as canonical cells, every number right or flagged."""


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--kind", type=KIND, default=None, help="Input kind; sniffed from the bytes by default.")
@click.option("--debug", "debug_dir", type=click.Path(file_okay=False), default=None,
              help="Write a PNG per PDF page with the detected grid and cell codes into this folder.")
def extract(file: str, as_json: bool, kind: str | None, debug_dir: str | None) -> None:
    """Extract one report and print its three tables with the findings marked."""
    from extractor.export.records import report_json
    from extractor.export.terminal import render

    report = extractor.extract(file, kind=kind)
    if debug_dir:
        from extractor.debug import write_debug_pages

        written = write_debug_pages(file, report, Path(debug_dir))
        click.echo(f"debug: {written} page image(s) in {debug_dir}", err=True)
    if as_json:
        click.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        click.echo(render(report))
    sys.exit(1 if report.status == "failed" else 0)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=KIND, default=None, help="Input kind; sniffed from the bytes by default.")
@click.option("--stage", "stages", multiple=True, help="Only these stages (load, detect, cells, layout, map, "
              "reconcile, validate); repeatable.")
def trace(file: str, kind: str | None, stages: tuple[str, ...]) -> None:
    """Print what each pipeline stage produced for FILE, as JSON: the blocks read, the sections found, the
    grid rows, the labelled tables, the row codes, and the findings."""
    from extractor.pipeline import trace as run_trace
    from extractor.sources import RawInput

    path = Path(file)
    out = run_trace(RawInput(path.read_bytes(), path.name), kind, Settings())
    if stages:
        out = {k: v for k, v in out.items() if k in stages}
    click.echo(json.dumps(out, ensure_ascii=False, indent=1))


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Output folder.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=1, show_default=True, help="Worker processes.")
@click.option("--force", is_flag=True, help="Start the output afresh instead of skipping inputs already in it.")
@click.option("--kind", type=KIND, default=None, help="Force the input kind for every file.")
@click.option("--timeout", type=click.FloatRange(min=1), default=Settings.max_seconds, show_default=True,
              help="Seconds allowed per document before it is failed.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def batch(inputs: tuple[str, ...], out_dir: str, jobs: int, force: bool, kind: str | None, timeout: float,
          quiet: bool) -> None:
    """Extract INPUTS (files, folders searched recursively, @manifest files, URLs) into --out as
    cells.csv, documents.csv, checks.csv, Parquet copies and reports.jsonl."""
    import hashlib

    from extractor.batch import Job, expand, run_many
    from extractor.export import BatchWriter

    try:
        expanded = expand(list(inputs))
    except OSError as exc:
        raise click.ClickException(f"cannot read inputs: {exc}") from None
    all_jobs = expanded.jobs
    if expanded.skipped:
        kinds: dict[str, int] = defaultdict(int)
        for name in expanded.skipped:
            kinds[Path(name).suffix.lower() or "(none)"] += 1
        click.echo(f"{len(expanded.skipped)} file(s) in the folders skipped, not a document type: "
                   + ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items())), err=True)
    settings = Settings(max_seconds=timeout)
    started = time.perf_counter()
    counts: dict[str, int] = defaultdict(int)
    with BatchWriter(Path(out_dir), force=force) as writer:
        done = set() if force else writer.done_hashes()
        todo: list[Job] = []
        for job in all_jobs:
            path = Path(str(job.source))
            if done and not job.error and path.is_file():
                if hashlib.sha256(path.read_bytes()).hexdigest() in done:
                    counts["skipped"] += 1
                    continue
            todo.append(job)
        reports = run_many(todo, jobs=jobs, kind=kind, settings=settings)
        with click.progressbar(reports, length=len(todo), label="extracting", file=sys.stderr,
                               hidden=quiet or not todo) as bar:
            for report in bar:
                writer.write(report)
                counts[report.status] += 1
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{counts[k]} {k}" for k in ("ok", "flagged", "failed", "skipped") if counts[k])
    click.echo(f"{len(all_jobs)} input(s): {summary or 'nothing to do'} in {elapsed:.1f} s -> {out_dir}")


@main.command(name="eval")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="List every wrong or missing cell.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=2, show_default=True, help="Worker processes.")
def evaluate(corpora: tuple[str, ...], as_json: bool, verbose: bool, jobs: int) -> None:
    """Score extraction against truth (corpus folders with truth.csv, real reports with truth.json): one
    line per source file as it finishes, then accuracy per kind.

    Exits 1 when a document has a wrong cell but is not flagged (a silently wrong number), 2 when the
    folders hold no case at all."""
    from extractor.batch import Job, run_many
    from extractor.evaluation import discover, score

    cases = {}
    for corpus in corpora:
        for case in discover(Path(corpus)):
            cases[str(case.document)] = case
    if not cases:
        raise click.ClickException(
            f"no case found in {', '.join(corpora)}: a case is a folder with truth.json (listing its files) "
            "or truth.csv beside its documents")
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # right, total, docs, flagged, silent
    details: list[dict[str, Any]] = []
    todo = [Job(path, path) for path in cases]
    for report in run_many(todo, jobs=jobs, kind=None, settings=Settings()):
        case = cases[report.doc_id]
        s = score(report, case)
        kind = report.source_kind or str(case.meta.get("source_kind", "?"))
        silent = bool(s.wrong) and report.status == "ok"
        stats = per_kind[kind]
        stats[0] += s.right
        stats[1] += s.total
        stats[2] += 1
        stats[3] += report.status != "ok"
        stats[4] += silent
        d = {"document": str(case.document), "kind": kind, "status": report.status, "right": s.right,
             "total": s.total, "wrong": [list(w) for w in s.wrong], "missing": ["/".join(m) for m in s.missing],
             "findings_missed": s.findings_missed, "error": report.error,
             "errors": [f"{f.check} {f.table}/{f.row}/{f.col}: {f.message}" for f in report.findings
                        if f.severity == "error"]}
        details.append(d)
        if not as_json:
            _echo_case(d, verbose)
    if as_json:
        click.echo(json.dumps({"documents": details, "per_kind": per_kind}, ensure_ascii=False, indent=2))
    else:
        click.echo("")
        click.echo(f"{'kind':12s} {'docs':>5s} {'cells':>7s} {'accuracy':>9s} {'flagged':>8s} {'silent':>7s}")
        for kind, (right, total, docs, n_flagged, n_silent) in sorted(per_kind.items()):
            acc = right / total if total else 1.0
            click.echo(f"{kind:12s} {docs:5d} {total:7d} {acc:9.2%} {n_flagged:8d} {n_silent:7d}")
    if any(stats[4] for stats in per_kind.values()):
        sys.exit(1)


def _echo_case(d: dict[str, Any], verbose: bool) -> None:
    mark = "OK " if d["right"] == d["total"] and not d["findings_missed"] else "!! "
    click.echo(f"{mark}{d['document']}: {d['right']}/{d['total']} cells, status {d['status']}"
               + (f", {len(d['wrong'])} wrong" if d["wrong"] else "")
               + (f", {len(d['missing'])} missing" if d["missing"] else "")
               + (f", findings missed {d['findings_missed']}" if d["findings_missed"] else "")
               + (f" ({d['error']})" if d["error"] else ""))
    if verbose:
        for w in d["wrong"]:
            click.echo(f"     wrong {'/'.join(w[0])}: got {w[1]!r}, truth {w[2]!r}")
        if d["missing"]:
            click.echo(f"     missing {', '.join(d['missing'][:40])}{' ...' if len(d['missing']) > 40 else ''}")
        for e in d["errors"][:20]:
            click.echo(f"     finding {e}")
