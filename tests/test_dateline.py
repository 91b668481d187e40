"""Datelines are found in raw text and blanked before parsing, keeping every character offset."""

from __future__ import annotations

import pytest

from dotterel.nlp.dateline import blank_dateline


@pytest.mark.parametrize("text, place", [
    ("WARSAW (AP) - Poland on Wednesday expelled 45 Russian diplomats.", "WARSAW"),
    ("GUSAU, Nigeria (AP) - Gunmen killed 12 villagers.", "GUSAU Nigeria"),
    ("PORT-AU-PRINCE - Haitian police deployed vehicles.", "PORT-AU-PRINCE"),
    ("ADDIS ABABA (Xinhua) -- Ethiopia's parliament voted.", "ADDIS ABABA"),
    ("Kenya, Tanzania agree to lift curbs\n\nNAIROBI (Reuters) - Kenya and Tanzania agreed.", "NAIROBI"),
    ("Somalia expels Kenyan envoy MOGADISHU (AFP) - Somalia on Tuesday ordered.", "MOGADISHU"),
    ("GOMA, Democratic Republic of Congo (Reuters) - M23 rebels pulled out.", "GOMA Democratic Republic of Congo"),
    ("MONTEVIDEO, Dec 7 (AFP) - The EU sealed a deal.", "MONTEVIDEO Dec 7"),
    ("HONIARA, Solomon Islands, April 3 (RNZ) - Solomon Islands signed.", "HONIARA Solomon Islands April 3"),
])
def test_datelines_are_blanked_with_offsets_kept(text, place):
    blanked, found = blank_dateline(text)
    assert found is not None and found[2] == place
    assert len(blanked) == len(text)
    assert place.split()[0] not in blanked
    start, end, _ = found
    assert blanked[start:end].strip() == ""
    assert blanked[end:] == text[end:]


@pytest.mark.parametrize("text", [
    "US - China talks were held in Geneva.",
    "The NATO - led force withdrew.",
    "Police arrested five activists in Nairobi on Monday.",
])
def test_no_dateline_no_change(text):
    assert blank_dateline(text) == (text, None)


def test_evidence_sentence_is_the_text_as_given(coder):
    text = "WARSAW (AP) - Poland on Wednesday expelled 45 Russian diplomats it accused of spying."
    records = [r.to_dict() for r in coder.code(text, date="2022-03-24", doc_id="w")]
    rec = next(r for r in records if r["event"] == "SANCTION")
    assert rec["actor"][0]["country"] == "POL" and rec["recipient"][0]["country"] == "RUS"
    ev = rec["evidence"]
    assert text[ev["start"]:ev["end"]] == ev["sentence"]
    assert ev["sentence"].startswith("WARSAW (AP) - Poland")
