"""Predicate frames from the dependency parse: who is the subject, object, agent, what prepositions hang off a
predicate, and whether the predicate is asserted as a fact.

The frames know nothing of event types: ``events`` decides what a frame means. Everything here reads the
spaCy ``Doc`` only (one parse per article).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj", "attr"}
NEGATION_WORDS = {"not", "n't", "never", "no", "neither", "nor"}
HYPOTHETICAL_MODALS = {"could", "might", "may", "should", "must", "ought", "can"}
FUTURE_MODALS = {"will", "shall", "'ll", "wo"}  # spaCy lemmatises "won't" to "wo" + "n't"
CONDITIONAL_MARKERS = {"if", "unless", "whether"}

# Verbs that report speech: the event is in their complement, the subject is the speaker.
SPEECH_VERBS = {
    "say", "tell", "announce", "state", "add", "claim", "report", "note", "insist", "confirm", "stress",
    "explain", "declare", "write", "tweet", "post", "assert", "reiterate", "acknowledge", "disclose",
    "reveal", "argue", "emphasize", "emphasise", "remark", "recall", "quote", "indicate", "allege", "suggest",
}
# Entity labels of words that date an act; never its subject or particle ("on Tuesday voted to lift").
TIME_LABELS = frozenset({"DATE", "TIME"})
# Governing verbs whose complement is not (yet) a fact.
IRREALIS_GOVERNORS = {
    "plan", "want", "hope", "seek", "intend", "consider", "aim", "try", "attempt", "expect", "propose",
    "wish", "prepare", "mull", "weigh", "discuss", "debate", "contemplate", "need", "like", "prefer", "look",
    "ask", "urge", "call", "demand", "press", "encourage", "invite", "request", "appeal", "push", "lobby",
    "order", "instruct", "tell", "advise", "beg", "implore", "threaten", "warn", "vow", "pledge", "promise",
    "agree", "offer", "decide", "commit", "undertake", "resolve", "refuse", "decline", "reject", "fail",
    "deny", "accuse", "blame", "allow", "permit", "forbid", "ban", "prevent", "stop", "avoid", "help",
    "fear", "worry", "suspect", "believe", "think", "doubt", "question", "wonder", "force", "compel",
    "able", "unable", "likely", "unlikely", "ready", "willing", "set",
}
# Of those, governors that commit the subject to the complement (future action): cooperative → AGREE.
COMMISSIVE_GOVERNORS = {"vow", "pledge", "promise", "agree", "offer", "decide", "commit", "undertake", "resolve",
                        "set", "ready", "willing"}
# Governors whose complement is done by the act itself.
DECISIVE_GOVERNORS = {"vote", "move", "proceed", "begin", "start", "continue", "go"}
# Governors whose complement explicitly did not happen.
NEGATING_GOVERNORS = {"refuse", "decline", "fail", "deny", "avoid", "prevent", "stop", "reject", "unable", "forbid"}


# Nouns whose clause is their content, not a fact: "a demand by Bamako that Denmark withdraw its troops".
CONTENT_NOUNS = {"demand", "call", "request", "appeal", "plan", "proposal", "ultimatum", "offer", "threat",
                 "warning", "order", "bid", "promise", "pledge", "plea", "push", "idea", "suggestion"}
# "planned opposition marches", "a proposed visit", "possible sanctions": not (yet) facts.
IRREALIS_NOUN_MODIFIERS = {"planned", "proposed", "possible", "potential", "expected", "threatened", "prospective",
                           "upcoming", "future", "hypothetical", "would-be", "mooted", "rumoured", "rumored"}


@dataclass(slots=True)
class Modality:
    """How the predicate is asserted. ``status``: fact, negated, hypothetical (could/might), future (will),
    commissive (vowed/agreed to), irrealis (plans/wants/urged to), conditional (inside an if-clause),
    conditioned (a main clause with an if-clause: "will impose sanctions if ..."), background (an event noun in
    an adverbial phrase: "ahead of protests")."""

    status: str = "fact"
    cue: str | None = None

    @property
    def asserted(self) -> bool:
        return self.status == "fact"


@dataclass(slots=True)
class Frame:
    """A predicate (verb or event noun) with its syntactic arguments (heads of noun phrases)."""

    trigger: Token
    pos: str  # "verb" | "noun"
    sentence: Span
    subjects: list[Token] = field(default_factory=list)
    objects: list[Token] = field(default_factory=list)
    iobjs: list[Token] = field(default_factory=list)
    agents: list[Token] = field(default_factory=list)
    preps: dict[str, list[Token]] = field(default_factory=dict)
    particles: set[str] = field(default_factory=set)
    xcomp: Token | None = None
    passive: bool = False
    governor: Token | None = None  # nouns: the verb the noun is an argument of
    possessors: list[Token] = field(default_factory=list)
    modifiers: list[Token] = field(default_factory=list)  # nouns: compound / amod modifiers
    modality: Modality = field(default_factory=Modality)
    speech_verb: Token | None = None
    speakers: list[Token] = field(default_factory=list)


def conjuncts(token: Token) -> list[Token]:
    """The token and the heads it is coordinated with ("the foreign minister and the defence minister")."""
    out = [token]
    for t in token.conjuncts:
        if t.i != token.i and t.pos_ in {"NOUN", "PROPN", "PRON"}:
            out.append(t)
    return sorted(out, key=lambda t: t.i)


def _children(token: Token, deps: set[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _prep_objects(token: Token, preps: dict[str, list[Token]]) -> None:
    for child in token.children:
        if child.dep_ in {"prep", "agent", "dative"} and child.pos_ == "ADP":
            word = child.lower_
            for grand in child.children:
                if grand.dep_ in {"pobj", "pcomp"}:
                    preps.setdefault(word, []).extend(conjuncts(grand))
                elif grand.dep_ == "prep":  # "out of", "because of": take the inner one too
                    for g2 in grand.children:
                        if g2.dep_ == "pobj":
                            preps.setdefault(grand.lower_, []).extend(conjuncts(g2))


def _verb_subjects(verb: Token) -> tuple[list[Token], bool]:
    """Subjects of a verb, climbing through xcomp, conj, relcl and participle chains when it has none."""
    seen = 0
    current = verb
    while current is not None and seen < 6:
        seen += 1
        # "parliament on Tuesday voted to lift ...": a date the parser made a subject is not one
        subj = [t for t in _children(current, SUBJECT_DEPS) if t.ent_type_ not in TIME_LABELS]
        if subj:
            return [t for s in subj for t in conjuncts(s)], False
        subjpass = _children(current, PASSIVE_SUBJECT_DEPS)
        if subjpass:
            return [t for s in subjpass for t in conjuncts(s)], True
        if current.dep_ == "relcl":
            return conjuncts(current.head), False
        if current.dep_ == "acl":  # "talks held by X" / "the minister, meeting Y,"
            return [current.head], False
        if current.dep_ in {"xcomp", "conj", "advcl", "ccomp", "pcomp"} and current.head is not current:
            if current.dep_ == "xcomp":
                # "urged Japan to lift": the object of the governor is the subject of the complement
                objs = _children(current.head, OBJECT_DEPS | {"dative"})
                if objs:
                    return conjuncts(objs[0]), False
                ons = [g for c in current.head.children if c.dep_ == "prep" and c.lower_ == "on"
                       for g in c.children if g.dep_ == "pobj" and g.ent_type_ not in TIME_LABELS]
                if ons:
                    return conjuncts(ons[0]), False
            if current.dep_ == "ccomp" and current.head.lemma_ in SPEECH_VERBS:
                return [], False
            current = current.head
            continue
        break
    return [], False


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ == "acl"
    )


def _speech_context(token: Token) -> tuple[Token | None, list[Token]]:
    """The nearest speech verb whose complement holds ``token``, and its subjects (the speakers)."""
    current = token
    for _ in range(8):
        head = current.head
        if head is current:
            break
        if current.dep_ in {"ccomp", "parataxis", "xcomp", "advcl"} and head.lemma_ in SPEECH_VERBS:
            speakers = _speakers(head)
            if not speakers:
                speakers = [g for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            return head, speakers
        if current.dep_ == "ROOT":
            # "X met Y, the spokesman said": the speech verb is attached to the event verb
            for child in current.children:
                if child.dep_ in {"ccomp", "parataxis"} and child.lemma_ in SPEECH_VERBS and child.i > token.i:
                    return child, _speakers(child)
            break
        current = head
    # "according to the ministry"
    root = token.sent.root
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "according":
            for c in child.children:
                if c.dep_ == "prep" and c.lower_ == "to":
                    pobj = [g for g in c.children if g.dep_ == "pobj"]
                    if pobj:
                        return child, pobj
    return None, []


def _speakers(speech_verb: Token) -> list[Token]:
    """Subjects of a speech verb, nearest first (a misparse can give it two); a coordinated speech verb shares
    its partner's subject ("The Netherlands accused ... and said it had expelled ...")."""
    subjects = sorted(_children(speech_verb, SUBJECT_DEPS), key=lambda t: abs(t.i - speech_verb.i))
    if subjects:
        return conjuncts(subjects[0])
    inherited, passive = _verb_subjects(speech_verb)
    return [] if passive else inherited


PERSONAL_PRONOUNS = {"it", "they", "he", "she", "we"}


def _clause_has_own_subject(verb: Token) -> bool:
    """A relative clause with a subject of its own that is not the relative pronoun: "the diplomats it accused",
    "the helicopters Indonesia lent to Malaysia" (not "activists who had been detained")."""
    if any(c.dep_ == "nsubj" and c.lower_ in PERSONAL_PRONOUNS for c in verb.children):
        return True
    if any(t.tag_ in {"WDT", "WP", "WP$", "WRB"} or t.lower_ == "that" for t in verb.subtree if t.i < verb.i):
        return False  # "negotiations in which Islamabad agreed", "when Ivory Coast travel": a relative word
    return any(c.dep_ == "nsubj" and c.pos_ == "PROPN" for c in verb.children)


def modality(trigger: Token) -> Modality:
    """Is the predicate asserted as a fact? Looks at its own auxiliaries and negation, then up the chain of
    clauses that govern it (refused to / plans to / if ...), stopping at a speech verb."""
    if trigger.pos_ == "VERB" and trigger.head.pos_ in {"NOUN", "PROPN", "PRON"} and (
        trigger.dep_ == "relcl" or (trigger.dep_ == "acl" and trigger.tag_ == "VBN")
    ):
        # "activists who had been detained during protests", "18 people convicted of ...": a clause that
        # describes a participant is background to the sentence's news ("supporters protesting" is not);
        # "diplomats it accused of spying" is the actor's own claim, made now
        if not (trigger.dep_ == "relcl" and _clause_has_own_subject(trigger)):
            return Modality("background", trigger.head.text)
    current = trigger
    for depth in range(8):
        for child in current.children:
            if child.dep_ == "neg" or (child.lower_ in NEGATION_WORDS and child.dep_ in {"advmod", "neg", "det"}
                                       and (child.dep_ != "det" or depth == 0)):
                if child.dep_ == "det" and current.pos_ == "VERB":
                    continue
                return Modality("negated", child.text)
            if child.dep_ == "aux" and child.pos_ == "AUX":
                word = child.lower_
                if word in HYPOTHETICAL_MODALS:
                    return Modality("hypothetical", child.text)
                if word in FUTURE_MODALS:
                    return Modality("future", child.text)
                if word == "would":
                    head = current.head
                    reported = current.dep_ == "ccomp" and head.lemma_ in SPEECH_VERBS and head.tag_ == "VBD"
                    return Modality("future" if reported else "hypothetical", child.text)
            if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKERS:
                return Modality("conditional", child.text)
            if child.dep_ == "advcl" and any(
                g.dep_ == "mark" and g.lower_ in {"if", "unless"} for g in child.children
            ):
                return Modality("conditioned", child.text)
        # "going to"/"set to"/"due to" + verb → future
        if current.dep_ == "xcomp" and current.head.lemma_ in {"go", "due"} and current.head.tag_ in {"VBG", "JJ"}:
            return Modality("future", current.head.text)
        head = current.head
        if head is current:
            break
        if current.dep_ in {"ccomp", "parataxis"} and head.lemma_ in SPEECH_VERBS:
            # reported speech: the speech verb's own negation ("did not say") is not the event's
            break
        infinitival_advcl = current.dep_ == "advcl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in current.children
        )  # "Turkey offered on Monday to host talks" is often parsed as an adverbial clause
        if current.dep_ in {"xcomp", "ccomp", "pcomp", "acomp"} or infinitival_advcl or (
            current.dep_ == "pobj" and head.dep_ == "prep"
        ):
            gov = head if current.dep_ != "pobj" else head.head
            lemma = gov.lemma_.lower()
            if lemma in DECISIVE_GOVERNORS:
                current = gov  # "parliament voted to lift the state of emergency": the vote does it
                continue
            if lemma in NEGATING_GOVERNORS:
                return Modality("negated", gov.text)
            if lemma in COMMISSIVE_GOVERNORS:
                return Modality("commissive", gov.text)
            if lemma in IRREALIS_GOVERNORS:
                return Modality("irrealis", gov.text)
            current = gov
            continue
        if current.dep_ in {"conj"}:
            current = head
            continue
        if current.dep_ == "acl" and head.pos_ in {"NOUN", "PROPN"} and (any(
            c.lower_ in {"to", "that", "whether", "if"} and c.dep_ in {"aux", "mark", "advmod"}
            for c in current.children) or head.lemma_.lower() in CONTENT_NOUNS
        ):
            # "a demand that it reverse its decision", "a plan to expel": the content of a noun, not a fact
            return Modality("irrealis", head.text)
        if current.dep_ == "advcl":
            # a participle with no subject of its own ("..., hitting carmakers") shares its head's modality;
            # a full adverbial clause has its own (an if-clause was checked at the top of the loop)
            if any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS or c.dep_ == "mark" for c in current.children):
                break
            current = head
            continue
        break
    return Modality()


def _headline_partners(verb: Token, subjects: list[Token]) -> list[Token]:
    """Headline telegraphese "Colombia, ELN rebels agree ceasefire": a proper noun that opens the sentence, is
    followed by a comma and hangs loose on the verb is coordinated with its subject."""
    if not subjects:
        return []
    first = subjects[0]
    return [c for c in verb.children
            if c.dep_ in {"npadvmod", "dep", "nsubj"} and c.pos_ == "PROPN" and c.i < first.i and c not in subjects
            and c.i + 1 < len(c.doc) and c.doc[c.i + 1].text == ","
            and all(t.is_space or t.is_punct for t in c.doc[c.sent.start:c.left_edge.i])]


def verb_frame(verb: Token, sentence: Span) -> Frame:
    frame = Frame(trigger=verb, pos="verb", sentence=sentence)
    subjects, subject_is_patient = _verb_subjects(verb)
    subjects = _headline_partners(verb, subjects) + subjects
    frame.passive = _is_passive(verb) or subject_is_patient
    if frame.passive:
        frame.objects = subjects
        frame.subjects = []
    else:
        frame.subjects = subjects
    for obj in _children(verb, OBJECT_DEPS):
        frame.objects.extend(conjuncts(obj))
    if not frame.objects and not frame.passive and verb.dep_ == "relcl" and _clause_has_own_subject(verb):
        # "expelled 45 diplomats it accused of spying": the noun the clause describes is its object
        frame.objects.extend(conjuncts(verb.head))
    if not frame.objects and not frame.passive:
        # "detained an Australian citizen working as an anchor": the parser makes the object the subject of
        # a participle clause
        for clause in _children(verb, {"ccomp", "xcomp"}):
            if clause.tag_ == "VBG":
                frame.objects.extend(t for s in _children(clause, {"nsubj"}) if s.pos_ in {"NOUN", "PROPN"}
                                     for t in conjuncts(s))
    for obj in _children(verb, {"dative"}):
        if obj.pos_ in {"NOUN", "PROPN", "PRON"}:
            frame.iobjs.extend(conjuncts(obj))
    # "stepped down" may parse "down" as advmod: accept it as a particle too
    # ("fired tear gas on Thursday" has no particle "on": a preposition that only dates the act is not one)
    frame.particles = {c.lower_ for c in verb.children if c.dep_ in {"prt", "prep", "advmod"}
                       and not (c.dep_ == "prep" and any(g.dep_ == "pobj" and g.ent_type_ in TIME_LABELS
                                                         for g in c.children))}
    _prep_objects(verb, frame.preps)
    if frame.passive:
        frame.agents = frame.preps.get("by", [])
    xcomps = _children(verb, {"xcomp"})
    frame.xcomp = xcomps[0] if xcomps else None
    frame.modality = modality(verb)
    frame.speech_verb, frame.speakers = _speech_context(verb)
    return frame


def noun_frame(noun: Token, sentence: Span) -> Frame:
    frame = Frame(trigger=noun, pos="noun", sentence=sentence)
    _prep_objects(noun, frame.preps)
    frame.particles = {c.lower_ for c in noun.children if c.dep_ == "prep"}  # "its call on Britain"
    frame.possessors = [t for p in _children(noun, {"poss"}) for t in conjuncts(p)]
    frame.modifiers = [c for c in noun.children if c.dep_ in {"compound", "amod", "nmod"} and c.i < noun.i]
    head = noun.head
    # "a fresh round of talks", "the start of an offensive": the noun phrase that holds the event noun
    holder = noun
    while holder.dep_ == "pobj" and holder.head.lower_ == "of" and holder.head.head.pos_ in {"NOUN", "PROPN"}:
        holder = holder.head.head
    if holder is not noun:
        head = holder.head
    if holder.dep_ in OBJECT_DEPS | {"nsubjpass", "nsubj", "appos"} and head.pos_ in {"VERB", "AUX"}:
        frame.governor = head
    elif holder.dep_ == "pobj" and head.head.pos_ == "VERB":
        frame.governor = head.head
    gov_mod = modality(frame.governor) if frame.governor is not None else Modality()
    frame.modality = gov_mod
    if noun.dep_ == "attr":
        # "It was the first such exercise between the two forces": a restatement, not a new event
        frame.modality = Modality("background", noun.head.text)
    if noun.dep_ == "pobj" and _background_preposition(noun.head):
        # "ahead of protests", "over the crackdown", "after talks": the circumstances of another event
        frame.modality = Modality("background", head.text)
    if frame.modality.asserted:
        for child in noun.children:
            if child.dep_ == "det" and child.lower_ in {"no", "neither"}:
                frame.modality = Modality("negated", child.text)
            elif child.dep_ in {"amod", "compound"} and child.lower_ in IRREALIS_NOUN_MODIFIERS:
                frame.modality = Modality("irrealis", child.text)
    frame.speech_verb, frame.speakers = _speech_context(frame.governor or noun)
    return frame


BACKGROUND_PREPOSITIONS = {"over", "after", "before", "amid", "following", "during", "despite", "since", "until",
                           "under",
                           "ahead", "about", "because", "due", "prior", "pending", "regarding", "concerning"}


def _background_preposition(prep: Token) -> bool:
    word = prep.lower_
    if word in BACKGROUND_PREPOSITIONS:
        return True
    # "ahead of", "in protest at", "in response to", "because of": the first word of a complex preposition
    return word in {"of", "at", "to", "with"} and prep.head.lower_ in {
        "ahead", "protest", "response", "because", "wake", "light", "view", "spite", "favour", "favor", "line",
        "accordance", "compliance"}


def iter_frames(sentence: Span, verb_lemmas: Iterable[str] | frozenset[str], noun_lemmas: frozenset[str]
                ) -> Iterator[Frame]:
    """Frames for every verb in ``verb_lemmas`` and noun in ``noun_lemmas`` in the sentence."""
    verbs = verb_lemmas if isinstance(verb_lemmas, frozenset) else frozenset(verb_lemmas)
    for token in sentence:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and lemma in verbs:
            yield verb_frame(token, sentence)
        elif token.pos_ in {"NOUN", "PROPN"} and lemma in noun_lemmas and token.dep_ != "compound":
            # an event noun that only modifies another noun is no event: "riot police", "strike group"
            yield noun_frame(token, sentence)
        elif token.pos_ in {"NOUN", "PROPN", "ADJ"} and token.lower_ in noun_lemmas and token.tag_ in {"NNS", "NNPS"}:
            yield noun_frame(token, sentence)
        elif token.pos_ == "PROPN" and token.tag_ == "NNPS" and token.dep_ != "compound" and any(
                stem in noun_lemmas for stem in singular_forms(token.lower_)):
            # "Riots broke out ...": a capitalised plural at the start of a sentence tagged as a proper noun
            yield noun_frame(token, sentence)


def singular_forms(word: str) -> list[str]:
    """Candidate singulars of a regular English plural ("riots" → riot, "crises" → crise/cris, "parties" → party)."""
    if word.endswith("ies") and len(word) > 4:
        return [word[:-3] + "y"]
    if word.endswith("es") and len(word) > 3:
        return [word[:-1], word[:-2]]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return [word[:-1]]
    return []
