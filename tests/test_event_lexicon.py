"""Tests for the event ontology tables, the trigger lexicon and their validating loader (no spaCy needed)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dotterel.events.lexicon import (
    CONTEXTS,
    ONTOLOGY_DIR,
    PLOVER_TYPES,
    TRIGGERS_PATH,
    LexiconError,
    Ontology,
    TriggerEntry,
    TriggerLexicon,
    load_ontology,
    load_triggers,
)


@pytest.fixture(scope="module")
def ontology() -> Ontology:
    return load_ontology()


@pytest.fixture(scope="module")
def lexicon() -> TriggerLexicon:
    return load_triggers()


def pick(
    lexicon: TriggerLexicon,
    pos: str,
    lemma: str,
    particle: str | None = None,
    obj: str | None = None,
    xcomp: str | None = None,
    has_recipient: bool = True,
) -> TriggerEntry | None:
    """The first candidate whose constraints a clause with these features satisfies (the engine's rule)."""
    for entry in lexicon.candidates(pos, lemma):
        if entry.particle is not None and entry.particle != particle:
            continue
        if entry.objects and obj not in entry.objects:
            continue
        if entry.xcomps and xcomp not in entry.xcomps:
            continue
        if entry.requires_recipient and not has_recipient:
            continue
        return entry
    return None


# ----------------------------------------------------------------------------------------------- ontology


def test_plover_types_match_the_ontology_summary(ontology: Ontology) -> None:
    assert tuple(ontology.types) == PLOVER_TYPES
    assert len(PLOVER_TYPES) == 16
    quads = {t: p.quad for t, p in ontology.types.items()}
    assert quads == {
        "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
        "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4,
        "COERCE": 4, "ASSAULT": 4,
    }  # fmt: skip
    required = {t for t, p in ontology.types.items() if p.recipient_required}
    assert required == {"COOPERATE", "AID", "SANCTION"}
    assert ontology.types["CONSULT"].modes == ("visit", "third-party", "multilateral", "phone")
    assert ontology.types["AGREE"].modes == ()
    assert "martial-law" in ontology.types["COERCE"].modes
    assert len(ontology.types["ASSAULT"].modes) == 15
    for ptype in ontology.types.values():
        assert ontology.cameo[ptype.default_cameo].event == ptype.event


def test_cameo_table(ontology: Ontology) -> None:
    assert len(ontology.cameo) >= 120
    for root in range(1, 21):
        assert f"{root:02d}" in ontology.cameo
    assert ontology.cameo["01"].event is None and ontology.cameo["010"].event is None
    assert ontology.cameo["163"].goldstein == -8.0 and ontology.cameo["163"].event == "SANCTION"
    assert ontology.cameo["042"].goldstein == 1.9 and ontology.cameo["042"].mode == "visit"
    assert ontology.cameo["0874"].goldstein == 10.0
    assert ontology.cameo["02"].quad == 1  # CAMEO's quad class, not REQUEST's quad
    assert ontology.cameo["173"].event == "COERCE" and ontology.cameo["173"].mode == "arrest"
    for code in ontology.cameo.values():
        assert -10.0 <= code.goldstein <= 10.0
        if code.mode is not None:
            assert code.mode in ontology.types[code.event].modes


def test_cameo_code_falls_back_to_ancestors(ontology: Ontology) -> None:
    assert ontology.cameo_code("173").code == "173"
    assert ontology.cameo_code("1739").code == "173"
    assert ontology.cameo_code("0999").code == "09"
    with pytest.raises(LexiconError):
        ontology.cameo_code("99")


# ------------------------------------------------------------------------------------------------ lexicon


def test_every_type_is_covered(lexicon: TriggerLexicon) -> None:
    assert len(lexicon) >= 400
    for event in PLOVER_TYPES:
        entries = [e for e in lexicon.entries if e.event == event]
        assert len(entries) >= 12, event
        assert any(e.pos == "noun" for e in entries), event


def test_entries_are_consistent_with_the_ontology(lexicon: TriggerLexicon, ontology: Ontology) -> None:
    ids = set()
    for entry in lexicon.entries:
        code = ontology.cameo[entry.cameo]
        assert code.event == entry.event, entry.id
        assert entry.mode is None or entry.mode in ontology.types[entry.event].modes, entry.id
        assert set(entry.context) <= set(CONTEXTS)
        assert entry.recipient and entry.actor
        assert entry.id not in ids
        ids.add(entry.id)
        if ontology.types[entry.event].recipient_required:
            assert entry.requires_recipient, entry.id


def test_sources_point_at_the_entry_line(lexicon: TriggerLexicon) -> None:
    lines = TRIGGERS_PATH.read_text(encoding="utf-8").splitlines()
    for entry in lexicon.entries:
        name, line = entry.source.split(":")
        assert name == "triggers.yaml"
        assert re.search(rf"\b{entry.pos}: {re.escape(entry.lemma)}\b", lines[int(line) - 1]), entry.source


def test_default_ids_and_yaml_words(lexicon: TriggerLexicon) -> None:
    assert lexicon.get("coerce.arrest").pos == "verb"
    assert lexicon.get("coerce.arrest-n").pos == "noun"
    assert lexicon.get("sanction.impose.sanction").objects[0] == "sanction"
    # "on" and "off" stay words (YAML 1.1 would read them as booleans)
    assert lexicon.get("request.call.on").particle == "on"
    assert lexicon.get("reject.call.off.meeting").particle == "off"


def test_candidates_are_ordered_by_specificity(lexicon: TriggerLexicon) -> None:
    for pos in ("verb", "noun"):
        for lemma in lexicon.lemmas(pos):
            found = lexicon.candidates(pos, lemma)
            assert found and all(e.pos == pos and e.lemma == lemma for e in found)
            keys = [(e.specificity, e.requires_recipient) for e in found]
            assert keys == sorted(keys, reverse=True), lemma
    hold = lexicon.candidates("verb", "hold")
    assert hold[0].specificity >= 1
    assert lexicon.candidates("VERB", "Meet") == lexicon.candidates("verb", "meet")
    assert lexicon.candidates("verb", "say") == []
    assert lexicon.candidates("adj", "meet") == []


def test_specificity_counts_constraints(lexicon: TriggerLexicon) -> None:
    assert lexicon.get("consult.meet").specificity == 0
    assert lexicon.get("request.call.on").specificity == 1
    assert lexicon.get("request.call.on.to-yield").specificity == 2


def test_reporting_and_modality_verbs_are_absent(lexicon: TriggerLexicon) -> None:
    verbs = lexicon.lemmas("verb")
    for lemma in (
        "say",
        "tell",
        "add",
        "note",
        "state",
        "announce",
        "report",
        "plan",
        "want",
        "hope",
        "expect",
        "seek",
    ):
        assert lemma not in verbs, lemma


@pytest.mark.parametrize(
    ("pos", "lemma", "particle", "obj", "xcomp", "event", "mode"),
    [
        ("verb", "meet", "with", None, None, "CONSULT", None),
        ("verb", "meet", None, "demand", None, "CONCEDE", None),
        ("verb", "hold", "with", "talk", None, "CONSULT", None),
        ("verb", "visit", None, None, None, "CONSULT", "visit"),
        ("verb", "host", None, None, None, "CONSULT", "visit"),
        ("verb", "phone", None, None, None, "CONSULT", "phone"),
        ("noun", "talk", "with", None, None, "CONSULT", None),
        ("noun", "visit", "to", None, None, "CONSULT", "visit"),
        ("verb", "thank", None, None, None, "SUPPORT", None),
        ("verb", "recognize", None, None, None, "SUPPORT", None),
        ("verb", "ratify", None, None, None, "SUPPORT", None),
        ("verb", "call", "on", None, None, "REQUEST", None),
        ("verb", "urge", None, None, "release", "REQUEST", "yield"),
        ("verb", "demand", None, "resignation", None, "REQUEST", "change"),
        ("verb", "impose", "on", "sanction", None, "SANCTION", "discontinue"),
        ("verb", "impose", "on", "restriction", None, "SANCTION", "discontinue"),
        ("verb", "suspend", "to", "aid", None, "SANCTION", "discontinue"),
        ("verb", "expel", None, "diplomat", None, "SANCTION", "expel"),
        ("verb", "recall", None, "ambassador", None, "SANCTION", "withdraw"),
        ("verb", "sever", "with", "tie", None, "SANCTION", "discontinue"),
        ("verb", "convict", None, None, None, "SANCTION", "convict"),
        ("noun", "sanction", "on", None, None, "SANCTION", "discontinue"),
        ("noun", "suspension", None, "aid", None, "SANCTION", "discontinue"),
        ("verb", "accuse", None, None, None, "ACCUSE", "allege"),
        ("verb", "condemn", None, None, None, "ACCUSE", "disapprove"),
        ("verb", "summon", None, "ambassador", None, "ACCUSE", "disapprove"),
        ("verb", "investigate", None, None, None, "ACCUSE", "investigate"),
        ("verb", "lodge", None, "protest", None, "ACCUSE", "disapprove"),
        ("verb", "reject", None, None, None, "REJECT", None),
        ("verb", "rule", "out", "talk", None, "REJECT", "meet"),
        ("verb", "refuse", None, None, "meet", "REJECT", "meet"),
        ("verb", "cancel", None, "visit", None, "REJECT", "meet"),
        ("verb", "veto", None, None, None, "REJECT", None),
        ("verb", "threaten", None, None, "attack", "THREATEN", "violence"),
        ("verb", "vow", None, "retaliation", None, "THREATEN", "violence"),
        ("verb", "protest", None, None, None, "PROTEST", "demo"),
        ("verb", "riot", None, None, None, "PROTEST", "riot"),
        ("verb", "deploy", None, "troop", None, "MOBILIZE", "troops"),
        ("verb", "arrest", None, None, None, "COERCE", "arrest"),
        ("verb", "crack", "down", None, None, "COERCE", None),
        ("verb", "impose", None, "curfew", None, "COERCE", "curfew"),
        ("verb", "deport", None, None, None, "COERCE", "deport"),
        ("verb", "attack", None, None, None, "ASSAULT", None),
        ("verb", "shell", None, None, None, "ASSAULT", "heavy-weapons"),
        ("verb", "kidnap", None, None, None, "ASSAULT", "abduct"),
        ("noun", "attack", "on", None, None, "ASSAULT", None),
        ("verb", "sign", "with", "agreement", None, "AGREE", None),
        ("verb", "invite", None, None, None, "AGREE", None),
        ("verb", "agree", None, None, "release", "CONCEDE", None),
        ("verb", "hold", "with", "exercise", None, "COOPERATE", None),
        ("verb", "extradite", "to", None, None, "COOPERATE", None),
        ("verb", "provide", "to", "aid", None, "AID", None),
        ("verb", "grant", None, "asylum", None, "AID", None),
        ("verb", "withdraw", "from", "troop", None, "RETREAT", "withdraw"),
        ("verb", "release", None, "prisoner", None, "RETREAT", "release"),
        ("verb", "step", "down", None, None, "RETREAT", "resign"),
        ("verb", "lift", None, "sanction", None, "RETREAT", None),
        ("verb", "pardon", None, None, None, "CONCEDE", None),
        ("verb", "apologize", None, None, None, "CONCEDE", None),
        ("verb", "lift", None, "curfew", None, "CONCEDE", None),
    ],
)
def test_lookups(
    lexicon: TriggerLexicon,
    pos: str,
    lemma: str,
    particle: str | None,
    obj: str | None,
    xcomp: str | None,
    event: str,
    mode: str | None,
) -> None:
    entry = pick(lexicon, pos, lemma, particle, obj, xcomp)
    assert entry is not None
    assert (entry.event, entry.mode) == (event, mode), entry.id


def test_recipient_decides_between_readings(lexicon: TriggerLexicon) -> None:
    # With a recipient, the reading that needs one wins; without, the fallback applies.
    assert pick(lexicon, "verb", "strike", has_recipient=True).event == "ASSAULT"
    assert pick(lexicon, "verb", "strike", has_recipient=False).event == "PROTEST"
    assert pick(lexicon, "noun", "strike", has_recipient=False).mode == "strike"
    assert pick(lexicon, "verb", "impose", obj="restriction", has_recipient=False).event == "COERCE"
    assert pick(lexicon, "noun", "exercise", has_recipient=False).event == "MOBILIZE"
    assert pick(lexicon, "verb", "refuse", xcomp="comment", has_recipient=False) is None


# ------------------------------------------------------------------------------------------ broken files

ENTRY_OK = '  - {verb: meet, cameo: "040", recipient: [prep:with]}\n'


def _load_yaml(tmp_path: Path, text: str, ontology: Ontology) -> TriggerLexicon:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return load_triggers(path, ontology)


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ('  - {verb: urge, mode: visit, cameo: "020"}\n', 4, "mode 'visit' is not a mode of REQUEST"),
        ('  - {verb: urge, cameo: "020", tense: past}\n', 4, "unknown field(s) tense"),
        ('  - {verb: urge, cameo: "999"}\n', 4, "cameo '999' is not in cameo.tsv"),
        ('  - {verb: urge, cameo: "040"}\n', 4, "cameo 040 maps to CONSULT, not REQUEST"),
        ("  - {verb: urge, cameo: 20}\n", 4, "cameo must be a quoted string"),
        ('  - {verb: Urge, cameo: "020"}\n', 4, "not lowercase"),
        ('  - {verb: urge, noun: urging, cameo: "020"}\n', 4, "exactly one of verb: or noun:"),
        ('  - {verb: urge, cameo: "020", recipient: [subject]}\n', 4, "unknown recipient slot 'subject'"),
        ('  - {verb: urge, cameo: "020", actor: [of]}\n', 4, "unknown actor slot 'of'"),
        ('  - {verb: urge, cameo: "020", context: [weather]}\n', 4, "unknown context 'weather'"),
        ('  - {verb: urge, cameo: "020", requires_recipient: maybe}\n', 4, "requires_recipient must be"),
        ('  - {verb: urge, cameo: "020", object: []}\n', 4, "object must be a non-empty list"),
        ('  - {noun: call, cameo: "020", xcomp: [meet]}\n', 4, "xcomp only applies to verbs"),
        ('  - {verb: urge, cameo: "020"}\n  - {verb: urge, cameo: "100"}\n', 5, "duplicate id 'request.urge'"),
        ('  - {verb: urge, cameo: "020", cameo: "100"}\n', 4, "duplicate key 'cameo'"),
        ("  - just a word\n", 4, "an entry must be a mapping"),
        ('  - {verb: urge, cameo: "020"\n', 5, "YAML syntax"),
    ],
)
def test_broken_trigger_entries_name_file_and_line(
    tmp_path: Path, ontology: Ontology, body: str, line: int, needle: str
) -> None:
    text = "CONSULT:\n" + ENTRY_OK + "REQUEST:\n" + body
    with pytest.raises(LexiconError) as err:
        _load_yaml(tmp_path, text, ontology)
    message = str(err.value)
    assert message.startswith(f"bad.yaml:{line}: "), message
    assert needle in message, message


def test_unknown_event_type_names_its_line(tmp_path: Path, ontology: Ontology) -> None:
    with pytest.raises(LexiconError, match=r"^bad\.yaml:3: unknown PLOVER type 'CHAT'"):
        _load_yaml(tmp_path, "CONSULT:\n" + ENTRY_OK + "CHAT:\n" + ENTRY_OK, ontology)


def test_a_valid_small_file_loads(tmp_path: Path, ontology: Ontology) -> None:
    lexicon = _load_yaml(tmp_path, "# comment\nCONSULT:\n" + ENTRY_OK, ontology)
    (entry,) = lexicon.entries
    assert entry.id == "consult.meet" and entry.source == "bad.yaml:3"
    assert entry.actor == ("nsubj",) and entry.mode is None and not entry.requires_recipient


def _broken_ontology(tmp_path: Path, name: str, old: str, new: str) -> Path:
    target = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, target)
    path = target / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _line_of(directory: Path, name: str, fragment: str) -> int:
    for number, line in enumerate((directory / name).read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


@pytest.mark.parametrize(
    ("name", "old", "new", "needle"),
    [
        (
            "cameo.tsv",
            "163\timpose embargo, boycott, or sanctions\t-8.0\t4",
            "163\timpose embargo, boycott, or sanctions\t-8.0\t5",
            "quad must be 1, 2, 3 or 4",
        ),
        (
            "cameo.tsv",
            "163\timpose embargo, boycott, or sanctions\t-8.0\t4",
            "163\timpose embargo, boycott, or sanctions\t-80\t4",
            "outside the scale",
        ),
        (
            "cameo.tsv",
            "163\timpose embargo, boycott, or sanctions\t-8.0\t4",
            "163\timpose embargo, boycott, or sanctions\t-8.0\t3",
            "disagrees with the CAMEO quad class",
        ),
        (
            "cameo.tsv",
            "173\tarrest, detain, or charge with legal action\t-5.0\t4\tCOERCE\tarrest",
            "173\tarrest, detain, or charge with legal action\t-5.0\t4\tCOERCE\tprison",
            "not a mode of COERCE",
        ),
        (
            "cameo.tsv",
            "173\tarrest, detain, or charge with legal action\t-5.0\t4\tCOERCE",
            "173\tarrest, detain, or charge with legal action\t-5.0\t4\tDETAIN",
            "unknown PLOVER type 'DETAIN'",
        ),
        (
            "cameo.tsv",
            "173\tarrest, detain, or charge with legal action\t-5.0\t4",
            "173\tarrest, detain, or charge with legal action\t-5.0",
            "expected 6 tab-separated columns",
        ),
        ("plover.tsv", "AGREE\t1\toptional\t-\t030", "AGREE\t1\toptional\t-\t040", "maps to CONSULT, not AGREE"),
        ("plover.tsv", "AGREE\t1\toptional", "AGREE\t1\tsometimes", "recipient must be 'required' or 'optional'"),
        ("plover.tsv", "AGREE\t1\toptional", "AGREEMENT\t1\toptional", "unknown PLOVER type 'AGREEMENT'"),
    ],
)
def test_broken_tables_name_file_and_line(tmp_path: Path, name: str, old: str, new: str, needle: str) -> None:
    directory = _broken_ontology(tmp_path, name, old, new)
    line = _line_of(directory, name, new)
    with pytest.raises(LexiconError) as err:
        load_ontology(directory)
    message = str(err.value)
    assert message.startswith(f"{name}:{line}: "), message
    assert needle in message, message


def test_missing_header_is_reported(tmp_path: Path) -> None:
    directory = _broken_ontology(tmp_path, "cameo.tsv", "code\tname\tgoldstein", "code\ttitle\tgoldstein")
    with pytest.raises(LexiconError, match=r"^cameo\.tsv:\d+: header must be"):
        load_ontology(directory)
