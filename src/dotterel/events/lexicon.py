"""The event ontology (PLOVER types, CAMEO codes) and the trigger lexicon that types events.

Both are data files under ``dotterel/data`` so that linguists can review and extend them without touching
code. They are validated completely at load time: the engine must never meet a malformed entry while coding,
and every problem is reported with the file and line that caused it ("triggers.yaml:57: ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ONTOLOGY_DIR = DATA_DIR / "ontology"
TRIGGERS_PATH = DATA_DIR / "lexicon" / "triggers.yaml"

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

CONTEXTS: tuple[str, ...] = (
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights", "rights_freedoms",
    "repression", "human_security", "gender", "lgbt", "religion_ethnicity", "inequality", "diplomatic",
    "territory", "peacekeeping", "health", "asylum", "migration", "disasters", "natural_resource",
    "environment", "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime", "corruption",
    "illegal_drugs",
)  # fmt: skip

POS = ("verb", "noun")
RECIPIENT_SLOTS = frozenset({"dobj", "iobj", "of", "poss", "nsubj"})  # plus prep:<word>; nsubj: host of a visit
ACTOR_SLOTS = frozenset({"nsubj", "dobj", "poss", "compound", "governor"})  # plus prep:<word>
DEFAULT_RECIPIENT = {"verb": ("dobj",), "noun": ("of",)}
DEFAULT_ACTOR = {"verb": ("nsubj",), "noun": ("poss", "prep:by", "compound", "governor")}

_FIELDS = frozenset(
    {"verb", "noun", "particle", "object", "xcomp", "mode", "cameo", "context", "recipient", "actor",
     "requires_recipient", "id"}
)  # fmt: skip
_LEMMA = re.compile(r"^[a-z](?:[a-z'-]*[a-z])?$")
_WORD = re.compile(r"^[a-z]+$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_CAMEO = re.compile(r"^\d{2,4}$")
_MODE = re.compile(r"^[a-z][a-z-]*$")
_QUAD_OF_ROOT = {f"{r:02d}": (1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4) for r in range(1, 21)}
_PLOVER_COLUMNS = ("event", "quad", "recipient", "modes", "default_cameo", "description")
_CAMEO_COLUMNS = ("code", "name", "goldstein", "quad", "event", "mode")


class LexiconError(ValueError):
    """A broken ontology or lexicon file; the message starts with ``file:line``."""

    def __init__(self, source: str, problem: str | None = None) -> None:
        super().__init__(source if problem is None else f"{source}: {problem}")
        self.source = source if problem is not None else None
        self.problem = problem if problem is not None else source


@dataclass(frozen=True)
class PloverType:
    """One PLOVER event type as plover.tsv defines it."""

    event: str
    quad: int
    recipient_required: bool
    modes: tuple[str, ...]
    default_cameo: str
    description: str = ""


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO code with its Goldstein weight and the PLOVER type/mode it maps to (event None: not coded)."""

    code: str
    name: str
    goldstein: float
    quad: int
    event: str | None
    mode: str | None


@dataclass(frozen=True, eq=False)
class Ontology:
    """PLOVER types and CAMEO codes, cross-checked against each other."""

    types: dict[str, PloverType]
    cameo: dict[str, CameoCode]

    def cameo_code(self, code: str) -> CameoCode:
        """The code itself, else its nearest listed ancestor (``"1734"`` -> ``"173"`` -> ``"17"``).

        Exporters meet codes from other tools; a missing leaf must not crash them. Only a code whose 2-digit
        root is unknown raises :class:`LexiconError`.
        """
        code = str(code).strip()
        for length in range(len(code), 1, -1):
            found = self.cameo.get(code[:length])
            if found is not None:
                return found
        raise LexiconError("cameo.tsv", f"unknown CAMEO code {code!r} (no listed root)")


@dataclass(frozen=True)
class TriggerEntry:
    """One trigger: a lemma plus the constraints under which it signals an event."""

    id: str
    pos: str
    lemma: str
    event: str
    mode: str | None
    cameo: str
    context: tuple[str, ...]
    particle: str | None
    objects: tuple[str, ...]
    xcomps: tuple[str, ...]
    recipient: tuple[str, ...]
    actor: tuple[str, ...]
    requires_recipient: bool
    source: str

    @property
    def specificity(self) -> int:
        """Number of constraints (particle, objects, xcomps): a more constrained match wins."""
        return int(self.particle is not None) + int(bool(self.objects)) + int(bool(self.xcomps))


class TriggerLexicon:
    """All trigger entries, indexed by (pos, lemma)."""

    def __init__(self, entries: tuple[TriggerEntry, ...] | list[TriggerEntry]) -> None:
        self.entries: tuple[TriggerEntry, ...] = tuple(entries)
        index: dict[tuple[str, str], list[tuple[int, TriggerEntry]]] = {}
        for order, entry in enumerate(self.entries):
            index.setdefault((entry.pos, entry.lemma), []).append((order, entry))
        self._index: dict[tuple[str, str], tuple[TriggerEntry, ...]] = {
            key: tuple(
                e for _, e in sorted(items, key=lambda it: (-it[1].specificity, -it[1].requires_recipient, it[0]))
            )
            for key, items in index.items()
        }
        self._lemmas = {pos: frozenset(lemma for p, lemma in self._index if p == pos) for pos in POS}
        self._by_id = {e.id: e for e in self.entries}

    def candidates(self, pos: str, lemma: str) -> list[TriggerEntry]:
        """Entries for a lemma, most specific first; ties: entries needing a recipient, then file order.

        ``pos`` is ``"verb"`` or ``"noun"`` (case-insensitive); any other part of speech has no entries.
        """
        return list(self._index.get((pos.lower(), lemma.lower()), ()))

    def lemmas(self, pos: str) -> frozenset[str]:
        """All lemmas with at least one entry for this part of speech (a cheap pre-filter for the engine)."""
        return self._lemmas.get(pos.lower(), frozenset())

    def get(self, entry_id: str) -> TriggerEntry | None:
        """The entry with this id, for tests and for explaining a ``reasons`` string."""
        return self._by_id.get(entry_id)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[TriggerEntry]:
        return iter(self.entries)


# --------------------------------------------------------------------------------------------- ontology


def _tsv_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a TSV file with a fixed header; ``#`` lines and blank lines are comments."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"{name}:0", f"cannot read {path}: {exc.strerror or exc}") from exc
    header_seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header_seen:
            if tuple(cells) != columns:
                raise LexiconError(f"{name}:{lineno}", f"header must be {' TAB '.join(columns)}, got {line!r}")
            header_seen = True
            continue
        if len(cells) != len(columns):
            raise LexiconError(f"{name}:{lineno}", f"expected {len(columns)} tab-separated columns, got {len(cells)}")
        if any(not c for c in cells):
            missing = [col for col, c in zip(columns, cells, strict=True) if not c]
            raise LexiconError(f"{name}:{lineno}", f"empty column(s) {', '.join(missing)} (use '-' for none)")
        yield lineno, dict(zip(columns, cells, strict=True))
    if not header_seen:
        raise LexiconError(f"{name}:1", "no header line")


def _parse_quad(where: str, value: str) -> int:
    if value not in {"1", "2", "3", "4"}:
        raise LexiconError(where, f"quad must be 1, 2, 3 or 4, got {value!r}")
    return int(value)


def _read_plover(path: Path) -> tuple[dict[str, PloverType], dict[str, int]]:
    types: dict[str, PloverType] = {}
    lines: dict[str, int] = {}
    last = 1
    for lineno, row in _tsv_rows(path, _PLOVER_COLUMNS):
        where, last = f"{path.name}:{lineno}", lineno
        event = row["event"]
        if event not in PLOVER_TYPES:
            raise LexiconError(where, f"unknown PLOVER type {event!r}")
        if event in types:
            raise LexiconError(where, f"{event} listed twice (first at line {lines[event]})")
        if row["recipient"] not in {"required", "optional"}:
            raise LexiconError(where, f"recipient must be 'required' or 'optional', got {row['recipient']!r}")
        modes: tuple[str, ...] = ()
        if row["modes"] != "-":
            modes = tuple(m.strip() for m in row["modes"].split("|"))
            bad = [m for m in modes if not _MODE.match(m)]
            if bad:
                raise LexiconError(where, f"malformed mode(s) {bad}")
            if len(set(modes)) != len(modes):
                raise LexiconError(where, f"duplicate mode in {row['modes']!r}")
        if not _CAMEO.match(row["default_cameo"]):
            raise LexiconError(where, f"default_cameo must be 2-4 digits, got {row['default_cameo']!r}")
        types[event] = PloverType(
            event=event,
            quad=_parse_quad(where, row["quad"]),
            recipient_required=row["recipient"] == "required",
            modes=modes,
            default_cameo=row["default_cameo"],
            description=row["description"],
        )
        lines[event] = lineno
    missing = [t for t in PLOVER_TYPES if t not in types]
    if missing:
        raise LexiconError(f"{path.name}:{last}", f"missing PLOVER type(s): {', '.join(missing)}")
    ordered = {t: types[t] for t in PLOVER_TYPES}
    return ordered, lines


def _read_cameo(path: Path, types: dict[str, PloverType]) -> dict[str, CameoCode]:
    codes: dict[str, CameoCode] = {}
    lines: dict[str, int] = {}
    for lineno, row in _tsv_rows(path, _CAMEO_COLUMNS):
        where = f"{path.name}:{lineno}"
        code = row["code"]
        if not _CAMEO.match(code) or code[:2] not in _QUAD_OF_ROOT:
            raise LexiconError(where, f"malformed CAMEO code {code!r} (2-4 digits, root 01-20)")
        if code in codes:
            raise LexiconError(where, f"code {code} listed twice (first at line {lines[code]})")
        try:
            goldstein = float(row["goldstein"])
        except ValueError:
            raise LexiconError(where, f"goldstein must be a number, got {row['goldstein']!r}") from None
        if not -10.0 <= goldstein <= 10.0:
            raise LexiconError(where, f"goldstein {goldstein} outside the scale -10..10")
        quad = _parse_quad(where, row["quad"])
        if quad != _QUAD_OF_ROOT[code[:2]]:
            raise LexiconError(
                where, f"quad {quad} disagrees with the CAMEO quad class {_QUAD_OF_ROOT[code[:2]]} of root {code[:2]}"
            )
        event = None if row["event"] == "-" else row["event"]
        mode = None if row["mode"] == "-" else row["mode"]
        if event is not None and event not in types:
            raise LexiconError(where, f"unknown PLOVER type {event!r}")
        if mode is not None:
            if event is None:
                raise LexiconError(where, f"mode {mode!r} given for a code that is not coded (event '-')")
            if mode not in types[event].modes:
                raise LexiconError(where, f"mode {mode!r} is not a mode of {event}")
        if len(code) > 2:
            parent = code[:2] if len(code) == 3 else code[:3]
            if parent not in codes:
                raise LexiconError(where, f"code {code} listed before (or without) its parent {parent}")
        codes[code] = CameoCode(code, row["name"], goldstein, quad, event, mode)
        lines[code] = lineno
    return codes


@lru_cache(maxsize=8)
def load_ontology(data_dir: Path | None = None) -> Ontology:
    """Read and cross-check ``plover.tsv`` and ``cameo.tsv`` (cached: called once per process)."""
    base = Path(data_dir) if data_dir is not None else ONTOLOGY_DIR
    plover_path = base / "plover.tsv"
    types, plover_lines = _read_plover(plover_path)
    cameo = _read_cameo(base / "cameo.tsv", types)
    for event, ptype in types.items():
        where = f"{plover_path.name}:{plover_lines[event]}"
        code = cameo.get(ptype.default_cameo)
        if code is None:
            raise LexiconError(where, f"default_cameo {ptype.default_cameo!r} is not in cameo.tsv")
        if code.event != event:
            raise LexiconError(where, f"default_cameo {code.code} maps to {code.event or '-'}, not {event}")
    return Ontology(types=types, cameo=cameo)


# ------------------------------------------------------------------------------------------------ triggers


class _YamlProblem(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


class _Map(dict):
    """A YAML mapping that remembers where it and each of its keys start."""

    line: int = 0
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    """SafeLoader with line numbers, duplicate-key errors, and only true/false as booleans.

    YAML 1.1 reads ``on``, ``off``, ``yes`` and ``no`` as booleans, but ``particle: on`` must stay a word.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise _YamlProblem(line, f"mapping keys must be words, got {key!r}")
        if key in result:
            raise _YamlProblem(line, f"duplicate key {key!r} (first at line {result.key_lines[key]})")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


class _Seq(list):
    """A YAML sequence that remembers the line of each item."""

    item_lines: list[int]


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _read_yaml(path: Path) -> Any:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"{name}:0", f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _YamlProblem as exc:
        raise LexiconError(f"{name}:{exc.line}", exc.problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise LexiconError(f"{name}:{line}", f"YAML syntax: {exc.problem or exc.context}") from None


def _lemma_list(where: str, field: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise LexiconError(where, f"{field} must be a non-empty list of lemmas, got {value!r}")
    for item in value:
        _check_lemma(where, field, item)
    if len(set(value)) != len(value):
        raise LexiconError(where, f"{field} lists a lemma twice: {value}")
    return tuple(value)


def _check_lemma(where: str, field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise LexiconError(where, f"{field} must be a lemma (a word), got {value!r}")
    if value != value.lower():
        raise LexiconError(where, f"{field} lemma {value!r} is not lowercase")
    if not _LEMMA.match(value):
        raise LexiconError(where, f"{field} lemma {value!r} is not a single word")
    return value


def _slots(where: str, field: str, value: Any, allowed: frozenset[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise LexiconError(where, f"{field} must be a non-empty list of slots, got {value!r}")
    for slot in value:
        if not isinstance(slot, str):
            raise LexiconError(where, f"{field} slot must be a string, got {slot!r}")
        if slot.startswith("prep:"):
            if not _WORD.match(slot[5:]):
                raise LexiconError(where, f"{field} slot {slot!r}: prep: needs a lowercase preposition")
        elif slot not in allowed:
            choices = ", ".join(sorted(allowed | {"prep:<word>"}))
            raise LexiconError(where, f"unknown {field} slot {slot!r} (one of {choices})")
    if len(set(value)) != len(value):
        raise LexiconError(where, f"{field} lists a slot twice: {value}")
    return tuple(value)


def _entry(raw: Any, event: str, ontology: Ontology, source: str, where: str) -> TriggerEntry:
    if not isinstance(raw, dict):
        raise LexiconError(where, f'an entry must be a mapping like {{verb: meet, cameo: "040"}}, got {raw!r}')
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise LexiconError(where, f"unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(_FIELDS))})")
    present = [p for p in POS if p in raw]
    if len(present) != 1:
        raise LexiconError(where, "an entry needs exactly one of verb: or noun:")
    pos = present[0]
    lemma = _check_lemma(where, pos, raw[pos])
    ptype = ontology.types[event]

    particle = raw.get("particle")
    if particle is not None and (not isinstance(particle, str) or not _WORD.match(particle)):
        raise LexiconError(where, f"particle must be one lowercase word, got {particle!r}")
    objects = _lemma_list(where, "object", raw["object"]) if "object" in raw else ()
    xcomps = _lemma_list(where, "xcomp", raw["xcomp"]) if "xcomp" in raw else ()
    if xcomps and pos != "verb":
        raise LexiconError(where, "xcomp only applies to verbs")

    if "cameo" not in raw:
        raise LexiconError(where, "cameo is required")
    cameo = raw["cameo"]
    if not isinstance(cameo, str):
        raise LexiconError(where, f'cameo must be a quoted string like "040", got {cameo!r}')
    code = ontology.cameo.get(cameo)
    if code is None:
        raise LexiconError(where, f"cameo {cameo!r} is not in cameo.tsv")
    if code.event != event:
        raise LexiconError(where, f"cameo {cameo} maps to {code.event or '-'}, not {event}")

    mode = raw.get("mode")
    if mode is not None:
        if not isinstance(mode, str) or mode not in ptype.modes:
            modes = ", ".join(ptype.modes) or "none"
            raise LexiconError(where, f"mode {mode!r} is not a mode of {event} (modes: {modes})")
    else:
        mode = code.mode

    context: tuple[str, ...] = ()
    if "context" in raw:
        value = raw["context"]
        if not isinstance(value, list) or not value:
            raise LexiconError(where, f"context must be a non-empty list, got {value!r}")
        for item in value:
            if item not in CONTEXTS:
                raise LexiconError(where, f"unknown context {item!r}")
        context = tuple(value)

    recipient = (
        _slots(where, "recipient", raw["recipient"], RECIPIENT_SLOTS) if "recipient" in raw else DEFAULT_RECIPIENT[pos]
    )
    actor = _slots(where, "actor", raw["actor"], ACTOR_SLOTS) if "actor" in raw else DEFAULT_ACTOR[pos]

    requires = raw.get("requires_recipient", False)
    if not isinstance(requires, bool):
        raise LexiconError(where, f"requires_recipient must be true or false, got {requires!r}")

    if "id" in raw:
        entry_id = raw["id"]
        if not isinstance(entry_id, str) or not _ID.match(entry_id):
            raise LexiconError(where, f"id must be lowercase letters, digits, '.', '_' or '-', got {entry_id!r}")
    else:
        # Nouns carry "-n" so that a verb and its homograph noun ("attack", "arrest") get distinct ids.
        head = lemma if pos == "verb" else f"{lemma}-n"
        parts = [event.lower(), head] + ([particle] if particle else []) + ([objects[0]] if objects else [])
        entry_id = ".".join(parts)

    return TriggerEntry(
        id=entry_id,
        pos=pos,
        lemma=lemma,
        event=event,
        mode=mode,
        cameo=cameo,
        context=context,
        particle=particle,
        objects=objects,
        xcomps=xcomps,
        recipient=recipient,
        actor=actor,
        # The type's own need for a recipient (COOPERATE, AID, SANCTION) is folded in, so the engine reads
        # one flag.
        requires_recipient=requires or ptype.recipient_required,
        source=source,
    )


@lru_cache(maxsize=8)
def load_triggers(path: Path | None = None, ontology: Ontology | None = None) -> TriggerLexicon:
    """Read and validate ``triggers.yaml`` against the ontology (cached: called once per process)."""
    path = Path(path) if path is not None else TRIGGERS_PATH
    ontology = ontology if ontology is not None else load_ontology()
    name = path.name
    data = _read_yaml(path)
    if not isinstance(data, _Map):
        raise LexiconError(f"{name}:1", "the file must be a mapping from PLOVER types to lists of entries")
    entries: list[TriggerEntry] = []
    seen: dict[str, str] = {}
    for event, items in data.items():
        key_where = f"{name}:{data.key_lines[event]}"
        if event not in ontology.types:
            raise LexiconError(key_where, f"unknown PLOVER type {event!r}")
        if items is None:
            continue
        if not isinstance(items, list):
            raise LexiconError(key_where, f"{event} must hold a list of entries")
        for position, raw in enumerate(items):
            line = items.item_lines[position] if isinstance(items, _Seq) else data.key_lines[event]
            where = f"{name}:{line}"
            entry = _entry(raw, event, ontology, source=where, where=where)
            if entry.id in seen:
                raise LexiconError(where, f"duplicate id {entry.id!r} (first at {seen[entry.id]})")
            seen[entry.id] = where
            entries.append(entry)
    return TriggerLexicon(entries)
