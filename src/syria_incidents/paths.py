"""Where the project's files live.

`SYRIA_INCIDENTS_DATA_DIR` overrides the data folder (the runner sets it for the notebooks it
executes, and tests use it to run notebooks on fixture data).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("SYRIA_INCIDENTS_DATA_DIR", PROJECT_ROOT / "data"))
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
FIGURES_DIR = PROJECT_ROOT / "figures"
SITE_DIR = PROJECT_ROOT / "site"
