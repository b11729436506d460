"""Pytest setup shared by tests/ and the notebook smoke run (pytest --nbmake notebooks/).

Notebooks executed by the smoke run write their figures to a temporary folder, never to figures/.
"""

import os
import tempfile

os.environ.setdefault("SYRIA_INCIDENTS_FIGURES_DIR", tempfile.mkdtemp(prefix="syria-incidents-smoke-"))
