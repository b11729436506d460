"""Reference geography: boundaries, population, and assigning points to governorates and districts.

The OCHA coastline runs a few hundred metres inland of coastal towns such as Jableh and Baniyas, so a
strict point-in-polygon join loses them. `assign_admin()` joins with `within` first and gives the
points still unmatched the nearest polygon within `max_distance_m` (2 km by default), measured in
UTM zone 37N (EPSG:32637).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .paths import REFERENCE_DIR

METRIC_CRS = "EPSG:32637"
COASTAL_FALLBACK_M = 2000.0
POPULATION_COLUMN = "pop_2016_est"

BOUNDARY_ATTRIBUTION = ("Boundaries: UN OCHA COD-AB Syria (CC BY 3.0 IGO); the boundaries and names shown "
                        "do not imply endorsement by the United Nations.")
POPULATION_BIAS = ("Displacement and return since 2016 have moved people between governorates, so these rates "
                   "are indicative: too high where people have since arrived, too low where they left.")
POPULATION_ATTRIBUTION = ("Population: U.S. Census Bureau estimates for 2016 via OpenSyria (CC BY 4.0); "
                          "no later sub-national estimate is available.")


@lru_cache(maxsize=8)
def _read(path: str) -> gpd.GeoDataFrame:
    return gpd.read_file(path)


def admin1(reference_dir: Path = REFERENCE_DIR) -> gpd.GeoDataFrame:
    """The 14 governorates (OCHA COD-AB 2020) with P-codes and English and Arabic names."""
    return _read(str(Path(reference_dir) / "syria_adm1.geojson")).copy()


def admin2(reference_dir: Path = REFERENCE_DIR) -> gpd.GeoDataFrame:
    """The 61 districts (OCHA COD-AB 2015, harmonised to the 2020 governorates)."""
    return _read(str(Path(reference_dir) / "syria_adm2.geojson")).copy()


# Outlines for drawing only: simplified as one coverage (shared borders stay shared, no gaps or slivers)
# to about 200 m, finer than a line on any chart we draw, with a sixth of the vertices. Joins, exports
# and point assignment use the full boundaries above.
DRAWING_TOLERANCE_DEG = 0.002


@lru_cache(maxsize=8)
def _drawn(path: str) -> gpd.GeoDataFrame:
    import shapely

    frame = _read(path).copy()
    frame["geometry"] = shapely.coverage_simplify(frame.geometry.values, DRAWING_TOLERANCE_DEG)
    return frame


def admin1_outlines(reference_dir: Path = REFERENCE_DIR) -> gpd.GeoDataFrame:
    """`admin1()` with outlines simplified for drawing (`DRAWING_TOLERANCE_DEG`); not for joins."""
    return _drawn(str(Path(reference_dir) / "syria_adm1.geojson")).copy()


def admin2_outlines(reference_dir: Path = REFERENCE_DIR) -> gpd.GeoDataFrame:
    """`admin2()` with outlines simplified for drawing (`DRAWING_TOLERANCE_DEG`); not for joins."""
    return _drawn(str(Path(reference_dir) / "syria_adm2.geojson")).copy()


def population(reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """Population by governorate (U.S. Census Bureau estimates; the latest year is 2016)."""
    return pd.read_csv(Path(reference_dir) / "syria_population.csv", dtype={"adm1_pcode": str})


def governorate_names(reference_dir: Path = REFERENCE_DIR) -> pd.Series:
    """Short English governorate names (the spelling media use), indexed by P-code."""
    names = pd.read_csv(Path(reference_dir) / "syria_adm1_names.csv", dtype=str)
    return names.set_index("adm1_pcode")["adm1_name_common_en"].sort_index()


def points(frame: pd.DataFrame, lat: str = "latitude", lon: str = "longitude") -> gpd.GeoDataFrame:
    """A GeoDataFrame of the rows of `frame` as WGS84 points (rows without coordinates dropped)."""
    ok = frame[lat].notna() & frame[lon].notna()
    sub = frame[ok]
    return gpd.GeoDataFrame(sub, geometry=gpd.points_from_xy(sub[lon], sub[lat]), crs="EPSG:4326")


def _assign(pts: gpd.GeoDataFrame, polys: gpd.GeoDataFrame, code: str, max_distance_m: float) -> pd.DataFrame:
    polys = polys[[code, "geometry"]]
    inside = gpd.sjoin(pts[["geometry"]], polys, how="left", predicate="within")
    inside = inside[~inside.index.duplicated(keep="first")]
    result = pd.DataFrame({code: inside[code], "distance_m": 0.0}, index=pts.index)
    missing = result[code].isna()
    if missing.any():
        near = gpd.sjoin_nearest(pts.loc[missing, ["geometry"]].to_crs(METRIC_CRS), polys.to_crs(METRIC_CRS),
                                 how="left", max_distance=max_distance_m, distance_col="distance_m")
        near = near[~near.index.duplicated(keep="first")]
        result.loc[near.index, code] = near[code]
        result.loc[near.index, "distance_m"] = near["distance_m"]
    result.loc[result[code].isna(), "distance_m"] = float("nan")
    return result


def assign_admin(frame: pd.DataFrame, lat: str = "latitude", lon: str = "longitude",
                 max_distance_m: float = COASTAL_FALLBACK_M,
                 reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """The governorate and district each point lies in, with the coastal fallback.

    Returns a frame on `frame`'s index with `admin1_pcode`, `admin2_pcode` (empty where no polygon
    lies within `max_distance_m`) and `admin1_distance_m`, `admin2_distance_m` (0 for points inside).
    """
    pts = points(frame, lat, lon)
    out = pd.DataFrame(index=frame.index)
    a1 = _assign(pts, admin1(reference_dir), "adm1_pcode", max_distance_m)
    a2 = _assign(pts, admin2(reference_dir), "adm2_pcode", max_distance_m)
    out["admin1_pcode"] = a1["adm1_pcode"].reindex(frame.index)
    out["admin1_distance_m"] = a1["distance_m"].reindex(frame.index)
    out["admin2_pcode"] = a2["adm2_pcode"].reindex(frame.index)
    out["admin2_distance_m"] = a2["distance_m"].reindex(frame.index)
    return out
