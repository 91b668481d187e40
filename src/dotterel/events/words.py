"""The word lists the event engine reads, kept as reviewable data in ``data/lexicon/engine_words.yaml``.

They say which verbs answer, order or perform an event noun, which nouns name places, carriers or forces of
nature, and which nouns refer back to an earlier event. Editing them changes the coder without touching code; a
malformed file fails at load with the file name, the key and the problem.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import yaml

WORDS_FILE = "engine_words.yaml"
# Every list the engine needs; a missing one is an error, not an empty set.
LIST_KEYS = (
    "ordering_verbs", "answering_verbs", "requesting_verbs", "civilian_places", "military_places", "carrier_nouns",
    "missile_words", "natural_forces", "facing_preps", "border_nouns", "outbreak_verbs", "help_verbs",
    "agreed_act_preps", "not_recipient_preps", "reply_verbs", "audience_words", "sports_cues", "crowd_words",
    "performing_verbs", "reference_determiners", "imprison_verbs", "warning_verbs", "reciprocal_cues",
    "protest_verbs",
)
PLOVER_TYPES = frozenset("AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST "
                         "SANCTION MOBILIZE COERCE ASSAULT".split())


class EngineWordsError(ValueError):
    """``engine_words.yaml`` is malformed; the message names the file and the key."""


class EngineWords(dict):
    """Name → frozenset of words, plus ``references``: event nouns → the PLOVER types they may refer back to
    (None: any type)."""

    references: dict[str, frozenset[str] | None]


def load_engine_words(path: Path | None = None) -> EngineWords:
    """Load and validate the engine's word lists (the packaged file by default, once per process)."""
    return _load(str(path)) if path is not None else _load_default()


@functools.lru_cache(maxsize=1)
def _load_default() -> EngineWords:
    return _load(str(resources.files("dotterel") / "data" / "lexicon" / WORDS_FILE))


def _load(path: str) -> EngineWords:
    name = Path(path).name
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise EngineWordsError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise EngineWordsError(f"{name}: the file must be a mapping of list names to word lists")
    words = EngineWords()
    for key in LIST_KEYS:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
            raise EngineWordsError(f"{name}: '{key}' must be a non-empty list of words")
        words[key] = frozenset(w.strip().lower() for w in value)
    references = data.get("event_references")
    if not isinstance(references, dict) or not references:
        raise EngineWordsError(f"{name}: 'event_references' must map nouns to lists of PLOVER types (or null)")
    words.references = {}
    for noun, types in references.items():
        if types is not None and (not isinstance(types, list) or not set(types) <= PLOVER_TYPES):
            raise EngineWordsError(f"{name}: event_references '{noun}': {types!r} is not a list of PLOVER types")
        words.references[str(noun).lower()] = None if types is None else frozenset(types)
    unknown = set(data) - set(LIST_KEYS) - {"event_references"}
    if unknown:
        raise EngineWordsError(f"{name}: unknown key(s) {sorted(unknown)}")
    return words
