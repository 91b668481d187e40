"""The actor knowledge base: user dictionaries, the curated people base and roles learned from articles.

Why: a name alone ("Marsudi said") says nothing about country or sector; three sources can tell, and they do not
deserve equal trust. Precedence is user > curated > learned: a user's own dictionary is what they asked for; the
curated base was reviewed by the team; a learned role is what one article said. A learned role never overrides
a curated one: when the two disagree, the learned entry is kept and the disagreement is reported by
:meth:`KnowledgeBase.conflicts`, so a reviewer can fix the curated file or discard the learned one.

Learned roles live in a small SQLite file (``$DOTTEREL_HOME/learned.sqlite``, else
``$XDG_DATA_HOME/dotterel/learned.sqlite``, else ``~/.local/share/dotterel/learned.sqlite``), one row per
(person, role, article), with the article's id, date and sentence.

Validity rule for learned roles: a role stated by articles dated d1 <= ... <= dn holds from
``LEARNED_BEFORE`` days before d1 to ``LEARNED_AFTER`` days after dn (offices are usually held for some time
before and after a given report). When a name has several roles that hold on a date, the one seen nearest to
that date wins (ties: the later sighting). A role from an article without a date holds at any date but loses
to any dated role that holds. Without a date to resolve on, the most recently seen role wins.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from dotterel.actors.dictionaries import DictEntry, UserDictionary, load_dictionaries
from dotterel.actors.people import PeopleBase, load_people, normalize_name
from dotterel.records import LearnedRole

LEARNED_BEFORE = timedelta(days=365)
LEARNED_AFTER = timedelta(days=730)
LEARNED_FILE = "learned.sqlite"
USER_FILE = "user_actors.csv"
SOURCES = ("user", "curated", "learned")


def data_home() -> Path:
    """Where dotterel keeps per-user data: ``$DOTTEREL_HOME``, ``$XDG_DATA_HOME/dotterel`` or
    ``~/.local/share/dotterel``."""
    if os.environ.get("DOTTEREL_HOME"):
        return Path(os.environ["DOTTEREL_HOME"])
    if os.environ.get("XDG_DATA_HOME"):
        return Path(os.environ["XDG_DATA_HOME"]) / "dotterel"
    return Path.home() / ".local" / "share" / "dotterel"


@dataclass(frozen=True)
class KBResolution:
    """Who a name or phrase stands for, and which source of the base said so."""

    name: str
    country: str | None
    sector: str | None
    sectors: tuple[str, ...]
    title: str | None
    source: str  # "user" | "curated" | "learned"
    reason: str


@dataclass(frozen=True)
class LearnedEntry:
    """A role as stored: the role, where it was learned, and the dates it was seen."""

    name: str
    title: str | None
    country: str | None
    sector: str | None
    sectors: tuple[str, ...]
    first_seen: date | None
    last_seen: date | None
    articles: tuple[str, ...]  # doc ids, in order of their dates
    sentence: str  # one sentence that stated the role (the latest)

    def holds_on(self, on: date) -> bool:
        """The validity rule of the module docstring."""
        if self.first_seen is None or self.last_seen is None:
            return True
        return self.first_seen - LEARNED_BEFORE <= on <= self.last_seen + LEARNED_AFTER

    def distance(self, on: date) -> int:
        if self.first_seen is None or self.last_seen is None:
            return 10**6
        if self.first_seen <= on <= self.last_seen:
            return 0
        return min(abs((on - self.first_seen).days), abs((on - self.last_seen).days))


@dataclass(frozen=True)
class Conflict:
    """A learned role that disagrees with the curated base (or a user entry) on the date it was learned."""

    name: str
    learned: LearnedEntry
    other: KBResolution
    on: date | None
    problem: str

    def to_dict(self) -> dict:
        return {"name": self.name, "on": self.on.isoformat() if self.on else None, "problem": self.problem,
                "learned": _learned_dict(self.learned), "kept": _resolution_dict(self.other)}


_SCHEMA = """
CREATE TABLE IF NOT EXISTS learned (
    key TEXT NOT NULL,           -- normalize_name(name)
    surname TEXT NOT NULL,       -- last word of key
    name TEXT NOT NULL,
    title TEXT,
    country TEXT,
    sector TEXT,
    sectors TEXT NOT NULL,       -- JSON list
    doc_id TEXT NOT NULL,
    pub_date TEXT,               -- ISO date of the article, or NULL
    sentence TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (key, title, country, sector, doc_id)
);
CREATE INDEX IF NOT EXISTS learned_key ON learned (key);
CREATE INDEX IF NOT EXISTS learned_surname ON learned (surname);
"""


class LearnedStore:
    """Roles learned from articles, in a SQLite file. The file is created on the first ``add``; reading a
    store that does not exist yet finds nothing."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_home() / LEARNED_FILE
        self._con: sqlite3.Connection | None = None

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._con is not None:
            return self._con
        if not create and not self.path.exists():
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(self.path)
        self._con.executescript(_SCHEMA)
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> LearnedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, role: LearnedRole) -> bool:
        """Store one role; False when it was already stored from the same article, or names nobody."""
        return self.add_many([role]) == 1

    def add_many(self, roles: Iterable[LearnedRole]) -> int:
        """Store roles in one transaction; returns how many were new."""
        con = self._connect(create=True)
        assert con is not None
        now = datetime.now().isoformat(timespec="seconds")
        added = 0
        with con:
            for role in roles:
                key = normalize_name(role.name or "")
                if not key or not (role.country or role.sector):
                    continue
                pub = _iso(role.pub_date)
                cur = con.execute(
                    "INSERT OR IGNORE INTO learned VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (key, key.split()[-1], role.name, role.title, role.country, role.sector,
                     json.dumps(list(role.sectors)), role.doc_id, pub.isoformat() if pub else None,
                     role.sentence or "", now))
                added += cur.rowcount
        return added

    def entries(self, name: str | None = None) -> list[LearnedEntry]:
        """Roles grouped by (person, title, country, sector); for one name (full name, else a surname that
        names exactly one learned person) or for everyone."""
        con = self._connect(create=False)
        if con is None:
            return []
        if name is None:
            rows = con.execute("SELECT * FROM learned ORDER BY key, pub_date").fetchall()
        else:
            key = normalize_name(name)
            rows = con.execute("SELECT * FROM learned WHERE key = ? ORDER BY pub_date", (key,)).fetchall()
            if not rows and " " not in key:
                rows = con.execute("SELECT * FROM learned WHERE surname = ? ORDER BY pub_date", (key,)).fetchall()
                if len({r[0] for r in rows}) != 1:
                    return []  # an unknown or ambiguous surname
        return _group(rows)

    def __len__(self) -> int:
        con = self._connect(create=False)
        return 0 if con is None else con.execute("SELECT count(*) FROM learned").fetchone()[0]

    def resolve(self, name: str, on: date | None) -> LearnedEntry | None:
        """The learned role of ``name`` on ``on`` by the validity rule; None when none holds."""
        return pick_learned(self.entries(name), on)


def pick_learned(entries: list[LearnedEntry], on: date | None) -> LearnedEntry | None:
    """Among one person's learned roles, the one that holds on ``on`` (see the module docstring)."""
    if not entries:
        return None
    if on is None:
        return max(entries, key=lambda e: (e.last_seen is not None, e.last_seen or date.min))
    holding = [e for e in entries if e.holds_on(on)]
    if not holding:
        return None
    return min(holding, key=lambda e: (e.distance(on), -(e.last_seen or date.min).toordinal()))


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _group(rows: list[tuple]) -> list[LearnedEntry]:
    groups: dict[tuple, list[tuple]] = {}
    for row in rows:
        groups.setdefault((row[0], row[3], row[4], row[5]), []).append(row)
    out = []
    for members in groups.values():
        dated = sorted((_iso(r[8]), r) for r in members if _iso(r[8]) is not None)
        latest = dated[-1][1] if dated else members[-1]
        out.append(LearnedEntry(
            name=latest[2], title=latest[3], country=latest[4], sector=latest[5],
            sectors=tuple(json.loads(latest[6])),
            first_seen=dated[0][0] if dated else None, last_seen=dated[-1][0] if dated else None,
            articles=tuple(dict.fromkeys([r[7] for _, r in dated] + [r[7] for r in members])),
            sentence=latest[9]))
    return out


def _learned_dict(entry: LearnedEntry) -> dict:
    return {"name": entry.name, "title": entry.title, "country": entry.country, "sector": entry.sector,
            "sectors": list(entry.sectors), "first_seen": entry.first_seen.isoformat() if entry.first_seen else None,
            "last_seen": entry.last_seen.isoformat() if entry.last_seen else None, "articles": list(entry.articles),
            "sentence": entry.sentence}


def _resolution_dict(res: KBResolution) -> dict:
    return {"name": res.name, "country": res.country, "sector": res.sector, "sectors": list(res.sectors),
            "title": res.title, "source": res.source, "reason": res.reason}


# ------------------------------------------------------------------------------------------- the base
@dataclass
class KnowledgeBase:
    """User dictionaries, the curated people base and the learned store, consulted in that order."""

    user: UserDictionary = field(default_factory=UserDictionary)
    curated: PeopleBase | None = None
    learned: LearnedStore | None = None

    def resolve_name(self, name: str, on: date | None = None) -> KBResolution | None:
        """Who ``name`` is on ``on``: a user entry, else the curated base, else a learned role."""
        entry = self.user.resolve(name, on)
        if entry is not None:
            return from_entry(entry, on)
        curated = self._curated(name, on)
        if curated is not None:
            return curated
        if self.learned is not None:
            found = self.learned.resolve(name, on)
            if found is not None:
                return from_learned(found, on)
        return None

    def lookup_phrase(self, text: str, on: date | None = None) -> KBResolution | None:
        """A user dictionary phrase in ``text`` ("the Phnom Penh Municipal Court", "railway police").

        The whole text first, then the longest phrase inside it. An agent entry (no country) takes the
        country of an actor entry elsewhere in the text, in TABARI's manner: a suffix agent's sectors follow
        the actor's ("Cambodia [KHM]" + "minister [~GOV]" = KHM GOV), a prefix agent's come first.
        """
        whole = self.user.resolve(text, on)
        if whole is not None:
            return from_entry(whole, on)
        matches = self.user.scan(text, on)
        if not matches:
            return None
        agents = [m for m in matches if m[2].country is None]
        actors = [m for m in matches if m[2].country is not None]
        if agents and actors:
            actor, agent = actors[0][2], agents[-1][2]
            parts = (agent.sectors, actor.sectors) if agent.agent == "prefix" else (actor.sectors, agent.sectors)
            sectors = tuple(dict.fromkeys([*parts[0], *parts[1]]))
            return KBResolution(actor.head, actor.country, sectors[0] if sectors else None, sectors,
                                agent.title or actor.title, "user",
                                f"user dictionary: {actor.describe()} [{actor.source}] + agent "
                                f"{agent.describe()} [{agent.source}]")
        best = max(matches, key=lambda m: m[1] - m[0])
        return from_entry(best[2], on, inside=text)

    def _curated(self, name: str, on: date | None) -> KBResolution | None:
        if self.curated is None:
            return None
        found = self.curated.resolve(name, on)
        if found is None or not (found.country or found.sector):
            return None
        return KBResolution(found.person.name, found.country, found.sector, tuple(found.sectors), found.title,
                            "curated", found.reason)

    def conflicts(self) -> list[Conflict]:
        """Learned roles that disagree with what the user dictionary or the curated base say for the same
        person on the date the role was learned (country, or sector other than an expected former-official
        reading). Both sides are kept; the learned one is never used while the other answers."""
        if self.learned is None:
            return []
        out: list[Conflict] = []
        for entry in self.learned.entries():
            on = entry.last_seen
            user = self.user.resolve(entry.name, on)
            other = from_entry(user, on) if user is not None else self._curated(entry.name, on)
            if other is None:
                continue
            problems = []
            if entry.country and other.country and entry.country != other.country:
                problems.append(f"country {entry.country} (learned) vs {other.country} ({other.source})")
            if entry.sector and other.sector and entry.sector != other.sector:
                problems.append(f"sector {entry.sector} (learned) vs {other.sector} ({other.source})")
            if problems:
                out.append(Conflict(entry.name, entry, other, on, "; ".join(problems)))
        return out

    def add_learned(self, roles: Iterable[LearnedRole]) -> int:
        """Store roles learned from articles (see :class:`LearnedStore`); returns how many were new."""
        if self.learned is None:
            raise ValueError("this knowledge base has no learned store")
        return self.learned.add_many(roles)

    def names(self, source: str | None = None) -> Iterator[KBResolution]:
        """Every entry of the base (or of one source) as it resolves today or at its latest date."""
        if source in (None, "user"):
            for entry in self.user:
                yield from_entry(entry, None)
        if source in (None, "curated") and self.curated is not None:
            for person in self.curated:
                found = self.curated.resolve(person.name, None)
                if found is not None:
                    yield KBResolution(person.name, found.country, found.sector, tuple(found.sectors),
                                       found.title, "curated", found.reason)
        if source in (None, "learned") and self.learned is not None:
            for learned in self.learned.entries():
                yield from_learned(learned, None)


def from_entry(entry: DictEntry, on: date | None, inside: str | None = None) -> KBResolution:
    where = f" in '{inside}'" if inside else ""
    when = f" on {on.isoformat()}" if on and (entry.start or entry.end) else ""
    return KBResolution(entry.head, entry.country, entry.sector, tuple(entry.sectors), entry.title, "user",
                        f"user dictionary{where}: {entry.describe()}{when} [{entry.source}]")


def from_learned(entry: LearnedEntry, on: date | None) -> KBResolution:
    seen = (f"seen {entry.first_seen.isoformat()}" + (f" to {entry.last_seen.isoformat()}"
                                                     if entry.last_seen != entry.first_seen else "")
            if entry.first_seen else "seen in undated articles")
    return KBResolution(entry.name, entry.country, entry.sector, tuple(entry.sectors), entry.title, "learned",
                        f"learned from article(s) {', '.join(entry.articles[-3:])} ({seen}): "
                        f"{entry.title or entry.sector} ({entry.country or '-'})")


def user_dictionary_path(home: Path | None = None) -> Path:
    """The user's own dictionary file that ``dotterel actors import`` adds to."""
    return (home or data_home()) / USER_FILE


def load_knowledge(home: str | Path | None = None, *, dictionaries: Iterable[str | Path] = (),
                   learned_path: str | Path | None = None, curated: PeopleBase | None = None) -> KnowledgeBase:
    """The default base: the user's dictionary under ``home`` (if present) plus ``dictionaries``, the packaged
    curated people, and the learned store under ``home``."""
    root = Path(home) if home is not None else data_home()
    paths = [p for p in [user_dictionary_path(root)] if p.exists()] + [Path(p) for p in dictionaries]
    return KnowledgeBase(
        user=load_dictionaries(paths),
        curated=curated if curated is not None else load_people(),
        learned=LearnedStore(learned_path if learned_path is not None else root / LEARNED_FILE),
    )
