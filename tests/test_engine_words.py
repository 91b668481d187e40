"""The engine's word lists load from data/lexicon/engine_words.yaml and malformed files fail with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dotterel.events.words import LIST_KEYS, EngineWordsError, load_engine_words


def test_packaged_lists_load_as_sets_of_words():
    words = load_engine_words()
    assert set(LIST_KEYS) <= set(words)
    assert "on" in words["facing_preps"] and "off" in words["facing_preps"]  # not read as YAML booleans
    assert "each other" in words["reciprocal_cues"]
    assert words.references["call"] == frozenset({"REQUEST"})
    assert words.references["decision"] is None


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "engine_words.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _valid() -> dict:
    return {key: ["word"] for key in LIST_KEYS} | {"event_references": {"call": ["REQUEST"], "move": None}}


def test_a_missing_list_is_an_error_naming_it(tmp_path):
    data = _valid()
    del data["crowd_words"]
    with pytest.raises(EngineWordsError, match=r"engine_words\.yaml: 'crowd_words' must be a non-empty list"):
        load_engine_words(_write(tmp_path, data))


def test_a_reference_to_an_unknown_type_is_an_error(tmp_path):
    data = _valid()
    data["event_references"]["call"] = ["REQUESTS"]
    with pytest.raises(EngineWordsError, match=r"event_references 'call'"):
        load_engine_words(_write(tmp_path, data))


def test_an_unknown_key_is_an_error(tmp_path):
    data = _valid() | {"crowd_wrods": ["mob"]}
    with pytest.raises(EngineWordsError, match=r"unknown key\(s\) \['crowd_wrods'\]"):
        load_engine_words(_write(tmp_path, data))


def test_words_are_lower_cased_and_stripped(tmp_path):
    data = _valid()
    data["crowd_words"] = ["  Mob "]
    assert load_engine_words(_write(tmp_path, data))["crowd_words"] == frozenset({"mob"})
