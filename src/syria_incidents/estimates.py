"""The estimation rule (version 2): an incident's low, best and high tolls and its victim split, from its claims.

The rule is the codebook's ("How the estimates are derived", with a worked example for each case);
in short:

1. **Usable claims** are verified (`verification = verified`: the figure was read again on its page)
   and give a total. A claim is **partisan** for an incident when its claimant speaks for the
   perpetrator's side or the attacked side (`sources.speaks_for` -> `actors.side`); a claim resting on a
   single unconfirmed testimony (`unconfirmed`) is not a credible claimant. The estimate uses the
   credible claims; only when there are none, the testimonies (`testimony_only`), and only then the
   partisan claims (`partisan_only`).
2. **Each claimant counts once** with its latest figure for the whole incident (and, separately, its
   latest figure for part of it); earlier figures are the toll's history.
3. **low** is the smallest and **high** the largest of these figures.
4. **best** comes from the preferred figures: figures for the whole incident that are not early (an
   early figure is called initial or preliminary, or is superseded by a larger figure of another
   credible claimant published later, no more than seven days after the incident ended); among them,
   those of the highest-ranking kind of claimant present (monitors, the UN, official bodies and
   rescue services above outlets counting on their own). best is their median, the lower middle value
   when their number is even. Early figures, then figures for part of the incident, are used only
   when nothing better exists.
5. **Victim split**: each category is the largest figure for it among the claims used in 3 (a claim
   that states a population's toll states that category); if the categories add up to more than best
   they are scaled down to best (largest remainders). Then the **coding rule**: deaths still of unknown
   status in an incident coded as violence against civilians (ACLED's "Violence against civilians") or
   tagged `massacre` are civilians, unless `status_reason` says why not. `civilians_from_coding` counts
   them and `split_basis` says where the split comes from.
6. **Remainders** carry monitors' episode totals for one governorate and span of days (claims of scope
   `area_total`). A total of one population (civilians, the state's forces, other armed groups: the
   category the claim gives equal to its total) subtracts the named incidents' deaths of that population;
   a total of everyone subtracts all their deaths; only named incidents of the same episode and
   governorate whose days overlap the remainder's count. With `v` a total and `N_low, N_best, N_high`
   those named deaths: high = max(v - N_high), best = min(the preferred totals' median of v - N_best,
   high), low = min(best, min(v - N_low)), each floored at zero. Named incidents plus the remainder thus
   never exceed the highest credible total (plus named deaths outside its population).

Everything is computed on whole columns (no Python loop over incidents), so that a million claims
derive in seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CATEGORIES = ("civilians", "security_forces", "other_armed")
SPLIT_COLUMNS = tuple(f"deaths_{c}" for c in (*CATEGORIES, "unknown_status"))
ESTIMATE_COLUMNS = ("deaths_low", "deaths_best", "deaths_high", "deaths_civilians",
                    "deaths_security_forces", "deaths_other_armed", "deaths_unknown_status",
                    "civilians_from_coding", "split_basis", "fatality_basis", "n_claimants", "partisan_only")
CLAIM_DERIVED = ("qualifier", "partisan", "used_as")
INTEGER_COLUMNS = ("deaths_low", "deaths_best", "deaths_high", "deaths_civilians", "deaths_security_forces",
                   "deaths_other_armed", "deaths_unknown_status", "civilians_from_coding", "n_claimants")

# Rank of a claimant's kind for the best figure (lower ranks first): monitors, the UN, official bodies
# and rescue services keep their own counts; outlets and others report what they could count or hear.
RANK = {"monitor": 1, "un": 1, "government": 1, "foreign_government": 1, "armed_group": 1,
        "rescue_service": 1, "wire": 2, "media_international": 2, "media_regional": 2,
        "media_syrian": 2, "encyclopedia": 2, "other": 2}
SUPERSEDE_DAYS = 7
VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
TIER_BASIS = {0: "claimants", 1: "testimony_only", 2: "partisan_only"}


def claim_partisan(claims: pd.DataFrame, incidents: pd.DataFrame, sources: pd.DataFrame,
                   actors: pd.DataFrame) -> pd.Series:
    """True where the claimant speaks for the perpetrator's side or the attacked side of the incident."""
    side = actors.set_index("actor_id")["side"]
    side = side[side.fillna("") != ""]
    speaks = claims["source_id"].map(sources.set_index("source_id")["speaks_for"]).map(side)
    info = incidents.set_index("incident_id")
    perp = claims["incident_id"].map(info["perpetrator"]).map(side)
    attacked = claims["incident_id"].map(info["attacked_side"]).map(side)
    return (speaks.notna() & ((speaks == perp) | (speaks == attacked))).astype(bool)


def _lower_middle(frame: pd.DataFrame, key: str, value: str) -> pd.DataFrame:
    """Per `key`, the row holding the lower middle `value` (rows sorted by value, then source_id)."""
    f = frame.sort_values([key, value, "source_id", "claim_id"])
    pos = f.groupby(key).cumcount()
    size = f.groupby(key)[value].transform("size")
    return f[pos == (size - 1) // 2].set_index(key)


def _scale_down(parts: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """Scale each row of non-negative integer `parts` down to sum to at most `budget` (largest remainders)."""
    total = parts.sum(axis=1)
    over = total > budget
    if not over.any():
        return parts
    out = parts.copy()
    p, b, t = parts[over].astype(float), budget[over].astype(float), total[over].astype(float)
    exact = p * (b / t)[:, None]
    floor = np.floor(exact).astype(np.int64)
    short = (b - floor.sum(axis=1)).astype(np.int64)
    order = np.argsort(-(exact - floor), axis=1, kind="stable")
    ranks = np.argsort(order, axis=1, kind="stable")
    floor += (ranks < short[:, None]).astype(np.int64)
    out[over] = floor
    return out


def _prepare(claims: pd.DataFrame, incidents: pd.DataFrame, sources: pd.DataFrame,
             actors: pd.DataFrame) -> pd.DataFrame:
    """Claims with the columns the rule needs: partisan, tier, rank, whether usable."""
    c = claims[claims["incident_id"].isin(incidents["incident_id"])].copy()
    c["partisan"] = claim_partisan(c, incidents, sources, actors)
    c["rank"] = c["source_id"].map(sources.set_index("source_id")["source_type"]).map(RANK).fillna(2).astype(int)
    unconfirmed = c["unconfirmed"].fillna(False).astype(bool)
    c["tier"] = np.where(c["partisan"], 2, np.where(unconfirmed, 1, 0))
    c["usable"] = (c["verification"] == "verified") & c["killed_total"].notna()
    c["part"] = c["claim_scope"] == "partial"
    return c


def _select(c: pd.DataFrame) -> pd.DataFrame:
    """Usable claims of the best tier present per incident, each claimant's latest (whole, partial)."""
    u = c[c["usable"]].copy()
    u = u[u["tier"] == u.groupby("incident_id")["tier"].transform("min")]
    u = u.sort_values(["incident_id", "source_id", "part", "published_at", "killed_total", "claim_id"])
    return u.groupby(["incident_id", "source_id", "part"], sort=False).tail(1).copy()


def _early(latest: pd.DataFrame, date_end: pd.Series) -> pd.Series:
    """Whole-incident figures called initial, or superseded by a larger later figure of another claimant
    published within SUPERSEDE_DAYS of the incident's end."""
    whole = latest[~latest["part"]][["incident_id", "source_id", "published_at", "killed_total", "claim_id"]]
    pairs = whole.merge(whole, on="incident_id", suffixes=("", "_later"))
    limit = pairs["incident_id"].map(date_end) + pd.Timedelta(days=SUPERSEDE_DAYS)
    superseding = ((pairs["source_id_later"] != pairs["source_id"])
                   & (pairs["published_at_later"] > pairs["published_at"])
                   & (pairs["published_at_later"] <= limit)
                   & (pairs["killed_total_later"] > pairs["killed_total"]))
    superseded = set(pairs.loc[superseding, "claim_id"])
    return latest["provisional"].fillna(False).astype(bool) | latest["claim_id"].isin(superseded)


def _estimate(latest: pd.DataFrame, values: str = "killed_total") -> pd.DataFrame:
    """low, best, high and the claim giving best, per incident, from each claimant's latest figures."""
    pref = np.where(latest["part"], 2, np.where(latest["early"], 1, 0))
    latest = latest.assign(_key=pref * 10 + latest["rank"].to_numpy())
    cand = latest[latest["_key"] == latest.groupby("incident_id")["_key"].transform("min")]
    chosen = _lower_middle(cand, "incident_id", values)
    grouped = latest.groupby("incident_id")
    return pd.DataFrame({
        "deaths_low": grouped[values].min(), "deaths_high": grouped[values].max(),
        "deaths_best": chosen[values], "best_claim": chosen["claim_id"],
        "n_claimants": grouped["source_id"].nunique(), "tier": grouped["tier"].min(),
    })


def _split(est: pd.DataFrame, stated: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """The victim split columns (with the coding rule) for the incidents of `est`."""
    best = est["deaths_best"].to_numpy(dtype=np.int64)
    parts = stated.reindex(est.index).fillna(0).to_numpy(dtype=np.int64)
    parts = _scale_down(parts, best)
    unknown = best - parts.sum(axis=1)
    inf = info.reindex(est.index)
    coded = ((inf["event_type"] == VIOLENCE_AGAINST_CIVILIANS)
             | inf["tags"].fillna("").str.split(";").map(lambda t: "massacre" in t))
    coded &= inf["status_reason"].fillna("") == ""
    from_coding = np.where(coded.to_numpy(), unknown, 0)
    unknown = unknown - from_coding
    stated_total = parts.sum(axis=1)
    basis = np.select(
        [(stated_total == best) & (best > 0), (stated_total > 0) & (from_coding > 0), (stated_total > 0),
         (from_coding > 0)],
        ["stated", "stated_and_coding", "partly_stated", "coding"], default="unknown")
    return pd.DataFrame({
        "deaths_civilians": parts[:, 0] + from_coding, "deaths_security_forces": parts[:, 1],
        "deaths_other_armed": parts[:, 2], "deaths_unknown_status": unknown,
        "civilians_from_coding": from_coding, "split_basis": basis,
    }, index=est.index)


POPULATIONS = ("civilians", "security_forces", "other_armed")


def _claim_population(claims: pd.DataFrame) -> pd.Series:
    """Whom a total counts: the category it equals ('civilians', 'security_forces', 'other_armed'), else 'all'."""
    out = pd.Series("all", index=claims.index, dtype=object)
    for cat in POPULATIONS:
        col = claims[f"killed_{cat}"]
        out[col.notna() & (col == claims["killed_total"]) & (out == "all")] = cat
    return out


def _named_in_scope(rem: pd.DataFrame, named: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """Per remainder claim: the named deaths (low, best, high) of the claim's population in the same
    episode and governorate, over days that overlap the remainder's."""
    keys = rem[["claim_id", "incident_id", "episode_id", "admin1_pcode", "population"]].assign(
        r_start=rem["incident_id"].map(info["date_start"]), r_end=rem["incident_id"].map(info["date_end"]))
    cols = ["episode_id", "admin1_pcode", "date_start", "date_end", "deaths_low", "deaths_best", "deaths_high",
            *[f"deaths_{c}" for c in POPULATIONS]]
    pairs = keys.merge(named[cols], on=["episode_id", "admin1_pcode"])
    pairs = pairs[(pairs["date_start"] <= pairs["r_end"]) & (pairs["date_end"] >= pairs["r_start"])]
    own = np.select([pairs["population"] == c for c in POPULATIONS],
                    [pairs[f"deaths_{c}"] for c in POPULATIONS], default=pairs["deaths_best"])
    other = pairs["deaths_best"] - own
    levels = {f"n_{k}": (pairs[f"deaths_{k}"] - other).clip(lower=0) for k in ("low", "best", "high")}
    out = pd.DataFrame({"claim_id": pairs["claim_id"], **levels}).groupby("claim_id").sum()
    return out.reindex(rem["claim_id"]).fillna(0)


def derive(incidents: pd.DataFrame, claims: pd.DataFrame, sources: pd.DataFrame,
           actors: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(estimate columns per incident_id, derived claim columns per claim_id: partisan and used_as).

    Every incident with a claim that gives a total is derived: withdrawn and unverified ones too (their
    figures are kept for the record; an incident whose claims are all unverified is derived from them and
    gets fatality_basis `unverified`), but only active named incidents count towards a remainder.
    """
    info = incidents.set_index("incident_id")
    c = _prepare(claims, incidents, sources, actors)
    unverified_only = ~c.groupby("incident_id")["usable"].transform("any")
    c.loc[unverified_only & c["killed_total"].notna(), "usable"] = True  # their own figures, for the record
    latest = _select(c)
    latest["early"] = _early(latest, info["date_end"])
    is_remainder = latest["incident_id"].map(info["record_type"]) == "remainder"

    named_latest = latest[~is_remainder]
    est = _estimate(named_latest)
    stated = named_latest.groupby("incident_id")[[f"killed_{k}" for k in CATEGORIES]].max()
    est = est.join(_split(est, stated, info))
    est["fatality_basis"] = np.where(est["tier"] > 0, est["tier"].map(TIER_BASIS),
                                     np.where(est["n_claimants"] > 1, "median_of_claimants", "single_claimant"))

    rem_latest = latest[is_remainder].copy()
    if len(rem_latest):
        est = pd.concat([est, _remainders(rem_latest, est, info)])
    unverified_ids = set(c.loc[unverified_only, "incident_id"])
    est.loc[est.index.isin(unverified_ids), "fatality_basis"] = "unverified"
    est["partisan_only"] = est["tier"] == 2
    for col in INTEGER_COLUMNS:
        est[col] = est[col].astype("int64")
    out = est[list(ESTIMATE_COLUMNS)].sort_index()
    out.index.name = "incident_id"
    return out, _claim_roles(c, latest, est)


def _remainders(rem: pd.DataFrame, est: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    named = est.join(info[["status", "record_type", "episode_id", "admin1_pcode", "date_start", "date_end"]])
    named = named[(named["status"] == "active") & (named["record_type"] == "incident") & (named["episode_id"] != "")]
    rem = rem.copy()
    rem["population"] = _claim_population(rem)
    rem["episode_id"] = rem["incident_id"].map(info["episode_id"])
    rem["admin1_pcode"] = rem["incident_id"].map(info["admin1_pcode"])
    scope = _named_in_scope(rem, named, info)
    for k in ("low", "best", "high"):
        rem[f"r_{k}"] = (rem["killed_total"].to_numpy(dtype=float) - scope[f"n_{k}"].to_numpy()).clip(min=0).astype("int64")
    grouped = rem.groupby("incident_id")
    base = _estimate(rem, values="r_best")
    high = grouped["r_high"].max()
    best = np.minimum(base["deaths_best"], high)
    low = np.minimum(best, grouped["r_low"].min())
    out = base.assign(deaths_low=low, deaths_best=best, deaths_high=high)
    # The split: a total of one population gives that population; a total of everyone keeps what its
    # categories claim beyond the named incidents' categories (in the same days).
    chosen = rem.set_index("claim_id").loc[out["best_claim"]]
    stated = pd.DataFrame(index=out.index)
    for cat in POPULATIONS:
        stated[f"killed_{cat}"] = np.where(chosen["population"].to_numpy() == cat, out["deaths_best"].to_numpy(), 0)
    everyone = chosen[chosen["population"] == "all"].reset_index()
    for cat in POPULATIONS:
        if everyone.empty:
            break
        named_cat = _named_in_scope(everyone.assign(population=cat), named, info)["n_best"].to_numpy()
        values = (everyone[f"killed_{cat}"].astype(float).to_numpy() - named_cat).clip(min=0)
        stated.loc[everyone["incident_id"].to_numpy(), f"killed_{cat}"] = np.nan_to_num(values)
    out = out.join(_split(out, stated, info))
    out["fatality_basis"] = "remainder"
    return out


def _claim_roles(c: pd.DataFrame, latest: pd.DataFrame, est: pd.DataFrame) -> pd.DataFrame:
    """How each claim enters its incident's estimate (`used_as`), and whether it is partisan."""
    used = pd.Series("history", index=c["claim_id"].to_numpy())
    tier_min = c[c["usable"]].groupby("incident_id")["tier"].min()
    tier_of = c["incident_id"].map(tier_min).to_numpy()
    ids = c["claim_id"].to_numpy()
    used[~c["usable"].to_numpy()] = "unverified"
    used[c["killed_total"].isna().to_numpy()] = "no_total"
    outranked = c["usable"].to_numpy() & (c["tier"].to_numpy() > tier_of)
    used[outranked & (c["tier"].to_numpy() == 2)] = "partisan_not_used"
    used[outranked & (c["tier"].to_numpy() == 1)] = "testimony_not_used"
    role = np.where(latest["part"], "partial", np.where(latest["early"], "early", "range"))
    used[latest["claim_id"].to_numpy()] = role
    used[est["best_claim"].dropna().to_numpy()] = "best"
    used[c.loc[c["verification"] != "verified", "claim_id"].to_numpy()] = "unverified"
    return pd.DataFrame({"partisan": c["partisan"].to_numpy(), "used_as": used.reindex(ids).to_numpy()},
                        index=pd.Index(ids, name="claim_id"))


# ---------------------------------------------------------------------------------------------
# Writing the derived columns back to the string tables (used by `syria-incidents derive`)

def csv_value(value) -> str:
    """How a derived value is written in a CSV file."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else str(value)


def csv_values(values) -> np.ndarray:
    """`csv_value` of each element of an array-like, vectorised: integers and booleans in one pass,
    anything else once per distinct (type, value) pair."""
    if isinstance(values, pd.Series) and not isinstance(values.dtype, np.dtype):
        if pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
            missing = values.isna().to_numpy()
            out = csv_values(values.to_numpy(dtype=values.dtype.numpy_dtype, na_value=0))
            out[missing] = ""
            return out
        values = values.astype(object)
    arr = np.asarray(values)
    if arr.dtype == bool:
        return np.where(arr, "true", "false").astype(object)
    if arr.dtype.kind in "iu":
        codes, uniques = pd.factorize(arr)
        return np.array([str(int(u)) for u in uniques], dtype=object)[codes]
    arr = arr.astype(object)
    out = np.empty(len(arr), dtype=object)
    if not len(arr):
        return out
    kinds = pd.Series([type(v) for v in arr], dtype=object)
    for kind in kinds.unique():  # one kind at a time, so that 1, 1.0 and True are never taken as one value
        at = np.flatnonzero((kinds == kind).to_numpy())
        part = arr[at]
        missing = pd.isna(part)
        if missing.any():  # None, NaN and pd.NA write as empty; NaT as csv_value says
            out[at[missing]] = [csv_value(v) for v in part[missing]]
        if (~missing).any():
            codes, uniques = pd.factorize(part[~missing])
            out[at[~missing]] = np.array([csv_value(u) for u in uniques], dtype=object)[codes]
    return out


def apply_columns(raw: pd.DataFrame, key: str, derived: pd.DataFrame) -> pd.DataFrame:
    """A copy of a raw (string) table with the columns of `derived` written on the rows it covers."""
    out = raw.copy()
    index = derived.reindex(out[key])
    has = index.notna().any(axis=1).to_numpy()
    for col in derived.columns:
        new = csv_values(index[col])
        out[col] = np.where(has, new, out[col] if col in out else "")
    return out
