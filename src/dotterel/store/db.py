"""DuckDB file, schema and connection handling for the event store.

The schema is declared once here (column name, DuckDB type, Arrow type) so that the tables and the Arrow
batches written into them cannot drift apart. DuckDB allows one writing process per file; opening a store that
another process is writing raises :class:`StoreLockedError` with the holder's PID instead of DuckDB's raw IO
error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa

SCHEMA_VERSION = "1"
DEFAULT_DB = "dotterel.duckdb"

_STR = pa.string()
_STRS = pa.list_(pa.string())

# (column, DuckDB type, Arrow type)
ARTICLE_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("id", "VARCHAR", _STR),
    ("content_hash", "VARCHAR", _STR),
    ("source", "VARCHAR", _STR),
    ("url", "VARCHAR", _STR),
    ("title", "VARCHAR", _STR),
    ("pub_date", "DATE", pa.date32()),
    ("text", "VARCHAR", _STR),
    ("origin", "VARCHAR", _STR),
    ("coder_version", "VARCHAR", _STR),
    ("n_records", "INTEGER", pa.int32()),
    ("error", "VARCHAR", _STR),
    ("ingested_at", "TIMESTAMP", pa.timestamp("us")),
]

RECORD_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("article_id", "VARCHAR", _STR),
    ("seq", "INTEGER", pa.int32()),
    ("record_id", "VARCHAR", _STR),
    ("record", "VARCHAR", _STR),  # the EventRecord JSON contract, exactly as the coder gave it
]

_ENTITY = [
    ("text", "VARCHAR", _STR),
    ("name", "VARCHAR", _STR),
    ("country", "VARCHAR", _STR),
    ("sector", "VARCHAR", _STR),
    ("sectors", "VARCHAR[]", _STRS),
    ("title", "VARCHAR", _STR),
    ("key", "VARCHAR", _STR),
]

MENTION_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("mention_id", "VARCHAR", _STR),
    ("article_id", "VARCHAR", _STR),
    ("seq", "INTEGER", pa.int32()),
    ("record_id", "VARCHAR", _STR),
    ("event_type", "VARCHAR", _STR),
    ("mode", "VARCHAR", _STR),
    ("contexts", "VARCHAR[]", _STRS),
    ("cameo", "VARCHAR", _STR),
    ("quad", "TINYINT", pa.int8()),
    ("goldstein", "DOUBLE", pa.float64()),
    ("date", "DATE", pa.date32()),
    ("date_precision", "VARCHAR", _STR),
    ("pub_date", "DATE", pa.date32()),
    ("source", "VARCHAR", _STR),
    *[(f"a_{n}", t, a) for n, t, a in _ENTITY],
    *[(f"r_{n}", t, a) for n, t, a in _ENTITY],
    ("loc_text", "VARCHAR", _STR),
    ("loc_name", "VARCHAR", _STR),
    ("loc_country", "VARCHAR", _STR),
    ("lat", "DOUBLE", pa.float64()),
    ("lon", "DOUBLE", pa.float64()),
    ("sentence_index", "INTEGER", pa.int32()),
    ("sentence", "VARCHAR", _STR),
    ("trigger", "VARCHAR", _STR),
    ("confidence", "DOUBLE", pa.float64()),
    ("dedup_key", "VARCHAR", _STR),
    ("event_id", "VARCHAR", _STR),
]

EVENT_COLUMNS: list[tuple[str, str]] = [
    ("event_id", "VARCHAR"),
    ("dedup_key", "VARCHAR"),
    ("rep_mention_id", "VARCHAR"),
    ("event_type", "VARCHAR"),
    ("mode", "VARCHAR"),
    ("contexts", "VARCHAR[]"),
    ("cameo", "VARCHAR"),
    ("quad", "TINYINT"),
    ("goldstein", "DOUBLE"),
    ("date", "DATE"),
    ("last_date", "DATE"),
    *[(f"a_{n}", t) for n, t, _ in _ENTITY],
    *[(f"r_{n}", t) for n, t, _ in _ENTITY],
    ("loc_text", "VARCHAR"),
    ("loc_name", "VARCHAR"),
    ("loc_country", "VARCHAR"),
    ("lat", "DOUBLE"),
    ("lon", "DOUBLE"),
    ("is_root", "BOOLEAN"),
    ("n_mentions", "INTEGER"),
    ("n_sources", "INTEGER"),
    ("n_articles", "INTEGER"),
    ("first_report", "DATE"),
    ("last_report", "DATE"),
]


def _ddl(table: str, columns: list[tuple]) -> str:
    cols = ", ".join(f"{c[0]} {c[1]}" for c in columns)
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols})"


def arrow_schema(columns: list[tuple[str, str, pa.DataType]]) -> pa.Schema:
    """Arrow schema matching a table declaration, for batch inserts ``INSERT ... BY NAME``."""
    return pa.schema([(name, atype) for name, _, atype in columns])


SCHEMA_SQL = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    _ddl("articles", ARTICLE_COLUMNS),
    "CREATE TABLE IF NOT EXISTS article_aliases (id VARCHAR, duplicate_of VARCHAR, source VARCHAR, "
    "url VARCHAR, pub_date DATE, seen_at TIMESTAMP)",
    _ddl("records", RECORD_COLUMNS),
    _ddl("mentions", MENTION_COLUMNS),
    _ddl("events", EVENT_COLUMNS),
    # The actor knowledge coding produced: every resolved entity with its role span in time. A view, so it is
    # always consistent with the mentions and costs nothing at ingest.
    """CREATE OR REPLACE VIEW actors AS
       WITH sides AS (
         SELECT a_name AS name, a_country AS country, a_sector AS sector, a_title AS title, date, article_id
           FROM mentions WHERE a_name IS NOT NULL
         UNION ALL
         SELECT r_name, r_country, r_sector, r_title, date, article_id FROM mentions WHERE r_name IS NOT NULL)
       SELECT name, country, sector, title, min(date) AS first_seen, max(date) AS last_seen,
              count(*) AS n_mentions, count(DISTINCT article_id) AS n_articles
         FROM sides GROUP BY ALL""",
]


class StoreError(Exception):
    """A problem with the store file itself (not with one article)."""


class StoreLockedError(StoreError):
    """Another process holds the DuckDB write lock on the store file."""


_PID = re.compile(r"PID (\d+)")


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and for writers, create and migrate) the store file; lock conflicts become StoreLockedError."""
    path = Path(path)
    if read_only and not path.exists():
        raise StoreError(f"{path}: no such store (create it with `dotterel ingest ... --db {path}`)")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            pid = _PID.search(message)
            holder = f" (PID {pid.group(1)})" if pid else ""
            raise StoreLockedError(
                f"{path} is being written by another process{holder}. DuckDB allows one writing process per "
                "store: wait for that ingest/recode to finish, run queries through that process, or work "
                "from a Parquet export. The store is not damaged."
            ) from exc
        raise StoreError(f"{path}: cannot open store: {message}") from exc
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open store: {exc}") from exc
    if not read_only:
        for statement in SCHEMA_SQL:
            con.execute(statement)
        found = get_meta(con, "schema_version")
        if found is None:
            set_meta(con, "schema_version", SCHEMA_VERSION)
        elif found != SCHEMA_VERSION:
            con.close()
            raise StoreError(f"{path}: store schema version {found}, this dotterel writes {SCHEMA_VERSION}")
    return con


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.execute(
        "SELECT value FROM meta WHERE key = ?", [key]
    ).fetchall()  # fetchall: leave no open result
    return rows[0][0] if rows else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str | dict) -> None:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, text])
