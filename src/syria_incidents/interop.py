"""Exports of the record to ACLED, UCDP GED, GeoJSON, GeoPackage and HXL; imports of ACLED and UCDP files.

The mapping of every column and code (ours ↔ ACLED ↔ UCDP), and what cannot be mapped, is `MAPPING`
below; the codebook renders it (`syria-incidents codebook`). Column lists follow the publishers'
codebooks (shared/design/interop.md); no row of ACLED's or UCDP's data is in this project.

* `export_record(tables, fmt, out)` writes the active record in one format.
* `import_events(kind, path, out)` turns an ACLED or UCDP GED export (Syria, from 8 December 2024) into a
  dataset in our schema that validates; rows it cannot map are returned with their line and the reason
  (never dropped silently), and written to `out/import-report.csv`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .load import Tables, load_tables
from .paths import DATA_DIR, REFERENCE_DIR

ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
                 "fatalities", "tags", "timestamp"]
UCDP_COLUMNS = ["id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
                "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
                "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
                "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
                "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
                "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start",
                "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
                "gwnoa", "gwnob"]

ACLED_INTER = {"State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4, "Rioters": 5,
               "Protesters": 6, "Civilians": 7, "External/Other forces": 8, "Unidentified": 3}
ACLED_INTER_TEXT = {v: k for k, v in ACLED_INTER.items() if k != "Unidentified"}
TIME_PRECISION = {"day": 1, "days": 2, "week": 2, "month": 3}
GEO_PRECISION = {"point": 1, "near": 2, "admin2": 2, "admin1": 3}
WHERE_PREC = {"point": 1, "near": 2, "admin2": 3, "admin1": 4}
DATE_PREC = {"day": 1, "days": 2, "week": 3, "month": 4}
SOURCE_SCALE = {"monitor": "National", "government": "National", "media_syrian": "National", "armed_group": "National",
                "rescue_service": "National", "media_regional": "Regional", "media_international": "International",
                "wire": "International", "un": "International", "foreign_government": "International",
                "encyclopedia": "Other", "other": "Other"}
STATE_GW = {"syrian_gov": 652, "gov_forces_and_affiliates": 652, "turkey": 640, "israel": 666, "jordan": 663,
            "us_coalition": 2}
UNIDENTIFIED_ACTOR = "Unidentified Armed Group (Syria)"
CIVILIANS_ACTOR = "Civilians (Syria)"

# Our columns and codes against ACLED's and UCDP's: the codebook's mapping table.
MAPPING = [
    ("incident_id", "event_id_cnty (SYR + our number)", "id (our number), relid (our id)", "exact both ways"),
    ("date_start", "event_date", "date_start", "ACLED has one date: a multi-day incident is exported at its first day"),
    ("date_end", "(none)", "date_end", "lost in ACLED"),
    ("date_precision day/days/week/month", "time_precision 1/2/2/3", "date_prec 1/2/3/4", "days and week are both ACLED's 2"),
    ("event_type, sub_event_type", "event_type, sub_event_type (verbatim)", "type_of_violence (1 state-based, 2 non-state, 3 one-sided)", "UCDP's type from the sides: a state on one side is 1, civilians attacked in violence against civilians is 3"),
    ("perpetrator", "actor1, inter1 (actors.acled_inter)", "side_a, gwnoa", "our categories, not ACLED's or UCDP's actor names"),
    ("attacked_side", "actor2, inter2", "side_b, gwnob", "civilians: 'Civilians (Syria)', inter 7"),
    ("civilian_targeting", "civilian_targeting", "(none)", ""),
    ("admin1_pcode, admin2_pcode", "admin1, admin2 (OCHA names)", "adm_1, adm_2 (OCHA names)", "P-codes kept only in our files; admin3 left empty"),
    ("location_name, latitude, longitude", "location, latitude, longitude", "where_coordinates, latitude, longitude, geom_wkt", ""),
    ("geo_precision point/near/admin2/admin1", "geo_precision 1/2/2/3", "where_prec 1/2/3/4", "near and admin2 are both ACLED's 2"),
    ("deaths_low", "fatalities", "low", "ACLED's conservative figure is our low"),
    ("deaths_best, deaths_high", "(none)", "best, high", "lost in ACLED"),
    ("deaths_civilians", "(none)", "deaths_civilians", ""),
    ("deaths_security_forces, deaths_other_armed", "(none)", "deaths_a, deaths_b (by the side they belong to)", "when neither side is the state, combatants go to deaths_unknown"),
    ("deaths_unknown_status", "(none)", "deaths_unknown", ""),
    ("claims (claimants, outlets, URLs, dates)", "source (claimants), source_scale", "source_original, source_office, source_article, source_date, number_of_sources", "URLs only in UCDP's export"),
    ("description", "notes", "where_description", ""),
    ("tags", "tags", "(none)", ""),
    ("record_type remainder", "(none)", "event_clarity 2 (1 for incidents)", "ACLED has no aggregate records"),
    ("episode_id", "(none)", "(none)", "not mapped"),
    ("(none)", "disorder_type, iso 760, region, country, timestamp", "code_status Clear, country_id 652, region, year, active_year", "constants or derived"),
    ("(none)", "assoc_actor_1, assoc_actor_2, admin3", "conflict_*, dyad_*, side_*_dset_id, priogrid_gid, source_headline", "left empty: no sourced equivalent"),
]


def _names(tables: Tables) -> tuple[dict, dict, pd.Series, pd.Series]:
    from .geography import admin2, governorate_names

    actors = tables.actors.set_index("actor_id")
    gov = governorate_names().to_dict()
    districts = admin2().set_index("adm2_pcode")["adm2_name_en"].to_dict()
    return gov, districts, actors["name"], actors["acled_inter"]


def _claims_by_incident(tables: Tables) -> pd.DataFrame:
    names = tables.sources.set_index("source_id")
    c = tables.claims[tables.claims["verification"] == "verified"].copy()
    c["claimant"] = c["source_id"].map(names["name"])
    c["outlet"] = c["published_by"].map(names["name"])
    c["scale"] = c["source_id"].map(names["source_type"]).map(SOURCE_SCALE)
    c["date"] = c["published_at"].dt.strftime("%Y-%m-%d")
    c = c.sort_values(["incident_id", "published_at", "claim_id"])
    g = c.groupby("incident_id")
    return pd.DataFrame({
        "claimants": g["claimant"].agg(lambda s: "; ".join(dict.fromkeys(s))),
        "outlets": g["outlet"].agg(lambda s: "; ".join(dict.fromkeys(s))),
        "scales": g["scale"].agg(lambda s: "-".join(sorted(set(s)))),
        "urls": g["url"].agg("; ".join), "dates": g["date"].agg("; ".join), "n": g.size(),
        "last": pd.concat([g["published_at"].max(), g["checked_on"].max()], axis=1).max(axis=1),
    })


def _number(incident_id: str) -> int:
    return int(incident_id.split("-")[1])


def acled_rows(tables: Tables) -> pd.DataFrame:
    inc = tables.active.sort_values("incident_id")
    gov, districts, actor_name, actor_inter = _names(tables)
    claims = _claims_by_incident(tables).reindex(inc["incident_id"])

    def actor(a: str) -> tuple[str, int]:
        if a == "unidentified":
            return UNIDENTIFIED_ACTOR, ACLED_INTER["Unidentified"]
        if a == "civilians":
            return CIVILIANS_ACTOR, 7
        return actor_name[a], ACLED_INTER[actor_inter[a]]

    a1 = [actor(a) for a in inc["perpetrator"]]
    a2 = [actor(a) for a in inc["attacked_side"]]
    disorder = np.where(inc["event_type"] != "Riots", "Political violence",
                        np.where(inc["sub_event_type"] == "Mob violence", "Political violence; Demonstrations", "Demonstrations"))
    out = pd.DataFrame({
        "event_id_cnty": ["SYR" + str(_number(i)) for i in inc["incident_id"]],
        "event_date": inc["date_start"].dt.strftime("%Y-%m-%d").to_numpy(),
        "year": inc["date_start"].dt.year.to_numpy(),
        "time_precision": inc["date_precision"].map(TIME_PRECISION).to_numpy(),
        "disorder_type": disorder, "event_type": inc["event_type"].to_numpy(),
        "sub_event_type": inc["sub_event_type"].to_numpy(),
        "actor1": [a[0] for a in a1], "assoc_actor_1": "", "inter1": [a[1] for a in a1],
        "actor2": [a[0] for a in a2], "assoc_actor_2": "", "inter2": [a[1] for a in a2],
        "interaction": [int(f"{min(x[1], y[1])}{max(x[1], y[1])}") for x, y in zip(a1, a2)],
        "civilian_targeting": np.where(inc["civilian_targeting"].astype(bool), "Civilian targeting", ""),
        "iso": 760, "region": "Middle East", "country": "Syria",
        "admin1": inc["admin1_pcode"].map(gov).to_numpy(), "admin2": inc["admin2_pcode"].map(districts).fillna("").to_numpy(),
        "admin3": "", "location": inc["location_name"].to_numpy(),
        "latitude": inc["latitude"].round(5).to_numpy(), "longitude": inc["longitude"].round(5).to_numpy(),
        "geo_precision": inc["geo_precision"].map(GEO_PRECISION).to_numpy(),
        "source": claims["claimants"].fillna("").to_numpy(), "source_scale": claims["scales"].fillna("").to_numpy(),
        "notes": inc["description"].to_numpy(), "fatalities": inc["deaths_low"].astype(int).to_numpy(),
        "tags": inc["tags"].str.replace(";", "; ").to_numpy(),
        "timestamp": (claims["last"].astype("int64") // 10**9).to_numpy(),
    })
    return out[ACLED_COLUMNS]


def _ucdp_type(perp: str, attacked: str, event_type: str) -> int:
    if attacked == "civilians" and event_type == "Violence against civilians":
        return 3
    return 1 if (perp in STATE_GW or attacked in STATE_GW) else 2


def ucdp_rows(tables: Tables) -> pd.DataFrame:
    inc = tables.active.sort_values("incident_id")
    gov, districts, actor_name, _ = _names(tables)
    claims = _claims_by_incident(tables).reindex(inc["incident_id"])
    rows = []
    for r, cl in zip(inc.itertuples(), claims.itertuples()):
        side_a = UNIDENTIFIED_ACTOR if r.perpetrator == "unidentified" else actor_name[r.perpetrator]
        side_b = ("Civilians" if r.attacked_side == "civilians" else UNIDENTIFIED_ACTOR
                  if r.attacked_side == "unidentified" else actor_name[r.attacked_side])
        sec, oth, unknown = int(r.deaths_security_forces), int(r.deaths_other_armed), int(r.deaths_unknown_status)
        if r.perpetrator in ("syrian_gov", "gov_forces_and_affiliates", "gov_aligned_groups"):
            deaths_a, deaths_b = sec, oth
        elif r.attacked_side in ("syrian_gov", "gov_forces_and_affiliates", "gov_aligned_groups"):
            deaths_a, deaths_b = oth, sec
        else:
            deaths_a, deaths_b, unknown = 0, 0, unknown + sec + oth
        rows.append({
            "id": _number(r.incident_id), "relid": r.incident_id, "year": r.date_start.year, "active_year": 1,
            "code_status": "Clear", "type_of_violence": _ucdp_type(r.perpetrator, r.attacked_side, r.event_type),
            "conflict_dset_id": "", "conflict_new_id": "", "conflict_name": "", "dyad_dset_id": "", "dyad_new_id": "",
            "dyad_name": f"{side_a} - {side_b}", "side_a_dset_id": "", "side_a_new_id": "", "side_a": side_a,
            "side_b_dset_id": "", "side_b_new_id": "", "side_b": side_b,
            "number_of_sources": int(cl.n) if pd.notna(cl.n) else 0, "source_article": cl.urls if isinstance(cl.urls, str) else "",
            "source_office": cl.outlets if isinstance(cl.outlets, str) else "",
            "source_date": cl.dates if isinstance(cl.dates, str) else "", "source_headline": "",
            "source_original": cl.claimants if isinstance(cl.claimants, str) else "",
            "where_prec": WHERE_PREC[r.geo_precision], "where_coordinates": r.location_name,
            "where_description": r.description, "adm_1": gov.get(r.admin1_pcode, ""),
            "adm_2": districts.get(r.admin2_pcode, "") if r.admin2_pcode else "",
            "latitude": round(float(r.latitude), 5), "longitude": round(float(r.longitude), 5),
            "geom_wkt": f"POINT ({round(float(r.longitude), 5)} {round(float(r.latitude), 5)})", "priogrid_gid": "",
            "country": "Syria", "country_id": 652, "region": "Middle East",
            "event_clarity": 2 if r.record_type == "remainder" else 1, "date_prec": DATE_PREC[r.date_precision],
            "date_start": r.date_start.strftime("%Y-%m-%d"), "date_end": r.date_end.strftime("%Y-%m-%d"),
            "deaths_a": deaths_a, "deaths_b": deaths_b, "deaths_civilians": int(r.deaths_civilians),
            "deaths_unknown": unknown, "best": int(r.deaths_best), "high": int(r.deaths_high), "low": int(r.deaths_low),
            "gwnoa": STATE_GW.get(r.perpetrator, ""), "gwnob": STATE_GW.get(r.attacked_side, ""),
        })
    return pd.DataFrame(rows, columns=UCDP_COLUMNS)


HXL_TAGS = {"incident_id": "#event+id", "date_start": "#date+start", "date_end": "#date+end",
            "admin1_pcode": "#adm1+code", "admin2_pcode": "#adm2+code", "location_name": "#loc+name",
            "latitude": "#geo+lat", "longitude": "#geo+lon", "event_type": "#event+type",
            "perpetrator": "#org+perpetrator", "deaths_low": "#affected+killed+min", "deaths_best": "#affected+killed",
            "deaths_high": "#affected+killed+max", "deaths_civilians": "#affected+killed+civilians",
            "description": "#description", "claim_id": "#meta+id", "source_id": "#meta+source", "url": "#meta+url",
            "published_at": "#date+reported", "killed_total": "#affected+killed", "injured": "#affected+injured",
            "episode_id": "#event+episode", "status": "#status", "record_type": "#event+record"}


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def _hxl(frame: pd.DataFrame, path: Path) -> Path:
    """A CSV with HXL hashtags as its second row (untagged columns get an empty tag)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(frame.columns)
        writer.writerow([HXL_TAGS.get(c, "") for c in frame.columns])
        for row in frame.astype(object).where(frame.notna(), "").itertuples(index=False):
            writer.writerow(row)
    return path


def _raw(tables_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(Path(tables_dir) / f"{name}.csv", dtype=str, keep_default_na=False)


def _geo(tables: Tables):
    import geopandas as gpd

    from .aggregate import by_governorate
    from .geography import admin1, admin2

    inc = tables.active.sort_values("incident_id").copy()
    for col in ("date_start", "date_end"):
        inc[col] = inc[col].dt.strftime("%Y-%m-%d")
    for col in inc.columns:
        if str(inc[col].dtype) in ("Int64", "boolean"):
            inc[col] = inc[col].astype(object).where(inc[col].notna(), None)
    points = gpd.GeoDataFrame(inc, geometry=gpd.points_from_xy(inc["longitude"], inc["latitude"]), crs="EPSG:4326")
    gov = by_governorate(tables.incidents).reset_index()
    govs = admin1()[["adm1_pcode", "geometry"]].merge(gov, left_on="adm1_pcode", right_on="admin1_pcode")
    active = tables.active
    dist = active[active["admin2_pcode"] != ""].groupby("admin2_pcode")[["deaths_low", "deaths_best", "deaths_high"]].sum()
    dists = admin2()[["adm2_pcode", "adm2_name_en", "adm1_pcode", "geometry"]].merge(
        dist.reset_index(), left_on="adm2_pcode", right_on="admin2_pcode", how="left").fillna(
        {"deaths_low": 0, "deaths_best": 0, "deaths_high": 0})
    for frame in (govs, dists):
        for col in ("deaths_low", "deaths_best", "deaths_high"):
            frame[col] = frame[col].astype("int64")
    return points, govs.drop(columns=["admin1_pcode"]), dists.drop(columns=["admin2_pcode"])


FORMATS = ("acled", "ucdp", "geojson", "gpkg", "hxl")


def export_record(tables: Tables, fmt: str, out: Path, data_dir: Path = DATA_DIR) -> list[Path]:
    """Write the active record in `fmt`; returns the files written."""
    out = Path(out)
    if fmt == "acled":
        return [_write_csv(acled_rows(tables), out / "syria-incidents-acled.csv")]
    if fmt == "ucdp":
        return [_write_csv(ucdp_rows(tables), out / "syria-incidents-ucdp-ged.csv")]
    if fmt == "hxl":
        written = []
        for name in ("incidents", "claims"):
            frame = _raw(data_dir, name)
            if name == "incidents":
                frame = frame[frame["status"] == "active"]
            written.append(_hxl(frame, out / f"syria-incidents-{name}-hxl.csv"))
        return written
    if fmt in ("geojson", "gpkg"):
        points, govs, dists = _geo(tables)
        out.mkdir(parents=True, exist_ok=True)
        if fmt == "geojson":
            paths = [out / "syria-incidents-points.geojson", out / "syria-incidents-governorates.geojson",
                     out / "syria-incidents-districts.geojson"]
            for frame, path in zip((points, govs, dists), paths):
                path.unlink(missing_ok=True)
                frame.to_file(path, driver="GeoJSON")
            return paths
        path = out / "syria-incidents.gpkg"
        path.unlink(missing_ok=True)
        for frame, layer in ((points, "incidents"), (govs, "governorates"), (dists, "districts")):
            frame.to_file(path, layer=layer, driver="GPKG")
        return [path]
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------------------------
# Imports

ACTOR_PATTERNS = [  # (regular expression on an ACLED or UCDP actor name, our actor id)
    (r"^civilians", "civilians"), (r"unidentified", "unidentified"),
    (r"asayish|internal security forces.*north and east", "asayish"),
    (r"syrian democratic forces|\bsdf\b|ypg|ypj", "sdf"),
    (r"islamic state|\bisis\b|\bis\b|daesh", "isis"), (r"israel", "israel"),
    (r"syrian national army|\bsna\b|turkish-backed", "sna"), (r"turkey|turkish", "turkey"), (r"united states|coalition|\busa\b", "us_coalition"),
    (r"jordan", "jordan"), (r"hezbollah|lebanon|lebanese", "lebanese_armed_groups"), (r"druze", "druze_armed_groups"),
    (r"bedouin|tribal|tribe", "bedouin_tribal_fighters"), (r"assad|former regime|loyalist", "assad_loyalists"),
    (r"government of syria|military forces of syria|police forces of syria|syrian transitional|government of syria \(2024",
     "syrian_gov"),
]


def map_actor(name: str, exact: dict[str, str] | None = None) -> str:
    """Our actor id for an ACLED or UCDP actor name: an exact name of ours (an export of this record),
    else the first pattern that fits, else other_armed_group."""
    text = str(name).strip().lower()
    if not text:
        return "unidentified"
    if exact and text in exact:
        return exact[text]
    for pattern, actor in ACTOR_PATTERNS:
        if re.search(pattern, text):
            return actor
    return "other_armed_group"


@dataclass
class Unmapped:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def _read_foreign(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["_line"] = np.arange(2, len(frame) + 2)
    return frame


def _base_dataset(out: Path, data_dir: Path = DATA_DIR) -> None:
    """The tables an imported dataset shares with ours: the Data Package, actors, number words, reference."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("datapackage.json", "actors.csv", "number_words.csv"):
        shutil.copyfile(Path(data_dir) / name, out / name)
    src = Path(data_dir) / "reference"
    if src.is_dir() and not (out / "reference").exists():
        shutil.copytree(src, out / "reference")


def _place(frame: pd.DataFrame, geo_precision: pd.Series) -> pd.DataFrame:
    from .gazetteer import lookup
    from .locate import locate

    where = locate(frame["latitude"].astype(float), frame["longitude"].astype(float), 2000.0, REFERENCE_DIR)
    out = pd.DataFrame({"admin1_pcode": where["admin1_pcode"].to_numpy(), "admin2_pcode": where["admin2_pcode"].to_numpy()})
    out["geo_precision"] = geo_precision.to_numpy()
    admin1_only = out["geo_precision"] == "admin1"
    out.loc[admin1_only, "admin2_pcode"] = ""
    del lookup
    return out


def import_events(kind: str, path: Path, out: Path, data_dir: Path = DATA_DIR,
                  checked_on: str | None = None) -> list[Unmapped]:
    """Write a dataset in our schema from an ACLED or UCDP GED export; return the rows not mapped."""
    from .curation import derive_tables

    if kind not in ("acled", "ucdp"):
        raise ValueError("import takes 'acled' or 'ucdp'")
    frame = _read_foreign(Path(path))
    expected = ACLED_COLUMNS if kind == "acled" else UCDP_COLUMNS
    missing = [c for c in ("event_id_cnty", "event_date", "event_type", "fatalities", "latitude", "longitude")
               if kind == "acled" and c not in frame] or [
        c for c in ("id", "date_start", "date_end", "best", "latitude", "longitude") if kind == "ucdp" and c not in frame]
    if missing:
        raise ValueError(f"{path}: not an {kind.upper()} export (missing columns: {', '.join(missing)}; expected {', '.join(expected[:6])} ...)")
    checked_on = checked_on or dt.date.today().isoformat()
    actors = pd.read_csv(Path(data_dir) / "actors.csv", dtype=str, keep_default_na=False)
    exact = {n.lower(): a for a, n in zip(actors["actor_id"], actors["name"])}
    exact.update({UNIDENTIFIED_ACTOR.lower(): "unidentified", CIVILIANS_ACTOR.lower(): "civilians", "civilians": "civilians"})

    def actor(series: pd.Series) -> pd.Series:
        return series.map(lambda v: map_actor(v, exact))
    problems: list[Unmapped] = []
    keep = np.ones(len(frame), dtype=bool)

    def drop(mask, reason):
        nonlocal keep
        mask = np.asarray(mask, dtype=bool) & keep
        problems.extend(Unmapped(int(line), reason) for line in frame.loc[mask, "_line"])
        keep &= ~mask

    if kind == "acled":
        drop(~frame["country"].isin(["Syria", ""]) if "country" in frame else np.zeros(len(frame), bool),
             "not in Syria")
        drop(~frame["event_type"].isin(["Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"]),
             "event type outside the record (no violent deaths: protests, strategic developments)")
        fatalities = pd.to_numeric(frame["fatalities"], errors="coerce")
        drop(fatalities.isna(), "fatalities is not a number")
        drop(fatalities.fillna(0) <= 0, "no deaths (the record holds deadly incidents only)")
        dates = pd.to_datetime(frame["event_date"], errors="coerce", format="mixed")
        start, end = dates, dates
        precision = frame.get("time_precision", pd.Series("1", index=frame.index)).map({"1": "day", "2": "week", "3": "month"})
        geo = frame.get("geo_precision", pd.Series("1", index=frame.index)).map({"1": "point", "2": "near", "3": "admin1"})
        figure = fatalities
        ids = frame["event_id_cnty"].str.extract(r"(\d+)$")[0]
        perp = actor(frame.get("actor1", pd.Series("", index=frame.index)))
        attacked = actor(frame.get("actor2", pd.Series("", index=frame.index)))
        notes = frame.get("notes", pd.Series("", index=frame.index))
        location = frame.get("location", pd.Series("", index=frame.index))
        event_type, sub_event = frame["event_type"], frame.get("sub_event_type", pd.Series("", index=frame.index))
        targeting = frame.get("civilian_targeting", pd.Series("", index=frame.index)).str.len() > 0
        tags = frame.get("tags", pd.Series("", index=frame.index)).str.replace("; ", ";")
        sources = {"main": ("acled", "ACLED (Armed Conflict Location & Event Data)", "https://acleddata.com")}
    else:
        drop(~frame.get("country", pd.Series("Syria", index=frame.index)).isin(["Syria", ""]), "not in Syria")
        best = pd.to_numeric(frame["best"], errors="coerce")
        drop(best.isna(), "best is not a number")
        drop(best.fillna(0) <= 0, "no deaths in the best estimate")
        start = pd.to_datetime(frame["date_start"].str[:10], errors="coerce")
        end = pd.to_datetime(frame["date_end"].str[:10], errors="coerce")
        precision = frame.get("date_prec", pd.Series("1", index=frame.index)).map(
            {"1": "day", "2": "days", "3": "week", "4": "month"})
        geo = frame.get("where_prec", pd.Series("1", index=frame.index)).map(
            {"1": "point", "2": "near", "3": "admin2", "4": "admin1"})
        figure = best
        ids = frame["id"].str.extract(r"(\d+)")[0]
        perp = actor(frame.get("side_a", pd.Series("", index=frame.index)))
        attacked = actor(frame.get("side_b", pd.Series("", index=frame.index)))
        violence = frame.get("type_of_violence", pd.Series("1", index=frame.index))
        event_type = violence.map({"1": "Battles", "2": "Battles", "3": "Violence against civilians"})
        sub_event = violence.map({"1": "Armed clash", "2": "Armed clash", "3": "Attack"})
        targeting = violence == "3"
        attacked = attacked.where(violence != "3", "civilians")
        notes = frame.get("where_description", pd.Series("", index=frame.index))
        location = frame.get("where_coordinates", pd.Series("", index=frame.index))
        tags = pd.Series("", index=frame.index)
        sources = {"low": ("ucdp_low", "UCDP GED (low estimate)", "https://ucdp.uu.se"),
                   "main": ("ucdp", "UCDP GED (best estimate)", "https://ucdp.uu.se"),
                   "high": ("ucdp_high", "UCDP GED (high estimate)", "https://ucdp.uu.se")}
    drop(start.isna() | end.isna(), "the date cannot be read")
    drop(start < pd.Timestamp("2024-12-08"), "before 8 December 2024, when the record begins")
    drop(precision.isna(), "unknown date precision")
    drop(geo.isna(), "unknown or unusable location precision (larger than a governorate)")
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    drop(lat.isna() | lon.isna(), "no coordinates")
    drop(ids.isna(), "no numeric event id")
    dup = ids.duplicated(keep="first") & ids.notna()
    drop(dup, "the same event id appears twice (a monadic export? the import takes dyadic rows)")
    places = _place(frame.assign(latitude=lat.fillna(0), longitude=lon.fillna(0)), geo.fillna("point"))
    drop(places["admin1_pcode"].to_numpy() == "", "the coordinates are not in Syria (nor within 2 km)")
    drop((places["admin2_pcode"].to_numpy() == "") & (places["geo_precision"].to_numpy() != "admin1"),
         "the coordinates fall in no district")
    sel = np.flatnonzero(keep)
    _base_dataset(Path(out), data_dir)
    incident_ids = [f"SYI-{int(i):05d}" if int(i) < 100000 else f"SYI-{int(i) % 100000:05d}" for i in ids.iloc[sel]]
    span = (end - start).dt.days.iloc[sel]
    prec = precision.iloc[sel].copy()
    prec[(span > 0) & (prec == "day")] = "days"
    prec[(span > 6) & prec.isin(["days", "week"])] = "month"
    inc = pd.DataFrame({
        "incident_id": incident_ids, "status": "active", "record_type": "incident",
        "date_start": start.iloc[sel].dt.strftime("%Y-%m-%d").to_numpy(), "date_end": end.iloc[sel].dt.strftime("%Y-%m-%d").to_numpy(),
        "date_precision": prec.to_numpy(), "admin1_pcode": places["admin1_pcode"].to_numpy()[sel],
        "admin2_pcode": places["admin2_pcode"].to_numpy()[sel],
        "location_name": [(x or "unnamed place") for x in location.iloc[sel]],
        "latitude": lat.iloc[sel].map("{:.5f}".format).to_numpy(), "longitude": lon.iloc[sel].map("{:.5f}".format).to_numpy(),
        "geo_precision": places["geo_precision"].to_numpy()[sel], "event_type": event_type.iloc[sel].to_numpy(),
        "sub_event_type": sub_event.iloc[sel].to_numpy(), "mechanism": "unknown", "perpetrator": perp.iloc[sel].to_numpy(),
        "attacked_side": attacked.iloc[sel].to_numpy(), "civilian_targeting": np.where(targeting.iloc[sel], "true", "false"),
        **{c: "0" for c in ("deaths_low", "deaths_best", "deaths_high", "deaths_civilians", "deaths_security_forces",
                             "deaths_other_armed", "deaths_unknown_status", "civilians_from_coding")},
        "split_basis": "unknown", "status_reason": "", "fatality_basis": "single_claimant", "n_claimants": "1",
        "partisan_only": "false", "episode_id": "", "tags": tags.iloc[sel].to_numpy(), "linked_incidents": "",
        "description": [(x or "Imported event without notes.") for x in notes.iloc[sel]],
    })
    inc["description"] = inc["description"].str.replace(r"[\x00-\x1f\x7f]", " ", regex=True).str.replace('"', "'")
    inc["location_name"] = inc["location_name"].str.replace('"', "'")
    known_tags = {"identity_based", "field_execution", "children", "women", "media_worker", "medical_worker",
                  "aid_worker", "place_of_worship", "in_custody", "erw", "car_bomb", "revenge_killing", "border"}
    inc["tags"] = [";".join(t for t in str(x).split(";") if t in known_tags) for x in inc["tags"]]
    claim_rows = []
    page = {"acled": "https://acleddata.com/data-export-tool/", "ucdp": "https://ucdp.uu.se/downloads/"}[kind]
    figures = {"main": figure}
    if kind == "ucdp":
        figures["low"] = pd.to_numeric(frame.get("low", frame["best"]), errors="coerce")
        figures["high"] = pd.to_numeric(frame.get("high", frame["best"]), errors="coerce")
    n = 0
    for j, row_index in enumerate(sel):
        for key, (sid, _, _) in sources.items():
            value = figures[key].iloc[row_index]
            if pd.isna(value):
                continue
            n += 1
            split = {"killed_civilians": "", "killed_security_forces": "", "killed_other_armed": ""}
            if kind == "ucdp" and key == "main":
                split = _ucdp_split(frame.iloc[row_index], perp.iloc[row_index], attacked.iloc[row_index])
            written = "; ".join([f"total: {int(value)}"] + [f"{k.removeprefix('killed_')}: {v}"
                                                            for k, v in split.items() if v != ""])
            claim_rows.append({
                "claim_id": f"SYC-{n:05d}", "incident_id": incident_ids[j], "source_id": sid, "published_by": sources["main"][0],
                "published_at": inc.at[j, "date_start"], "url": f"{page}#{kind}-{ids.iloc[row_index]}",
                "killed_total": str(int(value)),
                **split, "injured": "", "figure_as_written": written, "qualifier": "", "claim_scope": "incident",
                "provisional": "false", "unconfirmed": "false", "verification": "verified", "checked_on": checked_on,
                "partisan": "false", "used_as": "best",
                "note": f"{kind.upper()} event {ids.iloc[row_index]} ({key} figure), line {frame['_line'].iloc[row_index]} of the imported file"})
    claims = pd.DataFrame(claim_rows)
    sources_frame = pd.DataFrame([{"source_id": sid, "name": name, "source_type": "monitor", "url": url, "speaks_for": "",
                                   "note": f"imported {kind.upper()} file"} for sid, name, url in sources.values()])
    episodes = pd.DataFrame(columns=["episode_id", "name", "date_start", "date_end", "admin1_pcodes", "summary", "url"])
    package = json.loads((Path(data_dir) / "datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}
    tolls = pd.DataFrame(columns=fields["monitor_tolls"])
    for name, table in (("incidents", inc), ("claims", claims), ("sources", sources_frame), ("episodes", episodes),
                        ("monitor_tolls", tolls)):
        table = table.reindex(columns=fields[name]).fillna("")
        table.to_csv(Path(out) / f"{name}.csv", index=False, lineterminator="\n")
    _link_publishers_distinct_events(Path(out))
    derive_tables(Path(out))
    report = pd.DataFrame([{"line": p.line, "reason": p.reason} for p in sorted(problems, key=lambda p: p.line)],
                          columns=["line", "reason"])
    report.to_csv(Path(out) / "import-report.csv", index=False, lineterminator="\n")
    return sorted(problems, key=lambda p: p.line)


GOVERNMENT_SIDE = ("syrian_gov", "gov_forces_and_affiliates", "gov_aligned_groups")


def _ucdp_split(row: pd.Series, perp: str, attacked: str) -> dict[str, str]:
    """UCDP's deaths by side, as our victim categories (the inverse of the export's mapping)."""
    def count(col: str) -> int:
        value = pd.to_numeric(row.get(col, ""), errors="coerce")
        return 0 if pd.isna(value) else int(value)

    civ, a, b = count("deaths_civilians"), count("deaths_a"), count("deaths_b")
    if perp in GOVERNMENT_SIDE:
        sec, oth = a, b
    elif attacked in GOVERNMENT_SIDE:
        sec, oth = b, a
    else:
        sec, oth = 0, a + b
    return {"killed_civilians": str(civ) if civ else "", "killed_security_forces": str(sec) if sec else "",
            "killed_other_armed": str(oth) if oth else ""}


def _link_publishers_distinct_events(out: Path) -> None:
    """Events at the same place on overlapping days are distinct events for their publisher (each has its
    own id): record that, as a curator would, in linked_incidents, so that the duplicate check accepts them."""
    from .validate import duplicate_candidates

    tables = load_tables(out)
    inc = tables.incidents.assign(_line=np.arange(2, len(tables.incidents) + 2))
    pairs = duplicate_candidates(inc, tables.claims)
    pairs = pairs[(pairs["date_start_a"] <= pairs["date_end_b"]) & (pairs["date_start_b"] <= pairs["date_end_a"])]
    links: dict[str, set[str]] = {}
    for a, b in zip(pairs["incident_id_a"], pairs["incident_id_b"]):
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    raw = pd.read_csv(out / "incidents.csv", dtype=str, keep_default_na=False)
    raw["linked_incidents"] = [";".join(sorted(links.get(i, ()))) for i in raw["incident_id"]]
    raw.to_csv(out / "incidents.csv", index=False, lineterminator="\n")


def mapping_table() -> str:
    """The codebook's mapping table (Markdown)."""
    lines = ["| ours | ACLED | UCDP GED | note |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in MAPPING]
    return "\n".join(lines)


def export_all(out: Path, data_dir: Path = DATA_DIR) -> list[Path]:
    tables = load_tables(data_dir)
    written = []
    for fmt in FORMATS:
        written += export_record(tables, fmt, out, data_dir)
    return written
