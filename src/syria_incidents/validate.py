"""Validate the curated tables against the Data Package and the codebook's rules.

`validate_data(data_dir)` returns a sorted list of `Problem`s, each printed as
`FILE:LINE:COLUMN: message`, where LINE is the line of the CSV file (the header is line 1) and
COLUMN the column's name (`*` when a problem concerns a whole row or file). It never raises on bad
input: malformed files (bad encoding, a byte-order mark, ragged rows, missing columns, an empty file,
a stray quote) are reported like any other problem.

Three layers:
1. `read_csv_strictly`: the file as bytes -> UTF-8 text -> CSV records, one record per line.
2. Frictionless (`datapackage.json`): types, required values, vocabularies, patterns, minimums,
   primary and foreign keys.
3. The codebook's rules that a table schema cannot express (`RULES` below): dates, geography,
   estimates, claims, duplicates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import estimates, gazetteer
from .load import TABLES, cast
from .paths import DATA_DIR, REFERENCE_DIR

PERIOD_START = pd.Timestamp("2024-12-08")
COORDINATE_TOLERANCE_M = 2000.0

SUB_EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Suicide bomb", "Grenade"},
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Riots": {"Mob violence", "Violent demonstration"},
}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: str
    message: str = field(compare=True)
    origin: str = field(default="", compare=False)  # "parse", "schema" or the rule's name

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass
class ParsedCSV:
    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # line on which each row starts


def read_csv_strictly(path: Path) -> tuple[ParsedCSV | None, list[Problem]]:
    """Parse a CSV file, reporting everything that would make its lines and rows disagree."""
    name = path.name
    if not path.exists():
        return None, [Problem(name, 1, "*", "file is missing")]
    data = path.read_bytes()
    if not data.strip():
        return None, [Problem(name, 1, "*", "file is empty (a header line is required)")]
    problems = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(name, 1, "*", "file starts with a byte-order mark; save it as UTF-8 without BOM"))
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, problems + [Problem(name, line, "*", f"not valid UTF-8 (byte 0x{data[err.start]:02x}); "
                                                          "save the file as UTF-8")]
    if "\r" in text:
        problems.append(Problem(name, text[: text.index("\r")].count("\n") + 1, "*",
                                "Windows or old Mac line endings; use \\n only"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            records.append((start, row))
            if reader.line_num != start:
                problems.append(Problem(name, start, "*", f"a field spans lines {start}-{reader.line_num}: "
                                                          "line break inside a value, or a stray quote"))
            start = reader.line_num + 1
    except csv.Error as err:
        problems.append(Problem(name, reader.line_num, "*", f"malformed CSV ({err}); a stray or unbalanced quote?"))
        return None, problems
    if not records:
        return None, problems + [Problem(name, 1, "*", "file is empty (a header line is required)")]
    (_, header), body = records[0], records[1:]
    parsed = ParsedCSV(header, [], [])
    for line, row in body:
        if not row:
            problems.append(Problem(name, line, "*", "blank line"))
            continue
        if len(row) != len(header):
            problems.append(Problem(name, line, "*", f"{len(row)} fields, but the header has {len(header)}"))
            continue
        for col, value in zip(header, row):
            if '"' in value:
                problems.append(Problem(name, line, col, "double quote inside a value (a stray quote?); "
                                                         "use single quotes"))
            if value != value.strip():
                problems.append(Problem(name, line, col, "leading or trailing spaces"))
        parsed.rows.append(row)
        parsed.lines.append(line)
    return parsed, problems


def _check_header(name: str, parsed: ParsedCSV, fields: list[dict]) -> list[Problem]:
    problems = []
    expected = [f["name"] for f in fields]
    seen = set()
    for col in parsed.header:
        if col in seen:
            problems.append(Problem(name, 1, col, "column appears twice"))
        seen.add(col)
        if col not in expected:
            problems.append(Problem(name, 1, col, "unknown column (not in datapackage.json)"))
    for col in expected:
        if col not in parsed.header:
            problems.append(Problem(name, 1, col, "missing column"))
    if not problems and parsed.header != expected:
        problems.append(Problem(name, 1, "*", "columns are not in the order of datapackage.json: "
                                              + ",".join(expected)))
    return problems


# ---------------------------------------------------------------------------------------------
# Layer 2: frictionless

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


def _describe_constraint(err: dict, fields: dict[str, dict]) -> str:
    cell, note = err.get("cell", ""), err.get("note", "")
    constraints = fields.get(err.get("fieldName"), {}).get("constraints", {})
    if '"required"' in note:
        return "a value is required"
    if '"enum"' in note:
        return f"'{cell}' is not one of: " + ", ".join(constraints.get("enum", []))
    if '"pattern"' in note:
        hint = PATTERN_HINTS.get(err.get("fieldName"), f"the pattern {constraints.get('pattern')}")
        return f"'{cell}' is not {hint}"
    if '"minimum"' in note:
        return f"{cell} is below the minimum {constraints.get('minimum')}"
    if '"unique"' in note:
        return f"'{cell}' appears more than once"
    return f"'{cell}': {note}"


def _frictionless_problems(data_dir: Path, descriptor: dict, usable: set[str]) -> list[Problem]:
    from frictionless import Package

    descriptor = json.loads(json.dumps(descriptor))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in usable]
    for res in descriptor["resources"]:
        fks = res["schema"].get("foreignKeys", [])
        res["schema"]["foreignKeys"] = [fk for fk in fks if fk["reference"]["resource"] in usable]
    package = Package(descriptor, basepath=str(data_dir))
    report = package.validate()
    fields_by_res = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    problems = []
    for task in report.tasks:
        fname = f"{task.name}.csv"
        fields = fields_by_res.get(task.name, {})
        for error in task.errors:
            err = error.to_descriptor()
            line = err.get("rowNumber", 1)
            etype = err["type"]
            if etype == "type-error":
                ftype = fields.get(err["fieldName"], {}).get("type")
                what = {"date": "an ISO date (YYYY-MM-DD)", "integer": "a whole number",
                        "number": "a number", "boolean": "true or false"}.get(ftype, ftype)
                problems.append(Problem(fname, line, err["fieldName"], f"'{err['cell']}' is not {what}"))
            elif etype == "constraint-error":
                problems.append(Problem(fname, line, err["fieldName"], _describe_constraint(err, fields)))
            elif etype == "foreign-key":
                col = err["fieldNames"][0]
                value = err["fieldCells"][0]
                problems.append(Problem(fname, line, col, f"no {err['referenceFieldNames'][0]} '{value}' "
                                                          f"in {err['referenceName']}.csv"))
            elif etype in ("primary-key", "unique-error"):
                col = err.get("fieldName") or ",".join(
                    r["schema"]["primaryKey"][0] for r in descriptor["resources"] if r["name"] == task.name)
                problems.append(Problem(fname, line, col, "duplicate identifier"))
            else:
                problems.append(Problem(fname, line, err.get("fieldName", "*"), f"{etype}: {err.get('note', '')}"))
    return problems


# ---------------------------------------------------------------------------------------------
# Layer 3: the codebook's rules

@dataclass
class Context:
    reference_dir: Path
    tables: dict[str, pd.DataFrame]  # typed, with a `_line` column; schema-invalid cells emptied
    today: pd.Timestamp


Rule = Callable[[Context], list[Problem]]
RULES: dict[str, Rule] = {}


def rule(func: Rule) -> Rule:
    RULES[func.__name__] = func
    return func


def _p(table: str, row: pd.Series, col: str, message: str) -> Problem:
    return Problem(f"{table}.csv", int(row["_line"]), col, message)


DATE_COLUMNS = {
    "incidents": ("date_start", "date_end"),
    "claims": ("published_at",),
    "episodes": ("date_start", "date_end"),
    "monitor_tolls": ("published_at", "period_end"),  # a monthly toll may begin before 8 December
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
            for _, row in frame[frame[col].notna()].iterrows():
                if row[col] < PERIOD_START:
                    out.append(_p(table, row, col, f"{row[col].date()} is before the record starts (2024-12-08)"))
                elif row[col] > ctx.today:
                    out.append(_p(table, row, col, f"{row[col].date()} is in the future"))
    for table, (a, b) in DATE_ORDER.items():
        frame = ctx.tables[table]
        bad = frame[frame[a].notna() & frame[b].notna() & (frame[b] < frame[a])]
        for _, row in bad.iterrows():
            out.append(_p(table, row, b, f"{row[b].date()} is before {a} {row[a].date()}"))
    return out


@rule
def date_precision_matches_span(ctx: Context) -> list[Problem]:
    """`day` means one day, `days` a span of 2-7 days, `week` at most 7 days, `month` at most 31."""
    out = []
    inc = ctx.tables["incidents"]
    limits = {"day": (0, 0), "days": (1, 6), "week": (0, 6), "month": (0, 30)}
    ok = inc["date_start"].notna() & inc["date_end"].notna()
    ok &= (inc["date_start"] >= PERIOD_START) & (inc["date_end"] >= inc["date_start"])
    for _, row in inc[ok].iterrows():
        span = (row["date_end"] - row["date_start"]).days
        lo, hi = limits.get(row["date_precision"], (0, 10_000))
        if not lo <= span <= hi:
            out.append(_p("incidents", row, "date_precision",
                          f"'{row['date_precision']}' does not fit a span of {span + 1} days"))
    return out


@rule
def admin_codes_exist(ctx: Context) -> list[Problem]:
    """District P-codes exist and lie in the stated governorate; the precision says which are given."""
    from . import geography

    districts = geography.admin2(ctx.reference_dir).set_index("adm2_pcode")["adm1_pcode"]
    out = []
    inc = ctx.tables["incidents"]
    for _, row in inc.iterrows():
        a2 = row["admin2_pcode"]
        if a2 and row["admin1_pcode"]:
            if a2 not in districts.index:
                out.append(_p("incidents", row, "admin2_pcode", f"'{a2}' is not a district P-code"))
            elif districts[a2] != row["admin1_pcode"]:
                out.append(_p("incidents", row, "admin2_pcode",
                              f"district {a2} lies in {districts[a2]}, not in {row['admin1_pcode']}"))
        if row["geo_precision"] == "admin1" and a2:
            out.append(_p("incidents", row, "admin2_pcode", "geo_precision 'admin1' must leave the district empty"))
        if row["geo_precision"] in ("point", "near", "admin2") and not a2:
            out.append(_p("incidents", row, "admin2_pcode",
                          f"geo_precision '{row['geo_precision']}' requires a district P-code"))
    return out


@rule
def coordinates_in_area(ctx: Context) -> list[Problem]:
    """Coordinates lie in Syria, in the stated governorate and district (2 km coastal tolerance)."""
    from . import geography

    inc = ctx.tables["incidents"]
    inc = inc[inc["latitude"].notna() & inc["longitude"].notna()]
    if inc.empty:
        return []
    where = geography.assign_admin(inc, max_distance_m=COORDINATE_TOLERANCE_M,
                                   reference_dir=ctx.reference_dir)
    districts = geography.admin2(ctx.reference_dir).set_index("adm2_pcode")["adm1_pcode"].to_dict()
    out = []
    for idx, row in inc.iterrows():
        got1, got2 = where.at[idx, "admin1_pcode"], where.at[idx, "admin2_pcode"]
        if not row["admin1_pcode"]:
            continue
        if pd.isna(got1):
            out.append(_p("incidents", row, "latitude",
                          f"{row['latitude']},{row['longitude']} is not in Syria (nor within 2 km of it)"))
        elif got1 != row["admin1_pcode"]:
            out.append(_p("incidents", row, "latitude",
                          f"{row['latitude']},{row['longitude']} lies in {got1}, not in {row['admin1_pcode']}"))
        elif (row["geo_precision"] in ("point", "near", "admin2")
              and districts.get(row["admin2_pcode"]) == row["admin1_pcode"] and got2 != row["admin2_pcode"]):
            out.append(_p("incidents", row, "latitude",
                          f"{row['latitude']},{row['longitude']} lies in district {got2}, not in {row['admin2_pcode']}"))
    return out


@rule
def event_types_consistent(ctx: Context) -> list[Problem]:
    """The ACLED sub-event type belongs to the event type."""
    out = []
    for _, row in ctx.tables["incidents"].iterrows():
        allowed = SUB_EVENT_TYPES.get(row["event_type"])
        if allowed is not None and row["sub_event_type"] not in allowed:
            out.append(_p("incidents", row, "sub_event_type",
                          f"'{row['sub_event_type']}' is not a sub-event type of '{row['event_type']}'"))
    return out


@rule
def estimates_ordered_and_split(ctx: Context) -> list[Problem]:
    """deaths_low <= deaths_best <= deaths_high, and the victim split adds up to deaths_best."""
    out = []
    split = ["deaths_civilians", "deaths_security_forces", "deaths_other_armed", "deaths_unknown_status"]
    for _, row in ctx.tables["incidents"].iterrows():
        low, best, high = row["deaths_low"], row["deaths_best"], row["deaths_high"]
        if pd.notna(low) and pd.notna(best) and low > best:
            out.append(_p("incidents", row, "deaths_low", f"deaths_low {low} is above deaths_best {best}"))
        if pd.notna(high) and pd.notna(best) and best > high:
            out.append(_p("incidents", row, "deaths_high", f"deaths_high {high} is below deaths_best {best}"))
        if pd.notna(low) and pd.notna(high) and pd.notna(best) and low > high and low <= best:
            out.append(_p("incidents", row, "deaths_low", f"deaths_low {low} is above deaths_high {high}"))
        parts = [row[c] for c in split]
        if pd.notna(best) and all(pd.notna(p) for p in parts) and sum(parts) != best:
            out.append(_p("incidents", row, "deaths_unknown_status",
                          f"the victim split adds up to {sum(parts)}, not to deaths_best {best}"))
    return out


@rule
def claims_support_incidents(ctx: Context) -> list[Problem]:
    """Every incident has a claim; scopes match record types; claims are internally consistent."""
    inc, cl = ctx.tables["incidents"], ctx.tables["claims"]
    out = []
    claimed = set(cl["incident_id"])
    record_type = inc.set_index("incident_id")["record_type"].to_dict()
    started = inc.set_index("incident_id")["date_start"].to_dict()
    for _, row in inc.iterrows():
        if row["incident_id"] not in claimed:
            out.append(_p("incidents", row, "incident_id", "no claim in claims.csv supports this incident"))
        if row["record_type"] == "remainder":
            if not row["episode_id"]:
                out.append(_p("incidents", row, "episode_id", "a remainder record must name its episode"))
            if row["geo_precision"] != "admin1":
                out.append(_p("incidents", row, "geo_precision", "a remainder record covers a governorate: use 'admin1'"))
    for _, row in cl.iterrows():
        rt = record_type.get(row["incident_id"])
        expected = {"incident": "incident", "remainder": "area_total"}.get(rt)
        if expected and row["claim_scope"] != expected:
            out.append(_p("claims", row, "claim_scope",
                          f"a claim about a {rt} record must have claim_scope '{expected}'"))
        parts = [row[f"killed_{c}"] for c in estimates.CATEGORIES]
        stated = sum(int(p) for p in parts if pd.notna(p))
        if pd.notna(row["killed_total"]) and stated > row["killed_total"]:
            out.append(_p("claims", row, "killed_total",
                          f"the categories add up to {stated}, more than killed_total {row['killed_total']}"))
        start = started.get(row["incident_id"])
        if pd.notna(row["published_at"]) and start is not None and pd.notna(start) and row["published_at"] < start:
            out.append(_p("claims", row, "published_at",
                          f"published {row['published_at'].date()}, before the incident began ({start.date()})"))
    return out


@rule
def estimates_reproducible(ctx: Context) -> list[Problem]:
    """Each incident's estimate columns equal what the estimation rule gives from its claims."""
    inc = ctx.tables["incidents"]
    derived = estimates.derive_estimates(inc, ctx.tables["claims"], ctx.tables["sources"])
    flagged = {p.line for p in estimates_ordered_and_split(ctx)}
    out = []
    for _, row in inc.iterrows():
        iid = row["incident_id"]
        if iid not in derived.index or row["_line"] in flagged:
            continue
        for col in estimates.ESTIMATE_COLUMNS:
            want, have = derived.at[iid, col], row[col]
            if pd.isna(have) or str(want).lower() != str(have).lower():
                out.append(_p("incidents", row, col, f"is {'empty' if pd.isna(have) else have}, but the claims give "
                                                     f"{str(want).lower() if isinstance(want, bool) else want} "
                                                     "(run `syria-incidents derive`)"))
    return out


def _norm_place(name: str) -> str:
    return gazetteer.normalise(re.sub(r"\(.*?\)", "", name))


@rule
def no_duplicate_incidents(ctx: Context) -> list[Problem]:
    """No two active incidents look like the same event, unless a curator linked them as distinct.

    Alike: overlapping dates and either the same place (normalised name, same governorate), or the
    same page and figure in their claims for the same district, event type and perpetrator.
    """
    inc = ctx.tables["incidents"]
    inc = inc[(inc["status"] == "active") & inc["date_start"].notna() & inc["date_end"].notna()]
    linked = set()
    for _, row in inc.iterrows():
        for other in filter(None, str(row["linked_incidents"]).split(";")):
            linked.add(frozenset((row["incident_id"], other)))
    cl = ctx.tables["claims"]
    claim_keys = cl.groupby("incident_id").apply(
        lambda g: {(u, int(k)) for u, k in zip(g["url"], g["killed_total"]) if pd.notna(k)},
        include_groups=False).to_dict()
    out = []
    rows = inc.to_dict("records")
    place = [_norm_place(r["location_name"]) for r in rows]
    for i, a in enumerate(rows):
        for j in range(i + 1, len(rows)):
            b = rows[j]
            if a["date_start"] > b["date_end"] or b["date_start"] > a["date_end"]:
                continue
            if a["record_type"] != b["record_type"] or frozenset((a["incident_id"], b["incident_id"])) in linked:
                continue
            same_place = place[i] == place[j] and a["admin1_pcode"] == b["admin1_pcode"]
            same_claim = (bool(claim_keys.get(a["incident_id"], set()) & claim_keys.get(b["incident_id"], set()))
                          and all(a[k] == b[k] for k in ("admin2_pcode", "event_type", "perpetrator")))
            if same_place or same_claim:
                why = "the same place" if same_place else "a claim with the same page and figure"
                first, later = (a, b) if a["_line"] < b["_line"] else (b, a)
                out.append(Problem("incidents.csv", int(later["_line"]), "incident_id",
                                   f"looks like {first['incident_id']} (overlapping dates, {why}); merge them, "
                                   "or list each in the other's linked_incidents if they are distinct"))
    return out


@rule
def linked_incidents_exist(ctx: Context) -> list[Problem]:
    inc = ctx.tables["incidents"]
    ids = set(inc["incident_id"])
    out = []
    for _, row in inc.iterrows():
        for other in filter(None, str(row["linked_incidents"]).split(";")):
            if other not in ids or other == row["incident_id"]:
                out.append(_p("incidents", row, "linked_incidents", f"'{other}' is not another incident"))
    return out


@rule
def incidents_within_episodes(ctx: Context) -> list[Problem]:
    """An incident's dates overlap its episode's dates, and its governorate is one of the episode's."""
    inc, ep = ctx.tables["incidents"], ctx.tables["episodes"].set_index("episode_id")
    out = []
    for _, row in inc[(inc["episode_id"] != "") & (inc["admin1_pcode"] != "")].iterrows():
        if row["episode_id"] not in ep.index or pd.isna(row["date_start"]) or pd.isna(row["date_end"]):
            continue
        e = ep.loc[row["episode_id"]]
        if row["date_end"] < e["date_start"] or row["date_start"] > e["date_end"]:
            out.append(_p("incidents", row, "episode_id",
                          f"dates lie outside episode {row['episode_id']} ({e['date_start'].date()} to {e['date_end'].date()})"))
        if row["admin1_pcode"] not in str(e["admin1_pcodes"]).split(";"):
            out.append(_p("incidents", row, "episode_id",
                          f"{row['admin1_pcode']} is not among the governorates of episode {row['episode_id']}"))
    return out


@rule
def tolls_consistent(ctx: Context) -> list[Problem]:
    """Monitor tolls are published after their period begins."""
    mt = ctx.tables["monitor_tolls"]
    out = []
    for _, row in mt.iterrows():
        if pd.notna(row["published_at"]) and pd.notna(row["period_start"]) and row["published_at"] < row["period_start"]:
            out.append(_p("monitor_tolls", row, "published_at",
                          f"published {row['published_at'].date()}, before the period begins"))
    return out


# ---------------------------------------------------------------------------------------------

def validate_data(data_dir: Path = DATA_DIR, today: dt.date | None = None) -> list[Problem]:
    """All problems with the tables in `data_dir`, sorted by file and line."""
    data_dir = Path(data_dir)
    today_ts = pd.Timestamp(today or dt.date.today())
    try:
        descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
        fields = {r["name"]: r["schema"]["fields"] for r in descriptor["resources"]}
    except (OSError, ValueError, KeyError) as err:
        return [Problem("datapackage.json", 1, "*", f"cannot read the Data Package: {err}")]
    problems: list[Problem] = []
    parsed: dict[str, ParsedCSV] = {}
    for name in TABLES:
        if name not in fields:
            problems.append(Problem("datapackage.json", 1, "*", f"resource '{name}' is not described"))
            continue
        result, found = read_csv_strictly(data_dir / f"{name}.csv")
        if result is not None:
            found += _check_header(f"{name}.csv", result, fields[name])
        problems += found
        if result is not None and not found:
            parsed[name] = result
    problems = [replace(p, origin="parse") for p in problems]
    schema_problems = [replace(p, origin="schema")
                       for p in _frictionless_problems(data_dir, descriptor, set(parsed))]
    problems += schema_problems
    if len(parsed) < len(TABLES):
        return sorted(set(problems))
    invalid = {(p.file, p.line, p.column) for p in schema_problems}
    typed = {}
    for name, p in parsed.items():
        frame = pd.DataFrame(p.rows, columns=p.header, dtype=str)
        frame["_line"] = p.lines
        for file, line, column in invalid:
            if file == f"{name}.csv" and column in frame:
                frame.loc[frame["_line"] == line, column] = ""
        typed[name] = cast(frame, fields[name])
    reference_dir = data_dir / "reference" if (data_dir / "reference").is_dir() else REFERENCE_DIR
    ctx = Context(reference_dir, typed, today_ts)
    for check in RULES.values():
        problems += [replace(p, origin=check.__name__) for p in check(ctx)
                     if (p.file, p.line, p.column) not in invalid]
    return sorted(set(problems))
