"""Member states of international organisations: dated periods, lookups both ways, and load errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dotterel.actors.lexicon import load_actor_lexicon
from dotterel.actors.memberships import DEFAULT_PATH, Membership, MembershipError, Memberships, load_memberships


@pytest.fixture(scope="module")
def base() -> Memberships:
    return load_memberships()


REQUIRED_ORGS = ["UN", "EU", "NATO", "ASEAN", "AU", "ECOWAS", "SADC", "EAC", "IGAD", "GCC", "ARABLEAGUE", "OIC",
                 "SCO", "BRICS", "G7", "G20", "OPEC", "OAS", "MERCOSUR", "CARICOM", "CIS", "CSTO",
                 "COMMONWEALTH", "OSCE", "PIF", "APEC", "COE"]


def test_all_required_organisations_are_listed(base: Memberships) -> None:
    missing = [code for code in REQUIRED_ORGS if not base.members(code)]
    assert missing == []
    assert len(base.codes) >= 27


def test_organisation_codes_exist_in_the_lexicon(base: Memberships) -> None:
    lexicon = load_actor_lexicon()
    assert all(code in lexicon.organizations for code in base.codes)
    assert all(m.country in lexicon.countries for m in base.periods())


@pytest.mark.parametrize(("country", "org", "on", "expected"), [
    ("GBR", "EU", date(2019, 6, 1), True),
    ("GBR", "EU", date(2020, 1, 31), True),
    ("GBR", "EU", date(2020, 2, 1), False),
    ("GBR", "EU", date(2021, 1, 1), False),
    ("HRV", "EU", date(2013, 6, 30), False),
    ("HRV", "EU", date(2013, 7, 1), True),
    ("FIN", "NATO", date(2022, 6, 1), False),
    ("FIN", "NATO", date(2023, 4, 4), True),
    ("FIN", "NATO", date(2024, 1, 1), True),
    ("SWE", "NATO", date(2024, 3, 6), False),
    ("SWE", "NATO", date(2024, 3, 7), True),
    ("MKD", "NATO", date(2019, 1, 1), False),
    ("EGY", "BRICS", date(2023, 12, 31), False),
    ("EGY", "BRICS", date(2024, 1, 1), True),
    ("IRN", "BRICS", date(2024, 6, 1), True),
    ("ZAF", "BRICS", date(2010, 1, 1), False),
    ("MLI", "ECOWAS", date(2025, 1, 28), True),
    ("MLI", "ECOWAS", date(2025, 1, 29), False),
    ("NER", "AES", date(2024, 1, 1), True),
    ("RUS", "COE", date(2021, 1, 1), True),
    ("RUS", "COE", date(2022, 3, 16), False),
    ("SYR", "ARABLEAGUE", date(2010, 1, 1), True),
    ("SYR", "ARABLEAGUE", date(2015, 1, 1), False),
    ("SYR", "ARABLEAGUE", date(2023, 5, 7), True),
    ("QAT", "OPEC", date(2018, 12, 31), True),
    ("QAT", "OPEC", date(2019, 1, 1), False),
    ("VEN", "MERCOSUR", date(2014, 1, 1), True),
    ("VEN", "MERCOSUR", date(2018, 1, 1), False),
    ("RUS", "G7", date(2010, 1, 1), False),
    ("USA", "G7", date(2010, 1, 1), True),
    ("SSD", "UN", date(2011, 7, 13), False),
    ("SSD", "UN", date(2011, 7, 14), True),
    ("TLS", "ASEAN", date(2024, 1, 1), False),
    ("TWN", "UN", date(2020, 1, 1), False),
])
def test_membership_on_a_date(base: Memberships, country: str, org: str, on: date, expected: bool) -> None:
    assert base.is_member(country, org, on) is expected


def test_partial_dates_cover_whole_months(base: Memberships) -> None:
    # "IDN ..2008-12": still a member on the last day of December 2008, not in January 2009
    assert base.is_member("IDN", "OPEC", date(2008, 12, 31))
    assert not base.is_member("IDN", "OPEC", date(2009, 1, 1))
    # "IDN 2016-01..2016-11": a member for most of 2016 only
    assert base.is_member("IDN", "OPEC", date(2016, 1, 1))
    assert not base.is_member("IDN", "OPEC", date(2016, 12, 1))


def test_members_on_a_date(base: Memberships) -> None:
    assert len(base.members("NATO", date(2022, 1, 1))) == 30
    assert len(base.members("NATO", date(2024, 6, 1))) == 32
    assert len(base.members("EU", date(2019, 1, 1))) == 28
    assert len(base.members("EU", date(2021, 1, 1))) == 27
    assert base.members("G7") == ["CAN", "DEU", "FRA", "GBR", "ITA", "JPN", "USA"]
    assert base.members("BRICS", date(2023, 6, 1)) == ["BRA", "CHN", "IND", "RUS", "ZAF"]
    assert len(base.members("UN")) == 193
    assert base.members("NO_SUCH_ORG") == []


def test_current_members_when_no_date(base: Memberships) -> None:
    ecowas = base.members("ECOWAS")
    assert "MLI" not in ecowas and "NGA" in ecowas
    assert "GBR" not in base.members("EU")
    assert base.is_member("SWE", "NATO")
    assert not base.is_member("RUS", "COE")


def test_organisations_of_a_country(base: Memberships) -> None:
    gbr_2019 = base.organisations("GBR", date(2019, 1, 1))
    gbr_2021 = base.organisations("GBR", date(2021, 1, 1))
    assert "EU" in gbr_2019 and "EU" not in gbr_2021
    assert {"UN", "NATO", "G7", "G20", "COMMONWEALTH", "OSCE", "COE"} <= set(gbr_2021)
    fin_2022 = set(base.organisations("FIN", date(2022, 1, 1)))
    fin_2024 = set(base.organisations("FIN", date(2024, 1, 1)))
    assert fin_2024 - fin_2022 == {"NATO"}
    mli = set(base.organisations("MLI", date(2025, 6, 1)))
    assert "AES" in mli and "ECOWAS" not in mli
    assert base.organisations("XKX") == []


def test_periods_keep_their_source_line(base: Memberships) -> None:
    (gbr,) = base.periods("EU", "GBR")
    assert gbr == Membership("EU", "GBR", date(1973, 1, 1), date(2020, 1, 31), gbr.source)
    assert gbr.source.startswith("igo_members.yaml:")
    line = int(gbr.source.rsplit(":", 1)[1])
    assert "GBR" in DEFAULT_PATH.read_text(encoding="utf-8").splitlines()[line - 1]
    assert len(base.periods("ARABLEAGUE", "SYR")) == 2


def test_completeness_flags(base: Memberships) -> None:
    oic = base.organisation("OIC")
    assert oic is not None and oic.complete is False
    nato = base.organisation("NATO")
    assert nato is not None and nato.complete is True
    assert base.organisation("NO_SUCH_ORG") is None


def test_loading_is_cached() -> None:
    assert load_memberships() is load_memberships()


# -- broken files -------------------------------------------------------------------------------------------
def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "igo_members.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "line", "problem"), [
    ("NATO:\n  members:\n    - FRA\n    - XYZ\n", 4, "unknown country code 'XYZ'"),
    ("NATO:\n  members:\n    - FRA\nNOTANORG:\n  members:\n    - FRA\n", 4, "unknown organisation code"),
    ("EU:\n  members:\n    - GBR 2020-13-01..\n", 3, "impossible date"),
    ("EU:\n  members:\n    - GBR 2020/01/01..\n", 3, "bad member entry"),
    ("EU:\n  members:\n    - GBR 2021..2020\n", 3, "before it starts"),
    ("EU:\n  members:\n    - GBR ..2020\n    - GBR 2019..\n", 4, "overlaps the one at igo_members.yaml:3"),
    ("EU:\n  complete: maybe\n  members:\n    - FRA\n", 2, "complete must be true or false"),
    ("EU:\n  members:\n    - FRA\n  founded: 1993\n", 4, "unknown field 'founded'"),
    ("EU:\n  note: no list\n", 1, "has no 'members' list"),
    ("EU:\n  members:\n    - FRA\nEU:\n  members:\n    - DEU\n", 4, "listed twice"),
    ("EU:\n  members: [FRA\n", 3, "not valid YAML"),
])
def test_broken_file_names_file_and_line(tmp_path: Path, text: str, line: int, problem: str) -> None:
    with pytest.raises(MembershipError) as info:
        load_memberships(_write(tmp_path, text))
    message = str(info.value)
    assert message.startswith(f"igo_members.yaml:{line}: "), message
    assert problem in message
    assert info.value.line == line


def test_small_valid_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "AUKUS:\n  complete: false\n  members:\n    - AUS 2021-09..\n    - GBR\n")
    small = load_memberships(path)
    assert len(small) == 2
    assert small.members("AUKUS", date(2021, 9, 1)) == ["AUS", "GBR"]
    assert small.members("AUKUS", date(2021, 8, 31)) == ["GBR"]
    assert small.organisations("USA") == []


def test_actors_show_lists_members_on_a_date():
    import json

    from click.testing import CliRunner

    from dotterel.cli import main

    before = json.loads(CliRunner().invoke(main, ["actors", "show", "NATO", "--date", "2022-06-01"]).output)
    after = json.loads(CliRunner().invoke(main, ["actors", "show", "NATO", "--date", "2024-06-01"]).output)
    assert "FIN" not in before["members"]["NATO"] and "FIN" in after["members"]["NATO"]
