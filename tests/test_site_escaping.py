"""No text from the data runs in the site: notebooks' Markdown and table outputs, the index and the explorer
are built from data carrying script and attribute payloads in every text column, and none is live."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from syria_incidents import runner
from test_explorer import PAYLOAD, payload_data

CELLS = [
    "# Escaping\nData text in Markdown and in tables.",
    "from IPython.display import Markdown, display\nfrom syria_incidents import text\n"
    "from syria_incidents.load import load_tables\ndata = load_tables()",
    "name = data.episodes['name'].iloc[0]\ndisplay(Markdown(f'**{text.md(name)}**'))\n"
    "display(Markdown(name))  # unescaped on purpose: the site's sanitiser must still neutralise it",
    "data.incidents[['incident_id', 'location_name', 'description']]",
]


def live_payloads(html: str) -> list[str]:
    """Script elements or event-handler attributes that the payload would have made live."""
    found = re.findall(r"<script[^>]*>\s*window\.__pwned", html)
    found += re.findall(r"<img[^>]*onerror=", html, flags=re.IGNORECASE)
    return found


def test_site_built_from_hostile_data_has_nothing_live(valid_data: Path, tmp_path: Path) -> None:
    data = payload_data(valid_data)
    nb_path = tmp_path / "01-escaping.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(CELLS[0], id="c0")] + [
        nbformat.v4.new_code_cell(src, id=f"c{i}") for i, src in enumerate(CELLS[1:], start=1)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, nb_path)
    executed = runner.execute(nb_path, tmp_path / "figures", data)
    nbformat.write(executed, nb_path)
    outputs = "".join(str(o.get("data", {})) for c in executed.cells for o in c.get("outputs", []))
    assert "window.__pwned" in outputs  # the payload did reach the outputs
    site = tmp_path / "site"
    runner.build_site([nb_path], site, data)
    for page in sorted(site.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert live_payloads(html) == [], page.name
    assert "&lt;img src=x" in (site / "01-escaping.html").read_text(encoding="utf-8")


def test_escaping_helper_neutralises_markdown_and_html() -> None:
    from syria_incidents.text import md

    out = md(PAYLOAD + " [link](javascript:alert(1)) *x*")
    assert "<" not in out and ">" not in out
    assert "\\[link\\]\\(javascript" in out and "\\*x\\*" in out
