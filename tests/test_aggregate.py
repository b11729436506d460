"""Aggregations on the small valid fixture (hand-checkable numbers; see test_findings for the table)."""

from __future__ import annotations

import pandas as pd
import pytest

from syria_incidents import aggregate
from syria_incidents.load import load_tables


@pytest.fixture
def tables(valid_data):
    return load_tables(valid_data)


def test_totals_count_active_records_once(tables) -> None:
    t = aggregate.totals(tables.incidents)
    # active: SYI-00001 .. 00004, 00006 .. 00008; SYI-00005 withdrawn, SYI-00009 unverified
    assert (t["incidents"], t["remainders"]) == (6, 1)
    assert (t["deaths_low"], t["deaths_best"], t["deaths_high"]) == (159, 178, 190)
    assert t["deaths_civilians"] == 136 and t["deaths_unknown_status"] == 12


def test_weekly_periods_are_complete_and_sum_to_the_total(tables) -> None:
    weekly = aggregate.deaths_by_period(tables.incidents, "W")
    assert weekly.index[0] == pd.Timestamp("2024-12-02")  # the ISO week containing 8 December 2024
    assert (weekly.index.day_of_week == 0).all()
    assert weekly.index.to_series().diff().dropna().eq(pd.Timedelta(days=7)).all()
    assert weekly["deaths_best"].sum() == pytest.approx(178)
    assert weekly.loc["2025-03-03", "incidents"] == 4  # SYI-00001, 00002, 00003 and 00004 began that week


def test_spread_over_days_keeps_every_death(tables) -> None:
    daily = aggregate.spread_over_days(tables.incidents)
    per_record = daily.groupby("incident_id")["deaths_best"].sum()
    assert per_record["SYI-00003"] == pytest.approx(70) and (daily["incident_id"] == "SYI-00003").sum() == 5
    assert per_record.sum() == pytest.approx(178)


def test_monthly_and_cumulative(tables) -> None:
    monthly = aggregate.deaths_by_period(tables.incidents, "M")
    assert list(monthly.index[:2]) == [pd.Timestamp("2024-12-01"), pd.Timestamp("2025-01-01")]
    assert aggregate.cumulative(monthly)["deaths_high"].iloc[-1] == pytest.approx(190)


def test_by_governorate_rates(tables) -> None:
    gov = aggregate.by_governorate(tables.incidents)
    assert len(gov) == 14
    assert gov.loc["SY10", "deaths_best"] == 90  # Baniyas 20 + remainder 70
    assert gov.loc["SY10", "deaths_per_100k"] == round(90 / gov.loc["SY10", "population_2016"] * 1e5, 2)
    assert gov.loc["SY11", "deaths_best"] == 0


def test_monitor_monthly_takes_calendar_months_only(tables) -> None:
    snhr = aggregate.monitor_monthly(tables.verified_tolls, "snhr", "civilians")
    assert snhr["value"].to_dict() == {pd.Timestamp("2025-03-01"): 150}
    assert aggregate.monitor_monthly(tables.monitor_tolls, "sohr", "civilians").empty  # an episode toll
    assert len(aggregate.monitor_monthly(tables.monitor_tolls, "snhr", "civilians")) == 2  # June is unverified


def test_monthly_comparison_shares(tables) -> None:
    cmp = aggregate.monthly_comparison(tables.incidents, tables.verified_tolls)
    march = cmp.loc["2025-03-01"]
    assert march["snhr"] == 150 and pd.isna(march["sohr"]) and bool(march["snhr_same_days"])
    assert march["civilians_share_of_snhr"] == round(90 / 150, 3)
    assert march["named_best"] == pytest.approx(16 + 20 + 12)


def test_episode_tables(tables) -> None:
    totals = aggregate.episode_totals(tables.incidents, "coast-test")
    assert (totals["records"], totals["named_incidents"], totals["deaths_best"]) == (3, 2, 106)
    drift = aggregate.toll_drift(tables.monitor_tolls, "coast-test")
    assert drift["value"].tolist() == [120]


def test_provisional_window_is_relative_to_the_data(tables) -> None:
    assert aggregate.provisional_start(tables.as_of) == tables.as_of - pd.Timedelta(days=27)


def test_shares_and_targeting(tables) -> None:
    perps = aggregate.share_table(tables.incidents, "perpetrator").sum().round(6).to_dict()
    assert perps == {"unidentified": 105, "isis": 25, "gov_aligned_groups": 20, "assad_loyalists": 16, "syrian_gov": 12}
    target = aggregate.civilian_targeting_share(tables.incidents)
    assert target.loc["2025-03-01", "targeting_civilians"] == 90
    assert target.loc["2025-03-01", "share"] == round(90 / (16 + 20 + 70 + 12), 3)
