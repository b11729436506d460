"""`syria-incidents refresh`: deterministic execution, skipping, atomic failure, the site."""

from __future__ import annotations

import io
from pathlib import Path

import nbformat
import pytest

from syria_incidents import runner

GOOD_CELLS = [
    "# A test notebook\nIt draws one figure from the fixture data.",
    "import matplotlib.pyplot as plt\nfrom syria_incidents import style\nfrom syria_incidents.load import load_tables\n"
    "style.use_house_style()\ntables = load_tables()",
    "fig, ax = plt.subplots()\nax.bar(tables.active['incident_id'], tables.active['deaths_best'])\n"
    "style.add_source_line(fig, tables.as_of)\nstyle.save_figure(fig, '01-test-figure')\nprint(int(tables.active['deaths_best'].sum()))",
]


def make_notebook(path: Path, cells: list[str]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(cells[0], id="cell-0")] + [
        nbformat.v4.new_code_cell(src, id=f"cell-{i}") for i, src in enumerate(cells[1:], start=1)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path: Path, valid_data: Path) -> dict[str, Path]:
    dirs = {"data_dir": valid_data, "notebooks_dir": tmp_path / "notebooks",
            "figures_dir": tmp_path / "figures", "site_dir": tmp_path / "site"}
    dirs["notebooks_dir"].mkdir()
    make_notebook(dirs["notebooks_dir"] / "01-test-notebook.ipynb", GOOD_CELLS)
    return dirs


def refresh(project: dict[str, Path], **kwargs) -> tuple[int, str]:
    log = io.StringIO()
    code = runner.refresh(out=log, **project, **kwargs)
    return code, log.getvalue()


def test_refresh_runs_then_skips_then_reruns_identically(project) -> None:
    nb_path = project["notebooks_dir"] / "01-test-notebook.ipynb"
    code, log = refresh(project)
    assert code == 0, log
    assert "[1/1] 01-test-notebook: done in" in log
    first = nb_path.read_bytes()
    nb = nbformat.reads(first.decode(), as_version=4)
    assert nb.cells[2].outputs[0]["text"].strip() == "126"  # 14 + 20 + 80 + 12: active records only
    assert sorted(p.name for p in project["figures_dir"].iterdir()) == ["01-test-figure.png", "01-test-figure.svg"]
    figure = (project["figures_dir"] / "01-test-figure.svg").read_bytes()
    assert (project["site_dir"] / "01-test-notebook.html").exists()
    assert "01-test-notebook.html" in (project["site_dir"] / "index.html").read_text()

    code, log = refresh(project)
    assert code == 0 and "skipped (inputs unchanged" in log

    code, log = refresh(project, force=True)
    assert code == 0 and "done in" in log
    assert nb_path.read_bytes() == first
    assert (project["figures_dir"] / "01-test-figure.svg").read_bytes() == figure


def test_changed_data_makes_the_notebook_run_again(project) -> None:
    assert refresh(project)[0] == 0
    claims = project["data_dir"] / "monitor_tolls.csv"
    claims.write_text(claims.read_text().replace("150", "151"))
    code, log = refresh(project)
    assert code == 0 and "done in" in log


def test_failing_cell_leaves_committed_files_untouched(project) -> None:
    assert refresh(project)[0] == 0
    nb_path = project["notebooks_dir"] / "01-test-notebook.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("print(", "raise RuntimeError('boom'); print(")
    nbformat.write(nb, nb_path)
    before_nb = nb_path.read_bytes()
    before_fig = (project["figures_dir"] / "01-test-figure.png").read_bytes()
    code, log = refresh(project)
    assert code == 1
    assert "01-test-notebook.ipynb: cell 3 failed: RuntimeError: boom" in log
    assert "left as they were" in log
    assert nb_path.read_bytes() == before_nb
    assert (project["figures_dir"] / "01-test-figure.png").read_bytes() == before_fig


def test_invalid_data_stops_before_any_notebook(project, capsys) -> None:
    incidents = project["data_dir"] / "incidents.csv"
    incidents.write_text(incidents.read_text().replace("2025-03-04,2025-03-05", "2025-02-30,2025-03-05"))
    code, log = refresh(project)
    assert code == 1 and "nothing was executed" in log
    assert "incidents.csv:5:date_start" in capsys.readouterr().out
    assert not (project["figures_dir"]).exists()


def test_unknown_notebook_name(project) -> None:
    code, log = refresh(project, names=["99-nothing"])
    assert code == 1 and "no notebook called" in log
