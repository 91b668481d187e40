"""Checks on the bundled example corpus and its hand-coded reference events.

The corpus is what users try first and what the team reads coder output against, so a broken line, a
missing article or an evidence quote that no longer matches the text should fail loudly here.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "dotterel" / "data" / "examples"
JSONL = EXAMPLES / "articles.jsonl"
EXPECTED = EXAMPLES / "expected.yaml"
README = EXAMPLES / "README.md"

# From /work/shared/PLOVER.md ("Event types"): the 16 types and their modes.
PLOVER_MODES: dict[str, set[str]] = {
    "AGREE": set(),
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "SUPPORT": set(),
    "CONCEDE": set(),
    "COOPERATE": set(),
    "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"},
}
SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "PTY", "OPP", "REB", "SPY", "UAF", "CVL", "JRN", "MED", "BUS",
           "LAB", "REL", "EDU", "REF", "CRM", "ELI", "NGO", "IGO", "UNK"}
REQUIRED_FEATURES = {"quote", "reported-speech", "relative-date", "passive", "apposition",
                     "title-surname-pronoun", "coordination", "negated", "hypothetical", "denied"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_WORDS, MAX_WORDS = 120, 400


def _squash(text: str) -> str:
    return " ".join(text.split())


class _StoryText(HTMLParser):
    """Collects the paragraphs inside <article>, i.e. what an extractor should keep."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.in_p = False
        self.paragraphs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif tag == "p" and self.depth:
            self.in_p = True
            self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        elif tag == "p":
            self.in_p = False

    def handle_data(self, data: str) -> None:
        if self.in_p and self.depth:
            self.paragraphs[-1] += data


def _html_story(path: Path) -> str:
    parser = _StoryText()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n\n".join(_squash(p) for p in parser.paragraphs if p.strip())


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    rows = []
    for lineno, line in enumerate(JSONL.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{JSONL.name}:{lineno}: blank line"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{JSONL.name}:{lineno}: invalid JSON: {exc}")
        assert isinstance(row, dict), f"{JSONL.name}:{lineno}: not a JSON object"
        row["_line"] = lineno
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def expected() -> list[dict[str, Any]]:
    data = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("articles"), list), "expected.yaml: no articles list"
    return data["articles"]


@pytest.fixture(scope="module")
def texts(articles: list[dict[str, Any]], expected: list[dict[str, Any]]) -> dict[str, str]:
    """Article text by id, for the JSONL corpus and the txt/ and html/ examples alike."""
    out = {a["id"]: a["text"] for a in articles}
    for entry in expected:
        file = entry.get("file", "articles.jsonl")
        if file.startswith("txt/"):
            out[entry["id"]] = (EXAMPLES / file).read_text(encoding="utf-8")
        elif file.startswith("html/"):
            out[entry["id"]] = _html_story(EXAMPLES / file)
    return out


def test_jsonl_rows_have_the_documented_fields(articles: list[dict[str, Any]]) -> None:
    for a in articles:
        where = f"{JSONL.name}:{a['_line']}"
        assert set(a) - {"_line"} == {"id", "date", "title", "source", "text"}, where
        for key in ("id", "date", "title", "source", "text"):
            assert isinstance(a[key], str) and a[key].strip(), f"{where}: empty {key}"
        assert SLUG.match(a["id"]), f"{where}: id {a['id']!r} is not a short slug"


def test_enough_articles_with_unique_ids(articles: list[dict[str, Any]]) -> None:
    ids = [a["id"] for a in articles]
    assert len(ids) >= 24
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_dates_valid_and_spread(articles: list[dict[str, Any]]) -> None:
    years = set()
    for a in articles:
        d = date.fromisoformat(a["date"])  # raises on a bad date
        assert a["date"] == d.isoformat(), f"{JSONL.name}:{a['_line']}: date not YYYY-MM-DD"
        assert 2019 <= d.year <= 2026, f"{JSONL.name}:{a['_line']}: {d} outside 2019-2026"
        years.add(d.year)
    assert {2019, 2026} <= years and len(years) >= 6, f"dates not spread: {sorted(years)}"


def test_text_lengths_and_paragraphs(articles: list[dict[str, Any]]) -> None:
    for a in articles:
        where = f"{JSONL.name}:{a['_line']} ({a['id']})"
        n = len(a["text"].split())
        assert MIN_WORDS <= n <= MAX_WORDS, f"{where}: {n} words"
        paragraphs = a["text"].split("\n\n")
        assert len(paragraphs) >= 3, f"{where}: fewer than 3 paragraphs"
        for p in paragraphs:
            assert p.strip() == p and p and "\n" not in p, f"{where}: stray newline or empty paragraph"


def test_txt_and_html_examples(texts: dict[str, str], expected: list[dict[str, Any]]) -> None:
    files = [e["file"] for e in expected]
    txt = [f for f in files if f.startswith("txt/")]
    html = [f for f in files if f.startswith("html/")]
    assert txt and html, "need one txt/ and one html/ example listed in expected.yaml"
    for entry in expected:
        if entry["file"] == "articles.jsonl":
            continue
        assert (EXAMPLES / entry["file"]).is_file(), entry["file"]
        assert Path(entry["file"]).stem == entry["id"], f"{entry['file']}: file name must be the id"
        date.fromisoformat(entry["pub_date"])  # these files carry no metadata of their own
        n = len(texts[entry["id"]].split())
        assert MIN_WORDS <= n <= MAX_WORDS, f"{entry['file']}: {n} words of story text"
    for f in html:
        page = (EXAMPLES / f).read_text(encoding="utf-8")
        for tag in ("<nav", "<footer", "ad-slot", "<article", "<time datetime="):
            assert tag in page, f"{f}: missing {tag} (the page should carry boilerplate to strip)"
        story = texts[Path(f).stem]
        assert "Advertisement" not in story and "All rights reserved" not in story


def test_expected_covers_every_article_once(articles: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    ids = [e["id"] for e in expected]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"expected.yaml: duplicate ids {dupes}"
    jsonl_ids = {a["id"] for a in articles}
    listed = {e["id"] for e in expected if e.get("file", "articles.jsonl") == "articles.jsonl"}
    assert listed == jsonl_ids, f"missing: {jsonl_ids - listed}; unknown: {listed - jsonl_ids}"


def _check_party(party: Any, where: str) -> None:
    assert isinstance(party, dict), f"{where}: not a mapping"
    assert set(party) <= {"country", "sector", "sectors"}, f"{where}: unknown keys {set(party)}"
    country = party.get("country")
    assert isinstance(country, str) and re.fullmatch(r"[A-Z]{3}", country), f"{where}: country {country!r}"
    assert party.get("sector") in SECTORS, f"{where}: sector {party.get('sector')!r}"
    for s in party.get("sectors", []):
        assert s in SECTORS and s != party["sector"], f"{where}: secondary sector {s!r}"


def test_expected_events_are_well_formed(expected: list[dict[str, Any]], texts: dict[str, str]) -> None:
    for entry in expected:
        text = _squash(texts[entry["id"]])
        assert entry.get("scope") in {"international", "domestic", "none"}, entry["id"]
        assert isinstance(entry.get("events"), list), f"{entry['id']}: events must be a list"
        assert (entry["scope"] == "none") == (entry["events"] == []), f"{entry['id']}: scope vs events"
        for i, ev in enumerate(entry["events"]):
            where = f"expected.yaml {entry['id']} event {i}"
            assert ev["type"] in PLOVER_MODES, f"{where}: {ev['type']!r} is not a PLOVER type"
            mode = ev.get("mode")
            assert mode is None or mode in PLOVER_MODES[ev["type"]], f"{where}: mode {mode!r}"
            _check_party(ev["actor"], f"{where} actor")
            if ev["recipient"] is not None:
                _check_party(ev["recipient"], f"{where} recipient")
            if ev.get("mutual"):
                assert ev["recipient"] is not None, f"{where}: mutual needs a recipient"
            assert _squash(ev["evidence"]) in text, f"{where}: evidence not in text: {ev['evidence']!r}"
        for neg in entry.get("not_coded", []):
            assert _squash(neg["evidence"]) in text, f"{entry['id']}: not_coded evidence not in text"
            assert neg.get("why"), f"{entry['id']}: not_coded needs a why"


def test_expected_covers_all_types_and_no_event_articles(expected: list[dict[str, Any]]) -> None:
    per_type = Counter(ev["type"] for e in expected for ev in e["events"])
    thin = {t: per_type[t] for t in PLOVER_MODES if per_type[t] < 2}
    assert not thin, f"types coded fewer than twice: {thin}"
    articles_per_type = Counter(t for e in expected for t in {ev["type"] for ev in e["events"]})
    assert all(articles_per_type[t] >= 2 for t in PLOVER_MODES), "each type should appear in two articles"
    empty = [e["id"] for e in expected if e["events"] == []]
    assert len(empty) >= 3, f"only {len(empty)} articles without events"
    scopes = Counter(e["scope"] for e in expected)
    assert scopes["international"] >= 5 and scopes["domestic"] >= 5, scopes


def test_required_phenomena_present(expected: list[dict[str, Any]]) -> None:
    seen = {f for e in expected for f in e.get("features", [])}
    assert REQUIRED_FEATURES <= seen, f"missing features: {REQUIRED_FEATURES - seen}"
    negatives = sum(len(e.get("not_coded", [])) for e in expected if e["events"])
    assert negatives >= 10, "hard negatives inside event-bearing articles"


def test_readme_lists_every_article_and_type(expected: list[dict[str, Any]]) -> None:
    readme = README.read_text(encoding="utf-8")
    for entry in expected:
        assert entry["id"] in readme, f"README.md does not mention {entry['id']}"
    for t in PLOVER_MODES:
        assert t in readme, f"README.md does not mention {t}"
