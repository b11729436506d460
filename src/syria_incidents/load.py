"""Read the curated tables into pandas with the types the Data Package declares.

`load_tables()` is what notebooks call; it does not validate (run `syria-incidents validate`, or
`validate.validate_data()`, for that). Dates become `datetime64`, integers nullable `Int64`, booleans
`boolean`, and empty strings stay empty strings in text columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .paths import DATA_DIR

TABLES = ("incidents", "claims", "sources", "episodes", "monitor_tolls", "actors", "number_words")


def read_datapackage(data_dir: Path = DATA_DIR) -> dict:
    with open(Path(data_dir) / "datapackage.json", encoding="utf-8") as handle:
        return json.load(handle)


def schema_fields(data_dir: Path = DATA_DIR) -> dict[str, list[dict]]:
    """Field descriptors by table name, in file order."""
    return {res["name"]: res["schema"]["fields"] for res in read_datapackage(data_dir)["resources"]}


def read_raw(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """A table as strings, exactly as written (empty cells are empty strings)."""
    return pd.read_csv(Path(data_dir) / f"{name}.csv", dtype=str, keep_default_na=False,
                       encoding="utf-8")


def cast(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    """Convert string columns to the types of the schema (invalid cells become missing)."""
    out = frame.copy()
    for field in fields:
        name = field["name"]
        if name not in out:
            continue
        col = out[name]
        if field["type"] == "date":
            out[name] = pd.to_datetime(col.where(col != ""), format="%Y-%m-%d", errors="coerce")
        elif field["type"] == "integer":
            out[name] = pd.to_numeric(col.where(col != ""), errors="coerce").astype("Int64")
        elif field["type"] == "number":
            out[name] = pd.to_numeric(col.where(col != ""), errors="coerce").astype("float64")
        elif field["type"] == "boolean":
            out[name] = col.map({"true": True, "false": False}).astype("boolean")
    return out


@dataclass(frozen=True)
class Tables:
    incidents: pd.DataFrame
    claims: pd.DataFrame
    sources: pd.DataFrame
    episodes: pd.DataFrame
    monitor_tolls: pd.DataFrame
    actors: pd.DataFrame
    number_words: pd.DataFrame

    @property
    def active(self) -> pd.DataFrame:
        """Incidents and remainders that count (status `active`)."""
        return self.incidents[self.incidents["status"] == "active"]

    @property
    def verified_tolls(self) -> pd.DataFrame:
        """Monitors' tolls read again on their pages (the ones comparisons use)."""
        return self.monitor_tolls[self.monitor_tolls["verification"] == "verified"]

    @property
    def as_of(self) -> pd.Timestamp:
        """The data's own date: the latest day any active incident covers."""
        return self.active["date_end"].max()


def load_tables(data_dir: Path = DATA_DIR) -> Tables:
    fields = schema_fields(data_dir)
    return Tables(**{name: cast(read_raw(name, data_dir), fields[name]) for name in TABLES})
