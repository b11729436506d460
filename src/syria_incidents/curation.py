"""Curators' write operations on the tables (the only code that writes to data/)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import figures
from .estimates import CLAIM_DERIVED, ESTIMATE_COLUMNS, apply_columns, derive
from .load import cast, read_raw, schema_fields
from .paths import DATA_DIR


def write_table(frame: pd.DataFrame, name: str, data_dir: Path = DATA_DIR) -> None:
    """Write a string table in the project's CSV form: UTF-8, `\\n` line ends, minimal quoting."""
    frame.to_csv(Path(data_dir) / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")


def _qualifiers(raw: pd.DataFrame, lexicon: figures.Lexicon, single: bool) -> pd.Series:
    """The qualifier of each row's main figure as written (unchanged where it cannot be read); each
    distinct text is read once."""
    unread = object()
    read: dict[str, object] = {}
    for text in pd.unique(raw["figure_as_written"]):
        if not text:
            read[text] = ""
            continue
        try:
            parsed = figures.parse_figure(text, lexicon) if single else \
                figures.claim_figures(text, lexicon).get("killed_total")
        except figures.FigureError:
            read[text] = unread
            continue
        read[text] = parsed.qualifier if parsed else ""
    new = [read[text] for text in raw["figure_as_written"]]
    old = raw["qualifier"].tolist()
    return pd.Series([o if n is unread else n for n, o in zip(new, old)], index=raw.index,
                     dtype=raw["qualifier"].dtype)


# Columns `derive` writes, and the rules that check them: their problems are what derive is for.
DERIVED_COLUMNS = {
    "incidents.csv": set(ESTIMATE_COLUMNS),
    "claims.csv": set(CLAIM_DERIVED),
    "monitor_tolls.csv": {"qualifier"},
}
DERIVED_RULES = {"estimates_reproducible", "estimates_ordered_and_split", "victim_status_follows_claims"}


def is_input_problem(problem) -> bool:
    """A validator's problem that `derive` cannot fix (anything but the derived columns and their rules)."""
    return (problem.origin not in DERIVED_RULES
            and problem.column not in DERIVED_COLUMNS.get(problem.file, set()))


def derive_tables(data_dir: Path = DATA_DIR, checked=None) -> dict[str, int]:
    """Recompute every derived column (incidents' estimates, claims' and tolls' qualifiers, claims'
    partisanship and use); write the tables; return how many rows changed in each.

    `checked` is the validator's context for the same files (`validate.check_data`), when the caller
    has just validated them: its tables and its run of the estimation rule are used instead of reading
    and deriving again (the estimation rule reads no derived column, so its output on the checked tables
    is its output on the derived ones; a test holds the two paths byte-identical)."""
    names = ("incidents", "claims", "sources", "actors", "monitor_tolls")
    before = checked.raw if checked is not None else {name: read_raw(name, data_dir) for name in names}
    raw = {name: before[name].copy() for name in names}
    lexicon = checked.lexicon if checked is not None else figures.load_lexicon(data_dir)
    raw["claims"]["qualifier"] = _qualifiers(raw["claims"], lexicon, single=False)
    raw["monitor_tolls"]["qualifier"] = _qualifiers(raw["monitor_tolls"], lexicon, single=True)
    if checked is not None:
        est, roles = checked.derived()
    else:
        fields = schema_fields(data_dir)
        typed = {name: cast(frame, fields[name]) for name, frame in raw.items()}
        est, roles = derive(typed["incidents"], typed["claims"], typed["sources"], typed["actors"])
    new = {"incidents": apply_columns(raw["incidents"], "incident_id", est),
           "claims": apply_columns(raw["claims"], "claim_id", roles),
           "monitor_tolls": raw["monitor_tolls"]}
    changed = {}
    for name, frame in new.items():
        old = before[name].astype(str)
        frame = frame.astype(str)
        changed[name] = int((frame != old).any(axis=1).sum()) if frame.shape == old.shape else len(frame)
        if changed[name] or list(frame.columns) != list(old.columns):
            write_table(frame, name, data_dir)  # an unchanged file is left alone (its time stamp too)
    return changed


# ---------------------------------------------------------------------------------------------
# `syria-incidents format`: the tables in their one canonical form

FIXABLE = ("byte-order mark", "line endings", "leading or trailing spaces", "not in the order of")


def canonical_text(frame: pd.DataFrame, columns: list[str], key: str) -> str:
    """A table as the project writes it: schema column order, rows sorted by key, UTF-8, `\\n`, minimal quotes."""
    out = frame[columns].sort_values(key, kind="stable")
    return out.to_csv(index=False, lineterminator="\n")


def format_tables(data_dir: Path = DATA_DIR) -> tuple[list[str], list]:
    """Rewrite every table canonically. Returns (files rewritten, problems that stopped a file).

    Fixes what a spreadsheet does to a file (a byte-order mark, Windows line endings, spaces around values,
    columns out of order, rows out of key order, TRUE/FALSE for booleans); a file with any other reading
    problem (a stray quote, a ragged row, bad UTF-8) is left untouched and its problems are returned.
    A canonical file is left byte for byte as it is.
    """
    from .load import TABLES
    from .validate import read_descriptor, read_table

    descriptor, problems = read_descriptor(Path(data_dir))
    if descriptor is None:
        return [], problems
    changed, stopped = [], []
    for res in descriptor["resources"]:
        if res["name"] not in TABLES:
            continue
        fields = res["schema"]["fields"]
        columns = [f["name"] for f in fields]
        path = Path(data_dir) / res["path"]
        table, found = read_table(path, columns)
        blocking = [p for p in found if not any(hint in p.message for hint in FIXABLE)]
        if table is None or blocking:
            stopped += blocking or found
            continue
        frame = table.frame.drop(columns="_line")
        for f in fields:
            if f["type"] == "boolean":
                frame[f["name"]] = frame[f["name"]].replace({"TRUE": "true", "True": "true",
                                                             "FALSE": "false", "False": "false"})
        text = canonical_text(frame, columns, res["schema"]["primaryKey"][0])
        if path.read_bytes() != text.encode("utf-8"):
            path.write_bytes(text.encode("utf-8"))
            changed.append(path.name)
    return changed, stopped
