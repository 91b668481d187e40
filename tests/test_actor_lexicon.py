"""Tests for the actor lexicon: the packaged data, the matcher's rules, and load-time validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy

from dotterel.actors.lexicon import (
    DEFAULT_DATA_DIR,
    ActorLexicon,
    CountryEntry,
    LexiconError,
    OrgEntry,
    SectorEntry,
    is_strict_token,
    load_actor_lexicon,
)


@pytest.fixture(scope="module")
def lex() -> ActorLexicon:
    return load_actor_lexicon()


@pytest.fixture(scope="module")
def tokenize():
    tokenizer = spacy.blank("en").tokenizer
    return lambda text: [t.text for t in tokenizer(text)]


def _summary(lex: ActorLexicon, words: list[str]) -> list[tuple[str, str, str]]:
    """(matched text, kind, code or sector) for each match, to compare compactly."""
    out = []
    for m in lex.scan(words):
        entry = m.entry
        code = entry.sector if isinstance(entry, SectorEntry) else entry.code
        out.append((" ".join(words[m.start:m.end]), m.kind, code))
    return out


# --- countries: names and aliases ------------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("Cambodia", "KHM"),
    ("U.S.", "USA"),
    ("US", "USA"),
    ("United States of America", "USA"),
    ("America", "USA"),
    ("Britain", "GBR"),
    ("U.K.", "GBR"),
    ("Great Britain", "GBR"),
    ("Burma", "MMR"),
    ("Myanmar", "MMR"),
    ("Türkiye", "TUR"),
    ("Turkiye", "TUR"),
    ("Turkey", "TUR"),
    ("Côte d'Ivoire", "CIV"),
    ("Cote d'Ivoire", "CIV"),
    ("Côte d\u2019Ivoire", "CIV"),
    ("Ivory Coast", "CIV"),
    ("DR Congo", "COD"),
    ("DRC", "COD"),
    ("Democratic Republic of Congo", "COD"),
    ("Congo-Brazzaville", "COG"),
    ("Republic of Congo", "COG"),
    ("Czechia", "CZE"),
    ("Czech Republic", "CZE"),
    ("Russian Federation", "RUS"),
    ("Republic of Korea", "KOR"),
    ("ROK", "KOR"),
    ("DPRK", "PRK"),
    ("Kosovo", "XKX"),
    ("Hong Kong", "HKG"),
    ("Macao", "MAC"),
    ("Western Sahara", "ESH"),
    ("Taiwan", "TWN"),
    ("Palestine", "PSE"),
    ("Vatican", "VAT"),
    ("Guinea-Bissau", "GNB"),
    ("Papua New Guinea", "PNG"),
    ("Timor-Leste", "TLS"),
    ("NORTH KOREA", "PRK"),
    ("north korea", "PRK"),
])
def test_country_names_and_aliases(lex, tokenize, text, code):
    words = tokenize(text)
    matches = lex.scan(words)
    assert len(matches) == 1, _summary(lex, words)
    m = matches[0]
    assert (m.kind, m.entry.code, m.start, m.end) == ("country", code, 0, len(words))


def test_leading_the_is_not_part_of_a_phrase(lex, tokenize):
    words = tokenize("The Gambia and the Netherlands")
    assert [(m.start, m.end, m.entry.code) for m in lex.scan(words)] == [(1, 2, "GMB"), (4, 5, "NLD")]


# --- demonyms and capitals -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("Thai", "THA"), ("Thais", "THA"), ("British", "GBR"), ("Filipino", "PHL"), ("Philippine", "PHL"),
    ("Emirati", "ARE"), ("Saudi", "SAU"), ("Congolese", "COD"), ("South Sudanese", "SSD"), ("Sudanese", "SDN"),
    ("North Korean", "PRK"), ("Cambodian", "KHM"), ("Palestinians", "PSE"), ("Kosovar", "XKX"),
])
def test_demonyms(lex, tokenize, text, code):
    matches = lex.scan(tokenize(text))
    assert [(m.kind, m.entry.code) for m in matches] == [("demonym", code)]


@pytest.mark.parametrize("text, code", [
    ("Beijing", "CHN"), ("Washington", "USA"), ("Moscow", "RUS"), ("Tokyo", "JPN"), ("Pretoria", "ZAF"),
    ("Phnom Penh", "KHM"), ("Kyiv", "UKR"), ("Kiev", "UKR"), ("The Hague", "NLD"), ("New Delhi", "IND"),
    ("Naypyitaw", "MMR"), ("Sana'a", "YEM"),
])
def test_capitals(lex, tokenize, text, code):
    matches = lex.scan(tokenize(text))
    assert [(m.kind, m.entry.code) for m in matches] == [("capital", code)]


def test_brussels_is_the_eu_not_belgium(lex, tokenize):
    (m,) = lex.scan(tokenize("Brussels"))
    assert (m.kind, m.entry.code, m.entry.country) == ("org", "EU", "EUR")


def test_ambiguous_words_are_left_out(lex, tokenize):
    # Common words and names that the data comments say are excluded.
    for text in ("Male", "Victoria", "Korean", "Amnesty", "Labour", "English", "Jersey", "Poles"):
        assert lex.scan(tokenize(text)) == [], text


# --- acronym case rules ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["us", "Us", "it is", "It is", "who", "Who", "eu", "un", "car", "ice", "pm"])
def test_short_acronyms_do_not_match_lower_or_title_case(lex, tokenize, text):
    assert lex.scan(tokenize(text)) == []


@pytest.mark.parametrize("text, code", [
    ("US", "USA"), ("IS", "ISIS"), ("WHO", "WHO"), ("EU", "EU"), ("UN", "UN"), ("CAR", "CAF"), ("ICE", "ICE"),
    ("AU", "AU"), ("ANC", "ANC"), ("PLA", "PLA"),
])
def test_short_acronyms_match_in_upper_case(lex, tokenize, text, code):
    (m,) = lex.scan(tokenize(text))
    assert m.entry.code == code


def test_longer_acronyms_are_case_insensitive(lex, tokenize):
    assert [m.entry.code for m in lex.scan(tokenize("ASEAN and Asean and Unicef"))] == ["ASEAN", "ASEAN",
                                                                                       "UNICEF"]


def test_strict_token_rule():
    assert is_strict_token("U.S.") and is_strict_token("DPRK") and is_strict_token("MI6")
    assert not is_strict_token("ASEAN") and not is_strict_token("Nato") and not is_strict_token("'s")


def test_accents_and_case_are_ignored_for_names(lex, tokenize):
    codes = [m.entry.code for m in lex.scan(tokenize("Élysée, Elysee and ELYSEE"))]
    assert codes == ["ELYSEE", "ELYSEE", "ELYSEE"]


# --- longest match ---------------------------------------------------------------------------------------
def test_sentence_scan_spans(lex, tokenize):
    words = tokenize("The U.S. and North Korea's foreign ministry")
    assert words == ["The", "U.S.", "and", "North", "Korea", "'s", "foreign", "ministry"]
    got = [(m.start, m.end, m.kind, m.phrase) for m in lex.scan(words)]
    assert got == [(1, 2, "country", "U.S."), (3, 5, "country", "North Korea"),
                   (6, 8, "sector", "foreign ministry")]


@pytest.mark.parametrize("text, expected", [
    ("North Korea", [("North Korea", "country", "PRK")]),
    ("Korea", [("Korea", "country", "KOR")]),
    ("riot police fired", [("riot police", "sector", "COP")]),
    ("army spokesman", [("army spokesman", "sector", "MIL")]),
    ("opposition lawmakers", [("opposition lawmakers", "sector", "OPP")]),
    ("Washington Post", [("Washington Post", "org", "WAPO")]),
    ("Pakistani Taliban", [("Pakistani Taliban", "org", "TTP")]),
    ("Phnom Penh Post", [("Phnom Penh Post", "org", "PHNOMPENHPOST")]),
    ("People's Republic of China", [("People 's Republic of China", "country", "CHN")]),
    ("Republic of China", [("Republic of China", "country", "TWN")]),
    ("Commonwealth of Independent States", [("Commonwealth of Independent States", "org", "CIS")]),
    ("UN Security Council", [("UN Security Council", "org", "UNSC")]),
    ("the 20th party congress", [("party congress", "sector", "PTY")]),
    ("Thai Prime Minister", [("Thai", "demonym", "THA"), ("Prime Minister", "sector", "GOV")]),
    ("al-Shabaab militants", [("al - Shabaab", "org", "ALSHABAAB"), ("militants", "sector", "REB")]),
])
def test_longest_match(lex, tokenize, text, expected):
    assert _summary(lex, tokenize(text)) == expected


# --- organisations ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, country, sector, sectors", [
    ("the European Commission", "EUR", "GOV", ("GOV", "IGO")),
    ("European Parliament", "EUR", "LEG", ("LEG", "IGO")),
    ("UNHCR", "UNO", "IGO", ("IGO",)),
    ("NATO", "IGO", "IGO", ("IGO", "MIL")),
    ("International Criminal Court", "IGO", "JUD", ("JUD", "IGO")),
    ("Hezbollah", "LBN", "REB", ("REB", "PTY")),
    ("Hamas", "PSE", "REB", ("REB", "PTY")),
    ("Islamic State", None, "REB", ("REB",)),
    ("KCNA", "PRK", "JRN", ("JRN", "GOV")),
    ("Xinhua", "CHN", "JRN", ("JRN", "GOV")),
    ("Cambodian People's Party", "KHM", "PTY", ("PTY", "GOV")),
    ("CNRP", "KHM", "PTY", ("PTY", "OPP")),
    ("BJP", "IND", "PTY", ("PTY",)),
    ("the White House", "USA", "GOV", ("GOV",)),
    ("the Pentagon", "USA", "MIL", ("MIL", "GOV")),
    ("the Kremlin", "RUS", "GOV", ("GOV",)),
    ("FBI", "USA", "COP", ("COP",)),
    ("CIA", "USA", "SPY", ("SPY",)),
    ("Amnesty International", "NGO", "NGO", ("NGO",)),
    ("Doctors Without Borders", "NGO", "NGO", ("NGO", "MED")),
    ("Reuters", "GBR", "JRN", ("JRN",)),
])
def test_organisations(lex, tokenize, text, country, sector, sectors):
    (m,) = lex.scan(tokenize(text))
    assert m.kind == "org" and isinstance(m.entry, OrgEntry)
    assert (m.entry.country, m.entry.sector, m.entry.sectors) == (country, sector, sectors)


# --- sector phrases --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, sector, title", [
    ("foreign minister", "GOV", "Foreign Minister"),
    ("foreign ministers", "GOV", "Foreign Minister"),
    ("ambassador", "GOV", "Ambassador"),
    ("spokeswoman", "GOV", "Spokesperson"),
    ("soldiers", "MIL", None),
    ("soldier", "MIL", None),
    ("gunmen", "UAF", None),
    ("students", "EDU", None),
    ("asylum seekers", "REF", None),
    ("smugglers", "CRM", None),
    ("intelligence service", "SPY", None),
    ("supreme court", "JUD", None),
    ("MPs", "LEG", "Member of Parliament"),
    ("ruling party", "PTY", None),
])
def test_sector_phrases(lex, tokenize, text, sector, title):
    (m,) = lex.scan(tokenize(text))
    assert m.kind == "sector" and isinstance(m.entry, SectorEntry)
    assert (m.entry.sector, m.entry.title) == (sector, title)


def test_ruling_party_has_gov_secondary(lex):
    assert lex.sectors["ruling party"].sectors == ("PTY", "GOV")


def test_plurals_match_only_when_listed(lex, tokenize):
    # "warplanes" and "warplane" are both listed; "gen." is listed but "generals" is too, "general" is not.
    assert [m.entry.sector for m in lex.scan(tokenize("warplane warplanes generals"))] == ["MIL"] * 3
    assert lex.scan(tokenize("general")) == []


# --- lookup and country --------------------------------------------------------------------------------
def test_lookup_whole_phrase(lex):
    (kremlin,) = lex.lookup("the Kremlin")
    assert (kremlin.start, kremlin.end, kremlin.entry.code) == (1, 2, "KREMLIN")
    (thai,) = lex.lookup("Thai")
    assert (thai.kind, thai.entry.code) == ("demonym", "THA")
    assert [m.entry.code for m in lex.lookup("North Korea")] == ["PRK"]
    assert lex.lookup("North Korea's") == []  # whole phrase only
    assert lex.lookup("us") == []
    assert lex.lookup("") == []


def test_country_by_code(lex):
    khm = lex.country("KHM")
    assert isinstance(khm, CountryEntry) and khm.name == "Cambodia" and "Phnom Penh" in khm.capitals
    assert khm.source.startswith("countries.tsv:")
    assert lex.country("XXX") is None


# --- the packaged data as a whole -----------------------------------------------------------------------
def test_data_coverage(lex):
    assert len(lex.countries) >= 200
    assert len(lex.organizations) >= 200
    assert len(lex.sectors) >= 250
    some_un_members = ("AFG", "BRA", "CHN", "DEU", "ETH", "FJI", "KHM", "LAO", "MHL", "SSD", "TUV", "VCT", "ZWE")
    assert all(code in lex.countries for code in some_un_members)


def test_org_countries_are_known(lex):
    allowed = set(lex.countries) | {"IGO", "UNO", "EUR", "NGO", "MNC"}
    assert all(o.country is None or o.country in allowed for o in lex.organizations.values())


def test_default_lexicon_is_cached():
    assert load_actor_lexicon() is load_actor_lexicon()


# --- validation of broken files --------------------------------------------------------------------------
COUNTRIES = (
    "# test countries\n"
    "code\tname\taliases\tdemonyms\tcapitals\n"
    "KHM\tCambodia\tKampuchea\tCambodian|Cambodians\tPhnom Penh\n"
    "THA\tThailand\t\tThai|Thais\tBangkok\n"
)
ORGS = "code\tname\taliases\tcountry\tsector\tsectors\nCPP\tCambodian People's Party\tCPP\tKHM\tPTY\tPTY|GOV\n"
SECTORS = "phrase\tsector\tsectors\ttitle\nforeign minister\tGOV\tGOV\tForeign Minister\n"


def _write(directory: Path, countries: str = COUNTRIES, orgs: str = ORGS, sectors: str = SECTORS) -> Path:
    (directory / "countries.tsv").write_text(countries, encoding="utf-8")
    (directory / "organizations.tsv").write_text(orgs, encoding="utf-8")
    (directory / "sectors.tsv").write_text(sectors, encoding="utf-8")
    return directory


def test_small_valid_directory_loads(tmp_path, tokenize):
    lex = load_actor_lexicon(_write(tmp_path))
    assert [m.entry.code for m in lex.scan(tokenize("Thai and Cambodian CPP"))] == ["THA", "KHM", "CPP"]
    assert lex.organizations["CPP"].source == "organizations.tsv:2"


def test_packaged_files_copied_elsewhere_load(tmp_path):
    for name in ("countries.tsv", "organizations.tsv", "sectors.tsv"):
        shutil.copy(DEFAULT_DATA_DIR / name, tmp_path / name)
    assert load_actor_lexicon(tmp_path) is not load_actor_lexicon()


@pytest.mark.parametrize("files, message", [
    ({"sectors": SECTORS + "riot police\tGOVT\tGOVT\t\n"}, "sectors.tsv:3: unknown sector 'GOVT'"),
    ({"sectors": SECTORS + "troops\tMIL\tGOV\t\n"}, "sectors.tsv:3: primary sector 'MIL' missing from sectors"),
    ({"orgs": ORGS + "X\tX Org\t\tXYZ\tGOV\tGOV\n"}, "organizations.tsv:3: unknown country 'XYZ'"),
    ({"orgs": ORGS + "CPP\tOther\t\tKHM\tPTY\tPTY\n"}, "organizations.tsv:3: duplicate organisation code 'CPP'"),
    ({"orgs": ORGS + "CPPX\tCPP\t\tTHA\tPTY\tPTY\n"},
     "organizations.tsv:3: org phrase 'CPP' for CPPX is already used by CPP at organizations.tsv:2"),
    ({"countries": COUNTRIES + "Lao\tLaos\t\t\t\n"}, "countries.tsv:5: country code 'Lao' is not three"),
    ({"countries": COUNTRIES + "LAO\tLaos\t\tThai\t\n"},
     "countries.tsv:5: demonym phrase 'Thai' for LAO is already used by THA at countries.tsv:4"),
    ({"countries": COUNTRIES + "SGP\tSingapore\t\t\tSingapore\n"},
     "countries.tsv:5: capital 'Singapore' of SGP equals a country name"),
    ({"countries": COUNTRIES + "LAO\t\t\t\t\n"}, "countries.tsv:5: empty required column 'name'"),
    ({"countries": COUNTRIES + "LAO\tLaos\t\t\t\textra\n"}, "countries.tsv:5: 6 fields, the header has 5"),
    ({"countries": COUNTRIES + "LAO\tLaos\tLao||\t\t\n"}, "countries.tsv:5: empty item in list column 'aliases'"),
    ({"countries": "code\tname\taliases\tdemonyms\nKHM\tCambodia\t\t\n"},
     "countries.tsv:1: header lacks required column(s) capitals"),
    ({"sectors": "phrase\tsector\tsectors\ttitle\tnotes\n"}, "sectors.tsv:1: unknown column(s) in header: notes"),
])
def test_broken_files_name_file_and_line(tmp_path, files, message):
    _write(tmp_path, **files)
    with pytest.raises(LexiconError) as info:
        load_actor_lexicon(tmp_path)
    assert str(info.value).startswith(message), str(info.value)


def test_missing_file_is_reported(tmp_path):
    _write(tmp_path)
    (tmp_path / "organizations.tsv").unlink()
    with pytest.raises(LexiconError, match=r"^organizations\.tsv: file not found"):
        load_actor_lexicon(tmp_path)


def test_error_carries_file_and_line(tmp_path):
    _write(tmp_path, sectors=SECTORS + "police\tCOPS\tCOPS\t\n")
    with pytest.raises(LexiconError) as info:
        load_actor_lexicon(tmp_path)
    assert (info.value.file, info.value.line) == ("sectors.tsv", 3)
