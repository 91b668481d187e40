"""spaCy pipeline component: ``nlp.add_pipe("dotterel")`` puts event records on ``doc._.events``.

This module is imported by spaCy's entry-point registry whenever any pipeline is created, so it must
stay cheap to import: the coder is imported inside the factory.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)
if not Doc.has_extension("pub_date"):
    Doc.set_extension("pub_date", default=None)
if not Doc.has_extension("doc_id"):
    Doc.set_extension("doc_id", default=None)
if not Doc.has_extension("learned"):
    Doc.set_extension("learned", default=None)
if not Doc.has_extension("dotterel_error"):
    Doc.set_extension("dotterel_error", default=None)


class DotterelComponent:
    """Codes each Doc with the same engine as :class:`dotterel.Coder` (no second parse). ``Coder`` also runs it
    inside parser worker processes, so that coding scales with them.

    ``records_only=True`` returns an empty Doc that carries only the records (``doc._.events``, ``._.learned``,
    ``._.doc_id``, ``._.dotterel_error``). spaCy's worker processes serialise every returned Doc and the main
    process deserialises it; for a caller that only wants the records, that round trip of the parsed Doc
    (~140 kB per news article) is pure cost in both processes."""

    def __init__(self, nlp: Language, name: str, records_only: bool = False) -> None:
        from dotterel.events.engine import EventEngine

        self.name = name
        self.engine = EventEngine()
        self.records_only = records_only

    def __call__(self, doc: Doc) -> Doc:
        pub = doc._.pub_date
        if isinstance(pub, str):
            pub = date.fromisoformat(pub)
        try:
            records, learned = self.engine.code_doc_with_roles(doc, doc_id=doc._.doc_id or "doc", pub_date=pub)
        except Exception as exc:  # noqa: BLE001 - in a batch, one article's failure is reported, not raised
            doc._.events, doc._.learned = [], []
            doc._.dotterel_error = f"{type(exc).__name__}: {exc}"
        else:
            doc._.events = [r.to_dict() for r in records]
            doc._.learned = [r.to_dict() for r in learned]
        # plain values only: docs coded in worker processes travel back serialised
        doc.user_data.pop("_dotterel_sent_index", None)
        if not self.records_only:
            return doc
        slim = Doc(doc.vocab, words=[])
        for key in ("events", "learned", "doc_id", "pub_date", "dotterel_error"):
            setattr(slim._, key, getattr(doc._, key))
        slim._context = doc._context  # nlp.pipe(..., as_tuples=True) pairs the context through this attribute
        return slim


def make_dotterel_component(nlp: Language, name: str, records_only: bool = False) -> Any:
    return DotterelComponent(nlp, name, records_only=records_only)


Language.factory("dotterel", default_config={"records_only": False}, func=make_dotterel_component)
