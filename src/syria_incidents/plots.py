"""Figures of the record: functions that take aggregated DataFrames and return matplotlib Figures.

Every figure has a title that states the finding (passed in by the notebook, which computes it), a
subtitle saying what is counted, and a source line with the data's own date and the boundary
attribution (style.add_source_line). Call style.use_house_style() first.
"""

from __future__ import annotations

import textwrap
import warnings

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from . import geography
from .aggregate import provisional_start
from .style import (CODED_CIVILIANS_COLOUR, GREY, OKABE_ITO, REMAINDER_HATCH, SEQUENTIAL_CMAP, SOURCE_COLOURS,
                    VICTIM_COLOURS, VICTIM_LABELS, actor_colour, add_source_line, short_name, source_label)

CATEGORY_ORDER = ["civilians", "security_forces", "other_armed", "unknown_status"]
# Stack layers: (label, column or function of the table, colour, hatch)
LAYERS = [("Civilians (stated by a claim)", "civilians_stated", VICTIM_COLOURS["civilians"], None),
          ("Civilians (by the coding rule)", "civilians_from_coding", CODED_CIVILIANS_COLOUR, "...."),
          (VICTIM_LABELS["security_forces"], "deaths_security_forces", VICTIM_COLOURS["security_forces"], None),
          (VICTIM_LABELS["other_armed"], "deaths_other_armed", VICTIM_COLOURS["other_armed"], None),
          (VICTIM_LABELS["unknown_status"], "deaths_unknown_status", VICTIM_COLOURS["unknown_status"], None)]
MARKER_BY_EVENT = {"Battles": "s", "Explosions/Remote violence": "^", "Violence against civilians": "o", "Riots": "D"}
DEFINITIONS = ("What each line counts. Ours: everyone killed in the incidents we could source, by date of death "
               "(a floor, not a census). SOHR: everyone killed (civilians and non-civilians), by date of death. "
               "SNHR: civilians only, by the month the death was documented; combatants killed in clashes excluded.")


def _titles(fig: plt.Figure, title: str, subtitle: str) -> None:
    """Title (wrapped to the figure's width, growing upwards) and subtitle above the panels."""
    width = int(fig.get_figwidth() * 72 / (13 * 0.6))
    title = "\n".join(textwrap.wrap(title, width)) if len(title) > width else title
    fig.suptitle(title, x=0.01, y=1.0, ha="left", va="bottom", fontsize=13, fontweight="bold")
    fig.text(0.01, 0.995, subtitle, ha="left", va="top", fontsize=9.5, color="#333333")


def _finish(fig: plt.Figure, title: str, subtitle: str, as_of: pd.Timestamp, extra: str = "",
            top: float = 0.93) -> plt.Figure:
    """Title, subtitle, layout and the source line: the last steps of every figure."""
    _titles(fig, title, subtitle)
    fig.tight_layout(rect=(0, 0, 1, top))
    add_source_line(fig, as_of, extra)
    return fig


def cut_level(totals: pd.Series) -> float:
    """Where a linear axis is cut so that the few periods that would flatten all others are drawn apart:
    three times the 75th percentile of the period totals (at least 50)."""
    positive = totals[totals > 0]
    return max(50.0, 3 * float(np.percentile(positive, 75))) if len(positive) else 50.0


def _layer_values(table: pd.DataFrame) -> dict[str, np.ndarray]:
    t = table.assign(civilians_stated=table["deaths_civilians"] - table["civilians_from_coding"])
    return {column: t[column].to_numpy(dtype=float) for _, column, _, _ in LAYERS}


def _stack(ax: plt.Axes, x, named: pd.DataFrame, remainder: pd.DataFrame | None, width: float) -> None:
    """Victim layers stacked; a remainder's layers on top of the named ones, in the same colours, hatched."""
    bottom = np.zeros(len(x))
    for part, hatch_all in ((named, None), (remainder, REMAINDER_HATCH)):
        if part is None:
            continue
        values = _layer_values(part)
        for label, column, colour, hatch in LAYERS:
            v = values[column]
            if not v.any():
                continue
            ax.bar(x, v, width=width, bottom=bottom, color=colour, lw=0, hatch=hatch_all or hatch,
                   edgecolor="white" if (hatch_all or hatch) else None)
            bottom += v


def _victim_legend(fig: plt.Figure, has_remainder: bool, **kw) -> None:
    handles = [Patch(facecolor=c, hatch=h, edgecolor="white" if h else None, label=l) for l, _, c, h in LAYERS]
    if has_remainder:
        handles.append(Patch(facecolor="#bbbbbb", hatch=REMAINDER_HATCH, edgecolor="white",
                             label="hatched: episode remainder (not a named incident)"))
    handles.append(Line2D([], [], color="#222222", lw=0.8, label="low-high range"))
    fig.legend(handles=handles, fontsize=7.5, frameon=False, **kw)


def _peaks_panel(ax: plt.Axes, labels: list[str], named: pd.DataFrame, remainder: pd.DataFrame | None,
                 low: pd.Series, high: pd.Series, best: pd.Series) -> None:
    """The periods cut from the main panel, drawn in full on their own linear axis."""
    x = np.arange(len(labels))
    _stack(ax, x, named, remainder, 0.7)
    ax.errorbar(x, best, yerr=[best - low, high - best], fmt="none", ecolor="#222222", elinewidth=0.8, capsize=2)
    for xi, b in zip(x, best):
        ax.text(xi, b, f"{b:,.0f}", ha="center", va="bottom", fontsize=7.5, fontweight="bold")
    crowded = len(labels) > 4
    ax.set_xticks(x, [lab.replace("\n", " ") for lab in labels] if crowded else labels, fontsize=7,
                  rotation=90 if crowded else 0)
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_title("cut periods, in full", fontsize=8.5, loc="left")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))


def _stagger(close_to_previous: list[bool], levels: int) -> list[int]:
    """Vertical levels for a row of labels: each label close to the one before moves down a level
    (cycling through `levels`), so neighbours never overlap. `close_to_previous[i]` compares labels i and
    i + 1; the first label is on level 0."""
    out, level = [0], 0
    for close in close_to_previous:
        level = (level + 1) % levels if close else 0
        out.append(level)
    return out


def _label_cut_bars(ax: plt.Axes, xs, values, cap: float, levels: list[int]) -> None:
    """The full value of each bar cut by the axis, printed at the top of the axis on its level."""
    for xi, value, level in zip(xs, values, levels):
        ax.annotate(f"{value:,.0f}", (xi, cap), xytext=(0, -2 - 11 * level), textcoords="offset points",
                    ha="center", va="top", fontsize=7, fontweight="bold", color="white",
                    bbox={"boxstyle": "square,pad=0.15", "fc": "#333333", "ec": "none"})


def _episode_marks(ax: plt.Axes, episodes: pd.DataFrame) -> str:
    """Numbered marks at each episode's start (numbers never overlap the way names do); returns the key."""
    key = []
    ordered = episodes.sort_values("date_start")
    starts = list(ordered["date_start"])
    levels = _stagger([b - a < pd.Timedelta(days=21) for a, b in zip(starts, starts[1:])], 2)
    for i, (ep, level) in enumerate(zip(ordered.itertuples(), levels), start=1):
        ax.axvline(ep.date_start, color="#555555", lw=0.6, ls=":")
        ax.annotate(str(i), (mdates.date2num(ep.date_start), 1.0), xycoords=ax.get_xaxis_transform(),
                    xytext=(0, 2 + 11 * level),
                    textcoords="offset points", ha="center", va="bottom", fontsize=7,
                    bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": "#555555", "lw": 0.5})
        key.append(f"{i} {ep.name}")
    return "; ".join(key)


def weekly_deaths(named: pd.DataFrame, remainder: pd.DataFrame, episodes: pd.DataFrame, as_of: pd.Timestamp,
                  title: str, subtitle: str) -> plt.Figure:
    """Weekly deaths by victim category on a linear axis cut above the usual range, the cut weeks in full
    in their own panel, each week's shares below (every category visible), remainders hatched."""
    total = named.add(remainder, fill_value=0)
    cap = cut_level(total["deaths_best"])
    peaks = total.index[total["deaths_best"] > cap]
    fig = plt.figure(figsize=(9, 7.6))
    grid = fig.add_gridspec(2, 2, width_ratios=[4.2, 1], height_ratios=[3, 1.3], wspace=0.12, hspace=0.12)
    ax, axp, axs = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 0])
    x = total.index + pd.Timedelta(days=3)
    _stack(ax, x, named, remainder, 6)
    has_range = total["deaths_high"] > total["deaths_low"]
    ax.errorbar(x[has_range], total.loc[has_range, "deaths_best"],
                yerr=[(total["deaths_best"] - total["deaths_low"])[has_range],
                      (total["deaths_high"] - total["deaths_best"])[has_range]],
                fmt="none", ecolor="#222222", elinewidth=0.8, capsize=1.5)
    ax.set_ylim(0, cap)
    _label_cut_bars(ax, x[total.index.isin(peaks)], total.loc[peaks, "deaths_best"], cap,
                    _stagger([b - a < pd.Timedelta(days=35) for a, b in zip(peaks, peaks[1:])], 3))
    ax.set_ylabel(f"deaths per week (axis cut at {cap:,.0f})")
    key = _episode_marks(ax, episodes)
    _shade_provisional(ax, as_of)
    _month_axis(ax)
    ax.tick_params(labelbottom=False)
    _peaks_panel(axp, [w.strftime("%-d %b\n%Y") for w in peaks], named.loc[peaks], remainder.loc[peaks],
                 total.loc[peaks, "deaths_low"], total.loc[peaks, "deaths_high"], total.loc[peaks, "deaths_best"])
    shares = total.assign(civilians_stated=total["deaths_civilians"] - total["civilians_from_coding"])
    denom = total["deaths_best"].where(total["deaths_best"] > 0)
    bottom = np.zeros(len(total))
    for label, column, colour, hatch in LAYERS:
        v = (shares[column] / denom).fillna(0).to_numpy()
        axs.bar(x, v, width=6, bottom=bottom, color=colour, lw=0, hatch=hatch, edgecolor="white" if hatch else None)
        bottom += v
    axs.set_ylim(0, 1)
    axs.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    axs.set_ylabel("share of the week")
    _month_axis(axs)
    axs.set_xlim(ax.get_xlim())
    _victim_legend(fig, bool(remainder["deaths_best"].sum()), loc="center left", bbox_to_anchor=(0.79, 0.2))
    _titles(fig, title, subtitle)
    fig.subplots_adjust(top=0.9, left=0.08, right=0.98)
    add_source_line(fig, as_of, "episodes: " + key + ". Weeks run Monday to Sunday; a multi-day incident's deaths "
                    "are spread evenly over its days; grey band: the last four weeks, provisional")
    return fig


def _month_labels(index: pd.DatetimeIndex, partial: dict | None = None) -> list[str]:
    partial = partial or {}
    return [m.strftime("%b\n%y") + ("*" if m in partial else "") for m in index]


def monthly_comparison(comparison: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str) -> plt.Figure:
    """Our monthly deaths (named incidents solid, remainders hatched, whiskers low-high) beside SOHR's and
    SNHR's monthly tolls on a linear axis, with a strip saying what each counts and the months that are
    not comparable marked."""
    fig, ax = plt.subplots(figsize=(9, 5.8))
    months = comparison.index
    x = np.arange(len(months))
    w = 0.27
    named = comparison["deaths_best"] - comparison["remainder_best"]
    ax.bar(x - w, named, w, color=SOURCE_COLOURS["ours"], label="this record: named incidents (best)")
    ax.bar(x - w, comparison["remainder_best"], w, bottom=named, color="white", edgecolor=SOURCE_COLOURS["ours"],
           hatch=REMAINDER_HATCH, lw=0.6, label="this record: episode remainders")
    ax.errorbar(x - w, comparison["deaths_best"],
                yerr=[comparison["deaths_best"] - comparison["deaths_low"],
                      comparison["deaths_high"] - comparison["deaths_best"]],
                fmt="none", ecolor="#777777", elinewidth=0.9, capsize=2)
    for source, offset, label in (("sohr", 0, "SOHR (everyone)"), ("snhr", w, "SNHR (civilians)")):
        values = comparison[source]
        same = comparison[f"{source}_same_days"]
        ax.bar(x + offset, values.where(same).fillna(0), w, color=SOURCE_COLOURS[source], label=label)
        ax.bar(x + offset, values.where(~same & values.notna()).fillna(0), w, color="white",
               edgecolor=SOURCE_COLOURS[source], lw=0.9)
        for i, v in enumerate(values):
            if pd.isna(v):
                ax.text(i + offset, 0, "n/a", ha="center", va="bottom", fontsize=6, color="#555555", rotation=90)
    partial = {m for m in months if comparison.loc[m, ["sohr", "snhr"]].notna().any()
               and not comparison.loc[m, ["sohr_same_days", "snhr_same_days"]][comparison.loc[m, ["sohr", "snhr"]].notna().to_numpy()].all()}
    ax.set_xticks(x, _month_labels(months, partial), fontsize=8)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel("deaths per month")
    ax.legend(loc="upper right", fontsize=7.5)
    _titles(fig, title, subtitle)
    fig.tight_layout(rect=(0, 0.11, 1, 0.95))
    note = DEFINITIONS + (" Outlined bars (*): the monitor's month does not cover the same days as the record "
                          "(e.g. SNHR's December 2024 counts from 1 December; the record starts on the 8th): shown, "
                          "never used in a share." if partial else "")
    fig.text(0.01, 0.095, note, fontsize=7.2, va="top", ha="left", wrap=True,
             bbox={"boxstyle": "square,pad=0.4", "fc": "#f5f5f5", "ec": "none"})
    add_source_line(fig, as_of, "SOHR and SNHR monthly tolls as published and read again (monitor_tolls.csv)")
    return fig


def _month_axis(ax: plt.Axes) -> None:
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 3, 5, 7, 9, 11]))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))


def _shade_provisional(ax: plt.Axes, as_of: pd.Timestamp) -> None:
    start = provisional_start(as_of)
    ax.axvspan(start, pd.Timestamp(as_of) + pd.Timedelta(days=1), color="#eeeeee", zorder=0, lw=0)
    ax.text(start, 1.0, " provisional", transform=ax.get_xaxis_transform(), fontsize=8, color="#666666",
            va="top", ha="left")


def _map_axes(ax: plt.Axes) -> None:
    ax.set_axis_off()
    ax.set_aspect("equal")


# Label positions (lon, lat) for governorates too small to hold their label: placed beside the map.
OFFSHORE_LABELS = {"SY06": (34.55, 35.75), "SY10": (34.55, 34.95), "SY01": (34.9, 33.75),
                   "SY14": (34.9, 33.05), "SY12": (35.1, 32.45), "SY03": (37.9, 33.25)}


def _label_ink(values: pd.Series, k: int) -> list[str]:
    """White labels on the darkest classes of a Fisher-Jenks choropleth, black elsewhere."""
    if k < 2:
        return ["black"] * len(values)
    import mapclassify

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Numba not installed")
        classes = mapclassify.FisherJenks(values.to_numpy(dtype=float), k=k).yb
    cmap = plt.get_cmap(SEQUENTIAL_CMAP)
    ink = []
    for c in classes:
        r, g, b, _ = cmap(c / (k - 1))
        ink.append("white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.45 else "black")
    return ink


def _quiet(fig: plt.Figure) -> plt.Figure:
    """geopandas ends every `.plot()` with `canvas.draw_idle()`, which the Agg canvas runs at once: a full
    render of the figure for each layer drawn. Map figures skip those renders and are drawn once, when saved."""
    fig.canvas.draw_idle = lambda *args, **kwargs: None
    return fig


def choropleth_pair(by_gov: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str) -> plt.Figure:
    """Deaths by governorate, absolute and per 100,000 people (2016 population), side by side."""
    gdf = geography.admin1_outlines().merge(by_gov, left_on="adm1_pcode", right_index=True)
    fig, axes = plt.subplots(1, 2, figsize=(9, 5.4))
    _quiet(fig)
    for ax, col, label, fmt in ((axes[0], "deaths_best", "Deaths (best estimate)", "{:,.0f}"),
                                (axes[1], "deaths_per_100k", "Deaths per 100,000 people (2016 population)", "{:,.1f}")):
        k = min(5, int(gdf[col].nunique()))
        with warnings.catch_warnings():  # mapclassify warns that numba (an optional accelerator) is absent
            warnings.filterwarnings("ignore", message="Numba not installed")
            gdf.plot(column=col, ax=ax, cmap=SEQUENTIAL_CMAP, scheme="FisherJenks" if k > 1 else None,
                     k=k, edgecolor="white", linewidth=0.6, legend=True,
                     legend_kwds={"loc": "upper center", "bbox_to_anchor": (0.5, -0.01), "ncols": 3,
                                  "fontsize": 7, "title": label, "title_fontsize": 7.5, "fmt": fmt,
                                  "frameon": False})
        legend = ax.get_legend()
        if legend is not None:  # "5, 107" -> "5–107"
            for t in legend.get_texts():
                t.set_text("–".join(part.strip() for part in t.get_text().split(", ")))
        ink = _label_ink(gdf[col], k)
        for i, (_, row) in enumerate(gdf.iterrows()):
            text = f"{row['governorate']}\n{fmt.format(row[col])}"
            if row["adm1_pcode"] in OFFSHORE_LABELS:
                pt = row.geometry.representative_point()
                ax.annotate(text, (pt.x, pt.y), xytext=OFFSHORE_LABELS[row["adm1_pcode"]], ha="center", va="center",
                            fontsize=6.5, arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5})
            else:
                pt = row.geometry.representative_point()
                ax.annotate(text, (pt.x, pt.y), ha="center", va="center", fontsize=6.5, color=ink[i])
        ax.set_xlim(34.1, 42.5)
        _map_axes(ax)
    return _finish(fig, title, subtitle, as_of, geography.POPULATION_ATTRIBUTION + " " + geography.POPULATION_BIAS,
                   top=0.95)


def district_map(district_deaths: pd.Series, unplaced: pd.Series, as_of: pd.Timestamp,
                 title: str, subtitle: str) -> plt.Figure:
    """Deaths by district from precisely located incidents, with a bar of deaths that cannot be placed."""
    gdf = geography.admin2_outlines().merge(district_deaths.rename("deaths"), left_on="adm2_pcode", right_index=True, how="left")
    gdf["deaths"] = gdf["deaths"].fillna(0)
    fig, (ax, axb) = plt.subplots(1, 2, figsize=(9, 5), width_ratios=[3, 1.1])
    _quiet(fig)
    geography.admin1_outlines().boundary.plot(ax=ax, color="#888888", linewidth=0.5)
    if (gdf["deaths"] == 0).any():
        gdf[gdf["deaths"] == 0].plot(ax=ax, color="#f2f2f2", edgecolor="white", linewidth=0.3)
    pos = gdf[gdf["deaths"] > 0]
    if len(pos):
        pos.plot(ax=ax, column="deaths", cmap=SEQUENTIAL_CMAP, norm=LogNorm(vmin=1, vmax=max(2, pos["deaths"].max())),
                 edgecolor="white", linewidth=0.3, legend=True,
                 legend_kwds={"shrink": 0.6, "label": "deaths (log scale)"})
    _map_axes(ax)
    axb.barh(unplaced.index[::-1], unplaced.values[::-1], color="#999999")
    axb.set_title("Deaths not placed\nin a district", fontsize=9)
    axb.tick_params(labelsize=8)
    axb.grid(axis="x")
    for i, v in enumerate(unplaced.values[::-1]):
        axb.text(v, i, f" {v:,}", va="center", fontsize=7)
    return _finish(fig, title, subtitle, as_of, "districts: OCHA 2015 set (61)", top=0.94)


def symbol_map(incidents: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str,
               bounds: tuple[float, float, float, float] | None = None, label_top: int = 0,
               figsize: tuple[float, float] = (9, 6.2), actor_names: dict[str, str] | None = None) -> plt.Figure:
    """One circle per incident (area ∝ deaths), coloured by perpetrator (grey: unidentified), shaped by
    event type; filled where the village or town is known, hollow where the location is approximate. The
    `label_top` deadliest incidents are labelled with their own toll, labels placed apart by adjustText;
    the legend sits outside the map, perpetrators named by `actor_names` (actor_id -> name)."""
    from adjustText import adjust_text

    fig = plt.figure(figsize=figsize)  # drawn as it goes: adjustText measures the labels on it
    ax = fig.add_axes((0.0, 0.02, 0.72, 0.9))
    leg_ax = fig.add_axes((0.73, 0.02, 0.27, 0.9))
    leg_ax.set_axis_off()
    geography.admin1_outlines().plot(ax=ax, color="#f4f4f4", edgecolor="#999999", linewidth=0.5)
    data = incidents.sort_values(["deaths_best", "incident_id"], ascending=[False, True])
    scale = 1200.0 / max(1.0, float(data["deaths_best"].max()))  # points² per death

    def area(deaths):
        return np.maximum(np.asarray(deaths, dtype=float), 1) * scale

    for (perp, event), sub in data.groupby(["perpetrator", "event_type"], sort=True):
        exact = (sub["geo_precision"] == "point").to_numpy()
        colour = actor_colour(perp)
        marker = MARKER_BY_EVENT.get(event, "o")
        ax.scatter(sub.loc[exact, "longitude"], sub.loc[exact, "latitude"], s=area(sub.loc[exact, "deaths_best"]),
                   color=colour, alpha=0.55, edgecolor="white", linewidth=0.4, marker=marker)
        ax.scatter(sub.loc[~exact, "longitude"], sub.loc[~exact, "latitude"], s=area(sub.loc[~exact, "deaths_best"]),
                   facecolor="none", edgecolor=colour, linewidth=1.1, marker=marker)
    if bounds:
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
    _map_axes(ax)
    texts = []
    for row in data.head(label_top).itertuples():
        short = textwrap.fill(short_name(str(row.location_name).split(",")[0]), 24)  # long names on two lines
        texts.append(ax.text(row.longitude, row.latitude, f"{short} ({row.deaths_best:,})", fontsize=7,
                             bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7}))
    if texts:
        points = data[["longitude", "latitude"]].drop_duplicates().to_numpy()  # one obstacle per place
        adjust_text(texts, ax=ax, x=points[:, 0], y=points[:, 1],
                    arrowprops={"arrowstyle": "-", "color": "#666666", "lw": 0.5}, max_move=(80, 80), force_text=(0.3, 0.6),
                    expand=(1.15, 1.4), ensure_inside_axes=True,
                    iter_lim=1000)  # an iteration limit, not the default time limit: byte-identical reruns
    perps = list(dict.fromkeys(data.groupby("perpetrator")["deaths_best"].sum().sort_values(ascending=False).index))
    names = {a: short_name(n) for a, n in (actor_names or {}).items()}
    names["unidentified"] = "unidentified (not known or disputed)"
    handles = [Patch(color=actor_colour(p), label=textwrap.fill(names.get(p, p.replace("_", " ")), 30))
               for p in perps]
    handles += [Line2D([], [], marker=m, ls="", mfc="#777777", mec="white", ms=7, label=e)
                for e, m in MARKER_BY_EVENT.items() if (data["event_type"] == e).any()]
    handles += [Line2D([], [], marker="o", ls="", mfc="none", mec="#777777", ms=7, label="hollow: approximate location")]
    sizes = [Line2D([], [], marker="o", ls="", mfc="none", mec="#444444", ms=float(np.sqrt(area(n))),
                    label=f"{n:,} death{'s' if n > 1 else ''}")
             for n in (1, 10, 100, 1000) if n <= max(1, data["deaths_best"].max())]
    leg_ax.legend(handles=handles, loc="upper left", fontsize=7, frameon=False, labelspacing=0.6,
                  title="perpetrator (colour), event (shape)", title_fontsize=7.5)
    ax.legend(handles=sizes, loc="lower right", ncol=len(sizes), fontsize=7, frameon=True, framealpha=0.85,
              edgecolor="none", borderpad=1.0, columnspacing=1.8, handlelength=3.2, handletextpad=1.0, title="deaths (area)",
              title_fontsize=7.5)
    _titles(fig, title, subtitle)
    add_source_line(fig, as_of, "each circle is one incident, placed at its village, town or district seat")
    return fig


def quarterly_maps(quarters: dict[str, pd.Series], as_of: pd.Timestamp, title: str, subtitle: str) -> plt.Figure:
    """Small multiples: deaths by governorate per quarter, on one shared log colour scale."""
    adm1 = geography.admin1_outlines()
    vmax = max(2, max(s.max() for s in quarters.values()))
    n = len(quarters)
    cols = 3
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.1 * rows + 1.4))
    _quiet(fig)
    axes = np.atleast_1d(axes).ravel()
    norm = LogNorm(vmin=1, vmax=vmax)
    for ax, (label, series) in zip(axes, quarters.items()):
        g = adm1.merge(series.rename("deaths"), left_on="adm1_pcode", right_index=True, how="left").fillna({"deaths": 0})
        if (g["deaths"] == 0).any():
            g[g["deaths"] == 0].plot(ax=ax, color="#f2f2f2", edgecolor="white", linewidth=0.4)
        if (g["deaths"] > 0).any():
            g[g["deaths"] > 0].plot(ax=ax, column="deaths", cmap=SEQUENTIAL_CMAP, norm=norm, edgecolor="white",
                                    linewidth=0.4)
        ax.set_title(textwrap.fill(f"{label}: {int(series.sum()):,}", 28), fontsize=9, loc="center")  # partial periods run long
        _map_axes(ax)
    for ax in axes[n:]:
        ax.set_visible(False)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=SEQUENTIAL_CMAP)
    fig.colorbar(sm, ax=list(axes[:n]), shrink=0.6, label="deaths (best, log scale)")
    _titles(fig, title, subtitle)
    add_source_line(fig, as_of)
    return fig


def heatmap(matrix: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str, counts: pd.DataFrame | None = None) -> plt.Figure:
    """Governorate × month heatmap on a log colour scale, with the value (and incident count) in each cell."""
    fig, ax = plt.subplots(figsize=(9, 5.4))
    data = matrix.to_numpy(dtype=float)
    masked = np.ma.masked_where(data <= 0, data)
    cmap = plt.get_cmap(SEQUENTIAL_CMAP).with_extremes(bad="#f7f7f7")
    im = ax.imshow(masked, aspect="auto", cmap=cmap, norm=LogNorm(vmin=1, vmax=max(2, data.max())))
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            if data[i, j] > 0:
                text = f"{int(data[i, j])}"
                if counts is not None:
                    text += f"\n({int(counts.iat[i, j])})"
                ax.text(j, i, text, ha="center", va="center", fontsize=5.8,
                        color="white" if data[i, j] > np.sqrt(data.max()) * 3 else "black")
    ax.set_xticks(range(matrix.shape[1]), [m.strftime("%b\n%y") for m in matrix.columns], fontsize=7.5)
    ax.set_yticks(range(matrix.shape[0]), matrix.index, fontsize=8)
    ax.grid(False)
    fig.colorbar(im, ax=ax, shrink=0.8, label="deaths (best, log scale)")
    return _finish(fig, title, subtitle, as_of, "cells: deaths (incidents)" if counts is not None else "", top=0.95)


def stacked_bars(table: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str,
                 colours: dict[str, str] | None = None, ylabel: str = "deaths (best estimate)",
                 top: int = 8, partial: set | None = None) -> plt.Figure:
    """Monthly stacked bars of a breakdown (perpetrator ...) on a linear axis cut above the usual range,
    the cut months in full in a panel of their own, and each month's shares below. Small groups are
    merged into 'all others'; months in `partial` are marked with an asterisk."""
    table = table.copy()
    if table.shape[1] > top:
        keep = list(table.columns[:top - 1])
        table["all others"] = table.drop(columns=keep).sum(axis=1)
        table = table[keep + ["all others"]]
    colours = {**{c: "#bbbbbb" for c in table.columns}, **(colours or {})}
    fig = plt.figure(figsize=(9, 7.4))
    grid = fig.add_gridspec(2, 2, width_ratios=[4, 1], height_ratios=[2, 1.2], wspace=0.15, hspace=0.1)
    ax, axp, axs = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 0])
    x = np.arange(len(table))
    totals = table.sum(axis=1)
    cap = cut_level(totals)
    peaks = [i for i, v in enumerate(totals) if v > cap]
    shares = table.div(totals.where(totals > 0), axis=0).fillna(0)
    bottom, sbottom = np.zeros(len(table)), np.zeros(len(table))
    pbottom = np.zeros(len(peaks))
    for col in table.columns:
        ax.bar(x, table[col], bottom=bottom, color=colours[col], label=col, width=0.8, lw=0)
        axs.bar(x, shares[col], bottom=sbottom, color=colours[col], width=0.8, lw=0)
        axp.bar(np.arange(len(peaks)), table[col].iloc[peaks], bottom=pbottom, color=colours[col], width=0.7, lw=0)
        bottom += table[col].to_numpy()
        sbottom += shares[col].to_numpy()
        pbottom += table[col].iloc[peaks].to_numpy()
    ax.set_ylim(0, cap)
    _label_cut_bars(ax, peaks, totals.iloc[peaks], cap, _stagger([b - a < 2 for a, b in zip(peaks, peaks[1:])], 2))
    for j, i in enumerate(peaks):
        axp.text(j, pbottom[j], f"{pbottom[j]:,.0f}", ha="center", va="bottom", fontsize=7.5, fontweight="bold")
    axp.set_xticks(range(len(peaks)), [table.index[i].strftime("%b\n%y") for i in peaks], fontsize=7.5)
    axp.set_title("cut months, in full", fontsize=8.5, loc="left")
    axp.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel(f"{ylabel}\n(axis cut at {cap:,.0f})")
    ax.set_xticks(x, [])
    axs.set_ylabel("share of the month")
    axs.set_ylim(0, 1)
    axs.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    axs.set_xticks(x, _month_labels(table.index, partial), fontsize=7.5)
    handles = [Patch(color=colours[c], label=c) for c in table.columns]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.115), ncol=3, fontsize=7.5, frameon=False)
    _titles(fig, title, subtitle)
    fig.subplots_adjust(top=0.9, left=0.09, right=0.98, bottom=0.19)
    add_source_line(fig, as_of, ("* partial month. " if partial else "") + "a multi-day incident's deaths are "
                    "spread evenly over its days")
    return fig


def small_multiples(table: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str, columns: int = 3,
                    partial: set | None = None) -> plt.Figure:
    """One small panel per column of `table` (a breakdown by month), each on its own linear axis, all in
    one neutral colour: no category needs a colour of its own."""
    n = table.shape[1]
    rows = int(np.ceil(n / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(9, 1.9 * rows + 1.1), sharex=True)
    axes = np.atleast_1d(axes).ravel()
    x = np.arange(len(table))
    for ax, col in zip(axes, table.columns):
        ax.bar(x, table[col], color="#555555", width=0.8)
        ax.set_title(f"{col}: {table[col].sum():,.0f}", fontsize=8.5, loc="left")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.tick_params(labelsize=7)
    for ax in axes[n:]:
        ax.set_visible(False)
    labels = _month_labels(table.index, partial)
    for ax in axes[:n]:
        ax.set_xticks(x[::3], labels[::3], fontsize=6.5)
    return _finish(fig, title, subtitle, as_of, ("* partial month. " if partial else "") + "each panel has its own "
                   "scale; deaths spread over the days of multi-day incidents", top=0.93)


def horizontal_bars(values: pd.Series, as_of: pd.Timestamp, title: str, subtitle: str,
                    colours: dict[str, str] | None = None, xlabel: str = "deaths (best estimate)") -> plt.Figure:
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(values) + 1.6))
    values = values.sort_values()
    ax.barh(values.index, values.values, color=[(colours or {}).get(k, OKABE_ITO["blue"]) for k in values.index])
    for i, v in enumerate(values.values):
        ax.text(v, i, f" {v:,}", va="center", fontsize=8)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    return _finish(fig, title, subtitle, as_of, top=0.92)


def civilian_share(table: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(9, 4.2))
    x = np.arange(len(table))
    ax.bar(x, table["share"].fillna(0), color=OKABE_ITO["vermillion"], width=0.75)
    for i, (s, n) in enumerate(zip(table["share"], table["all"])):
        ax.text(i, (0 if pd.isna(s) else s) + 0.02, "–" if pd.isna(s) else f"{s:.0%}", ha="center", fontsize=7)
    ax.set_ylim(0, 1.1)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xticks(x, [m.strftime("%b\n%y") for m in table.index], fontsize=8)
    ax.set_ylabel("share of deaths")
    return _finish(fig, title, subtitle, as_of)


def episode_timeline(daily: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str) -> plt.Figure:
    """Daily deaths of an episode's named incidents: solid where the incident took one day, hatched where a
    multi-day incident's deaths are spread evenly over its days."""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    colour = VICTIM_COLOURS["civilians"] if False else "#444444"
    ax.bar(daily.index, daily["day_known"], color=colour, label="one-day incidents", width=0.8)
    ax.bar(daily.index, daily["spread"], bottom=daily["day_known"], color="white", edgecolor=colour,
           hatch="////", label="multi-day incidents, spread over their days", width=0.8)
    for day, total in (daily["day_known"] + daily["spread"]).items():
        if total:
            ax.text(day, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=8)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
    ax.set_ylabel("deaths (best) in named incidents")
    ax.legend(fontsize=8)
    return _finish(fig, title, subtitle, as_of)


def toll_drift(drift: pd.DataFrame, ours: int, as_of: pd.Timestamp, title: str, subtitle: str,
               labels: dict[str, str] | None = None) -> plt.Figure:
    """Each source's published episode toll against the date it was published (steps), with our
    record's total for the episode as a horizontal line."""
    fig, ax = plt.subplots(figsize=(9, 5.6))
    markers = {"all": "o", "civilians": "s", "security_forces": "^", "non_civilians": "v"}
    for (source, pop), g in drift.groupby(["source_id", "population"], sort=True):
        if pop not in markers:
            continue
        g = g.sort_values(["published_at", "value"])
        ax.step(g["published_at"], g["value"], where="post", color=SOURCE_COLOURS.get(source, "#777777"), lw=1.2,
                marker=markers[pop], ms=4, label=f"{source_label(source, labels)}: {pop.replace('_', ' ')}")
    ax.axhline(ours, color="black", lw=1, ls="--", label=f"this record: {ours:,} (best)")
    ax.set_ylabel("reported deaths")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b\n%Y"))
    ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, frameon=False)
    return _finish(fig, title, subtitle, as_of, "tolls from monitor_tolls.csv, dated by publication")


def coverage(weekly_counts: pd.DataFrame, by_gov_weeks: pd.DataFrame, as_of: pd.Timestamp,
             title: str, subtitle: str) -> plt.Figure:
    """Incidents per week, and which governorates have incidents in which month."""
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(9, 6.4), height_ratios=[1, 1.6])
    ax.bar(weekly_counts.index, weekly_counts["incidents"], width=6, color=OKABE_ITO["blue"])
    empty = weekly_counts[~weekly_counts["covered"]]
    ax.scatter(empty.index, np.zeros(len(empty)), marker="x", color=OKABE_ITO["vermillion"], s=18,
               label=f"weeks without an incident ({len(empty)})", zorder=3)
    ax.set_ylabel("named incidents")
    ax.legend(fontsize=8, loc="upper right")
    _month_axis(ax)
    data = (by_gov_weeks > 0).astype(int).to_numpy()
    ax2.imshow(data, aspect="auto", cmap=plt.matplotlib.colors.ListedColormap(["#f2f2f2", OKABE_ITO["blue"]]))
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            if by_gov_weeks.iat[i, j]:
                ax2.text(j, i, str(by_gov_weeks.iat[i, j]), ha="center", va="center", fontsize=6, color="white")
    ax2.set_xticks(range(by_gov_weeks.shape[1]), [m.strftime("%b\n%y") for m in by_gov_weeks.columns], fontsize=7)
    ax2.set_yticks(range(by_gov_weeks.shape[0]), by_gov_weeks.index, fontsize=7.5)
    ax2.grid(False)
    ax2.set_title("named incidents per governorate and month", fontsize=9, loc="left")
    return _finish(fig, title, subtitle, as_of, top=0.95)


def source_ranges(table: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str,
                  names: dict[str, str] | None = None) -> plt.Figure:
    """One panel per episode, each on its own linear axis: every source's latest published total (a dot
    per source and population; filled: everyone, hollow square: civilians) and this record's low-best-high."""
    episodes = list(dict.fromkeys(table["episode"]))
    fig, axes = plt.subplots(len(episodes), 1, figsize=(9, 0.95 * len(episodes) + 1.9))
    axes = np.atleast_1d(axes)
    seen: dict[str, str] = {}
    for ax, ep in zip(axes, episodes):
        rows = table[table["episode"] == ep]
        ours = rows[rows["source"] == "ours"]
        others = rows[rows["source"] != "ours"].reset_index(drop=True)
        if len(ours):
            o = ours.iloc[0]
            ax.plot([o["low"], o["high"]], [0, 0], color="#bbbbbb", lw=9, solid_capstyle="butt", zorder=1)
            ax.plot(o["value"], 0, marker="|", color="black", ms=14, mew=2, zorder=2)
        for k, r in others.iterrows():
            colour = SOURCE_COLOURS.get(r["source"], "#888888")
            label = source_label(r["source"], names) if r["source"] in SOURCE_COLOURS else "other outlets"
            seen.setdefault(label, colour)
            civ = r["population"] == "civilians"
            ax.plot(r["value"], 0.45, marker="s" if civ else "o", ls="", ms=6.5, mfc="none" if civ else colour,
                    mec=colour, mew=1.2, zorder=3)
        ax.set_ylim(-0.5, 0.9)
        ax.set_yticks([])
        ax.set_xlim(left=0)
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.set_title(ep, fontsize=8.5, loc="left", pad=2)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.tick_params(labelsize=7)
    axes[-1].set_xlabel("deaths (each panel its own linear scale)")
    handles = [Line2D([], [], color="#bbbbbb", lw=8, label="this record: low-high"),
               Line2D([], [], color="black", marker="|", ls="", ms=12, mew=2, label="this record: best")]
    handles += [Line2D([], [], color=c, marker="o", ls="", ms=6, label=l) for l, c in seen.items()]
    handles += [Line2D([], [], color="#444444", marker="o", ls="", ms=6, label="counts everyone"),
                Line2D([], [], color="#444444", marker="s", ls="", ms=6, mfc="none", label="counts civilians")]
    fig.legend(handles=handles, fontsize=7.5, loc="lower center", ncols=4, frameon=False, bbox_to_anchor=(0.5, 0.0))
    _titles(fig, title, subtitle)
    fig.tight_layout(rect=(0, 0.09, 1, 0.95))
    add_source_line(fig, as_of, "each source's latest published total (monitor_tolls.csv, verified rows)")
    return fig


def capture_shares(capture: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str,
                   floor: float = 0.15) -> plt.Figure:
    """Named incidents' deaths as a share of SOHR's monthly toll (everyone, by date of death) and named
    civilian deaths as a share of SNHR's (civilians, by date documented), month by month, with the
    campaign's monthly floor; months a monitor does not cover on the same days are left blank."""
    fig, ax = plt.subplots(figsize=(9, 4.6))
    x = np.arange(len(capture))
    w = 0.38
    for col, offset, colour, label in (("named_share_of_sohr", -w / 2, SOURCE_COLOURS["sohr"], "of SOHR's toll (everyone)"),
                                        ("named_civilian_share_of_snhr", w / 2, SOURCE_COLOURS["snhr"],
                                         "civilians, of SNHR's toll (civilians)")):
        values = capture[col]
        ax.bar(x + offset, values.fillna(0), w, color=colour, label=label)
        for i, v in enumerate(values):
            ax.text(i + offset, (0 if pd.isna(v) else v) + 0.01, "–" if pd.isna(v) else f"{v:.0%}", ha="center",
                    fontsize=6.5, rotation=90, va="bottom")
    ax.axhline(floor, color="#333333", lw=0.8, ls="--", label=f"{floor:.0%}: the coverage campaign's monthly floor")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_ylim(0, max(0.5, float(np.nanmax(capture[["named_share_of_sohr", "named_civilian_share_of_snhr"]].to_numpy(dtype=float), initial=0)) + 0.12))
    ax.set_xticks(x, _month_labels(capture.index), fontsize=7.5)
    ax.set_ylabel("share in named incidents")
    ax.legend(fontsize=7.5, loc="upper right")
    return _finish(fig, title, subtitle, as_of, "SOHR counts everyone by date of death; SNHR civilians by date documented", top=0.93)
