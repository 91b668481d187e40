"""CLI commands of the event store: ingest, recode, query, dyad, profile, export.

``register(group)`` adds them to the main ``dotterel`` group; ``python -m dotterel.store`` runs them alone.
The commands are thin: each opens an :class:`EventStore` and calls the method of the same name.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from dotterel.store.db import DEFAULT_DB, StoreError
from dotterel.store.dedup import ACTOR_LEVELS, KEY_FIELDS, DedupRule
from dotterel.store.exports import FORMATS
from dotterel.store.query import EVENT_TYPES, LEVELS, PERIODS

_db_option = click.option(
    "--db",
    "db",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Store file (DuckDB).",
)


def _filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The query filters shared by query, dyad, profile and export."""
    options = [
        click.option("--start", help="Events on or after this date (YYYY-MM-DD)."),
        click.option("--end", help="Events on or before this date (YYYY-MM-DD)."),
        click.option("--actor", help="Actor: country code (USA), CODE/SECTOR (USA/GOV) or a name."),
        click.option("--recipient", help="Recipient, like --actor."),
        click.option("--entity", help="Either side, like --actor."),
        click.option("--sector", help="Primary sector of either side (GOV, MIL ...)."),
        click.option("--actor-sector", help="Primary sector of the actor."),
        click.option("--recipient-sector", help="Primary sector of the recipient."),
        click.option(
            "--event",
            "event",
            multiple=True,
            type=click.Choice(EVENT_TYPES, case_sensitive=False),
            help="PLOVER event type (repeatable).",
        ),
        click.option("--quad", multiple=True, type=click.IntRange(1, 4), help="Quad class 1-4 (repeatable)."),
        click.option("--mode", help="PLOVER mode."),
        click.option("--cameo", help="CAMEO code prefix (16 matches 16x and 16xx)."),
        click.option("--source", help="Outlet name (events reported by it)."),
        click.option("--article", help="Article id."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(kwargs: dict[str, Any]) -> dict[str, Any]:
    names = (
        "start",
        "end",
        "actor",
        "recipient",
        "entity",
        "sector",
        "actor_sector",
        "recipient_sector",
        "event",
        "quad",
        "mode",
        "cameo",
        "source",
        "article",
    )
    out = {}
    for name in names:
        value = kwargs.pop(name, None)
        if value in (None, (), []):
            continue
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def _store_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn store and filter problems into one clear error line and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (StoreError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def _open(db: str, *, read_only: bool, **kwargs: Any):  # noqa: ANN202 - EventStore, imported lazily
    from dotterel.store.core import EventStore

    return EventStore(db, read_only=read_only, **kwargs)


def _report(report: Any) -> None:
    for origin, problem in report.errors:
        click.echo(f"error: {origin}: {problem}", err=True)
    click.echo(f"dotterel: {report.summary()}", err=True)


def _write_frame(frame: Any, output: str | None, fmt: str | None, columns: list[str]) -> None:
    if output is None:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False)
        shown = [c for c in columns if c in frame.columns]
        frame = frame.copy()
        for column in shown:
            if str(frame[column].dtype).startswith("datetime64"):
                frame[column] = frame[column].dt.date
        for column in shown:
            table.add_column(column, overflow="fold")
        for _, row in frame[shown].iterrows():
            table.add_row(*["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in row])
        Console(width=160).print(table)
        return
    kind = fmt or Path(output).suffix.lstrip(".").lower()
    if kind == "csv":
        frame.to_csv(output, index=False)
    elif kind in ("jsonl", "json"):
        frame.to_json(output, orient="records", lines=True, date_format="iso", force_ascii=False)
    elif kind == "parquet":
        frame.to_parquet(output, index=False)
    else:
        raise click.BadParameter(
            f"cannot tell the format of {output!r}: use .csv, .jsonl or .parquet, or --format",
            param_hint="-o",
        )


def register(group: click.Group) -> None:
    """Add the store commands to ``group`` (the main ``dotterel`` CLI)."""
    for command in (
        ingest_command,
        recode_command,
        query_command,
        dyad_command,
        profile_command,
        export_command,
    ):
        group.add_command(command)


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@_db_option
@click.option("--date", "pub_date", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
@click.option("--model", help="spaCy pipeline name or path.")
@click.option(
    "--batch-size",
    default=64,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Articles per transaction.",
)
@click.option(
    "--processes", default=1, show_default=True, type=click.IntRange(1, 64), help="Parser worker processes."
)
@click.option("-v", "--verbose", is_flag=True, help="Print a line per committed batch.")
@_store_errors
def ingest_command(
    inputs: tuple[str, ...],
    db: str,
    pub_date: str | None,
    model: str | None,
    batch_size: int,
    processes: int,
    verbose: bool,
) -> None:
    """Code INPUTS (files, folders, - for JSONL on stdin) and store them in the --db store.

    Articles already stored with the same text are skipped; a changed text replaces that article's events.
    """
    default_date = date.fromisoformat(pub_date) if pub_date else None
    coder = None
    if processes > 1 or model:
        from dotterel.coder import Coder

        coder = Coder(model, n_process=processes)
    progress = (lambda line: click.echo(line, err=True)) if verbose else None
    with _open(db, read_only=False, coder=coder, model=model, batch_size=batch_size) as store:
        paths = ["-" if i == "-" else i for i in inputs]
        report = store.ingest(paths, default_date=default_date, progress=progress)
    _report(report)
    sys.exit(1 if report.failed else 0)


@click.command("recode")
@_db_option
@click.option("--all", "everything", is_flag=True, help="Re-code every article, not only older versions.")
@click.option("--model", help="spaCy pipeline name or path.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--events-only", is_flag=True, help="Do not re-code: only rebuild the events with the dedup rule."
)
@click.option(
    "--window-days", type=click.IntRange(0, 365), help="De-dup: days between first and last mention."
)
@click.option(
    "--match", "actor_level", type=click.Choice(ACTOR_LEVELS), help="De-dup: how actors are matched."
)
@click.option("--keys", help=f"De-dup: comma-separated match fields from {', '.join(KEY_FIELDS)}.")
@click.option("-v", "--verbose", is_flag=True, help="Print a line per committed batch.")
@_store_errors
def recode_command(
    db: str,
    everything: bool,
    model: str | None,
    batch_size: int,
    events_only: bool,
    window_days: int | None,
    actor_level: str | None,
    keys: str | None,
    verbose: bool,
) -> None:
    """Re-code stored articles coded with another coder version (all with --all); change the dedup rule."""
    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such store")
    from dotterel.store.core import EventStore

    with EventStore(db) as probe:
        rule = probe.rule
    if window_days is not None or actor_level or keys:
        rule = DedupRule(
            window_days=rule.window_days if window_days is None else window_days,
            keys=tuple(k.strip() for k in keys.split(",")) if keys else rule.keys,
            actor_level=actor_level or rule.actor_level,
        )
    progress = (lambda line: click.echo(line, err=True)) if verbose else None
    with _open(db, read_only=False, rule=rule, model=model, batch_size=batch_size) as store:
        if events_only:
            n = store.rebuild_events()
            click.echo(f"dotterel: {n} events under rule {json.dumps(rule.to_dict())}", err=True)
            return
        report = store.recode(everything=everything, progress=progress)
        _report(report)
    sys.exit(1 if report.failed else 0)


@click.command("query")
@_db_option
@_filter_options
@click.option("--level", type=click.Choice(LEVELS), default="events", show_default=True)
@click.option("--limit", type=int, help="At most this many rows.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write .csv, .jsonl or .parquet.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), help="Output format for -o.")
@_store_errors
def query_command(
    db: str, level: str, limit: int | None, output: str | None, fmt: str | None, **kwargs: Any
) -> None:
    """Events (or mentions) matching the filters, as a table or a file."""
    with _open(db, read_only=True) as store:
        frame = store.query(level=level, limit=limit if output else (limit or 50), **_filters(kwargs))
    columns = [
        "date",
        "event_type",
        "mode",
        "cameo",
        "a_name",
        "a_country",
        "a_sector",
        "r_name",
        "r_country",
        "r_sector",
        "n_mentions",
        "n_sources",
        "source",
        "trigger",
    ]
    _write_frame(frame, output, fmt, columns)
    if output:
        click.echo(f"dotterel: {len(frame)} rows written to {output}", err=True)


@click.command("dyad")
@click.argument("a")
@click.argument("b")
@_db_option
@_filter_options
@click.option("--by", type=click.Choice(list(PERIODS)), default="month", show_default=True)
@click.option("--level", type=click.Choice(LEVELS), default="events", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write the series (.csv/.jsonl/.parquet)."
)
@click.option("--chart", type=click.Path(dir_okay=False), help="Draw the series to a .png or .svg file.")
@_store_errors
def dyad_command(
    a: str, b: str, db: str, by: str, level: str, output: str | None, chart: str | None, **kwargs: Any
) -> None:
    """Time series of events between A and B, both directions (A, B: country code, CODE/SECTOR or name)."""
    from dotterel.store.chart import draw_dyad

    with _open(db, read_only=True) as store:
        series = store.dyad(a, b, by=by, level=level, **_filters(kwargs))
    if chart:
        draw_dyad(series, a, b, Path(chart), by=by)
        click.echo(f"dotterel: chart written to {chart}", err=True)
    shown = series[(series["events"] > 0)] if output is None else series
    _write_frame(
        shown,
        output,
        None,
        ["period", "direction", "events", "goldstein", "quad1", "quad2", "quad3", "quad4"],
    )


@click.command("profile")
@click.argument("who", metavar="ENTITY")
@_db_option
@_filter_options
@click.option("--level", type=click.Choice(LEVELS), default="events", show_default=True)
@click.option("--top", type=int, default=10, show_default=True, help="Counterparts to list.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_store_errors
def profile_command(who: str, db: str, level: str, top: int, as_json: bool, **kwargs: Any) -> None:
    """The events ENTITY took part in, its counterparts and its cooperation/conflict balance."""
    entity = who
    with _open(db, read_only=True) as store:
        prof = store.profile(entity, level=level, top=top, **_filters(kwargs))
    if as_json:
        data = {k: (v.to_dict(orient="records") if hasattr(v, "to_dict") else v) for k, v in prof.items()}
        click.echo(json.dumps(data, default=str, ensure_ascii=False, indent=1))
        return
    click.echo(
        f"{entity}: {prof['events']} {level} ({prof['as_actor']} as actor, {prof['as_recipient']} as "
        f"recipient), {prof['first']} to {prof['last']}"
    )
    quads = prof["by_quad"]
    click.echo(
        f"cooperation {prof['cooperation']} (verbal {quads[1]}, material {quads[2]}), conflict "
        f"{prof['conflict']} (verbal {quads[3]}, material {quads[4]}); balance {prof['balance']:+.2f}, "
        f"Goldstein sum {prof['goldstein_sum']:+.1f}, mean {prof['goldstein_mean']:+.2f}"
    )
    _write_frame(prof["by_type"], None, None, ["event_type", "as_actor", "as_recipient"])
    _write_frame(
        prof["counterparts"],
        None,
        None,
        ["counterpart", "events", "as_actor", "as_recipient", "cooperation", "conflict", "goldstein"],
    )


@click.command("export")
@_db_option
@_filter_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True)
@click.option("--level", type=click.Choice(LEVELS), help="events (default; plover: mentions) or mentions.")
@_store_errors
def export_command(db: str, fmt: str, output: str, level: str | None, **kwargs: Any) -> None:
    """Export events as PLOVER JSONL, POLECAT-, GDELT 2.0- or ICEWS-style tables, or Parquet."""
    with _open(db, read_only=True) as store:
        n = store.export(fmt, output, level=level, **_filters(kwargs))
    click.echo(f"dotterel: {n} rows written to {output} ({fmt})", err=True)


@click.group()
def store_cli() -> None:
    """dotterel event store commands."""


register(store_cli)
