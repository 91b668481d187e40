"""Words that look like events but are not news of one: answered references, orders that perform an act,
nature as an actor, and a state's diplomatic protest (ACCUSE, not PROTEST). Sentences written for these tests."""

from __future__ import annotations


def _events(coder, text: str, date: str = "2025-04-10"):
    return coder.code(text, date=date)


def test_a_threat_that_is_judged_is_not_a_new_threat(coder):
    events = _events(coder, "The trade ministry in Beijing called the U.S. threat \"a grave mistake\".")
    assert not any(e.event == "THREATEN" for e in events), [(e.event, e.evidence.trigger) for e in events]


def test_an_embargo_that_is_judged_is_not_a_new_sanction(coder):
    events = _events(coder, "Sudan's ambassador called the embargo \"an obstacle to peace\".")
    assert not any(e.event == "SANCTION" for e in events)


def test_ordering_a_release_is_not_a_request(coder):
    events = _events(coder, "President Salva Kiir on Friday ordered the release of 24 political detainees.")
    assert not any(e.event == "REQUEST" for e in events)


def test_nature_is_not_an_actor(coder):
    events = _events(coder, "Cyclone Gabrielle cut power to 225,000 homes in New Zealand's North Island on "
                            "Tuesday.")
    assert events == []


def test_a_states_protest_is_diplomatic(coder):
    events = _events(coder, "Algeria summoned the French ambassador on Wednesday to protest against a hostile "
                            "campaign by French broadcasters.")
    assert not any(e.event == "PROTEST" for e in events)
    assert any(e.event == "ACCUSE" and e.actor[0].country == "DZA" for e in events)


def test_lawyers_protest_stays_a_protest(coder):
    events = _events(coder, "Lawyers in Lahore protested on Monday against the killing of a colleague by police.")
    assert any(e.event == "PROTEST" for e in events), [(e.event, e.evidence.trigger) for e in events]


def test_an_evaluation_needs_a_target(coder):
    events = _events(coder, "Kyrgyz President Sadyr Japarov called the agreement \"a victory for common sense\".")
    assert not any(e.event in {"SUPPORT", "ACCUSE"} and not e.recipient for e in events)


def test_the_lender_accused_of_something_is_the_last_organisation_named(coder):
    events = _events(coder, "The World Bank said on Tuesday it had halted new public financing to Uganda over "
                            "a new law. Uganda's government accused the lender of trying to coerce the country.",
                     date="2023-08-10")
    dyads = {(e.event, e.actor[0].country, e.recipient[0].country if e.recipient else None) for e in events}
    assert ("SANCTION", "IGO", "UGA") in dyads, dyads
    assert ("ACCUSE", "UGA", "IGO") in dyads, dyads


def test_a_purpose_with_no_target_is_no_threat(coder):
    events = _events(coder, "Indonesia and Malaysia agreed on Wednesday to launch coordinated naval patrols in "
                            "the Strait of Malacca to curb piracy.")
    assert not any(e.event == "THREATEN" for e in events), [(e.event, e.evidence.trigger) for e in events]


def test_a_date_is_never_the_subject(coder):
    events = _events(coder, "ADDIS ABABA (Xinhua) -- Ethiopia's parliament on Tuesday voted to lift a nationwide "
                            "state of emergency imposed in November.", date="2022-02-16")
    concede = [e for e in events if e.event == "CONCEDE"]
    assert concede and concede[0].actor[0].country == "ETH" and concede[0].actor[0].sector == "LEG"


def test_warplanes_striking_are_not_on_strike(coder):
    events = _events(coder, "Israeli warplanes struck towns across southern Lebanon on Wednesday.")
    assert not any(e.event == "PROTEST" for e in events)
    assault = [e for e in events if e.event == "ASSAULT"]
    assert assault and [(r.country, r.sector) for r in assault[0].recipient] == [("LBN", "CVL")]


def test_gunmen_marching_hostages_are_not_protesting(coder):
    events = _events(coder, "The attackers marched the children into the bush, residents said.")
    assert not any(e.event == "PROTEST" for e in events)


def test_receiving_freed_prisoners_is_not_a_visit(coder):
    events = _events(coder, "KYIV (Reuters) - Ukraine received 230 people in a prisoner exchange on Wednesday.")
    assert not any(e.event == "CONSULT" for e in events)


def test_a_bare_demand_with_no_addressee_is_a_mention(coder):
    events = _events(coder, "Officials said the long pause had been caused by Moscow's shifting demands.")
    assert not any(e.event == "REQUEST" for e in events)


def test_talks_with_nobody_named_are_not_coded(coder):
    events = _events(coder, "The opposition leader said the government had negotiated the loan in secret.")
    assert not any(e.event == "CONSULT" for e in events)


def test_praise_of_nobody_named_is_not_coded(coder):
    events = _events(coder, "Germany and Iceland welcomed the outcome on Friday.")
    assert not any(e.event == "SUPPORT" for e in events)


def test_a_war_is_not_an_actor(coder):
    events = _events(coder, "Syria's 12-year war had already destroyed much of its infrastructure.")
    assert events == []


def test_police_contingent_arriving_is_no_visit(coder):
    events = _events(coder, "Some 400 Kenyan police officers arrived in Haiti's capital on Tuesday.")
    assert not any(e.event == "CONSULT" for e in events)


def test_slashed_dateline_is_not_an_actor(coder):
    events = _events(coder, "YEREVAN/BAKU, Sept 22 (Reuters) - Ethnic Armenian forces in Nagorno-Karabakh began "
                            "surrendering weapons to Azerbaijan's army on Thursday.", date="2023-09-22")
    assert all(e.actor[0].sector != "JRN" for e in events), [(e.event, e.reasons["actor"]) for e in events]


def test_the_content_of_a_demand_is_not_a_fact(coder):
    events = _events(coder, "The row follows a demand by Bamako last week that Denmark withdraw about 100 special "
                            "forces troops.")
    assert not any(e.event == "RETREAT" for e in events), [(e.event, e.evidence.trigger) for e in events]
