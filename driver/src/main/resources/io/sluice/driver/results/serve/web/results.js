// The results page: polls the API (with the bearer token from the URL fragment, this tab's storage or a prompt) and
// renders the top experiments, every experiment, and one experiment's variations with a chart (uPlot). Every number
// shown is also in a data-value attribute, with a stable id, so tests can read them.
(function () {
  "use strict";
  var TOKEN_KEY = "sluice-results-token";
  var POLL_MS = 5000;
  var KNOWN_TYPES = ["impression", "click", "conversion"];
  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
  var chart = null;
  var chartKey = null;
  var timer = null;

  function $(id) { return document.getElementById(id); }

  // The fragment holds the experiment (ACCOUNT/EXPERIMENT) and, once, the token (token=...), joined by '&'.
  function fragment() {
    var out = { token: null, experiment: null };
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      if (part.indexOf("token=") === 0) {
        out.token = decodeURIComponent(part.slice(6));
      } else if (part.indexOf("/") > 0) {
        var slash = part.indexOf("/");
        out.experiment = {
          account: decodeURIComponent(part.slice(0, slash)),
          experiment: decodeURIComponent(part.slice(slash + 1))
        };
      }
    });
    return out;
  }

  function experimentHash(account, experiment) {
    return "#" + encodeURIComponent(account) + "/" + encodeURIComponent(experiment);
  }

  function token() {
    var f = fragment();
    if (f.token) {
      sessionStorage.setItem(TOKEN_KEY, f.token);
      // keep the token out of the address bar and the history
      var rest = f.experiment ? experimentHash(f.experiment.account, f.experiment.experiment) : "";
      history.replaceState(null, "", location.pathname + location.search + rest);
    }
    var t = sessionStorage.getItem(TOKEN_KEY);
    if (!t) {
      t = window.prompt("Bearer token of the results API (the receivers' token)");
      if (t) sessionStorage.setItem(TOKEN_KEY, t);
    }
    return t;
  }

  function api(path) {
    var t = token();
    if (!t) return Promise.reject(new Error("no token: open the page as /#token=... or use the token button"));
    return fetch("api" + path, { headers: { "Authorization": "Bearer " + t }, cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          throw new Error("401: wrong or missing token (use the token button)");
        }
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(r.status + ": " + (body.error || r.statusText));
          return body;
        });
      });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function safeId(s) { return String(s).replace(/[^A-Za-z0-9_-]/g, "_"); }
  function pct(x) { return x === null || x === undefined ? "-" : (x * 100).toFixed(2) + " %"; }
  function iso(ms) { return ms === null || ms === undefined ? "-" : new Date(ms).toISOString(); }

  function numberCell(id, field, value, extra) {
    var attrs = { id: id, "class": "num", "data-field": field, "data-value": value };
    Object.keys(extra || {}).forEach(function (k) { attrs[k] = extra[k]; });
    return el("td", attrs, value === null || value === undefined ? "-" : String(value));
  }

  function link(account, experiment) {
    return el("a", { href: experimentHash(account, experiment) }, account + "/" + experiment);
  }

  function renderTop(top) {
    $("top-window").textContent = iso(top.window_end);
    $("top-window").setAttribute("data-value", top.window_end === null ? "" : top.window_end);
    var body = $("top").tBodies[0];
    body.replaceChildren();
    top.ranking.forEach(function (r) {
      var key = r.account + "/" + r.experiment;
      var tr = el("tr", { "data-rank": r.rank, "data-experiment": key });
      tr.appendChild(el("td", {}, String(r.rank)));
      var name = el("td", {});
      name.appendChild(link(r.account, r.experiment));
      tr.appendChild(name);
      tr.appendChild(numberCell("top-" + r.rank + "-events", "events", r.events, { "data-experiment": key }));
      body.appendChild(tr);
    });
  }

  function renderExperiments(list) {
    var w = list.watermark;
    $("watermark").textContent = iso(w);
    $("watermark").setAttribute("data-value", w === null ? "" : w);
    var body = $("experiments").tBodies[0];
    body.replaceChildren();
    var f = fragment();
    list.experiments.forEach(function (e) {
      var key = e.account + "/" + e.experiment;
      var selected = f.experiment && f.experiment.account === e.account && f.experiment.experiment === e.experiment;
      var tr = el("tr", { "data-experiment": key, "class": selected ? "selected" : null });
      var name = el("td", {});
      name.appendChild(link(e.account, e.experiment));
      tr.appendChild(name);
      var id = "exp-" + safeId(key);
      tr.appendChild(numberCell(id + "-events", "total_events", e.total_events, { "data-experiment": key }));
      tr.appendChild(numberCell(id + "-visitors", "visitors", e.visitors, { "data-experiment": key }));
      tr.appendChild(el("td", {
        id: id + "-srm", "data-field": "srm", "data-experiment": key, "data-value": e.srm_mismatch ? 1 : 0,
        "class": e.srm_mismatch ? "srm-mismatch" : "srm-ok"
      }, e.srm_mismatch ? "mismatch" : "ok"));
      body.appendChild(tr);
    });
  }

  function types(detail) {
    var seen = {};
    KNOWN_TYPES.forEach(function (t) { seen[t] = true; });
    detail.variations.forEach(function (v) { Object.keys(v.events).forEach(function (t) { seen[t] = true; }); });
    var extra = Object.keys(seen).filter(function (t) { return KNOWN_TYPES.indexOf(t) < 0; }).sort();
    return KNOWN_TYPES.concat(extra);
  }

  function renderExperiment(detail) {
    var key = detail.account + "/" + detail.experiment;
    var section = $("experiment");
    section.hidden = false;
    $("no-experiment").hidden = true;
    section.setAttribute("data-experiment", key);
    $("experiment-title").textContent = key;

    var srm = detail.srm;
    var p = $("srm");
    p.className = srm.mismatch ? "srm-mismatch" : "srm-ok";
    p.setAttribute("data-mismatch", srm.mismatch ? 1 : 0);
    p.setAttribute("data-p-value", srm.p_value === null ? "" : srm.p_value);
    var shares = Object.keys(srm.expected_shares).map(function (v) {
      return v + " " + (srm.expected_shares[v] * 100).toFixed(1) + " %";
    }).join(", ");
    p.textContent = "Sample ratio: " + (srm.mismatch ? "MISMATCH" : "ok")
      + (srm.p_value === null ? "" : " (p = " + srm.p_value.toPrecision(3) + ", flagged below " + srm.threshold + ")")
      + "; expected split " + (srm.split === "configured" ? "configured: " : "equal: ") + shares
      + (srm.note ? "; " + srm.note : "");

    var ts = types(detail);
    var head = $("variations").tHead;
    head.replaceChildren();
    var hr = el("tr", {});
    ["variation"].concat(ts).concat(["events", "unique visitors", "conversion", "95 % interval", "SRM: visitors / expected"])
      .forEach(function (h, i) { hr.appendChild(el("th", { "class": i > 0 && i <= ts.length + 2 ? "num" : null }, h)); });
    head.appendChild(hr);
    var body = $("variations").tBodies[0];
    body.replaceChildren();
    var kinds = {};
    detail.variations.forEach(function (v) {
      var id = "v-" + safeId(v.variation);
      var tr = el("tr", { "data-variation": v.variation });
      tr.appendChild(el("td", {}, v.variation));
      var extra = { "data-variation": v.variation };
      ts.forEach(function (t) { tr.appendChild(numberCell(id + "-events-" + safeId(t), "events." + t, v.events[t] || 0, extra)); });
      tr.appendChild(numberCell(id + "-total-events", "total_events", v.total_events, extra));
      tr.appendChild(numberCell(id + "-visitors", "visitors", v.visitors, extra));
      var c = v.conversion;
      kinds[c.denominator_kind] = true;
      var rate = el("td", { id: id + "-rate", "class": "num", "data-field": "rate", "data-variation": v.variation,
        "data-value": c.rate === null ? "" : c.rate, "data-conversions": c.conversions,
        "data-denominator": c.denominator, "data-denominator-kind": c.denominator_kind }, pct(c.rate));
      tr.appendChild(rate);
      tr.appendChild(el("td", { id: id + "-interval", "class": "num", "data-field": "interval",
        "data-variation": v.variation, "data-low": c.low === null ? "" : c.low, "data-high": c.high === null ? "" : c.high },
        c.low === null ? (c.note || "-") : "[" + pct(c.low) + ", " + pct(c.high) + "]"));
      tr.appendChild(el("td", { id: id + "-srm", "data-field": "srm", "data-variation": v.variation,
        "data-value": srm.mismatch ? 1 : 0, "class": srm.mismatch ? "srm-mismatch" : "srm-ok" },
        (srm.mismatch ? "mismatch: " : "ok: ")
          + (srm.expected_visitors[v.variation] !== undefined
            ? (srm.observed_visitors[v.variation] || 0) + " / " + srm.expected_visitors[v.variation].toFixed(0)
            : "not in the split")));
      body.appendChild(tr);
    });
    $("rate-caption").textContent = "conversion = " + detail.conversion_type + " events / "
      + (kinds.visitors && !kinds.impressions ? "lifetime unique visitors"
        : kinds.impressions && !kinds.visitors ? "impressions (no visitors counted yet)"
          : "lifetime unique visitors, or impressions where none are counted")
      + "; unique visitors = the sum of each window's new visitors";
    renderChart(detail, key);
    renderRevisions(detail);
  }

  // windows that late events revised: their numbers changed after the page may have shown them
  function renderRevisions(detail) {
    var p = $("revisions");
    p.replaceChildren();
    var revised = [];
    detail.variations.forEach(function (v) {
      v.windows.forEach(function (w) { if (w.revision > 0) revised.push({ v: v.variation, w: w }); });
    });
    revised.sort(function (a, b) { return a.w.start - b.w.start || (a.v < b.v ? -1 : 1); });
    p.setAttribute("data-revised", revised.length);
    if (revised.length === 0) {
      p.textContent = "No window revised by late events.";
      return;
    }
    p.appendChild(document.createTextNode("Revised windows (late events counted after the window was shown): "));
    revised.forEach(function (r, i) {
      if (i > 0) p.appendChild(document.createTextNode(", "));
      p.appendChild(el("span", { "class": "revised", "data-field": "revision", "data-variation": r.v,
        "data-start": r.w.start, "data-value": r.w.revision },
        new Date(r.w.start).toISOString().substring(11, 19) + " " + r.v + " (revision " + r.w.revision + ")"));
    });
  }

  function renderChart(detail, key) {
    var starts = {};
    detail.variations.forEach(function (v) { v.windows.forEach(function (w) { starts[w.start] = true; }); });
    var xs = Object.keys(starts).map(Number).sort(function (a, b) { return a - b; });
    // every window between the first and the last, so that windows without events are gaps, not lines across them
    var step = detail.window_ms;
    if (xs.length > 1 && (xs[xs.length - 1] - xs[0]) / step < 20000) {
      var all = [];
      for (var t = xs[0]; t <= xs[xs.length - 1]; t += step) all.push(t);
      xs = all;
    }
    var data = [xs.map(function (x) { return x / 1000; })];
    var series = [{}];
    var bands = [];
    detail.variations.forEach(function (v, i) {
      var byStart = {};
      v.windows.forEach(function (w) { byStart[w.start] = w.conversion; });
      var pick = function (f) {
        return xs.map(function (x) { var c = byStart[x]; return c && c[f] !== null ? c[f] * 100 : null; });
      };
      var color = COLORS[i % COLORS.length];
      var base = data.length;
      data.push(pick("rate"), pick("high"), pick("low"));
      series.push({ label: v.variation + " conversion %", stroke: color, width: 2, spanGaps: false,
        value: function (u, val) { return val === null ? "-" : val.toFixed(2) + " %"; } });
      series.push({ label: v.variation + " high", stroke: color, width: 1, dash: [4, 4], points: { show: false } });
      series.push({ label: v.variation + " low", stroke: color, width: 1, dash: [4, 4], points: { show: false } });
      bands.push({ series: [base + 1, base + 2], fill: color + "22" });
    });
    var holder = $("chart");
    var width = Math.max(400, holder.clientWidth || 900);
    if (chart && chartKey === key && chart.series.length === series.length) {
      chart.setData(data);
    } else {
      if (chart) chart.destroy();
      holder.replaceChildren();
      chart = new uPlot({
        width: width, height: 320, series: series, bands: bands,
        scales: { x: { time: true } },
        axes: [{}, { label: "conversion %", values: function (u, vals) { return vals.map(function (v) { return v + " %"; }); } }]
      }, data, holder);
      chartKey = key;
      // the legend names each variation's rate; its interval's bounds need no entries of their own
      holder.querySelectorAll(".u-legend .u-series").forEach(function (row, i) {
        if (i > 0 && i % 3 !== 1) row.style.display = "none";
      });
    }
    var counted = Object.keys(starts).length;
    holder.setAttribute("data-windows", counted);
    $("chart-caption").textContent = counted + " windows with events, of " + (detail.window_ms / 1000)
      + " s; per window the conversion is over that window's visitors (its impressions while none are counted)";
  }

  function refresh() {
    var f = fragment();
    var status = $("status");
    var work = [
      api("/top").then(renderTop),
      api("/experiments").then(renderExperiments)
    ];
    if (f.experiment) {
      work.push(api("/experiments/" + encodeURIComponent(f.experiment.account) + "/"
        + encodeURIComponent(f.experiment.experiment)).then(renderExperiment));
    } else {
      $("experiment").hidden = true;
      $("no-experiment").hidden = false;
    }
    return Promise.all(work).then(function () {
      status.setAttribute("data-state", "ready");
      status.textContent = "updated " + new Date().toISOString().slice(11, 19) + " UTC";
    }, function (e) {
      status.setAttribute("data-state", "error");
      status.textContent = e.message;
    });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    refresh().then(function () { timer = setTimeout(schedule, POLL_MS); });
  }

  window.addEventListener("hashchange", schedule);
  $("token-button").addEventListener("click", function () {
    sessionStorage.removeItem(TOKEN_KEY);
    schedule();
  });
  schedule();
})();
