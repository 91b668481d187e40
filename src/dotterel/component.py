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


class DotterelComponent:
    """Codes each Doc with the same engine as :class:`dotterel.Coder` (no second parse)."""

    def __init__(self, nlp: Language, name: str) -> None:
        from dotterel.events.engine import EventEngine

        self.name = name
        self.engine = EventEngine()

    def __call__(self, doc: Doc) -> Doc:
        pub = doc._.pub_date
        if isinstance(pub, str):
            pub = date.fromisoformat(pub)
        records = self.engine.code_doc(doc, doc_id=doc._.doc_id or "doc", pub_date=pub)
        doc._.events = [r.to_dict() for r in records]
        return doc


def make_dotterel_component(nlp: Language, name: str) -> Any:
    return DotterelComponent(nlp, name)


Language.factory("dotterel", func=make_dotterel_component)
