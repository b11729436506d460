"""The download tables keep shares to a tenth of a percentage point and deaths to one decimal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from syria_incidents.tables import save_table


def test_shares_keep_three_decimals_and_deaths_one(tmp_path: Path) -> None:
    frame = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                          "named_best": [294.66, 94.5], "named_share_of_sohr": [0.26263, None]})
    save_table(frame, "capture-by-month", tmp_path)
    lines = (tmp_path / "capture-by-month.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["month,named_best,named_share_of_sohr", "2025-01-01,294.7,0.263", "2025-02-01,94.5,"]
