"""Render the field tables of the codebook (data/README.md) from datapackage.json.

datapackage.json is the one source of truth for fields, types and constraints; the codebook's
"Fields" section is generated from it between two markers, so the two cannot drift
(`syria-incidents codebook` rewrites it; a test checks it is current).
"""

from __future__ import annotations

from pathlib import Path

from .load import read_datapackage
from .paths import DATA_DIR

START = "<!-- fields:start (generated from datapackage.json by `syria-incidents codebook`) -->"
END = "<!-- fields:end -->"


def _constraint_text(field: dict, foreign: dict[str, str]) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    if "maximum" in c:
        parts.append(f"≤ {c['maximum']:,}")
    if "pattern" in c and field["name"] not in ("tags",):
        parts.append(f"pattern `{c['pattern']}`")
    if field["name"] in foreign:
        parts.append(f"→ {foreign[field['name']]}")
    return "; ".join(parts)


def render_fields(data_dir: Path = DATA_DIR) -> str:
    lines = []
    for res in read_datapackage(data_dir)["resources"]:
        schema = res["schema"]
        foreign = {fk["fields"][0]: f"`{fk['reference']['resource']}.{fk['reference']['fields'][0]}`"
                   for fk in schema.get("foreignKeys", [])}
        lines += [f"### `{res['path']}`", "", f"{res['description']} Primary key: `{schema['primaryKey'][0]}`.", "",
                  "| column | type | constraints | description |", "| --- | --- | --- | --- |"]
        for field in schema["fields"]:
            desc = field["description"].replace("|", "\\|")
            lines.append(f"| `{field['name']}` | {field['type']} | {_constraint_text(field, foreign)} | {desc} |")
        lines.append("")
    return "\n".join(lines)


MAPPING_START = "<!-- mapping:start (generated from syria_incidents.interop by `syria-incidents codebook`) -->"
MAPPING_END = "<!-- mapping:end -->"


def _replace(text: str, start: str, end: str, body: str) -> str:
    if start not in text or end not in text:
        return text
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}{end}{tail}"


def update_codebook(data_dir: Path = DATA_DIR) -> bool:
    """Rewrite the generated sections of data/README.md (fields, interop mapping); True if it changed."""
    from .interop import mapping_table

    path = Path(data_dir) / "README.md"
    text = path.read_text(encoding="utf-8")
    new = _replace(text, START, END, render_fields(data_dir))
    new = _replace(new, MAPPING_START, MAPPING_END, mapping_table() + "\n")
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def generated_mapping(data_dir: Path = DATA_DIR) -> str:
    text = (Path(data_dir) / "README.md").read_text(encoding="utf-8")
    return text.split(MAPPING_START, 1)[1].split(MAPPING_END, 1)[0].lstrip("\n")


def generated_section(data_dir: Path = DATA_DIR) -> str:
    text = (Path(data_dir) / "README.md").read_text(encoding="utf-8")
    return text.split(START, 1)[1].split(END, 1)[0].lstrip("\n")
