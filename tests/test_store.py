"""Event store: idempotent ingest, replacement, de-duplication cases, queries, dyads, profiles, exports."""

from __future__ import annotations

import json
import threading
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dotterel.records import Article
from dotterel.store import DedupRule, EventStore, StoreError
from dotterel.store.dedup import cluster, entity_key
from dotterel.store.exports import ICEWS_COLUMNS, POLECAT_COLUMNS, gdelt_columns
from dotterel.store.synth import SynthCorpus, generate


def ent(country: str | None, sector: str | None = "GOV", name: str | None = None) -> dict:
    return {
        "text": name or f"{country} {sector}",
        "name": name,
        "country": country,
        "sector": sector,
        "sectors": [],
        "title": None,
    }


def rec(
    n: int,
    event: str,
    actor: dict | list,
    recipient: dict | list | None,
    day: str,
    *,
    cameo: str = "163",
    quad: int = 4,
    goldstein: float = -8.0,
    sentence_index: int = 0,
    location: dict | None = None,
    confidence: float = 0.8,
) -> dict:
    return {
        "id": f"r{n}",
        "doc_id": "x",
        "event": event,
        "mode": None,
        "context": ["economic"],
        "cameo": cameo,
        "quad": quad,
        "goldstein": goldstein,
        "date": day,
        "date_precision": "day",
        "pub_date": day,
        "actor": actor if isinstance(actor, list) else [actor],
        "recipient": [] if recipient is None else (recipient if isinstance(recipient, list) else [recipient]),
        "location": location,
        "evidence": {
            "sentence": f"sentence {n}",
            "sentence_index": sentence_index,
            "start": 0,
            "end": 10,
            "trigger": "imposed",
        },
        "attribution": None,
        "confidence": confidence,
        "reasons": {"event": "test"},
    }


def art(aid: str, day: str, source: str, text: str | None = None, url: str | None = None) -> Article:
    return Article(
        id=aid,
        text=text or f"Text of {aid} from {source}.",
        pub_date=date.fromisoformat(day),
        title=f"Title {aid}",
        url=url or f"https://example.org/{aid}",
        source=source,
    )


USA, NIC, KHM, THA = ent("USA"), ent("NIC"), ent("KHM"), ent("THA")


@pytest.fixture
def store(tmp_path: Path):
    with EventStore(tmp_path / "t.duckdb", batch_size=3) as s:
        yield s


# ------------------------------------------------------------------------------------------ de-duplication


def test_same_sanction_from_three_outlets_on_two_days_is_one_event(store: EventStore) -> None:
    store.add_coded(
        [
            (art("a1", "2021-11-16", "Wire One"), [rec(1, "SANCTION", USA, NIC, "2021-11-16")]),
            (art("a2", "2021-11-16", "Daily Two"), [rec(2, "SANCTION", USA, NIC, "2021-11-16")]),
            # the third outlet reports a day later and its date resolver fell back to its publication date
            (art("a3", "2021-11-17", "Post Three"), [rec(3, "SANCTION", USA, NIC, "2021-11-17")]),
        ],
        "test",
    )
    events = store.query()
    assert len(events) == 1
    row = events.iloc[0]
    assert (row.n_mentions, row.n_sources, row.n_articles) == (3, 3, 3)
    assert str(row.date)[:10] == "2021-11-16" and str(row.last_date)[:10] == "2021-11-17"
    assert str(row.first_report)[:10] == "2021-11-16" and str(row.last_report)[:10] == "2021-11-17"
    mentions = store.query(level="mentions")
    assert set(mentions.event_id) == {row.event_id}


def test_two_meetings_of_the_same_pair_a_week_apart_are_two_events(store: EventStore) -> None:
    store.add_coded(
        [
            (
                art("m1", "2019-03-05", "Wire One"),
                [rec(1, "CONSULT", KHM, THA, "2019-03-05", cameo="040", quad=1, goldstein=1.0)],
            ),
            (
                art("m2", "2019-03-05", "Daily Two"),
                [rec(2, "CONSULT", KHM, THA, "2019-03-05", cameo="040", quad=1, goldstein=1.0)],
            ),
            (
                art("m3", "2019-03-12", "Wire One"),
                [rec(3, "CONSULT", KHM, THA, "2019-03-12", cameo="040", quad=1, goldstein=1.0)],
            ),
        ],
        "test",
    )
    events = store.query()
    assert sorted(events.n_mentions.tolist()) == [1, 2]
    assert [str(d)[:10] for d in events.date] == ["2019-03-05", "2019-03-12"]


def test_different_types_or_recipients_stay_apart_and_window_is_anchored(store: EventStore) -> None:
    store.add_coded(
        [
            (
                art("b1", "2022-01-01", "S1"),
                [
                    rec(1, "SANCTION", USA, NIC, "2022-01-01"),
                    rec(2, "ACCUSE", USA, NIC, "2022-01-01", cameo="112", quad=3),
                    rec(3, "SANCTION", USA, KHM, "2022-01-01"),
                ],
            ),
            # daily reports: 1st-3rd lie within 2 days of the 1st; the 4th starts a new event (no chaining)
            (art("b2", "2022-01-02", "S2"), [rec(4, "SANCTION", USA, NIC, "2022-01-02")]),
            (art("b3", "2022-01-03", "S3"), [rec(5, "SANCTION", USA, NIC, "2022-01-03")]),
            (art("b4", "2022-01-04", "S4"), [rec(6, "SANCTION", USA, NIC, "2022-01-04")]),
        ],
        "test",
    )
    sanctions = store.query(event="SANCTION", recipient="NIC")
    assert sorted(sanctions.n_mentions.tolist()) == [1, 3]
    assert len(store.query(event="ACCUSE")) == 1
    assert len(store.query(recipient="KHM")) == 1


def test_named_actor_versus_country_depends_on_match_level(tmp_path: Path) -> None:
    items = [
        (art("n1", "2022-05-01", "S1"), [rec(1, "SANCTION", ent("USA", name="Jane Roe"), NIC, "2022-05-01")]),
        (art("n2", "2022-05-01", "S2"), [rec(2, "SANCTION", USA, NIC, "2022-05-01")]),
    ]
    with EventStore(tmp_path / "e.duckdb") as s:
        s.add_coded(items, "test")
        assert s.stats()["events"] == 2
    # reopening with a coarser rule re-keys and re-clusters the stored mentions
    with EventStore(tmp_path / "e.duckdb", rule=DedupRule(actor_level="country_sector")) as s:
        assert s.stats()["events"] == 1
        assert s.stats()["dedup_rule"]["actor_level"] == "country_sector"
    with EventStore(tmp_path / "e.duckdb", read_only=True) as s:  # the rule is remembered
        assert s.rule.actor_level == "country_sector"


def test_window_zero_and_rule_validation() -> None:
    d = date(2020, 1, 1)
    out = cluster([("a", d, 1.0), ("b", date(2020, 1, 2), 1.0), ("c", None, 1.0)], 0)
    assert len({n for _, n in out}) == 3
    assert len({n for _, n in cluster([("a", d, 1.0), ("b", date(2020, 1, 2), 1.0)], 1)}) == 1
    with pytest.raises(ValueError, match="keys"):
        DedupRule(keys=("event", "colour"))
    with pytest.raises(ValueError, match="actor_level"):
        DedupRule(actor_level="planet")
    assert entity_key(ent("KHM", name="Cambodia"), "entity", {"KHM": "Cambodia"}) == "c:KHM/GOV"
    assert entity_key(None, "entity") == "-"


# ------------------------------------------------------------------------------------ idempotency, replace


def test_ingesting_twice_changes_nothing_and_changed_text_replaces(store: EventStore) -> None:
    items = [
        (art("i1", "2021-01-01", "S1"), [rec(1, "SANCTION", USA, NIC, "2021-01-01")]),
        (art("i2", "2021-01-01", "S2"), [rec(2, "SANCTION", USA, NIC, "2021-01-01")]),
    ]
    first = store.add_coded(items, "v1")
    assert first.new == 2
    before = store.stats()
    again = store.add_coded(items, "v1")
    assert (again.new, again.unchanged) == (0, 2)
    # same text under another id (a syndicated copy): nothing changes, the alias is remembered
    copy = store.add_coded(
        [
            (
                art("i9", "2021-01-02", "S9", text=items[0][0].text),
                [rec(9, "SANCTION", USA, NIC, "2021-01-02")],
            )
        ],
        "v1",
    )
    assert copy.duplicate_content == 1
    after = store.stats()
    assert {k: after[k] for k in ("articles", "mentions", "events")} == {
        k: before[k] for k in ("articles", "mentions", "events")
    }
    assert after["duplicate_texts"] == 1
    # a corrected text for i2: its old mention goes, its new events come in
    changed = store.add_coded(
        [
            (
                art("i2", "2021-01-01", "S2", text="Corrected text."),
                [rec(3, "CONSULT", KHM, THA, "2021-01-01", cameo="040", quad=1)],
            )
        ],
        "v1",
    )
    assert changed.replaced == 1
    events = store.query()
    assert sorted(events.event_type) == ["CONSULT", "SANCTION"]
    assert events.set_index("event_type").loc["SANCTION", "n_mentions"] == 1
    assert store.stats()["articles"] == 2


def test_multi_actor_record_becomes_dyadic_mentions(store: EventStore) -> None:
    store.add_coded(
        [(art("d1", "2021-11-16", "S1"), [rec(1, "SANCTION", [ent("CAN"), ent("GBR")], NIC, "2021-11-16")])],
        "v1",
    )
    mentions = store.query(level="mentions")
    assert sorted(mentions.a_country) == ["CAN", "GBR"]
    assert store.stats()["records"] == 1
    assert len(store.query(actor="GBR", recipient="NIC")) == 1


def test_reads_in_another_thread_see_only_committed_batches(tmp_path: Path) -> None:
    with EventStore(tmp_path / "c.duckdb", batch_size=10) as s:
        seen: list[tuple[int, int]] = []
        stop = threading.Event()

        def reader() -> None:
            cur = s.reader()
            while not stop.is_set():
                seen.append(
                    cur.execute(
                        "SELECT (SELECT count(*) FROM articles), "
                        "(SELECT count(DISTINCT article_id) FROM mentions)"
                    ).fetchall()[0]
                )
                time.sleep(0.002)

        def slow():
            for pair in generate(120, seed=3):
                time.sleep(0.001)
                yield pair

        thread = threading.Thread(target=reader)
        thread.start()
        s.add_coded(slow(), "v1")
        stop.set()
        thread.join()
    assert seen, "the reader ran"
    # every observation is a whole number of batches, and articles and mentions always agree
    assert all(a % 10 == 0 and a == m for a, m in seen)
    assert len({a for a, _ in seen}) > 2


def test_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "l.duckdb"
    with EventStore(path):
        code = (
            "from dotterel.store import EventStore, StoreLockedError\n"
            f"try:\n    EventStore(r'{path}')\nexcept StoreLockedError as e:\n    print('LOCKED', e)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "LOCKED" in out.stdout and "another process" in out.stdout and "PID" in out.stdout, out.stderr
    with pytest.raises(StoreError, match="no such store"):
        EventStore(tmp_path / "missing.duckdb", read_only=True)


# ------------------------------------------------------------------------------- query, dyad and profile


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("corpus") / "s.duckdb"
    truth = SynthCorpus()
    with EventStore(path, batch_size=200) as s:
        s.add_coded(generate(1500, seed=11, corpus=truth), "synthetic")
        s.add_coded(
            [
                (
                    art("k1", "2023-02-10", "Own Wire", url="https://example.org/k1"),
                    [
                        rec(
                            1,
                            "SANCTION",
                            USA,
                            KHM,
                            "2023-02-10",
                            sentence_index=0,
                            location={
                                "text": "Phnom Penh",
                                "name": "Phnom Penh",
                                "country": "KHM",
                                "lat": 11.56,
                                "lon": 104.92,
                            },
                        ),
                        rec(
                            2,
                            "CONSULT",
                            ent("KHM", "GOV"),
                            ent("USA", "GOV"),
                            "2023-03-03",
                            cameo="042",
                            quad=1,
                            goldstein=1.9,
                            sentence_index=2,
                        ),
                        rec(
                            3,
                            "AID",
                            ent("UNO", "IGO"),
                            ent("ROU", "GOV", name="Ana Pop"),
                            "2023-03-04",
                            cameo="073",
                            quad=2,
                            goldstein=7.4,
                            sentence_index=3,
                        ),
                    ],
                )
            ],
            "v1",
        )
    s = EventStore(path, read_only=True)
    yield s, truth
    s.close()


def test_query_filters(corpus_store) -> None:
    s, _ = corpus_store
    all_events = s.query()
    assert len(all_events) == s.stats()["events"]
    usa = s.query(actor="USA")
    assert len(usa) and set(usa.a_country) == {"USA"}
    gov = s.query(actor="USA/GOV", quad=[3, 4], start="2023-02-01", end="2023-06-30")
    assert set(gov.a_sector) == {"GOV"} and set(gov.quad) <= {3, 4}
    assert all("2023-02-01" <= str(d)[:10] <= "2023-06-30" for d in gov.date)
    assert len(s.query(actor="Ana Pop")) == 0 and len(s.query(recipient="ana pop")) == 1
    assert len(s.query(entity="KHM")) == len(s.query(actor="KHM")) + len(s.query(recipient="KHM")) - len(
        s.query(actor="KHM", recipient="KHM")
    )
    assert set(s.query(cameo="04", source="Own Wire").cameo) == {"042"}
    with pytest.raises(ValueError, match="unknown PLOVER"):
        s.query(event="HUG")


def test_dyad_series_both_directions_and_chart(corpus_store, tmp_path: Path) -> None:
    s, _ = corpus_store
    series = s.dyad("USA", "KHM", by="month")
    assert set(series.direction) == {"USA->KHM", "KHM->USA"}
    raw = s.query(actor="USA", recipient="KHM")
    back = s.query(actor="KHM", recipient="USA")
    assert series[series.direction == "USA->KHM"].events.sum() == len(raw)
    assert series[series.direction == "KHM->USA"].events.sum() == len(back)
    assert abs(series[series.direction == "USA->KHM"].goldstein.sum() - raw.goldstein.sum()) < 1e-9
    assert (series[["quad1", "quad2", "quad3", "quad4"]].sum(axis=1) == series.events).all()
    from dotterel.store.query import EVENT_TYPES

    assert (series[list(EVENT_TYPES)].sum(axis=1) == series.events).all()
    feb = series[(series.period == date(2023, 2, 1)) & (series.direction == "USA->KHM")]
    assert feb.SANCTION.iloc[0] >= 1
    for suffix in (".png", ".svg"):
        out = s.dyad_chart("USA", "KHM", tmp_path / f"d{suffix}", by="week")
        assert out.stat().st_size > 1000
    assert (tmp_path / "d.svg").read_text().lstrip().startswith("<?xml")


def test_profile(corpus_store) -> None:
    s, _ = corpus_store
    prof = s.profile("KHM", top=5)
    n = len(s.query(entity="KHM"))
    assert prof["events"] == n and prof["as_actor"] + prof["as_recipient"] == n
    assert prof["cooperation"] + prof["conflict"] == n
    assert sum(prof["by_quad"].values()) == n
    assert len(prof["counterparts"]) <= 5
    assert prof["by_type"][["as_actor", "as_recipient"]].to_numpy().sum() == n


# ---------------------------------------------------------------------------------------------- exports


def test_exports_read_back(corpus_store, tmp_path: Path) -> None:
    s, _ = corpus_store
    n_events = len(s.query(start="2023-02-01", end="2023-03-31"))
    kw = {"start": "2023-02-01", "end": "2023-03-31"}

    assert s.export("gdelt", tmp_path / "g.tsv", **kw) == n_events
    g = pd.read_csv(
        tmp_path / "g.tsv", sep="\t", header=None, names=gdelt_columns(), dtype=str, keep_default_na=False
    )
    assert g.shape == (n_events, 61)
    sanction = g[(g.Actor1CountryCode == "USA") & (g.Actor2CountryCode == "KHM") & (g.EventCode == "163")]
    row = sanction[sanction.SOURCEURL == "https://example.org/k1"].iloc[0]
    assert (row.Actor1Code, row.Actor1Type1Code, row.EventBaseCode, row.EventRootCode) == (
        "USAGOV",
        "GOV",
        "163",
        "16",
    )
    assert (row.QuadClass, row.GoldsteinScale, row.IsRootEvent, row.SQLDATE) == ("4", "-8.0", "1", "20230210")
    assert (row.ActionGeo_CountryCode, row.ActionGeo_Type) == ("CB", "4")  # FIPS, world city
    assert row.ActionGeo_FullName == "Phnom Penh, Cambodia" and float(row.ActionGeo_Lat) == 11.56
    aid = g[g.EventCode == "073"].iloc[0]
    assert (aid.Actor1Code, aid.Actor1KnownGroupCode, aid.Actor1CountryCode) == ("IGOUNO", "UNO", "")
    assert (aid.Actor2CountryCode, aid.Actor2Name, aid.QuadClass) == ("ROM", "ANA POP", "2")
    assert g.GLOBALEVENTID.str.fullmatch(r"\d+").all() and g.GLOBALEVENTID.is_unique

    assert s.export("icews", tmp_path / "i.tsv", **kw) == n_events
    i = pd.read_csv(tmp_path / "i.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert list(i.columns) == ICEWS_COLUMNS
    row = i[(i["Story ID"] == "k1") & (i["CAMEO Code"] == "042")].iloc[0]
    assert row["Source Name"] == "Government (Cambodia)" and row["Target Country"] == "United States"
    assert row["Event Text"] == "make a visit" and row["Intensity"] == "1.9" and row["Sentence Number"] == "3"
    assert row["Publisher"] == "Own Wire"

    assert s.export("polecat", tmp_path / "p.tsv", **kw) == n_events
    p = pd.read_csv(tmp_path / "p.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert list(p.columns) == POLECAT_COLUMNS
    row = p[p["Story ID"] == "k1"].set_index("Event Type").loc["SANCTION"]
    assert (row["Actor Country"], row["Recipient Country"], row["Quad Code"], row["Placename"]) == (
        "USA",
        "KHM",
        "4",
        "Phnom Penh",
    )
    assert row["Contexts"] == "economic" and row["Version"] == "v1"

    assert s.export("parquet", tmp_path / "e.parquet", **kw) == n_events
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == n_events and table.schema.metadata[b"dotterel.level"] == b"events"
    frame = table.to_pandas()
    assert {"event_id", "n_mentions", "a_country", "contexts"} <= set(frame.columns)
    assert frame.n_mentions.sum() == s.query(level="mentions", **kw).event_id.isin(frame.event_id).sum()

    n_records = s.export("plover", tmp_path / "r.jsonl", actor="USA", recipient="KHM", **kw)
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert len(lines) == n_records > 0
    assert all({"id", "event", "actor", "recipient", "evidence", "reasons"} <= set(r) for r in lines)
    assert any(r["id"] == "r1" and r["location"]["name"] == "Phnom Penh" for r in lines)
    with pytest.raises(ValueError, match="unknown export format"):
        s.export("xml", tmp_path / "x.xml")


def test_synthetic_dedup_is_close_to_truth(corpus_store) -> None:
    s, truth = corpus_store
    synthetic = s.query(source=None)
    n = len(synthetic) - 3  # the three hand-written events of k1
    # entity level splits reports that name the spokesperson; the count stays within 40% of the truth
    assert truth.true_events <= n < 1.4 * truth.true_events
