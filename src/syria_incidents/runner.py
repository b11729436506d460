"""Execute the notebooks deterministically, export their figures and build the HTML site.

Recipe for byte-identical reruns (see the README, "Reproducibility"): each notebook runs top to
bottom in a fresh kernel with nbclient (`record_timing=False`), with `PYTHONHASHSEED=0` and
`SOURCE_DATE_EPOCH=0` in the kernel's environment; the house style fixes matplotlib's SVG hash salt
and figures are saved without timestamps (plots.save_figure).

Safety: a notebook executes into memory and its figures into a temporary folder. Only when every
cell has run does the notebook replace the committed file (atomically, via os.replace) and its
figures replace those in figures/. A failing cell leaves the committed notebook and figures as
they were.

Skipping: the hash of a notebook's inputs (its cells' sources, every file under data/, the package's
source and the pinned requirements) is stored in the notebook's metadata; a notebook whose inputs
hash is unchanged is skipped unless `force`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .paths import DATA_DIR, FIGURES_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, SITE_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
METADATA_KEY = "syria_incidents"
KERNEL_ENV = {"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0"}
FIGURES_ENV = "SYRIA_INCIDENTS_FIGURES_DIR"
CELL_TIMEOUT_S = 900


class NotebookFailed(RuntimeError):
    """A cell raised: names the notebook and the cell."""


def notebook_paths(names: list[str] | None = None, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks, in order; `names` may give stems, file names or paths."""
    every = sorted(notebooks_dir.glob("[0-9][0-9]-*.ipynb"))
    if not names:
        return every
    chosen = []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        found = [p for p in every if p.stem == stem or p.stem.startswith(stem + "-") or p.stem[:2] == stem]
        if not found:
            raise FileNotFoundError(f"no notebook called {name!r} in {notebooks_dir}")
        chosen += [p for p in found if p not in chosen]
    return chosen


def _hash_files(digest, paths: list[Path], root: Path) -> None:
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())


def inputs_hash(nb_path: Path, data_dir: Path = DATA_DIR) -> str:
    """sha256 of everything a notebook's outputs depend on."""
    nb = nbformat.read(nb_path, as_version=4)
    digest = hashlib.sha256()
    for cell in nb.cells:
        digest.update(cell.cell_type.encode())
        digest.update(cell.source.encode())
    _hash_files(digest, [p for p in Path(data_dir).rglob("*") if p.is_file()], Path(data_dir))
    _hash_files(digest, list(PACKAGE_DIR.rglob("*.py")), PACKAGE_DIR)
    lock = PROJECT_ROOT / "requirements.lock"
    if lock.exists():
        digest.update(lock.read_bytes())
    return digest.hexdigest()


def stored_hash(nb_path: Path) -> str | None:
    nb = nbformat.read(nb_path, as_version=4)
    return nb.metadata.get(METADATA_KEY, {}).get("inputs_sha256")


@contextmanager
def _environment(extra: dict[str, str]):
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def execute(nb_path: Path, figures_dir: Path, data_dir: Path = DATA_DIR) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel; return the executed notebook (nothing is written but figures)."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(nb_path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="syria-incidents-kernel-") as runtime:
        km = KernelManager(kernel_name="python3", transport="ipc",
                           connection_file=str(Path(runtime) / "kernel.json"))
        client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT_S, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(nb_path.parent)}})
        try:
            _run(client, nb, nb_path, data_dir, figures_dir)
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("name") == "stderr":
                    raise NotebookFailed(f"{nb_path.name}: writes to stderr (a warning?): "
                                         f"{''.join(output.get('text', ''))[:300]}")
    nb.metadata[METADATA_KEY] = {"inputs_sha256": inputs_hash(nb_path, data_dir)}
    return nb


def _run(client, nb: nbformat.NotebookNode, nb_path: Path, data_dir: Path, figures_dir: Path) -> None:
    from nbclient.exceptions import CellExecutionError

    env = {**KERNEL_ENV, FIGURES_ENV: str(figures_dir), "SYRIA_INCIDENTS_DATA_DIR": str(data_dir)}
    with _environment(env):
        try:
            client.execute()
        except CellExecutionError:
            for index, cell in enumerate(nb.cells):
                errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                if errors:
                    raise NotebookFailed(f"{nb_path.name}: cell {index + 1} failed: "
                                         f"{errors[0]['ename']}: {errors[0]['evalue']}") from None
            raise NotebookFailed(f"{nb_path.name}: a cell failed") from None


def notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    """The file form of a notebook, as nbformat.write would save it."""
    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _commit(nb_path: Path, nb: nbformat.NotebookNode, produced: Path, figures_dir: Path) -> list[str]:
    """Replace the notebook and the figures it owns (those named with its two-digit prefix)."""
    tmp = nb_path.with_suffix(".ipynb.tmp")
    tmp.write_bytes(notebook_bytes(nb))
    os.replace(tmp, nb_path)
    figures_dir.mkdir(parents=True, exist_ok=True)
    prefix = nb_path.name[:3]
    new = sorted(p.name for p in produced.iterdir() if p.is_file())
    for stale in figures_dir.glob(prefix + "*"):
        if stale.name not in new:
            stale.unlink()
    for name in new:
        shutil.copyfile(produced / name, figures_dir / (name + ".tmp"))
        os.replace(figures_dir / (name + ".tmp"), figures_dir / name)
    return new


@dataclass
class Outcome:
    notebook: str
    status: str  # ran | skipped | failed
    seconds: float
    figures: int = 0


def build_site(notebooks: list[Path], site_dir: Path = SITE_DIR) -> Path:
    """HTML pages of the notebooks and an index, in site/."""
    from nbconvert import HTMLExporter

    site_dir.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    exporter.log.setLevel("ERROR")
    entries = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        (site_dir / f"{path.stem}.html").write_text(body, encoding="utf-8")
        title = next((line.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"
                      for line in c.source.splitlines() if line.startswith("#")), path.stem)
        entries.append((path.stem, title))
    items = "\n".join(f'<li><a href="{stem}.html">{stem}</a>: {title}</li>' for stem, title in entries)
    (site_dir / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>syria-incidents</title>"
        "<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}</style></head>"
        "<body><h1>syria-incidents: notebooks</h1><p>Deadly violence in Syria since 8 December 2024: "
        "an open, sourced incident record. Every figure is traceable to dated claims in "
        "<code>data/claims.csv</code>.</p><ol>\n" + items + "\n</ol></body></html>\n", encoding="utf-8")
    return site_dir / "index.html"


def refresh(names: list[str] | None = None, force: bool = False, data_dir: Path = DATA_DIR,
            notebooks_dir: Path = NOTEBOOKS_DIR, figures_dir: Path = FIGURES_DIR,
            site_dir: Path = SITE_DIR, out=sys.stderr) -> int:
    """Validate, run the notebooks that need it, build the site. Returns a process exit code."""
    from .validate import validate_data

    problems = validate_data(data_dir)
    if problems:
        for problem in problems:
            print(problem)
        print(f"refresh stopped: {len(problems)} data problem(s); nothing was executed", file=out)
        return 1
    print("data valid", file=out)
    try:
        paths = notebook_paths(names, notebooks_dir)
    except FileNotFoundError as err:
        print(f"refresh stopped: {err}", file=out)
        return 1
    outcomes = []
    for i, path in enumerate(paths, start=1):
        label = f"[{i}/{len(paths)}] {path.stem}"
        if not force and stored_hash(path) == inputs_hash(path, data_dir):
            print(f"{label}: skipped (inputs unchanged; --force to run)", file=out)
            outcomes.append(Outcome(path.stem, "skipped", 0.0))
            continue
        print(f"{label}: running ...", file=out, flush=True)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="syria-incidents-figures-") as tmp:
            try:
                nb = execute(path, Path(tmp), data_dir)
            except NotebookFailed as err:
                print(f"{label}: FAILED after {time.perf_counter() - started:.1f} s\n  {err}\n"
                      "  The committed notebook and figures were left as they were.", file=out)
                return 1
            made = _commit(path, nb, Path(tmp), figures_dir)
        seconds = time.perf_counter() - started
        print(f"{label}: done in {seconds:.1f} s, {len(made)} figure file(s)", file=out)
        outcomes.append(Outcome(path.stem, "ran", seconds, len(made)))
    index = build_site(notebook_paths(None, notebooks_dir), site_dir)
    ran = sum(o.status == "ran" for o in outcomes)
    print(f"refresh done: {ran} run, {len(outcomes) - ran} skipped; site: {index}", file=out)
    return 0
