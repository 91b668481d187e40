"""A synthetic corpus of coded articles with a known truth, for store tests and the 10,000-article benchmark.

Coding real text is slow (tens of articles a second), and a store's behaviour at scale (batching, de-
duplication, exports) does not depend on how the records were coded. So this module invents *world events*
(who did what to whom, when), lets several outlets report each of them over the following days, and writes
each report as an article whose records are EventRecord dicts in the coder's contract. Because every world
event is known, the de-duplication result can be scored: ``true_events`` is the number of world events
reported at least once.

Run ``python -m dotterel.store.synth --articles 10000 --db corpus.duckdb`` for throughput, size and dedup
figures.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dotterel.records import Article
from dotterel.store.codes import _data, load_code_tables, read_tsv

SOURCES = (
    "Harbour Times",
    "Meridian Wire",
    "Continental Post",
    "Lakeside Herald",
    "Northern Ledger",
    "Equator Daily",
    "Capital Bulletin",
    "Ridge Press",
    "Coastal Monitor",
    "Plateau News",
)
COUNTRIES = (
    "USA",
    "CHN",
    "RUS",
    "KHM",
    "THA",
    "VNM",
    "IND",
    "PAK",
    "GBR",
    "FRA",
    "DEU",
    "JPN",
    "KOR",
    "PRK",
    "IRN",
    "ISR",
    "TUR",
    "UKR",
    "POL",
    "BLR",
    "NIC",
    "BRA",
    "NGA",
    "KEN",
    "EGY",
    "IDN",
    "PHL",
    "AUS",
)
SECTORS = ("GOV", "GOV", "GOV", "MIL", "JUD", "LEG", "OPP", "CVL", "COP", "BUS")
VERBS = {
    "AGREE": "agreed to work with",
    "CONSULT": "held talks with",
    "SUPPORT": "praised",
    "CONCEDE": "eased restrictions on",
    "COOPERATE": "signed a trade deal with",
    "AID": "sent aid to",
    "RETREAT": "released prisoners held by",
    "REQUEST": "called on",
    "ACCUSE": "accused",
    "REJECT": "rejected a proposal from",
    "THREATEN": "threatened",
    "PROTEST": "protested against",
    "SANCTION": "imposed sanctions on",
    "MOBILIZE": "deployed troops near",
    "COERCE": "detained members of",
    "ASSAULT": "attacked",
}
GIVEN = ("Amara", "Boris", "Chen", "Dara", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jomo", "Kiri", "Lena")
FAMILY = ("Okafor", "Petrov", "Quan", "Rahman", "Silva", "Tanaka", "Usman", "Varga", "Weiss", "Yilmaz")


def _ontology() -> dict[str, tuple[int, str, float]]:
    """PLOVER type -> (quad, default CAMEO code, Goldstein of that code), from the ontology tables."""
    path = _data("ontology", "plover.tsv")
    rows = read_tsv(path, ["event", "quad", "recipient", "modes", "default_cameo"])
    cameo_path = _data("ontology", "cameo.tsv")
    goldstein = {
        r["code"]: float(r["goldstein"]) for _, r in read_tsv(cameo_path, ["code", "name", "goldstein"])
    }
    out = {}
    for _, r in rows:
        code = r["default_cameo"]
        out[r["event"]] = (int(r["quad"]), code, goldstein.get(code, goldstein.get(code[:2], 0.0)))
    return out


@dataclass(slots=True)
class WorldEvent:
    number: int
    event: str
    actor: dict[str, Any]
    recipient: dict[str, Any]
    day: date
    person: str | None  # the actor's named spokesperson, which some outlets use instead of the country


@dataclass(slots=True)
class SynthCorpus:
    """Articles with their records, plus the truth: which world events were reported."""

    seed: int = 7
    reported: set[int] = field(default_factory=set)

    @property
    def true_events(self) -> int:
        return len(self.reported)


def _entity(country: str, sector: str, names: dict[str, str]) -> dict[str, Any]:
    return {
        "text": f"{names.get(country, country)} {sector.lower()}",
        "name": None,
        "country": country,
        "sector": sector,
        "sectors": [],
        "title": None,
    }


def generate(
    n_articles: int,
    *,
    seed: int = 7,
    start: date = date(2023, 1, 1),
    days: int = 365,
    named_share: float = 0.2,
    corpus: SynthCorpus | None = None,
) -> Iterator[tuple[Article, list[dict[str, Any]]]]:
    """Yield ``n_articles`` (Article, records) pairs; about three reports per world event.

    ``named_share``: how often an outlet names the actor's spokesperson instead of the country/sector (that
    report then has a different entity: the 'entity' match level keeps it apart, 'country_sector' merges it).
    """
    rng = random.Random(seed)
    onto = _ontology()
    names = load_code_tables().country_names
    types = sorted(VERBS)
    world: list[WorldEvent] = []
    n_world = max(1, n_articles * 2 // 3)  # ~2 records per article, ~3 reports per world event
    for number in range(n_world):
        a, b = rng.sample(COUNTRIES, 2)
        person = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" if rng.random() < 0.5 else None
        world.append(
            WorldEvent(
                number,
                rng.choice(types),
                _entity(a, rng.choice(SECTORS), names),
                _entity(b, rng.choice(SECTORS), names),
                start + timedelta(days=rng.randrange(days)),
                person,
            )
        )
    world.sort(key=lambda w: (w.day, w.number))
    spread = max(4, n_world // days)  # an article covers events of about the same day or two
    for n in range(n_articles):
        source = rng.choice(SOURCES)
        centre = rng.randrange(len(world))
        near = world[max(0, centre - spread) : centre + spread + 1]
        picks = rng.sample(near, min(len(near), rng.choice((1, 1, 2, 2, 3, 4))))
        pub = max(w.day for w in picks) + timedelta(days=rng.choice((0, 0, 1, 1, 2)))
        sentences: list[str] = []
        records: list[dict[str, Any]] = []
        offset = 0
        for seq, w in enumerate(picks):
            actor = dict(w.actor)
            if w.person and rng.random() < named_share:
                actor.update(name=w.person, text=w.person, title="minister")
            verb = VERBS[w.event]
            sentence = (
                f"{actor['text'].capitalize()} {verb} {w.recipient['text']} on "
                f"{w.day.strftime('%B %d')}, {source} reported in story {n}."
            )
            quad, cameo, goldstein = onto[w.event]
            resolved = rng.random() < 0.85  # the date in the text was resolved; else the pub date is used
            records.append(
                {
                    "id": f"syn{n}-e{seq}",
                    "doc_id": f"syn{n}",
                    "event": w.event,
                    "mode": None,
                    "context": [],
                    "cameo": cameo,
                    "quad": quad,
                    "goldstein": goldstein,
                    "date": w.day.isoformat() if resolved else None,
                    "date_precision": "day" if resolved else None,
                    "pub_date": pub.isoformat(),
                    "actor": [actor],
                    "recipient": [dict(w.recipient)],
                    "location": None,
                    "evidence": {
                        "sentence": sentence,
                        "sentence_index": seq,
                        "start": offset,
                        "end": offset + len(sentence),
                        "trigger": verb.split()[0],
                    },
                    "attribution": None,
                    "confidence": round(rng.uniform(0.5, 0.95), 2),
                    "reasons": {"event": f"synthetic world event {w.number}"},
                }
            )
            if corpus is not None:
                corpus.reported.add(w.number)
            sentences.append(sentence)
            offset += len(sentence) + 1
        article = Article(
            id=f"syn{n}",
            text=" ".join(sentences),
            pub_date=pub,
            title=sentences[0][:60],
            url=f"https://news.example/{source.lower().replace(' ', '-')}/{n}",
            source=source,
            origin=f"synthetic:{n}",
        )
        yield article, records


def main(argv: list[str] | None = None) -> None:
    """Build a synthetic store and print ingest throughput, size per 1,000 articles and dedup figures."""
    from dotterel.store.core import EventStore
    from dotterel.store.dedup import DedupRule

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--db", default="synthetic.duckdb")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    path = Path(args.db)
    if path.exists():
        raise SystemExit(f"{path} exists; give a new --db path")
    corpus = SynthCorpus(seed=args.seed)
    with EventStore(path, batch_size=args.batch_size) as store:
        started = time.perf_counter()
        report = store.add_coded(generate(args.articles, seed=args.seed, corpus=corpus), "synthetic")
        elapsed = time.perf_counter() - started
        stats = store.stats()
        print(f"ingest: {report.summary()}")
        print(f"throughput: {args.articles / elapsed:.0f} articles/s (records written directly, no coding)")
        store.con.execute("CHECKPOINT")
        size = path.stat().st_size
        print(
            f"store size: {size / 1e6:.1f} MB, "
            f"{size / 1e6 / (args.articles / 1000):.2f} MB per 1,000 articles"
        )
        print(
            f"mentions {stats['mentions']}, events {stats['events']} (entity level), true events "
            f"{corpus.true_events}"
        )
    with EventStore(path, rule=DedupRule(actor_level="country_sector")) as store:
        print(f"events at country_sector level: {store.stats()['events']} (true {corpus.true_events})")


if __name__ == "__main__":  # pragma: no cover
    main()
