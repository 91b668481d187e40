"""Code tables the store needs for exports: country names, CAMEO names, CAMEO/GDELT actor and geo codes.

Read once from plain TSV files under ``dotterel/data`` (the store's own tables live in ``data/store``); a
broken line is a :class:`CodeTableError` naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


class CodeTableError(ValueError):
    """A malformed line in one of the store's code tables."""


def _data(*parts: str) -> Path:
    return Path(str(resources.files("dotterel").joinpath("data", *parts)))


def read_tsv(path: Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a TSV with '#' comments and a header line that must equal ``columns``; ('-' stays '-')."""
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CodeTableError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            if header[: len(columns)] != columns:
                raise CodeTableError(f"{path}:{number}: header {header} does not start with {columns}")
            continue
        if len(cells) < len(columns):
            raise CodeTableError(
                f"{path}:{number}: expected {len(columns)} tab-separated columns "
                f"({', '.join(columns)}), found {len(cells)}"
            )
        row = {c: cells[i].strip() for i, c in enumerate(columns)}
        empty = [c for c in columns if not row[c]]
        if empty:
            raise CodeTableError(f"{path}:{number}: empty value for {', '.join(empty)} (use '-')")
        rows.append((number, row))
    if header is None:
        raise CodeTableError(f"{path}: no header line")
    return rows


def _unique(path: Path, rows: list[tuple[int, dict[str, str]]], column: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for number, row in rows:
        if row[column] in out:
            raise CodeTableError(f"{path}:{number}: duplicate {column} {row[column]!r}")
        out[row[column]] = row
    return out


@dataclass(frozen=True, slots=True)
class CameoActor:
    country: str
    known_group: str
    type: str
    prefix: str


@dataclass(frozen=True, slots=True)
class CodeTables:
    country_names: dict[str, str]
    cameo_names: dict[str, str]
    cameo_quad: dict[str, int]
    cameo_actor: dict[str, CameoActor]
    sector_cameo: dict[str, str]
    sector_label: dict[str, str]
    fips: dict[str, str]

    def country_name(self, code: str | None) -> str:
        if not code:
            return ""
        special = {
            "UNO": "United Nations",
            "EUR": "European Union",
            "IGO": "International Organization",
            "NGO": "Non-Governmental Organization",
            "MNC": "Multinational Corporation",
        }
        return self.country_names.get(code) or special.get(code, code)

    def cameo_actor_for(self, code: str | None) -> CameoActor | None:
        if not code:
            return None
        return self.cameo_actor.get(code) or CameoActor(code, "", "", code)


def _dash(value: str) -> str:
    return "" if value == "-" else value


@cache
def load_code_tables() -> CodeTables:
    """Load (once) every table the exports use."""
    countries_path = _data("actors", "countries.tsv")
    countries = _unique(countries_path, read_tsv(countries_path, ["code", "name"]), "code")
    cameo_path = _data("ontology", "cameo.tsv")
    cameo = _unique(cameo_path, read_tsv(cameo_path, ["code", "name", "goldstein", "quad"]), "code")
    actor_path = _data("store", "cameo_actor_codes.tsv")
    actor_columns = ["dotterel", "country", "known_group", "type", "prefix"]
    actor_rows = _unique(actor_path, read_tsv(actor_path, actor_columns), "dotterel")
    sector_path = _data("store", "cameo_sectors.tsv")
    sectors = _unique(sector_path, read_tsv(sector_path, ["sector", "cameo_type", "label"]), "sector")
    fips_path = _data("store", "fips.tsv")
    fips = _unique(fips_path, read_tsv(fips_path, ["iso3", "fips"]), "iso3")
    for number, row in read_tsv(fips_path, ["iso3", "fips"]):
        if len(row["fips"]) != 2:
            raise CodeTableError(f"{fips_path}:{number}: FIPS code {row['fips']!r} is not two letters")
    return CodeTables(
        country_names={k: v["name"] for k, v in countries.items()},
        cameo_names={k: v["name"] for k, v in cameo.items()},
        cameo_quad={k: int(v["quad"]) for k, v in cameo.items()},
        cameo_actor={
            k: CameoActor(_dash(v["country"]), _dash(v["known_group"]), _dash(v["type"]), v["prefix"])
            for k, v in actor_rows.items()
        },
        sector_cameo={k: _dash(v["cameo_type"]) for k, v in sectors.items()},
        sector_label={k: v["label"] for k, v in sectors.items()},
        fips={k: v["fips"] for k, v in fips.items()},
    )
