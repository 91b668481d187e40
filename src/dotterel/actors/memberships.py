"""Member states of international organisations, with date ranges.

The coder needs to know who belonged to an organisation on an article's date ("NATO allies" in 2022 do not
include Finland; the EU of 2019 includes the UK), so memberships are periods, not flat lists. The data are
in ``data/actors/igo_members.yaml`` (its header documents the format); organisation keys are validated against
organizations.tsv and member codes against countries.tsv, and every error names the file and line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dotterel.actors.lexicon import DEFAULT_DATA_DIR, LexiconError, load_actor_lexicon
from dotterel.actors.people import parse_partial_date

MEMBERSHIPS_FILE = "igo_members.yaml"
DEFAULT_PATH = DEFAULT_DATA_DIR / MEMBERSHIPS_FILE

_ORG_KEYS = {"complete", "note", "members"}
_ENTRY = re.compile(r"(?P<country>[A-Z]{3})(?:\s+(?P<start>[0-9-]*)\.\.(?P<end>[0-9-]*))?")
_DATE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?")


class MembershipError(LexiconError):
    """A problem in the memberships file; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Membership:
    """One period during which a state was a member of an organisation (both ends inclusive, None = open)."""

    org: str
    country: str
    start: date | None
    end: date | None
    source: str  # "igo_members.yaml:123"

    def valid_on(self, on: date | None) -> bool:
        """True if the period covers ``on``; with no date, true for a membership that has not ended."""
        if on is None:
            return self.end is None
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Organisation:
    """An organisation's entry: whether its list is complete, and the file's note about it."""

    code: str
    complete: bool
    note: str
    source: str


class Memberships:
    """Membership periods indexed by organisation and by country, queried on a date."""

    def __init__(self, organisations: list[Organisation], memberships: list[Membership]) -> None:
        self._orgs: dict[str, Organisation] = {o.code: o for o in organisations}
        self._all = tuple(memberships)
        self._by_org: dict[str, list[Membership]] = defaultdict(list)
        self._by_country: dict[str, list[Membership]] = defaultdict(list)
        for m in memberships:
            self._by_org[m.org].append(m)
            self._by_country[m.country].append(m)

    def __len__(self) -> int:
        return len(self._all)

    @property
    def codes(self) -> list[str]:
        """Organisation codes that have a member list, in file order."""
        return list(self._orgs)

    def organisation(self, org: str) -> Organisation | None:
        """The entry of an organisation (for its completeness flag and note), or None if not listed."""
        return self._orgs.get(org)

    def periods(self, org: str | None = None, country: str | None = None) -> list[Membership]:
        """All recorded periods, optionally for one organisation and/or country, in file order."""
        if org is not None:
            found = self._by_org.get(org, [])
            return [m for m in found if country is None or m.country == country]
        if country is not None:
            return list(self._by_country.get(country, []))
        return list(self._all)

    def members(self, org: str, on: date | None = None) -> list[str]:
        """ISO3 codes of the members on ``on`` (current members when None), sorted; [] for unknown orgs."""
        return sorted({m.country for m in self._by_org.get(org, []) if m.valid_on(on)})

    def organisations(self, country: str, on: date | None = None) -> list[str]:
        """Codes of the organisations the country belonged to on ``on`` (currently when None), in file order."""
        valid = {m.org for m in self._by_country.get(country, []) if m.valid_on(on)}
        return [code for code in self._orgs if code in valid]

    def is_member(self, country: str, org: str, on: date | None = None) -> bool:
        """True if the country was a member of the organisation on ``on`` (currently when None)."""
        return any(m.valid_on(on) for m in self._by_org.get(org, []) if m.country == country)


# -- loading ---------------------------------------------------------------------------------------------
def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _parse_date(text: str, is_end: bool, err: _Err, node: Node) -> date | None:
    if not text:
        return None
    try:
        return parse_partial_date(text, end=is_end)
    except ValueError as exc:
        problem = "impossible date" if _DATE.fullmatch(text) else "bad date"
        raise err(node, f"{problem} '{text}' ({exc}; expected YYYY-MM-DD, YYYY-MM or YYYY)") from None


class _Err:
    """Builds errors that name the file and the node's line."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, node: Node | int, problem: str) -> MembershipError:
        line = node if isinstance(node, int) else _line(node)
        return MembershipError(self.name, line, problem)


def _scalar(node: Node, what: str, err: _Err) -> str:
    if not isinstance(node, ScalarNode):
        raise err(node, f"{what} must be a single value")
    return str(node.value).strip()


def _parse_members(org: str, node: Node, countries: set[str], err: _Err) -> list[Membership]:
    if not isinstance(node, SequenceNode) or not node.value:
        raise err(node, f"'{org}': members must be a non-empty list")
    found: list[Membership] = []
    for item in node.value:
        text = _scalar(item, "a member entry", err)
        match = _ENTRY.fullmatch(text)
        if match is None:
            raise err(item, f"'{org}': bad member entry '{text}' (expected 'ISO3' or 'ISO3 START..END')")
        country = match["country"]
        if country not in countries:
            raise err(item, f"'{org}': unknown country code '{country}' (not in countries.tsv)")
        start = _parse_date(match["start"] or "", False, err, item)
        end = _parse_date(match["end"] or "", True, err, item)
        if start is not None and end is not None and end < start:
            raise err(item, f"'{org}': {country} ends ({end}) before it starts ({start})")
        membership = Membership(org, country, start, end, f"{err.name}:{_line(item)}")
        for other in found:
            if other.country == country and _overlap(other, membership):
                raise err(item, f"'{org}': {country} period overlaps the one at {other.source}")
        found.append(membership)
    return found


def _overlap(a: Membership, b: Membership) -> bool:
    lo, hi = date.min, date.max
    return (a.start or lo) <= (b.end or hi) and (b.start or lo) <= (a.end or hi)


def _parse(path: Path, countries: set[str], org_codes: set[str]) -> Memberships:
    err = _Err(path.name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MembershipError(path.name, None, f"cannot read: {exc}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise MembershipError(path.name, line, f"not valid YAML: {problem}") from None
    if root is None:
        raise MembershipError(path.name, None, "empty file")
    if not isinstance(root, MappingNode):
        raise err(root, "the file must be a mapping of organisation codes")
    organisations: list[Organisation] = []
    memberships: list[Membership] = []
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        org = _scalar(key_node, "an organisation code", err)
        if org in seen:
            raise err(key_node, f"organisation '{org}' listed twice (first at line {seen[org]})")
        seen[org] = _line(key_node)
        if org not in org_codes:
            raise err(key_node, f"unknown organisation code '{org}' (not in organizations.tsv)")
        if not isinstance(value_node, MappingNode):
            raise err(value_node, f"'{org}' must be a mapping with 'members'")
        fields: dict[str, Node] = {}
        for field_key, field_value in value_node.value:
            name = _scalar(field_key, "a field name", err)
            if name not in _ORG_KEYS:
                raise err(field_key, f"'{org}': unknown field '{name}' (expected one of {sorted(_ORG_KEYS)})")
            if name in fields:
                raise err(field_key, f"'{org}': field '{name}' given twice")
            fields[name] = field_value
        if "members" not in fields:
            raise err(key_node, f"'{org}' has no 'members' list")
        complete = True
        if "complete" in fields:
            flag = _scalar(fields["complete"], "'complete'", err).lower()
            if flag not in {"true", "false"}:
                raise err(fields["complete"], f"'{org}': complete must be true or false, not '{flag}'")
            complete = flag == "true"
        note = _scalar(fields["note"], "'note'", err) if "note" in fields else ""
        memberships.extend(_parse_members(org, fields["members"], countries, err))
        organisations.append(Organisation(org, complete, note, f"{path.name}:{_line(key_node)}"))
    return Memberships(organisations, memberships)


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> Memberships:
    lexicon = load_actor_lexicon()
    return _parse(path, set(lexicon.countries), set(lexicon.organizations))


def load_memberships(path: Path | None = None) -> Memberships:
    """Load and validate the memberships file (the packaged one by default); cached per path."""
    return _load_cached(Path(path).resolve() if path is not None else DEFAULT_PATH)
