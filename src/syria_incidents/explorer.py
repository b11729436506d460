"""The incident explorer: one offline HTML page listing every incident with its claims.

The page works from a file opened in a browser, with no network: its data are embedded as JSON (with
`<`, `>` and `&` escaped, so no text can close the script element) and its script is a few dozen lines
of plain JavaScript written here, which builds the table with `textContent` only (never `innerHTML`), so
no text from the data can become markup. Links are made only from `http(s)://` addresses.

Filters: governorate, month, episode, event type, and free text; every column sorts on a click.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .load import load_tables
from .paths import DATA_DIR
from .style import short_name

COLUMNS = [  # (key, heading)
    ("incident_id", "Incident"), ("date", "Date"), ("place", "Place"), ("governorate", "Governorate"),
    ("event_type", "Event type"), ("perpetrator", "Perpetrator"), ("deaths_low", "Low"), ("deaths_best", "Best"),
    ("deaths_high", "High"), ("split", "Victims (best)"), ("episode", "Episode"), ("claims", "Claims"),
]

SCRIPT = r"""
(function () {
  var data = JSON.parse(document.getElementById('incident-data').textContent);
  var rows = data.incidents, cols = data.columns, sortKey = 'date', sortDir = -1;
  var body = document.getElementById('rows'), count = document.getElementById('count');
  var filters = {governorate: 'filter-governorate', month: 'filter-month', episode: 'filter-episode',
                 event_type: 'filter-event-type'};
  function fill(id, values) {
    var select = document.getElementById(id);
    values.forEach(function (v) { var o = document.createElement('option'); o.value = v; o.textContent = v; select.appendChild(o); });
    select.addEventListener('change', render);
  }
  function unique(key) {
    var seen = {}; rows.forEach(function (r) { if (r[key]) seen[r[key]] = true; });
    return Object.keys(seen).sort();
  }
  Object.keys(filters).forEach(function (key) { fill(filters[key], unique(key)); });
  document.getElementById('filter-text').addEventListener('input', render);
  function safeLink(url) { return /^https?:\/\//i.test(url) ? url : null; }
  function cell(row, key) {
    var td = document.createElement('td');
    td.className = 'col-' + key;
    if (key === 'claims') {
      var ul = document.createElement('ul');
      row.claims.forEach(function (c) {
        var li = document.createElement('li');
        li.appendChild(document.createTextNode(c.claimant + ' via ' + c.outlet + ', ' + c.date + ': ' + c.figure + ' '));
        var href = safeLink(c.url);
        if (href) { var a = document.createElement('a'); a.href = href; a.textContent = 'page'; a.rel = 'noopener noreferrer'; li.appendChild(a); }
        if (c.note) li.appendChild(document.createTextNode(' (' + c.note + ')'));
        ul.appendChild(li);
      });
      td.appendChild(ul);
    } else {
      td.textContent = row[key] === null ? '' : String(row[key]);
    }
    return td;
  }
  function visible(r) {
    for (var key in filters) {
      var v = document.getElementById(filters[key]).value;
      if (v && r[key] !== v) return false;
    }
    var q = document.getElementById('filter-text').value.toLowerCase();
    return !q || r.search.indexOf(q) !== -1;
  }
  function render() {
    var shown = rows.filter(visible).sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * sortDir;
      return String(x).localeCompare(String(y)) * sortDir;
    });
    while (body.firstChild) body.removeChild(body.firstChild);
    shown.forEach(function (r) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-id', r.incident_id);
      cols.forEach(function (c) { tr.appendChild(cell(r, c[0])); });
      body.appendChild(tr);
    });
    count.textContent = shown.length + ' of ' + rows.length + ' incidents';
  }
  var head = document.getElementById('head');
  cols.forEach(function (c) {
    var th = document.createElement('th');
    th.textContent = c[1];
    th.setAttribute('data-key', c[0]);
    if (c[0] !== 'claims' && c[0] !== 'split') {
      th.className = 'sortable';
      th.addEventListener('click', function () {
        sortDir = (sortKey === c[0]) ? -sortDir : 1; sortKey = c[0]; render();
      });
    }
    head.appendChild(th);
  });
  render();
})();
"""

STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;font-size:14px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
th.sortable{cursor:pointer;background:#f3f3f3}td ul{margin:0;padding-left:1.1em}.col-claims{font-size:12px;max-width:32rem}
.filters{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}label{font-size:13px}
"""


USED_AS_NOTES = {  # claims.used_as, in words (the codebook defines each)
    "best": "sets the best estimate", "range": "in the low-high range", "early": "initial or superseded: low-high only",
    "partial": "a part of the toll: low only", "history": "an earlier figure of the same claimant",
    "partisan_not_used": "partisan: not used", "testimony_not_used": "a single testimony: not used",
    "unverified": "page not found again: not used", "no_total": "no total given",
}


def incident_records(data_dir: Path = DATA_DIR) -> list[dict]:
    """Every counted incident (and remainder) with its claims, as plain values for the page."""
    t = load_tables(data_dir)
    inc = t.incidents[t.incidents["status"] == "active"].sort_values("incident_id")
    names = t.sources.set_index("source_id")["name"]
    actors = {a: short_name(n) for a, n in t.actors.set_index("actor_id")["name"].items()}
    actors["unidentified"] = "unidentified"
    episodes = t.episodes.set_index("episode_id")["name"]
    from .geography import governorate_names

    govs = governorate_names()
    claims = t.claims.assign(claimant=lambda d: d["source_id"].map(names), outlet=lambda d: d["published_by"].map(names))
    by_incident = {iid: g.sort_values(["published_at", "claim_id"]) for iid, g in claims.groupby("incident_id")}
    out = []
    for r in inc.itertuples():
        cl = by_incident.get(r.incident_id, claims.iloc[0:0])
        claim_list = [{"claimant": str(c.claimant), "outlet": str(c.outlet), "date": c.published_at.strftime("%Y-%m-%d"),
                       "figure": (str(c.figure_as_written) or (str(int(c.killed_total)) if pd.notna(c.killed_total) else "")),
                       "url": str(c.url),
                       "note": USED_AS_NOTES.get(c.used_as, "")}
                      for c in cl.itertuples()]
        split = (f"{r.deaths_civilians} civilians, {r.deaths_security_forces} state forces, "
                 f"{r.deaths_other_armed} other armed, {r.deaths_unknown_status} unknown")
        date = r.date_start.strftime("%Y-%m-%d") + ("" if r.date_end == r.date_start else " to " + r.date_end.strftime("%Y-%m-%d"))
        rec = {"incident_id": r.incident_id, "date": date, "month": r.date_start.strftime("%Y-%m"),
               "place": str(r.location_name), "governorate": str(govs.get(r.admin1_pcode, r.admin1_pcode)),
               "event_type": str(r.event_type), "perpetrator": actors.get(r.perpetrator, str(r.perpetrator).replace("_", " ")),
               "deaths_low": int(r.deaths_low), "deaths_best": int(r.deaths_best), "deaths_high": int(r.deaths_high),
               "split": split, "episode": str(episodes.get(r.episode_id, "")) if r.episode_id else "",
               "claims": claim_list}
        rec["search"] = " ".join(str(v) for k, v in rec.items() if k != "claims").lower() + " " + str(r.description).lower()
        out.append(rec)
    return out


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no text can close it or open a comment."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_explorer(records: list[dict]) -> str:
    payload = {"columns": COLUMNS, "incidents": records}
    selects = "".join(
        f'<label>{label} <select id="{ident}"><option value="">all</option></select></label>'
        for label, ident in (("Governorate", "filter-governorate"), ("Month", "filter-month"),
                             ("Episode", "filter-episode"), ("Event type", "filter-event-type")))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
            "style-src 'unsafe-inline'\">"
            "<title>syria-incidents: incident explorer</title><style>" + STYLE + "</style></head><body>"
            "<h1>Incident explorer</h1><p>Every counted incident and episode remainder of the record, with each "
            "claim behind its figures. Filter, search, and click a column heading to sort.</p>"
            f"<div class=\"filters\">{selects}<label>Search <input id=\"filter-text\" type=\"search\"></label>"
            "<span id=\"count\"></span></div><table><thead><tr id=\"head\"></tr></thead><tbody id=\"rows\"></tbody></table>"
            f"<script type=\"application/json\" id=\"incident-data\">{_script_json(payload)}</script>"
            f"<script>{SCRIPT}</script></body></html>\n")


def write_explorer(path: Path, data_dir: Path = DATA_DIR) -> Path:
    Path(path).write_text(render_explorer(incident_records(data_dir)), encoding="utf-8")
    return Path(path)
