"""The estimation rule (v2), on hand-made claims whose answers are worked out by hand in each test.

Each test mirrors a worked example of the codebook ("How the estimates are derived").
"""

from __future__ import annotations

import pandas as pd
import pytest

from syria_incidents.estimates import _scale_down, apply_columns, derive
from syria_incidents.load import cast, load_tables, schema_fields

FIELDS = schema_fields()
SOURCES = cast(pd.DataFrame({
    "source_id": ["a", "b", "c", "gov", "rescue", "sdf_media"],
    "name": ["A", "B", "C", "Gov", "Rescue", "SDF media"],
    "source_type": ["monitor", "monitor", "wire", "government", "rescue_service", "media_syrian"],
    "url": [""] * 6, "speaks_for": ["", "", "", "syrian_gov", "", "sdf"], "note": [""] * 6}), FIELDS["sources"])
ACTORS = pd.DataFrame({
    "actor_id": ["syrian_gov", "gov_aligned_groups", "sdf", "isis", "civilians", "unidentified", "other_armed_group"],
    "side": ["government", "government", "sdf", "isis", "", "", ""]})


def incidents(*rows: dict) -> pd.DataFrame:
    base = {"status": "active", "record_type": "incident", "episode_id": "", "admin1_pcode": "SY06",
            "perpetrator": "unidentified", "attacked_side": "unidentified", "event_type": "Battles", "tags": "",
            "status_reason": "", "date_start": "2025-03-06", "date_end": "2025-03-06"}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["date_end"] = pd.to_datetime(frame["date_end"])
    frame["date_start"] = pd.to_datetime(frame["date_start"]).where(lambda d: d <= frame["date_end"], frame["date_end"])
    return frame


def claims(*rows: tuple, **flags) -> pd.DataFrame:
    """(incident_id, source_id, published_at, killed_total, civilians, security, other) rows."""
    frame = pd.DataFrame(rows, columns=["incident_id", "source_id", "published_at", "killed_total",
                                        "killed_civilians", "killed_security_forces", "killed_other_armed"])
    frame["claim_id"] = [f"SYC-{i:05d}" for i in range(1, len(frame) + 1)]
    frame["published_at"] = pd.to_datetime(frame["published_at"])
    for col in ("killed_total", "killed_civilians", "killed_security_forces", "killed_other_armed"):
        frame[col] = frame[col].astype("Int64")
    frame["claim_scope"] = "incident"
    frame["provisional"] = False
    frame["unconfirmed"] = False
    frame["verification"] = "verified"
    for col, values in flags.items():
        frame[col] = values
    return frame


def run(inc, cl):
    est, roles = derive(inc, cl, SOURCES, ACTORS)
    return est, roles


def triple(row) -> tuple[int, int, int]:
    return int(row["deaths_low"]), int(row["deaths_best"]), int(row["deaths_high"])


def test_single_claimant() -> None:
    est, roles = run(incidents({"incident_id": "I1"}), claims(("I1", "a", "2025-03-06", 5, 5, None, None)))
    row = est.loc["I1"]
    assert triple(row) == (5, 5, 5)
    assert row["deaths_civilians"] == 5 and row["deaths_unknown_status"] == 0 and row["split_basis"] == "stated"
    assert row["fatality_basis"] == "single_claimant" and row["n_claimants"] == 1
    assert roles.loc["SYC-00001", "used_as"] == "best"


def test_latest_figure_per_claimant_and_rank() -> None:
    """a: 13 then 48 (48 counts); b: 20; c (a wire): 30. Monitors a and b rank above c, so best is the
    lower middle of {20, 48} = 20; low 20, high 48."""
    est, roles = run(incidents({"incident_id": "I1", "date_end": "2025-03-01"}), claims(
        ("I1", "a", "2025-03-06", 13, None, 13, None),
        ("I1", "a", "2025-03-09", 48, 4, 16, 28),
        ("I1", "b", "2025-03-09", 20, None, None, None),
        ("I1", "c", "2025-03-10", 30, None, None, None)))
    row = est.loc["I1"]
    assert triple(row) == (20, 20, 48) and row["n_claimants"] == 3
    assert roles["used_as"].tolist() == ["history", "range", "best", "range"]


def test_an_aggregators_figure_does_not_override_a_monitor() -> None:
    """SYI-00439's case: an outlet's 4 against SNHR's 12 -> best 12 (rank), low 4."""
    est, _ = run(incidents({"incident_id": "I1"}), claims(("I1", "c", "2025-03-06", 4, 4, None, None),
                                                       ("I1", "a", "2025-03-06", 12, 12, None, None)))
    assert triple(est.loc["I1"]) == (4, 12, 12)


def test_an_early_figure_superseded_within_days_informs_only_the_low() -> None:
    """Mar Elias: a rescue service's 15 on the day, then the ministry's 25 and a monitor's 27 the next day.
    The 15 is superseded (a larger later figure of another claimant within 7 days): best = lower middle of
    {25, 27} = 25, low 15, high 27. The ministry is not a party to an IS bombing of civilians."""
    inc = incidents({"incident_id": "I1", "perpetrator": "isis", "attacked_side": "civilians",
                     "event_type": "Explosions/Remote violence", "date_end": "2025-06-22"})
    est, roles = run(inc, claims(("I1", "rescue", "2025-06-22", 15, None, None, None),
                                 ("I1", "gov", "2025-06-23", 25, None, None, None),
                                 ("I1", "a", "2025-06-23", 27, None, None, None)))
    assert triple(est.loc["I1"]) == (15, 25, 27)
    assert roles["used_as"].tolist() == ["early", "best", "range"]
    assert not roles["partisan"].any()


def test_a_figure_called_preliminary_is_early() -> None:
    est, roles = run(incidents({"incident_id": "I1"}),
                     claims(("I1", "a", "2025-03-06", 40, None, None, None),
                            ("I1", "b", "2025-03-06", 30, None, None, None), provisional=[True, False]))
    assert triple(est.loc["I1"]) == (30, 30, 40)
    assert roles["used_as"].tolist() == ["early", "best"]


def test_a_larger_figure_published_later_than_seven_days_does_not_supersede() -> None:
    est, _ = run(incidents({"incident_id": "I1", "date_end": "2025-03-01"}),
                 claims(("I1", "a", "2025-03-02", 10, None, None, None),
                        ("I1", "b", "2025-03-20", 14, None, None, None)))
    assert triple(est.loc["I1"]) == (10, 10, 14)


def test_a_partial_figure_informs_the_low_only() -> None:
    """al-Sanamayn: 3 for the first day only, 15 for the two days -> 3 / 15 / 15."""
    est, roles = run(incidents({"incident_id": "I1"}),
                     claims(("I1", "c", "2025-03-05", 3, None, None, 3),
                            ("I1", "c", "2025-03-06", 15, 1, 8, 6), claim_scope=["partial", "incident"]))
    row = est.loc["I1"]
    assert triple(row) == (3, 15, 15)
    assert (row["deaths_civilians"], row["deaths_security_forces"], row["deaths_other_armed"]) == (1, 8, 6)
    assert roles["used_as"].tolist() == ["partial", "best"]


def test_only_partial_figures_give_the_best() -> None:
    est, _ = run(incidents({"incident_id": "I1"}),
                 claims(("I1", "a", "2025-03-05", 3, None, None, None), claim_scope=["partial"]))
    assert triple(est.loc["I1"]) == (3, 3, 3)


def test_partisanship_is_per_incident() -> None:
    """The government's ministry is partisan when government forces are attacked, not for an IS bombing
    of civilians; SDF media are partisan when the SDF fights."""
    inc = incidents({"incident_id": "I1", "perpetrator": "isis", "attacked_side": "syrian_gov"},
                    {"incident_id": "I2", "perpetrator": "isis", "attacked_side": "civilians"},
                    {"incident_id": "I3", "perpetrator": "gov_aligned_groups", "attacked_side": "sdf"})
    est, roles = run(inc, claims(("I1", "gov", "2025-03-06", 9, None, 9, None),
                                 ("I1", "a", "2025-03-06", 7, None, 7, None),
                                 ("I2", "gov", "2025-03-06", 9, 9, None, None),
                                 ("I3", "sdf_media", "2025-03-06", 5, None, None, 5)))
    assert roles["partisan"].tolist() == [True, False, False, True]
    assert roles["used_as"].tolist() == ["partisan_not_used", "best", "best", "best"]
    assert triple(est.loc["I1"]) == (7, 7, 7) and est.loc["I1", "fatality_basis"] == "single_claimant"
    assert est.loc["I3", "partisan_only"] and est.loc["I3", "fatality_basis"] == "partisan_only"


def test_a_single_unconfirmed_testimony_is_not_a_credible_claimant() -> None:
    est, roles = run(incidents({"incident_id": "I1"}, {"incident_id": "I2"}),
                     claims(("I1", "c", "2025-03-06", 20, None, None, None),
                            ("I2", "c", "2025-03-06", 20, None, None, None),
                            ("I2", "a", "2025-03-06", 6, None, None, None), unconfirmed=[True, True, False]))
    assert est.loc["I1", "fatality_basis"] == "testimony_only" and est.loc["I1", "deaths_best"] == 20
    assert triple(est.loc["I2"]) == (6, 6, 6)
    assert roles["used_as"].tolist() == ["best", "testimony_not_used", "best"]


def test_unverified_claims_are_left_out() -> None:
    est, roles = run(incidents({"incident_id": "I1"}, {"incident_id": "I2", "status": "unverified"}),
                     claims(("I1", "a", "2025-03-06", 50, None, None, None),
                            ("I1", "b", "2025-03-06", 10, None, None, None),
                            ("I2", "a", "2025-03-06", 4, None, None, None),
                            verification=["unverified", "verified", "unverified"]))
    assert triple(est.loc["I1"]) == (10, 10, 10)
    assert est.loc["I2", "fatality_basis"] == "unverified"
    assert roles["used_as"].tolist() == ["unverified", "best", "unverified"]


def test_split_takes_each_category_from_the_claims_that_state_it() -> None:
    """SYI-00108's case: best 50 from a total-only claim; another claim states 60 civilians -> the 50 are
    civilians (capped at best), not 'unknown'."""
    est, _ = run(incidents({"incident_id": "I1", "event_type": "Battles"}),
                 claims(("I1", "a", "2025-03-06", 50, None, None, None),
                        ("I1", "c", "2025-03-06", 60, 60, None, None)))
    row = est.loc["I1"]
    assert triple(row) == (50, 50, 60)
    assert (row["deaths_civilians"], row["deaths_unknown_status"], row["split_basis"]) == (50, 0, "stated")


def test_categories_above_best_are_scaled_down() -> None:
    """Categories 10 civilians + 30 fighters against a best of 20: 5 and 15 (proportional)."""
    est, _ = run(incidents({"incident_id": "I1"}),
                 claims(("I1", "a", "2025-03-06", 20, 10, None, None),
                        ("I1", "b", "2025-03-06", 40, None, None, 30),
                        ("I1", "c", "2025-03-06", 20, None, None, None)))
    row = est.loc["I1"]
    assert row["deaths_best"] == 20
    assert (row["deaths_civilians"], row["deaths_other_armed"], row["deaths_unknown_status"]) == (5, 15, 0)


def test_scale_down_uses_largest_remainders() -> None:
    import numpy as np
    out = _scale_down(np.array([[1, 1, 1], [3, 0, 0], [2, 2, 0]]), np.array([2, 5, 3]))
    assert out.tolist() == [[1, 1, 0], [3, 0, 0], [2, 1, 0]]


def test_coding_rule_makes_unknown_victims_of_violence_against_civilians_civilians() -> None:
    inc = incidents({"incident_id": "I1", "event_type": "Violence against civilians"},
                    {"incident_id": "I2", "event_type": "Battles", "tags": "massacre;identity_based"},
                    {"incident_id": "I3", "event_type": "Violence against civilians", "status_reason": "armed men"},
                    {"incident_id": "I4", "event_type": "Violence against civilians"})
    est, _ = run(inc, claims(("I1", "a", "2025-03-06", 8, None, None, None),
                             ("I2", "a", "2025-03-06", 8, None, None, None),
                             ("I3", "a", "2025-03-06", 8, None, None, None),
                             ("I4", "a", "2025-03-06", 8, None, 2, None)))
    assert est.loc["I1", ["deaths_civilians", "civilians_from_coding", "split_basis"]].tolist() == [8, 8, "coding"]
    assert est.loc["I2", "deaths_civilians"] == 8
    assert est.loc["I3", ["deaths_civilians", "deaths_unknown_status", "split_basis"]].tolist() == [0, 8, "unknown"]
    assert est.loc["I4", ["deaths_civilians", "deaths_security_forces", "split_basis"]].tolist() == [6, 2, "stated_and_coding"]


def test_remainder_subtracts_named_deaths_of_the_same_population() -> None:
    """A civilians total of 100 for Tartus; named incidents there: I1 (20 civilians of 20, range 20-30) and
    I4 (10 soldiers, no civilians). Only civilians are subtracted: N = 20 / 20 / 30.
    high = 100 - 30 = 70, best = min(100 - 20, 70) = 70, low = min(70, 100 - 20) = 70.
    The episode in Tartus then sums to 90 / 90 / 100 + I4's 10 soldiers, never above the total."""
    inc = incidents({"incident_id": "I1", "episode_id": "E", "admin1_pcode": "SY10"},
                    {"incident_id": "I2", "episode_id": "E", "admin1_pcode": "SY06"},
                    {"incident_id": "I3", "episode_id": "", "admin1_pcode": "SY10"},
                    {"incident_id": "I4", "episode_id": "E", "admin1_pcode": "SY10"},
                    {"incident_id": "R", "record_type": "remainder", "episode_id": "E", "admin1_pcode": "SY10",
                     "event_type": "Violence against civilians"})
    cl = claims(("I1", "a", "2025-03-09", 20, 20, None, None),
                ("I1", "b", "2025-03-09", 30, None, None, None),
                ("I2", "a", "2025-03-09", 7, 7, None, None),      # other governorate: not subtracted
                ("I3", "a", "2025-03-09", 9, 9, None, None),      # no episode: not subtracted
                ("I4", "a", "2025-03-09", 10, None, 10, None),    # not civilians: not subtracted
                ("R", "a", "2025-03-12", 100, 100, None, None), claim_scope=["incident"] * 5 + ["area_total"])
    est, _ = run(inc, cl)
    row = est.loc["R"]
    assert triple(row) == (70, 70, 70)
    assert row["fatality_basis"] == "remainder" and row["deaths_civilians"] == 70 and row["split_basis"] == "stated"
    tartus = est.loc[["I1", "R"]]
    assert tartus["deaths_high"].sum() <= 100


def test_remainder_of_a_total_of_everyone_spans_the_totals() -> None:
    """Totals of everyone: 100 (a) and 150 (b); named deaths 20 / 20 / 30.
    high = max(100, 150) - 30 = 120; best = min(lower middle of {80, 130}, 120) = 80; low = min(80, 80) = 80."""
    inc = incidents({"incident_id": "I1", "episode_id": "E", "admin1_pcode": "SY10"},
                    {"incident_id": "R", "record_type": "remainder", "episode_id": "E", "admin1_pcode": "SY10"})
    cl = claims(("I1", "a", "2025-03-09", 20, None, None, None), ("I1", "b", "2025-03-09", 30, None, None, None),
                ("R", "a", "2025-03-12", 100, None, None, None), ("R", "b", "2025-03-20", 150, None, None, None),
                claim_scope=["incident", "incident", "area_total", "area_total"])
    est, _ = run(inc, cl)
    assert triple(est.loc["R"]) == (80, 80, 120)
    assert est.loc[["I1", "R"], "deaths_high"].sum() == 150


def test_remainder_subtracts_only_named_deaths_of_its_days_and_population() -> None:
    """A monitor's total of fighters for 8-10 December (218) on a front episode: named fighters killed on
    9 December (30) are subtracted; fighters named on 20 December and civilians named on 9 December are
    not (other days; another population): best 218 - 30 = 188, all of them other armed."""
    inc = incidents({"incident_id": "I1", "episode_id": "E", "date_start": "2024-12-09", "date_end": "2024-12-09"},
                    {"incident_id": "I2", "episode_id": "E", "date_start": "2024-12-20", "date_end": "2024-12-20"},
                    {"incident_id": "I3", "episode_id": "E", "date_start": "2024-12-09", "date_end": "2024-12-09"},
                    {"incident_id": "R", "record_type": "remainder", "episode_id": "E", "date_start": "2024-12-08",
                     "date_end": "2024-12-10"})
    cl = claims(("I1", "a", "2024-12-09", 30, None, None, 30), ("I2", "a", "2024-12-20", 12, None, None, 12),
                ("I3", "a", "2024-12-09", 5, 5, None, None), ("R", "a", "2024-12-10", 218, None, None, 218),
                claim_scope=["incident"] * 3 + ["area_total"])
    row = run(inc, cl)[0].loc["R"]
    assert triple(row) == (188, 188, 188) and row["deaths_other_armed"] == 188


def test_remainder_never_negative() -> None:
    inc = incidents({"incident_id": "I1", "episode_id": "E"}, {"incident_id": "R", "record_type": "remainder", "episode_id": "E"})
    cl = claims(("I1", "a", "2025-03-09", 50, None, None, None), ("R", "a", "2025-03-12", 30, None, None, None),
                claim_scope=["incident", "area_total"])
    assert triple(run(inc, cl)[0].loc["R"]) == (0, 0, 0)


def test_apply_columns_formats_like_the_csv(valid_data) -> None:
    tables = load_tables(valid_data)
    raw = pd.read_csv(valid_data / "incidents.csv", dtype=str, keep_default_na=False)
    est, _ = derive(tables.incidents, tables.claims, tables.sources, tables.actors)
    pd.testing.assert_frame_equal(apply_columns(raw, "incident_id", est), raw)


@pytest.mark.parametrize("column", ["deaths_best", "deaths_civilians", "partisan_only", "split_basis"])
def test_derive_command_repairs_a_tampered_estimate(valid_data, column) -> None:
    from syria_incidents.curation import derive_tables

    path = valid_data / "incidents.csv"
    original = path.read_text(encoding="utf-8")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.loc[1, column] = {"partisan_only": "true", "split_basis": "coding"}.get(column, "999")
    raw.to_csv(path, index=False, lineterminator="\n")
    assert derive_tables(valid_data)["incidents"] == 1
    assert path.read_text(encoding="utf-8") == original


@pytest.mark.parametrize("column", ["deaths_best", "deaths_civilians", "partisan_only", "split_basis"])
def test_derive_after_one_validation_writes_what_a_fresh_derive_writes(valid_data, tmp_path, column) -> None:
    """`syria-incidents derive` reuses the validator's reading and estimates: the files it writes are
    byte for byte those of a derive that reads and derives again (tampered estimate, claim and qualifier)."""
    import shutil

    from syria_incidents.curation import derive_tables
    from syria_incidents.validate import check_data

    for name, row, col, value in (("incidents", 1, column, {"partisan_only": "true", "split_basis": "coding"}.get(column, "999")),
                                  ("claims", 2, "used_as", "superseded"), ("claims", 3, "qualifier", "about")):
        path = valid_data / f"{name}.csv"
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        raw.loc[row, col] = value
        raw.to_csv(path, index=False, lineterminator="\n")
    fresh = tmp_path / "fresh"
    shutil.copytree(valid_data, fresh)
    problems, checked = check_data(valid_data)
    assert checked is not None and problems  # the tampering is seen
    reused = derive_tables(valid_data, checked)
    assert reused == derive_tables(fresh) and reused["incidents"] >= 1 and reused["claims"] >= 1
    for name in ("incidents", "claims", "monitor_tolls"):
        assert (valid_data / f"{name}.csv").read_bytes() == (fresh / f"{name}.csv").read_bytes()
    assert check_data(valid_data)[0] == []


@pytest.mark.parametrize("text, expected", [
    ("{طفل}=1", True), ("{طفلان}=2", True), ("{a 14-year-old boy}=1", True), ("{امرأة}=1 + {طفلة}=1", True),
    ("{طفل آخر}=1", True),
    ("{a man}=1 + {a child}=1", False), ("{سيدة}=1 + ثلاثة", False), ("{شاب}=1", False), ("12", False),
    ("{طفل}=1 - {طفل}=1", False),
])
def test_a_total_of_children_or_women_is_recognised(text: str, expected: bool) -> None:
    from syria_incidents.figures import only_children_or_women

    assert only_children_or_women(text) is expected


def test_children_named_in_a_total_count_as_stated_civilians() -> None:
    """On the curated record: every claim whose total names only children or women gives civilians,
    and its incident counts them as stated civilians, never as unknown status."""
    from syria_incidents import figures
    from syria_incidents.load import load_tables

    t = load_tables()
    inc = t.incidents.set_index("incident_id")
    seen = 0
    for claim in t.claims.itertuples():
        total = figures.split_claim_figures(claim.figure_as_written).get("total", "") if claim.figure_as_written else ""
        if not (total and figures.only_children_or_women(total)) or claim.verification != "verified":
            continue
        seen += 1
        assert claim.killed_civilians == claim.killed_total, claim.claim_id
        incident = inc.loc[claim.incident_id]
        if incident["status"] == "active" and claim.used_as in ("best", "range"):
            assert incident["deaths_civilians"] - incident["civilians_from_coding"] >= claim.killed_total, claim.claim_id
    assert seen >= 15
