"""Small formatters for findings written from computed numbers (notebooks never type a figure)."""

from __future__ import annotations

import pandas as pd


def n(value) -> str:
    """1234 -> '1,234'; missing -> 'n/a'."""
    return "n/a" if pd.isna(value) else f"{int(round(float(value))):,}"


def pct(value, digits: int = 0) -> str:
    return "n/a" if pd.isna(value) else f"{float(value):.{digits}%}"


def span(low, best, high) -> str:
    """'1,234 (range 1,100–1,500)' or just '12' when the claims agree."""
    if int(low) == int(high):
        return n(best)
    return f"{n(best)} (range {n(low)}–{n(high)})"


def day(value) -> str:
    return pd.Timestamp(value).strftime("%-d %B %Y")


def month(value) -> str:
    return pd.Timestamp(value).strftime("%B %Y")
