"""Curators' write operations on the tables (the only code that writes to data/)."""

from __future__ import annotations

from pathlib import Path

from .estimates import apply_estimates, derive_estimates
from .load import cast, read_raw, schema_fields
from .paths import DATA_DIR


def write_table(frame, name: str, data_dir: Path = DATA_DIR) -> None:
    """Write a string table in the project's CSV form: UTF-8, `\\n` line ends, minimal quoting."""
    frame.to_csv(Path(data_dir) / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")


def rewrite_estimates(data_dir: Path = DATA_DIR) -> int:
    """Recompute incidents' estimate columns from the claims; return how many rows changed."""
    fields = schema_fields(data_dir)
    raw = read_raw("incidents", data_dir)
    typed = {name: cast(read_raw(name, data_dir), fields[name]) for name in ("claims", "sources")}
    derived = derive_estimates(cast(raw, fields["incidents"]), typed["claims"], typed["sources"])
    updated = apply_estimates(raw, derived)
    changed = int((updated != raw).any(axis=1).sum())
    write_table(updated, "incidents", data_dir)
    return changed
