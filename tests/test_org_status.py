"""Dated organisation status (org_status.yaml): loader errors name file and line, periods hold on their boundary
days, the curated file is internally consistent, and resolution (``dotterel actor``, the coder) uses the period
valid on the article's date and says which one."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from dotterel.actors.lexicon import (
    DEFAULT_DATA_DIR,
    ORG_STATUS_FILE,
    LexiconError,
    load_actor_lexicon,
    load_org_status,
)

CODES = {"TALIBAN", "LABOUR", "CONSERVATIVES"}
STATUS_PATH = DEFAULT_DATA_DIR / ORG_STATUS_FILE


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ORG_STATUS_FILE
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(fragment: str) -> int:
    """The line of the packaged org_status.yaml that contains ``fragment`` (exactly one)."""
    lines = [n for n, line in enumerate(STATUS_PATH.read_text(encoding="utf-8").splitlines(), start=1)
             if fragment in line]
    assert len(lines) == 1, (fragment, lines)
    return lines[0]


# ------------------------------------------------------------------------------------------------ loader errors
BAD_FILES = [
    ("unknown code",
     "TALIBAN:\n  - {sectors: [REB], from: 2001}\nNOSUCHORG:\n  - {sectors: [GOV], from: 2001}\n",
     3, "unknown organisation code 'NOSUCHORG'"),
    ("unknown sector",
     "LABOUR:\n  - sectors: [PTY, GOV]\n    from: 1997\n    to: 2009\n  - sectors:\n      - PTY\n      - GOVT\n"
     "    from: 2010\n",
     7, "unknown sector 'GOVT'"),
    ("overlapping periods",
     "LABOUR:\n  - {sectors: [PTY, GOV], from: 1997-05-02, to: 2010-05-11}\n"
     "  - {sectors: [PTY, OPP], from: 2010-05, to: 2024-07-04}\n",
     3, "overlaps PTY+GOV 1997-05-02 to 2010-05-11 at org_status.yaml:2"),
    ("open ends overlap",
     "TALIBAN:\n  - {sectors: [GOV], from: 2021-08-15}\n  - {sectors: [REB], to: 2021-08-15}\n",
     2, "overlaps REB until 2021-08-15 at org_status.yaml:3"),
    ("bad month", "TALIBAN:\n  - sectors: [REB]\n    from: 2001-13\n", 3, "'from' '2001-13'"),
    ("not a date", "TALIBAN:\n  - sectors: [REB]\n    from: 2001\n    to: 15/08/2021\n", 4,
     "'to' '15/08/2021' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("reversed dates", "TALIBAN:\n  - {sectors: [REB], from: 2021-08-15, to: 2001-12}\n", 2,
     "ends (2001-12-31) before"),
    ("no dates", "TALIBAN:\n  - {sectors: [REB], note: always}\n", 2, "needs 'from' or 'to'"),
    ("no sectors", "TALIBAN:\n  - {from: 2001}\n", 2, "needs 'sectors'"),
    ("empty sectors", "TALIBAN:\n  - {sectors: [], from: 2001}\n", 2, "non-empty list"),
    ("sectors not a list", "TALIBAN:\n  - {sectors: REB, from: 2001}\n", 2, "non-empty list"),
    ("repeated sector", "LABOUR:\n  - {sectors: [PTY, GOV, PTY], from: 2001}\n", 2, "repeated"),
    ("unknown key", "LABOUR:\n  - sectors: [PTY]\n    since: 2001\n", 3, "unknown key 'since'"),
    ("code twice", "LABOUR:\n  - {sectors: [PTY, GOV], from: 1997}\nLABOUR:\n  - {sectors: [PTY], to: 1996}\n", 3,
     "listed twice"),
    ("empty list", "LABOUR: []\n", 1, "non-empty list of periods"),
    ("not a mapping", "- LABOUR\n", 1, "expected a mapping"),
    ("yaml syntax", "LABOUR:\n  - {sectors: [PTY, from: 2001\n", 3, "YAML error"),
]


@pytest.mark.parametrize(("text", "line", "message"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_loader_errors_name_file_and_line(tmp_path, text, line, message):
    path = _write(tmp_path, text)
    with pytest.raises(LexiconError) as info:
        load_org_status(path, CODES)
    assert str(info.value).startswith(f"{ORG_STATUS_FILE}:{line}: "), str(info.value)
    assert message in str(info.value)


def test_a_good_file_loads_with_partial_dates(tmp_path):
    path = _write(tmp_path, "# comment\nLABOUR:\n  - {sectors: [PTY, OPP], from: 2010-05-12, to: 2024-07-04}\n"
                            "  - {sectors: [PTY, GOV], from: 1997-05-02, to: 2010-05-11, note: Blair}\n"
                            "TALIBAN:\n  - {sectors: [REB], from: 2001-12, to: 2021}\n")
    status = load_org_status(path, CODES)
    labour = status["LABOUR"]
    assert [p.start for p in labour] == [date(1997, 5, 2), date(2010, 5, 12)]  # sorted by start
    assert labour[0].note == "Blair" and labour[0].source == f"{ORG_STATUS_FILE}:4"
    taliban = status["TALIBAN"][0]
    assert (taliban.start, taliban.end) == (date(2001, 12, 1), date(2021, 12, 31))
    assert load_org_status(_write(tmp_path, "# nothing yet\n"), CODES) == {}


def test_lexicon_load_reports_a_bad_status_file(tmp_path):
    for name in ("countries.tsv", "organizations.tsv", "sectors.tsv"):
        shutil.copy(DEFAULT_DATA_DIR / name, tmp_path / name)
    lexicon = load_actor_lexicon(tmp_path)  # no org_status.yaml: the TSV alone
    assert lexicon.status == {} and lexicon.org_status("TALIBAN", date(2015, 6, 1)) is None
    _write(tmp_path, "TALIBAN:\n  - {sectors: [REB], from: 2001-12}\nHAMAS:\n  - {sectors: [REB, GOVT], from: 2007}\n")
    with pytest.raises(LexiconError, match=r"^org_status\.yaml:4: HAMAS: unknown sector 'GOVT'"):
        load_actor_lexicon(tmp_path)


# ------------------------------------------------------------------------------------------------ period lookup
@pytest.mark.parametrize(("code", "on", "sectors"), [
    ("TALIBAN", "1996-08-31", ("REB",)),
    ("TALIBAN", "1996-09-01", ("GOV",)),
    ("TALIBAN", "2001-11-30", ("GOV",)),
    ("TALIBAN", "2001-12-01", ("REB",)),
    ("TALIBAN", "2021-08-14", ("REB",)),
    ("TALIBAN", "2021-08-15", ("GOV",)),
    ("HAMAS", "2006-03-28", None),  # before any period: the TSV row applies
    ("HAMAS", "2007-06-14", ("REB", "GOV", "PTY")),
    ("GOP", "2017-01-19", ("PTY", "OPP")),
    ("GOP", "2017-01-20", ("PTY", "GOV")),
    ("DEMPARTY", "2021-01-20", ("PTY", "GOV")),
    ("LABOUR", "2024-07-04", ("PTY", "OPP")),
    ("LABOUR", "2024-07-05", ("PTY", "GOV")),
    ("FIANNAFAIL", "2018-01-01", None),  # confidence and supply: no period (rule 4)
    ("NATO", "2018-01-01", None),  # no periods at all
])
def test_period_on_boundary_days(code, on, sectors):
    period = load_actor_lexicon().org_status(code, date.fromisoformat(on))
    assert (period.sectors if period else None) == sectors


def test_no_date_means_no_period():
    assert load_actor_lexicon().org_status("TALIBAN", None) is None


# ---------------------------------------------------------------------------------------- the curated file itself
def test_every_party_period_is_ruling_or_opposition():
    lexicon = load_actor_lexicon()
    for code, periods in lexicon.status.items():
        org = lexicon.organizations[code]
        if org.sector != "PTY":
            continue
        for p in periods:
            assert p.sector == "PTY" and len({"GOV", "OPP"} & set(p.sectors)) == 1, (code, p.source)
            assert set(org.sectors) <= set(p.sectors), (code, p.source)  # e.g. Jamaat keeps REL


# Two-party (or two-camp) systems: on every day from 2000, exactly one of the pair is in government.
ALTERNATING = [("DEMPARTY", "GOP"), ("LABOUR", "CONSERVATIVES"), ("ALP", "LIBERAL_AU"),
               ("LIBERAL_CA", "CONSERVATIVE_CA"), ("BJP", "INC"), ("PSOE", "PARTIDOPOPULAR"), ("DPP", "KMT")]


@pytest.mark.parametrize(("first", "second"), ALTERNATING, ids=["-".join(p) for p in ALTERNATING])
def test_alternating_parties_never_both_rule(first, second):
    lexicon = load_actor_lexicon()
    day = date(2004, 1, 1) if "CONSERVATIVE_CA" in (first, second) else date(2000, 1, 1)
    while day <= date(2025, 12, 31):
        ruling = [code for code in (first, second)
                  if (p := lexicon.org_status(code, day)) is not None and "GOV" in p.sectors]
        assert len(ruling) == 1, (day, ruling)
        day += timedelta(days=1)


# ------------------------------------------------------------------------------------------------- resolution
def test_cli_actor_taliban_2015_is_rebels_with_the_period_line(cli, tmp_path, nlp):
    result = CliRunner().invoke(cli, ["actor", "the Taliban", "--date", "2015-06-01", "--home", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["country"], out["sector"], out["sectors"]) == ("AFG", "REB", ["REB"])
    line = _line_of("from: 2001-12, to: 2021-08-14")
    assert f"REB 2001-12-01 to 2021-08-14 (org_status.yaml:{line})" in out["reason"]


def test_cli_actor_without_date_keeps_the_tsv_sectors(cli, tmp_path, nlp):
    result = CliRunner().invoke(cli, ["actor", "the Taliban", "--home", str(tmp_path)])
    out = json.loads(result.output)
    assert (out["country"], out["sector"], out["sectors"]) == ("AFG", "GOV", ["GOV", "REB"])
    assert "org_status.yaml" not in out["reason"]


def test_cli_actors_show_lists_periods(cli, tmp_path):
    result = CliRunner().invoke(cli, ["actors", "show", "Likud", "--date", "2022-01-01", "--home", str(tmp_path)])
    assert result.exit_code == 0, result.output
    periods = json.loads(result.output)["status"]["LIKUD"]
    holding = [p for p in periods if p["holds"]]
    assert [(p["sectors"], p["from"], p["to"]) for p in holding] == [(["PTY", "OPP"], "2021-06-13", "2022-12-28")]
    assert all(p["source"].startswith("org_status.yaml:") for p in periods)


def test_article_date_sets_the_status_in_coded_events(coder):
    text = "The Taliban attacked a police checkpoint in Kandahar province on Monday, killing four officers."
    for pub, sector in (("2015-06-01", "REB"), ("2022-06-01", "GOV")):
        records = [r.to_dict() for r in coder.code(text, date=pub, doc_id=f"taliban-{pub}")]
        actors = [e for r in records if r["event"] == "ASSAULT" for e in r["actor"]]
        assert actors, records
        assert (actors[0]["country"], actors[0]["sector"]) == ("AFG", sector)
