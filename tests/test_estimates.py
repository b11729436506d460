"""The estimation rule, on hand-made claims."""

from __future__ import annotations

import pandas as pd
import pytest

from syria_incidents.estimates import apply_estimates, derive_estimates
from syria_incidents.load import cast, load_tables, schema_fields

FIELDS = schema_fields()
SOURCES = cast(pd.DataFrame({
    "source_id": ["a", "b", "c", "gov"], "name": ["A", "B", "C", "Gov"],
    "source_type": ["monitor", "monitor", "wire", "government"], "url": [""] * 4,
    "partisan": ["false", "false", "false", "true"], "note": [""] * 4}), FIELDS["sources"])


def incidents(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """(incident_id, record_type, episode_id, admin1_pcode) rows."""
    frame = pd.DataFrame(rows, columns=["incident_id", "record_type", "episode_id", "admin1_pcode"])
    frame["status"] = "active"
    return frame


def claims(*rows: tuple) -> pd.DataFrame:
    """(incident_id, source_id, published_at, killed_total, civilians, security, other) rows."""
    frame = pd.DataFrame(rows, columns=["incident_id", "source_id", "published_at", "killed_total",
                                        "killed_civilians", "killed_security_forces", "killed_other_armed"])
    frame["claim_id"] = [f"SYC-{i:05d}" for i in range(1, len(frame) + 1)]
    frame["published_at"] = pd.to_datetime(frame["published_at"])
    for col in ("killed_total", "killed_civilians", "killed_security_forces", "killed_other_armed"):
        frame[col] = frame[col].astype("Int64")
    return frame


def test_single_claim() -> None:
    est = derive_estimates(incidents(("I1", "incident", "", "SY06")),
                           claims(("I1", "a", "2025-03-06", 5, 5, None, None)), SOURCES)
    row = est.loc["I1"]
    assert (row["deaths_low"], row["deaths_best"], row["deaths_high"]) == (5, 5, 5)
    assert row["deaths_civilians"] == 5 and row["deaths_unknown_status"] == 0
    assert row["fatality_basis"] == "single_claim" and row["n_claimants"] == 1


def test_latest_claim_per_claimant_and_lower_median() -> None:
    est = derive_estimates(incidents(("I1", "incident", "", "SY06")), claims(
        ("I1", "a", "2025-03-06", 13, None, 13, None),   # superseded by a's later figure
        ("I1", "a", "2025-03-07", 48, 4, 16, 28),
        ("I1", "b", "2025-03-07", 20, None, None, None),
        ("I1", "c", "2025-03-08", 30, None, None, None),
        ("I1", "gov", "2025-03-07", 16, None, 16, None),  # partisan: ignored beside independent claims
    ), SOURCES).loc["I1"]
    assert (est["deaths_low"], est["deaths_best"], est["deaths_high"]) == (20, 30, 48)
    assert est["n_claimants"] == 3 and not est["partisan_only"]
    assert est["deaths_unknown_status"] == 30  # c gives no split


def test_even_number_of_claimants_takes_the_lower_middle_and_its_split() -> None:
    est = derive_estimates(incidents(("I1", "incident", "", "SY06")), claims(
        ("I1", "a", "2025-03-07", 48, 4, 16, 28),
        ("I1", "b", "2025-03-07", 16, None, 16, None),
    ), SOURCES).loc["I1"]
    assert (est["deaths_low"], est["deaths_best"], est["deaths_high"]) == (16, 16, 48)
    assert (est["deaths_security_forces"], est["deaths_unknown_status"]) == (16, 0)


def test_partisan_only() -> None:
    est = derive_estimates(incidents(("I1", "incident", "", "SY12")),
                           claims(("I1", "gov", "2025-03-05", 12, None, None, None)), SOURCES).loc["I1"]
    assert est["partisan_only"] and est["deaths_best"] == 12


def test_same_day_figures_take_the_larger() -> None:
    est = derive_estimates(incidents(("I1", "incident", "", "SY06")), claims(
        ("I1", "a", "2025-03-07", 16, None, None, None),
        ("I1", "a", "2025-03-07", 13, None, None, None),
    ), SOURCES).loc["I1"]
    assert est["deaths_best"] == 16 and est["n_claimants"] == 1


def test_remainder_subtracts_named_incidents_of_its_episode_and_governorate() -> None:
    inc = incidents(("I1", "incident", "E", "SY10"), ("I2", "incident", "E", "SY06"),
                    ("I3", "incident", "", "SY10"), ("R", "remainder", "E", "SY10"))
    cl = claims(("I1", "a", "2025-03-09", 20, 20, None, None),
                ("I2", "a", "2025-03-09", 7, 7, None, None),       # other governorate: not subtracted
                ("I3", "a", "2025-03-09", 9, 9, None, None),       # no episode: not subtracted
                ("R", "a", "2025-03-12", 100, 100, None, None),
                ("R", "b", "2025-03-20", 150, None, None, None))
    est = derive_estimates(inc, cl, SOURCES).loc["R"]
    assert (est["deaths_low"], est["deaths_best"], est["deaths_high"]) == (80, 80, 130)
    assert est["fatality_basis"] == "remainder"
    assert est["deaths_civilians"] == 80 and est["deaths_unknown_status"] == 0


def test_remainder_never_negative() -> None:
    inc = incidents(("I1", "incident", "E", "SY10"), ("R", "remainder", "E", "SY10"))
    cl = claims(("I1", "a", "2025-03-09", 50, None, None, None), ("R", "a", "2025-03-12", 30, None, None, None))
    assert derive_estimates(inc, cl, SOURCES).loc["R", "deaths_best"] == 0


def test_apply_estimates_formats_like_the_csv(valid_data) -> None:
    tables = load_tables(valid_data)
    raw = pd.read_csv(valid_data / "incidents.csv", dtype=str, keep_default_na=False)
    again = apply_estimates(raw, derive_estimates(tables.incidents, tables.claims, tables.sources))
    pd.testing.assert_frame_equal(again, raw)


@pytest.mark.parametrize("column", ["deaths_best", "deaths_civilians", "partisan_only"])
def test_derive_command_repairs_a_tampered_estimate(valid_data, column) -> None:
    from syria_incidents.curation import rewrite_estimates

    path = valid_data / "incidents.csv"
    original = path.read_text(encoding="utf-8")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.loc[1, column] = "true" if column == "partisan_only" else "999"
    raw.to_csv(path, index=False, lineterminator="\n")
    assert rewrite_estimates(valid_data) == 1
    assert path.read_text(encoding="utf-8") == original
