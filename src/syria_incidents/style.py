"""The house style: one look for every figure, a colour-blind-safe palette, deterministic files.

Colours are the Okabe-Ito palette (safe for the common forms of colour blindness); each category keeps
its colour in every notebook. Figures are sized for GitHub's notebook width (about 900 px).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from .geography import BOUNDARY_ATTRIBUTION
from .paths import FIGURES_DIR

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
    "grey": "#999999",
}
# One colour per meaning, in every figure. Grey always means "not known" (status not reported, perpetrator
# unidentified); the state's forces are blue whether they are victims or perpetrators; civilians are
# vermillion; monitors have colours no actor uses.
GREY = OKABE_ITO["grey"]
VICTIM_COLOURS = {
    "civilians": OKABE_ITO["vermillion"],
    "security_forces": OKABE_ITO["blue"],
    "other_armed": OKABE_ITO["green"],
    "unknown_status": GREY,
}
CODED_CIVILIANS_COLOUR = "#F2B48C"  # a light tint of the civilians' vermillion, hatched: civilians by the coding rule
VICTIM_LABELS = {
    "civilians": "Civilians",
    "security_forces": "Syrian state forces",
    "other_armed": "Other armed groups",
    "unknown_status": "Status not reported",
}
ACTOR_COLOURS = {
    "syrian_gov": OKABE_ITO["blue"], "gov_forces_and_affiliates": "#3A6EA5", "gov_aligned_groups": "#7FA7CF",
    "assad_loyalists": OKABE_ITO["green"], "sdf": "#44AA99", "asayish": "#88CCBB",
    "sna": "#8C510A", "turkey": "#BF812D", "isis": OKABE_ITO["black"], "israel": "#882255",
    "us_coalition": "#332288", "druze_armed_groups": "#DDCC77", "bedouin_tribal_fighters": "#AA4499",
    "lebanese_armed_groups": "#999933", "jordan": "#661100", "other_armed_group": "#6F6F6F",
    "civilians": OKABE_ITO["vermillion"], "unidentified": GREY,
}
REMAINDER_HATCH = "////"
SOURCE_COLOURS = {"ours": "#333333", "sohr": OKABE_ITO["orange"], "snhr": OKABE_ITO["sky_blue"],
                  "ohchr": OKABE_ITO["yellow"], "un_coi": OKABE_ITO["purple"],
                  "syrian_gov": OKABE_ITO["blue"], "syria_national_commission": "#003F6E",
                  "sdf": ACTOR_COLOURS["sdf"], "idf": ACTOR_COLOURS["israel"], "turkish_gov": ACTOR_COLOURS["turkey"]}
SOURCE_LABELS = {"ours": "this record", "sohr": "SOHR", "snhr": "SNHR", "ohchr": "OHCHR (UN)",
                 "un_coi": "UN Commission of Inquiry", "un_other": "UN", "syrian_gov": "Syrian government",
                 "syria_national_commission": "Syria's national commission", "reuters": "Reuters", "afp": "AFP",
                 "ap": "AP", "sdf": "SDF", "idf": "Israeli military", "white_helmets": "Civil Defence"}
SEQUENTIAL_CMAP = "YlOrRd"
FIG_WIDTH_IN = 9.0
DPI = 110

HOUSE_RC = {
    "figure.figsize": (FIG_WIDTH_IN, 5.0),
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[k] for k in
                                         ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "black")]),
    "svg.hashsalt": "syria-incidents",
    "svg.fonttype": "none",  # keep text as text: searchable, accessible, and checkable by the tests
}


def actor_colour(actor_id: str) -> str:
    return ACTOR_COLOURS.get(actor_id, "#6F6F6F")


def source_label(source_id: str, names: dict[str, str] | None = None) -> str:
    """A short label for a source in charts: the usual abbreviation, else its registered name."""
    return SOURCE_LABELS.get(source_id) or short_name((names or {}).get(source_id, source_id))


def short_name(name: str) -> str:
    """A registered name without its parenthesised gloss, for labels: "Asayish (internal ...)" -> "Asayish"."""
    return name.split(" (")[0]


def use_house_style() -> None:
    """Apply the house style to matplotlib (notebooks call this once, at the top)."""
    mpl.rcParams.update(HOUSE_RC)


def source_line(as_of: pd.Timestamp | str, extra: str = "") -> str:
    date = pd.Timestamp(as_of).strftime("%-d %B %Y")
    text = (f"Source: syria-incidents, data to {date} (every figure traceable to dated claims in "
            f"data/claims.csv){'; ' + extra.rstrip('.') if extra else ''}. {BOUNDARY_ATTRIBUTION}")
    return text


def add_source_line(fig: plt.Figure, as_of: pd.Timestamp | str, extra: str = "") -> None:
    """Write the source line, with the data's own date, under the figure."""
    fig.text(0.01, -0.01, source_line(as_of, extra), ha="left", va="top", fontsize=7, color="#555555",
             wrap=True, transform=fig.transFigure)


def figures_dir() -> Path:
    return Path(os.environ.get("SYRIA_INCIDENTS_FIGURES_DIR", FIGURES_DIR))


def figure_paths(name: str, directory: Path | None = None) -> tuple[Path, Path]:
    """Where save_figure writes the PNG and the SVG of a figure."""
    out = Path(directory) if directory is not None else figures_dir()
    return out / f"{name}.png", out / f"{name}.svg"


def save_figure(fig: plt.Figure, name: str, directory: Path | None = None) -> None:
    """Save a figure as PNG and SVG without timestamps or version stamps (byte-identical reruns).

    `name` starts with the notebook's two-digit number (e.g. "01-weekly-deaths") so that the runner
    knows which notebook owns it. Returns nothing, so that a notebook cell ending with it shows only
    the figure.
    """
    png, svg = figure_paths(name, directory)
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, metadata={"Software": None})
    fig.savefig(svg, metadata={"Date": None, "Creator": None})
