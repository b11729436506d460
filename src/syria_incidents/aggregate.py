"""Aggregations of the record: functions that take tables and return DataFrames.

Conventions (stated in the notebooks and the codebook):
* Only `active` records count. The deaths of an incident spanning several days are spread evenly over
  its days (`spread_over_days`) in every series by day, week or month, so a week or month holds the share
  of each incident that fell in it (fractions are kept, and rounded only for display); weeks are ISO weeks
  (Monday to Sunday) labelled by their Monday. Incident *counts* go by the day an incident began.
* Low, best and high are summed separately; the sum of lows is a floor, the sum of highs a ceiling.
* The provisional window is the four weeks before the record's latest date (relative to the data,
  never to today's date, so reruns are identical).
"""

from __future__ import annotations

import pandas as pd

import numpy as np

from .estimates import CATEGORIES
from .geography import POPULATION_COLUMN, governorate_names, population

DEATH_COLUMNS = ["deaths_low", "deaths_best", "deaths_high"]
SPLIT_COLUMNS = [f"deaths_{c}" for c in (*CATEGORIES, "unknown_status")]
SPREAD_COLUMNS = DEATH_COLUMNS + SPLIT_COLUMNS + ["civilians_from_coding", "remainder_best"]
PASSTHROUGH = ["incident_id", "record_type", "date_precision", "admin1_pcode", "admin2_pcode", "perpetrator",
               "mechanism", "event_type", "civilian_targeting", "episode_id"]
RECORD_START = pd.Timestamp("2024-12-08")
PROVISIONAL_WEEKS = 4


def active(incidents: pd.DataFrame) -> pd.DataFrame:
    return incidents[incidents["status"] == "active"].copy()


def provisional_start(as_of: pd.Timestamp) -> pd.Timestamp:
    """First day of the provisional window: four weeks before the record's latest date."""
    return pd.Timestamp(as_of) - pd.Timedelta(weeks=PROVISIONAL_WEEKS) + pd.Timedelta(days=1)


def week_start(dates: pd.Series) -> pd.Series:
    return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()


def period_start(dates: pd.Series, freq: str = "M") -> pd.Series:
    """The first day of each date's ISO week ("W") or calendar month ("M")."""
    return week_start(dates) if freq == "W" else dates.dt.to_period("M").dt.to_timestamp()


def _period_index(freq: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    if freq == "W":
        return pd.date_range(week_start(pd.Series([start]))[0], end, freq="W-MON")
    return pd.date_range(start.to_period("M").to_timestamp(), end, freq="MS")


def spread_over_days(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per active record and day of its span, its deaths divided evenly among its days.

    Columns: `day`, `incident_id`, `record_type`, and SPREAD_COLUMNS as floats (`remainder_best` holds the
    best estimate of remainder records, 0 for named incidents). Summing any column over all days gives the
    record's total exactly (up to float rounding).
    """
    inc = active(incidents)
    days = ((inc["date_end"] - inc["date_start"]).dt.days + 1).clip(lower=1).to_numpy()
    rows = np.repeat(np.arange(len(inc)), days)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(days) - days, days)
    out = pd.DataFrame({
        "day": inc["date_start"].to_numpy()[rows] + pd.to_timedelta(offset, unit="D"),
        **{col: inc[col].to_numpy()[rows] for col in PASSTHROUGH if col in inc},
    })
    weight = 1.0 / days[rows]
    values = inc.assign(remainder_best=inc["deaths_best"].where(inc["record_type"] == "remainder", 0))
    for col in SPREAD_COLUMNS:
        out[col] = values[col].to_numpy(dtype=float)[rows] * weight
    return out


def deaths_by_period(incidents: pd.DataFrame, freq: str = "W", end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Deaths (low, best, high, the victim split, civilians from coding and the part in remainders) per
    week ("W") or month ("M"), spread over each incident's days; and the incidents that began in each.

    Every period from the record's start to `end` (default: the latest date) is present, with zeros.
    Death columns are floats (a multi-day incident contributes a share to each period it touches).
    """
    inc = active(incidents)
    end = pd.Timestamp(end) if end is not None else inc["date_end"].max()
    daily = spread_over_days(inc)
    sums = daily.assign(period=period_start(daily["day"], freq)).groupby("period")[SPREAD_COLUMNS].sum()
    counts = inc.assign(period=period_start(inc["date_start"], freq)).groupby("period").size().rename("incidents")
    index = _period_index(freq, RECORD_START, end)
    out = sums.join(counts, how="outer").reindex(index).fillna(0)
    out["incidents"] = out["incidents"].astype("int64")
    out.index.name = "week" if freq == "W" else "month"
    return out


def cumulative(period_deaths: pd.DataFrame) -> pd.DataFrame:
    return period_deaths[DEATH_COLUMNS].cumsum()


def totals(incidents: pd.DataFrame) -> pd.Series:
    """The headline numbers of the record."""
    inc = active(incidents)
    named = inc[inc["record_type"] == "incident"]
    return pd.Series({
        "incidents": len(named),
        "remainders": int((inc["record_type"] == "remainder").sum()),
        **{c: int(inc[c].sum()) for c in DEATH_COLUMNS + SPLIT_COLUMNS},
        "first_date": inc["date_start"].min(),
        "last_date": inc["date_end"].max(),
        "governorates": inc["admin1_pcode"].nunique(),
    })


def by_governorate(incidents: pd.DataFrame) -> pd.DataFrame:
    """Deaths and incidents per governorate, with the 2016 population and deaths per 100,000."""
    inc = active(incidents)
    names = governorate_names()
    grouped = inc.groupby("admin1_pcode")
    out = grouped[DEATH_COLUMNS + SPLIT_COLUMNS].sum()
    out["incidents"] = grouped.size()
    out = out.reindex(names.index, fill_value=0)
    pop = population().set_index("adm1_pcode")[POPULATION_COLUMN]
    out.insert(0, "governorate", names)
    out["population_2016"] = pop.reindex(out.index)
    out["deaths_per_100k"] = (out["deaths_best"] / out["population_2016"] * 1e5).round(2)
    out.index.name = "admin1_pcode"
    return out


def governorate_by_month(incidents: pd.DataFrame, value: str = "deaths_best") -> pd.DataFrame:
    """A governorate × month matrix of deaths spread over days (or of incidents begun, value="incidents")."""
    inc = active(incidents)
    if value == "incidents":
        table = inc.assign(month=period_start(inc["date_start"])).groupby(["admin1_pcode", "month"]).size().unstack(fill_value=0)
    else:
        daily = spread_over_days(inc)
        table = daily.assign(month=period_start(daily["day"])).pivot_table(
            index="admin1_pcode", columns="month", values=value, aggfunc="sum", fill_value=0)
    months = _period_index("M", RECORD_START, inc["date_end"].max())
    names = governorate_names()
    table = table.reindex(index=names.index, columns=months, fill_value=0)
    table.index = [names[c] for c in table.index]
    return table.astype("int64") if value == "incidents" else table.astype(float)


def weekly_coverage(incidents: pd.DataFrame) -> pd.DataFrame:
    """Named incidents begun per ISO week (remainders excluded), and whether the week has any."""
    weekly = deaths_by_period(incidents[incidents["record_type"] == "incident"], "W",
                              end=active(incidents)["date_end"].max())
    return pd.DataFrame({"incidents": weekly["incidents"], "covered": weekly["incidents"] > 0})


def share_table(incidents: pd.DataFrame, column: str, freq: str = "M", labels: dict | None = None,
                value: str = "deaths_best") -> pd.DataFrame:
    """Deaths per period and value of `column` (perpetrator, mechanism, event_type ...), spread over days."""
    inc = active(incidents)
    daily = spread_over_days(inc)
    table = daily.assign(period=period_start(daily["day"], freq)).pivot_table(
        index="period", columns=column, values=value, aggfunc="sum", fill_value=0)
    table = table.reindex(_period_index(freq, RECORD_START, inc["date_end"].max()), fill_value=0)
    table = table[table.sum().sort_values(ascending=False, kind="stable").index]
    if labels:
        table = table.rename(columns=labels)
    table.index.name = "month" if freq == "M" else "week"
    return table.astype(float)


def civilian_targeting_share(incidents: pd.DataFrame) -> pd.DataFrame:
    """Per month: deaths in attacks that targeted civilians, all deaths, and the share (spread over days)."""
    inc = active(incidents)
    daily = spread_over_days(inc).assign(month=lambda d: period_start(d["day"]))
    daily["targeting"] = daily["deaths_best"].where(daily["civilian_targeting"].astype(bool), 0.0)
    out = daily.groupby("month").agg(targeting_civilians=("targeting", "sum"), all=("deaths_best", "sum"))
    out = out.reindex(_period_index("M", RECORD_START, inc["date_end"].max()), fill_value=0)
    out["share"] = (out["targeting_civilians"] / out["all"].where(out["all"] > 0)).round(3)
    out.index.name = "month"
    return out


def precision_counts(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents and deaths by location and date precision."""
    inc = active(incidents)
    rows = []
    for column in ("geo_precision", "date_precision"):
        g = inc.groupby(column).agg(incidents=("incident_id", "size"), deaths_best=("deaths_best", "sum"))
        g.index = pd.MultiIndex.from_product([[column], g.index], names=["precision", "value"])
        rows.append(g)
    return pd.concat(rows)


def claims_by_source_type(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """How many claims each kind of claimant gives, and from how many distinct claimants and outlets."""
    c = claims.merge(sources[["source_id", "source_type", "partisan"]], on="source_id", how="left")
    out = c.groupby("source_type").agg(claims=("claim_id", "size"), claimants=("source_id", "nunique"),
                                       incidents=("incident_id", "nunique"), outlets=("published_by", "nunique"))
    return out.sort_values("claims", ascending=False)


# ---------------------------------------------------------------------------------------------
# Monitors

# Who each monitor's monthly series counts (what the comparison charts set side by side).
MONITOR_SERIES = {"snhr": "civilians", "sohr": "all"}


def monitor_monthly(tolls: pd.DataFrame, source_id: str, population_: str) -> pd.DataFrame:
    """A monitor's national calendar-month totals (the latest published figure for each month), with the
    first day each covers (`period_start`: SNHR's December 2024 covers 1-31 December, SOHR's 8-31)."""
    t = tolls[(tolls["source_id"] == source_id) & (tolls["population"] == population_)
              & (tolls["area_pcode"] == "SY") & (tolls["episode_id"] == "") & (tolls["unit"] == "deaths")].copy()
    month_start = period_start(t["period_start"])
    month_end = month_start + pd.offsets.MonthEnd(0)
    first_month = t["period_start"] == month_start
    # SOHR's first post-Assad "month" runs 8-31 December 2024; treat it as December.
    first_month |= (t["period_start"] == RECORD_START) & (t["period_end"] == pd.Timestamp("2024-12-31"))
    t = t[first_month & (t["period_end"] == month_end)].assign(month=month_start)
    t = t.sort_values(["month", "published_at", "toll_id"]).groupby("month").tail(1)
    return t.set_index("month")[["value", "period_start"]].astype({"value": "int64"})


def monthly_comparison(incidents: pd.DataFrame, tolls: pd.DataFrame) -> pd.DataFrame:
    """Our monthly deaths (low, best, high; civilians) beside SNHR's and SOHR's monthly tolls.

    `<monitor>_same_days` is False where the monitor's month starts before the record does (SNHR's
    December 2024 covers 1-31 December; the record starts on the 8th): such months are shown but left out
    of every share. `share_of_sohr` compares like with like (everyone, by date of death);
    `civilians_share_of_snhr` compares our civilians with SNHR's (which it dates by documentation).
    """
    ours = deaths_by_period(incidents, "M")[DEATH_COLUMNS + ["deaths_civilians", "remainder_best", "incidents"]]
    named = deaths_by_period(incidents[incidents["record_type"] == "incident"], "M", end=ours.index.max())
    out = ours.copy()
    out["named_civilians"] = named["deaths_civilians"].reindex(out.index).fillna(0)
    for source, pop in MONITOR_SERIES.items():
        series = monitor_monthly(tolls, source, pop).reindex(out.index)
        out[source] = series["value"]
        out[f"{source}_same_days"] = series["value"].notna() & (series["period_start"] >= RECORD_START)
    out["named_best"] = out["deaths_best"] - out["remainder_best"]
    out["share_of_sohr"] = (out["deaths_best"] / out["sohr"]).where(out["sohr_same_days"]).round(3)
    out["named_share_of_sohr"] = (out["named_best"] / out["sohr"]).where(out["sohr_same_days"]).round(3)
    out["civilians_share_of_snhr"] = (out["deaths_civilians"] / out["snhr"]).where(out["snhr_same_days"]).round(3)
    out.index.name = "month"
    return out


def episode_totals(incidents: pd.DataFrame, episode_id: str) -> pd.Series:
    inc = active(incidents)
    inc = inc[inc["episode_id"] == episode_id]
    return pd.Series({"records": len(inc), "named_incidents": int((inc["record_type"] == "incident").sum()),
                      **{c: int(inc[c].sum()) for c in DEATH_COLUMNS + SPLIT_COLUMNS}})


def episode_area(tolls: pd.DataFrame, episode_id: str) -> str:
    """The area an episode's tolls are usually given for: all Syria ("SY") when any source gives a
    national total, else the governorate with the most published totals."""
    areas = tolls.loc[tolls["episode_id"] == episode_id, "area_pcode"]
    if areas.empty or (areas == "SY").any():
        return "SY"
    return areas.value_counts().sort_index().idxmax()


def toll_drift(tolls: pd.DataFrame, episode_id: str, area_pcode: str | None = None) -> pd.DataFrame:
    """Each source's published totals for an episode, in order of publication (for the drift chart)."""
    t = tolls[tolls["episode_id"] == episode_id]
    if area_pcode is not None:
        t = t[t["area_pcode"] == area_pcode]
    cols = ["source_id", "population", "area_pcode", "published_at", "period_end", "value", "toll_id"]
    return t[cols].sort_values(["source_id", "population", "published_at", "value"]).reset_index(drop=True)


def episode_daily(incidents: pd.DataFrame, episode_id: str) -> pd.DataFrame:
    """Deaths per day of an episode's named incidents: `day_known` from one-day incidents, `spread` from
    incidents spanning several days (their deaths divided evenly among their days)."""
    inc = active(incidents)
    inc = inc[(inc["episode_id"] == episode_id) & (inc["record_type"] == "incident")]
    daily = spread_over_days(inc)
    daily["kind"] = np.where(daily["date_precision"] == "day", "day_known", "spread")
    table = daily.pivot_table(index="day", columns="kind", values="deaths_best", aggfunc="sum", fill_value=0.0)
    for col in ("day_known", "spread"):
        if col not in table:
            table[col] = 0.0
    if len(table):
        table = table.reindex(pd.date_range(table.index.min(), table.index.max(), freq="D"), fill_value=0.0)
    table.index.name = "day"
    return table[["day_known", "spread"]].astype(float)


def top_incidents(incidents: pd.DataFrame, claims: pd.DataFrame, n: int = 15,
                  record_type: str = "incident") -> pd.DataFrame:
    """The deadliest records with their range and the number of claims and claimants."""
    inc = active(incidents)
    inc = inc[inc["record_type"] == record_type]
    counts = claims.groupby("incident_id").agg(claims=("claim_id", "size"))
    out = inc.merge(counts, left_on="incident_id", right_index=True, how="left")
    out = out.sort_values(["deaths_best", "deaths_high", "incident_id"], ascending=[False, False, True]).head(n)
    return out[["incident_id", "date_start", "location_name", "admin1_pcode", "perpetrator", "deaths_low",
                "deaths_best", "deaths_high", "n_claimants", "claims"]].reset_index(drop=True)


def episode_incidents(incidents: pd.DataFrame, claims: pd.DataFrame, episode_id: str) -> pd.DataFrame:
    """An episode's records (named incidents first, then remainders), with their ranges and claim counts."""
    inc = active(incidents)
    inc = inc[inc["episode_id"] == episode_id]
    counts = claims.groupby("incident_id").agg(claims=("claim_id", "size"))
    out = inc.merge(counts, left_on="incident_id", right_index=True, how="left")
    out = out.sort_values(["record_type", "date_start", "deaths_best"], ascending=[True, True, False])
    return out[["incident_id", "record_type", "date_start", "date_end", "location_name", "admin1_pcode",
                "geo_precision", "perpetrator", "deaths_low", "deaths_best", "deaths_high", "deaths_civilians",
                "n_claimants", "claims"]].reset_index(drop=True)


def latest_episode_tolls(tolls: pd.DataFrame, episode_id: str, area_pcode: str | None = None) -> pd.DataFrame:
    """Each source's latest published total for an episode, one row per source and population
    (for `area_pcode`, by default the episode's usual area, see episode_area)."""
    area_pcode = area_pcode or episode_area(tolls, episode_id)
    t = tolls[(tolls["episode_id"] == episode_id) & (tolls["area_pcode"] == area_pcode)]
    t = t.sort_values(["published_at", "value", "toll_id"]).groupby(["source_id", "population"]).tail(1)
    return t[["source_id", "population", "value", "published_at", "url"]].sort_values(
        ["population", "value"], ascending=[True, False]).reset_index(drop=True)


def bounds(frame: pd.DataFrame, pad: float = 0.2) -> tuple[float, float, float, float]:
    """A map window (min lon, min lat, max lon, max lat) around the rows' coordinates."""
    return (frame["longitude"].min() - pad, frame["latitude"].min() - pad,
            frame["longitude"].max() + pad, frame["latitude"].max() + pad)


def claim_spread(incidents: pd.DataFrame) -> pd.DataFrame:
    """How far claimants disagree: incidents with 2+ claimants, the high/low ratio."""
    inc = active(incidents)
    inc = inc[(inc["n_claimants"] > 1) & (inc["deaths_low"] > 0)]
    return inc.assign(ratio=(inc["deaths_high"] / inc["deaths_low"]).round(2))[
        ["incident_id", "date_start", "location_name", "deaths_low", "deaths_best", "deaths_high", "n_claimants", "ratio"]
    ].sort_values(["ratio", "deaths_high"], ascending=False).reset_index(drop=True)
