"""The README's front-page box: what the record is and isn't, in numbers computed from the data.

`make refresh` rewrites the box between its two markers; a test checks that the committed README
carries exactly what the data give (tests/test_frontpage.py).
"""

from __future__ import annotations

from pathlib import Path

from . import aggregate, findings, text
from .load import load_tables
from .paths import DATA_DIR

START = "<!-- box:start (written by `make refresh` from the data; do not edit by hand) -->"
END = "<!-- box:end -->"


def render_box(data_dir: Path = DATA_DIR) -> str:
    t = load_tables(data_dir)
    h = findings.headline(t.incidents)
    comparison = aggregate.monthly_comparison(t.incidents, t.verified_tolls)
    sohr = findings.share_over_common_months(comparison, "named_best", "sohr")
    lines = [
        f"> **What this record is, and isn't** (data to {text.day(h['last_date'])})",
        ">",
        f"> - **{text.span(h['deaths_low'], h['deaths_best'], h['deaths_high'])} deaths** from "
        f"{text.day(h['first_date'])} to {text.day(h['last_date'])}: {text.n(h['named_incidents'])} named incidents "
        f"({text.n(h['named_deaths_best'])} deaths) and {h['remainders']} episode remainders that bring the largest "
        "episodes to the monitors' own totals.",
        f"> - **A floor, not a census:** over the {sohr['months']} months SOHR reports on the same days, the named "
        f"incidents hold **{text.pct(sohr['share'])}** of SOHR's count ({text.n(sohr['ours'])} of {text.n(sohr['monitor'])}).",
        f"> - **Victims:** {text.pct(h['civilian_share'])} civilians ({text.pct(h['civilian_share_stated'])} stated by a "
        f"source, the rest from the coding of attacks on civilians); the status of **{text.pct(h['unknown_share'])}** "
        "is not reported.",
        f"> - **Perpetrators:** none is identified, or the sources disagree, for {text.pct(h['unidentified_share'])} of "
        f"deaths ({text.pct(h['unidentified_share_named'])} of the deaths in named incidents).",
    ]
    return "\n".join(lines)


def render_readme(readme: str, data_dir: Path = DATA_DIR) -> str:
    """The README with its box rewritten from the data (unchanged if it has no markers)."""
    if START not in readme or END not in readme:
        return readme
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{render_box(data_dir)}\n{END}{tail}"
