"""Read a figure exactly as a page writes it (`figure_as_written`) and check it against the record.

`claims.figure_as_written` keeps each figure of a claim as its page writes it, and nothing more:
`total: at least 60; civilians: 45`. `monitor_tolls.figure_as_written` holds one figure (`1,383`).
This module turns such text back into a number and a qualifier, so that the validator can say
where the words on the page do not give the number in the record.

What a figure may be (the codebook's "Figures as written"):

* digits in Latin, Arabic-Indic (٠-٩) or Persian (۰-۹) script, with thousands separators
  (`1,383`, `١٬٣٨٣`, `1 383`);
* a number word or a vague word from `data/number_words.csv` (`ستين` = 60, `two` = 2, `dozens` = 12, as
  ACLED codes them);
* either of those with qualifier words before or after it from the same table (`at least 60`,
  `أكثر من 1000`, `少なくとも3`, `30以上`), and counters that only follow a number (`3人`); where the page
  puts words between the figure and its qualifier, they are left out and marked with an ellipsis
  (`ستة … على الأقل` for "six people at least");
* several such figures joined by ` + ` when the record's figure is the sum of figures the page gives
  separately (`10 + seven`), or ` - ` when it is one figure less another the same page gives
  (`1,420 - three`: a total that includes deaths recorded as another incident);
* a count the page gives by a noun rather than a number, written as the page's words in braces and the
  count they give: `{a young man}=1`, `{شاب}=1`, `{若い男性}=1`; `{عنصرين}=2` for an Arabic dual. Only 1
  (a singular noun) and 2 (a dual) can be read this way.

Standard library only: the validator reads every claim's figures.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Keys of claims.figure_as_written and the claim columns they give.
FIGURE_KEYS = {
    "total": "killed_total",
    "civilians": "killed_civilians",
    "security_forces": "killed_security_forces",
    "other_armed": "killed_other_armed",
    "injured": "injured",
}
QUALIFIERS = ("exact", "at_least", "more_than", "about", "up_to", "vague")
# When parts of a sum carry different qualifiers, the strongest statement about the whole wins.
_QUALIFIER_RANK = {q: i for i, q in enumerate(("exact", "up_to", "about", "more_than", "at_least", "vague"))}

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = re.compile(r"^\d{1,3}(?:(?P<sep>[,٬. '’])\d{3})(?:(?P=sep)\d{3})*$|^\d+$")
_NOUN = re.compile(r"^\{(?P<words>[^{}]+)\}\s*=\s*(?P<n>[0-9]+)$")
_TERMS = re.compile(r"\s([+-])\s")


class FigureError(ValueError):
    """The text cannot be read as a figure; the message says why."""


@dataclass(frozen=True)
class Figure:
    value: int
    qualifier: str  # one of QUALIFIERS


@dataclass(frozen=True)
class Lexicon:
    numbers: dict[str, int]       # number words: exact values
    vague: dict[str, int]         # vague words: ACLED's codes
    qualifiers: dict[str, str]    # qualifier words -> qualifier
    counters: frozenset[str]      # words that only follow a number (人, 名)


_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # vowel marks, shadda, tatweel


def _fold(text: str) -> str:
    """NFKC, Latin lower case, single spaces, Arabic-Indic and Persian digits as Latin digits, Arabic vowel
    marks dropped, and an ellipsis (words of the page left out between a figure and its qualifier) removed."""
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS)
    text = _ARABIC_MARKS.sub("", text).translate(_ALEF).replace("…", " ").replace("...", " ")
    return re.sub(r"\s+", " ", text.strip().lower())


def read_lexicon(path: Path) -> Lexicon:
    """The words of `number_words.csv` (columns text, language, kind, value, qualifier, note)."""
    numbers, vague, qualifiers, counters = {}, {}, {}, set()
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            word, kind = _fold(row.get("text") or ""), row.get("kind")
            if not word:
                continue
            if kind == "number":
                numbers[word] = int(row["value"])
            elif kind == "vague":
                vague[word] = int(row["value"])
            elif kind == "qualifier":
                qualifiers[word] = row["qualifier"]
            elif kind == "counter":
                counters.add(word)
    return Lexicon(numbers, vague, qualifiers, frozenset(counters))


@lru_cache(maxsize=8)
def lexicon_at(path: str, mtime_ns: int) -> Lexicon:  # mtime in the key: an edited table is re-read
    return read_lexicon(Path(path))


def load_lexicon(data_dir: Path) -> Lexicon:
    path = Path(data_dir) / "number_words.csv"
    return lexicon_at(str(path), path.stat().st_mtime_ns)


def _strip_affixes(text: str, lexicon: Lexicon) -> tuple[str, list[str]]:
    """Remove qualifier words and counters from either end; return the core and the qualifiers."""
    found: list[str] = []
    changed = True
    words = sorted(lexicon.qualifiers, key=len, reverse=True)
    counters = sorted(lexicon.counters, key=len, reverse=True)
    while changed and text:
        changed = False
        for word in words:
            if text.startswith(word) and text != word:
                text, changed = text[len(word):].strip(), True
                found.append(lexicon.qualifiers[word])
                break
            if text.endswith(word) and text != word:
                text, changed = text[: -len(word)].strip(), True
                found.append(lexicon.qualifiers[word])
                break
        for word in counters:
            if text.endswith(word) and text != word:
                text, changed = text[: -len(word)].strip(), True
                break
    return text, found


def _word_value(core: str, lexicon: Lexicon) -> tuple[int, str] | None:
    """A number or vague word, also with the Arabic article (الأربعة) or as an English compound (twenty-two)."""
    for word in (core, core[2:] if core.startswith("ال") and len(core) > 3 else None):
        if word and word in lexicon.numbers:
            return lexicon.numbers[word], "exact"
        if word and word in lexicon.vague:
            return lexicon.vague[word], "vague"
    parts = core.split("-")
    if len(parts) == 2 and all(p in lexicon.numbers for p in parts):
        tens, units = (lexicon.numbers[p] for p in parts)
        if tens % 10 == 0 and 20 <= tens <= 90 and 1 <= units <= 9:
            return tens + units, "exact"
    return None


def parse_one(text: str, lexicon: Lexicon) -> Figure:
    """One figure, possibly qualified: `at least 60` -> Figure(60, 'at_least')."""
    noun = _NOUN.match(text.strip())
    if noun:
        n = int(noun.group("n"))
        if n not in (1, 2):
            raise FigureError(f"'{text.strip()}': a noun gives a count of 1 (or 2 for a dual), not {n}")
        return Figure(n, "exact")
    folded = _fold(text)
    if not folded:
        raise FigureError("empty figure")
    core, qualifiers = _strip_affixes(folded, lexicon)
    word = _word_value(core, lexicon)
    if _NUMBER.match(core):
        value = int(re.sub(r"\D", "", core))
        qualifier = "exact"
    elif word:
        value, qualifier = word
    else:
        raise FigureError(f"cannot read '{text.strip()}' as a figure (digits, or a word of number_words.csv)")
    if qualifier == "exact" and qualifiers:
        qualifier = qualifiers[0]
    return Figure(value, qualifier)


# Words that describe the dead as children or women (the folded forms of `_fold`). The monitors count
# children and women among civilians (SNHR: "civilians, including N children and M women"), so a total
# written only with these words states civilians: the claim records it as its civilian figure too.
CHILD_OR_WOMAN_WORDS = frozenset(_w for _w in (
    "child", "children", "boy", "boys", "girl", "girls", "baby", "babies", "infant", "infants", "toddler",
    "woman", "women", "mother",
    "طفل", "طفلا", "طفلة", "طفلان", "طفلين", "طفلتان", "طفلتين", "اطفال", "الطفل", "الطفلة", "رضيع", "رضيعة",
    "امراة", "امرأة", "المراة", "سيدة", "سيدتان", "سيدتين", "نساء", "فتاة", "فتاتان", "فتاتين", "طفلته", "طفله",
))
_CHILD_OR_WOMAN_FOLDED = frozenset(_fold(w) for w in CHILD_OR_WOMAN_WORDS)


def only_children_or_women(text: str) -> bool:
    """True when a figure as written is a sum of nouns (`{طفل}=1 + {امرأة}=1`) each naming children or
    women, and nothing else."""
    terms = _TERMS.split(text.strip())
    nouns = [_NOUN.match(part.strip()) for part in terms[0::2]]
    if not nouns or not all(nouns) or "-" in terms[1::2]:
        return False
    for noun in nouns:
        tokens = re.split(r"[\s\-]+", _fold(noun.group("words")))
        if not any(t in _CHILD_OR_WOMAN_FOLDED for t in tokens):
            return False
    return True


def parse_figure(text: str, lexicon: Lexicon) -> Figure:
    """A figure, or figures joined by ' + ' (a sum) and ' - ' (a difference)."""
    tokens = _TERMS.split(text.strip())
    signs = ["+", *tokens[1::2]]
    figures = [parse_one(part, lexicon) for part in tokens[0::2]]
    value = sum(f.value if sign == "+" else -f.value for sign, f in zip(signs, figures))
    if value < 0:
        raise FigureError(f"'{text.strip()}' gives a negative figure")
    qualifier = max((f.qualifier for f in figures), key=_QUALIFIER_RANK.__getitem__)
    return Figure(value, qualifier)


def split_claim_figures(text: str) -> dict[str, str]:
    """`total: at least 60; civilians: 45` -> {'total': 'at least 60', 'civilians': '45'}.

    Raises FigureError for an unknown key, a key given twice or an entry without `key: `.
    """
    out: dict[str, str] = {}
    for entry in (e.strip() for e in text.split(";")):
        if not entry:
            continue
        key, sep, figure = entry.partition(":")
        key = key.strip()
        if not sep or not figure.strip():
            raise FigureError(f"'{entry}' is not 'key: figure' (keys: {', '.join(FIGURE_KEYS)})")
        if key not in FIGURE_KEYS:
            raise FigureError(f"unknown key '{key}' (keys: {', '.join(FIGURE_KEYS)})")
        if key in out:
            raise FigureError(f"'{key}' is given twice")
        out[key] = figure.strip()
    return out


def claim_figures(text: str, lexicon: Lexicon) -> dict[str, Figure]:
    """The parsed figures of a claim's figure_as_written, by claim column name."""
    return {FIGURE_KEYS[k]: parse_figure(v, lexicon) for k, v in split_claim_figures(text).items()}


def format_claim_figures(figures: dict[str, str]) -> str:
    """The inverse of split_claim_figures, keys in the canonical order."""
    return "; ".join(f"{k}: {figures[k]}" for k in FIGURE_KEYS if figures.get(k))
