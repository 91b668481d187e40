"""Tests for the evaluation scorer: matching semantics, counts, loaders and the text report.

Every expected number below was worked out by hand from the gold and the predictions in the test.
"""

from __future__ import annotations

import itertools
import json
import random
from datetime import date
from pathlib import Path

import pytest

from dotterel.evaluation import (
    LEVELS,
    NONE_LABEL,
    GoldEvent,
    GoldFormatError,
    GoldItem,
    _max_weight_matching,
    load_gold,
    load_predictions,
    match_level,
    predict,
    score,
)
from dotterel.records import Entity, EventRecord, Evidence

# ----------------------------------------------------------------------------------------------- helpers


def gev(event, actor, recipient=None, asec=(), rsec=(), sym=False, mode=None) -> GoldEvent:
    return GoldEvent(event, mode, actor, tuple(asec), recipient, tuple(rsec), sym, None)


def ent(country, sector=None, sectors=()) -> dict:
    return {"text": country or "someone", "name": None, "country": country, "sector": sector,
            "sectors": list(sectors), "title": None}  # fmt: skip


def side(spec) -> list[dict]:
    """'USA' -> [USA entity]; ('USA', 'GOV') -> with sector; a list -> several entities; None -> none."""
    if spec is None:
        return []
    if isinstance(spec, list):
        return [e for s in spec for e in side(s)]
    if isinstance(spec, tuple):
        return [ent(*spec)]
    if isinstance(spec, dict):
        return [spec]
    return [ent(spec)]


def pred(event, actor, recipient=None, doc_id="d1", mode=None, sentence="Some sentence.", reasons=None) -> dict:
    return {
        "doc_id": doc_id,
        "event": event,
        "mode": mode,
        "actor": side(actor),
        "recipient": side(recipient),
        "evidence": {"sentence": sentence, "sentence_index": 0, "start": 0, "end": len(sentence), "trigger": "x"},
        "reasons": reasons or {"event": "because"},
    }


def item(events, optional=(), item_id="d1", tags=(), text="Gold text.") -> GoldItem:
    return GoldItem(item_id, None, text, list(events), list(optional), list(tags))


def counts(report, level):
    c = report.levels[level]
    return (c.tp, c.fp, c.fn)


# ----------------------------------------------------------------------------------------------- scoring


def test_perfect_prediction_scores_one_everywhere():
    gold = [
        item([gev("ACCUSE", "USA", "CHN", ["GOV"], ["GOV"]), gev("PROTEST", "FRA", None, ["CVL"])], tags=["a"]),
        item([gev("CONSULT", "JPN", "KOR", sym=True)], item_id="d2", tags=["a", "b"]),
    ]
    preds = {
        "d1": [pred("PROTEST", ("FRA", "CVL")), pred("ACCUSE", ("USA", "GOV"), ("CHN", "GOV"))],
        "d2": [pred("CONSULT", "KOR", "JPN", doc_id="d2")],
    }
    report = score(gold, preds)
    for level in LEVELS:
        c = report.levels[level]
        assert (c.tp, c.fp, c.fn) == (3, 0, 0)
        assert c.precision == c.recall == c.f1 == 1.0
        for per_type in report.by_type[level].values():
            assert per_type.precision == per_type.recall == per_type.f1 == 1.0
        assert report.errors[level] == []
    assert report.tags["a"].recall == report.tags["b"].recall == 1.0
    assert report.confusion == {"ACCUSE": {"ACCUSE": 1}, "PROTEST": {"PROTEST": 1}, "CONSULT": {"CONSULT": 1}}


def test_extra_event_lowers_precision_only():
    gold = [item([gev("ACCUSE", "USA", "CHN"), gev("SANCTION", "USA", "CHN")])]
    preds = {"d1": [pred("ACCUSE", "USA", "CHN"), pred("SANCTION", "USA", "CHN"), pred("THREATEN", "USA", "CHN")]}
    report = score(gold, preds)
    for level in LEVELS:
        c = report.levels[level]
        assert (c.tp, c.fp, c.fn) == (2, 1, 0)
        assert c.precision == pytest.approx(2 / 3)
        assert c.recall == 1.0
        assert c.f1 == pytest.approx(0.8)
    assert report.by_type["dyad"]["THREATEN"].fp == 1
    assert report.by_type["dyad"]["ACCUSE"].f1 == 1.0
    assert report.confusion[NONE_LABEL] == {"THREATEN": 1}


def test_wrong_recipient_is_right_at_type_level_but_wrong_at_dyad():
    gold = [item([gev("ACCUSE", "USA", "CHN")])]
    report = score(gold, {"d1": [pred("ACCUSE", "USA", "RUS")]})
    assert counts(report, "type") == (1, 0, 0)
    assert counts(report, "dyad") == (0, 1, 1)
    assert counts(report, "full") == (0, 1, 1)
    fp = [e for e in report.errors["dyad"] if e.kind == "FP"][0]
    assert "paired at type level" in fp.closest


def test_symmetric_gold_matches_both_orientations():
    g = gev("CONSULT", "USA", "CHN", ["GOV"], ["MIL"], sym=True)
    assert match_level(g, pred("CONSULT", ("USA", "GOV"), ("CHN", "MIL"))) == 2
    assert match_level(g, pred("CONSULT", ("CHN", "MIL"), ("USA", "GOV"))) == 2
    # Swapped countries but sectors that only fit the straight orientation: dyad yes, full no.
    assert match_level(g, pred("CONSULT", ("CHN", "GOV"), ("USA", "MIL"))) == 1


def test_non_symmetric_swapped_is_wrong():
    gold = [item([gev("ACCUSE", "USA", "CHN")])]
    report = score(gold, {"d1": [pred("ACCUSE", "CHN", "USA")]})
    assert counts(report, "type") == (1, 0, 0)
    assert counts(report, "dyad") == (0, 1, 1)


def test_optional_matches_are_ignored():
    gold = [item([gev("SANCTION", "USA", "RUS")], optional=[gev("ACCUSE", "USA", "RUS")])]
    both = score(gold, {"d1": [pred("ACCUSE", "USA", "RUS"), pred("SANCTION", "USA", "RUS")]})
    assert counts(both, "dyad") == (1, 0, 0)
    assert both.ignored["dyad"] == 1
    assert both.levels["dyad"].precision == 1.0
    # Not predicting the optional event costs nothing.
    required_only = score(gold, {"d1": [pred("SANCTION", "USA", "RUS")]})
    assert counts(required_only, "dyad") == (1, 0, 0)
    assert required_only.ignored["dyad"] == 0
    # An optional-only item whose event is predicted: no TP, no FP, no FN, so no defined ratios.
    opt_only = score([item([], optional=[gev("ACCUSE", "USA", "RUS")])], {"d1": [pred("ACCUSE", "USA", "RUS")]})
    assert counts(opt_only, "full") == (0, 0, 0)
    assert opt_only.levels["full"].precision is None
    assert opt_only.confusion == {}


def test_optional_with_wrong_dyad_does_not_absorb_at_dyad_level():
    gold = [item([], optional=[gev("ACCUSE", "USA", "RUS")])]
    report = score(gold, {"d1": [pred("ACCUSE", "USA", "GBR")]})
    assert counts(report, "type") == (0, 0, 0)
    assert report.ignored["type"] == 1
    assert counts(report, "dyad") == (0, 1, 0)
    assert report.errors["dyad"][0].closest.startswith("optional gold ACCUSE")


def test_sector_mismatch_affects_only_full():
    gold = [item([gev("COERCE", "KHM", "KHM", ["COP"], ["OPP"], mode="arrest")])]
    report = score(gold, {"d1": [pred("COERCE", ("KHM", "GOV"), ("KHM", "OPP"))]})
    assert counts(report, "type") == (1, 0, 0)
    assert counts(report, "dyad") == (1, 0, 0)
    assert counts(report, "full") == (0, 1, 1)
    fn = [e for e in report.errors["full"] if e.kind == "FN"][0]
    assert "paired at dyad level" in fn.closest


def test_sector_rules_secondary_sectors_any_and_entity_country():
    g = gev("REQUEST", "KHM", "USA", ["GOV"], [])
    # A secondary sector counts; an empty acceptable list accepts any (even a missing) sector.
    assert match_level(g, pred("REQUEST", ("KHM", "PTY", ["GOV"]), ("USA", None))) == 2
    # The sector must sit on an entity of the gold country: a GOV entity of another country does not help.
    assert match_level(g, pred("REQUEST", [("KHM", "PTY"), ("VNM", "GOV")], "USA")) == 1
    # Any actor entity may carry the gold country.
    assert match_level(g, pred("REQUEST", [("VNM", "GOV"), ("KHM", "GOV")], "USA")) == 2
    assert match_level(g, pred("ACCUSE", ("KHM", "GOV"), "USA")) == -1


def test_null_recipient_semantics():
    g = gev("PROTEST", "FRA", None, ["CVL"])
    assert match_level(g, pred("PROTEST", ("FRA", "CVL"))) == 2
    # A recipient entity with no country still means "no recipient country".
    assert match_level(g, pred("PROTEST", ("FRA", "CVL"), ent(None, "GOV"))) == 2
    assert match_level(g, pred("PROTEST", ("FRA", "CVL"), "FRA")) == 0
    # The other way round: gold has a recipient, the prediction none.
    assert match_level(gev("PROTEST", "FRA", "FRA"), pred("PROTEST", "FRA")) == 0


def test_empty_gold_and_empty_predictions():
    report = score([item([])], {})
    for level in LEVELS:
        c = report.levels[level]
        assert (c.tp, c.fp, c.fn) == (0, 0, 0)
        assert c.precision is None and c.recall is None and c.f1 is None
    assert report.confusion == {}
    text = report.format_text(errors=True)
    assert "type        -      -      -     0     0     0    0" in text
    assert score([], {}).n_items == 0


def test_predictions_on_an_item_without_gold_are_false_positives():
    report = score([item([])], {"d1": [pred("ASSAULT", "ISR", "PSE")]})
    assert counts(report, "full") == (0, 1, 0)
    assert report.levels["full"].precision == 0.0
    assert report.levels["full"].recall is None
    assert report.levels["full"].f1 == 0.0


def test_missed_gold_counts_under_gold_type_and_in_none_column():
    report = score([item([gev("AID", "JPN", "PHL")])], {})
    assert counts(report, "type") == (0, 0, 1)
    assert report.by_type["type"]["AID"].recall == 0.0
    assert report.confusion == {"AID": {NONE_LABEL: 1}}
    fn = report.errors["full"][0]
    assert fn.kind == "FN" and fn.item_text == "Gold text." and fn.closest is None


def test_bipartite_matching_beats_greedy():
    # p1 (CHN->USA) fits both the symmetric g1 and the directed g2; p2 (USA->CHN) fits only g1.
    # Greedy in order gives p1-g1 and leaves p2 and g2 unmatched; the optimum is p1-g2, p2-g1.
    gold = [item([gev("CONSULT", "USA", "CHN", sym=True), gev("CONSULT", "CHN", "USA")])]
    preds = [pred("CONSULT", "CHN", "USA"), pred("CONSULT", "USA", "CHN")]
    for order in (preds, preds[::-1]):
        assert counts(score(gold, {"d1": order}), "dyad") == (2, 0, 0)


def test_required_gold_takes_precedence_over_optional():
    # The one prediction fits both a required and an optional event: it must count as a TP.
    gold = [item([gev("SUPPORT", "USA", "UKR")], optional=[gev("SUPPORT", "USA", "UKR", mode="praise")])]
    report = score(gold, {"d1": [pred("SUPPORT", "USA", "UKR", mode="praise")]})
    assert counts(report, "full") == (1, 0, 0)
    assert report.ignored["full"] == 0


def test_exact_pairs_preferred_within_a_level():
    # At type level both predictions fit the one gold event; the FP listed must be the one with the wrong dyad.
    gold = [item([gev("ACCUSE", "USA", "CHN")])]
    report = score(gold, {"d1": [pred("ACCUSE", "USA", "RUS"), pred("ACCUSE", "USA", "CHN")]})
    assert counts(report, "type") == (1, 1, 0)
    (fp,) = report.errors["type"]
    assert fp.prediction["recipient"][0]["country"] == "RUS"
    assert counts(report, "dyad") == (1, 1, 0)


def test_max_weight_matching_is_optimal_on_random_matrices():
    rng = random.Random(7)
    for _ in range(300):
        n, m = rng.randint(1, 5), rng.randint(1, 5)
        w = [[rng.choice([0, 0, 1, 2, 5, 9]) for _ in range(m)] for _ in range(n)]
        pairs = _max_weight_matching(w)
        assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
        assert all(w[r][c] > 0 for r, c in pairs)
        got = sum(w[r][c] for r, c in pairs)
        if n <= m:
            best = max(sum(w[r][c] for r, c in enumerate(cols)) for cols in itertools.permutations(range(m), n))
        else:
            best = max(sum(w[r][c] for c, r in enumerate(rows)) for rows in itertools.permutations(range(n), m))
        assert got == best


def test_confusion_pairs_leftovers_by_country_agreement():
    gold = [item([gev("ACCUSE", "USA", "CHN"), gev("SANCTION", "GBR", "RUS"), gev("AID", "JPN", "PHL")])]
    preds = {"d1": [pred("COERCE", "GBR", "RUS"), pred("THREATEN", "USA", "CHN"), pred("AID", "JPN", "PHL")]}
    report = score(gold, preds)
    assert report.confusion == {
        "ACCUSE": {"THREATEN": 1},
        "SANCTION": {"COERCE": 1},
        "AID": {"AID": 1},
    }
    assert counts(report, "type") == (1, 2, 2)
    assert report.by_type["type"]["COERCE"].fp == 1
    assert report.by_type["type"]["SANCTION"].fn == 1
    text = report.format_text()
    assert "SANCTION     .    .    1" in text


def test_counts_are_micro_averaged_and_tags_use_dyad_level():
    gold = [
        item([gev("ACCUSE", "USA", "CHN"), gev("REJECT", "CHN", "USA")], item_id="a", tags=["china"]),
        item([gev("ASSAULT", "RUS", "UKR")], item_id="b", tags=["war"]),
        item([gev("CONSULT", "CHN", "RUS")], item_id="c", tags=["china", "war"]),
    ]
    preds = {
        "a": [pred("ACCUSE", "USA", "CHN", doc_id="a"), pred("REJECT", "CHN", "GBR", doc_id="a")],
        "b": [pred("ASSAULT", "RUS", "UKR", doc_id="b"), pred("ASSAULT", "UKR", "RUS", doc_id="b")],
        "c": [],
    }
    report = score(gold, preds)
    assert counts(report, "type") == (3, 1, 1)
    assert counts(report, "dyad") == (2, 2, 2)
    assert report.levels["dyad"].f1 == pytest.approx(0.5)
    china, war = report.tags["china"], report.tags["war"]
    assert (china.tp, china.fp, china.fn) == (1, 1, 2)
    assert china.recall == pytest.approx(1 / 3)
    assert (war.tp, war.fp, war.fn) == (1, 1, 1)
    assert war.recall == 0.5


def test_prediction_order_does_not_change_scores():
    gold = [item([gev("ACCUSE", "USA", "CHN"), gev("ACCUSE", "USA", "RUS", ["GOV"]), gev("ACCUSE", "GBR", "RUS")])]
    preds = [pred("ACCUSE", [("USA", "GOV"), ("GBR", "GOV")], "RUS"), pred("ACCUSE", "USA", "CHN"),
             pred("ACCUSE", ("USA", "MIL"), "RUS")]  # fmt: skip
    results = {tuple(counts(score(gold, {"d1": list(p)}), lv) for lv in LEVELS) for p in itertools.permutations(preds)}
    # p3 (USA MIL) fits g2 only at dyad level, so full level loses one; an order-dependent greedy that gave
    # p1 to g2 would also lose one at dyad level.
    assert results == {((3, 0, 0), (3, 0, 0), (2, 1, 1))}


def test_unknown_doc_ids_are_reported_not_scored():
    report = score([item([])], {"d1": [], "other": [pred("AID", "USA", "UKR", doc_id="other")]})
    assert report.unknown_doc_ids == ["other"]
    assert report.n_predictions == 0
    assert "not in the gold set" in report.format_text()


# ----------------------------------------------------------------------------------------------- report


def test_format_text_errors_and_to_dict():
    gold = [item([gev("SANCTION", "USA", "RUS", ["GOV"], mode="discontinue")], text="Washington cut aid.")]
    p = pred("ACCUSE", ("USA", "GOV"), ("RUS", "GOV"), sentence="Washington criticised Moscow.",
             reasons={"event": "trigger 'criticised' -> ACCUSE", "actor": "capital Washington -> USA GOV"})  # fmt: skip
    report = score(gold, {"d1": [p]})
    text = report.format_text(errors=True)
    assert "FP [full] d1: ACCUSE USA[GOV]→RUS[GOV]" in text
    assert "evidence: Washington criticised Moscow." in text
    assert "reason actor: capital Washington -> USA GOV" in text
    assert "FN [full] d1: SANCTION(discontinue) USA[GOV]→RUS[*]" in text
    assert "text: Washington cut aid." in text
    assert "paired at type-confusion level" in text
    # The level table is aligned: all its rows have the header's width.
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("level"))
    assert len({len(line) for line in lines[start : start + 4]}) == 1
    limited = report.format_text(errors=True, max_errors=1)
    assert "errors at full level: 2 (showing 1)" in limited and "FN [full]" not in limited
    assert "FP [dyad]" in report.format_text(errors=True, error_level="dyad")
    with pytest.raises(ValueError):
        report.format_text(errors=True, error_level="mode")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["levels"]["type"]["fp"] == 1 and data["levels"]["type"]["precision"] == 0.0
    assert data["confusion"] == {"SANCTION": {"ACCUSE": 1}}
    assert data["errors"]["full"][1]["gold"]["recipient"] == ["RUS", []]


# ----------------------------------------------------------------------------------------------- loaders


GOOD = {
    "id": "k1",
    "pub_date": "2024-05-02",
    "text": "Cambodia's prime minister met Vietnam's president in Hanoi.",
    "events": [{"event": "CONSULT", "mode": "visit", "actor": ["KHM", ["GOV"]], "recipient": ["VNM", ["GOV"]],
                "symmetric": True, "date": "2024-05-01"}],
    "optional": [{"event": "AGREE", "actor": ["KHM", []]}],
    "tags": ["diplomacy"],
}  # fmt: skip


def write_lines(path: Path, lines: list) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def test_load_gold_parses_fields_and_defaults(tmp_path):
    minimal = {"id": "k2", "text": "A text.", "events": []}
    items = load_gold(write_lines(tmp_path / "gold.jsonl", [GOOD, "", minimal]))
    first, second = items
    assert first.pub_date == date(2024, 5, 2) and first.tags == ["diplomacy"]
    assert first.events == [GoldEvent("CONSULT", "visit", "KHM", ("GOV",), "VNM", ("GOV",), True, date(2024, 5, 1))]
    assert first.optional == [GoldEvent("AGREE", None, "KHM", (), None, (), False, None)]
    assert (second.pub_date, second.optional, second.tags) == (None, [], [])


def test_load_gold_reports_every_problem_with_file_and_line(tmp_path):
    bad_type = {**GOOD, "id": "k3", "events": [{**GOOD["events"][0], "event": "CONSULTS"}]}
    bad_date = {**GOOD, "id": "k4", "pub_date": "02/05/2024"}
    bad_sym = {**GOOD, "id": "k5", "events": [{"event": "CONSULT", "actor": ["KHM", []], "symmetric": True}]}
    bad_actor = {**GOOD, "id": "k6", "events": [{"event": "AID", "actor": ["Cambodia", ["GOV"]]}]}
    typo_key = {**GOOD, "id": "k7", "events": [{"event": "AID", "actor": ["KHM", []], "recipeint": ["VNM", []]}]}
    path = write_lines(tmp_path / "gold.jsonl",
                       [GOOD, "{not json", bad_type, "", bad_date, bad_sym, bad_actor, GOOD, typo_key])  # fmt: skip
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    problems = info.value.problems
    where = [p.split(": ", 1)[0] for p in problems]
    assert where == [f"{path}:{n}" for n in (2, 3, 5, 6, 7, 8, 9)]
    assert "invalid JSON" in problems[0]
    assert "'CONSULTS' is not a PLOVER type" in problems[1]
    assert "pub_date must be 'YYYY-MM-DD'" in problems[2]
    assert "symmetric but has no recipient" in problems[3]
    assert "3-letter upper-case code, got 'Cambodia'" in problems[4]
    assert "duplicate id 'k1' (first on line 1)" in problems[5]
    assert "unknown key(s) ['recipeint']" in problems[6]
    assert f"{path}:3" in str(info.value)


def test_load_predictions_groups_by_doc_and_reports_bad_lines(tmp_path):
    recs = [pred("AID", "USA", "UKR", doc_id="a"), pred("ACCUSE", "RUS", "USA", doc_id="b"),
            pred("AID", "JPN", "UKR", doc_id="a")]  # fmt: skip
    grouped = load_predictions(write_lines(tmp_path / "pred.jsonl", [*recs, ""]))
    assert list(grouped) == ["a", "b"]
    assert [r["actor"][0]["country"] for r in grouped["a"]] == ["USA", "JPN"]
    bad = write_lines(tmp_path / "bad.jsonl", [recs[0], {"event": "AID"}, "[1]", {**recs[1], "actor": "RUS"}])
    with pytest.raises(GoldFormatError) as info:
        load_predictions(bad)
    assert [p.split(": ", 1)[0] for p in info.value.problems] == [f"{bad}:{n}" for n in (2, 3, 4)]


def test_predict_batches_and_groups_records():
    items = [item([], item_id="a", text="Text A."), GoldItem("b", date(2024, 1, 2), "Text B.", [])]
    seen = []

    def code_many(triples):
        batch = list(triples)  # the caller may consume all triples at once, to batch them
        seen.extend(batch)
        record = EventRecord(
            id="e1", doc_id="b", event="AID", mode=None, context=[], cameo="070", quad=2, goldstein=7.0,
            date=None, date_precision=None, pub_date="2024-01-02", actor=[Entity("Japan", country="JPN")],
            recipient=[Entity("Manila", country="PHL", sector="GOV")], location=None,
            evidence=Evidence("Text B.", 0, 0, 7, "aid"), attribution=None, confidence=0.9, reasons={},
        )  # fmt: skip
        yield "b", [record]
        yield "b", [pred("AID", "JPN", "PHL", doc_id="b")]

    out = predict(items, code_many)
    assert seen == [("a", "Text A.", None), ("b", "Text B.", date(2024, 1, 2))]
    assert out["a"] == [] and len(out["b"]) == 2
    assert out["b"][0]["recipient"][0]["country"] == "PHL"
    report = score([item([gev("AID", "JPN", "PHL")], item_id="b")], {"b": out["b"][:1]})
    assert counts(report, "full") == (1, 0, 0)

    with pytest.raises(ValueError, match="unknown doc id 'zzz'"):
        predict(items, lambda triples: iter([("zzz", [])]))
