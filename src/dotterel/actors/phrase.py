"""Resolve a short actor string ("Paris railway police", "Retno Marsudi") to country, sector and source.

Why: users check and debug actor coding one string at a time (``dotterel actor``), and other tools need the
same answer the coder would give for a noun phrase. The string is parsed with the shared pipeline, its
syntactic head is resolved by the same :class:`ArticleActors` the coder uses (an optional context sentence is
read first, so its countries and people inform the default country and later surnames), and the knowledge
base is consulted for names and phrases: a user dictionary entry wins, then the role the text itself states,
then the curated base, then learned roles.

``source`` in the result: "user" (user dictionary), "curated" (curated people base), "learned" (a role learned
from earlier articles), "rule" (the lexicon and sector rules read the string itself); None when unresolved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from dotterel.actors.knowledge import KBResolution, KnowledgeBase, load_knowledge
from dotterel.actors.lexicon import ActorLexicon, CountryEntry, load_actor_lexicon
from dotterel.actors.resolve import ArticleActors, Resolution, index_sentences
from dotterel.nlp.pipeline import load_pipeline

FORMER_WORDS = {"former", "ex", "ex-", "retired", "onetime", "erstwhile"}
_NOMINAL = {"NOUN", "PROPN", "PRON"}
_FUNCTION = {"DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "PART"}
# A frame that makes the parser read a bare noun phrase as a subject ("Paris railway police said.").
_FRAME = " said."


def resolve_phrase(text: str, *, on: date | None = None, context: str | None = None, nlp: Language | None = None,
                   kb: KnowledgeBase | None = None, lexicon: ActorLexicon | None = None) -> dict[str, Any]:
    """``{"text","name","country","sector","sectors","title","source","reason"}`` for an actor string."""
    nlp = nlp if nlp is not None else load_pipeline()
    kb = kb if kb is not None else load_knowledge()
    lexicon = lexicon if lexicon is not None else load_actor_lexicon()
    text = " ".join(text.split())
    if not text:
        raise ValueError("empty actor string")

    actors = _context_actors(nlp, lexicon, kb, context, on)
    doc, head = parse_phrase(nlp, text)
    actors.masked = set()
    actors.sentences = index_sentences(doc)
    rule = actors.resolve(head) if head is not None else None
    former = any(t.lower_ in FORMER_WORDS for t in doc[:_length(doc, text)])

    user = kb.lookup_phrase(text, on)
    if user is not None:
        return _finish(text, _from_kb(user), rule, actors, former)
    name = _name_of(doc, text, rule, lexicon)
    known = kb.resolve_name(name, on) if name else None
    if known is not None and known.source == "user":
        return _finish(text, _from_kb(known), rule, actors, former)
    if rule is not None and rule.origin in {"text", "memory"} and rule.entity.country and rule.entity.sector:
        return _finish(text, _from_rule(rule), None, actors, former)
    if known is not None:
        return _finish(text, _from_kb(known), rule, actors, former)
    if rule is not None and (rule.entity.country or rule.entity.sector):
        return _finish(text, _from_rule(rule), None, actors, former)
    return {"text": text, "name": name, "country": None, "sector": None, "sectors": [], "title": None,
            "source": None, "reason": "no actor found in the string" + (f"; '{name}' is not in the knowledge base"
                                                                       if name else "")}


def parse_phrase(nlp: Language, text: str) -> tuple[Doc, Token | None]:
    """Parse ``text`` and find its syntactic head. A bare phrase is sometimes parsed as a clause ("Paris
    railway police" with "railway" as a verb); then the phrase is parsed again as the subject of "said"."""
    doc = nlp(text)
    head = _head(doc, len(doc))
    if head is not None and head.pos_ in _NOMINAL and _covers(head, doc, len(doc)):
        return doc, head
    framed = nlp(text + _FRAME)
    n = _length(framed, text)
    framed_head = _head(framed, n)
    if framed_head is not None and framed_head.pos_ in _NOMINAL:
        return framed, framed_head
    if head is not None and head.pos_ not in _NOMINAL:
        nominal = [t for t in doc if t.pos_ in _NOMINAL]
        head = max(nominal, key=lambda t: (len(list(t.subtree)), t.i)) if nominal else head
    return doc, head


def _length(doc: Doc, text: str) -> int:
    """How many tokens of ``doc`` belong to ``text`` (the rest is the frame)."""
    return sum(1 for t in doc if t.idx < len(text))


def _head(doc: Doc, n: int) -> Token | None:
    """The phrase's head: the token of the first ``n`` whose own head lies outside them (or is itself),
    the one with the largest subtree inside the phrase."""
    tops = [t for t in doc[:n] if t.head.i == t.i or t.head.i >= n]
    if not tops:
        return None
    return max(tops, key=lambda t: (sum(1 for s in t.subtree if s.i < n), t.pos_ in _NOMINAL, t.i))


def _covers(head: Token, doc: Doc, n: int) -> bool:
    inside = {t.i for t in head.subtree}
    return all(t.i in inside for t in doc[:n] if not t.is_punct)


def _context_actors(nlp: Language, lexicon: ActorLexicon, kb: KnowledgeBase, context: str | None,
                    on: date | None) -> ArticleActors:
    """An article memory primed by the context: its default country and the people it introduces."""
    if not context or not context.strip():
        return ArticleActors(lexicon, knowledge=kb, pub_date=on)
    doc = nlp(context)
    actors = ArticleActors.for_doc(lexicon, doc, knowledge=kb, pub_date=on)
    actors.sentences = index_sentences(doc)
    seen: set[int] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            actors.resolve(ent.root)
            seen.add(ent.root.i)
    for chunk in doc.noun_chunks:
        if chunk.root.i not in seen:
            actors.resolve(chunk.root)
    if actors.default_country is None:
        counts = [m.entry.code for m in lexicon.scan([t.text for t in doc]) if isinstance(m.entry, CountryEntry)]
        if counts:
            actors.default_country = max(set(counts), key=counts.count)
            actors.default_reason = "country named in the context"
    return actors


def _name_of(doc: Doc, text: str, rule: Resolution | None, lexicon: ActorLexicon) -> str | None:
    """The person name in the string: the resolver's, else a run of proper nouns the lexicon does not know
    (NER often tags an unfamiliar name as an organisation)."""
    if rule is not None and rule.kind == "person" and rule.entity.name:
        return rule.entity.name
    if rule is not None and rule.kind in {"org", "country"}:
        return None
    n = _length(doc, text)
    run: list[Token] = []
    best: list[Token] = []
    for t in [*doc[:n], None]:
        if t is not None and t.is_alpha and (t.pos_ == "PROPN" or t.is_title and t.pos_ not in _FUNCTION):
            run.append(t)
            continue
        if len(run) >= len(best) and run:
            best = run
        run = []
    if not best:
        return None
    known = {m.start for m in lexicon.scan([t.text for t in best])}
    if len(best) == 1 and known:
        return None
    return " ".join(t.text for t in best)


def _from_kb(found: KBResolution) -> dict[str, Any]:
    return {"name": found.name, "country": found.country, "sector": found.sector, "sectors": list(found.sectors),
            "title": found.title, "source": found.source, "reason": found.reason}


def _from_rule(rule: Resolution) -> dict[str, Any]:
    e = rule.entity
    source = "curated" if rule.origin == "curated" else "rule"
    return {"name": e.name, "country": e.country, "sector": e.sector, "sectors": list(e.sectors),
            "title": e.title, "source": source, "reason": rule.reason}


def _finish(text: str, out: dict[str, Any], rule: Resolution | None, actors: ArticleActors,
            former: bool) -> dict[str, Any]:
    """Fill what the knowledge base left open from the string's own reading, apply 'former', shape."""
    reasons = [out["reason"]]
    if rule is not None:
        e = rule.entity
        if out["country"] is None and e.country:
            out["country"] = e.country
            reasons.append(f"country from the string: {e.country}")
        if out["sector"] is None and e.sector:
            out["sector"], out["sectors"] = e.sector, list(e.sectors)
            reasons.append(f"sector from the string: {e.sector}")
        out["title"] = out["title"] or e.title
    if out["country"] is None and out["sector"] and actors.default_country:
        out["country"] = actors.default_country
        reasons.append(f"no country in the string; context → {actors.default_country} ({actors.default_reason})")
    if former and out["sector"] and out["sector"] != "ELI":
        out["sectors"] = ["ELI", *[s for s in out["sectors"] if s != "ELI"]]
        out["sector"] = "ELI"
        reasons.append("'former' → ELI")
    if out["sector"] and not out["sectors"]:
        out["sectors"] = [out["sector"]]
    return {"text": text, "name": out["name"], "country": out["country"], "sector": out["sector"],
            "sectors": list(out["sectors"]), "title": out["title"], "source": out["source"],
            "reason": "; ".join(r for r in reasons if r)}
