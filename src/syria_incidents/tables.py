"""Tidy tables for download, written by the notebooks beside the figures (`tables/`).

Each figure's numbers are in one of these tables; `tables/datapackage.json` describes them (written by
`write_datapackage`, checked by a test). Values are written deterministically: rows in a fixed order,
floats rounded to one decimal (deaths spread over the days of multi-day incidents are fractional;
shares to three),
`\\n` line ends, so that a rerun on unchanged data changes no byte.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from . import aggregate
from .paths import PROJECT_ROOT

TABLES_ENV = "SYRIA_INCIDENTS_TABLES_DIR"
TABLES_DIR = PROJECT_ROOT / "tables"

# name -> (title, description); the schema is read from the written file
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "deaths-by-week": ("Deaths by week", "Deaths per ISO week (Monday to Sunday): low, best, high, the victim split, civilians from the coding rule, and the part in episode remainders; multi-day incidents spread evenly over their days."),
    "deaths-by-month-governorate": ("Deaths by governorate and month", "Deaths per governorate and calendar month (low, best, high), spread over days."),
    "deaths-by-month-district": ("Deaths by district and month", "Deaths per OCHA district and month (low, best, high) for records placed in a district; governorate-level records (and remainders) have an empty district."),
    "deaths-by-month-perpetrator": ("Deaths by perpetrator and month", "Deaths per perpetrator (as the sources attribute it; unidentified included) and month (low, best, high)."),
    "deaths-by-month-victim-status": ("Deaths by victim status and month", "Deaths per victim category and month (best), with the civilians from the coding rule apart from the civilians a claim states."),
    "deaths-by-month-mechanism": ("Deaths by means and month", "Deaths per means of killing and month (best)."),
    "monthly-vs-monitors": ("This record beside the monitors, by month", "Our deaths by month (all, named incidents, civilians) beside SOHR's monthly toll of everyone and SNHR's of civilians; *_same_days says whether the monitor's month covers the same days as the record."),
    "deadliest-incidents": ("The deadliest 50 named incidents", "The 50 named incidents with the highest best estimate, with their range and every claim (claimant, outlet, date, figure, URL)."),
    "deaths-by-governorate": ("Deaths by governorate", "Deaths per governorate (low, best, high, victim split), incidents, the 2016 population and deaths per 100,000 people."),
    "episode-days": ("Episode deaths by day", "Deaths per day in an episode's named incidents: on one-day incidents, and spread evenly from multi-day ones."),
    "episode-tolls": ("Episode tolls by source over time", "Each source's published total for an episode, by date of publication (the toll-drift chart)."),
    "capture-by-month": ("Named incidents against the monitors, by month", "Deaths in named incidents as a share of SOHR's monthly toll (everyone) and named civilian deaths as a share of SNHR's (civilians), in the months each covers on the same days as the record."),
    "episode-sources": ("Each source's latest episode total", "For each episode: each source's latest published total, by population, beside this record's low, best and high."),
}


def describe(name: str) -> tuple[str, str]:
    """The title and description of a table; `episode-days-<episode>` style names take their stem's."""
    if name in DESCRIPTIONS:
        return DESCRIPTIONS[name]
    for stem in ("episode-days", "episode-tolls"):
        if name.startswith(stem + "-"):
            title, description = DESCRIPTIONS[stem]
            return f"{title}: {name[len(stem) + 1:]}", description
    raise KeyError(f"table {name!r} is not described in tables.DESCRIPTIONS")


def tables_dir() -> Path:
    return Path(os.environ.get(TABLES_ENV, TABLES_DIR))


def save_table(frame: pd.DataFrame, name: str, directory: Path | None = None) -> None:
    """Write a tidy table as CSV (one decimal for floats, three for shares; dates as ISO days)."""
    describe(name)
    out = Path(directory) if directory is not None else tables_dir()
    out.mkdir(parents=True, exist_ok=True)
    frame = frame.reset_index() if frame.index.name or not isinstance(frame.index, pd.RangeIndex) else frame
    frame = frame.copy()
    for col in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[col]):
            frame[col] = frame[col].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(frame[col]):
            digits = 3 if "share" in str(col) else 1  # shares to a tenth of a percentage point
            frame[col] = frame[col].map(lambda v, d=digits: "" if pd.isna(v) else f"{v:.{d}f}")
    (out / f"{name}.csv").write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")


def _field_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def write_datapackage(directory: Path | None = None) -> Path:
    """Describe every table of `directory` in its datapackage.json (fields read from the files)."""
    out = Path(directory) if directory is not None else tables_dir()
    resources = []
    for path in sorted(out.glob("*.csv")):
        frame = pd.read_csv(path, nrows=200)
        title, description = describe(path.stem)
        resources.append({
            "name": path.stem, "path": path.name, "profile": "tabular-data-resource", "title": title,
            "description": description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": c, "type": _field_type(frame[c])} for c in frame.columns]},
        })
    package = {"profile": "tabular-data-package", "name": "syria-incidents-tables",
               "title": "Tables behind the figures of syria-incidents",
               "description": "Derived from data/ by the notebooks; every figure's numbers are in one of these tables.",
               "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
               "resources": resources}
    path = out / "datapackage.json"
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# The tables themselves (notebooks call these, then save_table)

def by_month_and(incidents: pd.DataFrame, column: str, values: tuple[str, ...] = aggregate.DEATH_COLUMNS) -> pd.DataFrame:
    """Deaths (spread over days) per month and value of `column`, long format."""
    inc = aggregate.active(incidents)
    daily = aggregate.spread_over_days(inc)
    daily["month"] = aggregate.period_start(daily["day"])
    out = daily.groupby(["month", column], dropna=False)[list(values)].sum().reset_index()
    return out.sort_values(["month", column], kind="stable").reset_index(drop=True)


def victim_status_by_month(incidents: pd.DataFrame) -> pd.DataFrame:
    monthly = aggregate.deaths_by_period(incidents, "M")
    rows = []
    for month, r in monthly.iterrows():
        stated = r["deaths_civilians"] - r["civilians_from_coding"]
        for status, value in (("civilians (stated by a claim)", stated),
                              ("civilians (from the coding rule)", r["civilians_from_coding"]),
                              ("Syrian state forces", r["deaths_security_forces"]),
                              ("other armed groups", r["deaths_other_armed"]),
                              ("status not reported", r["deaths_unknown_status"])):
            rows.append({"month": month, "victim_status": status, "deaths_best": value})
    return pd.DataFrame(rows)


def deadliest_incidents(incidents: pd.DataFrame, claims: pd.DataFrame, sources: pd.DataFrame, n: int = 50) -> pd.DataFrame:
    """The `n` deadliest named incidents, one row per claim (claimant, outlet, date, figure, URL)."""
    inc = aggregate.active(incidents)
    inc = inc[inc["record_type"] == "incident"].sort_values(["deaths_best", "deaths_high", "incident_id"],
                                                           ascending=[False, False, True]).head(n)
    inc = inc.assign(rank=range(1, len(inc) + 1))
    names = sources.set_index("source_id")["name"]
    c = claims[claims["incident_id"].isin(inc["incident_id"])].assign(
        claimant=lambda d: d["source_id"].map(names), outlet=lambda d: d["published_by"].map(names))
    cols = ["rank", "incident_id", "date_start", "date_end", "location_name", "admin1_pcode", "perpetrator",
            "deaths_low", "deaths_best", "deaths_high"]
    out = inc[cols].merge(c[["incident_id", "claim_id", "claimant", "outlet", "published_at", "killed_total",
                             "figure_as_written", "verification", "used_as", "url"]], on="incident_id")
    return out.sort_values(["rank", "published_at", "claim_id"]).reset_index(drop=True)
