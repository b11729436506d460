"""The validator: the valid fixture passes, every bad input gets its exact message, the CLI contract holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_TODAY, FIXTURES
from make_bad_fixtures import CASES, materialise

from syria_incidents.paths import DATA_DIR
from syria_incidents.validate import RULES, validate_data

BAD = FIXTURES / "bad"


def test_valid_fixture_passes(valid_data: Path) -> None:
    assert validate_data(valid_data, today=FIXTURE_TODAY) == []


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert on_disk == set(CASES)


@pytest.fixture(scope="module")
def corpus_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    """The validator's problems for every case of the bad-input corpus (run once)."""
    root = tmp_path_factory.mktemp("corpus")
    return {case: validate_data(materialise(case, root / case), today=FIXTURE_TODAY) for case in CASES}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_its_message(case: str, corpus_results: dict) -> None:
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [str(p) for p in corpus_results[case]] == expected


def test_every_rule_has_a_failing_fixture(corpus_results: dict) -> None:
    """Each check (parsing, the schema, every codebook rule) is the origin of some case's problem."""
    fired = {p.origin for problems in corpus_results.values() for p in problems}
    assert fired == set(RULES) | {"parse", "schema"}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "syria_incidents", *args], capture_output=True, text=True)


def test_cli_reports_injected_faults_one_line_each(valid_data: Path) -> None:
    """The issue's check: a low above a high, an unknown P-code, an impossible date."""
    path = valid_data / "incidents.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",14,14,16,", ",17,14,16,")          # low above high
    lines[2] = lines[2].replace("2025-03-07,2025-03-08", "2025-02-30,2025-03-08")  # impossible date
    lines[4] = lines[4].replace(",SY12,SY1202,", ",SY19,SY1202,")     # unknown governorate P-code
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("validate", "--data", str(valid_data))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "incidents.csv:2:deaths_low: deaths_low 17 is above deaths_best 14",
        "incidents.csv:3:date_start: '2025-02-30' is not an ISO date (YYYY-MM-DD)",
        "incidents.csv:5:admin1_pcode: 'SY19' is not a governorate P-code (SY01 to SY14)",
    ]


@pytest.mark.parametrize("case", ["bom", "bad_encoding", "unbalanced_quote", "empty_file", "missing_column"])
def test_cli_never_shows_a_traceback_on_malformed_files(case: str, tmp_path: Path) -> None:
    data = materialise(case, tmp_path / "data")
    result = run_cli("validate", "--data", str(data))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.strip().splitlines()[0].split(":")[0].endswith(".csv")


def test_cli_exit_zero_on_valid_data(valid_data: Path) -> None:
    result = run_cli("validate", "--data", str(valid_data))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_project_data_is_valid() -> None:
    problems = validate_data(DATA_DIR)
    assert problems == [], "\n".join(map(str, problems[:20]))
