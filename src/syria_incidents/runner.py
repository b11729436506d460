"""Execute the notebooks deterministically, export figures and tables, and build the HTML site.

Recipe for byte-identical reruns (see the README, "Reproducibility"): each notebook runs top to
bottom in a fresh kernel with nbclient (`record_timing=False`), with `PYTHONHASHSEED=0` and
`SOURCE_DATE_EPOCH=0` in the kernel's environment; the house style fixes matplotlib's SVG hash salt
and figures and tables are saved without timestamps.

A run is one transaction:

1. **Lock.** An exclusive `flock` on `.refresh.lock` in the output root: a second refresh on the same
   tree refuses at once with a clear message (the lock dies with its process, so a killed run never
   leaves a stale lock).
2. **Recover.** If an earlier run was killed while moving its outputs into place, its journal
   (`.refresh-staging/journal.json`) is replayed first, so the outputs become whole again.
3. **Plan.** The hash of each notebook's inputs (its cells, every file of the data folder, the package's
   source, the lock file) is taken *before* execution; a notebook whose stored hash matches is skipped.
   When nothing needs to run and the site is current, the refresh ends there (no validation needed:
   these inputs were validated by the run that stamped them).
4. **Stage.** The data are validated; the notebooks that need it run in parallel, one kernel per core,
   into memory, their figures and tables into a staging folder; the site, the explorer and the README's
   front-page box are built there too.
5. **Check.** The inputs' hashes are taken again: if anything changed during the run, nothing is kept.
6. **Commit.** A journal of the moves is written, then every staged file replaces its committed copy
   (`os.replace`), then the journal is removed. Until then the committed outputs are untouched: a failing
   cell, a kill or an error anywhere leaves them as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import DATA_DIR, FIGURES_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, SITE_DIR

if TYPE_CHECKING:
    import nbformat

PACKAGE_DIR = Path(__file__).resolve().parent
METADATA_KEY = "syria_incidents"
# One thread per kernel for numpy's BLAS, Arrow and OpenMP: the runner already runs one kernel per core,
# and kernels that each start a thread per core only fight over the cores.
KERNEL_THREADS_ENV = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
KERNEL_ENV = {"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0", **KERNEL_THREADS_ENV}
FIGURES_ENV = "SYRIA_INCIDENTS_FIGURES_DIR"
TABLES_ENV = "SYRIA_INCIDENTS_TABLES_DIR"
DATA_ENV = "SYRIA_INCIDENTS_DATA_DIR"
CELL_TIMEOUT_S = 900
LOCK_NAME = ".refresh.lock"
STAGING_NAME = ".refresh-staging"
CRASH_AFTER_MOVES_ENV = "SYRIA_INCIDENTS_TEST_CRASH_AFTER_MOVES"  # tests: die in the middle of a commit


class NotebookFailed(RuntimeError):
    """A cell raised: names the notebook and the cell."""


class RefreshLocked(RuntimeError):
    """Another refresh holds the lock on this tree."""


def notebook_paths(names: list[str] | None = None, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks, in order; `names` may give stems, file names or paths."""
    every = sorted(Path(notebooks_dir).glob("[0-9][0-9]-*.ipynb"))
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


def shared_inputs_hash(data_dir: Path = DATA_DIR) -> str:
    """sha256 of what every notebook depends on: the data folder, the package's source, the lock file."""
    digest = hashlib.sha256()
    _hash_files(digest, [p for p in Path(data_dir).rglob("*") if p.is_file()], Path(data_dir))
    _hash_files(digest, list(PACKAGE_DIR.rglob("*.py")), PACKAGE_DIR)
    lock = PROJECT_ROOT / "requirements.lock"
    if lock.exists():
        digest.update(lock.read_bytes())
    return digest.hexdigest()


def _notebook_json(nb_path: Path) -> dict:
    """A notebook file as plain JSON: enough for hashes and metadata, without importing nbformat (whose
    schema machinery takes seconds to import: a refresh with nothing to do must not pay for it)."""
    return json.loads(Path(nb_path).read_text(encoding="utf-8"))


def cells_hash(nb) -> str:
    """sha256 of the cells' types and sources (a NotebookNode or a notebook's plain JSON)."""
    digest = hashlib.sha256()
    for cell in nb["cells"]:
        source = cell["source"]
        digest.update(cell["cell_type"].encode())
        digest.update(("".join(source) if isinstance(source, list) else source).encode())
    return digest.hexdigest()


def inputs_hash(nb_path: Path, data_dir: Path = DATA_DIR, shared: str | None = None) -> str:
    """sha256 of everything a notebook's outputs depend on."""
    nb = _notebook_json(nb_path)
    digest = hashlib.sha256()
    digest.update(cells_hash(nb).encode())
    digest.update((shared or shared_inputs_hash(data_dir)).encode())
    return digest.hexdigest()


REQUIRES_KEY = "syria_incidents_requires"


def missing_requirements(notebooks: list[Path], data_dir: Path) -> dict[Path, str]:
    """Notebooks that need something the dataset lacks (an episode's notebook on an imported dataset),
    with the reason: they are skipped, never run to fail."""
    import csv as _csv

    episodes_file = Path(data_dir) / "episodes.csv"
    episodes = set()
    if episodes_file.is_file():
        with open(episodes_file, encoding="utf-8", newline="") as handle:
            episodes = {row.get("episode_id", "") for row in _csv.DictReader(handle)}
    out = {}
    for path in notebooks:
        needed = _notebook_json(path).get("metadata", {}).get(REQUIRES_KEY, {}).get("episode")
        if needed and needed not in episodes:
            out[path] = f"it needs the episode {needed!r}, which the dataset does not have"
    return out


def stored_hash(nb_path: Path) -> str | None:
    if not Path(nb_path).exists():
        return None
    return _notebook_json(nb_path).get("metadata", {}).get(METADATA_KEY, {}).get("inputs_sha256")


@contextlib.contextmanager
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


def execute(nb_path: Path, figures_dir: Path, data_dir: Path = DATA_DIR, tables_dir: Path | None = None,
            inputs_sha256: str | None = None) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel; return the executed notebook (nothing is written but figures and
    tables). `inputs_sha256` (taken before the run) is stored in the notebook's metadata."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    inputs_sha256 = inputs_sha256 or inputs_hash(nb_path, data_dir)
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    tables_dir = Path(tables_dir) if tables_dir is not None else Path(figures_dir) / "_tables"
    with tempfile.TemporaryDirectory(prefix="syria-incidents-kernel-") as runtime:
        km = KernelManager(kernel_name="python3", transport="ipc",
                           connection_file=str(Path(runtime) / "kernel.json"))
        client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT_S, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(nb_path.parent)}})
        try:
            _run(client, nb, nb_path, data_dir, figures_dir, tables_dir)
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("name") == "stderr":
                    raise NotebookFailed(f"{nb_path.name}: writes to stderr (a warning?): "
                                         f"{''.join(output.get('text', ''))[:300]}")
    made_tables = sorted(p.name for p in tables_dir.glob("*.csv")) if tables_dir.exists() else []
    nb.metadata[METADATA_KEY] = {"inputs_sha256": inputs_sha256, "tables": made_tables}
    return nb


def _run(client, nb: nbformat.NotebookNode, nb_path: Path, data_dir: Path, figures_dir: Path,
         tables_dir: Path) -> None:
    from nbclient.exceptions import CellExecutionError

    env = {**KERNEL_ENV, FIGURES_ENV: str(figures_dir), TABLES_ENV: str(tables_dir), DATA_ENV: str(data_dir)}
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
    import nbformat

    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _execute_worker(job: tuple[str, str, str, str, str]) -> tuple[str, bytes | None, str, float]:
    """Run one notebook in a worker process (for the parallel refresh). Returns (name, bytes, error, seconds)."""
    nb_path, figures_dir, tables_dir, data_dir, sha = job
    started = time.perf_counter()
    try:
        nb = execute(Path(nb_path), Path(figures_dir), Path(data_dir), Path(tables_dir), sha)
    except NotebookFailed as err:
        return Path(nb_path).name, None, str(err), time.perf_counter() - started
    except Exception as err:  # a kernel that dies or cannot start: reported, never a traceback
        return Path(nb_path).name, None, f"{Path(nb_path).name}: {type(err).__name__}: {err}", time.perf_counter() - started
    return Path(nb_path).name, notebook_bytes(nb), "", time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# Site

def _html_exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", sanitize_html=True)
    exporter.log.setLevel("ERROR")
    return exporter


def build_site(notebooks: list[Path], site_dir: Path = SITE_DIR, data_dir: Path = DATA_DIR,
               only: set[str] | None = None) -> Path:
    """HTML pages of the notebooks, the incident explorer and an index, in `site_dir`. Markdown and HTML
    outputs are sanitised (no script or event attribute from the data can run); `only` limits the
    notebook pages rebuilt (the others are kept)."""
    import html

    from .explorer import write_explorer

    site_dir.mkdir(parents=True, exist_ok=True)
    exporter = _html_exporter()
    entries = []
    import nbformat

    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if only is None or path.stem in only or not (site_dir / f"{path.stem}.html").exists():
            body, _ = exporter.from_notebook_node(nb)
            (site_dir / f"{path.stem}.html").write_text(body, encoding="utf-8")
        title = next((line.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"
                      for line in c.source.splitlines() if line.startswith("#")), path.stem)
        entries.append((path.stem, title))
    write_explorer(site_dir / "explorer.html", data_dir)
    items = "\n".join(f'<li><a href="{html.escape(stem)}.html">{html.escape(stem)}</a>: {html.escape(title)}</li>'
                      for stem, title in entries)
    (site_dir / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>syria-incidents</title>"
        "<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}</style></head>"
        "<body><h1>syria-incidents: notebooks</h1><p>Deadly violence in Syria since 8 December 2024: "
        "an open, sourced incident record. Every figure is traceable to dated claims in "
        "<code>data/claims.csv</code>.</p><p><a href=\"explorer.html\">Incident explorer</a>: every incident "
        "with its claims, filterable and sortable, offline.</p><ol>\n" + items + "\n</ol></body></html>\n",
        encoding="utf-8")
    return site_dir / "index.html"


# ---------------------------------------------------------------------------------------------
# The transaction

@dataclass
class Outcome:
    notebook: str
    status: str  # ran | skipped | failed
    seconds: float
    figures: int = 0


@dataclass
class Tree:
    """Where a refresh reads and writes."""
    data_dir: Path
    notebooks_dir: Path          # the notebooks' sources
    output_notebooks_dir: Path   # where executed notebooks go (the same as the sources for the project)
    figures_dir: Path
    tables_dir: Path
    site_dir: Path
    root: Path                   # holds the lock and the staging folder
    readme: Path | None = None   # the README whose front-page box is kept current
    moves: list = field(default_factory=list)


@contextlib.contextmanager
def tree_lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    handle = open(root / LOCK_NAME, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RefreshLocked(f"another refresh is running on this tree (pid {holder}); wait for it to finish "
                                "and run refresh again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def recover(root: Path, out=sys.stderr) -> bool:
    """Finish the commit of a run killed while moving its outputs into place; True if there was one."""
    staging = root / STAGING_NAME
    journal = staging / "journal.json"
    if not journal.exists():
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)  # a run killed before its commit: nothing was moved
        return False
    entries = json.loads(journal.read_text(encoding="utf-8"))
    for src, dst in entries["moves"]:
        if Path(src).exists():
            Path(dst).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    for stale in entries["deletions"]:
        Path(stale).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    print("recovered: completed the outputs of a refresh that was interrupted while committing", file=out)
    return True


def _commit(staging: Path, moves: list[tuple[Path, Path]], deletions: list[Path]) -> None:
    journal = staging / "journal.json"
    tmp = journal.with_suffix(".tmp")
    tmp.write_text(json.dumps({"moves": [[str(a), str(b)] for a, b in moves],
                               "deletions": [str(p) for p in deletions]}), encoding="utf-8")
    os.replace(tmp, journal)  # from here on, a killed run is completed by the next one
    crash_after = int(os.environ.get(CRASH_AFTER_MOVES_ENV, "-1"))
    for count, (src, dst) in enumerate(moves):
        if count == crash_after:
            os._exit(17)
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
    for stale in deletions:
        stale.unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _site_stamp(shared: str, notebooks: list[Path]) -> str:
    digest = hashlib.sha256(shared.encode())
    for path in notebooks:
        digest.update(path.name.encode())
        digest.update((stored_hash(path) or "").encode())
    return digest.hexdigest()


def refresh(names: list[str] | None = None, force: bool = False, data_dir: Path = DATA_DIR,
            notebooks_dir: Path = NOTEBOOKS_DIR, figures_dir: Path = FIGURES_DIR, site_dir: Path = SITE_DIR,
            tables_dir: Path | None = None, output_notebooks_dir: Path | None = None, root: Path | None = None,
            readme: Path | None = None, workers: int | None = None, out=sys.stderr) -> int:
    """Validate, run the notebooks that need it, build the site: one transaction. Returns an exit code."""
    from .tables import TABLES_DIR

    tree = Tree(Path(data_dir), Path(notebooks_dir), Path(output_notebooks_dir or notebooks_dir), Path(figures_dir),
                Path(tables_dir or TABLES_DIR), Path(site_dir), Path(root or Path(figures_dir).parent), readme)
    try:
        with tree_lock(tree.root):
            recover(tree.root, out)
            return _refresh(tree, names, force, workers, out)
    except RefreshLocked as err:
        print(f"refresh stopped: {err}", file=out)
        return 1


def _refresh(tree: Tree, names, force: bool, workers: int | None, out) -> int:
    from .validate import validate_data

    try:
        sources = notebook_paths(names, tree.notebooks_dir)
    except FileNotFoundError as err:
        print(f"refresh stopped: {err}", file=out)
        return 1
    started_all = time.perf_counter()
    shared = shared_inputs_hash(tree.data_dir)
    plan = []
    missing = missing_requirements(sources, tree.data_dir)
    for src, why in missing.items():
        print(f"{src.stem}: not run on this dataset ({why})", file=out)
    sources = [s for s in sources if s not in missing]
    for src in sources:
        sha = inputs_hash(src, tree.data_dir, shared)
        target = tree.output_notebooks_dir / src.name
        plan.append((src, target, sha, force or stored_hash(target) != sha))
    every_target = [tree.output_notebooks_dir / p.name for p in notebook_paths(None, tree.notebooks_dir)]
    stamp_path = tree.site_dir / ".stamp"
    if not any(run for *_, run in plan) and stamp_path.exists() \
            and stamp_path.read_text(encoding="utf-8") == _site_stamp(shared, every_target):
        for i, (src, *_rest) in enumerate(plan, start=1):
            print(f"[{i}/{len(plan)}] {src.stem}: skipped (inputs unchanged; --force to run)", file=out)
        print(f"refresh done: nothing changed since the last refresh ({time.perf_counter() - started_all:.1f} s)", file=out)
        return 0
    problems = validate_data(tree.data_dir)
    if problems:
        for problem in problems:
            print(problem)
        print(f"refresh stopped: {len(problems)} data problem(s); nothing was executed", file=out)
        return 1
    print("data valid", file=out)
    staging = tree.root / STAGING_NAME
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        return _stage_and_commit(tree, plan, shared, staging, workers, out, started_all)
    finally:
        if not (staging / "journal.json").exists():
            shutil.rmtree(staging, ignore_errors=True)


def _stage_and_commit(tree: Tree, plan, shared: str, staging: Path, workers: int | None, out, started_all) -> int:
    jobs = []
    for i, (src, target, sha, run) in enumerate(plan, start=1):
        label = f"[{i}/{len(plan)}] {src.stem}"
        if not run:
            print(f"{label}: skipped (inputs unchanged; --force to run)", file=out)
            continue
        work = staging / "run" / src.stem
        (work / "figures").mkdir(parents=True)
        (work / "tables").mkdir(parents=True)
        jobs.append((str(src), str(work / "figures"), str(work / "tables"), str(tree.data_dir), sha))
    outcomes: dict[str, tuple[bytes | None, str, float]] = {}
    if jobs:
        n = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
        print(f"running {len(jobs)} notebook(s) on {n} core(s) ...", file=out, flush=True)
        if n == 1:
            results = map(_execute_worker, jobs)
        else:
            # spawn, not fork: a forked copy of a process with running threads can deadlock starting a kernel
            pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))
            results = pool.map(_execute_worker, jobs)
        for name, data, error, seconds in results:
            outcomes[name] = (data, error, seconds)
            status = f"FAILED after {seconds:.1f} s\n  {error}" if error else f"done in {seconds:.1f} s"
            print(f"  {Path(name).stem}: {status}", file=out, flush=True)
        if n > 1:
            pool.shutdown()
    failed = [name for name, (_, error, _) in outcomes.items() if error]
    if failed:
        print("refresh stopped: " + ", ".join(failed) + " failed; the committed notebooks, figures, tables "
              "and site were left as they were", file=out)
        return 1
    if shared_inputs_hash(tree.data_dir) != shared or any(
            inputs_hash(src, tree.data_dir) != sha for src, _, sha, run in plan if run):
        print("refresh stopped: the data, the package or a notebook changed during the run; nothing was kept "
              "(run refresh again)", file=out)
        return 1
    moves: list[tuple[Path, Path]] = []
    deletions: list[Path] = []
    staged_nbs = staging / "notebooks"
    staged_nbs.mkdir()
    for src, target, sha, run in plan:
        if not run:
            continue
        data, _, _ = outcomes[src.name]
        (staged_nbs / src.name).write_bytes(data)
        moves.append((staged_nbs / src.name, target))
        work = staging / "run" / src.stem
        prefix = src.name[:3]
        produced = sorted(p.name for p in (work / "figures").iterdir() if p.is_file())
        moves += [(work / "figures" / name, tree.figures_dir / name) for name in produced]
        if tree.figures_dir.exists():
            deletions += [p for p in tree.figures_dir.glob(prefix + "*") if p.name not in produced]
        made = sorted(p.name for p in (work / "tables").glob("*.csv"))
        moves += [(work / "tables" / name, tree.tables_dir / name) for name in made]
        previous = json.loads(json.dumps(_stored_tables(target)))
        deletions += [tree.tables_dir / name for name in previous if name not in made]
    # the site, the explorer, the tables' Data Package and the README box, from the staged state
    view = staging / "view"
    for src, target, _, run in plan:
        (view / "notebooks").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staged_nbs / src.name if run else target, view / "notebooks" / src.name)
    for other in notebook_paths(None, tree.notebooks_dir):
        dest = view / "notebooks" / other.name
        existing = tree.output_notebooks_dir / other.name
        if not dest.exists() and existing.exists():
            shutil.copyfile(existing, dest)
    ran = {src.stem for src, _, _, run in plan if run}
    staged_site = staging / "site"
    if tree.site_dir.exists():
        shutil.copytree(tree.site_dir, staged_site)
    build_site(notebook_paths(None, view / "notebooks"), staged_site, tree.data_dir, only=ran)
    final_tables = staging / "tables-view"
    final_tables.mkdir()
    deleted = {p.name for p in deletions}
    if tree.tables_dir.exists():
        for p in tree.tables_dir.glob("*.csv"):
            if p.name not in deleted:
                shutil.copyfile(p, final_tables / p.name)
    for src, dst in moves:
        if dst.parent == tree.tables_dir:
            shutil.copyfile(src, final_tables / dst.name)
    from .tables import write_datapackage

    if any(final_tables.glob("*.csv")):
        moves.append((write_datapackage(final_tables), tree.tables_dir / "datapackage.json"))
    if tree.readme is not None:
        from .frontpage import render_readme

        staged_readme = staging / "README.md"
        staged_readme.write_text(render_readme(tree.readme.read_text(encoding="utf-8"), tree.data_dir), encoding="utf-8")
        moves.append((staged_readme, tree.readme))
    every_target = [tree.output_notebooks_dir / p.name for p in notebook_paths(None, tree.notebooks_dir)]
    stamp_digest = hashlib.sha256(shared.encode())
    for target in every_target:
        staged = staged_nbs / target.name
        stamp_digest.update(target.name.encode())
        stamp_digest.update((stored_hash(staged if staged.exists() else target) or "").encode())
    (staged_site / ".stamp").write_text(stamp_digest.hexdigest(), encoding="utf-8")
    for path in sorted(staged_site.rglob("*")):
        if path.is_file():
            moves.append((path, tree.site_dir / path.relative_to(staged_site)))
    _commit(staging, moves, deletions)
    print(f"refresh done: {len(ran)} run, {len(plan) - len(ran)} skipped in {time.perf_counter() - started_all:.1f} s; "
          f"site: {tree.site_dir / 'index.html'}", file=out)
    return 0


def _stored_tables(nb_path: Path) -> list[str]:
    if not Path(nb_path).exists():
        return []
    return list(_notebook_json(nb_path).get("metadata", {}).get(METADATA_KEY, {}).get("tables", []))
