"""Command line: ``dotterel code``, ``dotterel demo``, ``dotterel eval``.

Thin over the library: reading goes through ``dotterel.ingest``, coding through ``dotterel.Coder``. Records go
to standard output (or ``-o``), problems and the summary to standard error; the exit code is 1 when any input
failed.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import IO

import click

from dotterel import __version__
from dotterel.records import Article, InputError


def _examples_dir() -> Path:
    return Path(str(resources.files("dotterel") / "data" / "examples"))


class _Tally:
    def __init__(self) -> None:
        self.articles = 0
        self.events = 0
        self.failures = 0
        self.warnings = 0
        self.started = time.perf_counter()

    def summary(self) -> str:
        seconds = time.perf_counter() - self.started
        return (f"dotterel: {self.articles} articles, {self.events} events, {self.failures} failures, "
                f"{seconds:.1f} seconds")


def _report_errors(stream: Iterable[Article | InputError], tally: _Tally) -> Iterator[Article]:
    """Pass articles on; print each input error (file, line, problem) on stderr as it is met."""
    for item in stream:
        if isinstance(item, InputError):
            tally.failures += 1
            click.echo(f"error: {item.origin}: {item.problem}", err=True)
            continue
        if item.pub_date is None:
            tally.warnings += 1
            click.echo(f"warning: {item.origin or item.id}: no publication date; only explicit dates in the text "
                       "will be resolved (give --date or a 'date' field)", err=True)
        yield item


def _parse_cli_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form", param_hint="--date") from exc


def _code_stream(inputs: list[str], pub_date: date | None, model: str | None, batch_size: int, processes: int,
                 out: IO[str] | None, tally: _Tally, progress: bool) -> list[dict]:
    """Code every input and write JSONL to ``out``; with ``out=None`` return the records instead."""
    from dotterel.coder import Coder
    from dotterel.ingest import read_inputs

    coder = Coder(model, batch_size=batch_size, n_process=processes)
    articles = _report_errors(read_inputs(inputs, pub_date, stdin=sys.stdin.buffer), tally)
    coded = coder.code_articles(articles)
    kept: list[dict] = []
    bar = None
    if progress:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(TextColumn("coding"), BarColumn(), TextColumn("{task.completed} articles"),
                       TimeElapsedColumn(), transient=True, console=_stderr_console())
        bar.start()
        task = bar.add_task("coding", total=None)
    try:
        for result in coded:
            if result.error is not None:
                tally.failures += 1
                click.echo(f"error: {result.article.origin or result.article.id}: coding failed: {result.error}",
                           err=True)
                continue
            tally.articles += 1
            for record in result.events:
                data = record.to_dict()
                tally.events += 1
                if out is not None:
                    out.write(json.dumps(data, ensure_ascii=False) + "\n")
                else:
                    kept.append(data)
            if bar is not None:
                bar.advance(task)
    finally:
        if bar is not None:
            bar.stop()
    return kept


def _stderr_console():  # noqa: ANN202 - rich type kept out of module import time
    from rich.console import Console

    return Console(stderr=True)


@click.group()
@click.version_option(__version__, prog_name="dotterel")
def main() -> None:
    """dotterel: code English news into PLOVER political event records."""


@main.command("code")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write JSONL here "
              "instead of standard output.")
@click.option("--date", "pub_date", help="Publication date (YYYY-MM-DD) for inputs that carry none (.txt).")
@click.option("--model", help="spaCy pipeline name or path (default: en_core_web_sm, else its PyPI re-upload).")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Parser worker processes.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
def code_command(inputs: tuple[str, ...], output: str | None, pub_date: str | None, model: str | None,
                 batch_size: int, processes: int, progress: bool | None) -> None:
    """Code INPUTS (.txt, .jsonl, .html files, folders, or - for JSONL on stdin) to JSONL event records."""
    tally = _Tally()
    show = sys.stderr.isatty() if progress is None else progress
    parsed_date = _parse_cli_date(pub_date)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            _code_stream(list(inputs), parsed_date, model, batch_size, processes, handle, tally, show)
    else:
        _code_stream(list(inputs), parsed_date, model, batch_size, processes, sys.stdout, tally, show)
        sys.stdout.flush()
    click.echo(tally.summary(), err=True)
    sys.exit(1 if tally.failures else 0)


@main.command("demo")
@click.option("--model", help="spaCy pipeline name or path.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSONL records instead of a table.")
def demo_command(model: str | None, as_json: bool) -> None:
    """Code the bundled example articles and print a table of their events."""
    from rich.console import Console
    from rich.table import Table

    tally = _Tally()
    path = _examples_dir() / "articles.jsonl"
    if as_json:
        _code_stream([str(path)], None, model, 16, 1, sys.stdout, tally, False)
        click.echo(tally.summary(), err=True)
        return
    records = _code_stream([str(path)], None, model, 16, 1, None, tally, sys.stderr.isatty())
    table = Table(title=f"dotterel {__version__}: events in the bundled examples ({path.name})", show_lines=False)
    for column in ("article", "type", "mode", "actor", "→ recipient", "date", "trigger"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(r["doc_id"], r["event"], r["mode"] or "", _who(r["actor"]), _who(r["recipient"]),
                      r["date"] or "", r["evidence"]["trigger"])
    console = Console(width=max(Console().width, 140))
    console.print(table)
    counts = Counter(r["event"] for r in records)
    console.print("events per type: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    click.echo(tally.summary(), err=True)
    sys.exit(1 if tally.failures else 0)


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("predictions", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--errors", is_flag=True, help="List false positives and misses with evidence and reasons.")
@click.option("--level", "error_level", type=click.Choice(["type", "dyad", "full"]), default="dyad",
              show_default=True, help="Level at which --errors lists mistakes.")
@click.option("--max-errors", type=int, default=None, help="List at most this many errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--save-predictions", type=click.Path(dir_okay=False), help="Write the coded records here (JSONL).")
@click.option("--model", help="spaCy pipeline name or path.")
def eval_command(gold: str, predictions: str | None, errors: bool, error_level: str, max_errors: int | None,
                 as_json: bool, save_predictions: str | None, model: str | None) -> None:
    """Score event coding against GOLD (JSONL gold items): P/R/F1 at type, dyad and full level.

    Codes the gold texts, or reads PREDICTIONS (JSONL event records) when given.
    """
    from dotterel.evaluation import load_gold, load_predictions, predict, score

    items = load_gold(Path(gold))
    if predictions:
        preds = load_predictions(Path(predictions))
    else:
        from dotterel.coder import Coder

        coder = Coder(model)

        def code_many(triples):  # noqa: ANN001, ANN202 - matches evaluation.predict's callable
            articles = (Article(id=i, text=t, pub_date=d, origin=f"{gold}:{i}") for i, t, d in triples)
            for coded in coder.code_articles(articles):
                if coded.error:
                    click.echo(f"error: {coded.article.id}: {coded.error}", err=True)
                yield coded.article.id, [r.to_dict() for r in coded.events]

        preds = predict(items, code_many)
    if save_predictions:
        with open(save_predictions, "w", encoding="utf-8") as handle:
            for records in preds.values():
                for record in records:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    report = score(items, preds)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(report.format_text(errors=errors, max_errors=max_errors, error_level=error_level))


def _who(entities: list[dict]) -> str:
    parts = []
    for e in entities:
        code = "/".join(x for x in (e.get("country"), e.get("sector")) if x)
        parts.append(f"{e.get('name') or e.get('text')} [{code}]" if code else (e.get("name") or e.get("text")))
    return "; ".join(parts) or "-"


def _register_commands() -> None:
    from dotterel.actors.commands import register as register_actor_commands
    from dotterel.store.commands import register as register_store_commands

    register_store_commands(main)
    register_actor_commands(main)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
