"""CLI commands for actors: ``dotterel actor`` (resolve strings) and ``dotterel actors`` (inspect the base).

``register(group)`` adds them to the main ``dotterel`` group. They are thin: resolution goes through
:func:`dotterel.actors.phrase.resolve_phrase`, the base through :mod:`dotterel.actors.knowledge`. Results go to
standard output as JSON (one object per line in batch mode); problems go to standard error naming file:line,
and the exit code is 1 when any input failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

import click

from dotterel.actors.dictionaries import (
    FORMATS,
    DictEntry,
    DictionaryError,
    UserDictionary,
    detect_format,
    read_dictionary,
)
from dotterel.actors.dictionaries import dumps as dump_entries
from dotterel.actors.knowledge import (
    LEARNED_AFTER,
    LEARNED_BEFORE,
    SOURCES,
    KnowledgeBase,
    data_home,
    load_knowledge,
    user_dictionary_path,
)
from dotterel.actors.lexicon import OrgPeriod, load_actor_lexicon
from dotterel.actors.memberships import load_memberships

_home_option = click.option(
    "--home", type=click.Path(file_okay=False), default=None,
    help="Folder of the user dictionary and learned store (default: $DOTTEREL_HOME or ~/.local/share/dotterel).")
_dict_option = click.option("--dict", "dictionaries", multiple=True, type=click.Path(exists=True, dir_okay=False),
                            help="An extra user dictionary (TABARI .txt, .csv or .yaml); repeatable.")


def _date(value: str | None, hint: str = "--date") -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form", param_hint=hint) from exc


def _knowledge(home: str | None, dictionaries: tuple[str, ...]) -> KnowledgeBase:
    try:
        return load_knowledge(home, dictionaries=dictionaries)
    except DictionaryError as exc:
        raise click.ClickException(f"{exc}") from None


def _echo_json(obj: dict[str, Any], out: IO[str] | None = None) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False), file=out)


@click.command("actor")
@click.argument("text", required=False)
@click.option("--date", "date_text", help="Resolve as of this date (YYYY-MM-DD): roles are date-bounded.")
@click.option("--context", help="A sentence around the string; its countries and people inform the answer.")
@click.option("--batch", type=click.Path(dir_okay=False, allow_dash=True),
              help='JSONL file (or - for stdin) of {"id","text","date","context"?}; one JSON line out per line in.')
@click.option("--model", help="spaCy pipeline name or path.")
@_dict_option
@_home_option
def actor_command(text: str | None, date_text: str | None, context: str | None, batch: str | None,
                  model: str | None, dictionaries: tuple[str, ...], home: str | None) -> None:
    """Resolve an actor string ("Syrian rebels", "Retno Marsudi") to country, sector and source, as JSON."""
    from dotterel.actors.phrase import resolve_phrase
    from dotterel.nlp.pipeline import load_pipeline

    if (text is None) == (batch is None):
        raise click.UsageError("give either TEXT or --batch FILE")
    kb = _knowledge(home, dictionaries)
    nlp = load_pipeline(model)
    if batch is None:
        assert text is not None
        if not text.strip():
            raise click.BadParameter("empty actor string", param_hint="TEXT")
        _echo_json(resolve_phrase(text, on=_date(date_text), context=context, nlp=nlp, kb=kb))
        return
    failures = 0
    default_on = _date(date_text)
    for origin, item in _batch_lines(batch):
        if isinstance(item, str):
            failures += 1
            click.echo(f"error: {origin}: {item}", err=True)
            continue
        try:
            on = _date(item.get("date"), "date") if item.get("date") else default_on
            result = resolve_phrase(item["text"], on=on, context=item.get("context") or context, nlp=nlp, kb=kb)
        except (click.BadParameter, ValueError) as exc:
            failures += 1
            message = exc.format_message() if isinstance(exc, click.BadParameter) else str(exc)
            click.echo(f"error: {origin}: {message}", err=True)
            continue
        _echo_json({"id": item.get("id"), **result})
    if failures:
        click.echo(f"dotterel actor: {failures} bad line(s)", err=True)
        sys.exit(1)


def _batch_lines(batch: str) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """(origin, item) per non-blank line; item is the problem text when the line is bad."""
    name = "<stdin>" if batch == "-" else batch
    stream = sys.stdin if batch == "-" else open(batch, encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            origin = f"{name}:{number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                yield origin, f"not valid JSON ({exc.msg} at column {exc.colno})"
                continue
            if not isinstance(item, dict):
                yield origin, "expected a JSON object"
            elif not isinstance(item.get("text"), str) or not item["text"].strip():
                yield origin, "missing or empty 'text'"
            elif item.get("context") is not None and not isinstance(item["context"], str):
                yield origin, "'context' must be a string"
            else:
                yield origin, item
    finally:
        if stream is not sys.stdin:
            stream.close()


# ------------------------------------------------------------------------------------------- actors group
@click.group("actors")
def actors_group() -> None:
    """Inspect and manage the actor knowledge base (user dictionaries, curated people, learned roles)."""


@actors_group.command("list")
@click.option("--source", type=click.Choice(SOURCES), help="Only entries from this source.")
@click.option("--limit", type=int, default=None, help="At most this many lines.")
@_dict_option
@_home_option
def list_command(source: str | None, limit: int | None, dictionaries: tuple[str, ...], home: str | None) -> None:
    """One line per entry: source, name, country, sector, title (tab-separated)."""
    kb = _knowledge(home, dictionaries)
    for n, res in enumerate(kb.names(source)):
        if limit is not None and n >= limit:
            break
        click.echo("\t".join([res.source, res.name, res.country or "-", res.sector or "-", res.title or "-"]))


@actors_group.command("show")
@click.argument("name")
@click.option("--date", "date_text", help="Resolve as of this date (YYYY-MM-DD).")
@_dict_option
@_home_option
def show_command(name: str, date_text: str | None, dictionaries: tuple[str, ...], home: str | None) -> None:
    """Everything the base holds on NAME, and what it resolves to (JSON)."""
    kb = _knowledge(home, dictionaries)
    on = _date(date_text)
    resolved = kb.resolve_name(name, on)
    curated = kb.curated.find(name) if kb.curated is not None else []
    learned = kb.learned.entries(name) if kb.learned is not None else []
    conflicts = [c.to_dict() for c in kb.conflicts() if c.name.casefold() == name.casefold()]
    out = {
        "name": name,
        "date": on.isoformat() if on else None,
        "resolution": None if resolved is None else {
            "name": resolved.name, "country": resolved.country, "sector": resolved.sector,
            "sectors": list(resolved.sectors), "title": resolved.title, "source": resolved.source,
            "reason": resolved.reason},
        "user": [_entry_dict(e) for e in kb.user.find(name)],
        "curated": [{"name": p.name, "aliases": list(p.aliases), "source": p.source,
                     "roles": [{"title": r.title, "country": r.country, "sectors": list(r.sectors),
                                "from": r.start.isoformat() if r.start else None,
                                "to": r.end.isoformat() if r.end else None, "source": r.source} for r in p.roles]}
                    for p in curated],
        "learned": [{"title": e.title, "country": e.country, "sectors": list(e.sectors),
                     "first_seen": e.first_seen.isoformat() if e.first_seen else None,
                     "last_seen": e.last_seen.isoformat() if e.last_seen else None,
                     "articles": list(e.articles), "sentence": e.sentence} for e in learned],
        "conflicts": conflicts,
    }
    memberships = load_memberships()
    lexicon = load_actor_lexicon()
    orgs = {m.entry.code for m in lexicon.lookup(name) if m.kind == "org"}
    out["members"] = {code: memberships.members(code, on) for code in sorted(orgs) if memberships.organisation(code)}
    out["status"] = {code: [_period_dict(p, on) for p in lexicon.status[code]]
                     for code in sorted(orgs) if code in lexicon.status}
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    if resolved is None and not (out["user"] or curated or learned or out["members"] or out["status"]):
        sys.exit(1)


def _period_dict(period: OrgPeriod, on: date | None) -> dict[str, Any]:
    """One dated status of an organisation (org_status.yaml), and whether it holds on the date asked about."""
    return {"sectors": list(period.sectors), "from": period.start.isoformat() if period.start else None,
            "to": period.end.isoformat() if period.end else None, "note": period.note, "source": period.source,
            "holds": period.valid_on(on) if on is not None else None}


@actors_group.command("conflicts")
@_dict_option
@_home_option
def conflicts_command(dictionaries: tuple[str, ...], home: str | None) -> None:
    """Learned roles that disagree with the curated base or a user entry (JSON lines); both are kept."""
    for conflict in _knowledge(home, dictionaries).conflicts():
        _echo_json(conflict.to_dict())


@actors_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the extension (.csv, .yaml, "
              "anything else TABARI).")
@_home_option
def import_command(file: str, fmt: str | None, home: str | None) -> None:
    """Add a dictionary's entries to the user dictionary (validated first; nothing is written on error)."""
    target = user_dictionary_path(Path(home) if home else data_home())
    try:
        entries = read_dictionary(file, fmt)
        user = UserDictionary(read_dictionary(target, "csv") if target.exists() else [])
    except DictionaryError as exc:
        raise click.ClickException(str(exc)) from None
    added = user.extend(entries)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_entries(user.entries, "csv"), encoding="utf-8")
    click.echo(f"dotterel actors: {len(entries)} entries read from {file}, {added} new; {len(user)} in {target}",
               err=True)


@actors_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the extension (needed for -).")
@click.option("--source", type=click.Choice(SOURCES), default="user", show_default=True,
              help="Which part of the base to write.")
@_dict_option
@_home_option
def export_command(file: str, fmt: str | None, source: str, dictionaries: tuple[str, ...],
                   home: str | None) -> None:
    """Write the user dictionary (or the curated people, or the learned roles) in our format or TABARI's."""
    if file == "-" and fmt is None:
        raise click.UsageError("--format is needed when writing to standard output")
    fmt = fmt or detect_format(Path(file))
    kb = _knowledge(home, dictionaries)
    entries = export_entries(kb, source)
    text = dump_entries(entries, fmt)
    if file == "-":
        click.echo(text, nl=False)
    else:
        Path(file).write_text(text, encoding="utf-8")
    click.echo(f"dotterel actors: {len(entries)} {source} entries written as {fmt}", err=True)


def export_entries(kb: KnowledgeBase, source: str) -> list[DictEntry]:
    """Entries of one source as dictionary entries: curated roles with their dates for every name variant;
    learned roles with the dates they hold by the validity rule."""
    if source == "user":
        return list(kb.user)
    out: list[DictEntry] = []
    if source == "curated" and kb.curated is not None:
        for person in kb.curated:
            for role in person.roles:
                for variant in (person.name, *person.aliases):
                    out.append(DictEntry(variant, role.country, role.sector, role.sectors, role.title, role.start,
                                         role.end, person.name, None, role.source))
    if source == "learned" and kb.learned is not None:
        for e in kb.learned.entries():
            start = e.first_seen - LEARNED_BEFORE if e.first_seen else None
            end = e.last_seen + LEARNED_AFTER if e.last_seen else None
            out.append(DictEntry(e.name, e.country, e.sector, e.sectors, e.title, start, end, None, None,
                                 f"learned:{','.join(e.articles)}"))
    return out


def _entry_dict(entry: DictEntry) -> dict[str, Any]:
    return {"phrase": entry.phrase, "name": entry.head, "country": entry.country, "sector": entry.sector,
            "sectors": list(entry.sectors), "title": entry.title,
            "start": entry.start.isoformat() if entry.start else None,
            "end": entry.end.isoformat() if entry.end else None, "agent": entry.agent, "source": entry.source}


def register(group: click.Group) -> None:
    """Add ``actor`` and ``actors`` to ``group`` (the main ``dotterel`` CLI)."""
    group.add_command(actor_command)
    group.add_command(actors_group)
