"""The actor lexicon: countries, organisations and office/group words, and a fast token-wise matcher.

Why: every later actor decision (who is the source, who is the target, which sector) starts from recognising
names and role words in a noun phrase. The words live in reviewable TSV files under ``data/actors/``; this
module validates them at load time (a broken entry is an error naming its file and line) and matches them
against spaCy tokens, longest match first, so "North Korea" is never read as "Korea".

Matching rules:
- phrases are split with spaCy's English tokenizer, so they compare token by token with parsed text;
- case-insensitive and accent-insensitive ("Elysee" = "Élysée"), except all-uppercase acronyms of up to four
  letters (US, UK, UN, EU, IS, DRC...), which match only in upper case ("us" the pronoun is not the USA);
- a leading "the" is not part of a phrase; plurals match only when the file lists them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dotterel.actors.people import SECTORS, parse_partial_date

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
COUNTRIES_FILE = "countries.tsv"
ORGANIZATIONS_FILE = "organizations.tsv"
SECTORS_FILE = "sectors.tsv"
ORG_STATUS_FILE = "org_status.yaml"

SECTOR_CODES = frozenset(
    "GOV MIL COP JUD LEG PTY OPP REB SPY UAF CVL JRN MED BUS LAB REL EDU REF CRM ELI NGO IGO UNK".split()
)
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "MNC"})
NO_COUNTRY = "---"
KINDS = ("org", "country", "capital", "demonym", "sector")
# When two kinds match the same tokens, the earlier kind wins in ``scan`` (an organisation is more specific
# than a country name, a country name more than a capital, and any name more than a role word).
_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}

_COUNTRY_CODE = re.compile(r"[A-Z]{3}")
_ORG_CODE = re.compile(r"[A-Z0-9][A-Z0-9_]*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'",
                              "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})


class LexiconError(ValueError):
    """A problem in a lexicon file; the message starts with ``file:line``."""

    def __init__(self, file: str, line: int | None = None, problem: str | None = None) -> None:
        if problem is None:  # LexiconError("countries.tsv:57: unknown sector 'GOVT'") also works
            super().__init__(file)
        else:
            super().__init__(f"{file}:{line}: {problem}" if line is not None else f"{file}: {problem}")
        self.file = file
        self.line = line
        self.problem = problem if problem is not None else file


@dataclass(frozen=True)
class CountryEntry:
    code: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]
    source: str  # "countries.tsv:12"


@dataclass(frozen=True)
class OrgEntry:
    code: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    sector: str | None
    sectors: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class SectorEntry:
    phrase: str
    sector: str
    sectors: tuple[str, ...]
    title: str | None
    source: str


@dataclass(frozen=True)
class OrgPeriod:
    """A dated status of an organisation (a party in government, an insurgency that took power): inside the
    period its sectors replace the organizations.tsv row's."""

    code: str
    sectors: tuple[str, ...]  # primary first
    start: date | None
    end: date | None
    note: str | None
    source: str  # "org_status.yaml:12"

    @property
    def sector(self) -> str:
        return self.sectors[0]

    def valid_on(self, on: date) -> bool:
        """True when ``on`` lies inside the period (both ends inclusive; an open end holds for ever)."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def describe(self) -> str:
        """"PTY+GOV 2010-05-11 to 2024-07-04", "GOV 2021-08-15 onwards", for reason strings and errors."""
        if self.start is None:
            span = f"until {self.end.isoformat()}" if self.end else "always"
        else:
            span = f"{self.start.isoformat()} " + (f"to {self.end.isoformat()}" if self.end else "onwards")
        return f"{'+'.join(self.sectors)} {span}"


LexEntry = CountryEntry | OrgEntry | SectorEntry


@dataclass(frozen=True)
class LexMatch:
    start: int  # token indexes into the scanned word list, end exclusive
    end: int
    kind: str  # "country" | "demonym" | "capital" | "org" | "sector"
    entry: LexEntry
    phrase: str  # the lexicon phrase that matched


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a token, so 'Élysée', 'ELYSEE' and 'elysee' compare equal."""
    return _strip_accents(text.translate(_APOSTROPHES)).lower()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_strict_token(token: str) -> bool:
    """An all-uppercase acronym of 1-4 letters (US, U.S., DRC, MI6): it matches only in upper case."""
    letters = [ch for ch in token if ch.isalpha()]
    return 0 < len(letters) <= 4 and all(ch.isupper() for ch in letters)


@dataclass(frozen=True)
class _Pattern:
    keys: tuple[str, ...]  # folded tokens; strict tokens keep their case (accents stripped)
    strict: tuple[bool, ...]
    kind: str
    entry: LexEntry
    phrase: str
    source: str

    def matches(self, lowered: Sequence[str], cased: Sequence[str], start: int) -> bool:
        for offset, (key, strict) in enumerate(zip(self.keys, self.strict, strict=True)):
            word = cased[start + offset] if strict else lowered[start + offset]
            if word != key:
                return False
        return True


def _tokenizer() -> Any:
    """spaCy's blank English tokenizer: the same splitting rules as the pipeline, without a model."""
    import spacy

    return spacy.blank("en").tokenizer


class ActorLexicon:
    """Countries, organisations and sector words with a longest-match scanner over token lists."""

    def __init__(self, countries: Iterable[CountryEntry], organizations: Iterable[OrgEntry],
                 sectors: Iterable[SectorEntry], tokenizer: Any | None = None,
                 status: Mapping[str, Sequence[OrgPeriod]] | None = None) -> None:
        self._tokenizer = tokenizer if tokenizer is not None else _tokenizer()
        self.countries: dict[str, CountryEntry] = {c.code: c for c in countries}
        self.organizations: dict[str, OrgEntry] = {o.code: o for o in organizations}
        # organisation code → dated statuses (org_status.yaml), in date order
        self.status: dict[str, tuple[OrgPeriod, ...]] = {code: tuple(periods)
                                                         for code, periods in (status or {}).items()}
        sector_list = list(sectors)
        self.sectors: dict[str, SectorEntry] = {}  # by lower-cased phrase, filled below after validation
        self._index: dict[str, list[_Pattern]] = {}
        self._seen: dict[tuple[str, tuple[str, ...]], _Pattern] = {}
        for country in self.countries.values():
            for phrase in (country.name, *country.aliases):
                self._add(phrase, "country", country)
            for phrase in country.demonyms:
                self._add(phrase, "demonym", country)
            for phrase in country.capitals:
                self._add(phrase, "capital", country)
        self._check_capitals()
        for org in self.organizations.values():
            for phrase in (org.name, *org.aliases):
                self._add(phrase, "org", org)
        for sector in sector_list:
            self._add(sector.phrase, "sector", sector)
            self.sectors[sector.phrase.lower()] = sector
        for candidates in self._index.values():
            candidates.sort(key=lambda p: (-len(p.keys), _KIND_RANK[p.kind]))

    # -- building ---------------------------------------------------------------------------------------
    def _split(self, phrase: str) -> list[str]:
        words = [t.text for t in self._tokenizer(phrase.strip()) if not t.is_space]
        if len(words) > 1 and words[0].lower() == "the":
            words = words[1:]
        return words

    def _add(self, phrase: str, kind: str, entry: LexEntry) -> None:
        words = self._split(phrase)
        if not words:
            raise LexiconError(*_split_source(entry.source), f"empty phrase for {_describe(entry)}")
        strict = tuple(is_strict_token(w) for w in words)
        keys = tuple(_strip_accents(w.translate(_APOSTROPHES)) if s else fold(w)
                     for w, s in zip(words, strict, strict=True))
        pattern = _Pattern(keys, strict, kind, entry, _display(phrase), entry.source)
        previous = self._seen.get((kind, keys))
        if previous is not None:
            if previous.entry is entry:
                return  # the same entry lists a phrase twice (e.g. differing only in case or accents)
            raise LexiconError(*_split_source(entry.source),
                               f"{kind} phrase '{phrase}' for {_describe(entry)} is already used by "
                               f"{_describe(previous.entry)} at {previous.source}")
        self._seen[(kind, keys)] = pattern
        self._index.setdefault(keys[0].lower(), []).append(pattern)

    def _check_capitals(self) -> None:
        names = {p.keys: p for p in self._seen.values() if p.kind == "country"}
        for pattern in list(self._seen.values()):
            if pattern.kind == "capital" and pattern.keys in names:
                other = names[pattern.keys].entry
                raise LexiconError(*_split_source(pattern.source),
                                   f"capital '{pattern.phrase}' of {_describe(pattern.entry)} equals a country "
                                   f"name of {_describe(other)} ({other.source}); drop the capital")

    # -- matching ---------------------------------------------------------------------------------------
    def scan(self, words: Sequence[str]) -> list[LexMatch]:
        """Longest non-overlapping matches, left to right, across all kinds (ties: org, country, capital,
        demonym, sector)."""
        cased = [_strip_accents(w.translate(_APOSTROPHES)) for w in words]
        lowered = [w.lower() for w in cased]
        found: list[LexMatch] = []
        i, n = 0, len(words)
        while i < n:
            best = None
            for pattern in self._index.get(lowered[i], ()):
                if i + len(pattern.keys) <= n and pattern.matches(lowered, cased, i):
                    best = pattern
                    break  # candidates are sorted longest first, then by kind rank
            if best is None:
                i += 1
                continue
            end = i + len(best.keys)
            found.append(LexMatch(i, end, best.kind, best.entry, best.phrase))
            i = end
        return found

    def lookup(self, phrase: str) -> list[LexMatch]:
        """Every entry (all kinds) whose phrase is exactly ``phrase``, ignoring a leading "the".

        ``start``/``end`` index the tokens of ``phrase`` as given, so "the Kremlin" gives start 1, end 2.
        """
        words = [t.text for t in self._tokenizer(phrase.strip()) if not t.is_space]
        offset = 1 if len(words) > 1 and words[0].lower() == "the" else 0
        body = words[offset:]
        if not body:
            return []
        cased = [_strip_accents(w.translate(_APOSTROPHES)) for w in body]
        lowered = [w.lower() for w in cased]
        return [LexMatch(offset, offset + len(body), p.kind, p.entry, p.phrase)
                for p in self._index.get(lowered[0], ())
                if len(p.keys) == len(body) and p.matches(lowered, cased, 0)]

    def country(self, code: str) -> CountryEntry | None:
        """The country entry for an ISO alpha-3 code (or XKX), if listed."""
        return self.countries.get(code)

    def organization(self, code: str) -> OrgEntry | None:
        """The organisation entry for its lexicon code (e.g. "NATO", "WHITEHOUSE"), if listed."""
        return self.organizations.get(code)

    def org_status(self, code: str, on: date | None) -> OrgPeriod | None:
        """The dated status of organisation ``code`` on ``on`` (a party in government that day, the Taliban as
        insurgents in 2015); None without a date or outside every period, where the TSV row's sectors apply."""
        if on is None:
            return None
        return next((p for p in self.status.get(code, ()) if p.valid_on(on)), None)


def _display(phrase: str) -> str:
    words = phrase.strip().split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words)


def _describe(entry: LexEntry) -> str:
    if isinstance(entry, SectorEntry):
        return f"sector phrase '{entry.phrase}'"
    return entry.code


def _split_source(source: str) -> tuple[str, int | None]:
    file, _, line = source.rpartition(":")
    return (file, int(line)) if line.isdigit() else (source, None)


# -- reading the files ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TsvRow:
    file: str
    line: int
    values: dict[str, str]

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"

    def error(self, problem: str) -> LexiconError:
        return LexiconError(self.file, self.line, problem)

    def required(self, column: str) -> str:
        value = self.values[column]
        if not value:
            raise self.error(f"empty required column '{column}'")
        return value

    def items(self, column: str) -> tuple[str, ...]:
        parts = [p.strip() for p in self.values[column].split("|")] if self.values[column] else []
        if any(not p for p in parts):
            raise self.error(f"empty item in list column '{column}'")
        return tuple(parts)


def read_tsv(path: Path, columns: Sequence[str], optional: Sequence[str] = ()) -> list[TsvRow]:
    """Rows of a TSV with a header; '#' lines and blank lines are skipped; missing trailing cells are empty."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(name, None, f"file not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(name, None, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    header: list[str] | None = None
    rows: list[TsvRow] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            missing = [c for c in columns if c not in header]
            if missing:
                raise LexiconError(name, number, f"header lacks required column(s) {', '.join(missing)}; "
                                                 f"expected {' | '.join(columns)}")
            unknown = [c for c in header if c not in columns and c not in optional]
            if unknown:
                raise LexiconError(name, number, f"unknown column(s) in header: {', '.join(unknown)}")
            continue
        if len(cells) > len(header):
            raise LexiconError(name, number, f"{len(cells)} fields, the header has {len(header)} "
                                             "(a stray tab?)")
        cells += [""] * (len(header) - len(cells))
        rows.append(TsvRow(name, number, dict(zip(header, cells, strict=True))))
    if header is None:
        raise LexiconError(name, None, "no header line")
    return rows


def _sectors(row: TsvRow, primary: str | None) -> tuple[str, ...]:
    listed = row.items("sectors")
    for code in listed:
        if code not in SECTOR_CODES:
            raise row.error(f"unknown sector '{code}' in sectors")
    if len(set(listed)) != len(listed):
        raise row.error("a sector is repeated in sectors")
    if primary is None:
        if listed:
            raise row.error("sectors given but no primary sector")
        return ()
    if not listed:
        return (primary,)
    if primary not in listed:
        raise row.error(f"primary sector '{primary}' missing from sectors '{'|'.join(listed)}'")
    return (primary, *[s for s in listed if s != primary])


def _load_countries(path: Path) -> list[CountryEntry]:
    entries: list[CountryEntry] = []
    seen: dict[str, TsvRow] = {}
    for row in read_tsv(path, ("code", "name", "aliases", "demonyms", "capitals")):
        code = row.required("code")
        if not _COUNTRY_CODE.fullmatch(code):
            raise row.error(f"country code '{code}' is not three capital letters (ISO 3166 alpha-3)")
        if code in NON_STATE_CODES:
            raise row.error(f"'{code}' is a non-state code and cannot be a country")
        if code in seen:
            raise row.error(f"duplicate country code '{code}' (first at {seen[code].source})")
        seen[code] = row
        entries.append(CountryEntry(code, row.required("name"), row.items("aliases"), row.items("demonyms"),
                                    row.items("capitals"), row.source))
    return entries


def _load_organizations(path: Path, country_codes: set[str]) -> list[OrgEntry]:
    entries: list[OrgEntry] = []
    seen: dict[str, TsvRow] = {}
    for row in read_tsv(path, ("code", "name", "aliases", "country", "sector", "sectors")):
        code = row.required("code")
        if not _ORG_CODE.fullmatch(code):
            raise row.error(f"organisation code '{code}' must be capitals, digits and '_'")
        if code in seen:
            raise row.error(f"duplicate organisation code '{code}' (first at {seen[code].source})")
        seen[code] = row
        country_value = row.required("country")
        if country_value == NO_COUNTRY:
            country = None
        elif country_value in country_codes or country_value in NON_STATE_CODES:
            country = country_value
        else:
            raise row.error(f"unknown country '{country_value}' (not in countries.tsv, not "
                            f"{'/'.join(sorted(NON_STATE_CODES))}, not {NO_COUNTRY})")
        sector_value = row.values["sector"]
        sector = None if sector_value in ("", NO_COUNTRY) else sector_value
        if sector is not None and sector not in SECTOR_CODES:
            raise row.error(f"unknown sector '{sector}'")
        entries.append(OrgEntry(code, row.required("name"), row.items("aliases"), country, sector,
                                _sectors(row, sector), row.source))
    return entries


def _load_sectors(path: Path) -> list[SectorEntry]:
    entries: list[SectorEntry] = []
    for row in read_tsv(path, ("phrase", "sector", "sectors", "title")):
        phrase = row.required("phrase")
        sector = row.required("sector")
        if sector not in SECTOR_CODES:
            raise row.error(f"unknown sector '{sector}'")
        entries.append(SectorEntry(phrase, sector, _sectors(row, sector), row.values["title"] or None,
                                   row.source))
    return entries


# -- dated organisation status (org_status.yaml) -----------------------------------------------------------
_PERIOD_KEYS = frozenset({"sectors", "from", "to", "note"})
# The C loader keeps node marks (file lines) like the pure-Python one, and is faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _node_error(name: str, node: Node | None, problem: str) -> LexiconError:
    return LexiconError(name, node.start_mark.line + 1 if node is not None else None, problem)


def _node_text(name: str, node: Node, what: str) -> str:
    if not isinstance(node, ScalarNode) or not str(node.value).strip():
        raise _node_error(name, node, f"{what} must be a non-empty text value")
    return str(node.value).strip()


def load_org_status(path: Path, org_codes: Iterable[str]) -> dict[str, tuple[OrgPeriod, ...]]:
    """Read and validate ``org_status.yaml``: a mapping of organisation code → list of periods
    ``{sectors: [PTY, GOV], from: YYYY[-MM[-DD]], to: ..., note: ...}``. Unknown codes or sectors, bad or
    reversed dates and overlapping periods of one organisation are errors naming the file and line."""
    name = path.name
    known = set(org_codes)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except FileNotFoundError:
        raise LexiconError(name, None, f"file not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(name, None, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LexiconError(name, mark.line + 1 if mark is not None else None,
                           f"YAML error: {getattr(exc, 'problem', None) or exc}") from None
    if root is None:
        return {}
    if not isinstance(root, MappingNode):
        raise _node_error(name, root, "expected a mapping of organisation code → list of periods")
    out: dict[str, tuple[OrgPeriod, ...]] = {}
    for key_node, value_node in root.value:
        code = _node_text(name, key_node, "organisation code")
        if code not in known:
            raise _node_error(name, key_node, f"unknown organisation code '{code}' (not in {ORGANIZATIONS_FILE})")
        if code in out:
            raise _node_error(name, key_node, f"organisation '{code}' is listed twice")
        if not isinstance(value_node, SequenceNode) or not value_node.value:
            raise _node_error(name, value_node, f"{code}: expected a non-empty list of periods")
        periods = sorted((_org_period(name, code, item) for item in value_node.value),
                         key=lambda p: p.start or date.min)
        for before, after in zip(periods, periods[1:], strict=False):
            if (before.end or date.max) >= (after.start or date.min):
                raise LexiconError(*_split_source(after.source),
                                   f"{code}: period {after.describe()} overlaps {before.describe()} "
                                   f"at {before.source}")
        out[code] = tuple(periods)
    return out


def _org_period(name: str, code: str, node: Node) -> OrgPeriod:
    if not isinstance(node, MappingNode):
        raise _node_error(name, node, f"{code}: a period must be a mapping of 'sectors', 'from', 'to', 'note'")
    fields: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = _node_text(name, key_node, "key")
        if key not in _PERIOD_KEYS:
            raise _node_error(name, key_node,
                              f"{code}: unknown key '{key}' (allowed: {', '.join(sorted(_PERIOD_KEYS))})")
        if key in fields:
            raise _node_error(name, key_node, f"{code}: duplicate key '{key}'")
        fields[key] = value_node
    if "sectors" not in fields:
        raise _node_error(name, node, f"{code}: a period needs 'sectors'")
    listed = fields["sectors"]
    if not isinstance(listed, SequenceNode) or not listed.value:
        raise _node_error(name, listed, f"{code}: 'sectors' must be a non-empty list such as [PTY, GOV]")
    sectors = tuple(_node_text(name, item, "sector") for item in listed.value)
    for item, sector in zip(listed.value, sectors, strict=True):
        if sector not in SECTORS:
            raise _node_error(name, item, f"{code}: unknown sector '{sector}'")
    if len(set(sectors)) != len(sectors):
        raise _node_error(name, listed, f"{code}: a sector is repeated in [{', '.join(sectors)}]")
    bounds: dict[str, date | None] = {"from": None, "to": None}
    for key in bounds:
        if key in fields:
            value = _node_text(name, fields[key], f"'{key}'")
            try:
                bounds[key] = parse_partial_date(value, end=key == "to")
            except ValueError as exc:
                raise _node_error(name, fields[key], f"{code}: '{key}' {value!r} {exc}") from None
    start, end = bounds["from"], bounds["to"]
    if start is None and end is None:
        raise _node_error(name, node, f"{code}: a period needs 'from' or 'to' (for every date, edit "
                                      f"{ORGANIZATIONS_FILE})")
    if start is not None and end is not None and end < start:
        raise _node_error(name, node, f"{code}: period ends ({end}) before it starts ({start})")
    note = _node_text(name, fields["note"], "'note'") if "note" in fields else None
    return OrgPeriod(code, sectors, start, end, note, f"{name}:{node.start_mark.line + 1}")


def _load(data_dir: Path) -> ActorLexicon:
    countries = _load_countries(data_dir / COUNTRIES_FILE)
    organizations = _load_organizations(data_dir / ORGANIZATIONS_FILE, {c.code for c in countries})
    sectors = _load_sectors(data_dir / SECTORS_FILE)
    status_path = data_dir / ORG_STATUS_FILE
    status = load_org_status(status_path, (o.code for o in organizations)) if status_path.exists() else {}
    return ActorLexicon(countries, organizations, sectors, status=status)


@lru_cache(maxsize=1)
def _load_default() -> ActorLexicon:
    return _load(DEFAULT_DATA_DIR)


def load_actor_lexicon(data_dir: Path | None = None) -> ActorLexicon:
    """Load and validate the actor files (countries, organisations, sector words, and the organisations' dated
    status when ``org_status.yaml`` is present); the packaged default is loaded once and cached."""
    if data_dir is None:
        return _load_default()
    return _load(Path(data_dir))
