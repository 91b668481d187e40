"""Wire-story datelines ("PHNOM PENH, March 5 (Reuters) -"): where they end and which place they name.

Datelines are not part of any sentence's meaning, but the parser glues them onto the first subject
("MANILA - Japan's foreign minister" becomes one noun phrase), so the coder masks them out of mentions and
uses the place only as the article's default country.
"""

from __future__ import annotations

import re
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


# The same dateline, found in raw text before parsing: an upper-case place (optionally ", Country" or ", March 5"),
# an optional "(Agency)" and a spaced dash, at the start, after a newline, or after a headline on the same line.
_PLACE = (r"(?P<place>[A-Z][A-Z'.\-]{2,}(?: [A-Z][A-Z'.\-]+){0,4}(?:/[A-Z][A-Z'.\-]{2,}(?: [A-Z][A-Z'.\-]+){0,3}){0,2})"
          r"(?P<extra>,(?: (?:[A-Z][\w'.\-]*|of|the|and|de|du|del|la)){1,6}(?: \d{1,2})?"
          r"(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?)?")
_DATELINE_RE = re.compile(
    r"(?:^|(?<=\n))" + _PLACE + r"(?: \([^()\n]{1,40}\))? (?:-|--|—|–) "  # at the start of a line
)
_INLINE_DATELINE_RE = re.compile(
    r"(?<=[a-z0-9'\"’”.!?] )" + _PLACE + r" \([^()\n]{1,40}\) (?:-|--|—|–) "  # after a headline: agency required
)


def find_dateline_in_text(text: str, window: int = 400) -> tuple[int, int, str] | None:
    """(start, end, place words) of the dateline in the first ``window`` characters of raw text, if any."""
    head = text[:window]
    match = _DATELINE_RE.search(head) or _INLINE_DATELINE_RE.search(head)
    if match is None:
        return None
    place = match.group("place") + (match.group("extra") or "").replace(",", "")
    return match.start("place"), match.end(), place


def blank_dateline(text: str) -> tuple[str, tuple[int, int, str] | None]:
    """The text with its dateline replaced by spaces (same length: character offsets stay valid), so that the
    parser does not glue the place onto the first subject; and the dateline found. A dateline that follows a
    headline on the same line is blanked with a leading line break, so that the headline is a sentence of its own."""
    found = find_dateline_in_text(text)
    if found is None:
        return text, None
    start, end, _ = found
    # a dateline after a headline on the same line ends the headline: the blank starts with a line break
    blank = "\n" + " " * (end - start - 1) if start > 0 and text[start - 1] != "\n" else " " * (end - start)
    return text[:start] + blank + text[end:], found


def remember_dateline(doc: Doc, text: str, dateline: tuple[int, int, str] | None) -> Doc:
    """Note on a Doc parsed from blanked text where its dateline was and what it said (small enough to travel
    with Docs from worker processes)."""
    doc.user_data["dotterel_dateline"] = (*dateline, text[dateline[0]:dateline[1]]) if dateline else None
    return doc


def source_text(doc: Doc, start: int, end: int) -> str:
    """Characters ``start:end`` of the text as the user gave it (the dateline put back)."""
    span = doc.char_span(start, end, alignment_mode="expand")  # never doc.text: it is rebuilt on every call
    text = "" if span is None else span.text_with_ws[start - span.start_char:end - span.start_char]
    dateline = doc.user_data.get("dotterel_dateline")
    if dateline and start < dateline[1] and end > dateline[0]:
        d_start, d_end, original = dateline[0], dateline[1], dateline[3]
        lo, hi = max(start, d_start), min(end, d_end)
        text = text[: lo - start] + original[lo - d_start: hi - d_start] + text[hi - start:]
    return text
