"""One meaning for each value: whatever `validate` accepts, the loader reads to that value, and `format`
keeps it (property tests with Hypothesis on single cells of the valid fixture)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_TODAY, FIXTURES
from syria_incidents.curation import format_tables
from syria_incidents.load import load_tables
from syria_incidents.validate import validate_data

# cells whose value does not feed the estimates (so a new value is judged by the schema alone)
CELLS = {
    "integer": ("claims.csv", 3, "injured"),          # SYC-00002's injured (empty in the fixture)
    "boolean": ("incidents.csv", 2, "civilian_targeting"),
    "date": ("claims.csv", 2, "checked_on"),
    "number": ("incidents.csv", 7, "latitude"),      # Damascus, SYI-00006
    "string": ("incidents.csv", 2, "description"),
}

integers = st.one_of(st.integers(-5, 10**7).map(str), st.sampled_from(["+2", "02", "٢", "2.0", "1e3", " 3", "NaN", "", "七"]))
booleans = st.sampled_from(["true", "false", "True", "TRUE", "1", "0", "yes", "", "t"])
dates = st.one_of(st.dates(dt.date(2024, 12, 8), dt.date(2026, 11, 20)).map(str),
                  st.sampled_from(["2024-12-8", "2025-02-30", "2025/03/01", "20250301", ""]))
numbers = st.one_of(st.floats(33.40, 33.60, allow_nan=False).map(lambda v: f"{v:.5f}"),
                    st.sampled_from(["NaN", "inf", "33,5", "+33.5", "033.5", "33.5e0", ""]))
strings = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


def meaning(kind: str, text: str):
    if kind == "integer":
        return int(text)
    if kind == "boolean":
        return text == "true"
    if kind == "date":
        return pd.Timestamp(text)
    if kind == "number":
        return float(text)
    return text


def check(tmp: Path, kind: str, value: str) -> None:
    data = tmp / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(FIXTURES / "valid", data)
    file, line, column = CELLS[kind]
    frame = pd.read_csv(data / file, dtype=str, keep_default_na=False)
    frame.loc[line - 2, column] = value
    frame.to_csv(data / file, index=False, lineterminator="\n")
    problems = validate_data(data, today=FIXTURE_TODAY)
    if problems:
        return  # refused: nothing to compare (the refusal itself is tested by the bad-input corpus)
    loaded = getattr(load_tables(data), file.removesuffix(".csv"))
    got = loaded.iloc[line - 2][column]
    if value == "":
        assert pd.isna(got) or got == "", (kind, value, got)
    else:
        assert got == meaning(kind, value), (kind, value, got)
    changed, stopped = format_tables(data)
    assert stopped == [] and changed == [], (kind, value, changed)


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(integers)
def test_integers_have_one_meaning(tmp_path, value) -> None:
    check(tmp_path, "integer", value)


@SETTINGS
@given(booleans)
def test_booleans_have_one_meaning(tmp_path, value) -> None:
    check(tmp_path, "boolean", value)


@SETTINGS
@given(dates)
def test_dates_have_one_meaning(tmp_path, value) -> None:
    check(tmp_path, "date", value)


@SETTINGS
@given(numbers)
def test_numbers_have_one_meaning(tmp_path, value) -> None:
    check(tmp_path, "number", value)


@SETTINGS
@given(strings)
def test_text_has_one_meaning(tmp_path, value) -> None:
    check(tmp_path, "string", value)
