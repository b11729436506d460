"""Assigning points to governorates and districts, and the gazetteer behind `syria-incidents place`."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from syria_incidents import gazetteer, geography


@pytest.mark.parametrize("lat,lon,admin1,admin2,inside", [
    (33.067, 36.18, "SY12", "SY1202", True),     # al-Sanamayn
    (32.709, 36.566, "SY13", "SY1300", True),    # Sweida city
    (33.486, 36.347, "SY03", "SY0301", True),    # Jaramana
    (36.528, 37.955, "SY02", "SY0205", True),    # Manbij
    (35.361, 35.925, "SY06", "SY0602", False),   # Jableh: just off the OCHA coastline
    (35.182, 35.940, "SY10", "SY1002", False),   # Baniyas: just off the OCHA coastline
])
def test_assign_admin_with_coastal_fallback(lat, lon, admin1, admin2, inside) -> None:
    got = geography.assign_admin(pd.DataFrame({"latitude": [lat], "longitude": [lon]})).iloc[0]
    assert (got["admin1_pcode"], got["admin2_pcode"]) == (admin1, admin2)
    assert bool(got["admin1_distance_m"] == 0) == inside
    assert got["admin1_distance_m"] < 2000


def test_points_far_outside_syria_are_not_assigned() -> None:
    got = geography.assign_admin(pd.DataFrame({"latitude": [31.95], "longitude": [35.93]})).iloc[0]  # Amman
    assert pd.isna(got["admin1_pcode"]) and pd.isna(got["admin2_pcode"])


def test_reference_tables_are_complete() -> None:
    assert len(geography.admin1()) == 14
    assert len(geography.admin2()) == 61
    assert set(geography.population()["adm1_pcode"]) == set(geography.admin1()["adm1_pcode"])
    assert geography.governorate_names()["SY13"] == "Suwayda"


@pytest.mark.parametrize("a,b", [("Jableh", "Jablah"), ("Baniyas", "Banyas"), ("al-Sanamayn", "As-Sanamayn"),
                                 ("Sanamein", "Sanamayn"), ("Deir ez-Zor", "Deir-ez-Zor")])
def test_transliterations_share_a_skeleton(a, b) -> None:
    assert gazetteer.skeleton(a) == gazetteer.skeleton(b)


@pytest.mark.parametrize("name,pcode", [("Jableh", "SY0602"), ("جبلة", "SY0602"), ("Baniyas", "SY1002"),
                                        ("al-Sanamayn", "SY1202"), ("Sahnaya", "SY0309"), ("Manbij", "SY0205")])
def test_lookup_finds_the_town_and_its_district(name, pcode) -> None:
    best = gazetteer.lookup(name)[0]
    assert best.entry.admin2_pcode == pcode
    assert best.score >= 0.9


@pytest.mark.parametrize("name,pcode", [("Sweida", "SY13"), ("Suwayda", "SY13"), ("السويداء", "SY13"),
                                        ("Latakia", "SY06"), ("Rif Dimashq", "SY03"), ("Deraa", "SY12"),
                                        ("Hasakah", "SY08"), ("Idlib", "SY07")])
def test_governorate_aliases_resolve_to_pcodes(name, pcode) -> None:
    assert gazetteer.admin1_pcode_for(name) == pcode


def test_unknown_name_gives_no_candidates() -> None:
    assert gazetteer.lookup("Xyzzyqwv") == []


def test_place_command_prints_candidates() -> None:
    result = subprocess.run([sys.executable, "-m", "syria_incidents", "place", "Jableh", "--limit", "3"],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "SY0602" in result.stdout and "35.36" in result.stdout
    missing = subprocess.run([sys.executable, "-m", "syria_incidents", "place", "Xyzzyqwv"],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and missing.stdout == ""
    assert "no place in the Syrian gazetteer matches 'Xyzzyqwv'" in missing.stderr


def test_drawing_outlines_stay_within_tolerance_and_share_their_borders() -> None:
    """The simplified outlines used for drawing keep every P-code, stay within the tolerance of the full
    boundaries, carry far fewer vertices, and still tile the country without gaps or overlaps."""
    import shapely

    for full, drawn in ((geography.admin1(), geography.admin1_outlines()),
                        (geography.admin2(), geography.admin2_outlines())):
        code = "adm1_pcode" if "adm2_pcode" not in full else "adm2_pcode"
        assert list(drawn[code]) == list(full[code])
        distance = shapely.hausdorff_distance(full.geometry.values, drawn.geometry.values)
        assert (distance <= 2 * geography.DRAWING_TOLERANCE_DEG).all()
        assert shapely.get_num_coordinates(drawn.geometry.values).sum() < 0.5 * shapely.get_num_coordinates(full.geometry.values).sum()
        union_full = shapely.union_all(full.geometry.values)
        pieces = drawn.geometry.values
        assert abs(shapely.union_all(pieces).area - union_full.area) < 0.005 * union_full.area  # no gaps
        assert abs(sum(p.area for p in pieces) - shapely.union_all(pieces).area) < 1e-6  # no overlaps
