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
