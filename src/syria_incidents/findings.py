"""The numbers behind every stated finding: small functions that take tables and return numbers.

The notebooks' sentences and chart titles take their numbers from here, so each finding has a unit test
on a fixture whose answers are known by hand (tests/test_findings.py). Two rules hold throughout:

* a share uses the same periods in its numerator and its denominator (a monitor's months that the
  record does not cover on the same days are left out of both);
* a count says what it counts (incidents or points on a map; all claimants or credible ones).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .aggregate import active, provisional_start

CREDIBLE_USES = ("best", "range", "early", "partial")


def headline(incidents: pd.DataFrame) -> dict:
    """The record's headline numbers: totals, the victim split (stated, and from the coding rule), and
    the shares of unknown status and of unidentified perpetrators (over all deaths, and over the deaths
    of named incidents only)."""
    inc = active(incidents)
    named = inc[inc["record_type"] == "incident"]
    best = float(inc["deaths_best"].sum())
    coded = float(inc["civilians_from_coding"].sum())
    civilians = float(inc["deaths_civilians"].sum())

    def share(part: float, whole: float) -> float:
        return part / whole if whole else float("nan")

    return {
        "named_incidents": int(len(named)), "remainders": int((inc["record_type"] == "remainder").sum()),
        "deaths_low": int(inc["deaths_low"].sum()), "deaths_best": int(best), "deaths_high": int(inc["deaths_high"].sum()),
        "named_deaths_best": int(named["deaths_best"].sum()),
        "civilians": int(civilians), "civilians_stated": int(civilians - coded), "civilians_from_coding": int(coded),
        "security_forces": int(inc["deaths_security_forces"].sum()), "other_armed": int(inc["deaths_other_armed"].sum()),
        "unknown_status": int(inc["deaths_unknown_status"].sum()),
        "civilian_share": share(civilians, best), "civilian_share_stated": share(civilians - coded, best),
        "unknown_share": share(float(inc["deaths_unknown_status"].sum()), best),
        "unidentified_share": share(float(inc.loc[inc["perpetrator"] == "unidentified", "deaths_best"].sum()), best),
        "unidentified_share_named": share(float(named.loc[named["perpetrator"] == "unidentified", "deaths_best"].sum()),
                                          float(named["deaths_best"].sum())),
        "first_date": inc["date_start"].min(), "last_date": inc["date_end"].max(),
        "governorates": int(inc["admin1_pcode"].nunique()),
    }


def share_over_common_months(comparison: pd.DataFrame, ours: str, monitor: str) -> dict:
    """Our column as a share of a monitor's, over the months the monitor reports on the same days only.

    `comparison` is aggregate.monthly_comparison's table; `monitor` one of its monitor columns ('sohr',
    'snhr'); months where `<monitor>_same_days` is False are left out of both sums.
    """
    months = comparison[comparison[f"{monitor}_same_days"]]
    ours_sum, theirs = float(months[ours].sum()), float(months[monitor].sum())
    return {"months": int(len(months)), "ours": ours_sum, "monitor": theirs,
            "share": ours_sum / theirs if theirs else float("nan"),
            "first": months.index.min(), "last": months.index.max(),
            "left_out": [m for m in comparison.index[comparison[monitor].notna() & ~comparison[f"{monitor}_same_days"]]]}


def capture_by_month(comparison: pd.DataFrame) -> pd.DataFrame:
    """Named incidents' deaths as a share of SOHR's and SNHR's monthly tolls (same days only)."""
    out = pd.DataFrame(index=comparison.index)
    out["named_best"] = comparison["named_best"].round(1)
    out["sohr_all"] = comparison["sohr"].where(comparison["sohr_same_days"])
    out["named_share_of_sohr"] = (comparison["named_best"] / out["sohr_all"]).round(3)
    out["snhr_civilians"] = comparison["snhr"].where(comparison["snhr_same_days"])
    out["named_civilians"] = comparison["named_civilians"].round(1)
    out["named_civilian_share_of_snhr"] = (out["named_civilians"] / out["snhr_civilians"]).round(3)
    return out


def claimant_counts(claims: pd.DataFrame, incidents: pd.DataFrame) -> dict:
    """Active named incidents with figures from two or more distinct claimants: counting every claimant,
    and counting only the credible claimants the estimate uses (verified, not partisan for the incident,
    not a single testimony)."""
    inc = active(incidents)
    ids = set(inc.loc[inc["record_type"] == "incident", "incident_id"])
    c = claims[claims["incident_id"].isin(ids) & claims["killed_total"].notna()]
    every = c.groupby("incident_id")["source_id"].nunique()
    credible = c[c["used_as"].isin(CREDIBLE_USES)].groupby("incident_id")["source_id"].nunique()
    return {"incidents": len(ids), "two_or_more_claimants": int((every >= 2).sum()),
            "two_or_more_credible": int((credible >= 2).sum())}


def widest_source_spread(latest: pd.DataFrame) -> dict | None:
    """Where sources' latest totals differ most, comparing like with like: the same episode and the same
    population only (`latest`: rows of episode, source_id, population, value)."""
    rows = latest[latest["value"] > 0]
    groups = rows.groupby(["episode", "population"])["value"].agg(["min", "max", "size"])
    groups = groups[groups["size"] >= 2]
    if groups.empty:
        return None
    ratio = (groups["max"] / groups["min"]).sort_values(ascending=False, kind="stable")
    (episode, population), value = ratio.index[0], float(ratio.iloc[0])
    return {"episode": episode, "population": population, "ratio": value,
            "min": int(groups.loc[(episode, population), "min"]), "max": int(groups.loc[(episode, population), "max"])}


def place_counts(incidents: pd.DataFrame) -> dict:
    """Incidents, and the distinct points they are drawn at (several incidents can share a place)."""
    points = incidents[["latitude", "longitude"]].round(5).drop_duplicates()
    return {"incidents": int(len(incidents)), "points": int(len(points))}


def deadliest_days(daily: pd.DataFrame) -> tuple[list[pd.Timestamp], float]:
    """The day or days (all of them when several tie) with the most deaths in an episode's daily table
    (aggregate.episode_daily), and that number."""
    total = daily.sum(axis=1).round(6)
    if total.empty:
        return [], 0.0
    top = float(total.max())
    return list(total.index[np.isclose(total, top)]), top


def deadliest_periods(series: pd.Series, n: int = 3) -> pd.Series:
    """The `n` largest values of a period series, largest first (ties in date order)."""
    return series.sort_values(ascending=False, kind="stable").head(n)


def provisional_deaths(weekly: pd.DataFrame, as_of: pd.Timestamp) -> float:
    """Deaths (best) in the weeks that overlap the provisional window (the four weeks before as_of)."""
    start = provisional_start(as_of)
    return float(weekly.loc[weekly.index + pd.Timedelta(days=6) >= start, "deaths_best"].sum())


def top_share(frame: pd.DataFrame, column: str, n: int = 3) -> tuple[list, float]:
    """The `n` largest rows of `column` and their share of its total."""
    top = frame[column].sort_values(ascending=False, kind="stable").head(n)
    total = float(frame[column].sum())
    return list(top.index), (float(top.sum()) / total if total else float("nan"))
