"""Validate the curated tables against the Data Package and the codebook's rules.

`validate_data(data_dir)` returns a sorted list of `Problem`s, each printed as
`FILE:LINE:COLUMN: message`, where LINE is the line of the CSV file (the header is line 1) and
COLUMN the column's name (`*` when a problem concerns a whole row or file). It never raises on bad
input, and **one problem never hides another**: every line of every file is checked in one run.

Three layers, all vectorised (the cost grows linearly with the number of rows):

1. `read_table`: the file's bytes, line by line. Anything that is not a regular file is refused
   without being read. A byte-order mark, Windows line endings and spaces around values are reported
   (with the command that fixes them, `syria-incidents format`) and then read through; a line that
   cannot be parsed (a stray quote, a wrong number of fields) is reported and skipped; the other lines
   are checked as usual.
2. The Data Package's schema (`datapackage.json`), checked here rather than by frictionless so that one
   value has one meaning everywhere: integers are Latin digits without sign or leading zeros, booleans
   are `true` or `false`, dates are real ISO dates, patterns match the whole value, text holds no
   control characters, no markup and no spreadsheet formula.
3. The codebook's rules (`RULES`): dates, geography, figures as written, estimates, victim status,
   partisanship, claims, duplicates.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import estimates, figures
from .load import TABLES, cast
from .paths import DATA_DIR, REFERENCE_DIR

PERIOD_START = pd.Timestamp("2024-12-08")
COORDINATE_TOLERANCE_M = 2000.0
FORMAT_HINT = "(`syria-incidents format` fixes this)"

SUB_EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Suicide bomb", "Grenade"},
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Riots": {"Mob violence", "Violent demonstration"},
}

csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: str
    message: str = field(compare=True)
    origin: str = field(default="", compare=False)  # "parse", "schema" or the rule's name

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


# ---------------------------------------------------------------------------------------------
# Layer 1: reading

@dataclass
class Table:
    name: str
    header: list[str]
    frame: pd.DataFrame  # strings, columns of the schema (missing ones empty), `_line` added


def _refuse(path: Path) -> str | None:
    """Why `path` cannot be read as a table, or None (checked without opening the file)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "file is missing"
    except OSError as err:
        return f"cannot be read ({err.strerror or err})"
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe, a device or a socket); refused without reading it"
    if not os.access(path, os.R_OK):
        return "cannot be read (permission denied)"
    return None


def read_table(path: Path, expected: list[str]) -> tuple[Table | None, list[Problem]]:
    """Read a CSV file line by line, reporting everything odd and keeping every line that parses."""
    name = path.name
    why = _refuse(path)
    if why:
        return None, [Problem(name, 1, "*", why)]
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem(name, 1, "*", f"cannot be read ({err.strerror or err})")]
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(name, 1, "*", f"file starts with a byte-order mark {FORMAT_HINT}"))
        data = data[3:]
    if not data.strip():
        return None, problems + [Problem(name, 1, "*", "file is empty (a header line is required)")]
    if b"\r" in data:
        line = data[: data.index(b"\r")].count(b"\n") + 1
        problems.append(Problem(name, line, "*", f"Windows or old Mac line endings {FORMAT_HINT}"))
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if not problems:
        frame = _read_plain(data, expected)
        if frame is not None:
            frame["_line"] = np.arange(2, len(frame) + 2, dtype=np.int64)
            return Table(path.stem, list(expected), frame), []
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    lines: list[str] = []
    for number, raw in enumerate(raw_lines, start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as err:
            problems.append(Problem(name, number, "*", f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); "
                                                       "save the file as UTF-8"))
            lines.append(raw.decode("utf-8", errors="replace"))
    header, header_problems = _parse_line(lines[0], name, 1)
    problems += header_problems
    if header is None:
        return None, problems + [Problem(name, 1, "*", "the header line cannot be read; nothing else was checked")]
    header = [h.strip() for h in header]
    problems += _check_header(name, header, expected)
    rows, numbers = [], []
    width = len(header)
    skip_until = 0
    for number, line in enumerate(lines[1:], start=2):
        if number <= skip_until:
            continue
        if not line.strip():
            problems.append(Problem(name, number, "*", "blank line"))
            continue
        row, found = _parse_line(line, name, number)
        if row is None:
            joined = _joined_value(lines, number, width)
            if joined:
                skip_until = joined
                problems.append(Problem(name, number, "*", f"a value spans lines {number}-{joined} (a line break "
                                                           "inside a value); the lines were skipped"))
                continue
        problems += found
        if row is None:
            continue
        if len(row) != width:
            problems.append(Problem(name, number, "*", f"{len(row)} fields, but the header has {width}"))
            continue
        for col, value in zip(header, row):
            if value != value.strip():
                problems.append(Problem(name, number, col, f"leading or trailing spaces {FORMAT_HINT}"))
        rows.append([v.strip() for v in row])
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    for col in expected:
        if col not in frame:
            frame[col] = ""
    frame = frame[expected].astype(object)
    frame["_line"] = np.array(numbers, dtype=np.int64)
    return Table(path.stem, header, frame), problems


_QUOTE, _COMMA, _NEWLINE = ord('"'), ord(","), ord("\n")


def _read_plain(data: bytes, expected: list[str]) -> pd.DataFrame | None:
    """The table, read in one pass by Arrow's CSV parser, when the file is plainly well-formed: valid
    UTF-8, the expected header, one row per line and no blank line, every row as wide as the header,
    double quotes only around whole values, no quote or surrounding space inside a value. Anything else
    returns None and the file is read line by line, where every oddity is reported with its line; so
    the two paths give the same table and the same (no) problems, and clean files are read fast."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    first = data.find(b"\n")
    if first < 0 or data[:first].decode("utf-8") != ",".join(expected):
        return None
    if b"\n\n" in data:
        return None
    raw = np.frombuffer(data, dtype=np.uint8)
    if np.count_nonzero(raw < 0x20) != data.count(b"\n") or b"\xc2\x85" in data:
        return None  # control characters (Python and Arrow disagree on which are spaces): the careful path
    quotes = np.flatnonzero(raw == _QUOTE)
    if len(quotes):  # a quote must open a value, close one, or be doubled inside one
        before = raw[np.maximum(quotes - 1, 0)]
        after = raw[np.minimum(quotes + 1, len(raw) - 1)]
        opens = (quotes == 0) | (before == _COMMA) | (before == _NEWLINE) | (before == _QUOTE)
        closes = (quotes == len(raw) - 1) | (after == _COMMA) | (after == _NEWLINE) | (after == _QUOTE)
        if not (opens | closes).all():
            return None
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(use_threads=True),  # rows keep their order
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in expected},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, ValueError):
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if table.num_rows != lines - 1 or table.column_names != list(expected):
        return None
    for column in table.columns:
        if column.null_count or pc.any(pc.match_substring(column, '"')).as_py():
            return None
        if pc.any(pc.not_equal(pc.utf8_trim_whitespace(column), column)).as_py():
            return None
    if not table.num_rows:
        return pd.DataFrame(columns=list(expected), dtype=object)
    frame = table.to_pandas()
    return frame if (frame.dtypes == object).all() else frame.astype(object)


def _joined_value(lines: list[str], number: int, width: int) -> int:
    """The last line of a row that a line break inside a quoted value spreads over lines `number`..,
    or 0 when joining up to four following lines gives no row of the right width."""
    text = lines[number - 1]
    for last in range(number + 1, min(number + 5, len(lines) + 1)):
        text += "\n" + lines[last - 1]
        try:
            rows = list(csv.reader([text.replace("\n", "\x00")], strict=True))
        except csv.Error:
            continue
        if len(rows) == 1 and len(rows[0]) == width:
            return last
    return 0


def _parse_line(line: str, name: str, number: int) -> tuple[list[str] | None, list[Problem]]:
    try:
        row = next(csv.reader([line], strict=True))
    except csv.Error:
        return None, [Problem(name, number, "*", "unbalanced or stray double quote (or a line break inside a "
                                                 "value); the line was skipped")]
    problems = [Problem(name, number, "*", "double quote inside a value (a stray quote?); use single quotes")
                for value in row if '"' in value][:1]
    return row, problems


def _check_header(name: str, header: list[str], expected: list[str]) -> list[Problem]:
    problems = []
    seen = set()
    for col in header:
        if col in seen:
            problems.append(Problem(name, 1, col, "column appears twice"))
        seen.add(col)
        if col not in expected:
            problems.append(Problem(name, 1, col, "unknown column (not in datapackage.json)"))
    for col in expected:
        if col not in header:
            problems.append(Problem(name, 1, col, "missing column"))
    if not problems and header != expected:
        problems.append(Problem(name, 1, "*", f"columns are not in the order of datapackage.json {FORMAT_HINT}"))
    return problems


# ---------------------------------------------------------------------------------------------
# Layer 2: the schema

PATTERN_HINTS = {
    "admin1_pcode": "a governorate P-code (SY01 to SY14)",
    "admin2_pcode": "a district P-code (SY and four digits, e.g. SY0602)",
    "area_pcode": "SY or a governorate P-code (SY01 to SY14)",
    "admin1_pcodes": "governorate P-codes separated by ';'",
    "incident_id": "an incident id (SYI- and five digits)",
    "claim_id": "a claim id (SYC- and five digits)",
    "toll_id": "a toll id (SYT- and four digits)",
    "linked_incidents": "incident ids (SYI-nnnnn) separated by ';'",
    "tags": "a list of tags from the codebook separated by ';'",
    "url": "a web address (http:// or https://, no spaces)",
    "source_id": "an identifier of lower-case letters, digits and _",
    "actor_id": "an identifier of lower-case letters, digits and _",
    "episode_id": "an identifier of lower-case letters, digits and -",
}
TYPE_NAMES = {"date": "an ISO date (YYYY-MM-DD)", "integer": "a whole number (digits 0-9, no sign)",
              "number": "a number", "boolean": "true or false"}
_INTEGER = re.compile(r"(?:0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200d\u2028\u2029\ufeff]|\t|\n")
_MARKUP = re.compile(r"<\s*[A-Za-z/!?]|&#?[A-Za-z0-9]+;|javascript:", re.IGNORECASE)
_FORMULA = re.compile(r"[=+\-@]")


def _schema_problems(table: Table, fields: list[dict]) -> list[Problem]:
    out: list[Problem] = []
    frame, fname = table.frame, f"{table.name}.csv"
    lines = frame["_line"].to_numpy()

    def report(mask, column: str, messages) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if isinstance(messages, str):
            out.extend(Problem(fname, int(n), column, messages) for n in lines[mask])
        else:  # a function of the value, called only for the rows reported
            out.extend(Problem(fname, int(n), column, messages(v)) for n, v in zip(lines[mask], values[mask]))

    for f in fields:
        name, ftype, cons = f["name"], f["type"], f.get("constraints", {})
        values = frame[name].astype(str).to_numpy(dtype=object)
        # every test runs once per distinct value (most columns hold few), then is spread to the rows
        codes, uniques = pd.factorize(values)
        uniques = np.asarray(uniques, dtype=object)

        def each(test, dtype=bool) -> np.ndarray:
            return np.fromiter((test(u) for u in uniques), dtype=dtype, count=len(uniques))[codes]

        empty = each(lambda u: u == "")
        if cons.get("required"):
            report(empty, name, "a value is required")
        present = ~empty
        if not present.any():
            continue
        bad_type = np.zeros(len(values), dtype=bool)
        if ftype == "integer":
            bad_type = present & ~each(lambda u: _INTEGER.fullmatch(u) is not None)
        elif ftype == "number":
            bad_type = present & ~each(lambda u: _NUMBER.fullmatch(u) is not None)
        elif ftype == "boolean":
            bad_type = present & ~each(lambda u: u in ("true", "false"))
        elif ftype == "date":
            ok = np.array([_DATE.fullmatch(u) is not None for u in uniques], dtype=bool)
            parsed = pd.to_datetime(pd.Series(uniques).where(ok, None), format="%Y-%m-%d", errors="coerce")
            bad_type = present & parsed.isna().to_numpy()[codes]
        if bad_type.any():
            what = TYPE_NAMES[ftype]
            if ftype == "integer":
                negative = each(lambda u: re.fullmatch(r"-[0-9]+", u) is not None) & bad_type
                report(negative, name, lambda v: f"{v} is below the minimum 0")
                bad_type &= ~negative
            report(bad_type, name, lambda v: f"'{v}' is not {what}")
        valid = present & ~bad_type
        if ftype == "string":
            joined = "\x1e".join(uniques)  # one search over the column first; values only if it hits
            control = (each(lambda u: _CONTROL.search(u) is not None) & valid
                       if _CONTROL.search(joined.replace("\x1e", "")) else np.zeros(len(values), dtype=bool))
            report(control, name, "contains a control character (tab, line break, NUL ...)")
            markup = (each(lambda u: _MARKUP.search(u) is not None) & valid & ~control if _MARKUP.search(joined)
                      else np.zeros(len(values), dtype=bool))
            report(markup, name, "contains markup (an HTML tag or entity); write plain text")
            if "pattern" not in cons and "enum" not in cons:
                formula = each(lambda u: _FORMULA.match(u) is not None) & valid & ~control & ~markup
                report(formula, name, "starts with =, +, - or @, which a spreadsheet would run as a formula")
        if "enum" in cons:
            allowed = set(cons["enum"])
            bad = valid & ~each(lambda u: u in allowed)
            report(bad, name, lambda v: f"'{v}' is not one of: " + ", ".join(cons["enum"]))
        if "pattern" in cons:
            pattern = re.compile(cons["pattern"])
            bad = valid & ~each(lambda u: pattern.fullmatch(u) is not None)
            hint = PATTERN_HINTS.get(name, f"the pattern {cons['pattern']}")
            report(bad, name, lambda v: f"'{v}' is not {hint}")
        if ("minimum" in cons or "maximum" in cons) and ftype in ("integer", "number"):
            num = pd.to_numeric(pd.Series(uniques), errors="coerce").to_numpy(dtype=float)[codes]
            if "minimum" in cons:
                report(valid & (num < cons["minimum"]), name, lambda v: f"{v} is below the minimum {cons['minimum']}")
            if "maximum" in cons:
                report(valid & (num > cons["maximum"]), name, lambda v: f"{v} is above the maximum {cons['maximum']}")
        if cons.get("unique"):
            dup = pd.Series(codes).duplicated(keep="first").to_numpy() & present
            report(dup, name, "duplicate identifier")
    return out


def _foreign_key_problems(tables: dict[str, Table], resources: dict[str, dict]) -> list[Problem]:
    out = []
    for name, table in tables.items():
        for fk in resources[name]["schema"].get("foreignKeys", []):
            col, ref = fk["fields"][0], fk["reference"]
            target = tables.get(ref["resource"])
            if target is None:
                continue
            known = set(target.frame[ref["fields"][0]])
            values = table.frame[col].astype(str)
            bad = (values != "") & ~values.isin(known)
            for line, value in zip(table.frame.loc[bad, "_line"], values[bad]):
                out.append(Problem(f"{name}.csv", int(line), col,
                                   f"no {ref['fields'][0]} '{value}' in {ref['resource']}.csv"))
    return out


# ---------------------------------------------------------------------------------------------
# Layer 3: the codebook's rules

@dataclass
class Context:
    reference_dir: Path
    tables: dict[str, pd.DataFrame]  # typed, with a `_line` column; schema-invalid cells emptied
    today: pd.Timestamp
    lexicon: figures.Lexicon
    invalid: set = field(default_factory=set)  # (file, line, column) with a schema problem
    cache: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)  # the tables as strings, exactly as read (no `_line`)

    def invalid_lines(self, table: str) -> set[int]:
        return {line for file, line, _ in self.invalid if file == f"{table}.csv"}

    def derived(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The estimation rule's output on the tables (computed once per run)."""
        if "derived" not in self.cache:
            t = self.tables
            self.cache["derived"] = estimates.derive(t["incidents"], t["claims"], t["sources"], t["actors"])
        return self.cache["derived"]


Rule = Callable[[Context], list[Problem]]
RULES: dict[str, Rule] = {}


def rule(func: Rule) -> Rule:
    RULES[func.__name__] = func
    return func


def _problems(table: str, frame: pd.DataFrame, mask, column: str, messages) -> list[Problem]:
    """One Problem per row of `frame` where `mask` holds; `messages` a string or a per-row Series."""
    mask = pd.Series(mask, index=frame.index).fillna(False).astype(bool)
    if not mask.any():
        return []
    sub = frame.loc[mask, "_line"]
    if isinstance(messages, str):
        return [Problem(f"{table}.csv", int(n), column, messages) for n in sub]
    msgs = pd.Series(messages, index=frame.index)[mask]
    return [Problem(f"{table}.csv", int(n), column, str(m)) for n, m in zip(sub, msgs)]


def _day(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%Y-%m-%d")


DATE_COLUMNS = {
    "incidents": ("date_start", "date_end"),
    "claims": ("published_at", "checked_on"),
    "episodes": ("date_start", "date_end"),
    "monitor_tolls": ("published_at", "period_end", "checked_on"),  # a monthly toll may begin before 8 December
}
DATE_ORDER = {
    "incidents": ("date_start", "date_end"),
    "episodes": ("date_start", "date_end"),
    "monitor_tolls": ("period_start", "period_end"),
}


@rule
def dates_in_period(ctx: Context) -> list[Problem]:
    """Dates fall on or after 2024-12-08 and not after today; end dates do not precede start dates."""
    out = []
    for table, cols in DATE_COLUMNS.items():
        frame = ctx.tables[table]
        for col in cols:
            d = frame[col]
            out += _problems(table, frame, d < PERIOD_START, col, _day(d) + " is before the record starts (2024-12-08)")
            out += _problems(table, frame, d > ctx.today, col, _day(d) + " is in the future")
    for table, (a, b) in DATE_ORDER.items():
        frame = ctx.tables[table]
        out += _problems(table, frame, frame[b] < frame[a], b, _day(frame[b]) + f" is before {a} " + _day(frame[a]))
    return out


@rule
def date_precision_matches_span(ctx: Context) -> list[Problem]:
    """`day` means one day, `days` a span of 2-7 days, `week` at most 7 days, `month` at most 31."""
    inc = ctx.tables["incidents"]
    span = (inc["date_end"] - inc["date_start"]).dt.days
    lo = inc["date_precision"].map({"day": 0, "days": 1, "week": 0, "month": 0})
    hi = inc["date_precision"].map({"day": 0, "days": 6, "week": 6, "month": 30})
    ok = inc["date_start"].notna() & inc["date_end"].notna() & (inc["date_start"] >= PERIOD_START) & (span >= 0)
    bad = ok & lo.notna() & ((span < lo) | (span > hi))
    return _problems("incidents", inc, bad, "date_precision",
                     "'" + inc["date_precision"] + "' does not fit a span of " + (span + 1).astype("Int64").astype(str) + " days")


def _district_governorates(reference_dir: Path) -> dict[str, str]:
    from .locate import _districts
    _, adm2, adm1 = _districts(str(Path(reference_dir) / "syria_adm2.geojson"))
    return dict(zip(adm2, adm1))


@rule
def admin_codes_exist(ctx: Context) -> list[Problem]:
    """District P-codes exist and lie in the stated governorate; the precision says which are given."""
    districts = _district_governorates(ctx.reference_dir)
    inc = ctx.tables["incidents"]
    a1, a2, gp = inc["admin1_pcode"], inc["admin2_pcode"], inc["geo_precision"]
    parent = a2.map(districts)
    given = (a2 != "") & (a1 != "")
    out = _problems("incidents", inc, given & parent.isna(), "admin2_pcode", "'" + a2 + "' is not a district P-code")
    out += _problems("incidents", inc, given & parent.notna() & (parent != a1), "admin2_pcode",
                     "district " + a2 + " lies in " + parent.fillna("") + ", not in " + a1)
    out += _problems("incidents", inc, (gp == "admin1") & (a2 != ""), "admin2_pcode",
                     "geo_precision 'admin1' must leave the district empty")
    out += _problems("incidents", inc, gp.isin(["point", "near", "admin2"]) & (a2 == ""), "admin2_pcode",
                     "geo_precision '" + gp + "' requires a district P-code")
    return out


@rule
def coordinates_in_area(ctx: Context) -> list[Problem]:
    """Coordinates lie in Syria, in the stated governorate and district (2 km coastal tolerance)."""
    from .locate import locate

    inc = ctx.tables["incidents"]
    inc = inc[inc["latitude"].notna() & inc["longitude"].notna() & (inc["admin1_pcode"] != "")]
    if inc.empty:
        return []
    where = locate(inc["latitude"], inc["longitude"], COORDINATE_TOLERANCE_M, ctx.reference_dir)
    where.index = inc.index
    districts = _district_governorates(ctx.reference_dir)
    at = inc["latitude"].map("{:g}".format) + "," + inc["longitude"].map("{:g}".format)
    outside = where["admin1_pcode"] == ""
    out = _problems("incidents", inc, outside, "latitude", at + " is not in Syria (nor within 2 km of it)")
    wrong1 = ~outside & (where["admin1_pcode"] != inc["admin1_pcode"])
    out += _problems("incidents", inc, wrong1, "latitude", at + " lies in " + where["admin1_pcode"] + ", not in " + inc["admin1_pcode"])
    wrong2 = (~outside & ~wrong1 & inc["geo_precision"].isin(["point", "near", "admin2"])
              & (inc["admin2_pcode"].map(districts) == inc["admin1_pcode"])
              & (where["admin2_pcode"] != inc["admin2_pcode"]))
    out += _problems("incidents", inc, wrong2, "latitude",
                     at + " lies in district " + where["admin2_pcode"] + ", not in " + inc["admin2_pcode"])
    return out


@rule
def event_types_consistent(ctx: Context) -> list[Problem]:
    """The ACLED sub-event type belongs to the event type."""
    inc = ctx.tables["incidents"]
    pairs = {(e, s) for e, subs in SUB_EVENT_TYPES.items() for s in subs}
    ok = pd.Series([(e, s) in pairs for e, s in zip(inc["event_type"], inc["sub_event_type"])], index=inc.index)
    known = inc["event_type"].isin(list(SUB_EVENT_TYPES)) & (inc["sub_event_type"] != "")
    return _problems("incidents", inc, known & ~ok, "sub_event_type",
                     "'" + inc["sub_event_type"] + "' is not a sub-event type of '" + inc["event_type"] + "'")


@rule
def estimates_ordered_and_split(ctx: Context) -> list[Problem]:
    """deaths_low <= deaths_best <= deaths_high; the victim split adds up to deaths_best; the civilians
    from coding are part of the civilians."""
    inc = ctx.tables["incidents"]
    low, best, high = inc["deaths_low"], inc["deaths_best"], inc["deaths_high"]
    out = _problems("incidents", inc, low > best, "deaths_low",
                    "deaths_low " + low.astype(str) + " is above deaths_best " + best.astype(str))
    out += _problems("incidents", inc, best > high, "deaths_high",
                     "deaths_high " + high.astype(str) + " is below deaths_best " + best.astype(str))
    parts = inc[list(estimates.SPLIT_COLUMNS)]
    total = parts.sum(axis=1, min_count=len(estimates.SPLIT_COLUMNS))
    out += _problems("incidents", inc, total.notna() & best.notna() & (total != best), "deaths_unknown_status",
                     "the victim split adds up to " + total.astype("Int64").astype(str) + ", not to deaths_best " + best.astype(str))
    coded = inc["civilians_from_coding"]
    out += _problems("incidents", inc, coded > inc["deaths_civilians"], "civilians_from_coding",
                     coded.astype(str) + " is more than deaths_civilians " + inc["deaths_civilians"].astype(str))
    return out


@rule
def claims_support_incidents(ctx: Context) -> list[Problem]:
    """Every incident has a claim, and an active one a verified claim; scopes match record types;
    claims are internally consistent."""
    inc, cl = ctx.tables["incidents"], ctx.tables["claims"]
    claimed = set(cl["incident_id"])
    verified = set(cl.loc[cl["verification"] == "verified", "incident_id"])
    out = _problems("incidents", inc, ~inc["incident_id"].isin(claimed), "incident_id",
                    "no claim in claims.csv supports this incident")
    has_claims = inc["incident_id"].isin(claimed)
    out += _problems("incidents", inc, has_claims & (inc["status"] == "active") & ~inc["incident_id"].isin(verified),
                     "status", "no claim of this incident is verified: read one again on its page, or set the "
                               "status to 'unverified'")
    out += _problems("incidents", inc, (inc["status"] == "unverified") & inc["incident_id"].isin(verified),
                     "status", "'unverified', but a claim of this incident is verified")
    rem = inc["record_type"] == "remainder"
    out += _problems("incidents", inc, rem & (inc["episode_id"] == ""), "episode_id",
                     "a remainder record must name its episode")
    out += _problems("incidents", inc, rem & (inc["geo_precision"] != "admin1"), "geo_precision",
                     "a remainder record covers a governorate: use 'admin1'")
    record_type = cl["incident_id"].map(inc.set_index("incident_id")["record_type"])
    want_remainder = record_type == "remainder"
    out += _problems("claims", cl, want_remainder & (cl["claim_scope"] != "area_total"), "claim_scope",
                     "a claim about a remainder record must have claim_scope 'area_total'")
    out += _problems("claims", cl, (record_type == "incident") & (cl["claim_scope"] == "area_total"), "claim_scope",
                     "a claim about a incident record must have claim_scope 'incident' or 'partial'")
    stated = cl[[f"killed_{c}" for c in estimates.CATEGORIES]].sum(axis=1)
    total = cl["killed_total"]
    out += _problems("claims", cl, total.notna() & (stated > total), "killed_total",
                     "the categories add up to " + stated.astype("Int64").astype(str) + ", more than killed_total "
                     + total.astype(str))
    out += _problems("claims", cl, (cl["verification"] == "verified") & total.isna(), "killed_total",
                     "a verified claim gives a total (killed_total)")
    start = cl["incident_id"].map(inc.drop_duplicates("incident_id").set_index("incident_id")["date_start"])
    out += _problems("claims", cl, cl["published_at"] < start, "published_at",
                     "published " + _day(cl["published_at"]) + ", before the incident began (" + _day(start) + ")")
    return out


def _figure_problems(table: str, frame: pd.DataFrame, lexicon: figures.Lexicon, columns: dict[str, str],
                     single: bool, invalid: set) -> list[Problem]:
    """figure_as_written against the recorded figures (claims: several keys; tolls: one figure)."""
    out = []
    verified = frame["verification"] == "verified"
    written = frame["figure_as_written"]
    out += _problems(table, frame, verified & (written == ""), "figure_as_written",
                     "a verified row needs its figures as the page writes them")
    rows = frame[written != ""]
    names = list(columns)
    values = {c: rows[c].to_numpy(dtype=object) for c in names}
    fname = f"{table}.csv"
    cache: dict[str, object] = {}
    for k, (text, line, verification, qualifier) in enumerate(zip(rows["figure_as_written"].to_numpy(), rows["_line"].to_numpy(),
                                                                 rows["verification"].to_numpy(), rows["qualifier"].to_numpy())):
        line = int(line)
        if text not in cache:
            try:
                cache[text] = ({"value": figures.parse_figure(text, lexicon)} if single
                               else figures.claim_figures(text, lexicon))
            except figures.FigureError as err:
                cache[text] = err
        parsed = cache[text]
        if isinstance(parsed, figures.FigureError):
            out.append(Problem(fname, line, "figure_as_written", str(parsed)))
            continue
        for column, fig in parsed.items():
            if (fname, line, column) in invalid:
                continue
            have = values[column][k]
            if pd.isna(have) or int(have) != fig.value:
                shown = "empty" if pd.isna(have) else str(int(have))
                out.append(Problem(fname, line, "figure_as_written",
                                   f"gives {fig.value} for {column}, but {column} is {shown}"))
        if verification == "verified":
            for column in names:
                if column not in parsed and pd.notna(values[column][k]):
                    out.append(Problem(fname, line, "figure_as_written",
                                       f"{column} is {int(values[column][k])}, but no figure as written gives it"))
        main = parsed.get("killed_total" if not single else "value")
        want = main.qualifier if main else ""
        if qualifier != want:
            out.append(Problem(fname, line, "qualifier", f"is '{qualifier}', but the figure as written says '{want}' "
                                                        "(run `syria-incidents derive`)"))
    return out


@rule
def figures_as_written(ctx: Context) -> list[Problem]:
    """Each figure as written reads as the recorded figure (digits in any script, number words and vague
    words of number_words.csv, qualifiers); verified rows have one for every recorded figure."""
    claim_cols = dict.fromkeys(figures.FIGURE_KEYS.values())
    out = _figure_problems("claims", ctx.tables["claims"], ctx.lexicon, claim_cols, False, ctx.invalid)
    out += _figure_problems("monitor_tolls", ctx.tables["monitor_tolls"], ctx.lexicon, {"value": None}, True, ctx.invalid)
    return out


@rule
def children_and_women_are_civilians(ctx: Context) -> list[Problem]:
    """A claim whose total names the dead only as children or women (`{طفل}=1`, `{a boy}=1`) records
    them as civilians too: the monitors count children and women among civilians."""
    cl = ctx.tables["claims"]
    texts = cl["figure_as_written"].astype(str)
    candidates = texts.str.contains("{", regex=False) & (texts != "")
    if not candidates.any():
        return []
    def names_only_children_or_women(text: str) -> bool:
        try:
            total = figures.split_claim_figures(text).get("total", "")
        except figures.FigureError:
            return False  # reported by figures_as_written
        return bool(total) and figures.only_children_or_women(total)

    verdict = {text: names_only_children_or_women(text) for text in texts[candidates].unique()}
    only = candidates & texts.map(verdict).fillna(False).astype(bool)
    missing = only & (cl["killed_civilians"].isna() | (cl["killed_civilians"] != cl["killed_total"]))
    return _problems("claims", cl, missing, "killed_civilians",
                     "the total names the dead only as children or women, whom the monitors count as civilians: "
                     "write the same figure as `civilians:` in figure_as_written (killed_civilians = "
                     + cl["killed_total"].astype("Int64").astype(str) + ")")


@rule
def estimates_reproducible(ctx: Context) -> list[Problem]:
    """Each incident's derived columns, and each claim's, equal what the estimation rule gives."""
    inc, cl = ctx.tables["incidents"], ctx.tables["claims"]
    derived, roles = ctx.derived()
    flagged = {p.line for p in estimates_ordered_and_split(ctx)} | ctx.invalid_lines("incidents")
    # An invalid input cell is reported where it is; the estimates it touches are not reported again.
    touched = set(cl.loc[cl["_line"].isin(ctx.invalid_lines("claims")), "incident_id"])
    touched |= set(inc.loc[inc["_line"].isin(flagged), "incident_id"])
    if touched:  # a remainder depends on the named incidents of its episode: not judged on broken inputs
        touched |= set(inc.loc[inc["record_type"] == "remainder", "incident_id"])
    out = []
    for table, frame, key, want in (("incidents", inc, "incident_id", derived), ("claims", cl, "claim_id", roles)):
        rows = frame[frame[key].isin(want.index) & ~frame["incident_id"].isin(touched)]
        expected = want.reindex(rows[key])
        for col in want.columns:
            have = estimates.csv_values(rows[col])
            need = estimates.csv_values(expected[col])
            for line, h, n in zip(rows["_line"].to_numpy()[have != need], have[have != need], need[have != need]):
                out.append(Problem(f"{table}.csv", int(line), col,
                                   f"is {h or 'empty'}, but the rule gives {n} (run `syria-incidents derive`)"))
    return out


@rule
def victim_status_follows_claims(ctx: Context) -> list[Problem]:
    """A credible claim that states civilians means the incident has civilians; a `massacre` tag means at
    least 5 civilians; violence against civilians leaves no death of unknown status without a reason."""
    inc, cl = ctx.tables["incidents"], ctx.tables["claims"]
    out = []
    used = cl["used_as"].isin(["best", "range", "early", "partial"]) & (cl["killed_civilians"] > 0)
    with_civilians = set(cl.loc[used, "incident_id"])
    out += _problems("incidents", inc, inc["incident_id"].isin(with_civilians) & (inc["deaths_civilians"] == 0)
                     & (inc["status"] == "active"), "deaths_civilians",
                     "a claim used by the estimate states civilians, but deaths_civilians is 0")
    massacre = inc["tags"].str.split(";").map(lambda t: "massacre" in t)
    out += _problems("incidents", inc, massacre & (inc["deaths_civilians"] < 5), "tags",
                     "tagged massacre (5 or more civilians killed), but deaths_civilians is "
                     + inc["deaths_civilians"].astype(str))
    vac = inc["event_type"] == estimates.VIOLENCE_AGAINST_CIVILIANS
    out += _problems("incidents", inc, vac & (inc["deaths_unknown_status"] > 0) & (inc["status_reason"] == ""),
                     "deaths_unknown_status", "violence against civilians with deaths of unknown status: the coding "
                                              "rule makes them civilians unless status_reason says why not")
    return out


@rule
def partisanship_mapped(ctx: Context) -> list[Problem]:
    """The partisanship mapping is complete: every governmental or armed-group claimant says whom it speaks
    for, and every armed actor that perpetrates or is attacked has a side."""
    src, act = ctx.tables["sources"], ctx.tables["actors"]
    claimants = set(ctx.tables["claims"]["source_id"]) | set(ctx.tables["monitor_tolls"]["source_id"])
    party = src["source_type"].isin(["government", "foreign_government", "armed_group"])
    out = _problems("sources", src, party & (src["speaks_for"] == "") & src["source_id"].isin(claimants), "speaks_for",
                    "a government or armed-group claimant must say which actor it speaks for")
    unsided = {"unidentified", "civilians", "other_armed_group"}
    used = set(ctx.tables["incidents"]["perpetrator"]) | set(ctx.tables["incidents"]["attacked_side"])
    out += _problems("actors", act, act["actor_id"].isin(used) & ~act["actor_id"].isin(unsided) & (act["side"] == ""),
                     "side", "an armed actor used in incidents.csv needs a side")
    out += _problems("actors", act, act["actor_id"].isin(unsided) & (act["side"] != ""), "side",
                     "civilians, unidentified and other armed groups have no side")
    return out


def _norm_places(names: pd.Series) -> pd.Series:
    from .gazetteer import normalise
    unique = names.unique()
    table = {n: normalise(re.sub(r"\(.*?\)", "", n)) for n in unique}
    return names.map(table)


def duplicate_candidates(incidents: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Pairs of active incidents that may be the same event: joined on (governorate, place) and on
    (page, figure), never by comparing every pair, so the work grows with the number of rows."""
    inc = incidents[(incidents["status"] == "active") & incidents["date_start"].notna()
                    & incidents["date_end"].notna()].copy()
    inc["_place"] = _norm_places(inc["location_name"])
    cols = ["incident_id", "_line", "date_start", "date_end", "record_type", "admin1_pcode", "admin2_pcode",
            "event_type", "perpetrator", "_place"]
    base = inc[cols]
    by_place = base.merge(base, on=["admin1_pcode", "_place", "record_type"], suffixes=("_a", "_b"))
    by_place = by_place[by_place["_line_a"] < by_place["_line_b"]].assign(why="the same place")
    keys = claims.loc[claims["killed_total"].notna(), ["incident_id", "url", "killed_total"]].drop_duplicates()
    pairs = keys.merge(keys, on=["url", "killed_total"], suffixes=("_a", "_b"))[["incident_id_a", "incident_id_b"]]
    pairs = pairs[pairs["incident_id_a"] != pairs["incident_id_b"]].drop_duplicates()
    pairs = pairs.merge(base.add_suffix("_a"), on="incident_id_a").merge(base.add_suffix("_b"), on="incident_id_b")
    same = ((pairs["admin2_pcode_a"] == pairs["admin2_pcode_b"]) & (pairs["event_type_a"] == pairs["event_type_b"])
            & (pairs["perpetrator_a"] == pairs["perpetrator_b"]) & (pairs["record_type_a"] == pairs["record_type_b"])
            & (pairs["_line_a"] < pairs["_line_b"]))
    by_claim = pairs[same].assign(why="a claim with the same page and figure")
    return pd.concat([by_place, by_claim], ignore_index=True)


@rule
def no_duplicate_incidents(ctx: Context) -> list[Problem]:
    """No two active incidents look like the same event, unless a curator linked them as distinct.

    Alike: overlapping dates and either the same place (normalised name, same governorate), or the
    same page and figure in their claims for the same district, event type and perpetrator.
    """
    inc = ctx.tables["incidents"]
    both = duplicate_candidates(inc, ctx.tables["claims"])
    if both.empty:
        return []
    both = both[(both["date_start_a"] <= both["date_end_b"]) & (both["date_start_b"] <= both["date_end_a"])]
    linked = set()
    for iid, links in zip(inc["incident_id"], inc["linked_incidents"]):
        for other in filter(None, str(links).split(";")):
            linked.add((iid, other))
            linked.add((other, iid))
    unlinked = np.array([(a, b) not in linked for a, b in zip(both["incident_id_a"], both["incident_id_b"])], dtype=bool)
    both = both.loc[unlinked]
    both = both.sort_values(["_line_b", "_line_a", "why"], ascending=[True, True, False])
    both = both.drop_duplicates(["incident_id_a", "incident_id_b"])
    return [Problem("incidents.csv", int(b), "incident_id",
                    f"looks like {a} (overlapping dates, {why}); merge them, or list each in the other's "
                    "linked_incidents if they are distinct")
            for a, b, why in zip(both["incident_id_a"], both["_line_b"], both["why"])]


@rule
def linked_incidents_exist(ctx: Context) -> list[Problem]:
    inc = ctx.tables["incidents"]
    ids = set(inc["incident_id"])
    out = []
    for line, iid, links in zip(inc["_line"], inc["incident_id"], inc["linked_incidents"]):
        for other in filter(None, str(links).split(";")):
            if other not in ids or other == iid:
                out.append(Problem("incidents.csv", int(line), "linked_incidents", f"'{other}' is not another incident"))
    return out


@rule
def incidents_within_episodes(ctx: Context) -> list[Problem]:
    """An incident's dates overlap its episode's dates, and its governorate is one of the episode's."""
    inc, ep = ctx.tables["incidents"], ctx.tables["episodes"].drop_duplicates("episode_id").set_index("episode_id")
    sub = inc[(inc["episode_id"] != "") & (inc["admin1_pcode"] != "") & inc["episode_id"].isin(ep.index)]
    if sub.empty:
        return []
    e_start = sub["episode_id"].map(ep["date_start"])
    e_end = sub["episode_id"].map(ep["date_end"])
    outside = (sub["date_end"] < e_start) | (sub["date_start"] > e_end)
    out = _problems("incidents", sub, outside, "episode_id",
                    "dates lie outside episode " + sub["episode_id"] + " (" + _day(e_start) + " to " + _day(e_end) + ")")
    govs = sub["episode_id"].map(ep["admin1_pcodes"].str.split(";"))
    wrong = pd.Series([a not in g for a, g in zip(sub["admin1_pcode"], govs)], index=sub.index)
    out += _problems("incidents", sub, wrong, "episode_id",
                     sub["admin1_pcode"] + " is not among the governorates of episode " + sub["episode_id"])
    return out


@rule
def tolls_consistent(ctx: Context) -> list[Problem]:
    """Monitor tolls are published after their period begins; a share is at most 100 percent."""
    mt = ctx.tables["monitor_tolls"]
    out = _problems("monitor_tolls", mt, mt["published_at"] < mt["period_start"], "published_at",
                    "published " + _day(mt["published_at"]) + ", before the period begins")
    out += _problems("monitor_tolls", mt, (mt["unit"] == "percent") & (mt["value"] > 100), "value",
                     "a share in percent cannot exceed 100")
    return out


# ---------------------------------------------------------------------------------------------

def read_descriptor(data_dir: Path) -> tuple[dict | None, list[Problem]]:
    path = Path(data_dir) / "datapackage.json"
    why = _refuse(path)
    if why:
        return None, [Problem("datapackage.json", 1, "*", why)]
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        {r["name"]: r["schema"]["fields"] for r in descriptor["resources"]}
    except (OSError, ValueError, KeyError, TypeError) as err:
        return None, [Problem("datapackage.json", 1, "*", f"cannot read the Data Package: {err}")]
    return descriptor, []


def validate_data(data_dir: Path = DATA_DIR, today: dt.date | None = None) -> list[Problem]:
    """All problems with the tables in `data_dir`, sorted by file and line."""
    return check_data(data_dir, today)[0]


def check_data(data_dir: Path = DATA_DIR, today: dt.date | None = None) -> tuple[list[Problem], Context | None]:
    """All problems with the tables in `data_dir`, sorted by file and line, and the context the rules ran
    on (the tables as read and typed, and the estimation rule's output), or None when the rules could not
    run. `derive` uses the context, so that one run reads, checks and derives the tables once."""
    # Python-backed strings: for these many small string operations they are twice as fast as pyarrow's.
    with pd.option_context("mode.string_storage", "python"):
        return _validate(Path(data_dir), today)


def _validate(data_dir: Path, today: dt.date | None) -> tuple[list[Problem], Context | None]:
    why = _refuse(data_dir)
    if why and why != "is a directory, not a file":
        return [Problem(str(data_dir), 1, "*", f"the data folder {why}")], None
    today_ts = pd.Timestamp(today or dt.date.today())
    descriptor, problems = read_descriptor(data_dir)
    if descriptor is None:
        return problems, None
    resources = {r["name"]: r for r in descriptor["resources"]}
    tables: dict[str, Table] = {}
    for name in TABLES:
        if name not in resources:
            problems.append(Problem("datapackage.json", 1, "*", f"resource '{name}' is not described"))
            continue
        fields = resources[name]["schema"]["fields"]
        table, found = read_table(data_dir / f"{name}.csv", [f["name"] for f in fields])
        problems += [replace(p, origin="parse") for p in found]
        if table is not None:
            tables[name] = table
    schema_problems = []
    for name, table in tables.items():
        schema_problems += _schema_problems(table, resources[name]["schema"]["fields"])
    schema_problems += _foreign_key_problems(tables, resources)
    problems += [replace(p, origin="schema") for p in schema_problems]
    if len(tables) < len(TABLES):
        missing = ", ".join(f"{n}.csv" for n in TABLES if n not in tables)
        problems.append(Problem(f"{next(n for n in TABLES if n not in tables)}.csv", 1, "*", origin="parse", message=
                                f"the codebook's rules were not checked: they need every table ({missing} cannot be read)"))
        return sorted(set(problems)), None
    invalid = {(p.file, p.line, p.column) for p in schema_problems}
    typed = {}
    for name, table in tables.items():
        frame = table.frame.copy()
        bad = [(line, col) for file, line, col in invalid if file == f"{name}.csv" and col in frame]
        for line, col in bad:
            frame.loc[frame["_line"] == line, col] = ""
        typed[name] = cast(frame, resources[name]["schema"]["fields"])
    reference_dir = data_dir / "reference" if (data_dir / "reference").is_dir() else REFERENCE_DIR
    try:
        lexicon = figures.read_lexicon(data_dir / "number_words.csv")
    except (OSError, ValueError, KeyError) as err:
        problems.append(Problem("number_words.csv", 1, "*", f"cannot be read as a lexicon: {err}"))
        lexicon = figures.Lexicon({}, {}, {}, frozenset())
    ctx = Context(reference_dir, typed, today_ts, lexicon, invalid,
                  raw={name: table.frame.drop(columns="_line") for name, table in tables.items()})
    for name, check in RULES.items():
        try:
            found = check(ctx)
        except Exception as err:  # a rule must never hide the others: report it and go on
            problems.append(Problem("datapackage.json", 1, "*", f"rule {name} could not run on these tables: {err!r}"))
            continue
        problems += [replace(p, origin=name) for p in found if (p.file, p.line, p.column) not in invalid]
    return sorted(set(problems)), ctx
