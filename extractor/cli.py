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
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--codes", is_flag=True, help="Show the canonical codes (what report.cell() takes) beside labels.")
@click.option("--kind", type=KIND, default=None, help="Input kind; sniffed from the bytes by default.")
@click.option("--debug", "debug_dir", type=click.Path(file_okay=False), default=None,
              help="Write a PNG per PDF page with the detected grid and cell codes into this folder.")
def extract(file: str, as_json: bool, codes: bool, kind: str | None, debug_dir: str | None) -> None:
    """Extract one report (a file or an http(s) URL) and print its three tables with the findings marked."""
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
        click.echo(render(report, codes=codes))
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
@click.option("--out", "out_dir", required=True,
              help="Output folder, or an fsspec URL (s3://bucket/run ...) to copy the outputs to.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=1, show_default=True, help="Worker processes.")
@click.option("--force", is_flag=True, help="Start the output afresh instead of skipping inputs already in it.")
@click.option("--kind", type=KIND, default=None, help="Force the input kind for every file.")
@click.option("--timeout", type=click.FloatRange(min=1), default=Settings.max_seconds, show_default=True,
              help="Seconds allowed per document before it is failed.")
@click.option("--xlsx", type=click.Path(dir_okay=False), default=None, help="Also write an Excel workbook here.")
@click.option("--duckdb", "duckdb_path", type=click.Path(dir_okay=False), default=None,
              help="Also write a DuckDB database here (tables cells, documents, checks; view wide).")
@click.option("--review", is_flag=True, help="Also write the review site (OUT/review/index.html).")
@click.option("--dask", "dask_spec", default=None, metavar="SCHEDULER",
              help="Run on a Dask cluster: a scheduler address (tcp://host:8786) or local[:N] for N local workers.")
@click.option("--allow-private-urls", is_flag=True,
              help="Fetch URLs that resolve to loopback or private addresses (refused by default).")
@click.option("--quiet", is_flag=True, help="No progress output.")
def batch(inputs: tuple[str, ...], out_dir: str, jobs: int, force: bool, kind: str | None, timeout: float,
          xlsx: str | None, duckdb_path: str | None, review: bool, dask_spec: str | None, allow_private_urls: bool,
          quiet: bool) -> None:
    """Extract INPUTS (files, folders searched recursively, @manifest files, URLs) into --out: cells.csv,
    documents.csv, checks.csv and wide.csv (one row per report), their Parquet twins, and reports.jsonl.

    A re-run skips documents whose file is unchanged and replaces the rows of those that changed or failed.
    Exit status: 0 when every input was read, 3 when some input failed (its row in documents.csv says
    why), 1 when the batch could not run, 130 when interrupted (run it again to resume)."""
    from extractor.batch import run_batch
    from extractor.export import OutputLocked

    progress = None if quiet else _Progress()
    try:
        settings = Settings(max_seconds=timeout, allow_private_urls=allow_private_urls)
        summary = run_batch(list(inputs), out_dir, jobs, settings, kind=kind,
                            force=force, progress=progress, xlsx=Path(xlsx) if xlsx else None,
                            duckdb=Path(duckdb_path) if duckdb_path else None, review=review, dask=dask_spec)
    except OutputLocked as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot read inputs: {exc}") from None
    counts = summary.counts
    text = ", ".join(f"{counts[k]} {k}" for k in ("ok", "flagged", "failed", "skipped") if counts[k])
    click.echo(f"{summary.inputs} input(s): {text or 'nothing to do'} in {summary.seconds:.1f} s -> {out_dir}")
    for doc_id in summary.flagged[:10]:
        click.echo(f"  flagged  {doc_id}")
    for doc_id, error in summary.failed[:10]:
        click.echo(f"  failed   {doc_id}: {error}")
    if summary.review:
        click.echo(f"review: {summary.review}")
    for address, n in sorted(summary.workers.items()):
        busy = summary.busy.get(address, 0.0)
        click.echo(f"  worker {address}: {n} document(s), {n / busy if busy else 0:.2f} doc/s while busy")
    more = len(summary.flagged) + len(summary.failed) - min(len(summary.flagged), 10) - min(len(summary.failed), 10)
    if more > 0:
        click.echo(f"  ... and {more} more in {out_dir}/documents.csv")
    sys.exit(130 if summary.interrupted else 3 if counts["failed"] else 0)


class _Progress:
    """A bar on a terminal; otherwise a line every 25 documents or 10 seconds."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.done = 0

    def __call__(self, summary: Any, total: int, report: Any) -> None:
        if report is None:
            if summary.counts["skipped"]:
                click.echo(f"{summary.counts['skipped']} document(s) already in the output, skipped", err=True)
            self.start = time.perf_counter()
            return
        self.done += 1
        now = time.perf_counter()
        if self.tty:
            click.echo(f"\r{self.done}/{total} extracted ({summary.counts['flagged']} flagged, "
                       f"{summary.counts['failed']} failed)", err=True, nl=self.done == total)
        elif self.done == total or self.done % 25 == 0 or now - self.last > 10:
            rate = self.done / max(now - self.start, 1e-6)
            click.echo(f"{self.done}/{total} extracted, {summary.counts['flagged']} flagged, "
                       f"{summary.counts['failed']} failed, {rate:.1f} doc/s", err=True)
            self.last = now


@main.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False))
def review(out_dir: str) -> None:
    """Write the review site of a batch output folder (OUT_DIR/review/index.html): every document with its
    tables beside the source region they came from, flagged documents first."""
    from extractor.compare import compare
    from extractor.export import BatchWriter, OutputLocked
    from extractor.export.compare import write_compare
    from extractor.export.review import write_review
    from extractor.validate.cross_year import CrossYear

    try:
        with BatchWriter(Path(out_dir), extra_checks=CrossYear) as writer:
            write_compare(Path(out_dir), compare(writer.reports()))
            index = write_review(Path(out_dir), list(writer.reports()), writer.sources())
    except OutputLocked as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"review: {index}")


@main.command(name="compare")
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False))
def compare_command(out_dir: str) -> None:
    """Compare each agency's reports of consecutive years in a batch output folder: OUT_DIR/compare/ gets the
    values by year, the changes, the cross-year checks and a chart per agency (compare/index.html)."""
    from extractor.compare import compare
    from extractor.export import BatchWriter, OutputLocked
    from extractor.export.compare import write_compare

    try:
        with BatchWriter(Path(out_dir)) as writer:
            groups = compare(writer.reports())
    except OutputLocked as exc:
        raise click.ClickException(str(exc)) from None
    index = write_compare(Path(out_dir), groups)
    for group in groups:
        years = sorted(group.values)
        click.echo(f"{group.agency}: {years[0]}–{years[-1]}, {len(group.changes())} changed values, "
                   f"{len(group.findings)} cross-year finding(s)")
        for doc_id, f in group.findings:
            click.echo(f"  [{f.severity}] {f.check} {doc_id} {f.table}/{f.row}/{f.col}: {f.message}")
    click.echo(f"compare: {index}")


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
    from extractor.evaluation import discover, score
    from extractor.inputs import Job
    from extractor.pool import run_many

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
