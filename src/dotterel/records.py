"""Typed records passed between the stages of the flow.

The JSON shape of :class:`EventRecord` is the public contract (see README, "The event record"):
keep field names and types stable; add fields rather than rename them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(slots=True)
class Article:
    """One input document, validated and normalised by ``dotterel.ingest``."""

    id: str
    text: str
    pub_date: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None  # where it came from, e.g. "corpus.jsonl:17", for error messages


@dataclass(slots=True)
class Entity:
    """A resolved actor: what the text says and who it is."""

    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    sectors: list[str] = field(default_factory=list)
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "sector": self.sector,
            "sectors": list(self.sectors),
            "title": self.title,
        }


@dataclass(slots=True)
class Location:
    """Where the event happened: the text as written and its gazetteer entry."""

    text: str
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    geonames_id: int | None = None
    reason: str | None = None  # kept in ``reasons["location"]``, not in the record's location object

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "admin1": self.admin1, "geonames_id": self.geonames_id}


@dataclass(slots=True)
class Evidence:
    sentence: str
    sentence_index: int
    start: int  # character offset of the sentence in the article text
    end: int
    trigger: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Attribution:
    speaker: Entity
    cue: str

    def to_dict(self) -> dict[str, Any]:
        return {"speaker": self.speaker.to_dict(), "cue": self.cue}


@dataclass(slots=True)
class EventRecord:
    """One coded event; ``to_dict`` gives the JSON contract."""

    id: str
    doc_id: str
    event: str
    mode: str | None
    context: list[str]
    cameo: str
    quad: int
    goldstein: float
    date: str | None
    date_precision: str | None
    pub_date: str | None
    actor: list[Entity]
    recipient: list[Entity]
    location: Location | None
    evidence: Evidence
    attribution: Attribution | None
    confidence: float
    reasons: dict[str, str]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventRecord:
        """The inverse of ``to_dict`` (records coded in worker processes come back as dicts)."""
        loc = data.get("location")
        attribution = data.get("attribution")
        return cls(
            id=data["id"], doc_id=data["doc_id"], event=data["event"], mode=data.get("mode"),
            context=list(data.get("context") or []), cameo=data["cameo"], quad=data["quad"],
            goldstein=data["goldstein"], date=data.get("date"), date_precision=data.get("date_precision"),
            pub_date=data.get("pub_date"), actor=[Entity(**e) for e in data.get("actor") or []],
            recipient=[Entity(**e) for e in data.get("recipient") or []],
            location=Location(**loc) if loc else None, evidence=Evidence(**data["evidence"]),
            attribution=Attribution(Entity(**attribution["speaker"]), attribution["cue"]) if attribution else None,
            confidence=data["confidence"], reasons=dict(data.get("reasons") or {}),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "event": self.event,
            "mode": self.mode,
            "context": list(self.context),
            "cameo": self.cameo,
            "quad": self.quad,
            "goldstein": self.goldstein,
            "date": self.date,
            "date_precision": self.date_precision,
            "pub_date": self.pub_date,
            "actor": [e.to_dict() for e in self.actor],
            "recipient": [e.to_dict() for e in self.recipient],
            "location": self.location.to_dict() if self.location else None,
            "evidence": self.evidence.to_dict(),
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "confidence": self.confidence,
            "reasons": dict(self.reasons),
        }


@dataclass(slots=True)
class LearnedRole:
    """A person's role as stated by an article ("Indonesian Foreign Minister Retno Marsudi"), for the
    knowledge store: later articles that name the person without a title can resolve through it."""

    name: str
    title: str | None
    country: str | None
    sector: str | None
    sectors: list[str]
    doc_id: str
    pub_date: str | None
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class InputError(Exception):
    """A problem with one input (file, line or article); never stops the rest of a batch."""

    def __init__(self, origin: str, problem: str) -> None:
        super().__init__(f"{origin}: {problem}")
        self.origin = origin
        self.problem = problem
