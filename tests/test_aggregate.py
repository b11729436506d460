"""Aggregations on the small valid fixture (hand-checkable numbers)."""

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
    # active: SYI-00001 (14), SYI-00002 (20), remainder SYI-00003 (80), SYI-00004 (12); SYI-00005 withdrawn
    assert (t["incidents"], t["remainders"]) == (3, 1)
    assert (t["deaths_low"], t["deaths_best"], t["deaths_high"]) == (126, 126, 138)
    assert t["deaths_civilians"] == 100 and t["deaths_unknown_status"] == 26


def test_weekly_periods_are_complete_and_sum_to_the_total(tables) -> None:
    weekly = aggregate.deaths_by_period(tables.incidents, "W")
    assert weekly.index[0] == pd.Timestamp("2024-12-02")  # the ISO week containing 8 December 2024
    assert (weekly.index.day_of_week == 0).all()
    assert weekly.index.to_series().diff().dropna().eq(pd.Timedelta(days=7)).all()
    assert weekly["deaths_best"].sum() == 126
    # SYI-00004 began Tuesday 4 March 2025; the coast records began 6-7 March: all in the week of 3 March
    assert weekly.loc["2025-03-03", "deaths_best"] == 126
    assert weekly.loc["2025-03-03", "incidents"] == 4


def test_monthly_and_cumulative(tables) -> None:
    monthly = aggregate.deaths_by_period(tables.incidents, "M")
    assert list(monthly.index[:2]) == [pd.Timestamp("2024-12-01"), pd.Timestamp("2025-01-01")]
    assert aggregate.cumulative(monthly)["deaths_high"].iloc[-1] == 138


def test_by_governorate_rates(tables) -> None:
    gov = aggregate.by_governorate(tables.incidents)
    assert len(gov) == 14
    assert gov.loc["SY10", "deaths_best"] == 100  # Baniyas 20 + remainder 80
    assert gov.loc["SY10", "deaths_per_100k"] == round(100 / gov.loc["SY10", "population_2016"] * 1e5, 2)
    assert gov.loc["SY01", "deaths_best"] == 0


def test_monitor_monthly_takes_calendar_months_only(tables) -> None:
    snhr = aggregate.monitor_monthly(tables.monitor_tolls, "snhr", "civilians")
    assert snhr.to_dict() == {pd.Timestamp("2025-03-01"): 150}
    assert aggregate.monitor_monthly(tables.monitor_tolls, "sohr", "civilians").empty  # an episode toll


def test_monthly_comparison_shares(tables) -> None:
    cmp = aggregate.monthly_comparison(tables.incidents, tables.monitor_tolls)
    march = cmp.loc["2025-03-01"]
    assert march["snhr"] == 150 and pd.isna(march["sohr"])
    assert march["civilians_share_of_snhr"] == round(100 / 150, 3)


def test_episode_tables(tables) -> None:
    totals = aggregate.episode_totals(tables.incidents, "coast-test")
    assert (totals["records"], totals["named_incidents"], totals["deaths_best"]) == (3, 2, 114)
    drift = aggregate.toll_drift(tables.monitor_tolls, "coast-test")
    assert drift["value"].tolist() == [120]
    daily = aggregate.episode_daily(tables.incidents, "coast-test")
    assert daily.loc["2025-03-06", "day_known"] == 14 and daily.loc["2025-03-07", "span_start"] == 20


def test_provisional_window_is_relative_to_the_data(tables) -> None:
    assert aggregate.provisional_start(tables.as_of) == tables.as_of - pd.Timedelta(days=27)


def test_shares_and_targeting(tables) -> None:
    perps = aggregate.share_table(tables.incidents, "perpetrator")
    assert perps.sum().to_dict() == {"unidentified": 92, "gov_aligned_groups": 20, "assad_loyalists": 14}
    target = aggregate.civilian_targeting_share(tables.incidents)
    assert target.loc["2025-03-01", "targeting_civilians"] == 100
    assert target.loc["2025-03-01", "share"] == round(100 / 126, 3)
