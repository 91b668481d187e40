"""User dictionaries: TABARI/PETRARCH text, our CSV and YAML; date-restricted codes; errors with file:line;
import → export → import round trips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dotterel.actors.dictionaries import (
    DictionaryError,
    UserDictionary,
    dumps,
    parse,
    parse_csv,
    parse_tabari,
    parse_yaml,
    read_dictionary,
    split_code,
    write_dictionary,
)

FIXTURES = Path(__file__).parent / "fixtures" / "dictionaries"
ALL = ["actors.txt", "agents.txt", "user.csv", "user.yaml"]


def _by_phrase(entries, phrase):
    return [e for e in entries if e.phrase == phrase]


def test_tabari_actors_phrases_synonyms_and_codes():
    entries = read_dictionary(FIXTURES / "actors.txt")
    court = _by_phrase(entries, "PHNOM PENH MUNICIPAL COURT")[0]
    assert (court.country, court.sector, court.sectors) == ("KHM", "JUD", ("JUD",))
    synonym = _by_phrase(entries, "PHNOM PENH COURT")[0]
    assert synonym.name == "PHNOM PENH MUNICIPAL COURT" and synonym.country == "KHM"
    party = _by_phrase(entries, "CANDLELIGHT PARTY")[0]
    assert (party.country, party.sector, party.sectors) == ("KHM", "PTY", ("PTY", "OPP"))
    assert party.source == "actors.txt:7"
    health = _by_phrase(entries, "KHMER HEALTH WORKERS")[0]
    assert health.sector == "MED"  # CAMEO HLH
    bare = _by_phrase(entries, "CAMBODIA")[0]
    assert (bare.country, bare.sector, bare.sectors) == ("KHM", None, ())
    assert not _by_phrase(entries, "SOUTH SEA SPECIAL UNIT")  # [---] is skipped


def test_tabari_date_restrictions():
    entries = read_dictionary(FIXTURES / "actors.txt")
    retno = _by_phrase(entries, "RETNO MARSUDI")
    assert [(e.sector, e.start, e.end, e.title) for e in retno] == [
        ("GOV", date(2014, 10, 27), date(2024, 10, 20), "Foreign Minister"),
        ("ELI", date(2024, 10, 21), None, None),
    ]
    zoran = _by_phrase(entries, "ZORAN VELKOVSKI")
    assert [(e.sector, e.start, e.end) for e in zoran] == [("OPP", None, date(2019, 12, 31)),
                                                           ("GOV", date(2020, 1, 1), None)]
    user = UserDictionary(entries)
    assert user.resolve("Retno Marsudi", date(2019, 5, 1)).sector == "GOV"
    assert user.resolve("retno marsudi", date(2025, 1, 1)).sector == "ELI"
    assert user.resolve("Retno Lestari Priansari Marsudi", date(2019, 5, 1)).country == "IDN"
    assert user.resolve("Retno Marsudi", date(2010, 1, 1)) is None  # dated entries only, none covers 2010
    assert user.resolve("Retno Marsudi", None).sector == "ELI"  # open-ended wins without a date
    assert user.resolve("Zoran Velkovski", date(2018, 1, 1)).sector == "OPP"


def test_tabari_agents_suffix_and_prefix():
    entries = read_dictionary(FIXTURES / "agents.txt")
    minister = _by_phrase(entries, "FOREIGN MINISTER")[0]
    assert (minister.country, minister.sector, minister.agent) == (None, "GOV", "suffix")
    assert _by_phrase(entries, "FOREIGN SECRETARY")[0].agent == "suffix"
    attache = _by_phrase(entries, "DEFENCE ATTACHE")[0]
    assert attache.sectors == ("GOV", "MIL")
    secretary = _by_phrase(entries, "PARTY SECRETARY")[0]
    assert (secretary.sector, secretary.agent) == ("PTY", "prefix")
    assert secretary.code() == "PTY~" and minister.code() == "~GOV"


@pytest.mark.parametrize(("code", "expected"), [
    ("USAGOV", ("USA", ("GOV",))),
    ("KHMGOVMIL", ("KHM", ("GOV", "MIL"))),
    ("IGO", ("IGO", ("IGO",))),
    ("UNOIGO", ("UNO", ("IGO",))),
    ("EURGOV", ("EUR", ("GOV",))),
    ("THA", ("THA", ())),
    ("PSEREBRAD", ("PSE", ("REB",))),  # the modifier RAD is dropped
    ("SYRINS", ("SYR", ("REB",))),
])
def test_split_code(code, expected):
    assert split_code(code, ("x.txt", 1)) == expected


def test_our_csv_and_yaml():
    csv_entries = read_dictionary(FIXTURES / "user.csv")
    wang = csv_entries[0]
    assert (wang.phrase, wang.country, wang.sector, wang.sectors) == ("Wang Yi", "CHN", "PTY", ("PTY", "GOV"))
    assert wang.start == date(2020, 1, 1) and wang.end is None and wang.source == "user.csv:3"
    sokha = _by_phrase(csv_entries, "Sokha Chan")[0]
    assert (sokha.start, sokha.end, sokha.title) == (date(2018, 3, 1), date(2021, 6, 30), "reporter")
    yaml_entries = read_dictionary(FIXTURES / "user.yaml")
    alias = _by_phrase(yaml_entries, "Magic Ministry")[0]
    assert (alias.name, alias.country, alias.sector) == ("Ministry of Magic", "GBR", "GOV")
    judge = _by_phrase(yaml_entries, "Amara Diallo")[0]
    assert judge.sectors == ("JUD", "GOV") and judge.end == date(2022, 12, 31) and judge.source == "user.yaml:6"


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("fmt", ["tabari", "csv", "yaml"])
def test_round_trip(name, fmt, tmp_path):
    """import → export (any format) → import gives the same entries; and a second export is identical."""
    first = read_dictionary(FIXTURES / name)
    out = tmp_path / f"out.{ {'tabari': 'txt', 'csv': 'csv', 'yaml': 'yaml'}[fmt] }"
    write_dictionary(first, out, fmt)
    second = read_dictionary(out)
    assert [e.content() for e in second] == [e.content() for e in first]
    assert dumps(second, fmt) == out.read_text(encoding="utf-8")


def test_round_trip_across_formats(tmp_path):
    entries = read_dictionary(FIXTURES / "actors.txt") + read_dictionary(FIXTURES / "user.yaml")
    text = dumps(parse(dumps(entries, "csv"), "csv"), "tabari")
    back = parse(text, "tabari")
    assert sorted(e.content() for e in back) == sorted(e.content() for e in entries)


@pytest.mark.parametrize(("text", "where", "problem"), [
    ("GOOD [USAGOV]\nBAD [USAGOVX]\n", "t.txt:2", "3-letter"),
    ("GOOD [USAGOV]\nBAD [USAXYZ]\n", "t.txt:2", "'XYZ'"),
    ("# c\n\nNOCODE_HERE\nNEXT [USA]\n", "t.txt:3", "no [CODE]"),
    ("[USAGOV]\n", "t.txt:1", "before any phrase"),
    ("+SYN\n", "t.txt:1", "before any phrase"),
    ("X [USAGOV 1701]\n", "t.txt:1", "YYMMDD"),
    ("X [USAGOV 170230-]\n", "t.txt:1", "day is out of range"),
    ("X [USAGOV 170101-160101]\n", "t.txt:1", "ends"),
    ("X [USAGOV\n", "t.txt:1", "unbalanced"),
    ("X [USAGOV ~170101]\n", "t.txt:1", "restriction"),
])
def test_tabari_errors_name_file_and_line(text, where, problem):
    with pytest.raises(DictionaryError) as err:
        parse_tabari(text, "t.txt")
    assert str(err.value).startswith(where + ":") and problem in str(err.value)


@pytest.mark.parametrize(("text", "where", "problem"), [
    ("phrase,country\nx,USA\n", "u.csv:1", "lacks column"),
    ("phrase,country,sector,sectors,title,start,end,colour\n", "u.csv:1", "unknown column"),
    ("phrase,country,sector,sectors,title,start,end\nx,USX,GOV,,,,\n", "u.csv:2", "unknown country 'USX'"),
    ("phrase,country,sector,sectors,title,start,end\n#c\nx,USA,GOVT,,,,\n", "u.csv:3", "unknown sector"),
    ("phrase,country,sector,sectors,title,start,end\nx,USA,GOV,MIL|JUD,,,\n", "u.csv:2", "missing from sectors"),
    ("phrase,country,sector,sectors,title,start,end\nx,USA,GOV,,,2020-13,\n", "u.csv:2", "month must be"),
    ("phrase,country,sector,sectors,title,start,end\nx,USA,GOV,,,2020,2019\n", "u.csv:2", "ends"),
    ("phrase,country,sector,sectors,title,start,end\n,USA,GOV,,,,\n", "u.csv:2", "empty phrase"),
    ("phrase,country,sector,sectors,title,start,end\nx,,,,,,\n", "u.csv:2", "neither country nor sector"),
    ("phrase,country,sector,sectors,title,start,end\nx,USA,GOV,,,,,extra\n", "u.csv:2", "fields"),
])
def test_csv_errors_name_file_and_line(text, where, problem):
    with pytest.raises(DictionaryError) as err:
        parse_csv(text, "u.csv")
    assert str(err.value).startswith(where + ":") and problem in str(err.value)


@pytest.mark.parametrize(("text", "where", "problem"), [
    ("- phrase: A\n  country: USA\n- phrase: B\n  colour: red\n", "u.yaml:4", "unknown key"),
    ("- phrase: A\n  country: USA\n- phrase: B\n  country: XXX\n", "u.yaml:3", "unknown country"),
    ("phrase: A\n", "u.yaml:1", "list of entries"),
    ("- phrase: A\n  country: [USA\n", "u.yaml:", "YAML error"),
])
def test_yaml_errors_name_file_and_line(text, where, problem):
    with pytest.raises(DictionaryError) as err:
        parse_yaml(text, "u.yaml")
    assert str(err.value).startswith(where) and problem in str(err.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DictionaryError, match="nope.csv"):
        read_dictionary(tmp_path / "nope.csv")


def test_scan_finds_longest_phrase_and_skips_out_of_date():
    user = UserDictionary(parse_tabari("RAILWAY_POLICE [~COP]\nPOLICE [~COP]\nOLD_GUARD [USAMIL <991231]\n"))
    found = user.scan("the Paris railway police")
    assert [(s, e, m.phrase) for s, e, m in found] == [(1, 3, "RAILWAY POLICE")]
    assert user.scan("the old guard", date(2005, 1, 1)) == []
    assert user.scan("the old guard", date(1995, 1, 1))[0][2].country == "USA"
