"""Place resolution: capitals, big cities, ambiguous names with and without the article's countries,
countries, regions, qualifiers, non-places, load errors, the disk cache and speed."""

from __future__ import annotations

import marshal
import time
from pathlib import Path

import pytest

from dotterel.actors import places
from dotterel.actors.lexicon import LexiconError
from dotterel.actors.places import Gazetteer, Place, load_gazetteer, name_key, read_place_overrides


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return load_gazetteer()


def where(gaz: Gazetteer, text: str, *context: str) -> tuple[str, str | None, str] | None:
    place = gaz.resolve(text, context_countries=context)
    return None if place is None else (place.name, place.country, place.kind)


# --------------------------------------------------------------------------- capitals and big cities
@pytest.mark.parametrize(("text", "name", "country"), [
    ("Bangkok", "Bangkok", "THA"),
    ("Paris", "Paris", "FRA"),
    ("Washington", "Washington", "USA"),
    ("Tripoli", "Tripoli", "LBY"),
    ("Santiago", "Santiago", "CHL"),
    ("Moscow", "Moscow", "RUS"),
    ("Phnom Penh", "Phnom Penh", "KHM"),
    ("Kyiv", "Kyiv", "UKR"),
    ("Kiev", "Kyiv", "UKR"),  # old spelling, a GeoNames alternate name
    ("Peking", "Beijing", "CHN"),
    ("The Hague", "The Hague", "NLD"),
    ("Naypyitaw", "Nay Pyi Taw", "MMR"),
    ("Port au Prince", "Port-au-Prince", "HTI"),
    ("New Delhi", "New Delhi", "IND"),
    ("Jerusalem", "Jerusalem", "ISR"),
    ("Pristina", "Pristina", "XKX"),
    ("Kinshasa", "Kinshasa", "COD"),
    ("Mexico City", "Mexico City", "MEX"),
])
def test_capitals(gaz: Gazetteer, text: str, name: str, country: str) -> None:
    place = gaz.resolve(text)
    assert place is not None and (place.name, place.country, place.kind) == (name, country, "city")
    assert place.reason.startswith("capital of ")
    assert place.geonames_id is not None and place.lat is not None and place.lon is not None


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Bombay", "Mumbai", "IND"),
    ("Saigon", "Ho Chi Minh City", "VNM"),
    ("Aleppo", "Aleppo", "SYR"),
    ("Mariupol", "Mariupol", "UKR"),
    ("Gaza City", "Gaza", "PSE"),
    ("Hyderabad", "Hyderabad", "IND"),
    ("Birmingham", "Birmingham", "GBR"),
    ("Alexandria", "Alexandria", "EGY"),
    ("Donetsk", "Donetsk", "UKR"),
    ("Rafah", "Rafaḩ", "PSE"),
    ("Mecca", "Makkah", "SAU"),
    ("New York", "New York City", "USA"),  # house default: the city, not the state
    ("San Jose", "San Jose", "USA"),  # house default: California, not Costa Rica's capital
])
def test_big_cities(gaz: Gazetteer, text: str, name: str, country: str) -> None:
    assert where(gaz, text) == (name, country, "city")


def test_place_carries_raw_text_admin1_coordinates_and_id(gaz: Gazetteer) -> None:
    place = gaz.resolve("the city of Paris")
    assert place == Place(text="the city of Paris", name="Paris", country="FRA", admin1="FR.11",
                          lat=place.lat, lon=place.lon, geonames_id=2988507, kind="city",
                          reason="capital of FRA")
    assert place.lat == pytest.approx(48.85, abs=0.05) and place.lon == pytest.approx(2.35, abs=0.05)
    washington = gaz.resolve("Washington")
    assert washington is not None and washington.admin1 == "District of Columbia"
    assert washington.lat == pytest.approx(38.9, abs=0.1)
    assert gaz.resolve("Reading").admin1 == "England"
    assert set(place.to_dict()) == {"text", "name", "country", "admin1", "lat", "lon", "geonames_id", "kind",
                                    "reason"}


# --------------------------------------------------------------------------- ambiguity and context
def test_context_country_wins_for_comparable_places(gaz: Gazetteer) -> None:
    assert where(gaz, "Tripoli", "LBN") == ("Tripoli", "LBN", "city")
    assert where(gaz, "Hyderabad", "PAK") == ("Hyderabad", "PAK", "city")
    assert where(gaz, "Birmingham", "USA") == ("Birmingham", "USA", "city")
    assert where(gaz, "San Jose", "CRI") == ("San José", "CRI", "city")
    place = gaz.resolve("Tripoli", context_countries=["LBN"])
    assert place is not None and place.reason.startswith("context country LBN")


def test_context_order_is_preference_order(gaz: Gazetteer) -> None:
    assert where(gaz, "Hyderabad", "PAK", "IND") == ("Hyderabad", "PAK", "city")
    assert where(gaz, "Hyderabad", "IND", "PAK") == ("Hyderabad", "IND", "city")
    assert where(gaz, "Tripoli", "FRA", "LBN") == ("Tripoli", "LBN", "city")  # France has none: next one


def test_well_known_city_never_moved_to_a_small_namesake(gaz: Gazetteer) -> None:
    for text, country in [("Paris", "FRA"), ("Moscow", "RUS"), ("London", "GBR")]:
        place = gaz.resolve(text, context_countries=["USA"])
        assert place is not None and place.country == country, text
    assert "well known" in gaz.resolve("Paris", context_countries=["USA"]).reason


def test_georgia_is_the_country_unless_the_article_is_american(gaz: Gazetteer) -> None:
    assert where(gaz, "Georgia") == ("Georgia", "GEO", "country")
    assert where(gaz, "Georgia", "RUS") == ("Georgia", "GEO", "country")
    assert where(gaz, "Georgia", "USA") == ("Georgia", "USA", "region")
    assert where(gaz, "Georgia", "GEO", "USA") == ("Georgia", "GEO", "country")  # Georgia itself in context
    assert where(gaz, "Armenia", "COL") == ("Armenia", "COL", "city")
    assert where(gaz, "Lebanon", "USA") == ("Lebanon", "LBN", "country")  # US Lebanons are small towns


def test_ambiguous_small_places_are_not_guessed(gaz: Gazetteer) -> None:
    # "Douglas": towns of ~26,000 in Ireland and on the Isle of Man, and smaller ones in the US
    assert gaz.resolve("Douglas") is None
    place = gaz.resolve("Douglas", context_countries=["IRL"])
    assert place is not None and place.country == "IRL"


def test_most_populous_namesake_without_context(gaz: Gazetteer) -> None:
    place = gaz.resolve("Springfield")
    assert place is not None and (place.country, place.admin1) == ("USA", "Missouri")
    assert place.reason.startswith("most populous 'Springfield' (USA)")


# --------------------------------------------------------------------------- countries and regions
@pytest.mark.parametrize(("text", "code"), [
    ("Thailand", "THA"), ("the Philippines", "PHL"), ("Ukraine's", "UKR"), ("U.S.", "USA"),
    ("United States of America", "USA"), ("Burma", "MMR"), ("Cote d'Ivoire", "CIV"), ("Côte d’Ivoire", "CIV"),
    ("Czechia", "CZE"), ("Holland", "NLD"), ("DRC", "COD"), ("Kosovo", "XKX"), ("northern Syria", "SYR"),
    ("eastern Ukraine", "UKR"), ("North Korea", "PRK"), ("france", "FRA"),
])
def test_countries(gaz: Gazetteer, text: str, code: str) -> None:
    place = gaz.resolve(text)
    assert place is not None and (place.country, place.kind) == (code, "country")
    assert place.text == text
    assert place.lat is not None  # the capital's coordinates


def test_country_has_capital_coordinates_and_geonames_id(gaz: Gazetteer) -> None:
    thailand = gaz.resolve("Thailand")
    bangkok = gaz.resolve("Bangkok")
    assert (thailand.lat, thailand.lon) == (bangkok.lat, bangkok.lon)
    assert thailand.geonames_id == 1605651 and thailand.name == "Thailand"
    assert gaz.country("KHM").name == "Cambodia"
    assert gaz.country("XXX") is None


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Gaza", "Gaza Strip", "PSE"), ("the West Bank", "West Bank", "PSE"), ("Crimea", "Crimea", "UKR"),
    ("Scotland", "Scotland", "GBR"), ("California", "California", "USA"),
    ("Washington state", "Washington", "USA"),
    ("Victoria", "Victoria", "AUS"), ("Tigray", "Tigray", "ETH"), ("Punjab", "Punjab", "PAK"),
    ("Kashmir", "Kashmir", None), ("Middle East", "Middle East", None),
])
def test_regions(gaz: Gazetteer, text: str, name: str, country: str | None) -> None:
    assert where(gaz, text) == (name, country, "region")


def test_regions_named_after_cities_and_region_context(gaz: Gazetteer) -> None:
    place = gaz.resolve("Kharkiv region")
    assert place is not None
    assert (place.name, place.country, place.kind) == ("Kharkiv region", "UKR", "region")
    assert place.geonames_id is None  # the city's id would be wrong for the province
    assert where(gaz, "Punjab", "IND") == ("Punjab", "IND", "region")


# --------------------------------------------------------------------------- qualifiers
def test_qualifiers_restrict_the_country_or_state(gaz: Gazetteer) -> None:
    paris = gaz.resolve("Paris, Texas")
    assert paris is not None and (paris.country, paris.admin1) == ("USA", "Texas")
    assert where(gaz, "Springfield, Illinois") == ("Springfield", "USA", "city")
    assert gaz.resolve("Springfield, Illinois").admin1 == "Illinois"
    assert where(gaz, "Lebanon's Tripoli") == ("Tripoli", "LBN", "city")
    assert where(gaz, "Tripoli, Lebanon") == ("Tripoli", "LBN", "city")
    assert where(gaz, "Ukraine's Kharkiv") == ("Kharkiv", "UKR", "city")


@pytest.mark.parametrize(("text", "name", "country", "kind"), [
    ("the Syrian city of Aleppo", "Aleppo", "SYR", "city"),
    ("the Lebanese port city of Tripoli", "Tripoli", "LBN", "city"),  # the demonym restricts the country
    ("the Malian town of Kidal", "Kidal", "MLI", "city"),
    ("the northern town of Kidal", "Kidal", "MLI", "city"),
    ("the Ukrainian region of Kharkiv", "Kharkiv region", "UKR", "region"),
    ("the province of Idlib", "Idlib province", "SYR", "region"),
    ("the state of Georgia", "Georgia", "USA", "region"),  # "state" asks for the region, not the country
    ("Georgia state", "Georgia", "USA", "region"),
    ("Putin's Russia", "Russia", "RUS", "country"),  # an owner that is no place is dropped
    ("Kharkiv, the second city", "Kharkiv", "UKR", "city"),  # a comma tail that is no place is dropped
])
def test_descriptive_mentions(gaz: Gazetteer, text: str, name: str, country: str, kind: str) -> None:
    place = gaz.resolve(text)
    assert place is not None and (place.name, place.country, place.kind) == (name, country, kind)
    assert place.text == text


def test_unknown_place_falls_back_to_its_qualifier(gaz: Gazetteer) -> None:
    place = gaz.resolve("Zzyzxville, Texas")
    assert place is not None and (place.name, place.kind) == ("Texas", "region")
    assert "not in the gazetteer" in place.reason


def test_names_ending_in_s_are_not_read_as_possessives(gaz: Gazetteer) -> None:
    assert where(gaz, "St. John's") == ("Saint John’s", "ATG", "city")


# --------------------------------------------------------------------------- non-places
@pytest.mark.parametrize("text", [
    "", "   ", "12345", "!!!", "the government", "yesterday", "Mr Smith", "Reuters", "police", "Police",
    "reading", "mobile", "us", "turkey", "the Ministry of Foreign Affairs", "Zzyzxville",
])
def test_non_places(gaz: Gazetteer, text: str) -> None:
    assert gaz.resolve(text) is None


def test_capitalised_words_that_are_places(gaz: Gazetteer) -> None:
    assert where(gaz, "Reading") == ("Reading", "GBR", "city")
    assert where(gaz, "Turkey") == ("Turkey", "TUR", "country")
    assert where(gaz, "US") == ("United States", "USA", "country")


# --------------------------------------------------------------------------- data files, cache, speed
def test_name_key() -> None:
    assert name_key("The Hague") == "hague"
    assert name_key("Port-au-Prince") == name_key("port au prince")
    assert name_key("Côte d’Ivoire") == "cote divoire"
    assert name_key("St. John's") == "st johns"


def test_override_errors_name_file_and_line(tmp_path: Path) -> None:
    header = "kind\ttext\tname\tcountry\tadmin1\tlat\tlon\tnote\n"
    cases = {
        "region\tAtlantis\tAtlantis\tATL\t\t1\t2\n": "unknown country 'ATL'",
        "region\tAtlantis\tAtlantis\t\t\tnorth\t2\n": "not decimal degrees",
        "region\tAtlantis\tAtlantis\t\t\t95\t2\n": "out of range",
        "place\tAtlantis\n": "unknown kind 'place'",
        "block\t\n": "empty name",
        "prefer\tValencia\tValencia\n": "needs the city name and its country",
        "block\tX\t\t\t\t\t\t\t\textra\n": "stray tab",
    }
    for row, problem in cases.items():
        path = tmp_path / "places_overrides.tsv"
        path.write_text("# comment\n" + header + row, encoding="utf-8")
        with pytest.raises(LexiconError) as info:
            read_place_overrides(path, {"ESP", "USA"})
        assert str(info.value).startswith("places_overrides.tsv:3:") and problem in str(info.value), row
    (tmp_path / "bad_header.tsv").write_text("kind\ttext\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="bad_header.tsv:1: header"):
        read_place_overrides(tmp_path / "bad_header.tsv", set())


def test_packaged_overrides_are_valid() -> None:
    rows = read_place_overrides(places.DEFAULT_DATA_DIR / places.OVERRIDES_FILE, {
        "GBR", "PSE", "SYR", "EGY", "UKR", "RUS", "AZE", "GEO", "MDA", "IRQ", "ETH", "SDN", "NGA", "MOZ",
        "COD", "ESH", "PAK", "IND", "CHN", "JPN", "PHL", "IDN", "MMR", "MYS", "ESP", "DEU", "CAN", "AUS",
        "USA"})
    kinds = {row.kind for row in rows}
    assert kinds == {"region", "prefer", "block", "common"}


def test_custom_overrides_build(tmp_path: Path) -> None:
    path = tmp_path / "places_overrides.tsv"
    path.write_text("kind\ttext\tname\tcountry\tadmin1\tlat\tlon\tnote\n"
                    "region\tNorthshire|North Shire\tNorthshire\tGBR\tEngland\t54.0\t-2.0\n"
                    "prefer\tValencia\tValencia\tESP\n", encoding="utf-8")
    custom = Gazetteer.build(overrides_path=path)
    assert where(custom, "North Shire") == ("Northshire", "GBR", "region")
    assert where(custom, "Valencia") == ("Valencia", "ESP", "city")
    assert where(custom, "Valencia", "VEN") == ("Valencia", "VEN", "city")  # context still wins
    assert custom.resolve("Gaza") != load_gazetteer().resolve("Gaza")  # no packaged regions here
    bad = tmp_path / "bad.tsv"
    bad.write_text("kind\ttext\tname\tcountry\tadmin1\tlat\tlon\tnote\nprefer\tValencia\tValencia\tDEU\n",
                   encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad.tsv:2: no city 'Valencia' in DEU"):
        Gazetteer.build(overrides_path=bad)


def test_disk_cache_round_trip_loads_fast(gaz: Gazetteer, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOTTEREL_CACHE_DIR", str(tmp_path))
    load_gazetteer.cache_clear()
    try:
        first = load_gazetteer()  # builds and writes the cache file
        assert list(tmp_path.glob("places-*.marshal"))
        load_gazetteer.cache_clear()
        start = time.perf_counter()
        second = load_gazetteer()
        elapsed = time.perf_counter() - start
        assert second is not first
        assert elapsed < 1.0, f"loading from the cache took {elapsed:.2f} s"
        for text in ("Tripoli", "Georgia", "Gaza", "Springfield"):
            assert second.resolve(text) == first.resolve(text) == gaz.resolve(text)
        # a corrupt or foreign cache file is not trusted (load_gazetteer then rebuilds)
        junk = tmp_path / "junk.marshal"
        junk.write_bytes(b"not marshal data")
        assert places._read_cache(junk) is None
        junk.write_bytes(marshal.dumps({"entries": []}))
        assert places._read_cache(junk) is None
    finally:
        load_gazetteer.cache_clear()


def test_speed_of_a_thousand_distinct_resolutions(gaz: Gazetteer) -> None:
    names = ["Paris", "Tripoli", "Georgia", "Gaza", "Springfield", "Kharkiv region", "northern Syria", "Kiev",
             "Paris, Texas", "Lebanon's Tripoli", "the government", "Hyderabad", "Birmingham", "Santiago",
             "Washington", "Bangkok", "Mecca", "Punjab", "Zzyzxville", "New York", "Victoria", "Rafah",
             "Douglas", "Reading", "St. John's"]
    contexts = [(), ("USA",), ("LBN",), ("PAK", "IND"), ("GBR",), ("THA",), ("UKR", "RUS"), ("FRA",),
                ("COL",), ("AUS",), ("IRL",), ("CHL",), ("EGY",), ("SYR",), ("PHL",), ("KHM",), ("IND",),
                ("ISR", "PSE"), ("JPN",), ("CAN",), ("DEU",), ("MEX",), ("BRA",), ("NGA",), ("ZAF",),
                ("TUR",), ("IRN",), ("VNM",), ("IDN",), ("ARG",), ("ESP",), ("ITA",), ("POL",), ("KEN",),
                ("ETH",), ("SDN",), ("YEM",), ("SAU",), ("CHN",), ("KOR",)]
    calls = [(name, ctx) for ctx in contexts for name in names]
    assert len(calls) == 1000
    start = time.perf_counter()
    for name, ctx in calls:
        gaz.resolve(name, context_countries=ctx)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5, f"1,000 resolutions took {elapsed:.3f} s"
