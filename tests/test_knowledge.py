"""The knowledge base: precedence user > curated > learned, the learned store and its validity rule, conflicts,
roles learned in one article resolving a bare name in the next, phrase resolution with user entries, the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from dotterel.actors.dictionaries import load_dictionaries, read_dictionary
from dotterel.actors.knowledge import (
    LEARNED_AFTER,
    KnowledgeBase,
    LearnedStore,
    load_knowledge,
    pick_learned,
)
from dotterel.actors.people import load_people
from dotterel.actors.phrase import resolve_phrase
from dotterel.records import LearnedRole

FIXTURES = Path(__file__).parent / "fixtures" / "dictionaries"


def role(name, title, country, sector, doc_id, pub, sentence="s."):
    return LearnedRole(name=name, title=title, country=country, sector=sector, sectors=[sector] if sector else [],
                       doc_id=doc_id, pub_date=pub, sentence=sentence)


@pytest.fixture
def store(tmp_path):
    with LearnedStore(tmp_path / "learned.sqlite") as s:
        yield s


@pytest.fixture
def kb(store):
    user = load_dictionaries([FIXTURES / name for name in ("actors.txt", "agents.txt", "user.csv", "user.yaml")])
    return KnowledgeBase(user=user, curated=load_people(), learned=store)


# ------------------------------------------------------------------------------------------- learned store
def test_reading_a_missing_store_creates_nothing(tmp_path):
    s = LearnedStore(tmp_path / "sub" / "learned.sqlite")
    assert s.entries() == [] and s.resolve("Anyone", None) is None and len(s) == 0
    assert not (tmp_path / "sub").exists()


def test_add_is_idempotent_and_keeps_article_and_date(store):
    r = role("Dewi Kartika", "Foreign Minister", "IDN", "GOV", "a1", "2019-03-04", "Indonesian Foreign Minister "
             "Dewi Kartika met her Thai counterpart.")
    assert store.add(r) is True
    assert store.add(r) is False
    assert store.add(role("Nobody", None, None, None, "a1", None)) is False  # names no role
    store.add(role("Dewi Kartika", "Foreign Minister", "IDN", "GOV", "a7", "2020-01-10"))
    (entry,) = store.entries("dewi kartika")
    assert entry.articles == ("a1", "a7")
    assert (entry.first_seen, entry.last_seen) == (date(2019, 3, 4), date(2020, 1, 10))
    assert len(store) == 2


def test_validity_window_and_nearest_role(store):
    store.add(role("Dewi Kartika", "Trade Minister", "IDN", "GOV", "a1", "2012-06-01"))
    store.add(role("Dewi Kartika", "opposition leader", "IDN", "OPP", "a2", "2017-06-01"))
    assert store.resolve("Dewi Kartika", date(2012, 1, 1)).sector == "GOV"
    assert store.resolve("Dewi Kartika", date(2016, 12, 1)).sector == "OPP"  # nearer to 2017 than to 2012
    assert store.resolve("Dewi Kartika", date(2014, 3, 1)).sector == "GOV"  # within 2 years after, nearer
    assert store.resolve("Dewi Kartika", date(2017, 6, 1) + LEARNED_AFTER).sector == "OPP"
    assert store.resolve("Dewi Kartika", date(2017, 6, 2) + LEARNED_AFTER) is None  # the window is over
    assert store.resolve("Dewi Kartika", date(2010, 1, 1)) is None  # more than a year before the first sighting
    assert store.resolve("Dewi Kartika", None).sector == "OPP"  # no date: the latest


def test_undated_role_loses_to_a_dated_one():
    from dotterel.actors.knowledge import LearnedEntry

    undated = LearnedEntry("X", "t", "FRA", "JUD", ("JUD",), None, None, ("u",), "")
    dated = LearnedEntry("X", "t", "FRA", "GOV", ("GOV",), date(2020, 1, 1), date(2020, 1, 1), ("d",), "")
    assert pick_learned([undated, dated], date(2020, 6, 1)) is dated
    assert pick_learned([undated, dated], date(1990, 6, 1)) is undated


def test_surname_resolves_only_when_unambiguous(store):
    store.add(role("Dewi Kartika", "Foreign Minister", "IDN", "GOV", "a1", "2019-03-04"))
    assert store.resolve("Kartika", date(2019, 5, 1)).name == "Dewi Kartika"
    store.add(role("Ayu Kartika", "judge", "IDN", "JUD", "a2", "2019-03-04"))
    assert store.resolve("Kartika", date(2019, 5, 1)) is None


# ------------------------------------------------------------------------------------------- precedence
def test_user_wins_over_curated(kb):
    found = kb.resolve_name("Wang Yi", date(2021, 6, 1))
    assert (found.source, found.sector) == ("user", "PTY")
    # before the user entry starts, the curated base answers
    found = kb.resolve_name("Wang Yi", date(2015, 6, 1))
    assert (found.source, found.country, found.sector) == ("curated", "CHN", "GOV")


def test_learned_never_overrides_curated_and_conflicts_are_reported(kb, store):
    store.add(role("Retno Marsudi", "Trade Minister", "MYS", "GOV", "x1", "2019-02-01"))
    store.add(role("Joko Widodo", "party chairman", "IDN", "PTY", "x2", "2018-02-01"))
    store.add(role("Dewi Kartika", "Foreign Minister", "IDN", "GOV", "x3", "2019-02-01"))
    jokowi = kb.resolve_name("Joko Widodo", date(2018, 3, 1))
    assert jokowi.source == "curated" and jokowi.sector == "GOV"
    assert kb.resolve_name("Dewi Kartika", date(2019, 3, 1)).source == "learned"
    conflicts = {c.name: c for c in kb.conflicts()}
    assert set(conflicts) == {"Retno Marsudi", "Joko Widodo"}
    # Retno Marsudi is in the user dictionary (actors.txt) as well as the curated base: the user entry is kept
    assert conflicts["Retno Marsudi"].other.source == "user"
    assert "country MYS (learned) vs IDN (user)" in conflicts["Retno Marsudi"].problem
    assert "sector PTY (learned) vs GOV (curated)" in conflicts["Joko Widodo"].problem
    assert conflicts["Joko Widodo"].to_dict()["learned"]["articles"] == ["x2"]
    assert len(store.entries()) == 3  # the conflicting roles are kept


def test_lookup_phrase_whole_inside_and_agents(kb):
    court = kb.lookup_phrase("the Phnom Penh Court", None)
    assert (court.source, court.country, court.sector) == ("user", "KHM", "JUD")
    inside = kb.lookup_phrase("a lawyer for Meridian Shipping Lines", None)
    assert (inside.country, inside.sector) == ("MNC", "BUS")
    composed = kb.lookup_phrase("Cambodia railway police", None)
    assert (composed.country, composed.sector, composed.sectors) == ("KHM", "COP", ("COP",))
    prefix = kb.lookup_phrase("Candlelight Party party secretary", None)
    assert prefix.sectors == ("PTY", "OPP") and prefix.sector == "PTY"
    assert kb.lookup_phrase("a railway police officer in Paris", None).country is None  # an agent alone
    assert kb.lookup_phrase("nothing known here", None) is None


def test_load_knowledge_reads_home(tmp_path, monkeypatch):
    monkeypatch.setenv("DOTTEREL_HOME", str(tmp_path))
    (tmp_path / "user_actors.csv").write_text((FIXTURES / "user.csv").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    kb = load_knowledge(dictionaries=[FIXTURES / "user.yaml"])
    assert kb.resolve_name("Mekong River Watch").sector == "NGO"
    assert kb.resolve_name("Magic Ministry").country == "GBR"
    assert kb.learned is not None and kb.learned.path == tmp_path / "learned.sqlite"


# ------------------------------------------------------------------------------------------- phrases
def test_phrase_user_entry_wins_and_rule_fills_country(kb, nlp):
    out = resolve_phrase("Mekong River Watch", kb=kb, nlp=nlp)
    assert (out["country"], out["sector"], out["source"]) == ("KHM", "NGO", "user")
    out = resolve_phrase("Paris railway police", kb=kb, nlp=nlp)
    assert (out["country"], out["sector"], out["source"]) == ("FRA", "COP", "user")
    assert "country from the string: FRA" in out["reason"]
    out = resolve_phrase("Wang Yi", on=date(2021, 6, 1), kb=kb, nlp=nlp)
    assert (out["sector"], out["source"]) == ("PTY", "user")
    out = resolve_phrase("the Kremlin", kb=kb, nlp=nlp)
    assert out["source"] == "rule" and set(out) == {"text", "name", "country", "sector", "sectors", "title",
                                                     "source", "reason"}


def test_phrase_unresolved(kb, nlp):
    out = resolve_phrase("Qwertyuiop Zxcvbnm", kb=kb, nlp=nlp)
    assert out["source"] is None and out["country"] is None and "not in the knowledge base" in out["reason"]


# ------------------------------------------------------------------------------------------- across articles
def test_learned_roles_carry_across_articles(coder, nlp, store):
    first = {"id": "a1", "date": "2019-03-04",
             "text": "Indonesian Foreign Minister Dewi Kartika met Thai officials in Bangkok on Monday."}
    second = {"id": "a2", "date": "2020-05-01", "text": "Dewi Kartika criticised Malaysia on Tuesday."}
    coded = list(coder.code_articles([first, second]))
    learned = coded[0].learned
    assert [(r.name, r.country, r.sector, r.doc_id) for r in learned] == [("Dewi Kartika", "IDN", "GOV", "a1")]
    kb = KnowledgeBase(curated=load_people(), learned=store)
    before = resolve_phrase("Dewi Kartika", on=date(2020, 5, 1), kb=kb, nlp=nlp)
    assert before["source"] is None
    assert kb.add_learned(r for c in coded for r in c.learned) == 1
    after = resolve_phrase("Dewi Kartika", on=date(2020, 5, 1), kb=kb, nlp=nlp)
    assert (after["country"], after["sector"], after["title"], after["source"]) == ("IDN", "GOV",
                                                                                     "Foreign Minister", "learned")
    assert "a1" in after["reason"]
    # long after the article, the learned role no longer holds
    assert resolve_phrase("Dewi Kartika", on=date(2030, 1, 1), kb=kb, nlp=nlp)["source"] is None


# ------------------------------------------------------------------------------------------- CLI
def test_cli_actor_single(cli, tmp_path, nlp):
    result = CliRunner().invoke(cli, ["actor", "Syrian rebels", "--home", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["country"], out["sector"], out["source"]) == ("SYR", "REB", "rule")
    result = CliRunner().invoke(cli, ["actor", "Retno Marsudi", "--date", "2020-01-01", "--home", str(tmp_path)])
    assert (json.loads(result.output)["country"], json.loads(result.output)["sector"]) == ("IDN", "GOV")
    result = CliRunner().invoke(cli, ["actor", "x", "--date", "2020-31-01", "--home", str(tmp_path)])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_cli_actor_batch_keeps_order_and_reports_bad_lines(cli, tmp_path, nlp):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": "a", "text": "the Kremlin"}\n'
                     "not json\n"
                     '{"id": "b", "text": "the police", "context": "Kenyan police fired tear gas in Nairobi."}\n'
                     '{"id": "c", "text": ""}\n'
                     '{"id": "d", "text": "Boris Johnson", "date": "2023-06-01"}\n'
                     '{"id": "e", "text": "x", "date": "June"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["actor", "--batch", str(batch), "--home", str(tmp_path)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], o["country"], o["sector"]) for o in lines] == [("a", "RUS", "GOV"), ("b", "KEN", "COP"),
                                                                      ("d", "GBR", "ELI")]
    assert f"{batch}:2: not valid JSON" in result.stderr
    assert f"{batch}:4: missing or empty 'text'" in result.stderr
    assert f"{batch}:6:" in result.stderr


def test_cli_actor_batch_from_stdin(cli, tmp_path, nlp):
    result = CliRunner().invoke(cli, ["actor", "--batch", "-", "--home", str(tmp_path)],
                                input='{"id": 7, "text": "Thai officials"}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == 7 and json.loads(result.stdout)["country"] == "THA"


def test_cli_actors_import_show_export_list(cli, tmp_path):
    home = str(tmp_path / "home")
    runner = CliRunner()
    result = runner.invoke(cli, ["actors", "import", str(FIXTURES / "actors.txt"), "--home", home])
    assert result.exit_code == 0, result.output
    again = runner.invoke(cli, ["actors", "import", str(FIXTURES / "actors.txt"), "--home", home])
    assert "0 new" in again.stderr
    runner.invoke(cli, ["actors", "import", str(FIXTURES / "user.yaml"), "--format", "yaml", "--home", home])
    shown = json.loads(runner.invoke(cli, ["actors", "show", "Retno Marsudi", "--date", "2019-01-01",
                                           "--home", home]).stdout)
    assert shown["resolution"]["source"] == "user" and shown["curated"] and len(shown["user"]) == 2
    out = tmp_path / "export.txt"
    result = runner.invoke(cli, ["actors", "export", str(out), "--home", home])
    assert result.exit_code == 0
    exported = read_dictionary(out)
    imported = read_dictionary(FIXTURES / "actors.txt") + read_dictionary(FIXTURES / "user.yaml")
    assert sorted(e.content() for e in exported) == sorted(e.content() for e in imported)
    listed = runner.invoke(cli, ["actors", "list", "--source", "user", "--home", home]).stdout.splitlines()
    assert "user\tRETNO MARSUDI\tIDN\tGOV\tForeign Minister" in listed
    curated = runner.invoke(cli, ["actors", "export", "-", "--format", "csv", "--source", "curated",
                                  "--home", home])
    assert curated.exit_code == 0 and "Retno Marsudi,IDN,GOV" in curated.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("phrase,country,sector,sectors,title,start,end\nx,USA,NOPE,,,,\n", encoding="utf-8")
    result = runner.invoke(cli, ["actors", "import", str(bad), "--home", home])
    assert result.exit_code == 1 and "bad.csv:2: unknown sector 'NOPE'" in result.output
    missing = runner.invoke(cli, ["actors", "show", "Nobody Atall", "--home", home])
    assert missing.exit_code == 1


def test_cli_conflicts(cli, tmp_path):
    with LearnedStore(tmp_path / "learned.sqlite") as s:
        s.add(role("Joko Widodo", "party chairman", "IDN", "PTY", "x2", "2018-02-01"))
    result = CliRunner().invoke(cli, ["actors", "conflicts", "--home", str(tmp_path)])
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["name"] == "Joko Widodo" and json.loads(line)["kept"]["source"] == "curated"
