"""The curated people base: loading, validation errors with file:line, date-bounded resolution."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dotterel.actors.people import (
    SECTORS,
    PeopleBase,
    PeopleDataError,
    load_people,
    normalize_name,
)


@pytest.fixture(scope="module")
def base() -> PeopleBase:
    return load_people()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "people"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------- loading


def test_default_base_loads_with_at_least_800_people(base: PeopleBase) -> None:
    assert len(base) >= 800
    assert load_people() is base  # cached


def test_every_role_is_well_formed(base: PeopleBase) -> None:
    for person in base:
        assert person.roles, person.name
        assert ".yaml:" in person.source
        for role in person.roles:
            assert role.sector == role.sectors[0]
            assert set(role.sectors) <= SECTORS
            assert len(role.country) == 3
            if role.start and role.end:
                assert role.start <= role.end, person.name


def test_names_are_unique_across_region_files(base: PeopleBase) -> None:
    """A name may repeat only between people marked as namesakes (``homonym: true``)."""
    by_name: dict[str, list] = {}
    for p in base:
        by_name.setdefault(normalize_name(p.name), []).append(p)
    repeated = {name: people for name, people in by_name.items() if len(people) > 1}
    assert all(all(p.homonym for p in people) for people in repeated.values()), sorted(repeated)


def test_every_region_file_contributes(base: PeopleBase) -> None:
    files = {p.source.split(":")[0] for p in base}
    regions = {"americas", "europe", "eurasia", "middle_east", "east_asia", "southeast_asia", "south_asia",
               "africa", "oceania", "igo"}
    assert {f"{region}.yaml" for region in regions} == files


# ---------------------------------------------------------------- lookup


def test_find_is_case_and_diacritics_insensitive(base: PeopleBase) -> None:
    erdogan = base.find("Recep Tayyip Erdoğan")
    assert len(erdogan) == 1
    assert base.find("recep tayyip erdogan") == erdogan
    assert base.find("ERDOGAN") == erdogan
    assert base.find("Erdoğan") == erdogan
    assert base.find("Sebastian Pinera") == base.find("Sebastián Piñera")
    assert base.find("  Vladimir   PUTIN ") == base.find("Vladimir Putin")


def test_find_by_alias(base: PeopleBase) -> None:
    assert base.find("AMLO")[0].name == "Andrés Manuel López Obrador"
    assert base.find("Lula")[0].name == "Luiz Inácio Lula da Silva"
    assert base.find("Abu Mazen")[0].name == "Mahmoud Abbas"
    assert base.find("Zelenskyy")[0].name == "Volodymyr Zelensky"
    assert base.find("George W Bush")[0].name == "George W. Bush"  # dots do not matter


def test_unknown_name(base: PeopleBase) -> None:
    assert base.find("Nobody Inparticular") == []
    assert base.resolve("Nobody Inparticular", date(2020, 1, 1)) is None


# ---------------------------------------------------------------- date-bounded resolution


def test_same_person_gov_then_former_official(base: PeopleBase) -> None:
    in_office = base.resolve("Mike Pompeo", date(2019, 6, 1))
    assert in_office is not None
    assert (in_office.country, in_office.sector, in_office.title) == ("USA", "GOV", "Secretary of State")
    later = base.resolve("Pompeo", date(2023, 6, 1))
    assert later is not None
    assert (later.country, later.sector, later.sectors) == ("USA", "ELI", ("ELI", "GOV"))
    assert later.title == "former Secretary of State"
    assert "former official" in later.reason


def test_earlier_role_of_same_person(base: PeopleBase) -> None:
    cia = base.resolve("Mike Pompeo", date(2017, 6, 1))
    assert cia is not None and (cia.sector, cia.title) == ("SPY", "CIA Director")


def test_role_change_on_exact_day(base: PeopleBase) -> None:
    before = base.resolve("Sergei Shoigu", date(2024, 5, 11))
    after = base.resolve("Sergei Shoigu", date(2024, 5, 13))
    assert before is not None and before.title == "Defence Minister"
    assert after is not None and after.title == "Secretary of the Security Council"


def test_gap_between_terms_is_former_official(base: PeopleBase) -> None:
    gap = base.resolve("Donald Trump", date(2022, 3, 1))
    assert gap is not None and gap.sector == "ELI" and gap.country == "USA"
    second = base.resolve("Donald Trump", date(2025, 3, 1))
    assert second is not None and second.sector == "GOV"


def test_year_only_dates_cover_the_whole_year(base: PeopleBase) -> None:
    # Petr Fiala's end is given as the year 2025: still in office on the year's last day.
    late = base.resolve("Petr Fiala", date(2025, 12, 31))
    assert late is not None and late.sector == "GOV"
    after = base.resolve("Petr Fiala", date(2026, 1, 1))
    assert after is not None and after.sector == "ELI"


def test_before_any_role_keeps_country_without_sector(base: PeopleBase) -> None:
    early = base.resolve("Pete Hegseth", date(2020, 1, 1))
    assert early is not None
    assert early.country == "USA" and early.sector is None and early.role is None


def test_no_date_gives_most_recent_role(base: PeopleBase) -> None:
    shoigu = base.resolve("Shoigu", None)
    assert shoigu is not None and shoigu.title == "Secretary of the Security Council"
    pompeo = base.resolve("Pompeo", None)
    assert pompeo is not None and pompeo.title == "Secretary of State" and pompeo.sector == "GOV"


def test_concurrent_roles_prefer_state_role(base: PeopleBase) -> None:
    # Head of a ruling party and head of state at once: the state role is reported.
    xi = base.resolve("Miguel Díaz-Canel", date(2023, 1, 1))
    assert xi is not None and xi.title == "President"


def test_non_official_past_role_is_not_eli(base: PeopleBase) -> None:
    guzman = base.resolve("El Chapo", date(2020, 1, 1))
    assert guzman is not None and guzman.sector == "CRM" and guzman.country == "MEX"


# ---------------------------------------------------------------- ambiguity


def test_shared_alias_prefers_person_in_office(base: PeopleBase) -> None:
    assert len(base.find("Bush")) == 2
    w = base.resolve("Bush", date(2005, 3, 1))
    assert w is not None and w.person.name == "George W. Bush"
    assert "preferred over George H. W. Bush" in w.reason
    hw = base.resolve("Bush", date(1990, 3, 1))
    assert hw is not None and hw.person.name == "George H. W. Bush"


def test_shared_alias_without_a_single_holder_is_unresolved(base: PeopleBase) -> None:
    assert base.resolve("Bush", date(2015, 3, 1)) is None  # both former presidents
    assert base.resolve("Bush", None) is None


def test_ambiguity_built_from_data(tmp_path: Path) -> None:
    folder = _write(tmp_path, "a.yaml", """
- name: Alice Ng
  aliases: [Ng]
  roles:
    - {title: Foreign Minister, country: SGP, sector: GOV, from: 2010, to: 2012}
- name: Bob Ng
  aliases: [Ng]
  roles:
    - {title: Defence Minister, country: MYS, sector: GOV, from: 2012-06-01, to: 2014}
""")
    people = load_people(folder)
    assert len(people) == 2
    assert people.resolve("Ng", date(2011, 5, 1)).person.name == "Alice Ng"
    assert people.resolve("Ng", date(2013, 5, 1)).person.name == "Bob Ng"
    assert people.resolve("Ng", date(2012, 7, 1)) is None  # both in office (year-only end)
    assert people.resolve("Alice Ng", date(2013, 5, 1)).sector == "ELI"


# ---------------------------------------------------------------- validation errors name file and line


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    folder = _write(tmp_path, "broken.yaml", """- name: A Person
  roles:
    - {title: President, country: USA, sector: GOV, from: 2001
- name: Another
""")
    with pytest.raises(PeopleDataError, match=r"^broken\.yaml:\d+: YAML error"):
        load_people(folder)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [  # a role line and the message expected for it
        ("    - {title: President, country: XYZ, sector: GOV, from: 2001}\n", 4, "unknown country code"),
        ("    - {title: President, country: USA, sector: BOSS, from: 2001}\n", 4, "unknown sector 'BOSS'"),
        ("    - {title: President, country: USA, sector: GOV, from: 2005, to: 2001}\n", 4, "ends"),
        ("    - {title: President, country: USA, sector: GOV, from: 2001-13-01}\n", 4, "month must be"),
        ("    - {title: President, country: USA, sector: GOV, from: early 2001}\n", 4, "not YYYY"),
        ("    - {title: President, country: USA, sector: GOV, till: 2003}\n", 4, "unknown key 'till'"),
        ("    - {title: President, country: USA, from: 2001}\n", 4, "exactly one of 'sector' or 'sectors'"),
        ("    - {country: USA, sector: GOV}\n", 4, "lacks 'title'"),
        (
            "    - {title: President, country: USA, sector: GOV, from: 2001, to: 2005}\n"
            "    - {title: president, country: USA, sector: GOV, from: 2004, to: 2009}\n",
            5,
            "overlaps the same role",
        ),
    ],
)
def test_bad_entries_name_file_and_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    folder = _write(tmp_path, "bad.yaml", "# a comment\n- name: A Person\n  roles:\n" + body)
    with pytest.raises(PeopleDataError) as err:
        load_people(folder)
    assert str(err.value).startswith(f"bad.yaml:{line}:")
    assert message in str(err.value)


def test_same_role_twice_without_overlap_is_allowed(tmp_path: Path) -> None:
    folder = _write(tmp_path, "ok.yaml", """- name: A Person
  roles:
    - {title: President, country: USA, sector: GOV, from: 2001, to: 2005}
    - {title: President, country: USA, sector: GOV, from: 2010, to: 2014}
""")
    assert len(load_people(folder)) == 1


def test_duplicate_person_across_files_names_both_places(tmp_path: Path) -> None:
    role = "  roles:\n    - {title: Mayor, country: FRA, sector: GOV}\n"
    _write(tmp_path, "a.yaml", "- name: Jane Doe\n" + role)
    folder = _write(tmp_path, "b.yaml", "\n- name: Jane DOE\n" + role)
    with pytest.raises(PeopleDataError, match=r"^b\.yaml:2: Jane DOE is already defined at a\.yaml:1"):
        load_people(folder)


def test_homonyms_may_share_a_name_when_marked(tmp_path: Path) -> None:
    folder = _write(tmp_path, "a.yaml", """- name: John Smith
  homonym: true
  roles:
    - {title: Mayor, country: GBR, sector: GOV, from: 2001, to: 2004}
- name: John Smith
  homonym: true
  roles:
    - {title: Senator, country: AUS, sector: LEG, from: 2010}
""")
    people = load_people(folder)
    assert len(people.find("John Smith")) == 2
    assert all(p.homonym for p in people.find("John Smith"))
    assert people.resolve("John Smith", date(2012, 1, 1)).country == "AUS"


def test_alias_repeating_the_name_is_rejected(tmp_path: Path) -> None:
    folder = _write(tmp_path, "a.yaml", """- name: José Pérez
  aliases: [Jose Perez]
  roles:
    - {title: Mayor, country: ESP, sector: GOV}
""")
    with pytest.raises(PeopleDataError, match=r"^a\.yaml:2: alias 'Jose Perez' repeats"):
        load_people(folder)


# ---------------------------------------------------------------- name → (country, sector) on a date

CASES = [
    ("Retno Marsudi", "2018-05-01", "IDN", "GOV"),
    ("Marsudi", "2025-03-01", "IDN", "ELI"),
    ("Barack Obama", "2010-01-01", "USA", "GOV"),
    ("Obama", "2006-01-01", "USA", "LEG"),
    ("Obama", "2019-01-01", "USA", "ELI"),
    ("Hillary Clinton", "2011-01-01", "USA", "GOV"),
    ("Hillary Clinton", "2016-01-01", "USA", "ELI"),
    ("Lloyd Austin", "2022-01-01", "USA", "GOV"),
    ("Milley", "2021-01-01", "USA", "MIL"),
    ("Gina Haspel", "2019-01-01", "USA", "SPY"),
    ("Nancy Pelosi", "2020-01-01", "USA", "LEG"),
    ("Hakeem Jeffries", "2024-01-01", "USA", "LEG"),
    ("Justin Trudeau", "2020-01-01", "CAN", "GOV"),
    ("Pierre Poilievre", "2023-01-01", "CAN", "PTY"),
    ("Jair Bolsonaro", "2020-06-01", "BRA", "GOV"),
    ("Alexandre de Moraes", "2023-01-01", "BRA", "JUD"),
    ("Juan Guaidó", "2020-01-01", "VEN", "LEG"),
    ("Guaido", "2024-01-01", "VEN", "ELI"),
    ("Rodrigo Londoño", "2014-01-01", "COL", "REB"),
    ("Timochenko", "2019-01-01", "COL", "PTY"),
    ("Keir Starmer", "2022-01-01", "GBR", "PTY"),
    ("Keir Starmer", "2024-08-01", "GBR", "GOV"),
    ("Angela Merkel", "2015-01-01", "DEU", "GOV"),
    ("Merkel", "2023-01-01", "DEU", "ELI"),
    ("Ursula von der Leyen", "2016-01-01", "DEU", "GOV"),
    ("Ursula von der Leyen", "2021-01-01", "EUR", "GOV"),
    ("Josep Borrell", "2022-01-01", "EUR", "GOV"),
    ("Jens Stoltenberg", "2020-01-01", "IGO", "IGO"),
    ("Mark Rutte", "2020-01-01", "NLD", "GOV"),
    ("Mark Rutte", "2025-01-01", "IGO", "IGO"),
    ("Marine Le Pen", "2018-01-01", "FRA", "PTY"),
    ("Viktor Orban", "2019-01-01", "HUN", "GOV"),
    ("Vladimir Putin", "2010-01-01", "RUS", "GOV"),
    ("Valery Gerasimov", "2022-01-01", "RUS", "MIL"),
    ("Alexander Bortnikov", "2022-01-01", "RUS", "SPY"),
    ("Alexei Navalny", "2021-01-01", "RUS", "OPP"),
    ("Zelenskyy", "2023-01-01", "UKR", "GOV"),
    ("Valerii Zaluzhnyi", "2023-01-01", "UKR", "MIL"),
    ("Alexander Lukashenko", "2021-01-01", "BLR", "GOV"),
    ("Erdogan", "2010-01-01", "TUR", "GOV"),
    ("Abdullah Ocalan", "2015-01-01", "TUR", "REB"),
    ("Benjamin Netanyahu", "2022-01-01", "ISR", "PTY"),
    ("Netanyahu", "2024-01-01", "ISR", "GOV"),
    ("Yahya Sinwar", "2020-01-01", "PSE", "REB"),
    ("Hassan Nasrallah", "2010-01-01", "LBN", "REB"),
    ("Ahmed al-Sharaa", "2020-01-01", "SYR", "REB"),
    ("Abu Mohammed al-Julani", "2025-06-01", "SYR", "GOV"),
    ("Bashar al-Assad", "2025-06-01", "SYR", "ELI"),
    ("Qasem Soleimani", "2015-01-01", "IRN", "MIL"),
    ("Ali Khamenei", "2020-01-01", "IRN", "GOV"),
    ("Mohammed bin Salman", "2016-01-01", "SAU", "GOV"),
    ("Abdel Fattah el-Sisi", "2013-09-01", "EGY", "GOV"),
    ("Abdul-Malik al-Houthi", "2019-01-01", "YEM", "REB"),
    ("Mohamed ElBaradei", "2005-01-01", "UNO", "IGO"),
    ("Muqtada al-Sadr", "2016-01-01", "IRQ", "REL"),
    ("Xi Jinping", "2020-01-01", "CHN", "GOV"),
    ("Shinzo Abe", "2015-01-01", "JPN", "GOV"),
    ("Abe", "2021-06-01", "JPN", "ELI"),
    ("Kim Jong-un", "2018-01-01", "PRK", "GOV"),
    ("Tsai Ing-wen", "2020-01-01", "TWN", "GOV"),
    ("Carrie Lam", "2019-06-01", "HKG", "GOV"),
    ("Yoon Suk-yeol", "2020-01-01", "KOR", "JUD"),
    ("Jokowi", "2019-01-01", "IDN", "GOV"),
    ("Hun Sen", "2024-06-01", "KHM", "LEG"),
    ("Min Aung Hlaing", "2022-01-01", "MMR", "GOV"),
    ("Min Aung Hlaing", "2015-01-01", "MMR", "MIL"),
    ("Aung San Suu Kyi", "2013-01-01", "MMR", "PTY"),
    ("Anwar Ibrahim", "2021-01-01", "MYS", "PTY"),
    ("Prayuth Chan-ocha", "2014-06-01", "THA", "MIL"),
    ("Narendra Modi", "2010-01-01", "IND", "GOV"),
    ("Imran Khan", "2023-01-01", "PAK", "PTY"),
    ("Asim Munir", "2023-01-01", "PAK", "MIL"),
    ("Hibatullah Akhundzada", "2018-01-01", "AFG", "REB"),
    ("Mullah Hibatullah", "2022-01-01", "AFG", "GOV"),
    ("Prachanda", "2000-01-01", "NPL", "REB"),
    ("Abiy Ahmed", "2020-01-01", "ETH", "GOV"),
    ("Hemedti", "2021-01-01", "SDN", "GOV"),
    ("Hemedti", "2024-01-01", "SDN", "REB"),
    ("Khalifa Haftar", "2019-01-01", "LBY", "MIL"),
    ("Riek Machar", "2015-01-01", "SSD", "REB"),
    ("Cyril Ramaphosa", "2020-01-01", "ZAF", "GOV"),
    ("Julius Malema", "2020-01-01", "ZAF", "PTY"),
    ("Jacinda Ardern", "2020-01-01", "NZL", "GOV"),
    ("Helen Clark", "2012-01-01", "UNO", "IGO"),
    ("Ban Ki-moon", "2010-01-01", "UNO", "IGO"),
    ("Ban Ki-moon", "2005-01-01", "KOR", "GOV"),
    ("Antonio Guterres", "2010-01-01", "UNO", "IGO"),
    ("Guterres", "2004-01-01", "PRT", "ELI"),
    ("Tedros", "2020-03-01", "UNO", "IGO"),
    ("Christine Lagarde", "2015-01-01", "IGO", "IGO"),
    ("Lagarde", "2021-01-01", "EUR", "GOV"),
    ("Karim Khan", "2024-05-20", "IGO", "JUD"),
    ("Pope Francis", "2020-01-01", "VAT", "REL"),
    ("Kao Kim Hourn", "2024-01-01", "IGO", "IGO"),
]


@pytest.mark.parametrize(("name", "on", "country", "sector"), CASES)
def test_name_country_sector_on_date(base: PeopleBase, name: str, on: str, country: str, sector: str) -> None:
    resolution = base.resolve(name, date.fromisoformat(on))
    assert resolution is not None, name
    assert (resolution.country, resolution.sector) == (country, sector), resolution.reason


def test_at_least_40_date_cases() -> None:
    assert len(CASES) >= 40
    assert len({country for _, _, country, _ in CASES}) >= 40
