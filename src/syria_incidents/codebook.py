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


def update_codebook(data_dir: Path = DATA_DIR) -> bool:
    """Rewrite the generated section of data/README.md; return True if it changed."""
    path = Path(data_dir) / "README.md"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{render_fields(data_dir)}{END}{tail}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def generated_section(data_dir: Path = DATA_DIR) -> str:
    text = (Path(data_dir) / "README.md").read_text(encoding="utf-8")
    return text.split(START, 1)[1].split(END, 1)[0].lstrip("\n")
