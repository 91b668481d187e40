"""Exports: PLOVER JSONL, POLECAT-style, GDELT 2.0-style and ICEWS-style tables, Parquet.

Every export takes the query filters. ``level="events"`` writes one row per de-duplicated event (its
representative mention gives the sentence, story and place; counts come from all its mentions);
``level="mentions"`` writes one row per dyadic mention. PLOVER JSONL writes the coded records themselves.
Column meanings and deviations from the originals are in docs/store.md and data/store/*.tsv.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dotterel.store.codes import CodeTables, _data, load_code_tables, read_tsv
from dotterel.store.query import Filters, where

if TYPE_CHECKING:
    from dotterel.store.core import EventStore

FORMATS = ("plover", "polecat", "gdelt", "icews", "parquet")
DEFAULT_LEVEL = {
    "plover": "mentions",
    "polecat": "events",
    "gdelt": "events",
    "icews": "events",
    "parquet": "events",
}

ICEWS_COLUMNS = [
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
]
POLECAT_COLUMNS = [
    "Event ID",
    "Story ID",
    "Event Date",
    "Event Type",
    "Event Mode",
    "Quad Code",
    "Contexts",
    "Actor Name",
    "Actor Country",
    "Primary Actor Sector",
    "Actor Sectors",
    "Actor Title",
    "Actor Name Raw",
    "Recipient Name",
    "Recipient Country",
    "Primary Recipient Sector",
    "Recipient Sectors",
    "Recipient Title",
    "Recipient Name Raw",
    "Placename",
    "Country",
    "Latitude",
    "Longitude",
    "Raw Placename",
    "Source",
    "Publication Date",
    "Headline",
    "Event Text",
    "Number of Mentions",
    "Number of Sources",
    "Number of Articles",
    "Version",
]


def gdelt_columns() -> list[str]:
    """The 61 GDELT 2.0 event columns in file order (data/store/gdelt_columns.tsv)."""
    path = _data("store", "gdelt_columns.tsv")
    names = [row["column"] for _, row in read_tsv(path, ["column", "filled_from"])]
    if len(names) != 61:
        raise ValueError(f"{path}: expected 61 GDELT columns, found {len(names)}")
    return names


def export_rows(store: EventStore, level: str, filters: Filters) -> pd.DataFrame:
    """One row per event or mention with the article fields every format needs."""
    clause, params = where(filters, level)
    con = store.reader()
    if level == "events":
        sql = (
            f"SELECT e.*, e.event_id AS row_id, m.article_id, m.seq, m.sentence_index, m.sentence, "
            f"a.source, a.url, a.title, a.pub_date AS article_date, a.coder_version, a.ingested_at "
            f"FROM (SELECT * FROM events{clause}) e JOIN mentions m ON m.mention_id = e.rep_mention_id "
            f"JOIN articles a ON a.id = m.article_id ORDER BY e.date NULLS LAST, e.event_id"
        )
    elif level == "mentions":
        sql = (
            f"SELECT m.*, m.mention_id AS row_id, (m.sentence_index = 0) AS is_root, 1 AS n_mentions, "
            f"1 AS n_sources, 1 AS n_articles, a.url, a.title, a.pub_date AS article_date, a.coder_version, "
            f"a.ingested_at FROM (SELECT * FROM mentions{clause}) m JOIN articles a ON a.id = m.article_id "
            f"ORDER BY m.date NULLS LAST, m.mention_id"
        )
    else:
        raise ValueError(f"level must be events or mentions, got {level!r}")
    return con.execute(sql, params).df()


def _s(value: Any) -> str:
    """A cell as text: None/NaN/NaT become empty."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NaT:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays of list columns
        return ";".join(str(v) for v in value.tolist())
    return str(value)


def _day(value: Any) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _sectors(row: pd.Series, side: str) -> list[str]:
    primary = row[f"{side}_sector"]
    secondary = row[f"{side}_sectors"]
    out = [primary] if isinstance(primary, str) and primary else []
    if secondary is not None and not isinstance(secondary, float):
        out += [s for s in list(secondary) if s and s not in out]
    return out


def _actor_label(row: pd.Series, side: str, tables: CodeTables) -> str:
    name = row[f"{side}_name"]
    if isinstance(name, str) and name:
        return name
    country = row[f"{side}_country"]
    sector = row[f"{side}_sector"]
    if not isinstance(country, str) and not isinstance(sector, str):
        return ""
    label = tables.sector_label.get(sector, sector) if isinstance(sector, str) else ""
    where_ = tables.country_name(country) if isinstance(country, str) else ""
    return f"{label} ({where_})" if label and where_ else (label or where_)


def _write_table(frame: pd.DataFrame, path: Path, *, header: bool = True) -> None:
    frame.to_csv(path, sep="\t", index=False, header=header, lineterminator="\n")


def _icews(rows: pd.DataFrame, tables: CodeTables) -> pd.DataFrame:
    out = []
    for _, r in rows.iterrows():
        loc_country = r["loc_country"] if isinstance(r["loc_country"], str) else None
        loc_name = r["loc_name"] if isinstance(r["loc_name"], str) else None
        city = loc_name if loc_name and loc_name != tables.country_name(loc_country) else ""
        cameo = _s(r["cameo"])
        out.append(
            {
                "Event ID": r["row_id"],
                "Event Date": _s(_day(r["date"])),
                "Source Name": _actor_label(r, "a", tables),
                "Source Sectors": ", ".join(tables.sector_label.get(s, s) for s in _sectors(r, "a")),
                "Source Country": tables.country_name(
                    r["a_country"] if isinstance(r["a_country"], str) else None
                ),
                "Event Text": tables.cameo_names.get(cameo, ""),
                "CAMEO Code": cameo,
                "Intensity": _s(r["goldstein"]),
                "Target Name": _actor_label(r, "r", tables),
                "Target Sectors": ", ".join(tables.sector_label.get(s, s) for s in _sectors(r, "r")),
                "Target Country": tables.country_name(
                    r["r_country"] if isinstance(r["r_country"], str) else None
                ),
                "Story ID": r["article_id"],
                "Sentence Number": _s(_int(r["sentence_index"], plus=1)),
                "Publisher": _s(r["source"]),
                "City": city,
                "District": "",
                "Province": "",
                "Country": tables.country_name(loc_country),
                "Latitude": _s(r["lat"]),
                "Longitude": _s(r["lon"]),
            }
        )
    return pd.DataFrame(out, columns=ICEWS_COLUMNS)


def _int(value: Any, plus: int = 0) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return int(value) + plus


def _polecat(rows: pd.DataFrame, tables: CodeTables) -> pd.DataFrame:
    out = []
    for _, r in rows.iterrows():
        out.append(
            {
                "Event ID": r["row_id"],
                "Story ID": r["article_id"],
                "Event Date": _s(_day(r["date"])),
                "Event Type": _s(r["event_type"]),
                "Event Mode": _s(r["mode"]),
                "Quad Code": _s(_int(r["quad"])),
                "Contexts": _s(r["contexts"]),
                "Actor Name": _s(r["a_name"]),
                "Actor Country": _s(r["a_country"]),
                "Primary Actor Sector": _s(r["a_sector"]),
                "Actor Sectors": ";".join(_sectors(r, "a")),
                "Actor Title": _s(r["a_title"]),
                "Actor Name Raw": _s(r["a_text"]),
                "Recipient Name": _s(r["r_name"]),
                "Recipient Country": _s(r["r_country"]),
                "Primary Recipient Sector": _s(r["r_sector"]),
                "Recipient Sectors": ";".join(_sectors(r, "r")),
                "Recipient Title": _s(r["r_title"]),
                "Recipient Name Raw": _s(r["r_text"]),
                "Placename": _s(r["loc_name"]),
                "Country": _s(r["loc_country"]),
                "Latitude": _s(r["lat"]),
                "Longitude": _s(r["lon"]),
                "Raw Placename": _s(r["loc_text"]),
                "Source": _s(r["source"]),
                "Publication Date": _s(_day(r["article_date"])),
                "Headline": _s(r["title"]),
                "Event Text": _s(r["sentence"]),
                "Number of Mentions": _s(_int(r["n_mentions"])),
                "Number of Sources": _s(_int(r["n_sources"])),
                "Number of Articles": _s(_int(r["n_articles"])),
                "Version": _s(r["coder_version"]),
            }
        )
    return pd.DataFrame(out, columns=POLECAT_COLUMNS)


def gdelt_actor(row: pd.Series, side: str, tables: CodeTables) -> dict[str, str]:
    """Actor code, name, country, known group and type codes of one side, in GDELT's conventions."""
    country = row[f"{side}_country"] if isinstance(row[f"{side}_country"], str) else None
    sectors = _sectors(row, side)
    cameo = tables.cameo_actor_for(country)
    types = [t for t in (tables.sector_cameo.get(s, s) for s in sectors) if t]
    if cameo is not None and cameo.type:
        types = [cameo.type] + [t for t in types if t != cameo.type]
    prefix = cameo.prefix if cameo is not None else ""
    code_types = [t for t in types if not (cameo and cameo.type == t)] if cameo is not None else types
    name = row[f"{side}_name"] if isinstance(row[f"{side}_name"], str) else None
    if not name and country:
        name = tables.country_name(country)
    has_actor = bool(country or sectors or name)
    return {
        "Code": (prefix + "".join(code_types[:2])) if has_actor else "",
        "Name": (name or "").upper(),
        "CountryCode": cameo.country if cameo else "",
        "KnownGroupCode": cameo.known_group if cameo else "",
        "EthnicCode": "",
        "Religion1Code": "",
        "Religion2Code": "",
        "Type1Code": types[0] if len(types) > 0 else "",
        "Type2Code": types[1] if len(types) > 1 else "",
        "Type3Code": types[2] if len(types) > 2 else "",
    }


def _gdelt(rows: pd.DataFrame, tables: CodeTables) -> pd.DataFrame:
    columns = gdelt_columns()
    out = []
    for _, r in rows.iterrows():
        cell: dict[str, Any] = dict.fromkeys(columns, "")
        row_id = str(r["row_id"])
        digits = "".join(ch for ch in row_id if ch in "0123456789abcdef")
        cell["GLOBALEVENTID"] = (
            str(int(row_id[1:16], 16)) if row_id.startswith("E") else str(int((digits or "0")[:15], 16))
        )
        when = _day(r["date"])
        if when:
            cell["SQLDATE"] = when.strftime("%Y%m%d")
            cell["MonthYear"] = when.strftime("%Y%m")
            cell["Year"] = str(when.year)
            cell["FractionDate"] = f"{when.year + when.timetuple().tm_yday / 365:.4f}"
        for side, n in (("a", "1"), ("r", "2")):
            for key, value in gdelt_actor(r, side, tables).items():
                cell[f"Actor{n}{key}"] = value
        cameo = _s(r["cameo"])
        cell["IsRootEvent"] = "1" if bool(r["is_root"]) else "0"
        cell["EventCode"] = cameo
        cell["EventBaseCode"] = cameo[:3]
        cell["EventRootCode"] = cameo[:2]
        quad = tables.cameo_quad.get(cameo) or tables.cameo_quad.get(cameo[:2])
        cell["QuadClass"] = _s(quad)
        cell["GoldsteinScale"] = _s(r["goldstein"])
        cell["NumMentions"] = _s(_int(r["n_mentions"]))
        cell["NumSources"] = _s(_int(r["n_sources"]))
        cell["NumArticles"] = _s(_int(r["n_articles"]))
        loc_country = r["loc_country"] if isinstance(r["loc_country"], str) else None
        loc_name = r["loc_name"] if isinstance(r["loc_name"], str) else None
        if loc_country or loc_name:
            fips = tables.fips.get(loc_country or "", "")
            country_name = tables.country_name(loc_country)
            country_level = not loc_name or loc_name == country_name
            cell["ActionGeo_Type"] = "1" if country_level else ("3" if loc_country == "USA" else "4")
            cell["ActionGeo_FullName"] = (
                country_name if country_level else ", ".join(x for x in (loc_name, country_name) if x)
            )
            cell["ActionGeo_CountryCode"] = fips
            if country_level:
                cell["ActionGeo_ADM1Code"] = fips
                cell["ActionGeo_FeatureID"] = fips
            cell["ActionGeo_Lat"] = _s(r["lat"])
            cell["ActionGeo_Long"] = _s(r["lon"])
        added = r["ingested_at"]
        cell["DATEADDED"] = (
            added.strftime("%Y%m%d%H%M%S") if isinstance(added, (datetime, pd.Timestamp)) else ""
        )
        cell["SOURCEURL"] = _s(r["url"]) or f"dotterel:{r['article_id']}"
        out.append(cell)
    return pd.DataFrame(out, columns=columns)


def _plover(store: EventStore, level: str, filters: Filters, path: Path) -> int:
    clause, params = where(filters, level)
    if level == "events":
        picked = (
            f"SELECT DISTINCT m.article_id, m.seq FROM (SELECT rep_mention_id FROM events{clause}) e "
            "JOIN mentions m ON m.mention_id = e.rep_mention_id"
        )
    else:
        picked = f"SELECT DISTINCT article_id, seq FROM mentions{clause}"
    sql = (
        f"SELECT r.record FROM records r JOIN ({picked}) p ON r.article_id = p.article_id AND r.seq = p.seq "
        "ORDER BY r.article_id, r.seq"
    )
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for (record,) in store.reader().execute(sql, params).fetchall():
            handle.write(json.dumps(json.loads(record), ensure_ascii=False) + "\n")
            count += 1
    return count


def export(
    store: EventStore,
    format: str,
    path: Path,
    *,
    level: str | None = None,
    filters: Filters | None = None,
    header: bool | None = None,
) -> int:
    """Write ``format`` to ``path``; returns the number of rows (records for plover) written.

    ``header``: GDELT files have none (default False); the other tables have one.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}; choose from {', '.join(FORMATS)}")
    level = level or DEFAULT_LEVEL[format]
    filters = filters or Filters()
    path.parent.mkdir(parents=True, exist_ok=True)
    if format == "plover":
        return _plover(store, level, filters, path)
    rows = export_rows(store, level, filters)
    tables = load_code_tables()
    if format == "parquet":
        keep = [c for c in rows.columns if c not in ("row_id",)]
        table = pa.Table.from_pandas(rows[keep], preserve_index=False)
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), b"dotterel.level": level.encode()}
        )
        pq.write_table(table, path)
        return len(rows)
    if format == "icews":
        frame = _icews(rows, tables)
    elif format == "polecat":
        frame = _polecat(rows, tables)
    else:
        frame = _gdelt(rows, tables)
    _write_table(frame, path, header=(format != "gdelt") if header is None else header)
    return len(frame)
