"""Writing coded articles into the store: article rows, record rows, dyadic mention rows, one batch at a time.

A coded record may name several actors and recipients ("Canada and the UK barred ..."). The ``records`` table
keeps each record exactly as coded; the ``mentions`` table holds one row per actor x recipient pair, the unit
that dyad series, de-duplication and the GDELT/ICEWS-style exports work with.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from dotterel.records import Article
from dotterel.store.db import ARTICLE_COLUMNS, MENTION_COLUMNS, RECORD_COLUMNS, arrow_schema
from dotterel.store.dedup import DedupRule, entity_key, match_key, recluster

_ARTICLE_SCHEMA = arrow_schema(ARTICLE_COLUMNS)
_RECORD_SCHEMA = arrow_schema(RECORD_COLUMNS)
_MENTION_SCHEMA = arrow_schema(MENTION_COLUMNS)


def content_hash(text: str) -> str:
    """Hash of an article's text (surrounding whitespace ignored): the idempotency key besides the id."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def parse_day(value: Any) -> date | None:
    """Dates in records are ISO strings, possibly only 'YYYY-MM' or 'YYYY' (precision month/year)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for candidate in (text[:10], text[:7] + "-01", text[:4] + "-01-01"):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    return None


@dataclass(slots=True)
class CodedBatchItem:
    """One article with its coded records (EventRecord dicts) or its coding error."""

    article: Article
    records: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    replaces: bool = False  # an article with this id is already stored (with another text)


def _entity_cols(prefix: str, entity: dict[str, Any] | None, key: str) -> dict[str, Any]:
    e = entity or {}
    return {
        f"{prefix}_text": e.get("text"),
        f"{prefix}_name": e.get("name"),
        f"{prefix}_country": e.get("country"),
        f"{prefix}_sector": e.get("sector"),
        f"{prefix}_sectors": list(e.get("sectors") or []),
        f"{prefix}_title": e.get("title"),
        f"{prefix}_key": key,
    }


def mention_rows(
    article: Article, records: list[dict[str, Any]], rule: DedupRule, country_names: dict[str, str]
) -> list[dict[str, Any]]:
    """Flatten records to dyadic mention rows (one per actor x recipient; an empty side is one None)."""
    rows: list[dict[str, Any]] = []
    for seq, rec in enumerate(records):
        evidence = rec.get("evidence") or {}
        loc = rec.get("location") or {}
        pub = parse_day(rec.get("pub_date")) or article.pub_date
        when = parse_day(rec.get("date")) or pub
        actors = rec.get("actor") or [None]
        recipients = rec.get("recipient") or [None]
        for ai, actor in enumerate(actors):
            a_key = entity_key(actor, rule.actor_level, country_names)
            for ri, recipient in enumerate(recipients):
                r_key = entity_key(recipient, rule.actor_level, country_names)
                row = {
                    "mention_id": f"{article.id}#{seq}/{ai}/{ri}",
                    "article_id": article.id,
                    "seq": seq,
                    "record_id": rec.get("id"),
                    "event_type": rec.get("event"),
                    "mode": rec.get("mode"),
                    "contexts": list(rec.get("context") or []),
                    "cameo": rec.get("cameo"),
                    "quad": rec.get("quad"),
                    "goldstein": rec.get("goldstein"),
                    "date": when,
                    "date_precision": rec.get("date_precision"),
                    "pub_date": pub,
                    "source": article.source,
                    **_entity_cols("a", actor, a_key),
                    **_entity_cols("r", recipient, r_key),
                    "loc_text": loc.get("text"),
                    "loc_name": loc.get("name"),
                    "loc_country": loc.get("country"),
                    "lat": loc.get("lat"),
                    "lon": loc.get("lon"),
                    "sentence_index": evidence.get("sentence_index"),
                    "sentence": evidence.get("sentence"),
                    "trigger": evidence.get("trigger"),
                    "confidence": rec.get("confidence"),
                    "dedup_key": match_key(
                        rule,
                        rec.get("event") or "",
                        rec.get("mode"),
                        rec.get("cameo"),
                        a_key,
                        r_key,
                        loc.get("country"),
                    ),
                    "event_id": None,
                }
                rows.append(row)
    return rows


def _article_row(item: CodedBatchItem, coder_version: str, now: datetime) -> dict[str, Any]:
    a = item.article
    return {
        "id": a.id,
        "content_hash": content_hash(a.text),
        "source": a.source,
        "url": a.url,
        "title": a.title,
        "pub_date": a.pub_date,
        "text": a.text,
        "origin": a.origin,
        "coder_version": coder_version,
        "n_records": len(item.records),
        "error": item.error,
        "ingested_at": now,
    }


def write_batch(
    con: duckdb.DuckDBPyConnection,
    items: Iterable[CodedBatchItem],
    coder_version: str,
    rule: DedupRule,
    country_names: dict[str, str],
) -> tuple[int, int]:
    """Write one batch in one transaction: replace changed articles, insert new ones, re-cluster touched keys.

    Returns (articles written, mention rows written). Either the whole batch is stored or none of it.
    """
    latest: dict[str, CodedBatchItem] = {}
    for item in items:  # the same id twice in one batch: the later text wins, as it would across batches
        latest.pop(item.article.id, None)
        latest[item.article.id] = item
    items = list(latest.values())
    if not items:
        return 0, 0
    now = datetime.now()
    articles = [_article_row(i, coder_version, now) for i in items]
    records = [
        {
            "article_id": i.article.id,
            "seq": s,
            "record_id": r.get("id"),
            "record": json.dumps(r, ensure_ascii=False, sort_keys=False),
        }
        for i in items
        for s, r in enumerate(i.records)
    ]
    mentions = [m for i in items for m in mention_rows(i.article, i.records, rule, country_names)]
    ids = pa.table({"id": pa.array([i.article.id for i in items], pa.string())})
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("_batch_ids", ids)
        old_keys = {
            k
            for (k,) in con.execute(
                "SELECT DISTINCT dedup_key FROM mentions WHERE article_id IN (SELECT id FROM _batch_ids)"
            ).fetchall()
        }
        for table, column in (("mentions", "article_id"), ("records", "article_id"), ("articles", "id")):
            con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM _batch_ids)")
        con.unregister("_batch_ids")
        for table, rows, schema in (
            ("articles", articles, _ARTICLE_SCHEMA),
            ("records", records, _RECORD_SCHEMA),
            ("mentions", mentions, _MENTION_SCHEMA),
        ):
            if rows:
                con.register("_batch_rows", pa.Table.from_pylist(rows, schema=schema))
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _batch_rows")
                con.unregister("_batch_rows")
        recluster(con, rule, old_keys | {m["dedup_key"] for m in mentions})
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(items), len(mentions)
