"""Time the commands against floors measured in the same run, and print one table of ratios.

Floors are what no implementation can beat on this machine, measured alongside the cases so that
the ratios compare across machines (nothing here asserts a wall-clock time):

- `python + pandas`: starting Python and importing pandas (the floor of any command-line check);
- `kernel + imports`: starting a fresh Jupyter kernel that imports pandas, geopandas and matplotlib
  and runs one cell (a forced refresh of 7 notebooks cannot beat 7 of these run one after another);
- `arrow read`: pyarrow reading the CSV files of a dataset (the floor of any validation of it).

Cases: `validate` on the curated data, a forced and a no-op `refresh` (on a temporary copy of the
project, so the working tree is never touched), and `validate` and `derive` on synthetic datasets of
10k, 100k (and, with `--sizes`, 1M) claims written by `benchmarks/generate.py`. Peak memory is the
largest resident size of any one process of the command (the kernels of a refresh each count alone).

    .venv/bin/python benchmarks/bench_refresh.py [--repeat N] [--sizes 10000,100000,1000000]
        [--skip-refresh] [--markdown benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

FLOOR_KERNEL = """
import nbformat, sys
from nbclient import NotebookClient
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell("import pandas, geopandas, matplotlib.pyplot")]
NotebookClient(nb, kernel_name="python3", record_timing=False).execute()
"""
FLOOR_ARROW = """
import sys, pyarrow as pa, pyarrow.csv as pc
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.csv")):
    pc.read_csv(path, convert_options=pc.ConvertOptions(strings_can_be_null=False))
"""
MEASURE = """
import resource, subprocess, sys, time, json
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(json.dumps({"seconds": time.perf_counter() - start, "code": code,
                  "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
NOTEBOOKS = 7


def measure(command: list[str], env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env,
                         check=True)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {result['code']}")
    return result


def repeat(command: list[str], env: dict[str, str], times: int, label: str) -> dict:
    runs = []
    for i in range(times):
        started = time.perf_counter()
        runs.append(measure(command, env))
        print(f"  {label} ({i + 1}/{times}): {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "peak_mib": statistics.median(r["peak_mib"] for r in runs)}


def copy_project(target: Path) -> Path:
    ignore = shutil.ignore_patterns(".venv", ".git", "site", "exports", "__pycache__", "*.egg-info",
                                    ".pytest_cache", ".hypothesis", ".refresh*")
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def csv_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.csv")) / 2**20


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each small case (median reported)")
    parser.add_argument("--sizes", default="10000,100000", help="synthetic claims, comma-separated")
    parser.add_argument("--skip-refresh", action="store_true", help="leave out the refresh cases")
    parser.add_argument("--markdown", type=Path, help="also write the table, with the machine, to this file")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="syria-incidents-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        env = {**os.environ, "PYTHONPATH": str(project / "src")}
        cli = [sys.executable, "-m", "syria_incidents"]
        print("floors", file=sys.stderr)
        py = repeat([sys.executable, "-c", "import pandas"], env, args.repeat, "python + pandas")
        validate = repeat(cli + ["validate"], env, args.repeat, "validate (curated)")
        rows.append(("python + import pandas (floor)", f"{py['seconds']:.2f} s", "1.00", f"{py['peak_mib']:.0f}", ""))
        rows.append(("`validate`, curated data", f"{validate['seconds']:.2f} s",
                     f"{validate['seconds'] / py['seconds']:.2f}", f"{validate['peak_mib']:.0f}",
                     "target ≤ 1.5 s and ≤ 2 × floor"))
        if not args.skip_refresh:
            kernel = repeat([sys.executable, "-c", FLOOR_KERNEL], env, args.repeat, "kernel + imports")
            force = repeat(cli + ["refresh", "--force"], env, 1, "refresh --force")
            noop = repeat(cli + ["refresh"], env, args.repeat, "refresh (nothing changed)")
            floor7 = NOTEBOOKS * kernel["seconds"]
            rows.append(("kernel + imports (floor)", f"{kernel['seconds']:.2f} s", "1.00", f"{kernel['peak_mib']:.0f}", ""))
            rows.append((f"`refresh --force`, {NOTEBOOKS} notebooks", f"{force['seconds']:.1f} s",
                         f"{force['seconds'] / floor7:.2f} × {NOTEBOOKS} kernels", f"{force['peak_mib']:.0f}",
                         f"target ≤ 1.0 × {NOTEBOOKS} kernels"))
            rows.append(("`refresh`, nothing changed", f"{noop['seconds']:.2f} s",
                         f"{noop['seconds'] / py['seconds']:.2f}", f"{noop['peak_mib']:.0f}", "target ≤ 2 s"))
        per_row = {}
        for n in sizes:
            data = Path(tmp) / f"synthetic-{n}"
            counts = generate(n, data)
            size = csv_mib(data)
            print(f"synthetic {n:,} claims: {size:.0f} MiB", file=sys.stderr)
            arrow = repeat([sys.executable, "-c", FLOOR_ARROW, str(data)], env, 1, "arrow read")
            check = repeat(cli + ["validate", "--data", str(data)], env, 1, "validate")
            derived = Path(tmp) / f"derive-{n}"
            shutil.copytree(data, derived)
            derive = repeat(cli + ["derive", "--data", str(derived)], env, 1, "derive")
            shutil.rmtree(derived)
            both = check["seconds"] + derive["seconds"]
            per_row[n] = both / counts["claims"] * 1e6
            peak = max(check["peak_mib"], derive["peak_mib"])
            rows.append((f"{counts['claims']:,} claims ({size:.0f} MiB): arrow read (floor)",
                         f"{arrow['seconds']:.2f} s", "1.00", f"{arrow['peak_mib']:.0f}", ""))
            rows.append((f"{counts['claims']:,} claims: `validate` + `derive`",
                         f"{check['seconds']:.1f} + {derive['seconds']:.1f} s", f"{both / arrow['seconds']:.1f}",
                         f"{peak:.0f} ({peak / size:.1f} × files)",
                         f"{per_row[n]:.0f} µs per claim; target ≤ 10 × floor, memory ≤ 4 × files"))
            shutil.rmtree(data)
        if len(per_row) >= 2:
            small, large = sorted(per_row)[-2:]
            rows.append((f"time per claim, {large:,} vs {small:,}", "", f"{per_row[large] / per_row[small]:.2f}", "",
                         "target ≤ 1.5"))
    header = ("case", "median", "× floor", "peak MiB", "note")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        machine = (f"{platform.node() or 'unknown host'}: {platform.processor() or platform.machine()}, "
                   f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
                   f"{platform.release()}")
        args.markdown.write_text(
            "# Benchmark results\n\n"
            f"Written by `benchmarks/bench_refresh.py` on {time.strftime('%Y-%m-%d')} ({machine}); "
            f"median of {args.repeat} runs for the small cases, one run for the forced refresh and the synthetic "
            "datasets. Ratios are to floors measured in the same run; see the script's docstring.\n\n"
            + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
