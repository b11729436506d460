"""Look place names up in the reference gazetteer (English or Arabic, tolerant of transliteration).

The gazetteer joins four tables of `data/reference/`: the 14 governorates with their aliases, the 61
districts, the 272 sub-districts and the populated places (OCHA admin-4 points and GeoNames towns with
their alternate names). Names are compared on two keys:

* a *normalised* form: lower case, accents and Arabic diacritics stripped, the article (al-, el-,
  as-, ال ...) and punctuation removed;
* a *skeleton*: the normalised Latin form without vowels and the weak letters w, y and h, with
  doubled letters collapsed, so that Jableh/Jablah/Jbleh, Baniyas/Banyas and Sanamayn/Sanamein meet.

This module uses the standard library only, so that `syria-incidents place` answers instantly.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import REFERENCE_DIR

ARTICLES = ("al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "es", "et", "ez", "ech")
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})

KIND_ORDER = {"governorate": 0, "district": 1, "sub-district": 2, "place": 3, "town": 3}


def is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def normalise(name: str) -> str:
    """A comparable form of a place name (Latin or Arabic script)."""
    text = name or ""
    if not text.isascii():  # ASCII, the common case, needs none of the Unicode passes
        text = unicodedata.normalize("NFKC", text).strip()
        if is_arabic(text):
            text = _ARABIC_DIACRITICS.sub("", text).translate(_ARABIC_FOLD)
            words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in re.split(r"[\s\-_/]+", text)]
            return " ".join(w for w in words if w)
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.lower().replace("ʿ", "").replace("ʾ", "").replace("'", "").replace("`", "").replace("’", "")
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def skeleton(name: str) -> str:
    """Consonant skeleton of a Latin name: tolerant of vowel and weak-letter spellings."""
    norm = normalise(name)
    if is_arabic(norm):
        return norm.replace(" ", "")
    norm = norm.replace(" ", "")
    norm = norm.replace("ou", "u").replace("dh", "d").replace("th", "t").replace("kh", "k")
    norm = norm.replace("gh", "g").replace("sh", "s").replace("q", "k").replace("c", "k").replace("e", "a")
    if not norm:
        return ""
    body = re.sub(r"[aeiouwyh]", "", norm[1:])
    out = norm[0] + body
    return re.sub(r"(.)\1+", r"\1", out)


@dataclass(frozen=True)
class Entry:
    name: str
    name_ar: str
    kind: str
    admin1_pcode: str
    admin2_pcode: str
    pcode: str
    latitude: float | None
    longitude: float | None
    source: str
    aliases: tuple[str, ...] = ()

    def keys(self) -> set[str]:
        return {self.name, self.name_ar, *self.aliases} - {""}


@dataclass(frozen=True)
class Match:
    entry: Entry
    matched_name: str
    score: float


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=4)
def load_entries(reference_dir: Path = REFERENCE_DIR) -> tuple[Entry, ...]:
    ref = Path(reference_dir)
    entries: list[Entry] = []
    adm1_centres = {r["adm1_pcode"]: r for r in _read(ref / "syria_adm1_names.csv")}
    capitals = {}
    for row in _read(ref / "syria_places.csv"):
        if row["capital_level"] == "1":
            capitals[row["adm1_pcode"]] = row
    for code, row in sorted(adm1_centres.items()):
        cap = capitals.get(code, {})
        aliases = tuple(a for a in (row["aliases_en"] + "|" + row["aliases_ar"]).split("|") if a)
        entries.append(Entry(row["adm1_name_en"], row["adm1_name_ar"], "governorate", code, "", code,
                             _float(cap.get("lat")), _float(cap.get("lon")),
                             "syria_adm1_names.csv (coordinates: the governorate capital)",
                             aliases + (row["adm1_name_common_en"],)))
    for row in _read(ref / "syria_adm3.csv"):
        entries.append(Entry(row["adm3_name_en"], row["adm3_name_ar"], "sub-district", row["adm1_pcode"],
                             row["adm2_pcode"], row["adm3_pcode"], _float(row["lat"]), _float(row["lon"]),
                             "syria_adm3.csv"))
    for row in _read(ref / "syria_population_adm2.csv"):
        entries.append(Entry(row["adm2_name_en"], row["adm2_name_ar"], "district", row["adm1_pcode"],
                             row["adm2_pcode_in_polygons"], row["adm2_pcode"], None, None,
                             "syria_population_adm2.csv"))
    for row in _read(ref / "syria_places.csv"):
        entries.append(Entry(row["name_en"], row["name_ar"], "place", row["adm1_pcode"],
                             row["adm2_pcode"], row["place_pcode"], _float(row["lat"]), _float(row["lon"]),
                             "syria_places.csv (OCHA)"))
    for row in _read(ref / "syria_places_geonames.csv"):
        alternates = tuple(a for a in (row["alternatenames"] + "|" + row["name_ar"]).split("|")
                           if a and (a.isascii() or is_arabic(a)))
        entries.append(Entry(row["name"], row["name_ar"].split("|")[0], "town", row["adm1_pcode"],
                             row["adm2_pcode"], "geonames:" + row["geonameid"], _float(row["lat"]),
                             _float(row["lon"]), "syria_places_geonames.csv (GeoNames)", alternates))
    return tuple(entries)


@lru_cache(maxsize=4)
def _index(reference_dir: Path = REFERENCE_DIR) -> tuple[dict[str, list[tuple[Entry, str]]], dict[str, list[tuple[Entry, str]]]]:
    by_norm: dict[str, list[tuple[Entry, str]]] = {}
    by_skel: dict[str, list[tuple[Entry, str]]] = {}
    for entry in load_entries(reference_dir):
        for key in entry.keys():
            by_norm.setdefault(normalise(key), []).append((entry, key))
            skel = skeleton(key)
            if len(skel) >= 2:
                by_skel.setdefault(skel, []).append((entry, key))
    return by_norm, by_skel


# Well-known places outside Syria whose consonants resemble Syrian villages' (Beirut ~ Bhorta): never matched.
FOREIGN_PLACES = frozenset(normalise(n) for n in (
    "Paris", "London", "Berlin", "Moscow", "Washington", "New York", "Beirut", "Tripoli", "Sidon", "Tyre",
    "Baalbek", "Baghdad", "Mosul", "Erbil", "Basra", "Kirkuk", "Amman", "Irbid", "Zarqa", "Aqaba", "Jerusalem",
    "Tel Aviv", "Haifa", "Gaza", "Cairo", "Riyadh", "Tehran", "Ankara", "Istanbul", "Gaziantep", "Antakya",
    "Sanliurfa", "Urfa", "Kilis", "Hatay", "Adana", "Mersin", "Doha", "Dubai", "Kuwait"))


def is_foreign(name: str) -> bool:
    """True for a well-known place outside Syria (the gazetteer must not offer a Syrian village for it)."""
    return normalise(name) in FOREIGN_PLACES


def lookup(name: str, admin1_pcode: str | None = None, limit: int = 10,
           reference_dir: Path = REFERENCE_DIR) -> list[Match]:
    """Candidates for a place name, best first.

    Exact matches of the normalised name score 1.0; matches on the consonant skeleton score between 0.6
    and 0.9 by how close the spellings are; other near spellings their similarity ratio (at least 0.75,
    scaled to at most 0.89). `admin1_pcode` keeps one governorate. Well-known places outside Syria
    (FOREIGN_PLACES) give no match at all.
    """
    by_norm, by_skel = _index(reference_dir)
    query = normalise(name)
    if not query or query in FOREIGN_PLACES:
        return []
    found: dict[tuple[str, str], Match] = {}

    def add(pairs: list[tuple[Entry, str]], score: float) -> None:
        for entry, key in pairs:
            ident = (entry.kind, entry.pcode)
            if ident not in found or found[ident].score < score:
                found[ident] = Match(entry, key, score)

    add(by_norm.get(query, []), 1.0)
    for entry, key in by_skel.get(skeleton(name), []):
        ratio = difflib.SequenceMatcher(None, query, normalise(key)).ratio()
        add([(entry, key)], round(0.6 + 0.3 * ratio, 3))
    for close in difflib.get_close_matches(query, list(by_norm), n=limit, cutoff=0.75):
        add(by_norm[close], round(difflib.SequenceMatcher(None, query, close).ratio() * 0.89, 3))
    matches = [m for m in found.values() if admin1_pcode in (None, "", m.entry.admin1_pcode)]
    matches.sort(key=lambda m: (-m.score, KIND_ORDER.get(m.entry.kind, 9), m.entry.pcode))
    return matches[:limit]


def admin1_pcode_for(name: str, reference_dir: Path = REFERENCE_DIR) -> str | None:
    """The governorate P-code for a governorate name or alias (None when it is not one)."""
    for match in lookup(name, limit=20, reference_dir=reference_dir):
        if match.entry.kind == "governorate" and match.score >= 0.9:
            return match.entry.pcode
    return None


def format_matches(matches: list[Match]) -> str:
    if not matches:
        return "no match"
    lines = []
    for m in matches:
        e = m.entry
        coords = f"{e.latitude:.5f},{e.longitude:.5f}" if e.latitude is not None else "-"
        lines.append(f"{m.score:.2f}  {e.kind:<12} {e.name} | {e.name_ar}  pcode={e.pcode}  "
                     f"admin1={e.admin1_pcode} admin2={e.admin2_pcode or '-'}  lat,lon={coords}"
                     + (f"  (matched '{m.matched_name}')" if m.matched_name not in (e.name, e.name_ar) else ""))
    return "\n".join(lines)
