"""The estimation rule: an incident's low, best and high tolls and its victim split, from its claims.

The rule (documented in data/README.md, "How the estimates are derived"):

1. Credible claims are those of non-partisan claimants. When only partisan claimants (parties to the
   violence) give a figure, their claims are used and the incident is flagged `partisan_only`.
2. Each claimant counts once, with its latest figure: the claim with the latest `published_at`
   (on the same day, the larger figure, then the higher claim_id). Earlier figures of the same
   claimant stay in claims.csv as the history of the toll.
3. low = the smallest, high = the largest of these figures; best = their median, taking the lower
   of the two middle values when their number is even, so that best is always a figure some claimant
   actually gave and leans to the conservative side.
4. The victim split comes from the claim that gives the best figure (among several, the one that
   states most categories, then the first claimant by source_id): its civilians, security forces and
   other armed (in that order, capped at deaths_best); the rest is `deaths_unknown_status`.
5. A `remainder` record carries governorate totals for an episode (claims of scope `area_total`).
   Steps 1-4 give the governorate total; the named incidents of the same episode and governorate
   (their deaths_best) are subtracted from low, best and high, floored at zero. Each victim category
   keeps what the total claims beyond the named incidents, capped so that the split never exceeds
   deaths_best; the rest is unknown status.
"""

from __future__ import annotations

import pandas as pd

CATEGORIES = ("civilians", "security_forces", "other_armed")
ESTIMATE_COLUMNS = ("deaths_low", "deaths_best", "deaths_high", "deaths_civilians",
                    "deaths_security_forces", "deaths_other_armed", "deaths_unknown_status",
                    "fatality_basis", "n_claimants", "partisan_only")


def _int(value) -> int:
    return 0 if pd.isna(value) else int(value)


def latest_claims(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Claims used by the rule: credible claimants' latest figures, one per incident and claimant."""
    partisan = sources.set_index("source_id")["partisan"].astype("boolean").fillna(False)
    claims = claims[claims["killed_total"].notna()]
    c = claims.assign(partisan=claims["source_id"].map(partisan).fillna(False).astype(bool))
    has_independent = c.groupby("incident_id")["partisan"].transform(lambda s: (~s).any())
    c = c[~c["partisan"] | ~has_independent]
    c = c.sort_values(["incident_id", "source_id", "published_at", "killed_total", "claim_id"])
    return c.groupby(["incident_id", "source_id"], sort=True).tail(1)


def _summarise(group: pd.DataFrame) -> dict:
    values = sorted(int(v) for v in group["killed_total"])
    best = values[(len(values) - 1) // 2]
    at_best = group[group["killed_total"] == best].copy()
    at_best["_stated"] = at_best[[f"killed_{c}" for c in CATEGORIES]].notna().sum(axis=1)
    chosen = at_best.sort_values(["_stated", "source_id"], ascending=[False, True]).iloc[0]
    split = {c: _int(chosen[f"killed_{c}"]) for c in CATEGORIES}
    return {
        "deaths_low": values[0], "deaths_best": best, "deaths_high": values[-1],
        **{f"split_{c}": v for c, v in split.items()},
        "n_claimants": len(values), "partisan_only": bool(group["partisan"].all()),
    }


def derive_estimates(incidents: pd.DataFrame, claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The estimate columns for every incident that has claims, indexed by incident_id.

    `incidents`, `claims` and `sources` are typed tables (see load.py). Withdrawn incidents are
    derived too (their figures are kept for the record) but never count towards a remainder.
    """
    latest = latest_claims(claims, sources)
    rows = {iid: _summarise(group) for iid, group in latest.groupby("incident_id", sort=True)}
    info = incidents.set_index("incident_id")
    out: dict[str, dict] = {}
    for iid, summary in rows.items():
        if iid not in info.index or info.at[iid, "record_type"] == "remainder":
            continue
        split, budget = {}, summary["deaths_best"]
        for c in CATEGORIES:  # capped: a claim whose categories exceed its total is flagged by the validator
            split[c] = min(budget, summary[f"split_{c}"])
            budget -= split[c]
        out[iid] = _finish(summary, split, "single_claim" if summary["n_claimants"] == 1 else "median_of_claims")

    components = pd.DataFrame.from_dict(out, orient="index")
    for iid, summary in rows.items():
        if iid not in info.index or info.at[iid, "record_type"] != "remainder":
            continue
        same = info[(info["record_type"] == "incident") & (info["status"] == "active")
                    & (info["episode_id"] == info.at[iid, "episode_id"])
                    & (info["admin1_pcode"] == info.at[iid, "admin1_pcode"])].index
        named = components.reindex(same).fillna(0) if len(components) else pd.DataFrame()
        named_best = int(named["deaths_best"].sum()) if len(named) else 0
        low, best, high = (max(0, summary[k] - named_best) for k in ("deaths_low", "deaths_best", "deaths_high"))
        split, budget = {}, best
        for c in CATEGORIES:
            named_c = int(named[f"deaths_{c}"].sum()) if len(named) else 0
            split[c] = min(budget, max(0, summary[f"split_{c}"] - named_c))
            budget -= split[c]
        out[iid] = _finish({**summary, "deaths_low": low, "deaths_best": best, "deaths_high": high},
                           split, "remainder")
    frame = pd.DataFrame.from_dict(out, orient="index", columns=list(ESTIMATE_COLUMNS))
    frame.index.name = "incident_id"
    return frame.sort_index()


def _finish(summary: dict, split: dict, basis: str) -> dict:
    return {
        "deaths_low": summary["deaths_low"], "deaths_best": summary["deaths_best"],
        "deaths_high": summary["deaths_high"],
        **{f"deaths_{c}": split[c] for c in CATEGORIES},
        "deaths_unknown_status": summary["deaths_best"] - sum(split.values()),
        "fatality_basis": basis, "n_claimants": summary["n_claimants"],
        "partisan_only": summary["partisan_only"],
    }


def _csv_value(column: str, value) -> str:
    """How an estimate is written in incidents.csv."""
    if column == "partisan_only":
        return "true" if bool(value) else "false"
    if column == "fatality_basis":
        return str(value)
    return str(int(value))


def apply_estimates(raw_incidents: pd.DataFrame, estimates: pd.DataFrame) -> pd.DataFrame:
    """A copy of the raw (string) incidents table with its estimate columns replaced by `estimates`
    (rows without claims keep what they had)."""
    out = raw_incidents.copy()
    est = estimates.reindex(out["incident_id"])
    for col in ESTIMATE_COLUMNS:
        out[col] = [old if pd.isna(new) else _csv_value(col, new) for old, new in zip(out[col], est[col].to_numpy())]
    return out
