"""Scoring coded events against a hand-coded gold set (behind ``dotterel eval``).

Why this exists: every lexicon or rule change must be measurable, so the scorer has to be strict, explainable
(each error can be listed with its evidence and reasons) and independent of the order events are emitted in.

Gold format (JSONL, one item per line; blank lines are skipped)::

    {"id": "k1", "pub_date": "2024-05-02", "text": "...",
     "events": [{"event": "CONSULT", "mode": "visit", "actor": ["USA", ["GOV"]],
                 "recipient": ["CHN", []], "symmetric": true, "date": "2024-05-01"}],
     "optional": [ ...same shape... ], "tags": ["diplomacy"]}

``mode``, ``recipient``, ``symmetric``, ``date``, ``pub_date``, ``optional`` and ``tags`` may be left out; an
empty sector list accepts any sector; a ``note`` key is allowed anywhere for annotators' comments. Malformed
items raise :class:`GoldFormatError` naming ``file:line`` for every problem found.

Predictions are the ``EventRecord.to_dict()`` JSON (``doc_id``, ``event``, ``actor``/``recipient`` entity
lists with ``country``, ``sector``, ``sectors``, ``evidence``, ``reasons``), grouped by ``doc_id``.

Matching semantics
------------------
* A prediction's actor countries are the set of non-null ``country`` values of its actor entities; the same
  for the recipient.
* ``type`` level: same event type.
  ``dyad`` level: type, gold actor country in the prediction's actor countries, and for the recipient: a
  null gold recipient needs a prediction without recipient countries, otherwise the gold recipient country
  must be in the prediction's recipient countries. A ``symmetric`` gold event (which must have a recipient)
  also matches with actor and recipient swapped.
  ``full`` level: dyad, and in the same orientation some predicted actor entity with the gold actor country
  has a sector (its primary ``sector`` or any of ``sectors``) in the gold acceptable list (empty list: any);
  the same for the recipient (a null gold recipient needs nothing more).
  Mode and date are not scored (they are shown in error listings).
* Per item and per level, predictions are matched one-to-one to gold events (required and optional together)
  by an optimal bipartite matching (Hungarian algorithm on tiered integer weights), which maximises, in this
  order: the number of required gold events matched, then the number of gold events matched (so optional
  events absorb as many predictions as possible), then how exact the pairs are (pairs that also match at a
  stricter level, then equal modes). Levels are matched separately, so each level gets its best score and
  ``type >= dyad >= full`` always holds for true positives.
* Counting: a prediction matched to a required gold event is a TP; one matched to an optional gold event is
  ignored (neither TP nor FP; counted as ``ignored``); other predictions are FPs; unmatched required gold
  events are FNs. Recall therefore only counts required events.
* Micro precision, recall and F1 over all items; the same per event type (a TP belongs to the shared type, an
  FP to the predicted type, an FN to the gold type). A ratio with a zero denominator is ``None`` (shown as
  "-"): e.g. an empty gold set scored against no predictions has no defined precision or recall.
  F1 is ``2TP / (2TP + FP + FN)``, equal to the harmonic mean whenever both are defined.
* Per tag: the dyad-level counts of the items carrying that tag (recall is the figure of interest).
* Type confusion: starting from the type-level matching, the required gold events and the predictions left
  unmatched on the same item are paired regardless of type (dyad-agnostic), as many pairs as possible,
  preferring pairs whose countries agree; each pair is one off-diagonal cell. The rest go to the ``∅`` row
  (false alarms) or ``∅`` column (misses). Predictions absorbed by optional events are left out. So per type,
  the row sum of the table is the gold count and the column sum is the prediction count (less ignored ones).
* Error lists (per level): every FP with its evidence sentence and reasons, every FN with the item text; each
  error names its closest counterpart, i.e. its partner at the nearest laxer level where it had one (the type
  confusion alignment being the laxest), which tells a sector slip from a wrong dyad from a wrong type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

__all__ = [
    "LEVELS",
    "NONE_LABEL",
    "PLOVER_TYPES",
    "Counts",
    "EvalError",
    "EvalReport",
    "GoldEvent",
    "GoldFormatError",
    "GoldItem",
    "load_gold",
    "load_predictions",
    "match_level",
    "predict",
    "score",
]

LEVELS: tuple[str, ...] = ("type", "dyad", "full")
NONE_LABEL = "∅"

# The 16 PLOVER event types in the manual's order (used to validate gold and to order tables).
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

_CODE_RE = re.compile(r"^[A-Z]{3}$")
_ITEM_KEYS = {"id", "pub_date", "text", "events", "optional", "tags", "note"}
_EVENT_KEYS = {"event", "mode", "actor", "recipient", "symmetric", "date", "note"}


# ----------------------------------------------------------------------------------------------- gold records


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One hand-coded event; sector tuples list the acceptable sectors (empty: any)."""

    event: str
    mode: str | None
    actor_country: str
    actor_sectors: tuple[str, ...]
    recipient_country: str | None
    recipient_sectors: tuple[str, ...]
    symmetric: bool = False
    date: date | None = None

    def describe(self) -> str:
        """Short human form, e.g. ``CONSULT(visit) USA[GOV]→CHN[*] sym``."""
        head = f"{self.event}({self.mode})" if self.mode else self.event
        rec = f"{self.recipient_country}[{_sectors_text(self.recipient_sectors)}]" if self.recipient_country else "-"
        dyad = f"{self.actor_country}[{_sectors_text(self.actor_sectors)}]→{rec}"
        tail = " sym" if self.symmetric else ""
        when = f" on {self.date.isoformat()}" if self.date else ""
        return f"{head} {dyad}{tail}{when}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "mode": self.mode,
            "actor": [self.actor_country, list(self.actor_sectors)],
            "recipient": [self.recipient_country, list(self.recipient_sectors)] if self.recipient_country else None,
            "symmetric": self.symmetric,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(slots=True)
class GoldItem:
    """One gold document with its required and optional events."""

    id: str
    pub_date: date | None
    text: str
    events: list[GoldEvent]
    optional: list[GoldEvent] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


class GoldFormatError(ValueError):
    """A gold file with malformed items; ``problems`` holds every ``file:line: problem`` found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:50]
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in gold data:\n" + "\n".join(shown) + more)


def _sectors_text(sectors: Iterable[str]) -> str:
    joined = ",".join(sectors)
    return joined or "*"


def _parse_date(value: Any, what: str, problems: list[str]) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        problems.append(f"{what} must be 'YYYY-MM-DD' or null, got {value!r}")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        problems.append(f"{what} {value!r} is not a valid date ({exc})")
        return None


def _parse_party(value: Any, what: str, problems: list[str]) -> tuple[str | None, tuple[str, ...]]:
    if not (isinstance(value, list) and len(value) == 2):
        problems.append(f"{what} must be [country, [sectors]], got {value!r}")
        return None, ()
    country, sectors = value
    ok = True
    if not (isinstance(country, str) and _CODE_RE.match(country)):
        problems.append(f"{what} country must be a 3-letter upper-case code, got {country!r}")
        ok = False
    if not (isinstance(sectors, list) and all(isinstance(s, str) and _CODE_RE.match(s) for s in sectors)):
        problems.append(f"{what} sectors must be a list of 3-letter upper-case codes, got {sectors!r}")
        ok = False
    if not ok:
        return None, ()
    return country, tuple(sectors)


def _parse_event(raw: Any, what: str, problems: list[str]) -> GoldEvent | None:
    if not isinstance(raw, dict):
        problems.append(f"{what} must be an object, got {type(raw).__name__}")
        return None
    before = len(problems)
    unknown = sorted(set(raw) - _EVENT_KEYS)
    if unknown:
        problems.append(f"{what} has unknown key(s) {unknown}; allowed: {sorted(_EVENT_KEYS)}")
    for key in ("event", "actor"):
        if key not in raw:
            problems.append(f"{what} lacks {key!r}")
    etype = raw.get("event")
    if "event" in raw and etype not in PLOVER_TYPES:
        problems.append(f"{what} event {etype!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    mode = raw.get("mode")
    if mode is not None and not (isinstance(mode, str) and mode):
        problems.append(f"{what} mode must be a non-empty string or null, got {mode!r}")
    actor_country, actor_sectors = (None, ())
    if "actor" in raw:
        actor_country, actor_sectors = _parse_party(raw["actor"], f"{what} actor", problems)
    recipient_country: str | None = None
    recipient_sectors: tuple[str, ...] = ()
    if raw.get("recipient") is not None:
        recipient_country, recipient_sectors = _parse_party(raw["recipient"], f"{what} recipient", problems)
    symmetric = raw.get("symmetric", False)
    if not isinstance(symmetric, bool):
        problems.append(f"{what} symmetric must be true or false, got {symmetric!r}")
    elif symmetric and raw.get("recipient") is None:
        problems.append(f"{what} is symmetric but has no recipient")
    when = _parse_date(raw.get("date"), f"{what} date", problems)
    if len(problems) > before or actor_country is None:
        return None
    return GoldEvent(
        event=etype,
        mode=mode,
        actor_country=actor_country,
        actor_sectors=actor_sectors,
        recipient_country=recipient_country,
        recipient_sectors=recipient_sectors,
        symmetric=symmetric,
        date=when,
    )


def _parse_item(raw: Any, problems: list[str]) -> GoldItem | None:
    if not isinstance(raw, dict):
        problems.append(f"item must be a JSON object, got {type(raw).__name__}")
        return None
    before = len(problems)
    unknown = sorted(set(raw) - _ITEM_KEYS)
    if unknown:
        problems.append(f"unknown key(s) {unknown}; allowed: {sorted(_ITEM_KEYS)}")
    item_id = raw.get("id")
    if not (isinstance(item_id, str) and item_id.strip()):
        problems.append(f"'id' must be a non-empty string, got {item_id!r}")
    text = raw.get("text")
    if not (isinstance(text, str) and text.strip()):
        problems.append("'text' must be a non-empty string")
    pub_date = _parse_date(raw.get("pub_date"), "pub_date", problems)
    lists: dict[str, list[GoldEvent]] = {}
    for key in ("events", "optional"):
        value = raw.get(key, [] if key == "optional" else None)
        if not isinstance(value, list):
            problems.append(f"{key!r} must be a list, got {value!r}")
            continue
        parsed = [_parse_event(ev, f"{key}[{i}]", problems) for i, ev in enumerate(value)]
        lists[key] = [ev for ev in parsed if ev is not None]
    tags = raw.get("tags", [])
    if not (isinstance(tags, list) and all(isinstance(t, str) and t for t in tags)):
        problems.append(f"'tags' must be a list of non-empty strings, got {tags!r}")
    if len(problems) > before:
        return None
    return GoldItem(
        id=item_id,
        pub_date=pub_date,
        text=text,
        events=lists["events"],
        optional=lists["optional"],
        tags=list(tags),
    )


def _jsonl(path: Path, problems: list[str]) -> Iterator[tuple[int, str, Any]]:
    """(line number, "file:line", parsed value) for each non-blank line; bad JSON goes to ``problems``."""
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                yield lineno, where, json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")


def load_gold(path: Path) -> list[GoldItem]:
    """Read and validate a gold JSONL file; every problem is reported as ``file:line: problem``."""
    path = Path(path)
    items: list[GoldItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for lineno, where, raw in _jsonl(path, problems):
        local: list[str] = []
        item = _parse_item(raw, local)
        problems.extend(f"{where}: {p}" for p in local)
        if item is None:
            continue
        if item.id in seen:
            problems.append(f"{where}: duplicate id {item.id!r} (first on line {seen[item.id]})")
            continue
        seen[item.id] = lineno
        items.append(item)
    if problems:
        raise GoldFormatError(problems)
    return items


def load_predictions(path: Path) -> dict[str, list[dict]]:
    """Read coder output (JSONL of event records) grouped by ``doc_id``, keeping file order."""
    path = Path(path)
    grouped: dict[str, list[dict]] = {}
    problems: list[str] = []
    for _lineno, where, record in _jsonl(path, problems):
        if not isinstance(record, dict):
            problems.append(f"{where}: a record must be a JSON object")
            continue
        doc_id, etype = record.get("doc_id"), record.get("event")
        if not (isinstance(doc_id, str) and doc_id):
            problems.append(f"{where}: record lacks a string 'doc_id'")
            continue
        if not (isinstance(etype, str) and etype):
            problems.append(f"{where}: record lacks a string 'event'")
            continue
        for key in ("actor", "recipient"):
            if not isinstance(record.get(key, []), list):
                problems.append(f"{where}: {key!r} must be a list of entities")
                break
        else:
            grouped.setdefault(doc_id, []).append(record)
    if problems:
        raise GoldFormatError(problems)
    return grouped


def _as_dict(record: Any) -> dict:
    if isinstance(record, Mapping):
        return dict(record)
    to_dict = getattr(record, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"a prediction must be a dict or have to_dict(), got {type(record).__name__}")


def predict(
    items: Sequence[GoldItem],
    code_many: Callable[[Iterable[tuple[str, str, date | None]]], Iterable[tuple[str, list[dict]]]],
) -> dict[str, list[dict]]:
    """Code the gold texts with ``code_many`` (which may batch) and group its records by item id.

    Every item gets an entry (empty when nothing was coded); a doc id the coder invents is an error, since it
    would silently drop predictions from the score.
    """
    known = {item.id for item in items}
    out: dict[str, list[dict]] = {item.id: [] for item in items}
    triples = ((item.id, item.text, item.pub_date) for item in items)
    for doc_id, records in code_many(triples):
        if doc_id not in known:
            raise ValueError(f"coder returned records for unknown doc id {doc_id!r}")
        out[doc_id].extend(_as_dict(r) for r in records)
    return out


# ----------------------------------------------------------------------------------------------- matching


def _entities(pred: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return [e for e in (pred.get(key) or []) if isinstance(e, Mapping)]


def _countries(entities: Iterable[Mapping[str, Any]]) -> set[str]:
    return {e["country"] for e in entities if e.get("country")}


def _sector_ok(country: str, accepted: tuple[str, ...], entities: Iterable[Mapping[str, Any]]) -> bool:
    for ent in entities:
        if ent.get("country") != country:
            continue
        if not accepted:
            return True
        have = {ent.get("sector")} | set(ent.get("sectors") or [])
        if have & set(accepted):
            return True
    return False


def _orientation(gold: GoldEvent, actors: list, recipients: list) -> int:
    """0: dyad fails, 1: dyad holds, 2: dyad and sectors hold, for one orientation of the prediction."""
    if gold.actor_country not in _countries(actors):
        return 0
    rec_countries = _countries(recipients)
    if gold.recipient_country is None:
        if rec_countries:
            return 0
    elif gold.recipient_country not in rec_countries:
        return 0
    if not _sector_ok(gold.actor_country, gold.actor_sectors, actors):
        return 1
    if gold.recipient_country is not None and not _sector_ok(
        gold.recipient_country, gold.recipient_sectors, recipients
    ):
        return 1
    return 2


def match_level(gold: GoldEvent, pred: Mapping[str, Any]) -> int:
    """Strictest level index in ``LEVELS`` at which ``pred`` matches ``gold``; -1 when the types differ."""
    if pred.get("event") != gold.event:
        return -1
    actors, recipients = _entities(pred, "actor"), _entities(pred, "recipient")
    best = _orientation(gold, actors, recipients)
    if gold.symmetric and best < 2:
        best = max(best, _orientation(gold, recipients, actors))
    return best


def _max_weight_matching(weights: list[list[int]]) -> list[tuple[int, int]]:
    """Optimal assignment (Hungarian algorithm, O(n²m)); returns (row, col) pairs with positive weight.

    Zero weight means "no edge", so maximising total weight over full assignments gives a maximum weight
    matching.
    """
    n = len(weights)
    m = len(weights[0]) if n else 0
    if n == 0 or m == 0:
        return []
    transposed = n > m
    w = [list(col) for col in zip(*weights, strict=True)] if transposed else weights
    if transposed:
        n, m = m, n
    inf = sum(max(row) for row in w) * 4 + 1
    u = [0] * (n + 1)
    v = [0] * (m + 1)
    p = [0] * (m + 1)  # p[j]: row assigned to column j (1-based; 0 = free)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            row = w[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    pairs = []
    for j in range(1, m + 1):
        i = p[j]
        if i and w[i - 1][j - 1] > 0:
            pairs.append((j - 1, i - 1) if transposed else (i - 1, j - 1))
    return sorted(pairs)


def _tiered_matching(edges: list[list[tuple[int, int] | None]]) -> list[tuple[int, int]]:
    """Matching that maximises, lexicographically: sum of primary tiers, pair count, sum of bonuses.

    ``edges[r][c]`` is None for no edge, else (primary in {0, 1}, bonus in 0..5).
    """
    n_rows = len(edges)
    n_cols = len(edges[0]) if n_rows else 0
    size = max(n_rows, n_cols)
    k = 6 * size + 1  # beats any sum of bonuses
    big = (size + 1) * (k + 6)  # beats any sum of (k + bonus)
    weights = [[0 if e is None else e[0] * big + k + e[1] for e in row] for row in edges]
    return _max_weight_matching(weights) if n_cols else []


# ----------------------------------------------------------------------------------------------- report


@dataclass(slots=True)
class Counts:
    """TP/FP/FN with derived ratios (``None`` where the denominator is zero)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else None

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _describe_pred(pred: Mapping[str, Any]) -> str:
    def side(key: str) -> str:
        parts = []
        for ent in _entities(pred, key):
            secs = [s for s in [ent.get("sector"), *(ent.get("sectors") or [])] if s]
            secs = list(dict.fromkeys(secs))
            parts.append(f"{ent.get('country') or '?'}[{','.join(secs) or '?'}]")
        return "+".join(parts) or "-"

    mode = pred.get("mode")
    head = f"{pred.get('event')}({mode})" if mode else str(pred.get("event"))
    return f"{head} {side('actor')}→{side('recipient')}"


@dataclass(slots=True)
class EvalError:
    """One false positive (``prediction`` set) or false negative (``gold`` set) at one level."""

    kind: str  # "FP" or "FN"
    level: str
    item_id: str
    gold: GoldEvent | None = None
    prediction: dict | None = None
    item_text: str | None = None
    closest: str | None = None  # the counterpart at the next laxer level, described

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "level": self.level,
            "item_id": self.item_id,
            "gold": self.gold.to_dict() if self.gold else None,
            "prediction": self.prediction,
            "item_text": self.item_text,
            "closest": self.closest,
        }

    def format(self) -> str:
        """Multi-line text for ``--errors``."""
        lines: list[str] = []
        if self.kind == "FP" and self.prediction is not None:
            pred = self.prediction
            lines.append(f"FP [{self.level}] {self.item_id}: {_describe_pred(pred)}")
            evidence = pred.get("evidence") or {}
            sentence = evidence.get("sentence") if isinstance(evidence, Mapping) else None
            if sentence:
                trigger = evidence.get("trigger")
                lines.append(f"    evidence: {sentence}" + (f"  (trigger: {trigger})" if trigger else ""))
            for key, why in (pred.get("reasons") or {}).items():
                lines.append(f"    reason {key}: {why}")
        elif self.gold is not None:
            lines.append(f"FN [{self.level}] {self.item_id}: {self.gold.describe()}")
            if self.item_text:
                lines.append(f"    text: {' '.join(self.item_text.split())}")
        if self.closest:
            lines.append(f"    closest: {self.closest}")
        return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _type_order(types: Iterable[str]) -> list[str]:
    known = [t for t in PLOVER_TYPES if t in types]
    return known + sorted(set(types) - set(PLOVER_TYPES))


@dataclass(slots=True)
class EvalReport:
    """Scores of one run; see the module docstring for what each number means."""

    n_items: int = 0
    n_gold: int = 0
    n_optional: int = 0
    n_predictions: int = 0
    levels: dict[str, Counts] = field(default_factory=lambda: {lv: Counts() for lv in LEVELS})
    ignored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    by_type: dict[str, dict[str, Counts]] = field(default_factory=lambda: {lv: {} for lv in LEVELS})
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    tags: dict[str, Counts] = field(default_factory=dict)
    errors: dict[str, list[EvalError]] = field(default_factory=lambda: {lv: [] for lv in LEVELS})
    unknown_doc_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.n_items,
            "gold_events": self.n_gold,
            "optional_events": self.n_optional,
            "predictions": self.n_predictions,
            "levels": {lv: {**c.to_dict(), "ignored": self.ignored[lv]} for lv, c in self.levels.items()},
            "by_type": {lv: {t: c.to_dict() for t, c in sorted(types.items())} for lv, types in self.by_type.items()},
            "confusion": {g: dict(row) for g, row in self.confusion.items()},
            "tags": {t: c.to_dict() for t, c in sorted(self.tags.items())},
            "errors": {lv: [e.to_dict() for e in errs] for lv, errs in self.errors.items()},
            "unknown_doc_ids": list(self.unknown_doc_ids),
        }

    def format_text(self, errors: bool = False, max_errors: int | None = None, error_level: str = "full") -> str:
        """Aligned plain-text tables; with ``errors`` also the FP/FN list of ``error_level``."""
        if error_level not in LEVELS:
            raise ValueError(f"error_level must be one of {LEVELS}, got {error_level!r}")
        out: list[str] = [
            f"{self.n_items} items, {self.n_gold} gold events (+{self.n_optional} optional), "
            f"{self.n_predictions} predictions"
        ]
        if self.unknown_doc_ids:
            out.append(
                f"warning: predictions for {len(self.unknown_doc_ids)} doc id(s) not in the gold set "
                f"were not scored: {', '.join(self.unknown_doc_ids[:10])}"
            )
        out.append("")
        out.append(f"{'level':<6} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5} {'ign':>4}")
        for lv in LEVELS:
            c = self.levels[lv]
            out.append(
                f"{lv:<6} {_fmt(c.precision):>6} {_fmt(c.recall):>6} {_fmt(c.f1):>6} "
                f"{c.tp:>5} {c.fp:>5} {c.fn:>5} {self.ignored[lv]:>4}"
            )
        types = _type_order({t for lv in LEVELS for t in self.by_type[lv]})
        if types:
            width = max(9, *(len(t) for t in types))
            out.append("")
            head = f"{'type':<{width}} {'gold':>4} {'pred':>4}"
            for lv in LEVELS:
                head += f" | {lv + ' P':>6} {'R':>5} {'F1':>5}"
            out.append(head)
            for t in types:
                base = self.by_type["type"].get(t, Counts())
                row = f"{t:<{width}} {base.tp + base.fn:>4} {base.tp + base.fp:>4}"
                for lv in LEVELS:
                    c = self.by_type[lv].get(t, Counts())
                    row += f" | {_fmt(c.precision):>6} {_fmt(c.recall):>5} {_fmt(c.f1):>5}"
                out.append(row)
        if self.confusion:
            out.append("")
            out.append("type confusion (rows: gold, columns: predicted)")
            out.extend(self._confusion_lines())
        if self.tags:
            out.append("")
            width = max(4, *(len(t) for t in self.tags))
            out.append(f"{'tag':<{width}} {'gold':>5} {'found':>5} {'R':>6} {'P':>6}   (dyad level)")
            for tag in sorted(self.tags):
                c = self.tags[tag]
                out.append(f"{tag:<{width}} {c.tp + c.fn:>5} {c.tp:>5} {_fmt(c.recall):>6} {_fmt(c.precision):>6}")
        if errors:
            errs = self.errors[error_level]
            shown = errs if max_errors is None else errs[:max_errors]
            out.append("")
            out.append(
                f"errors at {error_level} level: {len(errs)}"
                + (f" (showing {len(shown)})" if len(shown) < len(errs) else "")
            )
            for err in shown:
                out.append(err.format())
        return "\n".join(out)

    def _confusion_lines(self) -> list[str]:
        rows = _type_order({g for g in self.confusion if g != NONE_LABEL})
        cols = _type_order({p for row in self.confusion.values() for p in row if p != NONE_LABEL})
        if NONE_LABEL in self.confusion:
            rows.append(NONE_LABEL)
        if any(NONE_LABEL in row for row in self.confusion.values()):
            cols.append(NONE_LABEL)
        labels = [c[:4] for c in cols]
        if len(set(labels)) < len(labels):
            labels = list(cols)
        cw = max(4, *(len(label) for label in labels))
        rw = max(9, *(len(r) for r in rows))
        lines = [f"{'':<{rw}} " + " ".join(f"{label:>{cw}}" for label in labels)]
        for r in rows:
            row = self.confusion.get(r, {})
            cells = " ".join(f"{row.get(c, 0) or '.':>{cw}}" for c in cols)
            lines.append(f"{r:<{rw}} {cells}")
        return lines


# ----------------------------------------------------------------------------------------------- scoring


def _dyad_affinity(gold: GoldEvent, pred: Mapping[str, Any]) -> int:
    """How well countries agree, ignoring type (0..4): pairs type-confused events sensibly."""
    actors = _countries(_entities(pred, "actor"))
    recips = _countries(_entities(pred, "recipient"))
    straight = (gold.actor_country in actors) * 2 + (
        (gold.recipient_country in recips) if gold.recipient_country else not recips
    )
    swapped = 0
    if gold.symmetric:
        swapped = (gold.actor_country in recips) * 2 + (gold.recipient_country in actors)
    return max(straight, swapped) + (gold.mode is not None and gold.mode == pred.get("mode"))


def score(items: Sequence[GoldItem], predictions: Mapping[str, Sequence[Any]]) -> EvalReport:
    """Score predictions (grouped by doc id; dicts or records) against the gold items."""
    report = EvalReport(n_items=len(items))
    gold_ids = {item.id for item in items}
    report.unknown_doc_ids = sorted(doc for doc in predictions if doc not in gold_ids)
    confusion: dict[str, dict[str, int]] = {}
    for item in items:
        _score_item(item, [_as_dict(p) for p in predictions.get(item.id, [])], report, confusion)
    report.confusion = confusion
    return report


def _bump(confusion: dict[str, dict[str, int]], gold_type: str, pred_type: str) -> None:
    row = confusion.setdefault(gold_type, {})
    row[pred_type] = row.get(pred_type, 0) + 1


def _score_item(item: GoldItem, preds: list[dict], report: EvalReport, confusion: dict[str, dict[str, int]]) -> None:
    """Match one item at every level and add its counts, confusion cells and errors to the report."""
    golds = [(g, True) for g in item.events] + [(g, False) for g in item.optional]
    report.n_gold += len(item.events)
    report.n_optional += len(item.optional)
    report.n_predictions += len(preds)
    lv = [[match_level(g, p) for p in preds] for g, _ in golds]
    same_mode = [[int(g.mode is not None and g.mode == p.get("mode")) for p in preds] for g, _ in golds]
    g2p: dict[str, dict[int, int]] = {}
    p2g: dict[str, dict[int, int]] = {}

    for li, level in enumerate(LEVELS):
        edges = [
            [
                None if lv[gi][pi] < li else (int(required), 2 * (lv[gi][pi] - li) + same_mode[gi][pi])
                for pi in range(len(preds))
            ]
            for gi, (_, required) in enumerate(golds)
        ]
        pairs = _tiered_matching(edges)
        g2p[level] = dict(pairs)
        p2g[level] = {pi: gi for gi, pi in pairs}
        counts = Counts()
        per_type = report.by_type[level]
        for gi, (gold, required) in enumerate(golds):
            if not required:
                continue
            bucket = per_type.setdefault(gold.event, Counts())
            if gi in g2p[level]:
                counts.tp += 1
                bucket.tp += 1
            else:
                counts.fn += 1
                bucket.fn += 1
        for pi, pred in enumerate(preds):
            if pi in p2g[level]:
                if not golds[p2g[level][pi]][1]:
                    report.ignored[level] += 1
                continue
            counts.fp += 1
            per_type.setdefault(str(pred.get("event")), Counts()).fp += 1
        report.levels[level].add(counts)
        if level == "dyad":
            for tag in item.tags:
                report.tags.setdefault(tag, Counts()).add(counts)

    # Confusion: type-level pairs, then the leftovers paired across types by country agreement.
    left_g = [gi for gi, (_, required) in enumerate(golds) if required and gi not in g2p["type"]]
    left_p = [pi for pi in range(len(preds)) if pi not in p2g["type"]]
    cross = _tiered_matching([[(0, _dyad_affinity(golds[gi][0], preds[pi])) for pi in left_p] for gi in left_g])
    cross_g2p = {left_g[a]: left_p[b] for a, b in cross}
    cross_p2g = {pi: gi for gi, pi in cross_g2p.items()}
    for gi, (gold, required) in enumerate(golds):
        if not required:
            continue
        if gi in g2p["type"]:
            _bump(confusion, gold.event, gold.event)
        elif gi in cross_g2p:
            _bump(confusion, gold.event, str(preds[cross_g2p[gi]].get("event")))
        else:
            _bump(confusion, gold.event, NONE_LABEL)
    for pi in left_p:
        if pi not in cross_p2g:
            _bump(confusion, NONE_LABEL, str(preds[pi].get("event")))

    # Errors, each with its counterpart at the nearest laxer level where it was paired (the type confusion
    # alignment being the laxest), so a sector slip reads differently from a wrong dyad or a wrong type.
    for li, level in enumerate(LEVELS):
        laxer = [(name, g2p[name], p2g[name]) for name in reversed(LEVELS[:li])]
        laxer.append(("type-confusion", cross_g2p, cross_p2g))
        for pi, pred in enumerate(preds):
            if pi in p2g[level]:
                continue
            closest = None
            for name, _, by_pred in laxer:
                if pi in by_pred:
                    gold, required = golds[by_pred[pi]]
                    kind = "gold" if required else "optional gold"
                    closest = f"{kind} {gold.describe()} (paired at {name} level)"
                    break
            report.errors[level].append(EvalError("FP", level, item.id, prediction=pred, closest=closest))
        for gi, (gold, required) in enumerate(golds):
            if not required or gi in g2p[level]:
                continue
            closest = None
            for name, by_gold, _ in laxer:
                if gi in by_gold:
                    closest = f"prediction {_describe_pred(preds[by_gold[gi]])} (paired at {name} level)"
                    break
            report.errors[level].append(
                EvalError("FN", level, item.id, gold=gold, item_text=item.text, closest=closest)
            )
