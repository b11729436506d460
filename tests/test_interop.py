"""Exports (ACLED, UCDP GED, GeoJSON, GeoPackage, HXL) and imports (ACLED, UCDP), on fixtures written by
hand from the publishers' codebooks (tests/fixtures/foreign/), never copied from their data."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES
from syria_incidents.interop import ACLED_COLUMNS, UCDP_COLUMNS, export_record, import_events
from syria_incidents.load import load_tables
from syria_incidents.validate import validate_data

FOREIGN = FIXTURES / "foreign"
DAY = "2026-11-20"


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_acled_import_maps_rows_and_reports_the_rest_by_line(tmp_path: Path) -> None:
    out = tmp_path / "acled"
    unmapped = import_events("acled", FOREIGN / "acled-sample.csv", out, checked_on=DAY)
    assert [(u.line, u.reason) for u in unmapped] == [
        (5, "event type outside the record (no violent deaths: protests, strategic developments)"),
        (7, "the same event id appears twice (a monadic export? the import takes dyadic rows)"),
        (8, "before 8 December 2024, when the record begins"),
        (9, "the coordinates are not in Syria (nor within 2 km)")]
    assert read(out / "import-report.csv")["line"].tolist() == ["5", "7", "8", "9"]
    assert validate_data(out, today=pd.Timestamp(DAY).date()) == []
    inc = read(out / "incidents.csv").set_index("incident_id")
    assert list(inc.index) == ["SYI-90001", "SYI-90002", "SYI-90003", "SYI-90005"]
    assert inc.loc["SYI-90001", ["admin1_pcode", "admin2_pcode", "perpetrator", "attacked_side", "deaths_best"]].tolist() == \
        ["SY10", "SY1002", "unidentified", "civilians", "5"]
    assert inc.loc["SYI-90002", ["perpetrator", "attacked_side"]].tolist() == ["syrian_gov", "assad_loyalists"]
    assert inc.loc["SYI-90003", ["date_precision", "geo_precision"]].tolist() == ["week", "near"]
    assert inc.loc["SYI-90005", ["perpetrator", "attacked_side"]].tolist() == ["sdf", "isis"]


def test_ucdp_import_keeps_low_best_high_and_the_victims(tmp_path: Path) -> None:
    out = tmp_path / "ucdp"
    unmapped = import_events("ucdp", FOREIGN / "ucdp-sample.csv", out, checked_on=DAY)
    assert [(u.line, u.reason) for u in unmapped] == [(5, "no deaths in the best estimate"),
                                                      (6, "before 8 December 2024, when the record begins")]
    assert validate_data(out, today=pd.Timestamp(DAY).date()) == []
    inc = read(out / "incidents.csv").set_index("incident_id")
    assert inc.loc["SYI-80001", ["deaths_low", "deaths_best", "deaths_high", "deaths_civilians"]].tolist() == ["15", "20", "30", "20"]
    assert inc.loc["SYI-80002", ["deaths_security_forces", "deaths_other_armed"]].tolist() == ["6", "8"]
    assert inc.loc["SYI-80003", ["geo_precision", "admin2_pcode"]].tolist() == ["admin2", "SY1101"]


@pytest.mark.parametrize("kind,fixture,name", [("acled", "acled-sample.csv", "syria-incidents-acled.csv"),
                                               ("ucdp", "ucdp-sample.csv", "syria-incidents-ucdp-ged.csv")])
def test_export_import_export_gives_the_same_rows(tmp_path: Path, kind: str, fixture: str, name: str) -> None:
    first_data = tmp_path / "d1"
    import_events(kind, FOREIGN / fixture, first_data, checked_on=DAY)
    first = export_record(load_tables(first_data), kind, tmp_path / "e1", first_data)[0]
    second_data = tmp_path / "d2"
    assert import_events(kind, first, second_data, checked_on=DAY) == []
    second = export_record(load_tables(second_data), kind, tmp_path / "e2", second_data)[0]
    assert first.read_bytes() == second.read_bytes()
    assert list(read(first).columns) == (ACLED_COLUMNS if kind == "acled" else UCDP_COLUMNS)


def test_exporting_the_fixture_record(valid_data: Path, tmp_path: Path) -> None:
    import geopandas as gpd

    tables = load_tables(valid_data)
    acled = read(export_record(tables, "acled", tmp_path, valid_data)[0]).set_index("event_id_cnty")
    assert len(acled) == 7
    assert acled.loc["SYR1", ["fatalities", "time_precision", "inter1", "inter2", "interaction"]].tolist() == ["14", "1", "2", "1", "12"]
    assert acled.loc["SYR2", "civilian_targeting"] == "Civilian targeting"
    ucdp = read(export_record(tables, "ucdp", tmp_path, valid_data)[0]).set_index("relid")
    assert ucdp.loc["SYI-00003", "event_clarity"] == "2"  # a remainder is an aggregate record
    assert ucdp.loc["SYI-00001", ["low", "best", "high", "deaths_a", "deaths_b"]].tolist() == ["14", "16", "16", "0", "16"]
    assert ucdp.loc["SYI-00002", "type_of_violence"] == "3"
    for path in export_record(tables, "geojson", tmp_path, valid_data) + export_record(tables, "gpkg", tmp_path, valid_data):
        layers = [None] if path.suffix == ".geojson" else ["incidents", "governorates", "districts"]
        for layer in layers:
            frame = gpd.read_file(path, layer=layer) if layer else gpd.read_file(path)
            assert frame.crs.to_epsg() == 4326
            expected = {"incidents": 7, "governorates": 14, "districts": 61}.get(layer or path.stem.split("-")[-1],
                                                                              {"points": 7, "governorates": 14, "districts": 61}.get(path.stem.split("-")[-1]))
            assert len(frame) == expected, (path.name, layer)
    hxl = export_record(tables, "hxl", tmp_path, valid_data)[0]
    with open(hxl, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][0] == "#event+id" and len(rows) == 2 + 7


def test_refresh_runs_the_notebooks_on_an_imported_dataset(tmp_path: Path) -> None:
    import io

    from syria_incidents import runner

    data = tmp_path / "acled"
    import_events("acled", FOREIGN / "acled-sample.csv", data, checked_on=DAY)
    out = tmp_path / "out"
    log = io.StringIO()
    code = runner.refresh(data_dir=data, output_notebooks_dir=out / "notebooks", figures_dir=out / "figures",
                          tables_dir=out / "tables", site_dir=out / "site", root=out, workers=2, out=log)
    assert code == 0, log.getvalue()
    assert "04-coastal-violence-march-2025: not run on this dataset" in log.getvalue()
    assert (out / "site" / "01-chart-casualties-over-time.html").exists()
    assert (out / "figures" / "01-weekly-deaths.png").exists()
    assert (out / "tables" / "deaths-by-week.csv").exists()
