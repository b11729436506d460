"""The committed notebooks and figures are fresh: re-executing reproduces them byte for byte.

(The smoke run, that every notebook executes without error, is `pytest --nbmake notebooks`, collected
by the same `make test`.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from syria_incidents import runner
from syria_incidents.paths import FIGURES_DIR, NOTEBOOKS_DIR
from syria_incidents.tables import TABLES_DIR

NOTEBOOKS = runner.notebook_paths()


def test_there_are_notebooks() -> None:
    assert [p.stem[:2] for p in NOTEBOOKS] == [f"{i:02d}" for i in range(len(NOTEBOOKS))]
    assert NOTEBOOKS[0].stem == "00-check-the-data"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_is_clean(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c.get("outputs") for c in code if "".join(c["source"]).strip()), "run `make refresh`"
    outputs = [o for c in code for o in c["outputs"]]
    assert not any(o["output_type"] == "error" for o in outputs)
    assert not any(o.get("name") == "stderr" for o in outputs)
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "executed top to bottom in one kernel"
    assert nb["cells"][0]["cell_type"] == "markdown" and nb["cells"][0]["source"][0].startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_rerun_reproduces_notebook_and_figures(path: Path, tmp_path: Path) -> None:
    figures, tables = tmp_path / "figures", tmp_path / "tables"
    figures.mkdir()
    executed = runner.execute(path, figures, tables_dir=tables)
    assert runner.notebook_bytes(executed) == path.read_bytes(), f"{path.name} is stale: run `make refresh`"
    produced = sorted(p.name for p in figures.iterdir())
    committed = sorted(p.name for p in FIGURES_DIR.glob(path.name[:3] + "*"))
    assert produced == committed
    for name in produced:
        assert (figures / name).read_bytes() == (FIGURES_DIR / name).read_bytes(), f"{name} is stale"
    made_tables = sorted(p.name for p in tables.glob("*.csv")) if tables.exists() else []
    assert made_tables == executed.metadata[runner.METADATA_KEY]["tables"]
    for name in made_tables:
        assert (tables / name).read_bytes() == (TABLES_DIR / name).read_bytes(), f"tables/{name} is stale"


def test_every_figure_has_its_source_line() -> None:
    svgs = list(FIGURES_DIR.glob("*.svg"))
    assert svgs
    for svg in svgs:
        text = " ".join(re.sub(r"<[^>]+>", " ", svg.read_text(encoding="utf-8")).split())
        assert "Source: syria-incidents, data to" in text, f"{svg.name} has no source line"
        assert "UN OCHA COD-AB" in text, f"{svg.name} has no boundary attribution"


def test_readme_lists_every_notebook_and_figure() -> None:
    readme = (NOTEBOOKS_DIR.parent / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"`{path.stem}`" in readme, f"{path.stem} missing from the README's notebook table"
    for fig in FIGURES_DIR.glob("*.png"):
        assert f"`{fig.stem}`" in readme or f"figures/{fig.name}" in readme, f"{fig.name} missing from the README"
