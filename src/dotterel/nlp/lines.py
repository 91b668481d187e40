"""Line breaks as sentence boundaries, set before the parser runs.

News text arrives with its headline and paragraphs on lines of their own ("Zambia deports Chinese mine boss\n
LUSAKA (Reuters) - Zambia deported ..."). The small parser often glues a headline to the first sentence, which
joins actors of one to the trigger of the other. A blank line always ends a sentence; a single line break ends
one too, unless the text is hard-wrapped (most of its lines stop mid-sentence), where a break is only layout.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "dotterel_line_breaks"
# A line that ends with one of these closes a sentence; a headline or a wrapped line usually does not.
_SENTENCE_END = (".", "!", "?", '"', "'", "”", "’", ")", ":", ";")
# Above this share of lines ending mid-sentence, the text is taken as hard-wrapped.
_WRAPPED_SHARE = 0.5
# Words after a forced line start in which the parser may not start another sentence.
_GUARD_TOKENS = 3


def hard_wrapped(text: str) -> bool:
    """True when most non-empty lines (the last excepted) stop mid-sentence: the breaks are layout."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 4:
        return False
    open_lines = sum(1 for line in lines[:-1] if not line.endswith(_SENTENCE_END))
    return open_lines / (len(lines) - 1) > _WRAPPED_SHARE


@Language.component(COMPONENT)
def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (after blank lines only, in hard-wrapped text)."""
    if "\n" not in doc.text:
        return doc
    paragraphs_only = hard_wrapped(doc.text)
    for token in doc[:-1]:
        if "\n" not in token.text and "\n" not in token.whitespace_:
            continue
        breaks = token.text.count("\n") + token.whitespace_.count("\n")
        if paragraphs_only and breaks < 2 and not (token.is_space and token.text.count("\n") >= 2):
            continue
        following = doc[token.i + 1]
        if following.is_space:
            continue
        following.is_sent_start = True
        # the small parser, made to start a sentence after a headline, tends to cut again right after it
        # ("Malawi | and | Mozambique signed ..."): no sentence starts in the next few words of the line
        for nxt in doc[token.i + 2: token.i + 2 + _GUARD_TOKENS]:
            if nxt.is_space or "\n" in nxt.text or nxt.is_sent_start:
                break
            nxt.is_sent_start = False
            if nxt.text in {".", "!", "?"}:
                break
    return doc


def add_line_breaks(nlp: Language) -> None:
    """Insert the component before the parser (idempotent)."""
    if COMPONENT not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
