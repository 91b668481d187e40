"""Noun phrases → entities (country, sector, name, title), with the reason for each decision.

Resolution reads the parse around a mention's head token and the actor lexicon (countries, organisations,
office and group words). A per-article memory learns people's roles from the text itself ("Indonesian
Foreign Minister Retno Marsudi") so that later mentions by surname, title or pronoun resolve to the same entity.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from dotterel.actors.knowledge import KnowledgeBase
from dotterel.actors.lexicon import ActorLexicon, CountryEntry, OrgEntry, SectorEntry
from dotterel.nlp.dateline import Dateline, find_dateline, source_text
from dotterel.records import Entity

# Role words that take the sector of the body they speak or act for ("a spokesman for the ruling party").
ROLE_HEADS = {"spokesman", "spokeswoman", "spokesperson", "leader", "leaders", "member", "members", "official",
              "officials", "head", "chief", "chairman", "chairwoman", "chair", "secretary", "representative",
              "representatives", "lawmaker", "lawmakers", "president", "director", "general", "secretary-general",
              "founder", "deputy", "figure", "figures", "supporters", "supporter", "candidate"}
# Heads whose "for" phrase names the body they speak or act for ("a spokesman for the ruling party").
SPEAKS_FOR_HEADS = {"spokesman", "spokeswoman", "spokesperson", "spokesmen", "representative", "representatives",
                    "negotiator", "negotiators", "adviser", "advisor", "commissioner", "secretary"}
# Actors too vague to code (PLOVER: "the West", "the international community").
VAGUE_HEADS = {"community", "world", "west", "someone", "anyone", "everyone", "nobody", "observers",
               "analysts", "experts", "critics", "sources", "source", "others", "many", "some"}
VAGUE_MODIFIERS = {"western", "international", "regional", "global", "multinational", "foreign", "several",
                   "various", "other"}
OFFICE_SECTORS = {"GOV", "LEG", "JUD", "MIL", "COP", "SPY", "IGO", "PTY", "OPP", "REB"}  # "former" makes these ELI
COUNTRY_REFERENCE_HEADS = {"sides", "countries", "nations", "governments", "neighbours", "neighbors", "states",
                           "capitals", "leaders", "presidents", "ministers", "delegations", "heads", "premiers", "two",
                           "country", "nation", "kingdom", "republic", "island"}
# "the lender", "the bloc": the last international organisation named
ORG_REFERENCE_HEADS = {"lender", "bloc", "alliance", "fund", "organisation", "organization", "body", "agency",
                       "union", "court", "tribunal", "council", "commission", "watchdog", "group"}
NON_STATE_CODES = {"IGO", "UNO", "EUR", "NGO", "MNC"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"it", "they", "them"}
SPEAKER_PRONOUNS = {"i", "we", "me", "us"}
# "his country", "our government": the possessive pronoun says whose state is meant.
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they", "our": "we", "my": "i"}
OWN_STATE_HEADS = {"country", "nation", "government", "state", "administration", "kingdom", "republic"}
MAX_PRONOUN_DISTANCE = 2  # sentences


@dataclass(slots=True)
class Resolution:
    entity: Entity
    reason: str
    confidence: float = 1.0
    kind: str = "group"  # person | country | org | group | pronoun
    head: int = -1  # token index of the mention's head, set by the caller
    origin: str = "text"  # where the role came from: text | memory | user | curated | learned | pronoun
    inferred_country: bool = False  # the country came from context (place, speaker, article), not the mention
    plural: bool = False
    proper: bool = False  # headed by a proper noun (a named body or person we may not know)
    also: list[Entity] = field(default_factory=list)  # further entities of one mention ("the two sides")


@dataclass(slots=True)
class _Remembered:
    entity: Entity
    sentence: int


@dataclass
class ArticleActors:
    """Per-article actor memory and resolver. One instance per document; sentences resolved in order."""

    lexicon: ActorLexicon
    knowledge: KnowledgeBase | None = None  # user dictionaries > curated people > roles learned from earlier articles
    pub_date: date | None = None
    default_country: str | None = None
    default_reason: str = ""
    people: dict[str, Entity] = field(default_factory=dict)  # lower-cased full name or surname → entity
    # token index → person, singular body/country ("it"), plural group ("they"): antecedents for pronouns
    mentions: dict[str, dict[int, _Remembered]] = field(
        default_factory=lambda: {"person": {}, "group": {}, "plural": {}, "country": {}, "igo": {}})
    mention_order: dict[str, list[int]] = field(
        default_factory=lambda: {"person": [], "group": [], "plural": [], "country": [], "igo": []})
    titled: list[Entity] = field(default_factory=list)  # people with titles, in order of appearance
    first_names: dict[str, Entity | None] = field(default_factory=dict)  # first name → its one bearer (or None)
    masked: set[int] = field(default_factory=set)  # token indexes that are never part of a mention (dateline)
    learned: list[tuple[Entity, str]] = field(default_factory=list)  # roles stated in this article + sentence
    sentences: list[Span] = field(default_factory=list)

    # ---------------------------------------------------------------- article level
    @classmethod
    def for_doc(cls, lexicon: ActorLexicon, doc: Doc, *, knowledge: KnowledgeBase | None = None,
                pub_date: date | None = None) -> ArticleActors:
        """Set the article's default country: the dateline's city, else the most named country."""
        actors = cls(lexicon, knowledge=knowledge, pub_date=pub_date)
        counts: Counter[str] = Counter()
        for ent in doc.ents:
            if ent.label_ in {"GPE", "NORP"}:
                for m in lexicon.scan([t.text for t in ent]):
                    if isinstance(m.entry, CountryEntry):
                        counts[m.entry.code] += 1
        place = None
        if doc.user_data.get("dotterel_dateline"):  # found in the raw text and blanked before parsing
            place = _place_country(lexicon, doc.user_data["dotterel_dateline"][2].split())
        elif "dotterel_dateline" not in doc.user_data:
            dateline = find_dateline(doc)
            if dateline is not None:
                actors.masked = set(range(dateline.start, dateline.end))
                place = _dateline_country(lexicon, dateline)
        if place and not _venue_only(place[0], counts):
            actors.default_country, actors.default_reason = place
        elif counts:
            code, n = counts.most_common(1)[0]
            actors.default_country = code
            actors.default_reason = f"most named country in the article ({n} mentions)" + (
                f"; {place[1]} looks like a venue" if place else "")
        return actors

    # ---------------------------------------------------------------- mentions
    def resolve(self, head: Token, *, speaker: Entity | None = None, place_country: str | None = None
                ) -> Resolution | None:
        """Resolve the noun phrase headed by ``head``; None when it names no codable actor."""
        if head.i in self.masked:
            return None
        head = _collective_head(head)
        lower = head.lower_
        sent_i = _sentence_index(head)
        if head.pos_ == "PRON" or lower in PERSON_PRONOUNS | GROUP_PRONOUNS | SPEAKER_PRONOUNS:
            return self._resolve_pronoun(head, lower, sent_i, speaker)
        referred = (self._resolve_own_country(head, lower, sent_i, speaker)
                    or self._resolve_country_reference(head, lower, sent_i)
                    or self._resolve_org_reference(head, lower, sent_i))
        if referred is not None:
            return referred
        if lower in VAGUE_HEADS and not any(c.dep_ in {"compound", "amod", "poss"} for c in head.children):
            return None
        if speaker is not None and speaker.country and not place_country:
            place_country, place_reason = speaker.country, "the speaker's country"
        else:
            place_reason = "place of the event"
        tokens, located = self._mention(head)
        resolution = self._resolve_tokens(head, tokens, located, place_country, place_reason)
        for appos in (c for c in head.children if c.dep_ == "appos" and c.i not in self.masked):
            extra = self._resolve_tokens(appos, *self._mention(appos), place_country, place_reason)
            resolution = _merge(resolution, extra)
        if head.dep_ == "appos" and head.head.pos_ in {"PROPN", "NOUN"} and head.head.i not in self.masked:
            outer = self._resolve_tokens(head.head, *self._mention(head.head), place_country, place_reason)
            resolution = _merge(outer, resolution)
        if resolution is None:
            return None
        if _vague_mention(tokens, head):
            return None
        if resolution.entity.country is None and any(
            c.dep_ == "amod" and c.lower_ in VAGUE_MODIFIERS and not self.lexicon.lookup(f"{c.text} {head.text}")
            for c in head.children
        ):
            return None  # "Western governments", "international donors" (not "the foreign minister")
        self._fill_country(resolution, located, place_country, place_reason)
        resolution.plural = head.tag_ in {"NNS", "NNPS"}
        resolution.proper = head.pos_ == "PROPN"
        self._learn(resolution, sent_i, head.i)
        return resolution

    def split_coordinated(self, head: Token, resolution: Resolution) -> list[Resolution]:
        """"Filipino and American troops" is two actors: one per coordinated country modifier."""
        head = _collective_head(head)
        out = [resolution]
        for mod in head.children:
            if mod.dep_ not in {"amod", "compound", "nmod"} or mod.i > head.i:
                continue
            for other in mod.conjuncts:
                if other.i > head.i:
                    continue
                codes = [m.entry.code for m in self.lexicon.scan([other.text]) if isinstance(m.entry, CountryEntry)]
                if codes and codes[0] != resolution.entity.country:
                    entity = _clone(resolution.entity, f"{other.text} {head.text}")
                    entity.country = codes[0]
                    out.append(Resolution(entity, f"{resolution.reason}; coordinated modifier '{other.text}' → "
                                          f"{codes[0]}", resolution.confidence, resolution.kind))
        # "foreign ministers of Armenia and Azerbaijan": one actor per coordinated country complement
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in {"of", "from"}):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                for other in pobj.conjuncts:
                    codes = [m.entry.code for m in self.lexicon.scan([t.text for t in other.subtree])
                             if isinstance(m.entry, CountryEntry)]
                    if codes and codes[0] != resolution.entity.country:
                        entity = _clone(resolution.entity, f"{head.text} of {other.text}")
                        entity.country = codes[0]
                        out.append(Resolution(entity, f"{resolution.reason}; coordinated '{other.text}' → "
                                              f"{codes[0]}", resolution.confidence, resolution.kind))
        return out

    def _resolve_org_reference(self, head: Token, lower: str, sent_i: int) -> Resolution | None:
        """"the lender", "the bloc", "the alliance": the last international organisation named, if the phrase
        names nothing itself."""
        if lower not in ORG_REFERENCE_HEADS or not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return None
        if any(c.dep_ in {"compound", "amod", "poss"}
               or (c.dep_ == "prep" and any(g.dep_ == "pobj" for g in c.children)) for c in head.children):
            return None  # "the Asian lender", "the lender's board", "the fund for Africa" name their own body
        remembered = self._antecedent("igo", head.i)
        if remembered is None or sent_i - remembered.sentence > MAX_PRONOUN_DISTANCE:
            return None
        ent = remembered.entity
        return Resolution(_clone(ent, head.text), f"'the {head.text}' refers to the last organisation named, "
                          f"{ent.name or ent.text}", 0.6, "org")

    def _resolve_own_country(self, head: Token, lower: str, sent_i: int, speaker: Entity | None
                             ) -> Resolution | None:
        """"his country would block Sweden's bid", "our government": the state of whoever the possessive
        pronoun refers to, acting through its government."""
        if lower not in OWN_STATE_HEADS:
            return None
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS), None)
        if owner is None:
            return None
        referred = self._resolve_pronoun(owner, POSSESSIVE_PRONOUNS[owner.lower_], sent_i, speaker)
        if (referred is None or not referred.entity.country) and speaker is not None and speaker.country:
            # "the president said that his country would ...": in reported speech, the speaker's
            referred = Resolution(speaker, f"'{owner.text}' in reported speech → the speaker", 0.6, "pronoun")
        if referred is None or not referred.entity.country or referred.entity.country in NON_STATE_CODES:
            return None
        country = referred.entity.country
        entity = Entity(text=f"{owner.text} {head.text}", name=None, country=country, sector="GOV", sectors=["GOV"])
        return Resolution(entity, f"'{owner.text} {head.text}' → the state of {referred.entity.text} "
                          f"({referred.reason}) → {country} GOV", 0.6, "country")

    def _resolve_country_reference(self, head: Token, lower: str, sent_i: int) -> Resolution | None:
        """"the two sides", "both countries": the last two countries named; "the country" (with no name of its
        own): the last country named, within two sentences."""
        if lower not in COUNTRY_REFERENCE_HEADS:
            return None
        if any(isinstance(m.entry, CountryEntry | OrgEntry) for m in self.lexicon.scan([t.text for t in head.lefts])):
            return None  # "Malawi's government", "the EU countries": the phrase names its own
        if any(c.dep_ == "poss" for c in head.children):
            return None
        two = any((c.dep_ == "nummod" and c.lower_ == "two") or (c.dep_ in {"det", "predet", "preconj"}
                                                                 and c.lower_ == "both") for c in head.children) or (
            lower == "two" and head.dep_ in {"nsubj", "nsubjpass"})  # "The two also agreed ..."
        definite = any(c.dep_ == "det" and c.lower_ in {"the", "this"} for c in head.children)
        if not (two or (definite and lower in {"country", "nation", "kingdom", "republic", "island"})):
            return None
        if lower == "island" and any(c.dep_ == "prep" for c in head.children):
            return None  # "the island of Lesbos" names its own place
        if not two:
            return self._last_country_named(head, sent_i)
        order = self.mention_order["country"]
        found: list[_Remembered] = []
        for position in reversed(order[: bisect.bisect_left(order, head.i)]):
            remembered = self.mentions["country"][position]
            if sent_i - remembered.sentence > MAX_PRONOUN_DISTANCE:
                break
            if all(r.entity.country != remembered.entity.country for r in found):
                found.append(remembered)
            if len(found) == (2 if two else 1):
                break
        if len(found) < (2 if two else 1):
            return None
        entities = [_clone(r.entity, head.text) for r in reversed(found)]
        names = " and ".join(e.country or "?" for e in entities)
        resolution = Resolution(entities[0], f"'{head.text}' refers to the {'two ' if two else ''}last "
                                f"{'countries' if two else 'country'} named → {names}", 0.6, "country")
        resolution.also = entities[1:]
        return resolution

    def _last_country_named(self, head: Token, sent_i: int) -> Resolution | None:
        """"left the country": the last country (name or capital) written before it, in this or the previous
        sentence, whether it named an actor or a place."""
        start = self.sentences[max(0, sent_i - 1)].start if self.sentences else head.sent.start
        window = head.doc[start:head.i]
        matches = [m for m in self.lexicon.scan([t.text for t in window])
                   if isinstance(m.entry, CountryEntry) and m.kind in {"country", "capital"}]
        # the subject of the clause is not the country it acts on ("Madrid promised aid to the country")
        clause = head
        while clause.dep_ not in {"ROOT", "ccomp", "advcl", "relcl", "conj"} and clause.head is not clause:
            clause = clause.head
        subjects = [t for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree]
        acting = {m.entry.code for m in self.lexicon.scan([t.text for t in subjects])
                  if isinstance(m.entry, CountryEntry)}
        matches = [m for m in matches if m.entry.code not in acting] or matches[-1:]
        if not matches:
            return None
        last = matches[-1]
        entry: CountryEntry = last.entry  # type: ignore[assignment]
        entity = Entity(text=head.text, name=entry.name, country=entry.code, sector="GOV", sectors=["GOV"])
        return Resolution(entity, f"'{head.text}' refers to the last country named, '{last.phrase}' → {entry.code}",
                          0.6, "country")

    def _mention(self, head: Token) -> tuple[list[Token], list[Token]]:
        tokens, located = _mention_tokens(head)
        if self.masked:
            tokens = [t for t in tokens if t.i not in self.masked] or [head]
            located = [t for t in located if t.i not in self.masked]
        return tokens, located

    def _resolve_tokens(self, head: Token, tokens: list[Token], located: list[Token],
                        place_country: str | None, place_reason: str) -> Resolution | None:
        words = [t.text for t in tokens]
        matches = self.lexicon.scan(words)
        head_pos = tokens.index(head) if head in tokens else len(tokens) - 1
        text = _mention_text(tokens)
        reasons: list[str] = []
        entity = Entity(text=text)
        kind = "group"
        confidence = 1.0
        origin = "text"

        if self.knowledge is not None:
            user = self.knowledge.lookup_phrase(text, self.pub_date)
            if user is not None and user.source == "user" and user.country:
                entity = Entity(text=text, name=user.name, country=user.country, sector=user.sector,
                                sectors=list(user.sectors), title=user.title)
                return Resolution(entity, f"user dictionary: {user.reason}", 1.0,
                                  "person" if _person_name(tokens) else "org", origin="user")
        person = _person_name(tokens) or self._known_name(tokens)
        if person and any(m.start == 0 for m in self.lexicon.lookup(person)
                          if isinstance(m.entry, CountryEntry | OrgEntry)):
            person = None  # NER sometimes calls "Russia" or "Malawi" a person
        if person:
            known = self.people.get(person.lower()) or self.people.get(person.split()[-1].lower()) or (
                self.first_names.get(person.lower()) if " " not in person else None)
            entity.name = person
            kind = "person"
            if known is not None:
                entity.country, entity.sector = known.country, known.sector
                entity.sectors, entity.title = list(known.sectors), known.title
                entity.name = known.name or person
                reasons.append(f"'{person}' introduced earlier in the article as {_describe(known)}")
                origin = "memory"
            elif self.knowledge is not None:
                known_kb = self.knowledge.resolve_name(person, self.pub_date)
                if known_kb is None:  # "Pope Francis", "King Charles": the title is part of the known name
                    titled_name = _proper_run(tokens, person)
                    known_kb = self.knowledge.resolve_name(titled_name, self.pub_date) if titled_name else None
                if known_kb is not None and known_kb.country:
                    entity.name = known_kb.name
                    entity.country, entity.sector = known_kb.country, known_kb.sector
                    entity.sectors, entity.title = list(known_kb.sectors), known_kb.title
                    reasons.append(f"{known_kb.source}: {known_kb.reason}")
                    origin = known_kb.source

        orgs = [m for m in matches if isinstance(m.entry, OrgEntry)]
        countries = [m for m in matches if isinstance(m.entry, CountryEntry)]
        sectors = [m for m in matches if isinstance(m.entry, SectorEntry)]
        head_org = next((m for m in orgs if m.start <= head_pos < m.end), None)
        org = head_org or (orgs[0] if orgs else None)

        if org is not None:
            o: OrgEntry = org.entry  # type: ignore[assignment]
            if head_org is not None or not sectors:
                kind = "org" if kind != "person" else kind
                entity.name = entity.name or o.name
            named_outside = [m for m in countries if m.end <= org.start or m.start >= org.end]
            if entity.country is None and named_outside and o.sector in {"PTY", "OPP", None}:
                # "Italy's Democratic Party", "Nigeria's Labour Party": the country named beside a party name
                # wins over the party's default country
                c0: CountryEntry = named_outside[0].entry  # type: ignore[assignment]
                entity.country = c0.code
                reasons.append(f"{named_outside[0].kind} '{named_outside[0].phrase}' → {c0.code} ({c0.source})")
            if entity.country is None and o.country:
                entity.country = o.country
            # dated status (org_status.yaml): the Taliban in 2015 are rebels, Labour in 2020 the opposition; not
            # when another country's party borrows the name ("Nigeria's Labour Party")
            period = self.lexicon.org_status(o.code, self.pub_date) if entity.country == o.country else None
            o_sectors = period.sectors if period is not None else o.sectors
            o_sector = o_sectors[0] if o_sectors else o.sector
            if not entity.sectors or head_org is not None:
                if o_sector:
                    entity.sector = o_sector
                    entity.sectors = list(o_sectors) or [o_sector]
            reasons.append(f"organisation '{org.phrase}' → {o.country or '-'} {o_sector or '-'} ({o.source})"
                           + (f"; on {self.pub_date} its status is {period.describe()} ({period.source})"
                              if period is not None else ""))

        if entity.country is None:
            head_country = next((m for m in countries if m.start <= head_pos < m.end), None)
            if countries:
                chosen = head_country or countries[0]
                c: CountryEntry = chosen.entry  # type: ignore[assignment]
                entity.country = c.code
                reasons.append(f"{chosen.kind} '{chosen.phrase}' → {c.code} ({c.source})")
                if head_country is not None and not sectors and kind not in {"person"} and org is None:
                    if head_country.kind == "demonym" and head.tag_ in {"NNS", "NNPS"}:
                        # "Georgians marched": the people of a country, not its government
                        entity.sector, entity.sectors = "CVL", ["CVL"]
                        reasons.append("people named by demonym → civilians (CVL)")
                    else:
                        # a country or its capital named as the actor stands for its government
                        kind = "country"
                        entity.name = c.name
                        entity.sector = "GOV"
                        entity.sectors = ["GOV"]
                        reasons.append("country named as actor → its government (GOV)")

        if sectors and (not entity.sectors or kind == "person" and entity.sector is None):
            head_sector = next((m for m in sectors if m.start <= head_pos < m.end), None)
            chosen_sector = head_sector or min(sectors, key=lambda m: abs(m.end - 1 - head_pos))
            s: SectorEntry = chosen_sector.entry  # type: ignore[assignment]
            others = [m for m in sectors if m is not chosen_sector]
            if chosen_sector.phrase.split()[-1] in ROLE_HEADS and (others or org is not None):
                body = others[0].entry if others else None
                if isinstance(body, SectorEntry) and body.sector not in {"GOV"}:
                    entity.sector = body.sector
                    entity.sectors = _unique([*body.sectors, *s.sectors])
                    reasons.append(f"'{chosen_sector.phrase}' of '{others[0].phrase}' → {body.sector} "
                                   f"({body.source})")
                else:
                    entity.sector = entity.sector or s.sector
                    entity.sectors = _unique([*entity.sectors, *s.sectors])
            else:
                entity.sector = s.sector
                entity.sectors = _unique([*s.sectors, *entity.sectors])
            if s.title:
                entity.title = entity.title or s.title
            reasons.append(f"'{chosen_sector.phrase}' → {s.sector} ({s.source})")

        if any(t.lower_ in {"former", "ex", "ex-", "retired"} for t in tokens) and entity.sector in OFFICE_SECTORS:
            entity.sectors = _unique(["ELI", *entity.sectors])
            entity.sector = "ELI"
            reasons.append("'former' → ELI")

        if kind == "person" and entity.country is None and entity.sector is None:
            # A bare name: look for a title already seen for this surname, else unresolved.
            reasons.append(f"person '{entity.name}' with no role in the text")
            confidence = 0.4

        if entity.country is None and entity.sector is None and entity.name is None:
            named = [t for t in tokens if t.ent_type_ in {"ORG", "PERSON"} and t.pos_ == "PROPN"]
            if head.pos_ != "PROPN" or not named:
                return None
            # an unknown named body or person ("Ramiro Castellanos" tagged ORG): keep the name; its country can
            # only come from the context
            entity.name = " ".join(t.text for t in named)
            kind = "person" if head.ent_type_ == "PERSON" else "named"
            reasons.append(f"unknown named {'person' if kind == 'person' else 'body'} '{entity.name}'")
            confidence = 0.4

        if entity.country is None and kind != "person" and entity.title and entity.sector:
            known = self._by_title(head)
            if known is not None:
                _copy_into(entity, known)
                reasons.append(f"title '{head.text}' → {known.name} (introduced earlier)")
                kind = "person"

        if entity.sector and not entity.sectors:
            entity.sectors = [entity.sector]
        return Resolution(entity=entity, reason="; ".join(reasons) or "unresolved", confidence=confidence, kind=kind,
                          origin=origin)

    def _fill_country(self, resolution: Resolution, located: list[Token], place_country: str | None,
                      place_reason: str) -> None:
        """Domestic actors named without a country ("police", "the opposition", a bare name) take the place of
        the mention, the place of the event, or the article's country — in that order, with lower confidence."""
        entity = resolution.entity
        if entity.country is not None:
            return
        if located:
            loc = [m for m in self.lexicon.scan([t.text for t in located]) if isinstance(m.entry, CountryEntry)]
            if loc:
                entity.country = loc[0].entry.code  # type: ignore[union-attr]
                resolution.inferred_country = True
                resolution.reason += f"; located in '{loc[0].phrase}' → {entity.country}"
                resolution.confidence = min(resolution.confidence, 0.8)
                return
        if not (entity.sector or resolution.kind in {"person", "named"}) or entity.sector in {"IGO", "NGO"}:
            return
        resolution.inferred_country = bool(place_country or self.default_country)
        if place_country:
            entity.country = place_country
            resolution.reason += f"; no country in the mention; {place_reason} → {place_country}"
            resolution.confidence = min(resolution.confidence, 0.7)
        elif self.default_country:
            entity.country = self.default_country
            resolution.reason += (f"; no country in the mention; article's country → {self.default_country} "
                                  f"({self.default_reason})")
            resolution.confidence = min(resolution.confidence, 0.6)

    def _known_name(self, tokens: list[Token]) -> str | None:
        """A proper-noun run already learned in this article, whatever NER called it ("Marsudi" as ORG)."""
        run: list[str] = []
        for t in [*tokens, None]:
            if t is not None and t.pos_ == "PROPN":
                run.append(t.text)
                continue
            for size in range(len(run), 0, -1):
                for start in range(len(run) - size + 1):
                    name = " ".join(run[start:start + size])
                    if name.lower() in self.people:
                        return name
            if len(run) == 1 and self.first_names.get(run[0].lower()) is not None:
                return run[0]  # "Retno told reporters": a bare first name of the article's one bearer
            run = []
        return None

    def _resolve_pronoun(self, head: Token, lower: str, sent_i: int, speaker: Entity | None) -> Resolution | None:
        if lower in SPEAKER_PRONOUNS:
            if speaker is not None:
                return Resolution(_clone(speaker, head.text), f"'{head.text}' in reported speech → the speaker",
                                  0.8, "pronoun")
            return None
        last_person = self._antecedent("person", head.i)
        if lower in PERSON_PRONOUNS and last_person is not None:
            if sent_i - last_person.sentence <= MAX_PRONOUN_DISTANCE:
                ent = last_person.entity
                return Resolution(_clone(ent, head.text), f"pronoun '{head.text}' → {ent.name or ent.text} "
                                  "(last person mentioned)", 0.7, "pronoun")
        if lower in {"it", "they"} and head.dep_ in {"nsubj", "nsubjpass"} and speaker is not None \
                and speaker.country and speaker.title is None:
            # "the ministry said it had expelled ...": the body reporting is the subject of its report
            return Resolution(_clone(speaker, head.text), f"'{head.text}' in reported speech → the speaker "
                              f"'{speaker.text}'", 0.7, "pronoun")
        remembered = self._antecedent("group" if lower == "it" else "plural", head.i)
        if lower in GROUP_PRONOUNS and remembered is not None and sent_i - remembered.sentence <= 1:
            ent = remembered.entity
            what = "organisation or country" if lower == "it" else "group"
            return Resolution(_clone(ent, head.text), f"pronoun '{head.text}' → {ent.text} (last {what} mentioned)",
                              0.6, "pronoun")
        return None

    def _by_title(self, head: Token) -> Entity | None:
        word = head.lower_
        for ent in reversed(self.titled):
            if ent.title and word in ent.title.lower().split():
                return ent
        return None

    def _learn(self, resolution: Resolution, sent_i: int, position: int) -> None:
        ent = resolution.entity
        if resolution.kind == "person" and ent.name:
            if ent.sector or (ent.country and not resolution.inferred_country):
                self.people.setdefault(ent.name.lower(), ent)
                surname = ent.name.split()[-1].lower()
                self.people.setdefault(surname, ent)
                self._learn_first_name(ent)
                if ent.title and ent not in self.titled:
                    self.titled.append(ent)
                    if resolution.origin == "text" and ent.country:
                        self.learned.append((ent, self._sentence_text(sent_i)))
                self._remember("person", position, _Remembered(ent, sent_i))
                if ent.country and ent.country not in NON_STATE_CODES and ent.sector in {"GOV", "MIL", "ELI"}:
                    self._remember("country", position, _Remembered(ent, sent_i))  # "the two leaders"
        elif resolution.kind in {"org", "country", "group"} and ent.country:
            # "it" refers back to a country or a body, "they" to a plural group ("the rebels ... they")
            self._remember("plural" if resolution.plural else "group", position, _Remembered(ent, sent_i))
            if resolution.kind == "country" or (ent.sector == "GOV" and ent.country not in NON_STATE_CODES):
                self._remember("country", position, _Remembered(ent, sent_i))
            if ent.country in NON_STATE_CODES and ent.country != "NGO":
                self._remember("igo", position, _Remembered(ent, sent_i))

    def _learn_first_name(self, ent: Entity) -> None:
        """"Retno told reporters", "Mohamad used the news conference": many naming customs (Indonesian,
        Malaysian, Thai, Icelandic...) refer to people by their first name. A first name refers back only while
        one person of the article carries it."""
        parts = ent.name.split() if ent.name else []
        # two-word names only: in "Abdel Fattah el-Sissi" the first word is part of a compound given name
        if len(parts) != 2 or len(parts[0]) < 3 or not parts[0][:1].isupper() or "-" in parts[0]:
            return
        first = parts[0].lower()
        owner = self.first_names.get(first, ent)
        if owner is not ent and owner is not None and owner.name != ent.name:
            self.first_names[first] = None  # two people share it: it names neither
            return
        if first not in self.first_names:
            self.first_names[first] = ent

    def _remember(self, kind: str, position: int, remembered: _Remembered) -> None:
        by_position = self.mentions[kind]
        if position not in by_position:
            bisect.insort(self.mention_order[kind], position)
        by_position[position] = remembered

    def _antecedent(self, kind: str, before: int) -> _Remembered | None:
        """The last mention of this kind before a token (mentions are learned out of order: a sentence's
        people are read before its events)."""
        order = self.mention_order[kind]
        i = bisect.bisect_left(order, before)
        return self.mentions[kind][order[i - 1]] if i else None

    def _sentence_text(self, sent_i: int) -> str:
        if sent_i >= len(self.sentences):
            return ""
        span = self.sentences[sent_i]
        return source_text(span.doc, span.start_char, span.end_char).strip()

    def remember_speaker(self, entity: Entity, head: Token) -> None:
        if entity.name and (entity.country or entity.sector):
            self.people.setdefault(entity.name.lower(), entity)


# -------------------------------------------------------------------- helpers
def _sentence_index(token: Token) -> int:
    doc = token.doc
    return doc.user_data.setdefault("_dotterel_sent_index", {}).get(token.sent.start, 0)


def index_sentences(doc: Doc) -> list[Span]:
    sents = list(doc.sents)
    doc.user_data["_dotterel_sent_index"] = {s.start: i for i, s in enumerate(sents)}
    return sents


_LEFT_DEPS = {"compound", "amod", "poss", "det", "nmod", "nummod", "case", "quantmod", "punct", "predet"}


def _left_tokens(head: Token) -> list[Token]:
    out: list[Token] = []
    for child in head.lefts:
        if child.dep_ in _LEFT_DEPS:
            # "Filipino and American troops" keeps one modifier (the other is split off later); a name with
            # "and" inside ("Peace and Security Council") stays whole
            out.extend(t for t in child.subtree
                       if t.dep_ not in {"cc", "conj"} or t is child or (child.pos_ == "PROPN" and t.pos_ in
                                                                          {"PROPN", "CCONJ"}))
    return out


def _mention_tokens(head: Token) -> tuple[list[Token], list[Token]]:
    """Tokens that describe the mention, and apart from them the tokens of a place ("police in Nairobi").
    A receiving state ("ambassador to Japan") is left out: an envoy belongs to the state that sends it."""
    tokens = [*_left_tokens(head), head]
    located: list[Token] = []
    for child in head.rights:
        if child.dep_ in {"compound", "flat"}:
            tokens.append(child)
        elif child.dep_ == "acl" and child.lemma_ in AFFILIATION_VERBS:
            # "hackers working for North Korea's military intelligence", "rebels backed by Rwanda"
            for prep in (c for c in child.children if c.dep_ == "agent" or (c.dep_ == "prep"
                                                                             and c.lower_ in {"for", "by", "to"})):
                tokens.extend(_phrase_tokens(prep))  # "working for X", not "working with the FBI"
        elif child.dep_ == "prep":
            word = child.lower_
            sub = _phrase_tokens(child)
            if word == "of" or (word == "from" and _is_office_or_group(head)) or (
                word == "for" and head.lower_ in SPEAKS_FOR_HEADS
            ) or (word == "with" and head.lower_ in BORDER_HEADS):  # "its border with Guyana"
                # "minister of foreign affairs", "an official from Thailand", "a spokesman for the ruling party";
                # not "praised the leaders for the accord". The preposition stays: names contain it
                # ("Economic Community of West African States")
                tokens.extend([child, *sub])
            elif word in {"in", "at"}:
                located.extend(sub)
    tokens.sort(key=lambda t: t.i)
    return tokens, located


BORDER_HEADS = {"border", "borders", "frontier", "frontiers", "boundary", "boundaries", "line"}
AFFILIATION_VERBS = {"work", "link", "back", "support", "affiliate", "tie", "ally", "align", "loyal", "belong",
                     "connect", "sponsor", "fund", "arm", "train"}
_CLAUSAL = {"acl", "relcl", "advcl", "ccomp", "xcomp"}


def _phrase_tokens(prep: Token) -> list[Token]:
    """The tokens of a prepositional phrase, without the clauses inside it ("troops [serving with the UN]")."""
    out: list[Token] = []
    stack = [c for c in prep.children]
    while stack:
        token = stack.pop()
        if token.dep_ in _CLAUSAL:
            continue
        out.append(token)
        stack.extend(token.children)
    return sorted(out, key=lambda t: t.i)


# Heads that count people or groups: the actor is in their of-complement ("thousands of Georgians").
COLLECTIVE_HEADS = {"thousands", "hundreds", "dozens", "tens", "millions", "scores", "thousand", "hundred",
                    "contingent", "contingents",
                    "dozen", "number", "group", "groups", "crowd", "crowds", "handful", "some", "many", "most",
                    "several", "all", "both", "more", "majority", "delegation", "team", "members", "representatives"}


def _is_office_or_group(head: Token) -> bool:
    """"an official from Thailand", "troops from Niger" (not "a letter from the president")."""
    from dotterel.actors.lexicon import load_actor_lexicon

    return head.pos_ == "PROPN" or any(
        isinstance(m.entry, SectorEntry) for m in load_actor_lexicon().lookup(head.text)
    ) or head.lower_ in COLLECTIVE_HEADS


def _collective_head(head: Token) -> Token:
    for _ in range(3):
        if head.lower_ not in COLLECTIVE_HEADS and not head.like_num:
            return head
        inner = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
        if not inner:
            return head
        head = inner[0]
    return head


def _mention_text(tokens: list[Token]) -> str:
    """The mention as written (from the original text when the coder blanked a dateline), without a leading
    article."""
    tokens = [t for t in tokens if not t.is_space]
    if not tokens:
        return ""
    if tokens[0].lower_ in {"the", "a", "an"} and len(tokens) > 1:
        tokens = tokens[1:]
    doc = tokens[0].doc
    return source_text(doc, tokens[0].idx, tokens[-1].idx + len(tokens[-1])).strip()


def _person_name(tokens: list[Token]) -> str | None:
    names: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.ent_type_ == "PERSON" and t.pos_ == "PROPN":
            j = i
            parts = []
            while j < len(tokens) and tokens[j].ent_type_ == "PERSON" and tokens[j].pos_ == "PROPN":
                parts.append(tokens[j].text)
                j += 1
            names.append(" ".join(parts))
            i = j
        else:
            i += 1
    return names[-1] if names else None


def _proper_run(tokens: list[Token], name: str) -> str | None:
    """The run of capitalised words that ends with ``name`` ("Pope Francis" for "Francis")."""
    words = [t.text for t in tokens]
    last = name.split()[-1]
    if last not in words:
        return None
    end = words.index(last)
    start = end
    while start > 0 and tokens[start - 1].text[:1].isupper() and not tokens[start - 1].is_space:
        start -= 1
    run = " ".join(words[start:end + 1])
    return run if run != name else None


def _vague_mention(tokens: list[Token], head: Token) -> bool:
    text = " ".join(t.lower_ for t in tokens)
    return "international community" in text or text in {"the west", "west"}


def _merge(a: Resolution | None, b: Resolution | None) -> Resolution | None:
    """Combine a name with its apposition (or the reverse): fill what the first lacks from the second."""
    if a is None:
        return b
    if b is None:
        return a
    ea, eb = a.entity, b.entity
    ea.name = ea.name or eb.name
    ea.country = ea.country or eb.country
    if eb.sector and (not ea.sector or (a.kind == "person" and ea.sector is None)):
        ea.sector = eb.sector
        ea.sectors = list(eb.sectors)
    ea.title = ea.title or eb.title
    kind = "person" if "person" in {a.kind, b.kind} else a.kind
    origin = a.origin if a.origin != "text" else b.origin
    return Resolution(ea, f"{a.reason}; apposition: {b.reason}", min(a.confidence, max(b.confidence, 0.8)), kind,
                      origin=origin)


def _copy_into(target: Entity, source: Entity) -> None:
    target.name = source.name
    target.country = source.country
    target.sector = source.sector
    target.sectors = list(source.sectors)
    target.title = source.title


def _clone(entity: Entity, text: str) -> Entity:
    return Entity(text=text, name=entity.name, country=entity.country, sector=entity.sector,
                  sectors=list(entity.sectors), title=entity.title)


def _describe(entity: Entity) -> str:
    return " ".join(x for x in (entity.country, entity.sector, entity.title) if x) or "an actor"


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def _dateline_country(lexicon: ActorLexicon, dateline: Dateline) -> tuple[str, str] | None:
    return _place_country(lexicon, [w for w in dateline.place if w not in {"-", "'", "."}])


def _venue_only(code: str, counts: Counter[str]) -> bool:
    """A dateline city that is only where the news was made ("GENEVA - Sudan's army and the RSF agreed ..."): its
    country is never named in the text, while another country is named at least three times."""
    if not counts:
        return False
    top, n = counts.most_common(1)[0]
    return top != code and n >= 3 and counts.get(code, 0) == 0


def _place_country(lexicon: ActorLexicon, words: list[str]) -> tuple[str, str] | None:
    """The country of a dateline's place words ("PHNOM PENH", "GUSAU Nigeria"; the first of "MINSK/VILNIUS")."""
    words = [part for w in words for part in w.split("/")[:1]]
    for m in lexicon.scan([w.title() for w in words]):
        if isinstance(m.entry, CountryEntry):
            return m.entry.code, f"dateline '{' '.join(words)}'"
    return None
