"""Wire-story datelines ("PHNOM PENH, March 5 (Reuters) -"): where they end and which place they name.

Datelines are not part of any sentence's meaning, but the parser glues them onto the first subject
("MANILA - Japan's foreign minister" becomes one noun phrase), so the coder masks them out of mentions and
uses the place only as the article's default country.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

DASHES = {"-", "--", "—", "–", ":"}
MAX_DATELINE_TOKENS = 16
SEARCH_TOKENS = 80  # a headline line may come before the dateline


@dataclass(frozen=True, slots=True)
class Dateline:
    start: int  # token index of the first dateline token
    end: int  # token index just after the dash
    place: tuple[str, ...]  # the upper-case place words, e.g. ("PHNOM", "PENH")


def find_dateline(doc: Doc) -> Dateline | None:
    """The dateline at the start of the article or right after a headline line, if any."""
    starts = [0] + [t.i + 1 for t in doc[:SEARCH_TOKENS] if t.is_space and "\n" in t.text]
    # a headline run into the dateline on one line: "Somalia expels Kenyan envoy MOGADISHU (AFP) - ..."
    starts += [t.i for t in doc[1:SEARCH_TOKENS] if t.is_upper and t.is_alpha and len(t) > 2
               and not doc[t.i - 1].is_upper]
    for start in starts:
        found = _dateline_at(doc, start)
        if found is not None:
            return found
    return None


def _dateline_at(doc: Doc, start: int) -> Dateline | None:
    if start >= len(doc) or not (doc[start].is_upper and doc[start].is_alpha):
        return None
    place: list[str] = []
    in_place = True
    depth = 0
    for token in doc[start:start + MAX_DATELINE_TOKENS]:
        text = token.text
        if depth:
            depth += text == "("
            depth -= text == ")"
            continue
        if text == "(":
            depth = 1
            in_place = False
            continue
        if text in DASHES and place and doc[token.i - 1].whitespace_:  # "PORT-AU-PRINCE -": spaced dash only
            return Dateline(start, token.i + 1, tuple(place))
        if in_place and (token.is_upper or text in {"-", "'", "."}) and not token.is_space:
            place.append(text)
            continue
        if text == ",":
            in_place = False
            continue
        if token.is_title or token.like_num or token.is_space:  # ", Nigeria", ", March 5"
            if token.is_title and place:
                place.append(text)
            in_place = False
            continue
        return None
    return None
