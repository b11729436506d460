from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
sys.path.insert(0, str(FIXTURES))

# The day the bad-input corpus was reviewed; validation is pinned to it so "in the future" is stable.
FIXTURE_TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def valid_data(tmp_path: Path) -> Path:
    """A writable copy of the small valid fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", target)
    return target
