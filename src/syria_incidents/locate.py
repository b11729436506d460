"""Which district (and so which governorate) a point lies in, fast: shapely only, no geopandas.

The validator checks every incident's coordinates on each run, so this module avoids geopandas and
pyproj: it reads the OCHA district polygons once, projects them to a local metric plane (an
equirectangular projection at 35°N, accurate to a few per cent at Syria's latitudes, ample for the
2 km coastal tolerance) and answers with an STR-tree. Districts nest in governorates, so the
district's governorate is the point's governorate.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from .paths import REFERENCE_DIR

_KX = 111_320.0 * math.cos(math.radians(35.0))  # metres per degree of longitude near 35°N
_KY = 110_574.0                                  # metres per degree of latitude


@lru_cache(maxsize=4)
def _districts(path: str) -> tuple[shapely.STRtree, np.ndarray, np.ndarray]:
    """The districts' polygons in the metric plane, with their P-codes. GEOS parses the whole
    FeatureCollection at once (features keep their order); the P-codes are read from the same text."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    geoms = shapely.get_parts(shapely.from_geojson(text))
    adm2 = np.array(re.findall(r'"adm2_pcode"\s*:\s*"([^"]+)"', text), dtype=object)
    adm1 = np.array(re.findall(r'"adm1_pcode"\s*:\s*"([^"]+)"', text), dtype=object)
    if not (len(geoms) == len(adm2) == len(adm1)):  # an unusual file: read it the slow, sure way
        features = json.loads(text)["features"]
        geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in features], dtype=object)
        adm2 = np.array([f["properties"]["adm2_pcode"] for f in features], dtype=object)
        adm1 = np.array([f["properties"]["adm1_pcode"] for f in features], dtype=object)
    metric = shapely.transform(geoms, lambda xy: xy * np.array([_KX, _KY]))
    return shapely.STRtree(metric), adm2, adm1


def locate(latitude, longitude, max_distance_m: float = 2000.0,
           reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """admin1_pcode, admin2_pcode and distance_m (0 inside) for each point; empty strings where no
    district lies within `max_distance_m`. Inputs are array-likes of equal length (NaN allowed)."""
    lat = np.asarray(latitude, dtype=float)
    lon = np.asarray(longitude, dtype=float)
    finite = np.isfinite(lat) & np.isfinite(lon)
    pairs, inverse = np.unique(np.column_stack([lat[finite], lon[finite]]), axis=0, return_inverse=True)
    if len(pairs) < finite.sum():  # rows that share a point: locate each distinct point once
        distinct = locate(pairs[:, 0], pairs[:, 1], max_distance_m, reference_dir)
        out = pd.DataFrame({"admin1_pcode": np.full(len(lat), "", dtype=object),
                            "admin2_pcode": np.full(len(lat), "", dtype=object),
                            "distance_m": np.full(len(lat), np.nan)})
        rows = np.flatnonzero(finite)
        for col in out.columns:
            out.loc[rows, col] = distinct[col].to_numpy()[inverse.ravel()]
        return out
    tree, adm2, adm1 = _districts(str(Path(reference_dir) / "syria_adm2.geojson"))
    out_adm2 = np.full(len(lat), "", dtype=object)
    distance = np.full(len(lat), np.nan)
    ok = np.isfinite(lat) & np.isfinite(lon)
    idx = np.flatnonzero(ok)
    if len(idx):
        pts = shapely.points(lon[idx] * _KX, lat[idx] * _KY)
        pairs = tree.query(pts, predicate="within")
        seen = np.zeros(len(idx), dtype=bool)
        for p, g in zip(*pairs):
            if not seen[p]:
                out_adm2[idx[p]], distance[idx[p]], seen[p] = adm2[g], 0.0, True
        rest = np.flatnonzero(~seen)
        if len(rest):
            near, dist = tree.query_nearest(pts[rest], max_distance=max_distance_m, return_distance=True)
            for (p, g), d in zip(near.T, dist):
                if out_adm2[idx[rest[p]]] == "":
                    out_adm2[idx[rest[p]]], distance[idx[rest[p]]] = adm2[g], d
    lookup = dict(zip(adm2, adm1))
    out_adm1 = np.array([lookup.get(a, "") for a in out_adm2], dtype=object)
    return pd.DataFrame({"admin1_pcode": out_adm1, "admin2_pcode": out_adm2, "distance_m": distance})
