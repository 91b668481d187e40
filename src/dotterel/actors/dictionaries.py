"""User actor dictionaries: the PETRARCH/TABARI text format and our own CSV and YAML format.

Why: users of older coders keep large hand-made actor and agent dictionaries; dotterel reads them so their work
carries over, lets them keep their own entries in a simpler table, and writes both formats back out. Every entry
read remembers its ``file:line``; every load error names it.

TABARI/PETRARCH text format (as read here)::

    # a comment line; text after " #" on an entry line is a comment too
    RETNO_MARSUDI_                      # phrase words joined by "_"; a trailing "_" is allowed and dropped
    +RETNO_LESTARI_PRIANSARI_MARSUDI    # a synonym of the entry above
    [IDNGOV 141027-240930]              # a code valid in a date range (YYMMDD-YYMMDD, inclusive)
    [IDNELI >241001]                    # valid on and after a date;  [CODE <YYMMDD]: on and before
    NAVY_SEALS [USAMIL]                 # a one-line entry: phrase and code
    FOREIGN_MINISTER [~GOV]             # agent (no country): suffix form; [GOV~] is the prefix form

Codes: the first three letters are the country when they are an ISO alpha-3 code from our countries table or
one of IGO, UNO, EUR, NGO, MNC; the following 3-letter groups are sectors (``KHMGOVMIL`` = KHM, GOV + MIL).
CAMEO sector spellings we do not use are mapped (HLH → MED, INS/SEP → REB); the modifiers MOD and RAD are
dropped. Two-digit years pivot at 50 (``491231`` is 2049, ``500101`` is 1950); 8-digit dates are read too.
``[---]`` (a phrase that is not an actor) is read and skipped. A comment ``# title: Foreign Minister`` on a
code line gives the entry's title (our extension, written by :func:`dumps` so titles survive a round trip).

Our format: CSV with the header ``phrase,country,sector,sectors,title,start,end`` (optional extra columns
``name`` — the head entry a synonym belongs to — and ``agent`` — ``suffix`` or ``prefix``), or YAML: a list of
mappings with the same keys (``sectors`` as a list or ``A|B``; ``aliases``: a list of synonyms). Dates are
``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; as an end date, a year or month means its last day.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dotterel.actors.lexicon import COUNTRIES_FILE, DEFAULT_DATA_DIR, NON_STATE_CODES, SECTOR_CODES
from dotterel.actors.people import normalize_name, parse_partial_date

FORMATS = ("tabari", "csv", "yaml")
CSV_COLUMNS = ("phrase", "country", "sector", "sectors", "title", "start", "end")
CSV_OPTIONAL = ("name", "agent")
YAML_KEYS = frozenset({*CSV_COLUMNS, *CSV_OPTIONAL, "aliases"})
AGENT_FORMS = ("suffix", "prefix")
# CAMEO sector spellings that have another name in our ontology, and modifiers we do not code.
SECTOR_ALIASES = {"HLH": "MED", "INS": "REB", "SEP": "REB"}
IGNORED_SECTORS = frozenset({"MOD", "RAD"})
NULL_CODE = "---"
PIVOT = 50  # two-digit years below this are 20YY, the rest 19YY

_CODE_RE = re.compile(r"\[([^\]]*)\]")
_TITLE_RE = re.compile(r"#\s*title:\s*(.+?)\s*$")


class DictionaryError(ValueError):
    """A problem in a user dictionary; the message starts with ``file:line``."""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        super().__init__(f"{file}:{line}: {problem}" if line is not None else f"{file}: {problem}")
        self.file = file
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class DictEntry:
    """One phrase with one code (and its date range); a phrase with two dated codes is two entries."""

    phrase: str  # words separated by spaces, case as written ("Retno Marsudi")
    country: str | None
    sector: str | None
    sectors: tuple[str, ...] = ()
    title: str | None = None
    start: date | None = None
    end: date | None = None
    name: str | None = None  # the head entry this phrase is a synonym of; None: the phrase itself
    agent: str | None = None  # "suffix" ([~GOV]) or "prefix" ([GOV~]) for agent entries
    source: str = ""  # "file:line"

    @property
    def head(self) -> str:
        """The entry's display name: the head phrase for a synonym, else the phrase."""
        return self.name or self.phrase

    @property
    def key(self) -> str:
        return phrase_key(self.phrase)

    def valid_on(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def content(self) -> tuple:
        """Everything but the source: what a round trip must keep."""
        return (self.phrase, self.country, self.sector, self.sectors, self.title, self.start, self.end,
                self.name if self.name != self.phrase else None, self.agent)

    def code(self) -> str:
        """The TABARI-style code: ``IDNGOV``, ``~GOV`` (suffix agent), ``GOV~`` (prefix agent)."""
        body = (self.country or "") + "".join(self.sectors)
        if self.agent == "suffix":
            return "~" + body
        if self.agent == "prefix":
            return body + "~"
        return body

    def describe(self) -> str:
        dates = ""
        if self.start or self.end:
            dates = f" {self.start.isoformat() if self.start else '…'}–{self.end.isoformat() if self.end else '…'}"
        return f"'{self.phrase}' → {self.code()}{dates}" + (f" ({self.title})" if self.title else "")


def phrase_key(text: str) -> str:
    """Lookup key of a phrase: as :func:`normalize_name`, with a leading article and TABARI '_' dropped."""
    words = normalize_name(text.replace("_", " ")).split()
    if len(words) > 1 and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO codes of our countries table plus the non-state codes: what a dictionary may name as country."""
    codes = set(NON_STATE_CODES)
    for line in (DEFAULT_DATA_DIR / COUNTRIES_FILE).read_text(encoding="utf-8").splitlines():
        cell = line.split("\t", 1)[0].strip()
        if cell and not cell.startswith("#") and cell != "code":
            codes.add(cell)
    return frozenset(codes)


# ------------------------------------------------------------------------------------------- the dictionary
class UserDictionary:
    """Entries from one or more dictionaries, indexed by phrase, with date-aware lookup."""

    def __init__(self, entries: Iterable[DictEntry] = ()) -> None:
        self.entries: list[DictEntry] = []
        self._index: dict[str, list[DictEntry]] = {}
        self._longest = 0
        self.extend(entries)

    def extend(self, entries: Iterable[DictEntry]) -> int:
        """Add entries (an exact repeat of one already held is skipped); returns how many were added."""
        added = 0
        for entry in entries:
            bucket = self._index.setdefault(entry.key, [])
            if any(e.content() == entry.content() for e in bucket):
                continue
            bucket.append(entry)
            self.entries.append(entry)
            self._longest = max(self._longest, len(entry.key.split()))
            added += 1
        return added

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[DictEntry]:
        return iter(self.entries)

    def find(self, phrase: str) -> list[DictEntry]:
        """Every entry whose phrase is ``phrase`` (case, accents, '_' and a leading article ignored)."""
        return list(self._index.get(phrase_key(phrase), ()))

    def resolve(self, phrase: str, on: date | None = None) -> DictEntry | None:
        """The entry for ``phrase`` on ``on``.

        Rule: an entry whose date range covers ``on`` wins over an undated one (it is more specific); with
        no date, an undated entry wins, then the open-ended or latest-ending one. Dated entries that do not
        cover ``on`` are never used.
        """
        return choose(self.find(phrase), on)

    def scan(self, text: str, on: date | None = None) -> list[tuple[int, int, DictEntry]]:
        """Longest non-overlapping phrase matches in ``text``, left to right: (start word, end word, entry)."""
        words = phrase_key(text).split()
        out: list[tuple[int, int, DictEntry]] = []
        i = 0
        while i < len(words):
            for size in range(min(self._longest, len(words) - i), 0, -1):
                entry = choose(self._index.get(" ".join(words[i:i + size]), []), on)
                if entry is not None:
                    out.append((i, i + size, entry))
                    i += size
                    break
            else:
                i += 1
        return out


def choose(candidates: list[DictEntry], on: date | None) -> DictEntry | None:
    """Pick among entries of one phrase on a date (see :meth:`UserDictionary.resolve`)."""
    if not candidates:
        return None
    undated = [e for e in candidates if e.start is None and e.end is None]
    if on is not None:
        covering = [e for e in candidates if (e.start or e.end) and e.valid_on(on)]
        if covering:
            return covering[0]
        return undated[0] if undated else None
    if undated:
        return undated[0]
    return max(candidates, key=lambda e: (e.end is None, e.end or date.min, e.start or date.min))


# ------------------------------------------------------------------------------------------- codes and dates
def split_code(code: str, where: tuple[str, int], *, agent: bool = False) -> tuple[str | None, tuple[str, ...]]:
    """``KHMGOVMIL`` → ("KHM", ("GOV", "MIL")); ``IGO`` → ("IGO", ("IGO",)); an agent's ``GOV`` → (None,
    ("GOV",)). Agents never take a country. Errors name file:line."""
    code = code.strip().upper()
    if not code or len(code) % 3:
        raise DictionaryError(*where, f"code '{code}' is not a sequence of 3-letter groups")
    groups = [code[i:i + 3] for i in range(0, len(code), 3)]
    country = None
    if not agent and groups[0] in country_codes():
        country = groups[0]
        if len(groups) > 1 or groups[0] not in SECTOR_CODES:  # a bare IGO/NGO is both country and sector
            groups.pop(0)
    sectors: list[str] = []
    for group in groups:
        group = SECTOR_ALIASES.get(group, group)
        if group in IGNORED_SECTORS:
            continue
        if group not in SECTOR_CODES:
            raise DictionaryError(*where, f"'{group}' in code '{code}' is neither a known country code nor a "
                                          "sector code")
        if group not in sectors:
            sectors.append(group)
    return country, tuple(sectors)


def _yymmdd(text: str, where: tuple[str, int]) -> date:
    if not text.isdigit() or len(text) not in (6, 8):
        raise DictionaryError(*where, f"date '{text}' is not YYMMDD (or YYYYMMDD)")
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy < PIVOT else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DictionaryError(*where, f"date '{text}': {exc}") from None


def _format_yymmdd(day: date) -> str:
    if 1900 + PIVOT <= day.year < 2000 + PIVOT:
        return day.strftime("%y%m%d")
    return day.strftime("%Y%m%d")


def _restriction(parts: list[str], where: tuple[str, int]) -> tuple[date | None, date | None]:
    start = end = None
    for part in parts:
        if part.startswith(">"):
            start = _yymmdd(part[1:], where)
        elif part.startswith("<"):
            end = _yymmdd(part[1:], where)
        elif "-" in part:
            left, _, right = part.partition("-")
            start = _yymmdd(left, where) if left else None
            end = _yymmdd(right, where) if right else None
        else:
            raise DictionaryError(*where, f"date restriction '{part}' is not >YYMMDD, <YYMMDD or YYMMDD-YYMMDD")
    if start and end and end < start:
        raise DictionaryError(*where, f"date range ends ({end}) before it starts ({start})")
    return start, end


def iso_date(text: str, where: tuple[str, int], *, end: bool) -> date:
    """``2014`` / ``2014-10`` / ``2014-10-27``; as an end date a year or month means its last day."""
    try:
        return parse_partial_date(text, end=end)
    except ValueError as exc:
        raise DictionaryError(*where, f"date '{text}' {exc}") from None


# ------------------------------------------------------------------------------------------- TABARI reading
@dataclass
class _Block:
    phrases: list[tuple[str, int]]  # (phrase, line)
    codes: list[tuple[str | None, tuple[str, ...], date | None, date | None, str | None, str | None, int]]
    line: int
    null: bool = False


def _strip_comment(line: str) -> tuple[str, str]:
    """Split an entry line into its body and a trailing ``#`` comment (a '#' inside [...] is kept)."""
    depth = 0
    for i, ch in enumerate(line):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == "#" and depth == 0 and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i:]
    return line.rstrip(), ""


def _tabari_phrase(raw: str, where: tuple[str, int]) -> str:
    words = [w for w in raw.strip().rstrip("_").replace("_", " ").split() if w]
    if not words:
        raise DictionaryError(*where, "empty phrase")
    return " ".join(words)


def _parse_codes(body: str, comment: str, where: tuple[str, int], block: _Block) -> None:
    title_match = _TITLE_RE.search(comment)
    title = title_match[1] if title_match else None
    for inner in _CODE_RE.findall(body):
        parts = inner.split()
        if not parts:
            raise DictionaryError(*where, "empty code '[]'")
        code, restriction = parts[0], parts[1:]
        if code.strip("-") == "":
            block.null = True
            continue
        agent = None
        if code.startswith("~"):
            agent, code = "suffix", code[1:]
        elif code.endswith("~"):
            agent, code = "prefix", code[:-1]
        country, sectors = split_code(code, where, agent=agent is not None)
        if not country and not sectors:
            raise DictionaryError(*where, f"code '{code}' gives neither country nor sector")
        start, end = _restriction(restriction, where)
        block.codes.append((country, sectors, start, end, title, agent, where[1]))


def parse_tabari(text: str, file: str = "<string>") -> list[DictEntry]:
    """Entries of a TABARI/PETRARCH actor or agent dictionary (see the module docstring)."""
    entries: list[DictEntry] = []
    block: _Block | None = None

    def close(current: _Block | None) -> None:
        if current is None:
            return
        if not current.codes:
            if current.null:
                return
            raise DictionaryError(file, current.line, f"entry '{current.phrases[0][0]}' has no [CODE]")
        head = current.phrases[0][0]
        for phrase, line in current.phrases:
            for country, sectors, start, end, title, agent, _code_line in current.codes:
                entries.append(DictEntry(phrase, country, sectors[0] if sectors else None, sectors, title, start,
                                         end, head, agent, f"{file}:{line}"))

    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#") or stripped.startswith("<!--"):
            continue
        body, comment = _strip_comment(stripped)
        where = (file, number)
        if body.count("[") != body.count("]"):
            raise DictionaryError(*where, "unbalanced '[' ']'")
        if body.startswith("["):
            if block is None:
                raise DictionaryError(*where, "a [CODE] line before any phrase")
            if _CODE_RE.sub("", body).strip():
                raise DictionaryError(*where, f"text after the code: '{_CODE_RE.sub('', body).strip()}'")
            _parse_codes(body, comment, where, block)
            continue
        phrase_part = body.split("[", 1)[0]
        if body.startswith("+"):
            if block is None:
                raise DictionaryError(*where, "a '+synonym' line before any phrase")
            block.phrases.append((_tabari_phrase(phrase_part[1:], where), number))
            if "[" in body:
                _parse_codes(body[len(phrase_part):], comment, where, block)
            continue
        close(block)
        block = _Block([(_tabari_phrase(phrase_part, where), number)], [], number)
        if "[" in body:
            _parse_codes(body[len(phrase_part):], comment, where, block)
    close(block)
    return entries


# ------------------------------------------------------------------------------------------- our formats
def _check(entry_fields: dict[str, str | None], where: tuple[str, int]) -> DictEntry:
    phrase = (entry_fields.get("phrase") or "").strip()
    if not phrase:
        raise DictionaryError(*where, "empty phrase")
    country = (entry_fields.get("country") or "").strip() or None
    if country is not None and country not in country_codes():
        raise DictionaryError(*where, f"unknown country '{country}' (not in countries.tsv, not "
                                      f"{'/'.join(sorted(NON_STATE_CODES))})")
    sector = (entry_fields.get("sector") or "").strip() or None
    listed = [s.strip() for s in (entry_fields.get("sectors") or "").split("|") if s.strip()]
    for code in [sector, *listed]:
        if code is not None and code not in SECTOR_CODES:
            raise DictionaryError(*where, f"unknown sector '{code}'")
    if len(set(listed)) != len(listed):
        raise DictionaryError(*where, "a sector is repeated in sectors")
    if sector is None and listed:
        sector = listed[0]
    if sector is not None and listed and sector not in listed:
        raise DictionaryError(*where, f"primary sector '{sector}' missing from sectors '{'|'.join(listed)}'")
    sectors = tuple([sector, *[s for s in listed if s != sector]]) if sector else ()
    if country is None and sector is None:
        raise DictionaryError(*where, f"'{phrase}' has neither country nor sector")
    start_text = (entry_fields.get("start") or "").strip()
    end_text = (entry_fields.get("end") or "").strip()
    start = iso_date(start_text, where, end=False) if start_text else None
    end = iso_date(end_text, where, end=True) if end_text else None
    if start and end and end < start:
        raise DictionaryError(*where, f"entry ends ({end}) before it starts ({start})")
    agent = (entry_fields.get("agent") or "").strip() or None
    if agent is not None and agent not in AGENT_FORMS:
        raise DictionaryError(*where, f"agent must be {' or '.join(AGENT_FORMS)}, not '{agent}'")
    if agent and country:
        raise DictionaryError(*where, f"an agent entry cannot name a country ({country})")
    name = (entry_fields.get("name") or "").strip() or None
    title = (entry_fields.get("title") or "").strip() or None
    return DictEntry(phrase, country, sector, sectors, title, start, end, name, agent, f"{where[0]}:{where[1]}")


def parse_csv(text: str, file: str = "<string>") -> list[DictEntry]:
    """Entries of our CSV format; '#' lines and blank lines are skipped."""
    lines = text.splitlines()
    header: list[str] | None = None
    entries: list[DictEntry] = []
    for number, row in _csv_rows(lines):
        if header is None:
            header = [c.strip() for c in row]
            missing = [c for c in CSV_COLUMNS if c not in header]
            unknown = [c for c in header if c not in CSV_COLUMNS and c not in CSV_OPTIONAL]
            if missing:
                raise DictionaryError(file, number, f"header lacks column(s) {', '.join(missing)}; expected "
                                                    f"{','.join(CSV_COLUMNS)}")
            if unknown:
                raise DictionaryError(file, number, f"unknown column(s) in header: {', '.join(unknown)}")
            continue
        if len(row) > len(header):
            raise DictionaryError(file, number, f"{len(row)} fields, the header has {len(header)}")
        row = row + [""] * (len(header) - len(row))
        entries.append(_check(dict(zip(header, row, strict=True)), (file, number)))
    if header is None:
        raise DictionaryError(file, None, "no header line")
    return entries


def _csv_rows(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = next(csv.reader([line]))
        except csv.Error as exc:
            raise DictionaryError("<csv>", number, str(exc)) from None
        yield number, row


def parse_yaml(text: str, file: str = "<string>") -> list[DictEntry]:
    """Entries of our YAML format: a list of mappings (keys as the CSV columns, plus ``aliases``)."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DictionaryError(file, mark.line + 1 if mark else None,
                              f"YAML error: {getattr(exc, 'problem', None) or exc}") from None
    if root is None:
        return []
    if not isinstance(root, SequenceNode):
        raise DictionaryError(file, root.start_mark.line + 1, "the file must be a list of entries")
    entries: list[DictEntry] = []
    for item in root.value:
        where = (file, item.start_mark.line + 1)
        if not isinstance(item, MappingNode):
            raise DictionaryError(*where, "an entry must be a mapping")
        fields: dict[str, str | None] = {}
        aliases: list[str] = []
        for key_node, value in item.value:
            key = str(key_node.value)
            if key not in YAML_KEYS:
                raise DictionaryError(file, key_node.start_mark.line + 1,
                                      f"unknown key '{key}' (allowed: {', '.join(sorted(YAML_KEYS))})")
            if key in fields or (key == "aliases" and aliases):
                raise DictionaryError(file, key_node.start_mark.line + 1, f"duplicate key '{key}'")
            if key == "aliases":
                aliases = [_yaml_scalar(file, v) for v in _yaml_list(file, value)]
            elif key == "sectors" and isinstance(value, SequenceNode):
                fields[key] = "|".join(_yaml_scalar(file, v) for v in value.value)
            else:
                fields[key] = _yaml_scalar(file, value)
        entry = _check(fields, where)
        entries.append(entry)
        for alias in aliases:
            entries.append(replace(entry, phrase=alias, name=entry.name or entry.phrase))
    return entries


def _yaml_list(file: str, node: Node) -> list[Node]:
    if not isinstance(node, SequenceNode):
        raise DictionaryError(file, node.start_mark.line + 1, "aliases must be a list")
    return list(node.value)


def _yaml_scalar(file: str, node: Node) -> str:
    if not isinstance(node, ScalarNode):
        raise DictionaryError(file, node.start_mark.line + 1, "expected a text value")
    return str(node.value)


# ------------------------------------------------------------------------------------------- files
def detect_format(path: Path) -> str:
    """By extension: .csv → csv, .yaml/.yml → yaml, anything else (.txt, .actors, .agents ...) → tabari."""
    suffix = path.suffix.lower()
    return {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}.get(suffix, "tabari")


def parse(text: str, format: str, file: str = "<string>") -> list[DictEntry]:
    """Entries of ``text`` in ``format`` (tabari, csv or yaml)."""
    if format == "tabari":
        return parse_tabari(text, file)
    if format == "csv":
        return parse_csv(text, file)
    if format == "yaml":
        return parse_yaml(text, file)
    raise ValueError(f"unknown dictionary format '{format}' (use {', '.join(FORMATS)})")


def read_dictionary(path: str | Path, format: str | None = None) -> list[DictEntry]:
    """Read one dictionary file (format from the extension unless given); errors name file:line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DictionaryError(str(path), None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise DictionaryError(str(path), None, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    return parse(text, format or detect_format(path), path.name)


def load_dictionaries(paths: Iterable[str | Path]) -> UserDictionary:
    """A user dictionary from several files; later files add to earlier ones."""
    user = UserDictionary()
    for path in paths:
        user.extend(read_dictionary(path))
    return user


# ------------------------------------------------------------------------------------------- writing
def dumps(entries: Iterable[DictEntry], format: str) -> str:
    """Entries as text in ``format``; reading it back gives the same entries (sources aside)."""
    entries = list(entries)
    if format == "csv":
        return _dump_csv(entries)
    if format == "yaml":
        return _dump_yaml(entries)
    if format == "tabari":
        return _dump_tabari(entries)
    raise ValueError(f"unknown dictionary format '{format}' (use {', '.join(FORMATS)})")


def write_dictionary(entries: Iterable[DictEntry], path: str | Path, format: str | None = None) -> int:
    """Write entries to ``path`` (format from the extension unless given); returns the number written."""
    entries = list(entries)
    path = Path(path)
    path.write_text(dumps(entries, format or detect_format(path)), encoding="utf-8")
    return len(entries)


def _row(entry: DictEntry) -> dict[str, str]:
    return {
        "phrase": entry.phrase,
        "country": entry.country or "",
        "sector": entry.sector or "",
        "sectors": "|".join(entry.sectors) if len(entry.sectors) > 1 else "",
        "title": entry.title or "",
        "start": entry.start.isoformat() if entry.start else "",
        "end": entry.end.isoformat() if entry.end else "",
        "name": entry.name if entry.name and entry.name != entry.phrase else "",
        "agent": entry.agent or "",
    }


def _dump_csv(entries: list[DictEntry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*CSV_COLUMNS, *CSV_OPTIONAL], lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow(_row(entry))
    return out.getvalue()


def _dump_yaml(entries: list[DictEntry]) -> str:
    items = []
    for entry in entries:
        row = _row(entry)
        item: dict[str, object] = {k: v for k, v in row.items() if v}
        if len(entry.sectors) > 1:
            item["sectors"] = list(entry.sectors)
        items.append(item)
    return yaml.safe_dump(items, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _tabari_code(entry: DictEntry) -> str:
    parts = [entry.code()]
    if entry.start and entry.end:
        parts.append(f"{_format_yymmdd(entry.start)}-{_format_yymmdd(entry.end)}")
    elif entry.start:
        parts.append(">" + _format_yymmdd(entry.start))
    elif entry.end:
        parts.append("<" + _format_yymmdd(entry.end))
    line = "[" + " ".join(parts) + "]"
    return line + (f"  # title: {entry.title}" if entry.title else "")


def _dump_tabari(entries: list[DictEntry]) -> str:
    """Blocks: a head phrase, its '+synonyms', then one code line per code. Phrases that share a head and
    exactly the same codes form one block."""
    groups: dict[str, dict[tuple, list[str]]] = {}
    codes_of: dict[tuple[str, str], list[DictEntry]] = {}
    for entry in entries:
        codes_of.setdefault((entry.head, entry.phrase), []).append(entry)
    for (head, phrase), own in codes_of.items():
        signature = tuple(_tabari_code(e) for e in own)
        groups.setdefault(head, {}).setdefault(signature, []).append(phrase)
    lines: list[str] = []
    for head, by_codes in groups.items():
        for signature, phrases in by_codes.items():
            ordered = sorted(phrases, key=lambda p: p != head)
            lines.append(ordered[0].replace(" ", "_"))
            lines.extend("+" + p.replace(" ", "_") for p in ordered[1:])
            lines.extend(signature)
    return "\n".join(lines) + ("\n" if lines else "")
