"""Frames → event records: trigger lexicon lookup, modality, actor/recipient assignment, date and place.

The engine reads a parsed ``Doc`` and nothing else, so it can run inside a spaCy pipeline (the component) or
after ``nlp.pipe`` (the Coder). Every decision leaves its reason in ``EventRecord.reasons``.
"""

from __future__ import annotations

import bisect
import copy
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from dotterel.actors.knowledge import KnowledgeBase, load_knowledge
from dotterel.actors.lexicon import ActorLexicon, CountryEntry, load_actor_lexicon
from dotterel.actors.places import load_gazetteer
from dotterel.actors.resolve import ArticleActors, Resolution, index_sentences
from dotterel.clauses.frames import Frame, _verb_subjects, conjuncts, iter_frames, singular_forms
from dotterel.events.dates import resolve_date
from dotterel.events.lexicon import Ontology, TriggerEntry, TriggerLexicon, load_ontology, load_triggers
from dotterel.events.words import load_engine_words
from dotterel.nlp.dateline import source_text
from dotterel.records import Attribution, Entity, EventRecord, Evidence, LearnedRole, Location

# Word lists: data/lexicon/engine_words.yaml (what each is for is commented there).
_WORDS = load_engine_words()
ORDERING_VERBS = _WORDS["ordering_verbs"]
ANSWERING_VERBS = _WORDS["answering_verbs"]
REQUESTING_VERBS = _WORDS["requesting_verbs"]
CIVILIAN_PLACES = _WORDS["civilian_places"]
MILITARY_PLACES = _WORDS["military_places"]
CARRIER_NOUNS = _WORDS["carrier_nouns"]
MISSILE_WORDS = _WORDS["missile_words"]
NATURAL_FORCES = _WORDS["natural_forces"]
FACING_PREPS = _WORDS["facing_preps"]
BORDER_NOUNS = _WORDS["border_nouns"]
OUTBREAK_VERBS = _WORDS["outbreak_verbs"]
HELP_VERBS = _WORDS["help_verbs"]
AGREED_ACT_PREPS = _WORDS["agreed_act_preps"]
NOT_RECIPIENT_PREPS = _WORDS["not_recipient_preps"]
REPLY_VERBS = _WORDS["reply_verbs"]
AUDIENCE_WORDS = _WORDS["audience_words"]
SPORTS_CUES = _WORDS["sports_cues"]
CROWD_WORDS = _WORDS["crowd_words"]
PERFORMING_VERBS = _WORDS["performing_verbs"]
REFERENCE_DETERMINERS = _WORDS["reference_determiners"]
IMPRISON_VERBS = _WORDS["imprison_verbs"]
WARNING_VERBS = _WORDS["warning_verbs"]
RECIPROCAL_CUES = _WORDS["reciprocal_cues"]
PROTEST_VERBS = _WORDS["protest_verbs"]
EVENT_REFERENCES = _WORDS.references

# Future or promised cooperation is coded AGREE with the matching CAMEO 03x code.
FUTURE_COOPERATION_CAMEO = {"CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033", "AGREE": None}
# An announced concession is CONCEDE (PLOVER: "an announced withdrawal is CONCEDE; a carried-out one is RETREAT").
FUTURE_CONCESSION_CAMEO = {"RETREAT": "080", "CONCEDE": None}
# Without a named target, these types by non-state domestic actors are aimed at their own government
# ("teachers staged a strike", "the opposition called for early elections").
IMPLICIT_GOVERNMENT_TARGET = {"PROTEST", "REQUEST"}
# Repression that falls on the public when no target is named (curfews, blackouts, martial law).
PUBLIC_TARGET_MODES = {"curfew", "censor", "martial-law"}
STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "SPY", "LEG"}
DIPLOMATIC_TYPES = {"CONSULT", "SUPPORT", "AGREE", "REQUEST", "REJECT", "CONCEDE", "THREATEN"}
# Verbal event types: as a bare noun with no addressee they are mentions, not news ("Moscow's demands").
VERBAL_TYPES = {"REQUEST", "ACCUSE", "REJECT", "AGREE", "SUPPORT", "THREATEN"}
# Sectors that fight or police rather than protest.
ARMED_SECTORS = {"MIL", "COP", "UAF", "REB", "CRM", "SPY"}
# Types whose recipient a purpose clause may name ("a loan to help Morocco rebuild").
HELPING_TYPES = {"AID", "SUPPORT", "COOPERATE"}
# Codes that stand for no state: international and non-governmental bodies have no government or population.
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO"})
NON_STATE_SECTORS = {"CVL", "OPP", "PTY", "LAB", "EDU", "MED", "JRN", "REL", "BUS", "REF", "NGO"}
SYMMETRIC_TYPES = {"CONSULT", "AGREE", "COOPERATE", "ASSAULT"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


@dataclass(slots=True)
class _Typed:
    event: str
    mode: str | None
    cameo: str
    note: str


class EventEngine:
    """Codes parsed documents. Construct once; ``code_doc`` is stateless across documents."""

    def __init__(self, triggers: TriggerLexicon | None = None, ontology: Ontology | None = None,
                 actor_lexicon: ActorLexicon | None = None, knowledge: KnowledgeBase | None = None) -> None:
        self.ontology = ontology or load_ontology()
        self.triggers = triggers or load_triggers(ontology=self.ontology)
        self.actor_lexicon = actor_lexicon or load_actor_lexicon()
        self.knowledge = knowledge if knowledge is not None else load_knowledge()
        self.gazetteer = load_gazetteer()
        self.evaluations = load_evaluations()
        self.verb_lemmas = frozenset(self.triggers.lemmas("verb"))
        self.noun_lemmas = frozenset(self.triggers.lemmas("noun"))

    # ------------------------------------------------------------------ documents
    def code_doc(self, doc: Doc, doc_id: str, pub_date: date | None = None) -> list[EventRecord]:
        return self.code_doc_with_roles(doc, doc_id, pub_date)[0]

    def code_doc_with_roles(self, doc: Doc, doc_id: str, pub_date: date | None = None
                            ) -> tuple[list[EventRecord], list[LearnedRole]]:
        """Events of the document, and the people's roles the document itself states (for the knowledge store)."""
        sentences = index_sentences(doc)
        self._ents = _entities_by_sentence(doc, sentences)  # Span.ents re-reads the whole Doc on every call
        self._sports_cache: dict[int, bool] = {}
        actors = ArticleActors.for_doc(self.actor_lexicon, doc, knowledge=self.knowledge, pub_date=pub_date)
        actors.sentences = sentences
        records: list[EventRecord] = []
        self._article_events = records  # earlier events, for nouns that refer back to them ("the call")
        for index, sentence in enumerate(sentences):
            self._learn_people(sentence, actors)
            sentence_records: list[tuple[EventRecord, int]] = []  # with the trigger that produced each
            consumed: set[int] = set()
            extra_verbs = self.evaluations["verbs"] | self.evaluations["arrival_verbs"]
            frames = sorted(iter_frames(sentence, self.verb_lemmas | extra_verbs, self.noun_lemmas),
                            key=lambda f: (f.pos != "verb", f.trigger.i))
            for frame in frames:
                if frame.trigger.i in consumed:
                    continue
                # the most specific entry whose constraints hold and whose arguments are found wins;
                # "workers struck" falls through from ASSAULT (needs a recipient) to PROTEST
                special = (self._evaluation if frame.trigger.lemma_.lower() in self.evaluations["verbs"]
                           else self._delivery if frame.trigger.lemma_.lower() in self.evaluations["arrival_verbs"]
                           else None)
                if frame.pos == "verb" and special is not None:
                    record = special(frame, index, actors, doc_id, pub_date)
                    if record is not None:
                        sentence_records.extend((r, frame.trigger.i) for r in _split_dyads(record))
                        continue
                for entry, matched in self._matches(frame):
                    record = self._code_frame(frame, entry, matched, index, actors, doc_id, pub_date)
                    if record is not None:
                        consumed.update(t.i for t in matched)
                        sentence_records.extend((r, frame.trigger.i) for r in _split_dyads(record))
                        for extra in self._secondary(record, frame):
                            sentence_records.extend((r, -frame.trigger.i - 1) for r in _split_dyads(extra))
                        break
            records.extend(_dedupe(sentence_records))
        records[:] = _dedupe_article(records)
        for n, record in enumerate(records):
            record.id = f"{doc_id}-{n}"
        pub = pub_date.isoformat() if pub_date else None
        roles = [LearnedRole(name=e.name or e.text, title=e.title, country=e.country, sector=e.sector,
                             sectors=list(e.sectors), doc_id=doc_id, pub_date=pub, sentence=sentence)
                 for e, sentence in actors.learned]
        return records, roles

    def _learn_people(self, sentence: Span, actors: ArticleActors) -> None:
        """Read every person mention once so later sentences can refer back by surname or title."""
        for ent in self._ents.get(sentence.start, ()):
            if ent.label_ == "PERSON":
                actors.resolve(ent.root)

    def _sports(self, sentence: Span) -> bool:
        """Sports-report test, once per sentence."""
        if sentence.start not in self._sports_cache:
            self._sports_cache[sentence.start] = _sports_context(sentence)
        return self._sports_cache[sentence.start]

    def _evaluation(self, frame: Frame, index: int, actors: ArticleActors, doc_id: str, pub_date: date | None
                    ) -> EventRecord | None:
        """"Minsk called the decision 'a crude provocation'", "hailed the deal as historic": an evaluative
        complement makes the verb an accusation (negative) or praise (positive) of its object."""
        verb = frame.trigger
        complement = [c for c in verb.children if c.dep_ in {"oprd", "xcomp", "acomp"}
                      or (c.dep_ == "prep" and c.lower_ == "as")]
        if not complement or not frame.objects:
            return None
        words = {t.lemma_.lower() for c in complement for t in c.subtree} | {
            t.lower_ for c in complement for t in c.subtree}
        negative, positive = words & self.evaluations["negative"], words & self.evaluations["positive"]
        if verb.lemma_.lower() in self.evaluations["always_negative"]:
            negative, positive = negative or {verb.lemma_.lower()}, set()
        if not negative and not positive or frame.modality.status != "fact":
            return None
        event, cameo_code, cue = ("ACCUSE", "111", sorted(negative)[0]) if negative else ("SUPPORT", "051",
                                                                                         sorted(positive)[0])
        entry = TriggerEntry(id=f"evaluation.{verb.lemma_.lower()}.{event.lower()}", pos="verb",
                             lemma=verb.lemma_.lower(), event=event, mode="disapprove" if event == "ACCUSE" else None,
                             cameo=cameo_code, context=(), particle=None, objects=(), xcomps=(),
                             recipient=("dobj",), actor=("nsubj",), requires_recipient=True,
                             source=f"evaluations.yaml ('{cue}')")
        return self._code_frame(frame, entry, [], index, actors, doc_id, pub_date)

    def _delivery(self, frame: Frame, index: int, actors: ArticleActors, doc_id: str, pub_date: date | None
                  ) -> EventRecord | None:
        """"A Qatari plane carrying 40 tonnes of medical supplies landed in Beirut": an arrival carrying aid
        goods is AID from the carrier's country to the country where it lands."""
        carried = [t for t in frame.trigger.subtree if t.lemma_.lower() in {"carry", "bring", "deliver", "transport",
                                                                             "load", "laden", "pack"}]
        goods = {t.lemma_.lower() for c in carried for t in c.subtree} & self.evaluations["aid_goods"]
        place = self._place(frame, actors)
        if not goods or place is None or not place.country:
            return None
        entry = TriggerEntry(id=f"aid.delivery.{frame.trigger.lemma_.lower()}", pos="verb",
                             lemma=frame.trigger.lemma_.lower(), event="AID", mode=None, cameo="070", context=(),
                             particle=None, objects=(), xcomps=(), recipient=(), actor=("nsubj",),
                             requires_recipient=False, source=f"evaluations.yaml (aid goods: {sorted(goods)[0]})")
        record = self._code_frame(frame, entry, [], index, actors, doc_id, pub_date)
        if record is None or record.recipient or any(e.country == place.country for e in record.actor):
            return record
        record.recipient = [Entity(text=place.text, name=place.name, country=place.country, sector="GOV",
                                   sectors=["GOV"])]
        record.reasons["recipient"] = f"the country where the aid arrives: '{place.text}' → {place.country}"
        return record

    def _secondary(self, record: EventRecord, frame: Frame) -> list[EventRecord]:
        """Events that PLOVER reads into the same words: a prison sentence is SANCTION (convict) and also
        COERCE (arrest)."""
        if record.event == "SANCTION" and record.mode == "convict" and (
            frame.trigger.lemma_.lower() in IMPRISON_VERBS
            or any(t.lower_ in {"prison", "jail", "gaol", "imprisonment", "detention"} for t in frame.trigger.subtree)
        ):
            cameo = self.ontology.cameo_code("173")
            extra = copy.copy(record)
            extra.event, extra.mode, extra.cameo = "COERCE", "arrest", cameo.code
            extra.quad, extra.goldstein = self.ontology.types["COERCE"].quad, cameo.goldstein
            extra.reasons = {**record.reasons, "event": record.reasons["event"]
                             + "; a prison sentence is also COERCE (arrest) (PLOVER coding rule)"}
            return [extra]
        return []

    # ------------------------------------------------------------------ typing
    def _matches(self, frame: Frame) -> Iterator[tuple[TriggerEntry, list[Token]]]:
        """Lexicon entries whose particle, object and complement constraints hold, most specific first."""
        lemma = frame.trigger.lemma_.lower()
        candidates = self.triggers.candidates(frame.pos, lemma)
        if not candidates and frame.pos == "noun":
            candidates = self.triggers.candidates("noun", frame.trigger.lower_)
        for stem in singular_forms(frame.trigger.lower_) if not candidates and frame.pos == "noun" else ():
            candidates = candidates or self.triggers.candidates("noun", stem)
        for entry in candidates:
            matched: list[Token] = []
            if entry.particle and entry.particle not in frame.particles:
                continue
            if entry.objects:
                pool = frame.objects if frame.pos == "verb" else frame.preps.get("of", []) + frame.modifiers
                hits = [t for t in pool if t.lemma_.lower() in entry.objects or t.lower_ in entry.objects
                        or (t.lemma_.lower() in CARRIER_NOUNS and any(
                            c.dep_ == "compound" and c.lemma_.lower() in entry.objects for c in t.children))]
                if not hits:
                    continue
                matched.extend(hits)
            if entry.xcomps:
                if frame.xcomp is None or frame.xcomp.lemma_.lower() not in entry.xcomps:
                    continue
                matched.append(frame.xcomp)
            yield entry, matched

    def _type(self, frame: Frame, entry: TriggerEntry) -> _Typed | None:
        status = frame.modality.status
        cue = frame.modality.cue
        if frame.pos == "verb" and _is_test_launch(frame.trigger) and status == "fact":
            # "test-fired a ballistic missile": a show of force, not an attack
            return _Typed("MOBILIZE", "weapons", "150", f"'test-{frame.trigger.text}' → weapons test (MOBILIZE)")
        event_quad = self.ontology.types[entry.event].quad
        if status == "fact":
            return _Typed(entry.event, entry.mode, entry.cameo, f"lexicon {entry.id} ({entry.source})")
        if status in {"future", "commissive"}:
            if entry.event in FUTURE_CONCESSION_CAMEO:
                cameo = FUTURE_CONCESSION_CAMEO[entry.event] or entry.cameo
                return _Typed("CONCEDE", None, cameo, f"lexicon {entry.id} ({entry.source}); {status} "
                              f"'{cue}' → announced concession (CONCEDE)")
            if entry.event in FUTURE_COOPERATION_CAMEO:
                cameo = FUTURE_COOPERATION_CAMEO[entry.event] or entry.cameo
                return _Typed("AGREE", None, cameo, f"lexicon {entry.id} ({entry.source}); {status} "
                              f"'{cue}' → intent to cooperate (AGREE)")
            if event_quad == 4 or entry.event == "THREATEN":
                return _Typed("THREATEN", None, "130" if entry.event != "THREATEN" else entry.cameo,
                              f"lexicon {entry.id} ({entry.source}); {status} '{cue}' → threat (THREATEN)")
            if event_quad == 3 and _has_condition(frame.trigger):
                # "his country would block Sweden's bid unless Stockholm cracks down": a conditional warning
                return _Typed("THREATEN", None, "130", f"lexicon {entry.id} ({entry.source}); {status} '{cue}' "
                              "with a condition → threat (THREATEN)")
            return None
        if status == "hypothetical" and event_quad == 4 and entry.event != "PROTEST" and _under_warning(frame.trigger):
            # "warned that it could expel the ambassador": the warning is the event
            return _Typed("THREATEN", None, "130", f"lexicon {entry.id} ({entry.source}); '{cue}' inside a warning "
                          "→ threat (THREATEN)")
        if status in {"future", "hypothetical"} and event_quad in {3, 4} and _has_condition(frame.trigger):
            # "would block Sweden's bid unless Stockholm cracks down": a conditional warning
            return _Typed("THREATEN", None, "130", f"lexicon {entry.id} ({entry.source}); '{cue}' with a "
                          "condition → threat (THREATEN)")
        if status == "conditioned" and (event_quad == 4 or entry.event == "THREATEN"):
            return _Typed("THREATEN", None, "130" if entry.event != "THREATEN" else entry.cameo,
                          f"lexicon {entry.id} ({entry.source}); conditional '{cue}' → threat (THREATEN)")
        return None

    # ------------------------------------------------------------------ one frame → one record
    def _code_frame(self, frame: Frame, entry: TriggerEntry, matched: list[Token], sentence_index: int,
                    actors: ArticleActors, doc_id: str, pub_date: date | None) -> EventRecord | None:
        typed = self._type(frame, entry)
        if typed is None:
            return None
        if typed.event == "REQUEST" and _protest_purpose(frame.trigger, self.triggers):
            return None  # "students marched to demand free tuition": the demand is the march's purpose
        if typed.event in {"ASSAULT", "COERCE"} and frame.pos == "verb" and any(
            c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            for c in frame.trigger.children
        ):
            return None  # "shot back that ...", "hit out that ...": a retort, not violence
        if typed.event in SPORTS_SENSITIVE and self._sports(frame.sentence):
            return None  # "Morocco beat Portugal 1-0": a match, not an assault
        if typed.mode == "visit" and frame.passive and "nsubj" in entry.actor:
            return None  # "supplies were flown to Derna": cargo travels, nobody visits
        if frame.pos == "noun" and _answered_reference(frame):
            return None  # "called the U.S. threat a mistake": the threat is what is answered, not news
        if frame.pos == "noun" and _requested(frame):
            return None  # "marched to demand the resignation of the president": asked for, not done
        if typed.event == "REQUEST" and frame.pos == "verb" and frame.trigger.lemma_.lower() in ORDERING_VERBS \
                and any(o.lemma_.lower() in self.noun_lemmas for o in frame.objects):
            return None  # "ordered the release of detainees": the order performs the release, coded from the noun
        place = self._place(frame, actors)
        place_country = place.country if place else None

        attribution: Attribution | None = None
        speaker: Entity | None = None
        if frame.speech_verb is not None and frame.speakers:
            resolved = actors.resolve(frame.speakers[0], place_country=place_country)
            if resolved is not None:
                speaker = resolved.entity
                attribution = Attribution(speaker=speaker, cue=frame.speech_verb.text)

        excluded = {t.i for t in matched}
        actor_res, actor_slot = self._fill(frame, entry.actor, actors, speaker, place_country, excluded)
        if not actor_res and frame.pos == "noun" and frame.preps.get("between"):
            # "a meeting between the Bolivian and Peruvian foreign ministers", "clashes between X and Y"
            actor_res, actor_slot = self._fill(frame, ("prep:between",), actors, speaker, place_country, excluded)
        if not actor_res and frame.passive and frame.pos == "verb" and typed.event in IMPLICIT_AGENT_SECTOR:
            actor_res, actor_slot = self._implicit_agent(frame, typed, actors, attribution, place_country)
        if not actor_res and frame.pos == "verb" and typed.event in VERBAL_TYPES and frame.trigger.dep_ == "conj" \
                and speaker is not None and speaker.country:
            # "the military said the drills were a rehearsal and warned Washington ...": the parser hangs the
            # second verb on the reported clause; its subject is the speaker's
            actor_res = [Resolution(_copy_entity(speaker), f"coordinated with the speech verb: the speaker "
                                    f"'{speaker.text}'", 0.6)]
            actor_slot = "speaker of the coordinated verb"
        if not actor_res and frame.pos == "noun" and typed.event in SYMMETRIC_TYPES - {"ASSAULT"} \
                and speaker is not None and speaker.country and frame.preps.get("with") \
                and frame.trigger.dep_ in {"nsubj", "nsubjpass"}:
            # "Egypt said negotiations with Ethiopia had ended": the speaker is a party to its own talks
            actor_res = [Resolution(_copy_entity(speaker), f"the speaker '{speaker.text}' is a party to the "
                                    f"{frame.trigger.text} it reports", 0.6)]
            actor_slot = "speaker as party"
        if not actor_res and typed.event == "PROTEST" and frame.pos == "noun" and frame.governor is not None \
                and frame.governor.lemma_.lower() in OUTBREAK_VERBS and frame.trigger.dep_ in {"nsubj", "nsubjpass"}:
            # "riots broke out in Dakar", "protests erupted across Iran": the crowd is the place's civilians
            country = place_country or actors.default_country
            if country:
                actor_res = [_implicit("protesters", country, "CVL",
                                       f"'{frame.trigger.text} {frame.governor.text}' with no named crowd: the "
                                       f"civilians of {country} (place or article country)", 0.5)]
                actor_slot = "implicit crowd"
        if not actor_res:
            return None
        if any(_natural_force(frame.sentence.doc[r.head]) for r in actor_res if r.head >= 0):
            return None  # "Cyclone Gabrielle cut power to 225,000 homes": nature is not a political actor
        if all(r.kind == "named" and not r.entity.sector for r in actor_res):
            return None  # "the India Meteorological Department warned residents": a body of unknown kind
        if typed.event == "PROTEST" and all(r.entity.sector in ARMED_SECTORS for r in actor_res):
            return None  # "warplanes struck towns", "gunmen marched the children into the bush": not a protest
        if typed.mode == "visit" and "dobj" in entry.actor and all(
                r.entity.sector in {"CVL", "REF", "CRM", "UAF"} for r in actor_res):
            return None  # "Ukraine received 230 people in a prisoner swap": not a visit
        if typed.event == "PROTEST" and frame.trigger.lemma_.lower() == "protest" and all(
                set(r.entity.sectors or [r.entity.sector]) <= {"GOV", "IGO"} for r in actor_res):
            # "Algeria summoned the ambassador to protest against ...": a state's protest is diplomatic
            cameo = self.ontology.cameo_code("114")
            typed = _Typed("ACCUSE", "disapprove", cameo.code, typed.note + "; a state's protest is diplomatic "
                           "→ ACCUSE (PLOVER coding rule)")
        excluded.update(_head_ids(actor_res))
        recipient_res, recipient_slot = self._fill(frame, entry.recipient, actors, speaker, place_country, excluded)
        symmetric_split = False
        symmetric = (typed.event in SYMMETRIC_TYPES or frame.trigger.lemma_.lower() in {"exchange", "swap", "trade"}
                     or actor_slot == "prep:between" or _reciprocal(frame.sentence))
        if not recipient_res and symmetric and len({(r.entity.country, r.entity.sector) for r in actor_res}) > 1:
            # "Armenian and Azerbaijani forces exchanged fire", "Egypt and Sudan signed an agreement"
            actor_res, recipient_res = actor_res[:1], actor_res[1:]
            recipient_slot = "coordinated subjects (symmetric event)"
            symmetric_split = True
        if not recipient_res:
            # "rejected opposition demands", "vetoed a UN Security Council resolution": the recipient qualifies
            # the object noun that the trigger entry consumed
            for token in matched:
                if token.pos_ in {"NOUN", "PROPN"} and token.i not in _head_ids(actor_res):
                    r = actors.resolve(token, speaker=speaker, place_country=None)
                    # a domestic target may take the article's country ("banned the party"), but the troops
                    # a state deploys are its own instrument, not the recipient
                    if r is not None and r.entity.country and not (r.inferred_country and typed.event == "MOBILIZE"):
                        r.head = token.i
                        recipient_res.append(r)
                        recipient_slot = f"modifiers of the object '{token.text}'"
        if not recipient_res and frame.pos == "verb":
            referenced = _referenced_event(frame, matched, self._article_events)
            if referenced is not None:
                record, noun = referenced
                for ent in record.actor:
                    if ent.country and (ent.country, ent.sector) not in {(a.entity.country, a.entity.sector)
                                                                         for a in actor_res}:
                        why = (f"'{noun.text}' refers back to the {record.event} in sentence "
                               f"{record.evidence.sentence_index} by {ent.name or ent.text}")
                        recipient_res.append(Resolution(_copy_entity(ent), why, 0.6))
                if recipient_res:
                    recipient_slot = f"the earlier event that '{noun.text}' refers to"
        if not recipient_res and frame.pos == "noun" and frame.governor is not None \
                and frame.governor.lemma_.lower() in REPLY_VERBS:
            # "the Taliban rebuffed a UN demand": who answers the demand is whom it was made to
            subjects, passive = _verb_subjects(frame.governor)
            recipient_res = self._parties(subjects if not passive else [], actors, actor_res, speaker, place_country)
            if recipient_res:
                recipient_slot = f"subject of '{frame.governor.text}' answering the {frame.trigger.text}"
        if not recipient_res and frame.passive and frame.pos == "verb":
            # "Ghana was promised $300 million by the World Bank": the passive subject receives
            recipient_res = self._parties(frame.objects, actors, actor_res, speaker, place_country,
                                          skip=excluded | _head_ids(actor_res))
            if recipient_res:
                recipient_slot = "passive subject"
        if not recipient_res and typed.event == "THREATEN":
            # "threatened to strike unless the government pays": the condition names whom the threat is aimed at
            for clause in (c for c in frame.trigger.subtree if c.dep_ == "advcl"
                           and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in c.children)):
                recipient_res = self._parties(_clause_subjects(clause), actors, actor_res, speaker, place_country)
                if recipient_res:
                    recipient_slot = f"subject of the condition '{clause.text}'"
                    break
        if not recipient_res and typed.event == "THREATEN" and frame.xcomp is not None:
            # "threatened to strip the citizenship of Catholic priests": the threatened act's target
            recipient_res = self._parties(_act_targets(frame.xcomp), actors, actor_res, speaker, place_country)
            if recipient_res:
                recipient_slot = f"target of the threatened act '{frame.xcomp.text}'"
        if not recipient_res and typed.event == "MOBILIZE":
            # "massed troops near Ukraine's borders", "moved launchers to its border with Guyana", "sent warships
            # toward Taiwan": the country whose border, coast or territory the build-up faces
            recipient_res = self._parties(_faced_places(frame), actors, actor_res, speaker, None)[:1]
            if recipient_res:
                recipient_slot = "the country the deployment faces"
        act = _infinitive_complement(frame) if typed.event in {"AGREE", "CONCEDE"} else None
        if not recipient_res and act is not None:
            # "offered to reopen pay talks with junior doctors", "agreed to let the UN watchdog reinstall cameras"
            recipient_res = self._parties(_act_targets(act, AGREED_ACT_PREPS), actors, actor_res, speaker,
                                          place_country)
            if recipient_res:
                recipient_slot = f"party to the promised act '{act.text}'"
        if not recipient_res and typed.event == "ASSAULT":
            # "warplanes struck towns across southern Lebanon", "missiles hit residential districts of Kharkiv":
            # the people (or the forces) of the places attacked
            recipient_res = self._struck_places(frame, actors, actor_res, place)
            if recipient_res:
                recipient_slot = "the places attacked"
        if not recipient_res and typed.event in HELPING_TYPES:
            # "approved a $300 million loan to help Morocco rebuild": the purpose clause names who is helped
            recipient_res = self._parties(_helped(frame), actors, actor_res, speaker, place_country)
            if recipient_res:
                recipient_slot = "the party that the purpose clause helps"
        donors = {a.entity.country for a in actor_res}
        if typed.event == "AID" and recipient_res and all(
                r.inferred_country and r.entity.country in donors for r in recipient_res):
            # "Saudi Arabia sent aid trucks into the rebel-held northwest": the receiver's country was only guessed
            # as the donor's own; the place or the article's country is the better guess
            country = place_country or actors.default_country
            if country and country not in donors:
                for r in recipient_res:
                    r.entity.country = country
                    r.reason += f"; aid does not go to the donor's own country → {country} (place or article country)"
        if not recipient_res and typed.event == "AID":
            # "Saudi Arabia sent its first aid trucks into the rebel-held northwest" (DAMASCUS dateline): aid with
            # no named receiver goes to the people of the place, else of the article's country, if foreign
            country = place_country or actors.default_country
            if country and country not in donors | NON_STATE_CODES:
                recipient_res = [_implicit("population", country, "CVL", f"aid with no named receiver: the people "
                                           f"of {country} (place or article country)", 0.4)]
                recipient_slot = "implicit receiver"
        if not recipient_res and typed.event in {"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SUPPORT"}:
            # "demanded that the government raise salaries": the complement's subject is addressed
            for clause in (c for c in frame.trigger.children if c.dep_ == "ccomp"):
                found = self._parties(_clause_subjects(clause), actors, actor_res, speaker, place_country,
                                      other_group=True)
                if found:
                    recipient_res.extend(found)
                    recipient_slot = f"subject of the complement clause '{clause.text}'"
        if not recipient_res and typed.event not in IMPLICIT_GOVERNMENT_TARGET:
            nearest = self._nearest_other_actor(frame, actors, actor_res, excluded | _head_ids(actor_res), speaker)
            if nearest is not None:
                recipient_res, recipient_slot = [nearest], "nearest other actor in the clause"
        if not recipient_res and len(actor_res) > 1 and typed.event in SYMMETRIC_TYPES:
            actor_res, recipient_res = actor_res[:1], actor_res[1:]
            recipient_slot = "coordinated subjects (symmetric event)"
            symmetric_split = True
        actor_res = [r for r in actor_res if r.entity.country]
        if not actor_res:
            return None
        if typed.mode == "visit" and all(r.entity.sector in {"MIL", "COP", "BUS", None}
                                         and (not r.entity.title or r.plural) and r.kind != "person"
                                         for r in actor_res):
            return None  # "an air defence system arrived in Ukraine": equipment and troops do not pay visits
        if not recipient_res and typed.event in IMPLICIT_GOVERNMENT_TARGET:
            first = actor_res[0].entity
            if first.sector in NON_STATE_SECTORS and first.country and first.country not in NON_STATE_CODES:
                recipient_res = [_implicit("government", first.country, "GOV",
                                           f"implicit target: the government of {first.country}", 0.5)]
                recipient_slot = f"{typed.event} by a non-state actor without a named target"
        if not recipient_res and (typed.event == "COERCE" and typed.mode in PUBLIC_TARGET_MODES
                                  or typed.event == "ASSAULT" and typed.mode == "crowd-control"):
            first = actor_res[0].entity
            country = place_country or first.country
            if first.sector in STATE_SECTORS and country and country not in NON_STATE_CODES:
                # "authorities imposed a curfew in five districts": a curfew or a blackout falls on the public;
                # "police fired tear gas to keep the crowds away": crowd control falls on civilians
                recipient_res = [_implicit("population", country, "CVL",
                                           f"implicit target: the population of {country}", 0.5)]
                recipient_slot = f"{typed.event} ({typed.mode}) without a named target"
        self._foreign_default(frame.sentence, actor_res, recipient_res)
        if typed.event in FORCE_TYPES and recipient_res and all(
                r.inferred_country and r.entity.sector in {"MIL", "GOV"} for r in recipient_res) and all(
                a.entity.sector in {"MIL", "GOV"} for a in actor_res) and {r.entity.country for r in recipient_res} \
                <= {a.entity.country for a in actor_res}:
            # "Ukraine said it was targeting military installations": a state's force against forces of unknown
            # country is not against its own
            recipient_res = []
            recipient_slot = ""
        if typed.event == "ASSAULT" and not recipient_res and frame.pos == "verb" \
                and frame.trigger.lemma_.lower() in {"fire", "launch"} \
                and any(o.lemma_.lower() in MISSILE_WORDS for o in frame.objects):
            # "North Korea fired two ballistic missiles into the sea": a launch at nobody is a show of force
            cameo = self.ontology.cameo_code("150")
            typed = _Typed("MOBILIZE", "weapons", cameo.code, typed.note + "; missiles fired at no target → "
                           "show of force (MOBILIZE weapons)")
        if typed.event == "ASSAULT" and any(r.entity.sector == "CVL" and r.entity.text.split()[-1].lower()
                                            in CROWD_WORDS for r in actor_res):
            # "protesters stormed parliament": crowd violence is a riot (PROTEST), not an assault
            cameo = self.ontology.cameo_code("145")
            typed = _Typed("PROTEST", "riot", cameo.code, typed.note + "; a crowd's violence → PROTEST (riot)")
        _default_sectors(typed.event, actor_res, recipient_res)
        if entry.requires_recipient and not recipient_res:
            return None
        if typed.event == "THREATEN" and entry.event != "THREATEN" and not recipient_res:
            return None  # "agreed to launch patrols to curb piracy": a future act with no target is no threat
        if typed.event == "SUPPORT" and not recipient_res:
            return None  # "said it stood by its partners": praise or backing of nobody named
        if typed.event == "CONSULT" and typed.mode not in {"multilateral"} and not recipient_res:
            return None  # "the government had negotiated the loan in secret": talks with nobody named
        if frame.pos == "noun" and not recipient_res and typed.event in VERBAL_TYPES:
            return None  # "Moscow's shifting demands", "Iran's promises to the agency": a mention, not a report
        if recipient_res and _same_actor(actor_res, recipient_res):
            recipient_res = [r for r in recipient_res if not _same_actor(actor_res, [r])]

        event_date, precision, date_reason = self._date(frame, pub_date)
        if event_date is not None and pub_date is not None and (pub_date - event_date).days > BACKGROUND_DAYS:
            return None  # "expelled 18 diplomats in 2021": background history, not news of this article
        ptype = self.ontology.types[typed.event]
        cameo = self.ontology.cameo_code(typed.cameo)
        sentence = frame.sentence
        confidence = min([0.9] + [r.confidence * 0.9 for r in actor_res + recipient_res])
        if frame.speech_verb is not None:
            confidence *= 0.95
        reasons = {
            "event": typed.note + (f"; modality: {frame.modality.status}" if frame.modality.status != "fact" else ""),
            "actor": f"{actor_slot}: " + " | ".join(r.reason for r in actor_res),
            "recipient": (f"{recipient_slot}: " + " | ".join(r.reason for r in recipient_res))
            if recipient_res else "no recipient found in slots " + ",".join(entry.recipient),
            "date": date_reason,
        }
        if symmetric_split:
            reasons["recipient"] += "; symmetric event between coordinated subjects"
            reasons["symmetric"] = "coordinated subjects act on each other: one event per pair of them"
        if place is not None:
            reasons["location"] = f"'{place.text}' attached to the trigger; {place.reason}"
        if attribution is not None:
            reasons["attribution"] = f"reported by '{frame.speakers[0].text}' ({frame.speech_verb.text})"
        return EventRecord(
            id="",
            doc_id=doc_id,
            event=typed.event,
            mode=typed.mode if typed.mode in ptype.modes else None,
            context=list(entry.context),
            cameo=cameo.code,
            quad=ptype.quad,
            goldstein=cameo.goldstein,
            date=event_date.isoformat() if event_date else None,
            date_precision=precision,
            pub_date=pub_date.isoformat() if pub_date else None,
            actor=[r.entity for r in actor_res],
            recipient=[r.entity for r in recipient_res],
            location=place,
            evidence=Evidence(sentence=_source_text(sentence), sentence_index=sentence_index,
                              start=sentence.start_char, end=sentence.end_char,
                              trigger=_trigger_text(frame, matched)),
            attribution=attribution,
            confidence=round(confidence, 3),
            reasons=reasons,
        )

    # ------------------------------------------------------------------ arguments
    def _slot_tokens(self, frame: Frame, slot: str) -> list[Token]:
        if slot == "nsubj":
            return frame.agents if frame.passive else frame.subjects
        if slot == "dobj":
            return frame.objects
        if slot == "iobj":
            return frame.iobjs
        if slot == "poss":
            return frame.possessors
        if slot == "compound":
            return frame.modifiers
        if slot == "of":
            return frame.preps.get("of", [])
        if slot == "governor":
            # "the EU announced the suspension of aid": the subject of a verb that performs the event noun;
            # not of one that watches, reports or answers it ("police watched the march")
            if frame.governor is None or frame.governor.lemma_.lower() not in PERFORMING_VERBS:
                return []
            subjects, passive = _verb_subjects(frame.governor)
            return [] if passive else subjects
        if slot.startswith("prep:"):
            word = slot[5:]
            found = list(frame.preps.get(word, []))
            extra_heads = [*frame.objects] + ([frame.xcomp] if frame.xcomp is not None else [])
            for head in extra_heads:
                for child in head.children:
                    if child.dep_ == "prep" and child.lower_ == word:
                        found.extend(t for g in child.children if g.dep_ == "pobj" for t in conjuncts(g))
            return found
        return []

    def _parties(self, tokens: Iterable[Token], actors: ArticleActors, actor_res: list[Resolution],
                 speaker: Entity | None, place_country: str | None, *, skip: set[int] | frozenset[int] = frozenset(),
                 other_group: bool = False) -> list[Resolution]:
        """The tokens that resolve to an actor with a country other than the event's actor (with
        ``other_group``, also of another country-and-sector group): candidates for a recipient fallback."""
        actor_keys = {(a.entity.country, a.entity.sector) for a in actor_res}
        found: list[Resolution] = []
        for token in tokens:
            if token.i in skip:
                continue
            r = actors.resolve(token, speaker=speaker, place_country=place_country)
            if r is None or not r.entity.country or _same_actor(actor_res, [r]):
                continue
            if other_group and (r.entity.country, r.entity.sector) in actor_keys:
                continue
            r.head = token.i
            found.append(r)
        return found

    def _fill(self, frame: Frame, slots: tuple[str, ...], actors: ArticleActors, speaker: Entity | None,
              place_country: str | None, excluded: set[int]) -> tuple[list[Resolution], str]:
        """Resolve the first slot (in the entry's order) that yields at least one actor."""
        for slot in slots:
            resolved: list[Resolution] = []
            for token in self._slot_tokens(frame, slot):
                if token.i in excluded or token.i == frame.trigger.i:
                    continue
                r = actors.resolve(token, speaker=speaker, place_country=place_country)
                if r is not None:
                    parts = actors.split_coordinated(token, r) + [
                        Resolution(e, r.reason, r.confidence, r.kind) for e in r.also]
                    for part in parts:
                        part.head = token.i
                        resolved.append(part)
            if resolved:
                _share_coordinated_country(resolved)
                return resolved, slot
        return [], ""

    def _implicit_agent(self, frame: Frame, typed: _Typed, actors: ArticleActors, attribution: Attribution | None,
                        place_country: str | None) -> tuple[list[Resolution], str]:
        """Agentless passives of state action ("was charged with treason", "were arrested on Monday"): the
        authority that says so, else the state's own police, courts or government where it happened."""
        if attribution is not None:
            speaker = attribution.speaker
            if speaker.country and speaker.sector in {"JUD", "COP", "GOV", "MIL", "LEG", "SPY"}:
                return [Resolution(_copy_entity(speaker), f"agentless passive: the reporting authority "
                                   f"'{speaker.text}'", 0.6)], "speaker of the agentless passive"
        country = place_country or actors.default_country
        if not country:
            return [], ""
        sector = IMPLICIT_AGENT_SECTOR[typed.event].get(typed.mode or "", IMPLICIT_AGENT_SECTOR[typed.event][""])
        return [_implicit("authorities", country, sector, f"agentless passive '{frame.trigger.text}': the {sector} "
                          f"of {country} (place or article country)", 0.4)], "implicit agent"

    def _struck_places(self, frame: Frame, actors: ArticleActors, actor_res: list[Resolution],
                       place: Location | None) -> list[Resolution]:
        """Civilians (or forces) of the country where the towns, districts or bases that were hit lie."""
        pool = [*frame.objects] + [g for c in frame.trigger.children if c.dep_ == "prep" and c.lower_ in
                                   {"on", "at", "in", "across"} for g in c.children if g.dep_ == "pobj"]
        actor_countries = {r.entity.country for r in actor_res}
        for target in pool:
            lemma = target.lemma_.lower()
            if lemma not in CIVILIAN_PLACES and lemma not in MILITARY_PLACES:
                continue
            named = [g for c in target.subtree if c.dep_ == "prep" and c.lower_ in {"of", "across", "in", "near"}
                     for g in c.children if g.dep_ == "pobj"] + [c for c in target.children
                                                                 if c.dep_ in {"poss", "compound", "amod"}]
            # "struck towns across southern Lebanon": the parser often hangs the place on the verb
            named += [g for c in frame.trigger.children if c.dep_ == "prep" and c.lower_ in {"across", "in"}
                      for g in c.children if g.dep_ == "pobj"]
            country = next((code for code in (self._country_of(t) for t in named) if code), None)
            if country is None and place is not None and place.country:
                country = place.country
            if not country or country in actor_countries:
                continue
            sector = "MIL" if lemma in MILITARY_PLACES else "CVL"
            return [Resolution(Entity(text=target.text, name=None, country=country, sector=sector,
                                      sectors=[sector]),
                               f"'{target.text}' attacked, in {country} → its {sector}", 0.5)]
        return []

    def _country_of(self, token: Token) -> str | None:
        """The country a place word names: a country, capital or demonym, else a gazetteer place."""
        for m in self.actor_lexicon.scan([t.text for t in token.subtree]):
            if isinstance(m.entry, CountryEntry):
                return m.entry.code
        if token.ent_type_ in PLACE_LABELS:
            found = self.gazetteer.resolve(token.text, context_countries=[])
            return found.country if found is not None else None
        return None

    def _foreign_default(self, sentence: Span, actor_res: list[Resolution], recipient_res: list[Resolution]) -> None:
        """"The United States ... accusing the government of ...": a recipient whose country was only inferred
        as the actor's own, in a sentence that names one other country, is that other country's."""
        if not any(r.entity.sector in {"GOV", "MIL", "IGO", "ELI"} for r in actor_res):
            return  # "Kenya's High Court ordered the government ...": a domestic body means its own government
        actor_countries = {r.entity.country for r in actor_res}
        for r in recipient_res:
            if not (r.inferred_country and r.entity.country in actor_countries):
                continue
            named = {m.entry.code for m in self.actor_lexicon.scan([t.text for t in sentence])
                     if isinstance(m.entry, CountryEntry)} - actor_countries
            if len(named) == 1:
                other = named.pop()
                r.entity.country = other
                r.reason += f"; the sentence names one other country → {other}"

    def _nearest_other_actor(self, frame: Frame, actors: ArticleActors, actor_res: list[Resolution],
                             excluded: set[int], speaker: Entity | None) -> Resolution | None:
        """Fallback when no recipient slot is filled: the closest noun phrase in the trigger's own clause that
        names an actor other than the actor ("massed troops near Ukraine's borders")."""
        anchor = frame.governor if frame.pos == "noun" and frame.governor is not None else frame.trigger
        actor_tokens = {t.i for r in actor_res if r.head >= 0 for t in frame.sentence.doc[r.head].subtree}
        actor_keys = {(r.entity.country, r.entity.sector) for r in actor_res}
        candidates = [t for t in _clause_tokens(anchor)
                      if t.pos_ in {"NOUN", "PROPN"} and t.i not in excluded and t.i not in actor_tokens
                      and t.i != frame.trigger.i and t.ent_type_ not in {"DATE", "TIME", "CARDINAL", "MONEY"}
                      and (t.dep_ in {"dobj", "pobj", "poss", "nsubjpass", "dative", "conj", "appos", "attr"}
                           or (t.dep_ == "nsubj" and t.head is not anchor))
                      and not (t.dep_ == "pobj" and t.head.lower_ in NOT_RECIPIENT_PREPS)]
        candidates.sort(key=lambda t: (t.i < anchor.i, abs(t.i - anchor.i)))
        for token in candidates:
            r = actors.resolve(token, speaker=speaker, place_country=None)
            if r is None or not r.entity.country or r.inferred_country:
                continue
            if (r.entity.country, r.entity.sector) in actor_keys or token.lower_ in AUDIENCE_WORDS:
                continue
            r.head = token.i
            r.confidence = min(r.confidence, 0.5)
            return r
        return None

    # ------------------------------------------------------------------ date and place
    def _date(self, frame: Frame, pub_date: date | None) -> tuple[date | None, str | None, str]:
        anchor = frame.governor if frame.pos == "noun" and frame.governor is not None else frame.trigger
        scope = {t.i for t in anchor.subtree}
        dates = [e for e in self._ents.get(frame.sentence.start, ()) if e.label_ == "DATE"]
        dates.sort(key=lambda e: (e.root.i not in scope and e.start not in scope, abs(e.root.i - anchor.i)))
        for ent in dates:
            resolved = resolve_date(ent.text, pub_date)
            if resolved is not None:
                return resolved.date, resolved.precision, f"'{ent.text}' → {resolved.reason}"
        if pub_date is not None:
            return pub_date, "publication", "no date in the sentence; publication date"
        return None, None, "no date in the sentence and no publication date"

    def _place(self, frame: Frame, actors: ArticleActors) -> Location | None:
        """Where the event happened: a place in an "in"/"at" phrase of the trigger (or its governor or object),
        resolved in the gazetteer preferring the article's country."""
        heads = ([frame.trigger] + ([frame.governor] if frame.governor is not None else [])
                 + frame.objects[:1] + frame.agents[:1] + frame.subjects[:1])
        for head in heads:
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in {"in", "at"}:
                    for pobj in (g for g in child.children if g.dep_ == "pobj"):
                        if pobj.ent_type_ not in PLACE_LABELS:
                            # "in several cities of Iran", "in the north of the country"
                            pobj = next((g for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of"
                                         for g in c.children if g.dep_ == "pobj" and g.ent_type_ in PLACE_LABELS),
                                        pobj)
                        if pobj.ent_type_ in PLACE_LABELS:
                            ent = next((e for e in self._ents.get(frame.sentence.start, ())
                                        if e.start <= pobj.i < e.end), None)
                            text = ent.text if ent is not None else pobj.text
                            return self._location(text, actors.default_country)
        return None

    def _location(self, text: str, context_country: str | None) -> Location:
        place = self.gazetteer.resolve(text, context_countries=[context_country] if context_country else [])
        if place is not None:
            return Location(text=text, name=place.name, country=place.country, lat=place.lat, lon=place.lon,
                            admin1=place.admin1, geonames_id=place.geonames_id, reason=place.reason)
        for m in self.actor_lexicon.scan(text.split()):
            if isinstance(m.entry, CountryEntry):
                name = m.entry.name if m.kind == "country" else text
                return Location(text=text, name=name, country=m.entry.code, reason=f"actor lexicon ({m.entry.source})")
        return Location(text=text, name=None, country=None, reason="not in the gazetteer")


CLAUSE_BOUNDARIES = {"ccomp", "advcl", "relcl", "csubj", "parataxis", "acl"}  # an xcomp shares the clause


def _clause_tokens(anchor: Token) -> list[Token]:
    """Tokens of the anchor's clause, not descending into subordinate clauses."""
    out: list[Token] = []
    stack = [c for c in anchor.children]
    while stack:
        token = stack.pop()
        if token.dep_ in CLAUSE_BOUNDARIES and not (
            token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        ):  # "approved a loan to help Morocco": a purpose clause names the beneficiary
            continue
        out.append(token)
        stack.extend(token.children)
    return out


SPORTS_SENSITIVE = {"ASSAULT", "COERCE", "THREATEN", "MOBILIZE", "REJECT", "REQUEST"}
_SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")


def _sports_context(sentence: Span) -> bool:
    """A sports report: a score ("1-0") or sports vocabulary in the sentence."""
    if _SCORE.search(sentence.text) and any(t.lower_ in {"beat", "defeated", "won", "lost", "draw", "drew"}
                                            or t.lemma_ in {"beat", "defeat", "win", "lose", "draw"}
                                            for t in sentence):
        return True
    return sum(t.lower_ in SPORTS_CUES for t in sentence) >= 2


FORCE_TYPES = {"MOBILIZE", "ASSAULT"}
# Who acts when a passive names no agent: "was arrested" (police), "was charged" / "was sentenced" (courts).
IMPLICIT_AGENT_SECTOR = {
    "COERCE": {"": "GOV", "arrest": "COP", "deport": "GOV", "seize": "COP"},
    "ACCUSE": {"": "GOV", "allege": "JUD", "investigate": "JUD"},
    "SANCTION": {"": "GOV", "convict": "JUD", "expel": "GOV"},
}
BACKGROUND_DAYS = 366  # events dated more than a year before publication are background, not coded






def _protest_purpose(trigger: Token, triggers: TriggerLexicon) -> bool:
    """A demand made by protesting: "marched to demand", "workers demanding higher wages blocked highways"."""
    if trigger.dep_ in {"advcl", "xcomp", "conj"} and trigger.head.lemma_.lower() in PROTEST_VERBS:
        return True
    if trigger.dep_ == "acl":  # "workers demanding ..." — is the noun the subject of a protest verb?
        noun = trigger.head
        return noun.dep_ in {"nsubj", "nsubjpass"} and noun.head.lemma_.lower() in PROTEST_VERBS
    return False


def _reciprocal(sentence: Span) -> bool:
    """"Kyrgyzstan and Tajikistan reopened their shared border": coordinated actors acting on each other."""
    text = sentence.text.lower()
    return any(cue in text for cue in RECIPROCAL_CUES)


def _answered_reference(frame: Frame) -> bool:
    """"called the threat a mistake", "rejected the U.S. proposal": a definite event noun that a verb answers or
    judges names an event already reported (or never reported), not a new one."""
    noun, governor = frame.trigger, frame.governor
    if governor is None or noun.dep_ != "dobj" or governor.lemma_.lower() not in ANSWERING_VERBS:
        return False
    return any(c.dep_ in {"det", "poss"} and c.lower_ in REFERENCE_DETERMINERS - {"its", "their", "his", "her"}
               or c.dep_ in {"compound", "amod", "poss"} and c.ent_type_ in {"GPE", "NORP", "ORG"}
               for c in noun.children)


def _requested(frame: Frame) -> bool:
    """An event noun that is the object of a demand ("demanded the release of", "called for the resignation of",
    "sought the extradition of"): the request is the event, the noun only its content."""
    noun, governor = frame.trigger, frame.governor
    if governor is None:
        return False
    if noun.dep_ == "dobj" and governor.lemma_.lower() in REQUESTING_VERBS:
        return True
    return noun.dep_ == "pobj" and noun.head.lower_ == "for" and governor.lemma_.lower() in {"call", "press", "push",
                                                                                          "ask", "appeal", "lobby"}


def _natural_force(token: Token) -> bool:
    words = [token] + [c for c in token.children if c.dep_ == "compound"]
    return any(w.lower_ in NATURAL_FORCES for w in words)


def _infinitive_complement(frame: Frame) -> Token | None:
    """The act a verb promises or offers: its to-infinitive ("offered to reopen talks"), which the parser gives
    as xcomp or as an adverbial clause."""
    if frame.xcomp is not None:
        return frame.xcomp
    return next((c for c in frame.trigger.children if c.dep_ == "advcl" and c.pos_ == "VERB"
                 and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)


def _act_targets(act: Token, prepositions: frozenset[str] = frozenset({"of", "on", "against", "to"})
                 ) -> list[Token]:
    """Who an act named by a verb falls on: its objects, then the of/on/against complements of those objects
    ("strip the citizenship of priests") and of the verb ("impose sanctions on Russia")."""
    objects = [t for c in act.children if c.dep_ in {"dobj", "dative"} for t in conjuncts(c)]
    heads = [act, *objects]
    preps = [g for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in prepositions
             for p in c.children if p.dep_ == "pobj" for g in conjuncts(p)]
    return objects + preps


def _faced_places(frame: Frame) -> list[Token]:
    """Places a deployment moves toward or near: a named place, or the owner of a border or coast ("Ukraine's
    borders", "its border with Guyana", "the inter-Korean frontier" is left alone)."""
    heads = [frame.trigger, *frame.objects]
    places = [g for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in FACING_PREPS
              for p in c.children if p.dep_ == "pobj" for g in conjuncts(p)]
    found: list[Token] = []
    for place in places:
        if place.lemma_.lower() in BORDER_NOUNS:
            found.extend(c for c in place.children if c.dep_ in {"poss", "compound"} and c.lower_ not in
                         {"its", "their", "his", "her"})
            found.extend(g for c in place.children if c.dep_ == "prep" and c.lower_ == "with"
                         for g in c.children if g.dep_ == "pobj")
        elif place.ent_type_ in {"GPE", "LOC"}:
            found.append(place)
    return found


def _helped(frame: Frame) -> list[Token]:
    """The objects, or the subjects of the complements, of a purpose clause hanging on the trigger or its object:
    "a loan to help Morocco rebuild", "funds to support Ukraine"."""
    heads = [frame.trigger, *frame.objects]
    clauses = [c for h in heads for c in h.children
               if c.dep_ in {"advcl", "xcomp", "relcl", "acl"} and c.lemma_.lower() in HELP_VERBS]
    found: list[Token] = []
    for clause in clauses:
        found.extend(t for c in clause.children if c.dep_ in {"dobj", "dative"} for t in conjuncts(c))
        found.extend(g for c in clause.children if c.dep_ in {"ccomp", "xcomp"} for g in c.children
                     if g.dep_ == "nsubj")
    return found


def _clause_subjects(clause: Token) -> list[Token]:
    return [t for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} for t in conjuncts(c)]


def _has_condition(trigger: Token) -> bool:
    """An if/unless clause on the trigger, or on its object's complement (the parser often hangs "unless ..." on
    "bid to join NATO" rather than on "block"); not inside a clause of its own (ccomp, relcl)."""
    stack = list(trigger.children)
    while stack:
        token = stack.pop()
        if token.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in token.children):
            return True
        if token.dep_ in {"dobj", "acl", "xcomp", "prep", "pobj"}:
            stack.extend(token.children)
    return False


def _is_test_launch(trigger: Token) -> bool:
    doc = trigger.doc
    return (trigger.lemma_.lower() in {"fire", "launch"} and trigger.i >= 2 and doc[trigger.i - 1].text == "-"
            and doc[trigger.i - 2].lower_ == "test")


def _under_warning(trigger: Token) -> bool:
    """Is the predicate the warner's own threatened act ("X warned that it could expel ...")? Its subject must
    be a pronoun standing for the warner, or absent (an infinitive), not a third party ("experts warn that a
    blockade could hit ...")."""
    subjects, _ = _verb_subjects(trigger)  # a participle's subject is its head's ("..., hitting carmakers")
    if subjects and subjects[0].pos_ != "PRON":
        return False
    current = trigger
    for _ in range(3):
        if current.dep_ not in {"ccomp", "xcomp", "advcl", "conj"} or current.head is current:
            return False
        current = current.head
        if current.lemma_.lower() in WARNING_VERBS:
            return True
    return False


def _default_sectors(event: str, actors: list[Resolution], recipients: list[Resolution]) -> None:
    """Sectors the mention does not state: a "counterpart" holds the actor's office; a state named without a
    sector acts through its government ("Venezuela's claim"; not an unknown named body like "X Confederation");
    a state using or showing force acts through its military."""
    lead = actors[0].entity if actors else None
    for r in recipients:
        e = r.entity
        if e.sector is None and lead is not None and "counterpart" in e.text.lower() and lead.sector:
            e.sector, e.sectors, e.title = lead.sector, list(lead.sectors), e.title or lead.title
            r.reason += f"; a counterpart holds the actor's office → {lead.sector}"
    if event in {"COERCE", "ASSAULT"} or event == "SANCTION" and any(
            r.entity.sector in {"JUD", "COP"} for r in actors):
        for r in recipients:
            e = r.entity
            if e.country and e.sector is None and e.country not in NON_STATE_CODES:
                # "deported the Chinese manager", "arrested Shirin Akhter": an unknown person or group that
                # the state arrests, attacks or convicts is taken for a civilian
                e.sector, e.sectors = "CVL", ["CVL"]
                r.reason += f"; the unknown target of {event} is taken for a civilian (CVL)"
    if event in DIPLOMATIC_TYPES and any(r.entity.sector in {"GOV", "IGO"} for r in actors + recipients):
        for r in [*actors, *recipients]:
            e = r.entity
            if r.kind == "person" and e.sector is None and e.country and e.country not in NON_STATE_CODES:
                # "Ruto congratulated Bassirou Diomaye Faye": a named person dealing with a government, whose role
                # the text does not give, is taken for an official
                e.sector, e.sectors = "GOV", ["GOV"]
                r.reason += f"; a named person in a {event} with a government is taken for an official (GOV)"
    defaulted: set[int] = set()
    for r in [*actors, *recipients]:
        e = r.entity
        if (e.country and e.sector is None and r.kind != "person" and not r.proper
                and e.country not in NON_STATE_CODES):
            e.sector, e.sectors = "GOV", ["GOV"]
            r.reason += "; a state named without a sector → its government (GOV)"
            defaulted.add(id(r))
    if event in FORCE_TYPES:
        for r in actors:
            if (r.kind == "country" or id(r) in defaulted) and r.entity.sectors == ["GOV"]:
                r.entity.sector, r.entity.sectors = "MIL", ["MIL", "GOV"]
                r.reason += f"; a state's {event} is carried out by its military (MIL, GOV)"


def _source_text(span: Span) -> str:
    """The span as the user gave it (the coder blanks datelines before parsing; offsets are unchanged)."""
    return source_text(span.doc, span.start_char, span.end_char)


def _head_ids(resolved: list[Resolution]) -> set[int]:
    return {r.head for r in resolved if r.head >= 0}


def _same_actor(actors: list[Resolution], recipients: list[Resolution]) -> bool:
    """Same named entity, or the same unnamed text, on both sides."""
    names = {r.entity.name for r in actors if r.entity.name}
    texts = {(r.entity.text, r.entity.country) for r in actors}
    return any((r.entity.name and r.entity.name in names) or (r.entity.text, r.entity.country) in texts
               for r in recipients)


def _trigger_text(frame: Frame, matched: list[Token]) -> str:
    tokens = sorted({frame.trigger, *matched}, key=lambda t: t.i)
    particles = [c for c in frame.trigger.children if c.dep_ == "prt"]
    tokens = sorted({*tokens, *particles}, key=lambda t: t.i)
    return " ".join(t.text for t in tokens)


def _referenced_event(frame: Frame, matched: list[Token], earlier: list[EventRecord]
                      ) -> tuple[EventRecord, Token] | None:
    """"X rejected the call", "welcomed the decision", "condemned the attack": a definite object noun that names
    an earlier event of the article; the most recent event of a fitting type is returned."""
    for noun in [*frame.objects, *matched]:
        if noun.pos_ not in {"NOUN", "PROPN"} or noun.lower_ not in EVENT_REFERENCES:
            continue
        if not any(c.dep_ in {"det", "poss"} and c.lower_ in REFERENCE_DETERMINERS for c in noun.children):
            continue
        types = EVENT_REFERENCES[noun.lower_]
        for record in reversed(earlier):
            if types is None or record.event in types:
                return record, noun
    return None


def _implicit(what: str, country: str, sector: str, reason: str, confidence: float) -> Resolution:
    """A party the text implies but does not name ("the government", "the population"), with why it is assumed."""
    return Resolution(Entity(text=f"(implicit) {what}", name=None, country=country, sector=sector,
                             sectors=[sector]), reason, confidence)


def _copy_entity(entity: Entity) -> Entity:
    return Entity(text=entity.text, name=entity.name, country=entity.country, sector=entity.sector,
                  sectors=list(entity.sectors), title=entity.title)


def _share_coordinated_country(resolved: list[Resolution]) -> None:
    """"the foreign minister and the defence minister of Malaysia": a conjunct whose country was only inferred
    shares the country its partner states."""
    stated = [r for r in resolved if r.entity.country and not r.inferred_country]
    if not stated or len(stated) == len(resolved):
        return
    country = stated[-1].entity.country
    for r in resolved:
        if r.inferred_country and r.kind != "person":
            r.entity.country = country
            r.inferred_country = False
            r.reason += f"; shares the country of its coordinated partner → {country}"


@functools.lru_cache(maxsize=1)
def load_evaluations() -> dict[str, frozenset[str]]:
    """The evaluative words of data/lexicon/evaluations.yaml (verbs, negative, positive)."""
    path = Path(str(resources.files("dotterel") / "data" / "lexicon" / "evaluations.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys = ("verbs", "always_negative", "negative", "positive", "aid_goods", "arrival_verbs")
    missing = set(keys) - set(data or {})
    if missing:
        raise ValueError(f"{path.name}: missing list(s) {sorted(missing)}")
    return {key: frozenset(str(w).lower() for w in data[key]) for key in keys}


def _entities_by_sentence(doc: Doc, sentences: list[Span]) -> dict[int, list[Span]]:
    starts = [s.start for s in sentences]
    out: dict[int, list[Span]] = {}
    for ent in doc.ents:
        i = bisect.bisect_right(starts, ent.start) - 1
        if i >= 0:
            out.setdefault(starts[i], []).append(ent)
    return out


def _dedupe_article(records: list[EventRecord]) -> list[EventRecord]:
    """A story restates its news (headline, lead, recap): one record per type, actor group, recipient group and
    date in an article, the first kept (ICEWS and GDELT users otherwise see one event as several)."""
    seen: dict[tuple, list[EventRecord]] = {}
    kept: list[EventRecord] = []
    for record in records:
        key = (record.event, frozenset((e.country, e.sector) for e in record.actor),
               frozenset((e.country, e.sector) for e in record.recipient))
        earlier = seen.setdefault(key, [])
        # same day, or one of them dated only by the publication date
        if any(r.date == record.date or "publication" in {r.date_precision, record.date_precision} for r in earlier):
            continue
        earlier.append(record)
        kept.append(record)
    return kept


def _split_dyads(record: EventRecord) -> list[EventRecord]:
    """One record per distinct actor group and recipient group, a group being a (country, sector) pair:
    "called on Congo's army and the M23 rebels" is two requests; "met the foreign and defence ministers of
    Malaysia" stays one meeting with two recipients."""
    def groups(entities: list[Entity]) -> list[list[Entity]]:
        grouped: dict[tuple[str | None, str | None], list[Entity]] = {}
        for e in entities:
            grouped.setdefault((e.country, e.sector), []).append(e)
        return list(grouped.values()) or [[]]

    actor_groups, recipient_groups = groups(record.actor), groups(record.recipient)
    if len(actor_groups) == 1 and len(recipient_groups) == 1:
        return [record]
    pairs = [(a, r) for a in actor_groups for r in recipient_groups]
    if "symmetric" in record.reasons:
        # "Egypt, Ethiopia and Sudan resumed negotiations": every pair of the parties, each pair once
        parties = groups(record.actor + record.recipient)
        pairs = [(a, r) for i, a in enumerate(parties) for r in parties[i + 1:]]
    out = []
    for actor_group, recipient_group in pairs:
        part = copy.copy(record)
        part.actor, part.recipient = actor_group, recipient_group
        part.reasons = {**record.reasons, "split": f"one of {len(pairs)} actor/recipient pairs of the same "
                        "event mention"}
        out.append(part)
    return out


def _dedupe(records: list[tuple[EventRecord, int]]) -> list[EventRecord]:
    """One event per (type, actor countries, recipient countries) in a sentence, across triggers: "agreed to
    cooperate" is one AGREE, "welcomed ... and congratulated" one SUPPORT. Records split from one trigger
    (different targets of one call) stay apart."""
    kept: list[tuple[tuple, tuple, EventRecord, int]] = []
    for record, trigger in records:
        key = (record.event, tuple(sorted({e.country or "" for e in record.actor})))
        rkey = tuple(sorted({e.country or "" for e in record.recipient}))
        others = [k for k in kept if k[0] == key and k[3] != trigger]
        if any(k[1] == rkey for k in others) or (not rkey and others):
            continue
        if rkey:
            kept = [k for k in kept if not (k in others and not k[1])]
        kept.append((key, rkey, record, trigger))
    return [k[2] for k in kept]
