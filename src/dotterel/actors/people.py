"""Curated political figures with date-bounded roles, and their resolution on an article's date.

News names people without saying who they are ("Marsudi said", "Erdogan warned"); the curated base says
which country and sector a name stands for on a given day, so that a foreign minister in 2018 is GOV and a
former one in 2023 is ELI. The data are YAML files under ``data/actors/people/`` (one per region), written by
hand and validated at load: any bad entry is an error that names its file and line.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
PEOPLE_DIR = DATA_DIR / "people"

SECTORS = frozenset(
    "GOV MIL COP JUD LEG PTY OPP REB SPY UAF CVL JRN MED BUS LAB REL EDU REF CRM ELI NGO IGO UNK".split()
)
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "MNC"})
# Roles whose holders become "former officials" (ELI) once the role ends.
OFFICIAL_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "IGO"})
# When someone holds several roles at once, the one reported is the most state-like.
SECTOR_PRIORITY = ("GOV", "IGO", "MIL", "SPY", "COP", "JUD", "LEG", "PTY", "OPP", "REB")

PERSON_KEYS = frozenset({"name", "aliases", "roles", "note", "homonym"})
ROLE_KEYS = frozenset({"title", "country", "sector", "sectors", "from", "to", "note"})
# The C loader keeps node marks (file lines) and composes the base several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PeopleDataError(ValueError):
    """A curated people file is malformed; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Role:
    title: str
    country: str
    sector: str
    sectors: tuple[str, ...]
    start: date | None
    end: date | None
    source: str  # "europe.yaml:123"

    def valid_on(self, on: date) -> bool:
        """True when the role was held on ``on`` (open ends count as held)."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]
    source: str
    homonym: bool = False  # marked as a namesake of another curated person (both must be marked)


@dataclass(frozen=True)
class PersonResolution:
    person: Person
    role: Role | None
    country: str | None
    sector: str | None
    sectors: tuple[str, ...]
    title: str | None
    reason: str


def normalize_name(text: str) -> str:
    """Lookup key: case, diacritics, dots, hyphens and curly quotes do not matter ("Erdoğan" = "erdogan")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ı", "i").replace("ø", "o").replace("ł", "l").replace("đ", "d").replace("ß", "ss")
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"[-‐‑–—_]", " ", text)
    text = text.replace(".", " ").replace(",", " ")
    return " ".join(text.casefold().split())


def _primary(roles: list[Role]) -> Role:
    """The role to report among several held at once: the most state-like sector, then the one the data
    file lists first (authors list a person's main office first)."""

    def rank(role: Role) -> int:
        return SECTOR_PRIORITY.index(role.sector) if role.sector in SECTOR_PRIORITY else len(SECTOR_PRIORITY)

    return min(roles, key=rank)


class PeopleBase:
    """Name → people index with date-aware resolution."""

    def __init__(self, people: list[Person]) -> None:
        self.people: tuple[Person, ...] = tuple(people)
        self._index: dict[str, list[Person]] = {}
        for person in self.people:
            for variant in (person.name, *person.aliases):
                bucket = self._index.setdefault(normalize_name(variant), [])
                if person not in bucket:
                    bucket.append(person)

    def __len__(self) -> int:
        return len(self.people)

    def __iter__(self):
        return iter(self.people)

    def find(self, name: str) -> list[Person]:
        """Everyone whose full name or alias matches ``name`` (case- and diacritics-insensitive)."""
        return list(self._index.get(normalize_name(name), ()))

    def resolve(self, name: str, on: date | None) -> PersonResolution | None:
        """Country and sector that ``name`` stands for on ``on``; None when unknown or ambiguous."""
        candidates = self.find(name)
        if not candidates:
            return None
        if len(candidates) == 1:
            return self._resolve_person(candidates[0], on)
        if on is None:
            return None
        current = [p for p in candidates if any(r.valid_on(on) for r in p.roles)]
        if len(current) != 1:
            return None
        resolution = self._resolve_person(current[0], on)
        others = ", ".join(p.name for p in candidates if p is not current[0])
        return PersonResolution(
            resolution.person, resolution.role, resolution.country, resolution.sector, resolution.sectors,
            resolution.title, f"{resolution.reason}; preferred over {others} (no role on {on.isoformat()})",
        )

    def _resolve_person(self, person: Person, on: date | None) -> PersonResolution:
        if not person.roles:
            return PersonResolution(person, None, None, None, (), None, f"{person.name}: no roles recorded")
        if on is None:
            role = max(person.roles, key=lambda r: (r.end is None, r.end or date.min, r.start or date.min))
            ongoing = [r for r in person.roles if r.end is None]
            if ongoing:
                role = _primary(ongoing)
            return self._current(person, role, f"most recent role of {person.name} (no date given)")
        held = [r for r in person.roles if r.valid_on(on)]
        if held:
            return self._current(person, _primary(held), f"{person.name} held this role on {on.isoformat()}")
        past = [r for r in person.roles if r.end is not None and r.end < on]
        if past:
            last_end = max(r.end for r in past if r.end is not None)
            last = _primary([r for r in past if r.end == last_end])
            official = [r for r in past if r.sector in OFFICIAL_SECTORS]
            if official:
                latest = max(r.end for r in official if r.end is not None)
                former = _primary([r for r in official if r.end == latest])
                return PersonResolution(
                    person, former, former.country, "ELI", ("ELI", former.sector), f"former {former.title}",
                    f"{person.name} was {former.title} ({former.country}) until {former.end}; "
                    f"no role on {on.isoformat()} → former official",
                )
            return PersonResolution(
                person, last, last.country, last.sector, last.sectors, f"former {last.title}",
                f"{person.name} was {last.title} ({last.country}) until {last.end}; "
                f"no role on {on.isoformat()}",
            )
        first = min(person.roles, key=lambda r: r.start or date.min)
        return PersonResolution(
            person, None, first.country, None, (), None,
            f"{person.name} held no recorded role yet on {on.isoformat()}; "
            f"country from later role {first.title}",
        )

    @staticmethod
    def _current(person: Person, role: Role, reason: str) -> PersonResolution:
        return PersonResolution(person, role, role.country, role.sector, role.sectors, role.title,
                                f"{reason}: {role.title} ({role.country}) [{role.source}]")


# ---------------------------------------------------------------- loading


def _country_codes(data_dir: Path) -> frozenset[str]:
    """ISO codes from the countries table beside the people folder, plus the non-state codes."""
    table = data_dir.parent / "countries.tsv"
    if not table.exists():
        table = DATA_DIR / "countries.tsv"
    codes = set(NON_STATE_CODES)
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code = line.split("\t", 1)[0].strip()
        if code and code != "code":
            codes.add(code)
    return frozenset(codes)


def _where(fname: str, node: Node) -> str:
    return f"{fname}:{node.start_mark.line + 1}"


def _scalar(fname: str, node: Node, what: str) -> str:
    if not isinstance(node, ScalarNode) or not str(node.value).strip():
        raise PeopleDataError(f"{_where(fname, node)}: {what} must be a non-empty text value")
    return str(node.value).strip()


def _mapping(fname: str, node: Node, what: str, allowed: frozenset[str]) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        raise PeopleDataError(f"{_where(fname, node)}: {what} must be a mapping")
    out: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = _scalar(fname, key_node, "key")
        if key not in allowed:
            raise PeopleDataError(f"{_where(fname, key_node)}: unknown key {key!r} in {what} "
                                  f"(allowed: {', '.join(sorted(allowed))})")
        if key in out:
            raise PeopleDataError(f"{_where(fname, key_node)}: duplicate key {key!r} in {what}")
        out[key] = value_node
    return out


def _sequence(fname: str, node: Node, what: str) -> list[Node]:
    if not isinstance(node, SequenceNode):
        raise PeopleDataError(f"{_where(fname, node)}: {what} must be a list")
    return list(node.value)


def parse_partial_date(text: str, *, end: bool) -> date:
    """``2014`` / ``2014-10`` / ``2014-10-27``; as an end date a year or month means its last day.
    Raises ValueError with the reason."""
    match = _DATE_RE.match(text.strip())
    if not match:
        raise ValueError("is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(match[1]), match[2], match[3]
    if month is None:
        return date(year, 12, 31) if end else date(year, 1, 1)
    m = int(month)
    if day is None:
        return date(year, m, calendar.monthrange(year, m)[1]) if end else date(year, m, 1)
    return date(year, m, int(day))


def _date(fname: str, node: Node, what: str, end: bool) -> date:
    text = _scalar(fname, node, what)
    try:
        return parse_partial_date(text, end=end)
    except ValueError as exc:
        raise PeopleDataError(f"{_where(fname, node)}: {what} {text!r} {exc}") from None


def _role(fname: str, node: Node, codes: frozenset[str]) -> Role:
    fields = _mapping(fname, node, "role", ROLE_KEYS)
    where = _where(fname, node)
    for key in ("title", "country"):
        if key not in fields:
            raise PeopleDataError(f"{where}: role lacks {key!r}")
    title = _scalar(fname, fields["title"], "title")
    country = _scalar(fname, fields["country"], "country")
    if country not in codes:
        raise PeopleDataError(f"{_where(fname, fields['country'])}: unknown country code {country!r}")
    if ("sector" in fields) == ("sectors" in fields):
        raise PeopleDataError(f"{where}: role needs exactly one of 'sector' or 'sectors'")
    if "sector" in fields:
        sectors = (_scalar(fname, fields["sector"], "sector"),)
    else:
        items = _sequence(fname, fields["sectors"], "sectors")
        sectors = tuple(_scalar(fname, item, "sector") for item in items)
        if not sectors:
            raise PeopleDataError(f"{_where(fname, fields['sectors'])}: empty sectors list")
    for sector in sectors:
        if sector not in SECTORS:
            raise PeopleDataError(f"{where}: unknown sector {sector!r}")
    start = _date(fname, fields["from"], "from", end=False) if "from" in fields else None
    end = _date(fname, fields["to"], "to", end=True) if "to" in fields else None
    if start and end and end < start:
        raise PeopleDataError(f"{where}: role ends ({end}) before it starts ({start})")
    return Role(title, country, sectors[0], sectors, start, end, where)


def _overlap(a: Role, b: Role) -> bool:
    return (a.start or date.min) <= (b.end or date.max) and (b.start or date.min) <= (a.end or date.max)


def _person(fname: str, node: Node, codes: frozenset[str]) -> tuple[Person, bool]:
    fields = _mapping(fname, node, "person", PERSON_KEYS)
    where = _where(fname, node)
    if "name" not in fields:
        raise PeopleDataError(f"{where}: person lacks 'name'")
    name = _scalar(fname, fields["name"], "name")
    aliases: list[str] = []
    if "aliases" in fields:
        for item in _sequence(fname, fields["aliases"], "aliases"):
            alias = _scalar(fname, item, "alias")
            if normalize_name(alias) == normalize_name(name) or alias in aliases:
                raise PeopleDataError(f"{_where(fname, item)}: alias {alias!r} repeats a name of {name}")
            aliases.append(alias)
    if "roles" not in fields:
        raise PeopleDataError(f"{where}: {name} has no 'roles'")
    roles = [_role(fname, item, codes) for item in _sequence(fname, fields["roles"], "roles")]
    if not roles:
        raise PeopleDataError(f"{where}: {name} has an empty roles list")
    for i, a in enumerate(roles):
        for b in roles[i + 1:]:
            if (a.title.casefold(), a.country) == (b.title.casefold(), b.country) and _overlap(a, b):
                raise PeopleDataError(f"{b.source}: {name}: role {b.title!r} ({b.country}) overlaps the same "
                                      f"role at {a.source}")
    homonym = "homonym" in fields and _scalar(fname, fields["homonym"], "homonym").lower() == "true"
    return Person(name, tuple(aliases), tuple(roles), where, homonym), homonym


def load_people_file(path: Path, codes: frozenset[str]) -> list[tuple[Person, bool]]:
    """Parse and validate one region file: (person, marked as homonym) pairs."""
    fname = path.name
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise PeopleDataError(f"{fname}:{line}: YAML error: {getattr(exc, 'problem', None) or exc}") from None
    if root is None:
        return []
    return [_person(fname, item, codes) for item in _sequence(fname, root, "file")]


def load_people(data_dir: Path | None = None) -> PeopleBase:
    """Load every ``*.yaml`` in ``data_dir`` (default: the packaged base, loaded once per process)."""
    if data_dir is None:
        return _load_default()
    return _load(Path(data_dir))


@lru_cache(maxsize=1)
def _load_default() -> PeopleBase:
    return _load(PEOPLE_DIR)


def _load(data_dir: Path) -> PeopleBase:
    codes = _country_codes(data_dir)
    people: list[Person] = []
    seen: dict[str, tuple[Person, bool]] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        for person, homonym in load_people_file(path, codes):
            key = normalize_name(person.name)
            if key in seen and not (homonym and seen[key][1]):
                raise PeopleDataError(f"{person.source}: {person.name} is already defined at "
                                      f"{seen[key][0].source} (merge them, or mark both 'homonym: true')")
            seen[key] = (person, homonym)
            people.append(person)
    return PeopleBase(people)
