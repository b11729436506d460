"""Every figure function returns a figure with a title, the source line and the boundary attribution."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from syria_incidents import aggregate, findings, plots, style
from syria_incidents.load import load_tables


@pytest.fixture(scope="module")
def t(tmp_path_factory):
    import shutil
    from conftest import FIXTURES

    target = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(FIXTURES / "valid", target)
    style.use_house_style()
    return load_tables(target)


def svg_text(path) -> str:
    """The text of an SVG with tags removed and wrapped lines joined."""
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())


def figures(t):
    inc, as_of = t.incidents, t.as_of
    active = aggregate.active(inc)
    named = aggregate.deaths_by_period(inc[inc["record_type"] == "incident"], "W", end=as_of)
    rem = aggregate.deaths_by_period(inc[inc["record_type"] == "remainder"], "W", end=as_of)
    comparison = aggregate.monthly_comparison(inc, t.verified_tolls)
    yield plots.weekly_deaths(named, rem, t.episodes, as_of, "T", "S")
    yield plots.monthly_comparison(comparison, as_of, "T", "S")
    yield plots.capture_shares(findings.capture_by_month(comparison), as_of, "T", "S")
    yield plots.choropleth_pair(aggregate.by_governorate(inc), as_of, "T", "S")
    yield plots.district_map(active.groupby("admin2_pcode")["deaths_best"].sum(), pd.Series({"x": 1}), as_of, "T", "S")
    yield plots.symbol_map(active[active["geo_precision"] != "admin1"], as_of, "T", "S", label_top=2)
    yield plots.quarterly_maps({"2025 Q1": active.groupby("admin1_pcode")["deaths_best"].sum()}, as_of, "T", "S")
    yield plots.heatmap(aggregate.governorate_by_month(inc).round(0), as_of, "T", "S")
    yield plots.stacked_bars(aggregate.share_table(inc, "perpetrator"), as_of, "T", "S",
                             colours={a: style.actor_colour(a) for a in active["perpetrator"].unique()})
    yield plots.small_multiples(aggregate.share_table(inc, "mechanism"), as_of, "T", "S")
    yield plots.horizontal_bars(pd.Series({"a": 1, "b": 2}), as_of, "T", "S")
    yield plots.civilian_share(aggregate.civilian_targeting_share(inc), as_of, "T", "S")
    yield plots.episode_timeline(aggregate.episode_daily(inc, "coast-test"), as_of, "T", "S")
    yield plots.toll_drift(aggregate.toll_drift(t.monitor_tolls, "coast-test"), 106, as_of, "T", "S")
    named_inc = inc[inc["record_type"] == "incident"]
    yield plots.coverage(aggregate.weekly_coverage(inc), aggregate.governorate_by_month(named_inc, "incidents"), as_of, "T", "S")
    yield plots.source_ranges(pd.DataFrame([
        {"episode": "E", "source": "ours", "value": 106, "low": 100, "high": 130, "population": "all"},
        {"episode": "E", "source": "sohr", "value": 120, "low": None, "high": None, "population": "civilians"}]),
        as_of, "T", "S")


def test_every_figure_has_source_line_and_attribution(t, tmp_path) -> None:
    made = 0
    for fig in figures(t):
        texts = [x.get_text() for x in fig.texts]
        source = [x for x in texts if x.startswith("Source: syria-incidents, data to 22 June 2025")]
        assert source, texts
        assert "UN OCHA COD-AB" in source[0]
        assert any(x == "T" for x in [fig._suptitle.get_text()] if fig._suptitle)
        style.save_figure(fig, f"00-test-{made}", directory=tmp_path)
        paths = style.figure_paths(f"00-test-{made}", tmp_path)
        assert all(p.stat().st_size > 1000 for p in paths)
        assert "Source: syria-incidents" in svg_text(paths[1])
        plt.close(fig)
        made += 1
    assert made == 16


def test_saved_figures_are_byte_identical(t, tmp_path) -> None:
    first = next(figures(t))
    style.save_figure(first, "00-a", directory=tmp_path / "1")
    style.save_figure(first, "00-a", directory=tmp_path / "2")
    a, b = style.figure_paths("00-a", tmp_path / "1"), style.figure_paths("00-a", tmp_path / "2")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    plt.close(first)


def test_one_colour_per_meaning() -> None:
    """Grey means 'not known' everywhere; the state's forces are blue as victims and as perpetrators;
    no actor takes a monitor's colour or the civilians' vermillion."""
    assert style.VICTIM_COLOURS["unknown_status"] == style.ACTOR_COLOURS["unidentified"] == style.GREY
    assert style.VICTIM_COLOURS["security_forces"] == style.ACTOR_COLOURS["syrian_gov"]
    armed = {k: v for k, v in style.ACTOR_COLOURS.items() if k not in ("civilians", "unidentified")}
    monitors = {style.SOURCE_COLOURS["sohr"], style.SOURCE_COLOURS["snhr"]}
    assert not monitors & set(armed.values())
    assert style.VICTIM_COLOURS["civilians"] not in armed.values()
    assert len(set(armed.values())) == len(armed)


def test_weekly_chart_draws_every_category_and_cuts_in_its_own_panel(t) -> None:
    inc, as_of = t.incidents, t.as_of
    named = aggregate.deaths_by_period(inc[inc["record_type"] == "incident"], "W", end=as_of)
    rem = aggregate.deaths_by_period(inc[inc["record_type"] == "remainder"], "W", end=as_of)
    fig = plots.weekly_deaths(named, rem, t.episodes, as_of, "T", "S")
    main, peaks, shares = fig.axes[:3]
    assert main.get_yscale() == "linear" and shares.get_ylim() == (0, 1)
    assert [tick.get_text() for tick in peaks.get_xticklabels()] == ["3 Mar\n2025"]  # the week above the cut
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert "Status not reported" in legend and any("remainder" in x for x in legend)
    plt.close(fig)
