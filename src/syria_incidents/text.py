"""Small formatters for findings written from computed numbers (notebooks never type a figure)."""

from __future__ import annotations

import html
import re

import pandas as pd

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def md(value) -> str:
    """Text from the data, safe inside Markdown: HTML escaped (no tag or attribute can survive) and
    Markdown's special characters backslash-escaped (no link, image or emphasis can be injected)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=True))


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
    return "n/a" if pd.isna(value) else pd.Timestamp(value).strftime("%-d %B %Y")


def month(value) -> str:
    return "n/a" if pd.isna(value) else pd.Timestamp(value).strftime("%B %Y")
