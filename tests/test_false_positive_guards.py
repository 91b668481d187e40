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
