"""Filters, queries, dyad time series and actor profiles over the store (plain SQL on DuckDB, pandas out).

An actor/recipient/entity filter is a country code ("KHM"), a country code with a sector ("KHM/GOV") or an
entity name ("Hun Sen", case-insensitive, matched against the resolved name and the text as written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import duckdb
import pandas as pd

EVENT_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
PERIODS = {"day": "D", "week": "W-MON", "month": "MS", "year": "YS"}
LEVELS = ("events", "mentions")
_CODE = re.compile(r"[A-Z]{3}(/[A-Z]{3})?")


def _listify(value: Any) -> list[Any] | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple, set)):
        return list(value)
    if isinstance(value, str) and "," in value:
        return [v.strip() for v in value.split(",") if v.strip()]
    return [value]


def _day(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{name}: {value!r} is not a date in YYYY-MM-DD form") from exc


@dataclass(slots=True)
class Filters:
    """Query filters shared by query, dyad, profile and export. All are optional and combine with AND."""

    start: date | str | None = None  # event date >= start
    end: date | str | None = None  # event date <= end
    actor: str | None = None  # code, CODE/SECTOR or name
    recipient: str | None = None
    entity: str | None = None  # either side
    sector: str | None = None  # primary sector of either side
    actor_sector: str | None = None
    recipient_sector: str | None = None
    event: str | list[str] | None = None  # PLOVER type(s)
    quad: int | list[int] | None = None
    mode: str | None = None
    cameo: str | None = None  # code prefix: "16" matches 16, 163, 1631 ...
    source: str | None = None
    article: str | None = None  # article id (mentions level; events level: events that article reported)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def side_match(prefix: str, value: str) -> tuple[str, list[Any]]:
    """SQL condition for one side ('a' actor, 'r' recipient) matching a code, CODE/SECTOR or name."""
    value = value.strip()
    if _CODE.fullmatch(value):
        country, _, sector = value.partition("/")
        if sector:
            return f"({prefix}_country = ? AND {prefix}_sector = ?)", [country, sector]
        return f"{prefix}_country = ?", [country]
    return (f"(lower({prefix}_name) = lower(?) OR lower({prefix}_text) = lower(?))", [value, value])


def where(filters: Filters, level: str) -> tuple[str, list[Any]]:
    """WHERE clause and parameters for the filters on the events or mentions table."""
    conds: list[str] = []
    params: list[Any] = []

    def add(cond: str, values: list[Any]) -> None:
        conds.append(cond)
        params.extend(values)

    start, end = _day(filters.start, "start"), _day(filters.end, "end")
    if start:
        add("date >= ?", [start])
    if end:
        add("date <= ?", [end])
    for prefix, value in (("a", filters.actor), ("r", filters.recipient)):
        if value:
            add(*side_match(prefix, value))
    if filters.entity:
        ca, pa_ = side_match("a", filters.entity)
        cr, pr = side_match("r", filters.entity)
        add(f"({ca} OR {cr})", pa_ + pr)
    if filters.sector:
        add("(a_sector = ? OR r_sector = ?)", [filters.sector, filters.sector])
    if filters.actor_sector:
        add("a_sector = ?", [filters.actor_sector])
    if filters.recipient_sector:
        add("r_sector = ?", [filters.recipient_sector])
    types = _listify(filters.event)
    if types:
        unknown = [t for t in types if str(t).upper() not in EVENT_TYPES]
        if unknown:
            raise ValueError(f"event: unknown PLOVER type(s) {', '.join(map(str, unknown))}")
        add(f"event_type IN ({', '.join('?' * len(types))})", [str(t).upper() for t in types])
    quads = _listify(filters.quad)
    if quads:
        values = [int(v) for v in quads]
        if any(v not in (1, 2, 3, 4) for v in values):
            raise ValueError(f"quad: expected 1-4, got {quads}")
        add(f"quad IN ({', '.join('?' * len(values))})", values)
    if filters.mode:
        add("mode = ?", [filters.mode])
    if filters.cameo:
        add("starts_with(cameo, ?)", [filters.cameo])
    if filters.source:
        if level == "events":
            add(
                "event_id IN (SELECT event_id FROM mentions WHERE lower(source) = lower(?))", [filters.source]
            )
        else:
            add("lower(source) = lower(?)", [filters.source])
    if filters.article:
        if level == "events":
            add("event_id IN (SELECT event_id FROM mentions WHERE article_id = ?)", [filters.article])
        else:
            add("article_id = ?", [filters.article])
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def _table(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    return level


def select(
    con: duckdb.DuckDBPyConnection,
    level: str,
    filters: Filters,
    *,
    limit: int | None = None,
    columns: str = "*",
) -> pd.DataFrame:
    """Rows of ``events`` or ``mentions`` matching the filters, in date order."""
    table = _table(level)
    clause, params = where(filters, level)
    order = "event_id" if level == "events" else "mention_id"
    sql = f"SELECT {columns} FROM {table}{clause} ORDER BY date NULLS LAST, {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return con.execute(sql, params).df()


def dyad_series(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    *,
    by: str = "month",
    level: str = "events",
    filters: Filters | None = None,
) -> pd.DataFrame:
    """Per period and direction (``A->B``, ``B->A``): events, quad 1-4 counts, summed Goldstein, type counts.

    Periods with no events between the first and last are present with zeros, so the series can be plotted.
    """
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, got {by!r}")
    table = _table(level)
    clause, params = where(filters or Filters(), level)
    a_a, p_a_a = side_match("a", a)
    r_b, p_r_b = side_match("r", b)
    a_b, p_a_b = side_match("a", b)
    r_a, p_r_a = side_match("r", a)
    ab, ba = f"{a}->{b}", f"{b}->{a}"
    sql = (
        f"SELECT CAST(date_trunc('{by}', date) AS DATE) AS period, "
        f"CASE WHEN {a_a} AND {r_b} THEN ? ELSE ? END AS direction, event_type, quad, "
        f"count(*) AS n, sum(goldstein) AS goldstein FROM {table}"
        f"{clause}{' AND ' if clause else ' WHERE '}(({a_a} AND {r_b}) OR ({a_b} AND {r_a})) "
        "AND date IS NOT NULL GROUP BY ALL"
    )
    args = p_a_a + p_r_b + [ab, ba] + params + p_a_a + p_r_b + p_a_b + p_r_a
    raw = con.execute(sql, args).df()
    columns = ["period", "direction", "events", "goldstein", "quad1", "quad2", "quad3", "quad4", *EVENT_TYPES]
    if raw.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="object" if c in ("period", "direction") else "int64") for c in columns}
        )
    raw["period"] = pd.to_datetime(raw["period"])
    periods = pd.date_range(raw["period"].min(), raw["period"].max(), freq=PERIODS[by])
    index = pd.MultiIndex.from_product([periods, [ab, ba]], names=["period", "direction"])
    grouped = raw.groupby(["period", "direction"])
    out = pd.DataFrame(index=index)
    out["events"] = grouped["n"].sum()
    out["goldstein"] = grouped["goldstein"].sum()
    for quad in (1, 2, 3, 4):
        out[f"quad{quad}"] = raw[raw["quad"] == quad].groupby(["period", "direction"])["n"].sum()
    for event_type in EVENT_TYPES:
        out[event_type] = raw[raw["event_type"] == event_type].groupby(["period", "direction"])["n"].sum()
    out = out.fillna(0)
    for column in out.columns:
        if column != "goldstein":
            out[column] = out[column].astype("int64")
    out = out.reset_index()
    out["period"] = out["period"].dt.date
    return out[columns]


def profile(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    *,
    level: str = "events",
    filters: Filters | None = None,
    top: int = 10,
) -> dict[str, Any]:
    """An entity's events as actor and recipient, its counterparts and its cooperation/conflict balance."""
    table = _table(level)
    clause, params = where(filters or Filters(), level)
    ca, pa_ = side_match("a", entity)
    cr, pr = side_match("r", entity)
    joiner = " AND " if clause else " WHERE "
    base = f"SELECT *, ({ca}) AS as_actor FROM {table}{clause}{joiner}({ca} OR {cr})"
    args = pa_ + params + pa_ + pr
    rows = con.execute(base, args).df()
    n = len(rows)
    if n == 0:
        return {
            "entity": entity,
            "events": 0,
            "as_actor": 0,
            "as_recipient": 0,
            "first": None,
            "last": None,
            "by_quad": {1: 0, 2: 0, 3: 0, 4: 0},
            "cooperation": 0,
            "conflict": 0,
            "balance": 0.0,
            "goldstein_sum": 0.0,
            "goldstein_mean": 0.0,
            "by_type": pd.DataFrame(columns=["event_type", "as_actor", "as_recipient"]),
            "counterparts": pd.DataFrame(
                columns=[
                    "counterpart",
                    "events",
                    "as_actor",
                    "as_recipient",
                    "cooperation",
                    "conflict",
                    "goldstein",
                ]
            ),
        }
    coop = int(rows["quad"].isin([1, 2]).sum())
    conflict = int(rows["quad"].isin([3, 4]).sum())
    by_type = (
        rows.assign(as_recipient=~rows["as_actor"])
        .groupby("event_type")[["as_actor", "as_recipient"]]
        .sum()
        .astype("int64")
        .reset_index()
        .sort_values(["as_actor", "as_recipient"], ascending=False)
    )

    def other(row: pd.Series) -> str:
        side = "r" if row["as_actor"] else "a"
        name, country, sector = row[f"{side}_name"], row[f"{side}_country"], row[f"{side}_sector"]
        if isinstance(name, str) and name:
            return f"{name} ({country or '?'})"
        label = "/".join(x for x in (country, sector) if isinstance(x, str) and x)
        return label or "(none)"

    rows["counterpart"] = rows.apply(other, axis=1)
    rows["cooperation"] = rows["quad"].isin([1, 2]).astype("int64")
    rows["conflict"] = rows["quad"].isin([3, 4]).astype("int64")
    rows["as_recipient"] = ~rows["as_actor"]
    counterparts = (
        rows.groupby("counterpart")
        .agg(
            events=("quad", "size"),
            as_actor=("as_actor", "sum"),
            as_recipient=("as_recipient", "sum"),
            cooperation=("cooperation", "sum"),
            conflict=("conflict", "sum"),
            goldstein=("goldstein", "sum"),
        )
        .reset_index()
        .sort_values(["events", "counterpart"], ascending=[False, True])
        .head(top)
    )
    for column in ("as_actor", "as_recipient"):
        counterparts[column] = counterparts[column].astype("int64")
    dates = pd.to_datetime(rows["date"]).dropna().dt.date
    return {
        "entity": entity,
        "events": n,
        "as_actor": int(rows["as_actor"].sum()),
        "as_recipient": int((~rows["as_actor"]).sum()),
        "first": dates.min() if len(dates) else None,
        "last": dates.max() if len(dates) else None,
        "by_quad": {q: int((rows["quad"] == q).sum()) for q in (1, 2, 3, 4)},
        "cooperation": coop,
        "conflict": conflict,
        "balance": (coop - conflict) / n,
        "goldstein_sum": float(rows["goldstein"].sum()),
        "goldstein_mean": float(rows["goldstein"].mean()),
        "by_type": by_type.reset_index(drop=True),
        "counterparts": counterparts.reset_index(drop=True),
    }
