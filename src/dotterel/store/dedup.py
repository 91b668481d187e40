"""De-duplication: cluster event mentions that describe the same real event.

Rule (configurable, see docs/store.md): mentions with the same *match key* (by default event type, actor
entity and recipient entity) whose event dates fall within ``window_days`` of the first date of a cluster are
one event. Clusters are anchored on their earliest date, not chained, so a daily series of protests by the
same group does not melt into one event. An entity is its person name when the coder named one, else country +
sector (``actor_level="entity"``); coarser levels are ``country_sector`` and ``country``.

Clustering is recomputed for the match keys touched by each batch, inside that batch's transaction, so the
events table is always consistent with the mentions.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

KEY_FIELDS = ("event", "mode", "cameo", "actor", "recipient", "location")
ACTOR_LEVELS = ("entity", "country_sector", "country")


@dataclass(frozen=True, slots=True)
class DedupRule:
    """How mentions are grouped into events; stored in the store's meta table."""

    window_days: int = 2
    keys: tuple[str, ...] = ("event", "actor", "recipient")
    actor_level: str = "entity"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.window_days < 0:
            raise ValueError(f"dedup window_days must be >= 0, got {self.window_days}")
        unknown = [k for k in self.keys if k not in KEY_FIELDS]
        if unknown or not self.keys:
            raise ValueError(f"dedup keys {unknown or '(none)'} not in {', '.join(KEY_FIELDS)}")
        if self.actor_level not in ACTOR_LEVELS:
            raise ValueError(f"dedup actor_level {self.actor_level!r} not in {', '.join(ACTOR_LEVELS)}")
        object.__setattr__(self, "keys", tuple(self.keys))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data["keys"] = list(self.keys)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DedupRule:
        return cls(
            window_days=int(data.get("window_days", 2)),
            keys=tuple(data.get("keys", cls.keys)),
            actor_level=str(data.get("actor_level", "entity")),
        )


def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def entity_key(entity: dict[str, Any] | None, level: str, country_names: dict[str, str] | None = None) -> str:
    """The identity of an actor for matching: person name, else country/sector; '-' when there is none."""
    if not entity:
        return "-"
    country = entity.get("country") or ""
    sector = entity.get("sector") or ""
    name = _norm(entity.get("name"))
    if name and country_names and name == _norm(country_names.get(country)):
        name = ""  # "Cambodia" as a name is the country, not a person: match it as the country
    if level == "entity" and name:
        return f"n:{name}"
    if level == "country":
        return f"c:{country}" if country else (f"n:{name}" if name else "-")
    if country or sector:
        return f"c:{country}/{sector}"
    return f"n:{name}" if name else f"t:{_norm(entity.get('text'))}"


def match_key(
    rule: DedupRule,
    event: str,
    mode: str | None,
    cameo: str | None,
    a_key: str,
    r_key: str,
    loc_country: str | None,
) -> str:
    parts = {
        "event": event,
        "mode": mode or "",
        "cameo": cameo or "",
        "actor": a_key,
        "recipient": r_key,
        "location": loc_country or "",
    }
    return "|".join(f"{k}={parts[k]}" for k in rule.keys)


def cluster(dates: list[tuple[str, date | None, float]], window_days: int) -> list[tuple[str, int]]:
    """Anchor clustering of one key's mentions: [(mention_id, date, confidence)] -> [(mention_id, number)].

    Sorted by date (mentions without a date sort last and form their own cluster); a new cluster starts when a
    mention's date is more than ``window_days`` after the current cluster's first date.
    """
    ordered = sorted(dates, key=lambda t: (t[1] is None, t[1] or date.min, t[0]))
    out: list[tuple[str, int]] = []
    number = -1
    anchor: date | None = None
    undated_cluster: int | None = None
    for mention_id, when, _ in ordered:
        if when is None:
            if undated_cluster is None:
                number += 1
                undated_cluster = number
            out.append((mention_id, undated_cluster))
            continue
        if anchor is None or (when - anchor).days > window_days:
            number += 1
            anchor = when
        out.append((mention_id, number))
    return out


def _event_id(key: str, first: date | None, first_mention: str) -> str:
    basis = f"{key}#{first.isoformat() if first else 'undated:' + first_mention}"
    return "E" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def recluster(con: duckdb.DuckDBPyConnection, rule: DedupRule, keys: set[str] | None) -> int:
    """Rebuild events for the given match keys (all keys when None); returns the number of events written.

    Runs inside the caller's transaction.
    """
    if keys is not None and not keys:
        return 0
    if keys is None:
        con.execute("DELETE FROM events")
        rows = con.execute("SELECT dedup_key, mention_id, date, confidence FROM mentions").fetchall()
    else:
        key_table = pa.table({"k": pa.array(sorted(keys), pa.string())})
        con.register("_touched_keys", key_table)
        con.execute("DELETE FROM events WHERE dedup_key IN (SELECT k FROM _touched_keys)")
        rows = con.execute(
            "SELECT dedup_key, mention_id, date, confidence FROM mentions "
            "WHERE dedup_key IN (SELECT k FROM _touched_keys)"
        ).fetchall()
        con.unregister("_touched_keys")
    by_key: dict[str, list[tuple[str, date | None, float]]] = defaultdict(list)
    for key, mention_id, when, conf in rows:
        by_key[key].append((mention_id, when, conf or 0.0))
    m_ids: list[str] = []
    e_ids: list[str] = []
    rep_rows: dict[str, tuple[str, float, date | None]] = {}
    for key, items in by_key.items():
        info = {m: (d, c) for m, d, c in items}
        groups: dict[int, list[str]] = defaultdict(list)
        for mention_id, number in cluster(items, rule.window_days):
            groups[number].append(mention_id)
        for members in groups.values():
            first = min((info[m][0] for m in members if info[m][0] is not None), default=None)
            eid = _event_id(key, first, min(members))
            # representative: highest confidence, then earliest date, then smallest id (deterministic)
            rep = min(members, key=lambda m: (-info[m][1], info[m][0] or date.max, m))
            rep_rows[eid] = (rep, 0.0, first)
            for m in members:
                m_ids.append(m)
                e_ids.append(eid)
    if not m_ids:
        return 0
    assign = pa.table({"mention_id": pa.array(m_ids, pa.string()), "event_id": pa.array(e_ids, pa.string())})
    reps = pa.table(
        {
            "event_id": pa.array(list(rep_rows), pa.string()),
            "rep_mention_id": pa.array([v[0] for v in rep_rows.values()], pa.string()),
        }
    )
    con.register("_assign", assign)
    con.register("_reps", reps)
    try:
        con.execute(
            "UPDATE mentions SET event_id = _assign.event_id FROM _assign "
            "WHERE mentions.mention_id = _assign.mention_id"
        )
        entity_cols = ", ".join(
            f"m.{s}_{n}"
            for s in ("a", "r")
            for n in ("text", "name", "country", "sector", "sectors", "title", "key")
        )
        con.execute(f"""
            INSERT INTO events BY NAME
            WITH agg AS (
              SELECT m.event_id, min(m.date) AS date, max(m.date) AS last_date, count(*) AS n_mentions,
                     count(DISTINCT coalesce(m.source, 'article:' || m.article_id)) AS n_sources,
                     count(DISTINCT m.article_id) AS n_articles, min(m.pub_date) AS first_report,
                     max(m.pub_date) AS last_report, bool_or(m.sentence_index = 0) AS is_root
                FROM mentions m JOIN _assign a ON m.mention_id = a.mention_id
               GROUP BY m.event_id)
            SELECT r.event_id, m.dedup_key, r.rep_mention_id, m.event_type, m.mode, m.contexts, m.cameo,
                   m.quad, m.goldstein, agg.date, agg.last_date, {entity_cols}, m.loc_text, m.loc_name,
                   m.loc_country, m.lat, m.lon, agg.is_root, agg.n_mentions, agg.n_sources, agg.n_articles,
                   agg.first_report, agg.last_report
              FROM _reps r JOIN mentions m ON m.mention_id = r.rep_mention_id
              JOIN agg ON agg.event_id = r.event_id""")
    finally:
        con.unregister("_assign")
        con.unregister("_reps")
    return len(rep_rows)
