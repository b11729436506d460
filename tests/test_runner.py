"""`syria-incidents refresh`: deterministic execution, skipping, one transaction with a lock, the site."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from syria_incidents import runner

GOOD_CELLS = [
    "# A test notebook\nIt draws one figure and writes one table from the fixture data.",
    "import matplotlib.pyplot as plt\nfrom syria_incidents import style, tables\nfrom syria_incidents.load import load_tables\n"
    "style.use_house_style()\ndata = load_tables()",
    "fig, ax = plt.subplots()\nax.bar(data.active['incident_id'], data.active['deaths_best'])\n"
    "style.add_source_line(fig, data.as_of)\nstyle.save_figure(fig, '01-test-figure')\n"
    "tables.save_table(data.active[['incident_id', 'deaths_best']].reset_index(drop=True), 'deadliest-incidents')\n"
    "print(int(data.active['deaths_best'].sum()))",
]


def make_notebook(path: Path, cells: list[str]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(cells[0], id="cell-0")] + [
        nbformat.v4.new_code_cell(src, id=f"cell-{i}") for i, src in enumerate(cells[1:], start=1)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path: Path, valid_data: Path) -> dict[str, Path]:
    dirs = {"data_dir": valid_data, "notebooks_dir": tmp_path / "notebooks", "figures_dir": tmp_path / "figures",
            "site_dir": tmp_path / "site", "tables_dir": tmp_path / "tables", "root": tmp_path}
    dirs["notebooks_dir"].mkdir()
    make_notebook(dirs["notebooks_dir"] / "01-test-notebook.ipynb", GOOD_CELLS)
    return dirs


def refresh(project: dict[str, Path], **kwargs) -> tuple[int, str]:
    log = io.StringIO()
    code = runner.refresh(out=log, workers=1, **project, **kwargs)
    return code, log.getvalue()


def snapshot(project: dict[str, Path]) -> dict[str, bytes]:
    """Every output file of the tree, by path."""
    out = {}
    for key in ("notebooks_dir", "figures_dir", "site_dir", "tables_dir"):
        for path in sorted(Path(project[key]).rglob("*")):
            if path.is_file():
                out[str(path.relative_to(project["root"]))] = path.read_bytes()
    return out


def test_refresh_runs_then_skips_then_reruns_identically(project) -> None:
    nb_path = project["notebooks_dir"] / "01-test-notebook.ipynb"
    code, log = refresh(project)
    assert code == 0, log
    assert "01-test-notebook: done in" in log
    first = snapshot(project)
    nb = nbformat.reads(first["notebooks/01-test-notebook.ipynb"].decode(), as_version=4)
    assert nb.cells[2].outputs[0]["text"].strip() == "178"  # the fixture's active records only
    assert nb.metadata["syria_incidents"]["tables"] == ["deadliest-incidents.csv"]
    assert sorted(p.name for p in project["figures_dir"].iterdir()) == ["01-test-figure.png", "01-test-figure.svg"]
    assert (project["tables_dir"] / "datapackage.json").exists()
    assert (project["site_dir"] / "01-test-notebook.html").exists()
    assert (project["site_dir"] / "explorer.html").exists()
    assert "01-test-notebook.html" in (project["site_dir"] / "index.html").read_text()

    code, log = refresh(project)
    assert code == 0 and "nothing changed since the last refresh" in log and "data valid" not in log

    code, log = refresh(project, force=True)
    assert code == 0 and "done in" in log
    assert snapshot(project) == first
    assert nb_path.read_bytes() == first["notebooks/01-test-notebook.ipynb"]


def test_changed_data_makes_the_notebook_run_again(project) -> None:
    assert refresh(project)[0] == 0
    tolls = project["data_dir"] / "monitor_tolls.csv"
    tolls.write_text(tolls.read_text().replace("page not found again", "page not found again on re-reading"))
    code, log = refresh(project)
    assert code == 0 and "done in" in log


def test_failing_cell_leaves_every_output_untouched(project) -> None:
    assert refresh(project)[0] == 0
    nb_path = project["notebooks_dir"] / "01-test-notebook.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("print(", "raise RuntimeError('boom'); print(")
    nbformat.write(nb, nb_path)
    before = snapshot(project)
    code, log = refresh(project)
    assert code == 1
    assert "01-test-notebook.ipynb: cell 3 failed: RuntimeError: boom" in log
    assert "left as they were" in log
    assert snapshot(project) == before
    assert not (project["root"] / runner.STAGING_NAME).exists()


def test_invalid_data_stops_before_any_notebook(project, capsys) -> None:
    incidents = project["data_dir"] / "incidents.csv"
    incidents.write_text(incidents.read_text().replace("2025-03-04,2025-03-05", "2025-02-30,2025-03-05"))
    code, log = refresh(project)
    assert code == 1 and "nothing was executed" in log
    assert "incidents.csv:5:date_start" in capsys.readouterr().out
    assert not project["figures_dir"].exists()


def test_unknown_notebook_name(project) -> None:
    code, log = refresh(project, names=["99-nothing"])
    assert code == 1 and "no notebook called" in log


def test_a_second_refresh_on_the_same_tree_refuses(project) -> None:
    with runner.tree_lock(project["root"]):
        code, log = refresh(project)
    assert code == 1
    assert "another refresh is running on this tree" in log
    assert not project["figures_dir"].exists()


def test_data_changed_during_the_run_keeps_nothing(project) -> None:
    cells = GOOD_CELLS[:2] + [GOOD_CELLS[2] + "\nimport os\nfrom pathlib import Path\n"
                              "p = Path(os.environ['SYRIA_INCIDENTS_DATA_DIR']) / 'episodes.csv'\n"
                              "p.write_text(p.read_text() + '')\n"
                              "p.write_text(p.read_text().replace('synthetic episode', 'synthetic episode, edited'))"]
    make_notebook(project["notebooks_dir"] / "01-test-notebook.ipynb", cells)
    code, log = refresh(project)
    assert code == 1 and "changed during the run" in log
    assert not project["figures_dir"].exists() and not project["site_dir"].exists()


def test_notebooks_run_in_parallel_give_the_same_bytes(project) -> None:
    make_notebook(project["notebooks_dir"] / "02-second.ipynb", [GOOD_CELLS[0], GOOD_CELLS[1],
                  GOOD_CELLS[2].replace("01-test-figure", "02-second-figure").replace("deadliest-incidents", "deaths-by-week")])
    log = io.StringIO()
    assert runner.refresh(out=log, workers=2, **project) == 0, log.getvalue()
    assert "on 2 core(s)" in log.getvalue()
    parallel = snapshot(project)
    assert refresh(project, force=True)[0] == 0  # one after the other
    assert snapshot(project) == parallel


def _refresh_in_a_process(project: dict[str, Path], env: dict | None = None) -> subprocess.Popen:
    code = ("import sys; from pathlib import Path; from syria_incidents import runner\n"
            f"sys.exit(runner.refresh(force=True, workers=1, data_dir=Path({str(project['data_dir'])!r}), "
            f"notebooks_dir=Path({str(project['notebooks_dir'])!r}), figures_dir=Path({str(project['figures_dir'])!r}), "
            f"site_dir=Path({str(project['site_dir'])!r}), tables_dir=Path({str(project['tables_dir'])!r}), "
            f"root=Path({str(project['root'])!r})))")
    return subprocess.Popen([sys.executable, "-c", code], env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def test_a_run_killed_while_notebooks_execute_leaves_the_outputs_whole(project) -> None:
    assert refresh(project)[0] == 0
    before = snapshot(project)
    cells = GOOD_CELLS[:2] + ["import time\ntime.sleep(60)"] + GOOD_CELLS[2:]
    make_notebook(project["notebooks_dir"] / "01-test-notebook.ipynb", cells)
    proc = _refresh_in_a_process(project)
    deadline = time.time() + 120
    while not (project["root"] / runner.STAGING_NAME / "run").exists() and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(3)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    after = {k: v for k, v in snapshot(project).items() if not k.startswith("notebooks/")}
    assert after == {k: v for k, v in before.items() if not k.startswith("notebooks/")}
    make_notebook(project["notebooks_dir"] / "01-test-notebook.ipynb", GOOD_CELLS)
    code, log = refresh(project)  # the next run cleans the staging folder and works
    assert code == 0, log
    assert not (project["root"] / runner.STAGING_NAME).exists()


def test_a_run_killed_while_committing_is_completed_by_the_next(project) -> None:
    assert refresh(project)[0] == 0
    complete = snapshot(project)
    proc = _refresh_in_a_process(project, {runner.CRASH_AFTER_MOVES_ENV: "2"})
    assert proc.wait(timeout=300) == 17  # died after two of its moves
    assert (project["root"] / runner.STAGING_NAME / "journal.json").exists()
    code, log = refresh(project)
    assert code == 0 and "recovered: completed the outputs" in log
    assert snapshot(project) == complete
