"""Write a synthetic dataset in our schema with about N claims, for the scale benchmarks.

The synthetic data are copies of the curated record, so they keep its real mix of claimants,
populations, figures as written ("dozens", "أكثر من 60", ...), qualifiers, partisan sources, unverified
rows, withdrawn incidents and remainders. Copy k of incident SYI-00042 becomes SYI-000k00042 (the
generated datapackage.json widens the id patterns to nine digits), its place name gets a copy mark
(so the duplicate check does not flag copies of the same event) and its claims' URLs a `#copy-k`
fragment. Copies carry no episode: the remainders, episodes, tolls, sources and actors are the
curated ones, once. Nothing here is data about Syria: these files exist only to time the code.

    .venv/bin/python benchmarks/generate.py --claims 100000 --out /tmp/synthetic-100k
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
TABLES = ("incidents", "claims", "sources", "episodes", "monitor_tolls", "actors", "number_words")
ID_DIGITS = 9


def _read(name: str, data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / f"{name}.csv", dtype=str, keep_default_na=False)


def _widen_ids(package: dict) -> dict:
    """The same Data Package with incident and claim ids of nine digits instead of five."""
    text = json.dumps(package)
    for prefix in ("SYI", "SYC"):
        text = text.replace(f"{prefix}-[0-9]{{5}}", f"{prefix}-[0-9]{{{ID_DIGITS}}}")
    return json.loads(text)


def _copy_id(ids: pd.Series, k: int) -> pd.Series:
    """SYI-00042, copy 3 -> SYI-000300042 (copy 0 keeps the number, padded)."""
    prefix = ids.str[:4]
    number = ids.str[4:]
    return prefix + f"{k:0{ID_DIGITS - 5}d}" + number


def generate(n_claims: int, out: Path, data_dir: Path = DATA) -> dict[str, int]:
    """Write the synthetic dataset to `out`; return the number of rows of each table."""
    tables = {name: _read(name, data_dir) for name in TABLES}
    incidents, claims = tables["incidents"], tables["claims"]
    named = incidents[incidents["record_type"] == "incident"]
    named_claims = claims[claims["incident_id"].isin(named["incident_id"])]
    copies = max(1, math.ceil((n_claims - (len(claims) - len(named_claims))) / max(1, len(named_claims))))
    if copies >= 10 ** (ID_DIGITS - 5):
        raise SystemExit(f"at most {10 ** (ID_DIGITS - 5) - 1} copies of the record; ask for fewer claims")
    inc_parts, claim_parts = [], []
    for k in range(copies):
        inc = named.copy()
        cl = named_claims.copy()
        inc["incident_id"] = _copy_id(inc["incident_id"], k)
        links = inc["linked_incidents"].str.split(";").explode().fillna("")
        to_named = links.isin(named["incident_id"])
        links = links.where(links == "", _copy_id(links, 0).where(~to_named, _copy_id(links, k)))
        inc["linked_incidents"] = links.groupby(level=0).agg(";".join)
        cl["claim_id"] = _copy_id(cl["claim_id"], k)
        cl["incident_id"] = _copy_id(cl["incident_id"], k)
        if k:
            inc["location_name"] = inc["location_name"] + f" synthetic copy {k}"
            inc["episode_id"] = ""
            cl["url"] = cl["url"] + f"#copy-{k}"
        inc_parts.append(inc)
        claim_parts.append(cl)
    remainders = incidents[incidents["record_type"] != "incident"].copy()
    remainder_claims = claims[~claims["incident_id"].isin(named["incident_id"])].copy()
    remainders["incident_id"] = _copy_id(remainders["incident_id"], 0)
    remainders["linked_incidents"] = remainders["linked_incidents"].map(
        lambda v: ";".join(_copy_id(pd.Series(v.split(";")), 0)) if v else "")
    remainder_claims["claim_id"] = _copy_id(remainder_claims["claim_id"], 0)
    remainder_claims["incident_id"] = _copy_id(remainder_claims["incident_id"], 0)
    tables["incidents"] = pd.concat(inc_parts + [remainders], ignore_index=True)
    tables["claims"] = pd.concat(claim_parts + [remainder_claims], ignore_index=True)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    (out / "datapackage.json").write_text(json.dumps(_widen_ids(package), indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    if (data_dir / "reference").exists() and not (out / "reference").exists():
        shutil.copytree(data_dir / "reference", out / "reference")
    return {name: len(frame) for name, frame in tables.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, required=True, help="about how many claims to write")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created if missing)")
    args = parser.parse_args(argv)
    counts = generate(args.claims, args.out)
    print(", ".join(f"{name}: {n:,}" for name, n in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
