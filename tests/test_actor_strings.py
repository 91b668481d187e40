"""Actor strings → expected country and primary sector, written by the team (facts: names, offices, capitals).

Each case goes through :func:`dotterel.actors.phrase.resolve_phrase` with an empty user dictionary and an empty
learned store, so what is measured is the lexicon, the sector rules, the resolver and the curated people base.
A ``None`` country means the string names none and none may be guessed. Cases that fail because of the
resolver or its data are marked ``xfail(strict=True)`` with the reason, never loosened.
"""

from __future__ import annotations

from datetime import date

import pytest

from dotterel.actors.knowledge import KnowledgeBase, LearnedStore
from dotterel.actors.people import load_people
from dotterel.actors.phrase import resolve_phrase


def xf(*case, reason):
    return pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason=reason))


# (text, date or None, context or None, country, sector)
CAPITALS_AND_COUNTRIES = [
    ("France", None, None, "FRA", "GOV"),
    ("Japan", None, None, "JPN", "GOV"),
    ("the United States", None, None, "USA", "GOV"),
    ("Washington", None, None, "USA", "GOV"),
    ("Beijing", None, None, "CHN", "GOV"),
    ("Moscow", None, None, "RUS", "GOV"),
    ("Tokyo", None, None, "JPN", "GOV"),
    ("Seoul", None, None, "KOR", "GOV"),
    ("Pyongyang", None, None, "PRK", "GOV"),
    ("New Delhi", None, None, "IND", "GOV"),
    ("Ankara", None, None, "TUR", "GOV"),
    ("Tehran", None, None, "IRN", "GOV"),
    ("Phnom Penh", None, None, "KHM", "GOV"),
    ("Jakarta", None, None, "IDN", "GOV"),
    ("Hanoi", None, None, "VNM", "GOV"),
    ("Manila", None, None, "PHL", "GOV"),
    ("Kyiv", None, None, "UKR", "GOV"),
    ("Canberra", None, None, "AUS", "GOV"),
    ("Brasilia", None, None, "BRA", "GOV"),
    ("Pretoria", None, None, "ZAF", "GOV"),
    ("North Korea", None, None, "PRK", "GOV"),
    ("South Korea", None, None, "KOR", "GOV"),
    ("the UK", None, None, "GBR", "GOV"),
    ("Britain", None, None, "GBR", "GOV"),
    ("Germany", None, None, "DEU", "GOV"),
]

GROUPS = [
    ("Syrian rebels", None, None, "SYR", "REB"),
    ("Thai officials", None, None, "THA", "GOV"),
    ("Cambodian police", None, None, "KHM", "COP"),
    ("Israeli troops", None, None, "ISR", "MIL"),
    ("Russian soldiers", None, None, "RUS", "MIL"),
    ("Ukrainian forces", None, None, "UKR", "MIL"),
    ("Chinese diplomats", None, None, "CHN", "GOV"),
    ("Indian lawmakers", None, None, "IND", "LEG"),
    ("Filipino protesters", None, None, "PHL", "CVL"),
    ("Iranian judges", None, None, "IRN", "JUD"),
    ("Afghan refugees", None, None, "AFG", "REF"),
    ("Syrian refugees", None, None, "SYR", "REF"),
    ("Turkish prosecutors", None, None, "TUR", "JUD"),
    ("Egyptian journalists", None, None, "EGY", "JRN"),
    ("Nigerian doctors", None, None, "NGA", "MED"),
    ("Kenyan police", None, None, "KEN", "COP"),
    ("Brazilian senators", None, None, "BRA", "LEG"),
    ("German companies", None, None, "DEU", "BUS"),
    ("French unions", None, None, "FRA", "LAB"),
    ("Indonesian clerics", None, None, "IDN", "REL"),
    ("Myanmar's military", None, None, "MMR", "MIL"),
    ("the Myanmar army", None, None, "MMR", "MIL"),
    ("the Venezuelan opposition", None, None, "VEN", "OPP"),
    ("Mexican drug gangs", None, None, "MEX", "CRM"),
    ("Colombian guerrillas", None, None, "COL", "REB"),
    ("Somali pirates", None, None, "SOM", "CRM"),
    ("Ethiopian teachers", None, None, "ETH", "EDU"),
    ("Malaysian activists", None, None, "MYS", "CVL"),
    ("Greek riot police", None, None, "GRC", "COP"),
    ("Spanish judges", None, None, "ESP", "JUD"),
    ("Italian lawmakers", None, None, "ITA", "LEG"),
    ("US senators", None, None, "USA", "LEG"),
    ("US troops", None, None, "USA", "MIL"),
    ("a US destroyer", None, None, "USA", "MIL"),
    ("a British warship", None, None, "GBR", "MIL"),
    ("the Australian navy", None, None, "AUS", "MIL"),
    ("the Chinese navy", None, None, "CHN", "MIL"),
    ("the Indian air force", None, None, "IND", "MIL"),
    ("Paris railway police", None, None, "FRA", "COP"),
    ("Tokyo prosecutors", None, None, "JPN", "JUD"),
    ("Hong Kong police", None, None, "HKG", "COP"),
    ("the Taiwanese military", None, None, "TWN", "MIL"),
    ("Lebanese protesters", None, None, "LBN", "CVL"),
    ("Yemeni rebels", None, None, "YEM", "REB"),
    ("Malian soldiers", None, None, "MLI", "MIL"),
    ("Congolese rebels", None, None, "COD", "REB"),
    ("South African unions", None, None, "ZAF", "LAB"),
    ("Thai monks", None, None, "THA", "REL"),
    ("Bangladeshi garment workers", None, None, "BGD", "LAB"),
    ("Nepalese police", None, None, "NPL", "COP"),
    ("Indian health workers", None, None, "IND", "MED"),
    ("a Cambodian journalist", None, None, "KHM", "JRN"),
    ("Israeli police", None, None, "ISR", "COP"),
    ("Cuban students", None, None, "CUB", "EDU"),
    ("Palestinian civilians", None, None, "PSE", "CVL"),
]

OFFICES = [
    ("the Indonesian foreign minister", None, None, "IDN", "GOV"),
    ("the Cambodian interior ministry", None, None, "KHM", "GOV"),
    ("the Japanese prime minister", None, None, "JPN", "GOV"),
    ("the French president", None, None, "FRA", "GOV"),
    ("Russia's defence ministry", None, None, "RUS", "GOV"),
    ("the Thai Senate", None, None, "THA", "LEG"),
    ("Cambodia's National Assembly", None, None, "KHM", "LEG"),
    ("India's Supreme Court", None, None, "IND", "JUD"),
    ("a Chinese foreign ministry spokesman", None, None, "CHN", "GOV"),
    ("the US State Department", None, None, "USA", "GOV"),
    ("the White House", None, None, "USA", "GOV"),
    ("Downing Street", None, None, "GBR", "GOV"),
    ("the Elysee", None, None, "FRA", "GOV"),
    ("the Kremlin", None, None, "RUS", "GOV"),
    ("the Thai Ministry of Foreign Affairs", None, None, "THA", "GOV"),
    ("a Turkish court", None, None, "TUR", "JUD"),
    ("Iran's Revolutionary Guards", None, None, "IRN", "MIL"),
    ("the Cambodian opposition", None, None, "KHM", "OPP"),
    ("a Russian opposition leader", None, None, "RUS", "OPP"),
    ("the Thai army chief", None, None, "THA", "MIL"),
    ("Pakistan's intelligence agency", None, None, "PAK", "SPY"),
    ("Ukraine's parliament", None, None, "UKR", "LEG"),
    ("the German Bundestag", None, None, "DEU", "LEG"),
    ("the Japanese defence minister", None, None, "JPN", "GOV"),
    ("the Chinese premier", None, None, "CHN", "GOV"),
    ("the Malaysian health ministry", None, None, "MYS", "GOV"),
    ("the Philippine police chief", None, None, "PHL", "COP"),
    ("Vietnam's Communist Party", None, None, "VNM", "PTY"),
    ("a Kenyan High Court judge", None, None, "KEN", "JUD"),
    ("Brazil's central bank", None, None, "BRA", "GOV"),
]

AMBASSADORS = [
    ("the US Ambassador to Japan", None, None, "USA", "GOV"),
    ("China's ambassador to the Philippines", None, None, "CHN", "GOV"),
    ("the Japanese envoy to Seoul", None, None, "JPN", "GOV"),
    ("the Indonesian embassy in Canberra", None, None, "IDN", "GOV"),
    ("the British consulate in Hong Kong", None, None, "GBR", "GOV"),
    ("the French ambassador", None, None, "FRA", "GOV"),
    ("Thailand's ambassador to Cambodia", None, None, "THA", "GOV"),
    ("the Russian embassy in Washington", None, None, "RUS", "GOV"),
]

INTERNATIONAL = [
    ("the European Commission", None, None, "EUR", "GOV"),
    ("the European Union", None, None, "EUR", "IGO"),
    ("NATO", None, None, "IGO", "IGO"),
    ("the United Nations", None, None, "UNO", "IGO"),
    ("the UN Security Council", None, None, "UNO", "IGO"),
    ("ASEAN", None, None, "IGO", "IGO"),
    ("the African Union", None, None, "IGO", "IGO"),
    ("the World Bank", None, None, "IGO", "IGO"),
    ("the IMF", None, None, "IGO", "IGO"),
    ("the UN secretary-general", None, None, "UNO", "IGO"),
    ("the World Health Organization", None, None, "UNO", "IGO"),
    ("the UN refugee agency", None, None, "UNO", "IGO"),
    ("Amnesty International", None, None, "NGO", "NGO"),
    ("Human Rights Watch", None, None, "NGO", "NGO"),
    ("the International Criminal Court", None, None, "IGO", "JUD"),
    ("the Arab League", None, None, "IGO", "IGO"),
]

PARTIES_AND_ARMED_GROUPS = [
    ("the Cambodian People's Party", None, None, "KHM", "PTY"),
    ("the Chinese Communist Party", None, None, "CHN", "PTY"),
    ("the BJP", None, None, "IND", "PTY"),
    ("the ANC", None, None, "ZAF", "PTY"),
    ("Pheu Thai", None, None, "THA", "PTY"),
    ("Likud", None, None, "ISR", "PTY"),
    ("United Russia", None, None, "RUS", "PTY"),
    ("the Kuomintang", None, None, "TWN", "PTY"),
    ("Hamas", None, None, "PSE", "REB"),
    ("Hezbollah", None, None, "LBN", "REB"),
    # dated organisation status (org_status.yaml)
    ("the Taliban", "2015-06-01", None, "AFG", "REB"),
    ("the Taliban", "2022-06-01", None, "AFG", "GOV"),
    ("the Taliban", "1998-06-01", None, "AFG", "GOV"),
    ("Taliban fighters", "2010-06-01", None, "AFG", "REB"),
    ("Hayat Tahrir al-Sham", "2020-01-01", None, "SYR", "REB"),
    ("Hayat Tahrir al-Sham", "2025-01-10", None, "SYR", "GOV"),
    ("al-Shabaab", None, None, "SOM", "REB"),
    ("Boko Haram", None, None, "NGA", "REB"),
    ("the Houthis", None, None, "YEM", "REB"),
    ("the Arakan Army", None, None, "MMR", "REB"),
    ("the FARC", None, None, "COL", "REB"),
    ("the PKK", None, None, "TUR", "REB"),
    ("Abu Sayyaf", None, None, "PHL", "REB"),
    ("the New People's Army", None, None, "PHL", "REB"),
    ("M23 rebels", None, None, "COD", "REB"),
    ("Hezbollah fighters", None, None, "LBN", "REB"),
    ("Hamas militants", None, None, "PSE", "REB"),
]

FORMER = [
    ("former Prime Minister X", None, None, None, "ELI"),
    ("former US President Barack Obama", "2020-01-01", None, "USA", "ELI"),
    ("the former Thai army chief", None, None, "THA", "ELI"),
    ("ex-President Jair Bolsonaro", "2023-06-01", None, "BRA", "ELI"),
    ("a former Indonesian minister", None, None, "IDN", "ELI"),
    ("former British Prime Minister Boris Johnson", "2023-06-01", None, "GBR", "ELI"),
    ("a former Cambodian opposition leader", None, None, "KHM", "ELI"),
    ("former Japanese Prime Minister Shinzo Abe", "2021-05-01", None, "JPN", "ELI"),
]

PEOPLE_BY_DATE = [
    ("Retno Marsudi", "2020-01-01", None, "IDN", "GOV"),
    ("Boris Johnson", "2020-06-01", None, "GBR", "GOV"),
    ("Boris Johnson", "2023-06-01", None, "GBR", "ELI"),
    ("Hun Sen", "2020-12-01", None, "KHM", "GOV"),
    ("Hun Manet", "2024-01-01", None, "KHM", "GOV"),
    ("Wang Yi", "2020-06-01", None, "CHN", "GOV"),
    ("Narendra Modi", "2020-06-01", None, "IND", "GOV"),
    ("Angela Merkel", "2019-06-01", None, "DEU", "GOV"),
    ("Angela Merkel", "2023-06-01", None, "DEU", "ELI"),
    ("Joko Widodo", "2019-06-01", None, "IDN", "GOV"),
    ("Recep Tayyip Erdogan", "2021-06-01", None, "TUR", "GOV"),
    ("Emmanuel Macron", "2022-06-01", None, "FRA", "GOV"),
    ("Sergei Lavrov", "2022-06-01", None, "RUS", "GOV"),
    ("Antony Blinken", "2022-06-01", None, "USA", "GOV"),
    ("Volodymyr Zelensky", "2022-06-01", None, "UKR", "GOV"),
    ("Jacinda Ardern", "2024-06-01", None, "NZL", "ELI"),
    ("Prayut Chan-o-cha", "2019-06-01", None, "THA", "GOV"),
    ("Rodrigo Duterte", "2018-06-01", None, "PHL", "GOV"),
    ("Rodrigo Duterte", "2023-06-01", None, "PHL", "ELI"),
    ("Shinzo Abe", "2015-06-01", None, "JPN", "GOV"),
    ("Justin Trudeau", "2018-06-01", None, "CAN", "GOV"),
    ("Xi Jinping", "2019-06-01", None, "CHN", "GOV"),
]

TITLED = [
    ("Indonesian Foreign Minister Retno Marsudi", "2020-01-01", None, "IDN", "GOV"),
    ("Chinese Foreign Minister Wang Yi", "2020-01-01", None, "CHN", "GOV"),
    # the leader of an opposition party is PTY with OPP secondary (PLOVER.md, Actors)
    ("Cambodian opposition leader Kem Sokha", "2017-06-01", None, "KHM", "PTY"),
    ("US Secretary of State Antony Blinken", "2022-01-01", None, "USA", "GOV"),
    ("Japanese Prime Minister Fumio Kishida", "2022-01-01", None, "JPN", "GOV"),
    ("Thai Prime Minister Srettha Thavisin", "2024-01-01", None, "THA", "GOV"),
    ("Philippine President Ferdinand Marcos Jr.", "2023-01-01", None, "PHL", "GOV"),
    ("Indian Prime Minister Narendra Modi", "2019-01-01", None, "IND", "GOV"),
]

CONTEXT = [
    ("the police", None, "Thai police arrested protesters in Bangkok on Monday.", "THA", "COP"),
    ("the ruling party", None, "Cambodia's ruling party won every seat in the election.", "KHM", "PTY"),
    ("the opposition", None, "In Caracas, Venezuela's opposition called for new protests.", "VEN", "OPP"),
    ("the army", None, "Myanmar's army seized power in a coup.", "MMR", "MIL"),
    ("Marsudi", "2020-01-01", "Indonesian Foreign Minister Retno Marsudi met her Thai counterpart.", "IDN", "GOV"),
    ("the prosecutors", None, "Prosecutors in Seoul charged the former minister.", "KOR", "JUD"),
]

# Parties and armed groups whose status depends on the date (org_status.yaml): the full sector list, since the
# primary sector of a party is PTY whether it governs or not. (text, date or None, country, sectors)
DATED_STATUS = [
    ("the ruling BJP", "2016-01-01", "IND", ["PTY", "GOV"]),
    ("a BJP spokesman", "2008-01-01", "IND", ["PTY", "OPP"]),
    ("the Indian National Congress", "2010-06-01", "IND", ["PTY", "GOV"]),
    ("the Congress party", "2019-06-01", "IND", ["PTY", "OPP"]),
    ("the Tories", "2016-01-01", "GBR", ["PTY", "GOV"]),
    ("the Labour Party", "2016-01-01", "GBR", ["PTY", "OPP"]),
    ("the Labour Party", "2024-09-01", "GBR", ["PTY", "GOV"]),
    ("Republicans", "2018-01-01", "USA", ["PTY", "GOV"]),
    ("the Democratic Party", "2018-01-01", "USA", ["PTY", "OPP"]),
    ("Likud", "2022-01-01", "ISR", ["PTY", "OPP"]),
    ("Likud", "2023-06-01", "ISR", ["PTY", "GOV"]),
    ("the CDU", "2023-01-01", "DEU", ["PTY", "OPP"]),
    ("the ANC", "2015-01-01", "ZAF", ["PTY", "GOV"]),
    ("Fidesz", "2005-01-01", "HUN", ["PTY", "OPP"]),
    ("Brazil's Workers' Party", "2019-06-01", "BRA", ["PTY", "OPP"]),
    ("Italy's Democratic Party", "2016-01-01", "ITA", ["PTY", "GOV"]),
    # another country's party that borrows a listed name does not take that party's status
    ("Nigeria's Labour Party", "2020-01-01", "NGA", ["PTY"]),
    ("Hamas", "2016-01-01", "PSE", ["REB", "GOV", "PTY"]),
    ("Hamas", "2005-01-01", "PSE", ["REB", "PTY"]),  # before any period: the organizations.tsv row
    ("the Taliban", None, "AFG", ["GOV", "REB"]),  # no date: the organizations.tsv row
    ("the Houthis", "2010-01-01", "YEM", ["REB"]),
    ("the Houthis", "2020-01-01", "YEM", ["REB", "GOV"]),
]
OUTSIDE_EVERY_PERIOD = {("Nigeria's Labour Party", "2020-01-01"), ("Hamas", "2005-01-01"), ("the Taliban", None),
                        ("the Houthis", "2010-01-01")}

CASES = (CAPITALS_AND_COUNTRIES + GROUPS + OFFICES + AMBASSADORS + INTERNATIONAL + PARTIES_AND_ARMED_GROUPS
         + FORMER + PEOPLE_BY_DATE + TITLED + CONTEXT)


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    store = LearnedStore(tmp_path_factory.mktemp("learned") / "learned.sqlite")
    return KnowledgeBase(curated=load_people(), learned=store)


def _case_id(case):
    text, on, context, *_ = case.values if hasattr(case, "values") else case
    return f"{text}@{on}" if on else (f"{text}|ctx" if context else text)


def test_at_least_150_strings():
    assert len(CASES) >= 150


@pytest.mark.parametrize(("text", "on", "context", "country", "sector"), CASES,
                         ids=[_case_id(c) for c in CASES])
def test_actor_string(text, on, context, country, sector, kb, nlp):
    out = resolve_phrase(text, on=date.fromisoformat(on) if on else None, context=context, nlp=nlp, kb=kb)
    assert (out["country"], out["sector"]) == (country, sector), out["reason"]


@pytest.mark.parametrize(("text", "on", "country", "sectors"), DATED_STATUS,
                         ids=[f"{c[0]}@{c[1]}" for c in DATED_STATUS])
def test_dated_organisation_status(text, on, country, sectors, kb, nlp):
    out = resolve_phrase(text, on=date.fromisoformat(on) if on else None, nlp=nlp, kb=kb)
    assert (out["country"], out["sectors"]) == (country, sectors), out["reason"]
    # the reason names the period that applied, and only when one did
    assert ("org_status.yaml:" in out["reason"]) == ((text, on) not in OUTSIDE_EVERY_PERIOD), out["reason"]
