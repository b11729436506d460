"""Time `validate`, a forced `refresh` and a no-op `refresh` against a floor measured in the same run.

The floor is what no refresh can beat: starting a fresh Jupyter kernel that imports pandas, geopandas
and matplotlib and runs one cell. Results are reported as ratios to the floor (and peak memory as a
ratio to the floor's), so they compare across machines; nothing here asserts a wall-clock time.

The refreshes run on a temporary copy of the project, so the working tree is never touched.

    .venv/bin/python benchmarks/bench_refresh.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR_SCRIPT = """
import nbformat, sys
from nbclient import NotebookClient
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell("import pandas, geopandas, matplotlib.pyplot")]
NotebookClient(nb, kernel_name="python3", record_timing=False).execute()
"""
MEASURE = """
import resource, subprocess, sys, time, json
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(json.dumps({"seconds": time.perf_counter() - start, "code": code,
                  "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measure(command: list[str], env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env, check=True)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {result['code']}")
    return result


def copy_project(target: Path) -> Path:
    ignore = shutil.ignore_patterns(".venv", ".git", "site", "__pycache__", "*.egg-info", ".pytest_cache")
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="syria-incidents-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        env = {**os.environ, "PYTHONPATH": str(project / "src")}
        check = subprocess.run([sys.executable, "-c", "import syria_incidents, sys; print(syria_incidents.__file__)"],
                               capture_output=True, text=True, env=env)
        if not check.stdout.startswith(str(project)):
            raise SystemExit(f"the copy's package is not the one imported: {check.stdout.strip()}")
        cli = [sys.executable, "-m", "syria_incidents"]
        cases = {
            "floor: bare kernel + imports": [sys.executable, "-c", FLOOR_SCRIPT],
            "validate": cli + ["validate"],
            "refresh --force (all notebooks)": cli + ["refresh", "--force"],
            "refresh (nothing changed)": cli + ["refresh"],
        }
        results: dict[str, list[dict]] = {name: [] for name in cases}
        for i in range(args.repeat):
            for name, command in cases.items():
                started = time.perf_counter()
                results[name].append(measure(command, env))
                print(f"run {i + 1}/{args.repeat}: {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    floor_s = statistics.median(r["seconds"] for r in results["floor: bare kernel + imports"])
    floor_m = statistics.median(r["peak_mib"] for r in results["floor: bare kernel + imports"])
    print(f"{'case':36} {'median s':>9} {'x floor':>8} {'peak MiB':>9} {'x floor':>8}")
    for name, runs in results.items():
        s = statistics.median(r["seconds"] for r in runs)
        m = statistics.median(r["peak_mib"] for r in runs)
        print(f"{name:36} {s:9.2f} {s / floor_s:8.2f} {m:9.0f} {m / floor_m:8.2f}")


if __name__ == "__main__":
    main()
