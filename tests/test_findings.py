"""Every stated finding, on the small valid fixture whose answers are worked out by hand below.

The fixture's counted records (status active; SYI-00005 is withdrawn, SYI-00009 unverified):

| record    | dates           | low / best / high | split                                  | perpetrator      |
|-----------|-----------------|-------------------|----------------------------------------|------------------|
| SYI-00001 | 6 Mar 2025      | 14 / 16 / 16      | 16 security forces                     | assad_loyalists  |
| SYI-00002 | 7-8 Mar 2025    | 20 / 20 / 30      | 20 civilians                           | gov_aligned      |
| SYI-00003 | 6-10 Mar (rem.) | 70 / 70 / 70      | 70 civilians                           | unidentified     |
| SYI-00004 | 4-5 Mar 2025    | 12 / 12 / 12      | 12 unknown                             | syrian_gov       |
| SYI-00006 | 22 Jun 2025     | 20 / 25 / 27      | 25 civilians                           | isis             |
| SYI-00007 | 30 Apr-1 May    |  3 / 15 / 15      | 1 civilian, 8 security, 6 other armed  | unidentified     |
| SYI-00008 | 9 May 2025      | 20 / 20 / 20      | 20 civilians from the coding rule      | unidentified     |
"""

from __future__ import annotations

import pandas as pd
import pytest

from syria_incidents import aggregate, findings
from syria_incidents.load import load_tables


@pytest.fixture
def tables(valid_data):
    return load_tables(valid_data)


def test_headline(tables) -> None:
    h = findings.headline(tables.incidents)
    assert (h["named_incidents"], h["remainders"]) == (6, 1)
    assert (h["deaths_low"], h["deaths_best"], h["deaths_high"]) == (159, 178, 190)
    assert (h["civilians"], h["civilians_stated"], h["civilians_from_coding"]) == (136, 116, 20)
    assert (h["security_forces"], h["other_armed"], h["unknown_status"]) == (24, 6, 12)
    assert h["civilian_share"] == pytest.approx(136 / 178)
    assert h["unknown_share"] == pytest.approx(12 / 178)
    assert h["unidentified_share"] == pytest.approx((70 + 15 + 20) / 178)
    assert h["unidentified_share_named"] == pytest.approx((15 + 20) / 108)


def test_deaths_of_a_multi_day_incident_are_spread_over_its_days(tables) -> None:
    weekly = aggregate.deaths_by_period(tables.incidents, "W")
    # the remainder SYI-00003 runs Thursday 6 to Monday 10 March: 4 of its 5 days in the week of 3 March
    assert weekly.loc["2025-03-03", "deaths_best"] == pytest.approx(16 + 20 + 70 * 4 / 5 + 12)
    assert weekly.loc["2025-03-10", "deaths_best"] == pytest.approx(70 / 5)
    assert weekly.loc["2025-03-10", "remainder_best"] == pytest.approx(14)
    assert weekly["deaths_best"].sum() == pytest.approx(178)
    monthly = aggregate.deaths_by_period(tables.incidents, "M")
    # SYI-00007 runs 30 April to 1 May: half in each month
    assert monthly.loc["2025-04-01", "deaths_best"] == pytest.approx(7.5)
    assert monthly.loc["2025-05-01", "deaths_best"] == pytest.approx(7.5 + 20)
    assert monthly.loc["2025-05-01", "incidents"] == 1  # counts go by the day an incident began


def test_shares_use_the_same_months_in_numerator_and_denominator(tables) -> None:
    tolls = tables.verified_tolls  # SNHR's June toll is unverified and drops out
    comparison = aggregate.monthly_comparison(tables.incidents, tolls)
    snhr = findings.share_over_common_months(comparison, "deaths_civilians", "snhr")
    assert snhr["months"] == 1 and snhr["monitor"] == 150
    assert snhr["ours"] == pytest.approx(20 + 70)  # March only, though June has 25 civilians
    assert snhr["share"] == pytest.approx(90 / 150)


def test_a_monitor_month_not_on_the_same_days_is_left_out(tables) -> None:
    extra = tables.verified_tolls.iloc[[1]].copy()
    extra["toll_id"] = "SYT-9999"
    extra["period_start"], extra["period_end"] = pd.Timestamp("2024-12-01"), pd.Timestamp("2024-12-31")
    tolls = pd.concat([tables.verified_tolls, extra])
    comparison = aggregate.monthly_comparison(tables.incidents, tolls)
    assert comparison.loc["2024-12-01", "snhr"] == 150 and not comparison.loc["2024-12-01", "snhr_same_days"]
    snhr = findings.share_over_common_months(comparison, "deaths_civilians", "snhr")
    assert snhr["months"] == 1 and snhr["left_out"] == [pd.Timestamp("2024-12-01")]
    assert pd.isna(comparison.loc["2024-12-01", "civilians_share_of_snhr"])


def test_claimant_counts_say_what_they_count(tables) -> None:
    counts = findings.claimant_counts(tables.claims, tables.incidents)
    # SYI-00001 (SOHR, Reuters, the government), 00002 (SNHR, SOHR), 00006 (rescue service, ministry, SOHR),
    # 00007 (Shafaq, Tesaa): four with two claimants or more, and with two credible ones too
    assert counts == {"incidents": 6, "two_or_more_claimants": 4, "two_or_more_credible": 4}
    claims = tables.claims.copy()
    claims.loc[claims["claim_id"] == "SYC-00005", "used_as"] = "partisan_not_used"
    counts = findings.claimant_counts(claims, tables.incidents)
    assert (counts["two_or_more_claimants"], counts["two_or_more_credible"]) == (4, 3)


def test_widest_spread_compares_the_same_population_only() -> None:
    latest = pd.DataFrame({
        "episode": ["Sweida", "Sweida", "Sweida", "Coast", "Coast"],
        "source_id": ["sohr", "sohr", "snhr", "sohr", "ohchr"],
        "population": ["all", "civilians", "civilians", "civilians", "civilians"],
        "value": [1420, 35, 814, 1614, 111]})
    widest = findings.widest_source_spread(latest)
    # SOHR's 1,420 (everyone) against a civilians figure would be a factor of 41: never compared.
    assert widest == {"episode": "Sweida", "population": "civilians", "ratio": pytest.approx(814 / 35),
                      "min": 35, "max": 814}


def test_places_are_counted_as_points_and_incidents() -> None:
    inc = pd.DataFrame({"latitude": [35.1, 35.1, 35.2], "longitude": [36.0, 36.0, 36.1]})
    assert findings.place_counts(inc) == {"incidents": 3, "points": 2}


def test_deadliest_days_reports_ties(tables) -> None:
    daily = aggregate.episode_daily(tables.incidents, "coast-test")
    assert daily.loc["2025-03-06", "day_known"] == 16 and daily.loc["2025-03-07", "spread"] == 10
    assert findings.deadliest_days(daily) == ([pd.Timestamp("2025-03-06")], 16.0)
    tie = pd.DataFrame({"day_known": [3.0, 5.0, 1.0], "spread": [2.0, 0.0, 1.0]},
                       index=pd.date_range("2025-07-13", periods=3))
    assert findings.deadliest_days(tie)[0] == [pd.Timestamp("2025-07-13"), pd.Timestamp("2025-07-14")]


def test_provisional_deaths_and_top_periods(tables) -> None:
    weekly = aggregate.deaths_by_period(tables.incidents, "W")
    as_of = pd.Timestamp("2025-06-22")
    # the window runs 26 May to 22 June: the weeks of 26 May ... 16 June; only SYI-00006 (25) falls in it
    assert findings.provisional_deaths(weekly, as_of) == pytest.approx(25)
    top = findings.deadliest_periods(weekly["deaths_best"], 2)
    assert list(top.index) == [pd.Timestamp("2025-03-03"), pd.Timestamp("2025-06-16")]


def test_top_share() -> None:
    frame = pd.DataFrame({"deaths": [5, 3, 2]}, index=["a", "b", "c"])
    assert findings.top_share(frame, "deaths", 2) == (["a", "b"], 0.8)
