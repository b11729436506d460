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
    """A low above a high, an impossible date, an unknown P-code: one line each, exit 1."""
    path = valid_data / "incidents.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",14,16,16,", ",17,16,16,")          # low above best
    lines[2] = lines[2].replace("2025-03-07,2025-03-08", "2025-02-30,2025-03-08")  # impossible date
    lines[4] = lines[4].replace(",SY12,SY1202,", ",SY19,SY1202,")     # unknown governorate P-code
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("validate", "--data", str(valid_data))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "incidents.csv:2:deaths_low: deaths_low 17 is above deaths_best 16",
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


# ---------------------------------------------------------------------------------------------
# Reliability: one problem never hides another; files are named; nothing hangs.

def test_a_reading_problem_does_not_hide_problems_elsewhere(valid_data: Path) -> None:
    """A trailing space on line 2 of claims.csv, a negative count on line 10 and a bad date in another file
    are all reported in one run (issue: one problem used to hide all the others)."""
    claims = valid_data / "claims.csv"
    lines = claims.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",sohr,shafaq,", ",sohr ,shafaq,", 1)
    lines[9] = lines[9].replace(",16,,16,", ",-16,,16,", 1)
    claims.write_text("\n".join(lines), encoding="utf-8")
    (valid_data / "actors.csv").write_bytes(b"\xef\xbb\xbf" + (valid_data / "actors.csv").read_bytes())
    incidents = valid_data / "incidents.csv"
    incidents.write_text(incidents.read_text(encoding="utf-8").replace("35.36151,35.9217", "48.85,2.35", 1),
                         encoding="utf-8")
    found = {str(p) for p in validate_data(valid_data, today=FIXTURE_TODAY)}
    assert "claims.csv:2:source_id: leading or trailing spaces (`syria-incidents format` fixes this)" in found
    assert "claims.csv:10:killed_total: -16 is below the minimum 0" in found
    assert "actors.csv:1:*: file starts with a byte-order mark (`syria-incidents format` fixes this)" in found
    assert "incidents.csv:2:latitude: 48.85 is above the maximum 38" in found


def test_a_file_saved_by_a_spreadsheet_is_repaired_by_format(valid_data: Path) -> None:
    from syria_incidents.curation import format_tables

    original = {p.name: p.read_bytes() for p in valid_data.glob("*.csv")}
    claims = valid_data / "claims.csv"
    text = claims.read_text(encoding="utf-8").replace(",sohr,shafaq,", ", sohr,shafaq,", 1)
    claims.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    incidents = valid_data / "incidents.csv"
    rows = incidents.read_text(encoding="utf-8").rstrip("\n").split("\n")
    incidents.write_text("\n".join([rows[0], *reversed(rows[1:])]) + "\n", encoding="utf-8")
    assert validate_data(valid_data, today=FIXTURE_TODAY) != []
    changed, stopped = format_tables(valid_data)
    assert stopped == [] and sorted(changed) == ["claims.csv", "incidents.csv"]
    assert {p.name: p.read_bytes() for p in valid_data.glob("*.csv")} == original
    assert validate_data(valid_data, today=FIXTURE_TODAY) == []
    assert format_tables(valid_data) == ([], [])  # a no-op on canonical files


def test_format_leaves_a_file_it_cannot_read_alone(valid_data: Path) -> None:
    from syria_incidents.curation import format_tables

    path = valid_data / "incidents.csv"
    broken = path.read_text(encoding="utf-8").replace("Synthetic test incident", '"Synthetic test incident', 1)
    path.write_text(broken, encoding="utf-8")
    changed, stopped = format_tables(valid_data)
    assert "incidents.csv" not in changed and stopped and stopped[0].file == "incidents.csv"
    assert path.read_text(encoding="utf-8") == broken


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_reading_it(valid_data: Path) -> None:
    import os

    (valid_data / "episodes.csv").unlink()
    os.mkfifo(valid_data / "episodes.csv")
    result = subprocess.run([sys.executable, "-m", "syria_incidents", "validate", "--data", str(valid_data)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert ("episodes.csv:1:*: is not a regular file (a pipe, a device or a socket); refused without reading it"
            in result.stdout.splitlines())


def test_a_directory_and_a_missing_file_are_named(valid_data: Path) -> None:
    (valid_data / "sources.csv").unlink()
    (valid_data / "sources.csv").mkdir()
    (valid_data / "actors.csv").unlink()
    found = {str(p) for p in validate_data(valid_data, today=FIXTURE_TODAY)}
    assert "sources.csv:1:*: is a directory, not a file" in found
    assert "actors.csv:1:*: file is missing" in found


def test_unreadable_file_is_named(valid_data: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = valid_data / "claims.csv"
    path.chmod(0)
    found = {str(p) for p in validate_data(valid_data, today=FIXTURE_TODAY)}
    assert "claims.csv:1:*: cannot be read (permission denied)" in found


def test_unterminated_quote_is_reported_on_its_own_line(valid_data: Path) -> None:
    path = valid_data / "claims.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[9] = lines[9].replace(",toll raised", ',"toll raised') if "toll raised" in lines[9] else lines[9] + '"'
    path.write_text("\n".join(lines), encoding="utf-8")
    found = [p for p in validate_data(valid_data, today=FIXTURE_TODAY) if p.origin == "parse"]
    assert [(p.file, p.line) for p in found] == [("claims.csv", 10)]


def test_a_huge_field_is_read(valid_data: Path) -> None:
    path = valid_data / "incidents.csv"
    text = path.read_text(encoding="utf-8").replace("Synthetic test incident reported only by a party.",
                                                    "Synthetic " + "x" * 1_000_000 + ".", 1)
    path.write_text(text, encoding="utf-8")
    assert validate_data(valid_data, today=FIXTURE_TODAY) == []


def test_duplicate_check_compares_candidates_not_every_pair() -> None:
    """The duplicate check joins on place and on (page, figure): for n incidents at n distinct places the
    candidate pairs number 0, and for n incidents in pairs of two at one place they number n / 2, where
    comparing every pair would make n (n - 1) / 2 comparisons (59 s for 10,000 rows before)."""
    import numpy as np
    import pandas as pd
    from syria_incidents.validate import duplicate_candidates

    def frame(n: int, places: int) -> pd.DataFrame:
        return pd.DataFrame({
            "incident_id": [f"SYI-{i:05d}" for i in range(n)], "status": "active", "record_type": "incident",
            "date_start": pd.Timestamp("2025-01-01"), "date_end": pd.Timestamp("2025-01-01"),
            "admin1_pcode": "SY06", "admin2_pcode": "SY0602", "event_type": "Battles", "perpetrator": "unidentified",
            "location_name": [f"Village {i % places}" for i in range(n)], "_line": np.arange(2, n + 2)})

    claims = pd.DataFrame({"incident_id": [], "url": [], "killed_total": pd.Series([], dtype="Int64")})
    assert len(duplicate_candidates(frame(20_000, 20_000), claims)) == 0
    assert len(duplicate_candidates(frame(20_000, 10_000), claims)) == 10_000


# ---------------------------------------------------------------------------------------------
# The fast reader (Arrow, one pass) and the careful one (line by line) agree.

def _both_readings(path: Path, expected: list[str], monkeypatch: pytest.MonkeyPatch):
    from syria_incidents import validate

    fast = validate.read_table(path, expected)
    with monkeypatch.context() as m:
        m.setattr(validate, "_read_plain", lambda data, expected: None)
        careful = validate.read_table(path, expected)
    return fast, careful


def _columns(name: str) -> list[str]:
    import json

    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == name)
    return [f["name"] for f in resource["schema"]["fields"]]


@pytest.mark.parametrize("name", ["incidents", "claims", "sources", "monitor_tolls", "episodes", "actors"])
def test_fast_reader_takes_the_curated_files_and_reads_them_as_the_careful_one(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from syria_incidents import validate

    path = DATA_DIR / f"{name}.csv"
    assert validate._read_plain(path.read_bytes(), _columns(name)) is not None, "a clean file takes the fast path"
    (fast_table, fast_problems), (careful_table, careful_problems) = _both_readings(path, _columns(name), monkeypatch)
    assert fast_problems == careful_problems == []
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(fast_table.frame, careful_table.frame)


@pytest.mark.parametrize("text", [
    'a,b,c\n"x"y,2,3\n',          # text after a closing quote
    'a,b,c\nx"y,2,3\n',           # a quote inside an unquoted value
    'a,b,c\n"x""y",2,3\n',        # an escaped quote (reported by the careful path)
    'a,b,c\n1,2,3\n\n4,5,6\n',    # a blank line
    'a,b,c\n"1\n2",2,3\n',        # a line break inside a value
    'a,b,c\n1,2\n',               # a short row
    'a,b,c\n1,2,3,4\n',           # a long row
    'a,b,c\n 1,2,3\n',            # a leading space
    'a,b,c\n1,2,3\t\n',           # a tab
    'a,c,b\n1,2,3\n',             # columns out of order
    'a,b,c\n1,\x1f2,3\n',         # a control character
])
def test_fast_reader_leaves_every_oddity_to_the_careful_one(text: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from syria_incidents import validate

    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    assert validate._read_plain(path.read_bytes(), ["a", "b", "c"]) is None
    (fast_table, fast_problems), (careful_table, careful_problems) = _both_readings(path, ["a", "b", "c"], monkeypatch)
    assert fast_problems == careful_problems and fast_problems
