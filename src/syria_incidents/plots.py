"""Figures of the record: functions that take aggregated DataFrames and return matplotlib Figures.

Every figure has a title that states the finding (passed in by the notebook, which computes it), a
subtitle saying what is counted, and a source line with the data's own date and the boundary
attribution (style.add_source_line). Call style.use_house_style() first.
"""

from __future__ import annotations

import warnings

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import geography
from .aggregate import provisional_start
from .style import (OKABE_ITO, SEQUENTIAL_CMAP, SOURCE_COLOURS, VICTIM_COLOURS, VICTIM_LABELS, add_source_line,
                    source_label)

CATEGORY_ORDER = ["civilians", "security_forces", "other_armed", "unknown_status"]
EVENT_COLOURS = {"Battles": OKABE_ITO["blue"], "Explosions/Remote violence": OKABE_ITO["orange"],
                 "Violence against civilians": OKABE_ITO["vermillion"], "Riots": OKABE_ITO["purple"]}
DEFINITIONS = ("What each line counts. Ours: everyone killed in the incidents we could source, by date of death "
               "(a floor, not a census). SOHR: everyone killed (civilians and non-civilians), by date of death. "
               "SNHR: civilians only, by the month the death was documented; combatants killed in clashes excluded.")


def _titles(fig: plt.Figure, title: str, subtitle: str) -> None:
    fig.suptitle(title, x=0.01, y=1.0, ha="left", va="bottom", fontsize=13, fontweight="bold")
    fig.text(0.01, 0.995, subtitle, ha="left", va="top", fontsize=9.5, color="#333333")


def _finish(fig: plt.Figure, title: str, subtitle: str, as_of: pd.Timestamp, extra: str = "",
            top: float = 0.93) -> plt.Figure:
    """Title, subtitle, layout and the source line: the last steps of every figure."""
    _titles(fig, title, subtitle)
    fig.tight_layout(rect=(0, 0, 1, top))
    add_source_line(fig, as_of, extra)
    return fig


def _cut_axis(ax: plt.Axes, x, totals: pd.Series, highs: pd.Series) -> float:
    """A linear axis keeps stacked categories proportional; the few periods that would flatten
    everything else are cut at the top and labelled with their total. Returns the cut."""
    cap = max(50.0, 3 * float(np.percentile(highs, 75)))
    ax.set_ylim(0, cap)
    for xi, total in zip(x, totals):
        if total > cap:
            ax.annotate(f"{int(total):,} ↑", (xi, cap), xytext=(0, -2), textcoords="offset points", ha="center",
                        va="top", fontsize=7.5, fontweight="bold", color="white",
                        bbox={"boxstyle": "square,pad=0.15", "fc": "#333333", "ec": "none"})
    return cap


def _month_axis(ax: plt.Axes) -> None:
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 3, 5, 7, 9, 11]))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))


def _shade_provisional(ax: plt.Axes, as_of: pd.Timestamp) -> None:
    start = provisional_start(as_of)
    ax.axvspan(start, pd.Timestamp(as_of) + pd.Timedelta(days=1), color="#eeeeee", zorder=0, lw=0)
    ax.text(start, 1.0, " provisional", transform=ax.get_xaxis_transform(), fontsize=8, color="#666666",
            va="top", ha="left")


def weekly_deaths(weekly: pd.DataFrame, episodes: pd.DataFrame, as_of: pd.Timestamp,
                  title: str, subtitle: str) -> plt.Figure:
    """Weekly deaths stacked by victim category, low-high whiskers, episode markers, provisional
    shading, and the cumulative curve with its low-high band below."""
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(9, 7.2), sharex=True, height_ratios=[3, 1.4])
    x = weekly.index + pd.Timedelta(days=3)
    bottom = np.zeros(len(weekly))
    for cat in CATEGORY_ORDER:
        values = weekly[f"deaths_{cat}"].to_numpy()
        ax.bar(x, values, width=6, bottom=bottom, color=VICTIM_COLOURS[cat], label=VICTIM_LABELS[cat], lw=0)
        bottom += values
    has_range = weekly["deaths_high"] > weekly["deaths_low"]
    ax.errorbar(x[has_range], weekly.loc[has_range, "deaths_best"],
                yerr=[(weekly["deaths_best"] - weekly["deaths_low"])[has_range],
                      (weekly["deaths_high"] - weekly["deaths_best"])[has_range]],
                fmt="none", ecolor="#222222", elinewidth=0.8, capsize=1.5, label="low-high range")
    cap = _cut_axis(ax, x, weekly["deaths_best"], weekly["deaths_high"])
    ax.set_ylabel(f"deaths per week (axis cut at {cap:,.0f})")
    for _, ep in episodes.sort_values("date_start").iterrows():
        ax.axvline(ep["date_start"], color="#555555", lw=0.6, ls=":")
        ax.text(ep["date_start"], 0.98, " " + ep["name"], rotation=90, transform=ax.get_xaxis_transform(),
                fontsize=7, va="top", ha="right", color="#333333")
    _shade_provisional(ax, as_of)
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.02, 1, 0), ncol=5, fontsize=8, mode=None,
              frameon=False, borderaxespad=0, handlelength=1.2)
    cum = weekly[["deaths_low", "deaths_best", "deaths_high"]].cumsum()
    ax2.fill_between(x, cum["deaths_low"], cum["deaths_high"], color="#cccccc", lw=0, label="low-high")
    ax2.plot(x, cum["deaths_best"], color="black", lw=1.5, label="best estimate")
    ax2.set_ylabel("cumulative deaths")
    ax2.legend(loc="upper left", fontsize=8)
    _shade_provisional(ax2, as_of)
    _month_axis(ax2)
    return _finish(fig, title, subtitle, as_of, "weeks run Monday to Sunday; a multi-day incident counts in the week it began", top=0.96)


def monthly_comparison(comparison: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str) -> plt.Figure:
    """Our monthly deaths (best, with low-high whiskers) beside SOHR's and SNHR's monthly tolls, with a
    strip that says what each one counts."""
    fig, ax = plt.subplots(figsize=(9, 5.6))
    months = comparison.index
    x = np.arange(len(months))
    w = 0.27
    ax.bar(x - w, comparison["deaths_best"], w, color=SOURCE_COLOURS["ours"], label="Ours (best; whiskers low-high)")
    ax.errorbar(x - w, comparison["deaths_best"],
                yerr=[comparison["deaths_best"] - comparison["deaths_low"],
                      comparison["deaths_high"] - comparison["deaths_best"]],
                fmt="none", ecolor="#777777", elinewidth=0.9, capsize=2)
    ax.bar(x, comparison["sohr"].fillna(0), w, color=SOURCE_COLOURS["sohr"], label="SOHR (everyone)")
    ax.bar(x + w, comparison["snhr"].fillna(0), w, color=SOURCE_COLOURS["snhr"], label="SNHR (civilians)")
    for i, (s, n) in enumerate(zip(comparison["sohr"], comparison["snhr"])):
        if pd.isna(s):
            ax.text(i, 0, "n/a", ha="center", va="bottom", fontsize=6, color=SOURCE_COLOURS["sohr"], rotation=90)
        if pd.isna(n):
            ax.text(i + w, 0, "n/a", ha="center", va="bottom", fontsize=6, color=SOURCE_COLOURS["snhr"], rotation=90)
    ax.set_yscale("symlog", linthresh=100)
    ax.set_xticks(x, [m.strftime("%b\n%y") for m in months], fontsize=8)
    ax.set_ylabel("deaths per month (log scale above 100)")
    ax.legend(loc="upper right", fontsize=8)
    _titles(fig, title, subtitle)
    fig.tight_layout(rect=(0, 0.09, 1, 0.96))
    fig.text(0.01, 0.075, DEFINITIONS, fontsize=7.5, va="top", ha="left", wrap=True,
             bbox={"boxstyle": "square,pad=0.4", "fc": "#f5f5f5", "ec": "none"})
    add_source_line(fig, as_of, "SOHR and SNHR monthly tolls as published (monitor_tolls.csv)")
    return fig


def _map_axes(ax: plt.Axes) -> None:
    ax.set_axis_off()
    ax.set_aspect("equal")


# Label positions (lon, lat) for governorates too small to hold their label: placed beside the map.
OFFSHORE_LABELS = {"SY06": (34.55, 35.75), "SY10": (34.55, 34.95), "SY01": (34.9, 33.75),
                   "SY14": (34.9, 33.05), "SY12": (35.1, 32.45), "SY03": (37.9, 33.25)}


def choropleth_pair(by_gov: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str) -> plt.Figure:
    """Deaths by governorate, absolute and per 100,000 people (2016 population), side by side."""
    gdf = geography.admin1().merge(by_gov, left_on="adm1_pcode", right_index=True)
    fig, axes = plt.subplots(1, 2, figsize=(9, 5.4))
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
        for _, row in gdf.iterrows():
            text = f"{row['governorate']}\n{fmt.format(row[col])}"
            if row["adm1_pcode"] in OFFSHORE_LABELS:
                pt = row.geometry.representative_point()
                ax.annotate(text, (pt.x, pt.y), xytext=OFFSHORE_LABELS[row["adm1_pcode"]], ha="center", va="center",
                            fontsize=6.5, arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5})
            else:
                pt = row.geometry.representative_point()
                ax.annotate(text, (pt.x, pt.y), ha="center", va="center", fontsize=6.5)
        ax.set_xlim(34.1, 42.5)
        _map_axes(ax)
    return _finish(fig, title, subtitle, as_of, geography.POPULATION_ATTRIBUTION, top=0.95)


def district_map(district_deaths: pd.Series, unplaced: pd.Series, as_of: pd.Timestamp,
                 title: str, subtitle: str) -> plt.Figure:
    """Deaths by district from precisely located incidents, with a bar of deaths that cannot be placed."""
    gdf = geography.admin2().merge(district_deaths.rename("deaths"), left_on="adm2_pcode", right_index=True, how="left")
    gdf["deaths"] = gdf["deaths"].fillna(0)
    fig, (ax, axb) = plt.subplots(1, 2, figsize=(9, 5), width_ratios=[3, 1.1])
    geography.admin1().boundary.plot(ax=ax, color="#888888", linewidth=0.5)
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


def _place_groups(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per point on the map: records at the same coordinates, event type and precision class
    are drawn as one circle whose area is their summed deaths."""
    data = incidents.assign(exact=incidents["geo_precision"] == "point",
                            short=incidents["location_name"].str.split(",").str[0].str.split(" \\(").str[0])
    grouped = data.groupby(["latitude", "longitude", "event_type", "exact"], sort=True).agg(
        deaths=("deaths_best", "sum"), records=("incident_id", "size"), name=("short", "first")).reset_index()
    return grouped.sort_values(["deaths", "name"], ascending=[False, True]).reset_index(drop=True)


def symbol_map(incidents: pd.DataFrame, as_of: pd.Timestamp, title: str, subtitle: str,
               bounds: tuple[float, float, float, float] | None = None, label_top: int = 0,
               figsize: tuple[float, float] = (9, 6.6)) -> plt.Figure:
    """Proportional symbols (area ∝ deaths) coloured by event type; filled where the village or town
    is known, hollow where the location is approximate (near a place, or a district). Records at the
    same point are drawn as one circle."""
    fig, ax = plt.subplots(figsize=figsize)
    geography.admin1().plot(ax=ax, color="#f4f4f4", edgecolor="#999999", linewidth=0.5)
    groups = _place_groups(incidents)
    scale = 1400.0 / max(1.0, float(groups["deaths"].max()))  # points² per death

    def area(deaths):
        return np.maximum(deaths, 1) * scale

    for event, colour in EVENT_COLOURS.items():
        sub = groups[groups["event_type"] == event]
        exact = sub["exact"]
        ax.scatter(sub.loc[exact, "longitude"], sub.loc[exact, "latitude"], s=area(sub.loc[exact, "deaths"]),
                   color=colour, alpha=0.6, edgecolor="white", linewidth=0.4)
        ax.scatter(sub.loc[~exact, "longitude"], sub.loc[~exact, "latitude"], s=area(sub.loc[~exact, "deaths"]),
                   facecolor="none", edgecolor=colour, linewidth=1.1)
    labelled = groups.drop_duplicates(["latitude", "longitude"]).head(label_top)
    for _, row in labelled.iterrows():
        total = groups.loc[(groups["latitude"] == row["latitude"]) & (groups["longitude"] == row["longitude"]), "deaths"].sum()
        ax.annotate(f"{row['name']} ({total:,})", (row["longitude"], row["latitude"]), fontsize=7,
                    xytext=(5, 4), textcoords="offset points")
    if bounds:
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
    _map_axes(ax)
    handles = [Patch(color=c, label=e) for e, c in EVENT_COLOURS.items() if (groups["event_type"] == e).any()]
    handles += [Line2D([], [], marker="o", ls="", mfc="#777777", mec="white", ms=8, label="village/town known"),
                Line2D([], [], marker="o", ls="", mfc="none", mec="#777777", ms=8, label="approximate location")]
    for n in (1, 10, 100, 1000):
        if n <= max(1, groups["deaths"].max()):
            handles.append(Line2D([], [], marker="o", ls="", mfc="none", mec="#444444", ms=float(np.sqrt(area(n))),
                                  label=f"{n:,} death{'s' if n > 1 else ''}"))
    ax.legend(handles=handles, loc="lower right", fontsize=7.5, frameon=True, framealpha=0.9, labelspacing=1.1)
    return _finish(fig, title, subtitle, as_of, top=0.95)


def quarterly_maps(quarters: dict[str, pd.Series], as_of: pd.Timestamp, title: str, subtitle: str) -> plt.Figure:
    """Small multiples: deaths by governorate per quarter, on one shared log colour scale."""
    adm1 = geography.admin1()
    vmax = max(2, max(s.max() for s in quarters.values()))
    n = len(quarters)
    cols = 3
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(9, 3.0 * rows + 0.6))
    axes = np.atleast_1d(axes).ravel()
    norm = LogNorm(vmin=1, vmax=vmax)
    for ax, (label, series) in zip(axes, quarters.items()):
        g = adm1.merge(series.rename("deaths"), left_on="adm1_pcode", right_index=True, how="left").fillna({"deaths": 0})
        if (g["deaths"] == 0).any():
            g[g["deaths"] == 0].plot(ax=ax, color="#f2f2f2", edgecolor="white", linewidth=0.4)
        if (g["deaths"] > 0).any():
            g[g["deaths"] > 0].plot(ax=ax, column="deaths", cmap=SEQUENTIAL_CMAP, norm=norm, edgecolor="white",
                                    linewidth=0.4)
        ax.set_title(f"{label}: {int(series.sum()):,}", fontsize=9, loc="center")
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
                 top: int = 7) -> plt.Figure:
    """Monthly stacked bars of a breakdown (perpetrator, mechanism ...); small groups merged into 'other'."""
    table = table.copy()
    if table.shape[1] > top:
        keep = list(table.columns[:top - 1])
        table["all others"] = table.drop(columns=keep).sum(axis=1)
        table = table[keep + ["all others"]]
    palette = [OKABE_ITO[k] for k in ("vermillion", "blue", "orange", "green", "purple", "sky_blue", "yellow")]
    fig, (ax, axs) = plt.subplots(2, 1, figsize=(9, 6.4), sharex=True, height_ratios=[2, 1.2])
    x = np.arange(len(table))
    bottom = np.zeros(len(table))
    shares = table.div(table.sum(axis=1).where(table.sum(axis=1) > 0), axis=0).fillna(0)
    sbottom = np.zeros(len(table))
    for i, col in enumerate(table.columns):
        colour = (colours or {}).get(col, "#bbbbbb" if col == "all others" else palette[i % len(palette)])
        ax.bar(x, table[col], bottom=bottom, color=colour, label=col, width=0.8, lw=0)
        axs.bar(x, shares[col], bottom=sbottom, color=colour, width=0.8, lw=0)
        bottom += table[col].to_numpy()
        sbottom += shares[col].to_numpy()
    cap = _cut_axis(ax, x, table.sum(axis=1), table.sum(axis=1))
    ax.set_ylabel(f"{ylabel}\n(axis cut at {cap:,.0f})")
    axs.set_ylabel("share of the month")
    axs.set_ylim(0, 1)
    axs.set_xticks(x, [m.strftime("%b\n%y") for m in table.index], fontsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return _finish(fig, title, subtitle, as_of, top=0.95)


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
    """Daily deaths of an episode's named incidents; hatched where the day is only the start of a span."""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.bar(daily.index, daily["day_known"], color=OKABE_ITO["vermillion"], label="day of death known", width=0.8)
    ax.bar(daily.index, daily["span_start"], bottom=daily["day_known"], color="white", edgecolor=OKABE_ITO["vermillion"],
           hatch="////", label="first day of a longer span", width=0.8)
    for day, total in (daily["day_known"] + daily["span_start"]).items():
        if total:
            ax.text(day, total, f"{total}", ha="center", va="bottom", fontsize=8)
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
    """For each episode (rows of `table`: episode, source, population, value, low, high), each source's
    latest figure as a dot (colour: source; shape: who is counted) and our low-best-high as a bar."""
    episodes = list(dict.fromkeys(table["episode"]))
    fig, ax = plt.subplots(figsize=(9, 0.75 * len(episodes) + 2.4))
    markers = {"all": "o", "civilians": "s"}
    seen: dict[str, str] = {}
    for i, ep in enumerate(episodes):
        rows = table[table["episode"] == ep]
        ours = rows[rows["source"] == "ours"]
        if len(ours):
            o = ours.iloc[0]
            ax.plot([o["low"], o["high"]], [i, i], color="#bbbbbb", lw=9, solid_capstyle="butt", zorder=1)
            ax.plot(o["value"], i, marker="|", color="black", ms=16, mew=2, zorder=2)
        for _, r in rows[rows["source"] != "ours"].iterrows():
            colour = SOURCE_COLOURS.get(r["source"], "#888888")
            label = source_label(r["source"], names) if r["source"] in SOURCE_COLOURS else "other outlets"
            seen.setdefault(label, colour)
            ax.plot(r["value"], i + 0.22, marker=markers.get(r["population"], "o"), ls="", ms=6.5, color=colour,
                    mec="white", mew=0.5, alpha=0.9, zorder=3)
    ax.set_yticks(range(len(episodes)), episodes, fontsize=8.5)
    ax.set_xscale("log")
    ax.set_ylim(-0.6, len(episodes) - 0.3)
    ax.invert_yaxis()
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("deaths (log scale)")
    handles = [Line2D([], [], color="#bbbbbb", lw=8, label="this record: low-high"),
               Line2D([], [], color="black", marker="|", ls="", ms=12, mew=2, label="this record: best")]
    handles += [Line2D([], [], color=c, marker="o", ls="", ms=6, label=l) for l, c in seen.items()]
    handles += [Line2D([], [], color="#444444", marker=m, ls="", ms=6, mfc="none", label=f"counts {p}")
                for p, m in (("everyone", "o"), ("civilians", "s"))]
    ax.legend(handles=handles, fontsize=7.5, loc="upper center", bbox_to_anchor=(0.45, -0.1), ncols=4, frameon=False)
    return _finish(fig, title, subtitle, as_of, "each source's latest published total (monitor_tolls.csv)", top=0.94)
