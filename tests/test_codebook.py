"""The codebook (data/README.md) documents every table, column, vocabulary value and rule."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from syria_incidents.codebook import generated_section, render_fields
from syria_incidents.load import read_datapackage
from syria_incidents.paths import DATA_DIR
from syria_incidents.validate import RULES

CODEBOOK = (DATA_DIR / "README.md").read_text(encoding="utf-8")


def test_field_tables_are_generated_from_the_datapackage() -> None:
    assert generated_section() == render_fields(), "run `syria-incidents codebook`"


def test_every_column_of_every_table_is_documented() -> None:
    section = generated_section()
    for res in read_datapackage()["resources"]:
        header = pd.read_csv(DATA_DIR / res["path"], nrows=0).columns.tolist()
        assert header == [f["name"] for f in res["schema"]["fields"]], res["path"]
        table = section.split(f"### `{res['path']}`", 1)[1].split("### ", 1)[0]
        for column in header:
            assert f"| `{column}` |" in table, f"{res['path']}:{column} is not in the codebook"


def test_every_vocabulary_value_is_defined_in_prose() -> None:
    prose = CODEBOOK.split("## Fields", 1)[0]
    for res in read_datapackage()["resources"]:
        for field in res["schema"]["fields"]:
            for value in field.get("constraints", {}).get("enum", []):
                assert f"`{value}`" in prose, f"{res['name']}.{field['name']}: '{value}' is not defined"
    tags = next(f for r in read_datapackage()["resources"] for f in r["schema"]["fields"] if f["name"] == "tags")
    for tag in re.findall(r"[a-z_]+", tags["constraints"]["pattern"].split(")")[0]):
        assert f"`{tag}`" in prose, f"tag {tag} is not defined"
    for actor in pd.read_csv(DATA_DIR / "actors.csv")["actor_id"]:
        assert f"`{actor}`" in prose, f"actor {actor} is not listed"


def test_every_validation_rule_is_in_the_codebook() -> None:
    for name in RULES:
        assert f"`{name}`" in CODEBOOK, f"rule {name} is not documented"


def test_reference_files_have_provenance() -> None:
    provenance = (DATA_DIR / "reference" / "PROVENANCE.md").read_text(encoding="utf-8")
    for path in (DATA_DIR / "reference").glob("*.*"):
        if path.suffix in (".csv", ".geojson"):
            assert path.name in provenance, f"{path.name} has no provenance"


def test_interop_mapping_is_generated_from_the_code() -> None:
    from syria_incidents.codebook import generated_mapping
    from syria_incidents.interop import mapping_table

    assert generated_mapping() == mapping_table() + "\n", "run `syria-incidents codebook`"
