"""Line breaks as sentence boundaries: headlines and paragraphs stand alone, hard-wrapped text is not cut."""

from __future__ import annotations

from dotterel.nlp.lines import hard_wrapped

HEADLINE = ("Zambia deports Chinese mine boss over acid spill\n"
            "Zambia deported the Chinese manager of a copper plant on Monday after an acid spill, officials said.\n"
            "The foreign ministry in Beijing asked for an explanation.")
WRAPPED = ("The government of Zambia on Monday deported the Chinese\n"
           "manager of a copper processing plant after an acid spill\n"
           "poisoned a tributary of the Kafue River, the immigration\n"
           "department said in a statement.\n\n"
           "The ministry in Beijing asked for an explanation.")


def _sentences(nlp, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_headline_is_its_own_sentence(nlp):
    sentences = _sentences(nlp, HEADLINE)
    assert sentences[0] == "Zambia deports Chinese mine boss over acid spill"
    assert sentences[1].startswith("Zambia deported")


def test_hard_wrapped_lines_are_not_cut(nlp):
    sentences = _sentences(nlp, WRAPPED)
    assert len(sentences) == 2
    assert sentences[0].endswith("in a statement.")
    assert sentences[1].startswith("The ministry")


def test_hard_wrapped_detection():
    assert hard_wrapped(WRAPPED)
    assert not hard_wrapped(HEADLINE)
    assert not hard_wrapped("One line only, no break")
    assert not hard_wrapped("Headline\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird.")


def test_headline_event_does_not_pair_actors_across_lines(coder):
    events = coder.code(HEADLINE.replace("\nZambia", "\nLUSAKA (Reuters) - Zambia"), "2025-03-04")
    deport = [e for e in events if e.event == "COERCE"]
    assert deport, [e.event for e in events]
    assert all(e.actor[0].country == "ZMB" for e in deport)


def test_headline_on_the_dateline_line_is_its_own_sentence(nlp):
    from dotterel.nlp.dateline import blank_dateline

    text = ("Chile recalls envoy to Israel over Gaza SANTIAGO, Nov 1 (Reuters) - Chile recalled its ambassador "
            "to Israel for consultations on Tuesday.")
    blanked, found = blank_dateline(text)
    assert found is not None and len(blanked) == len(text)
    sentences = _sentences(nlp, blanked)
    assert sentences[0] == "Chile recalls envoy to Israel over Gaza"
    assert sentences[1].startswith("Chile recalled")


def test_no_stray_cut_right_after_a_forced_line_start(nlp):
    text = ("Malawi, Mozambique sign power link deal\nMalawi and Mozambique signed an agreement on Monday to "
            "build a power line.")
    sentences = _sentences(nlp, text)
    assert sentences == ["Malawi, Mozambique sign power link deal",
                         "Malawi and Mozambique signed an agreement on Monday to build a power line."]


def test_headline_comma_coordination_is_two_parties(coder):
    events = coder.code("Colombia, ELN rebels agree six-month ceasefire at Havana talks\n"
                        "HAVANA (AFP) - The talks ended on Friday.", "2023-06-10")
    agree = [e for e in events if e.event == "AGREE"]
    assert agree, [(e.event, e.evidence.trigger) for e in events]
    assert {agree[0].actor[0].sector, agree[0].recipient[0].sector} == {"GOV", "REB"}
