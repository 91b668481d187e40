"""Sending an article's context (id, publication date) to parser worker processes with its text.

spaCy's worker processes receive texts and return Docs; the context of ``nlp.pipe(..., as_tuples=True)`` stays
in the main process, out of reach of a pipeline component. The coder therefore prefixes each text with a short
header that this tokenizer wrapper reads and removes before tokenizing (so character offsets are those of the
article text), also blanking the dateline. Texts are cheaper to send to workers than pre-tokenized Docs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from spacy.tokens import Doc

from dotterel.nlp.dateline import blank_dateline, remember_dateline

HEADER_START = "\x02dotterel-context\x1f"
HEADER_END = "\x03"


def with_context(text: str, doc_id: str, pub_date: date | None) -> str:
    header = json.dumps({"id": doc_id, "date": pub_date.isoformat() if pub_date else None})
    return f"{HEADER_START}{header}{HEADER_END}{text}"


class ArticleTokenizer:
    """Wraps a pipeline's tokenizer: reads the context header, blanks the dateline, tokenizes the article."""

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        meta = None
        if text.startswith(HEADER_START):
            end = text.index(HEADER_END)
            meta = json.loads(text[len(HEADER_START):end])
            text = text[end + 1:]
        blanked, dateline = blank_dateline(text)
        doc = remember_dateline(self.tokenizer(blanked), text, dateline)
        if meta is not None:
            doc._.doc_id = meta["id"]
            doc._.pub_date = meta["date"]
        return doc

    # spaCy copies and pickles tokenizers in some code paths; delegate what it asks of the wrapped one
    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.tokenizer, name)
