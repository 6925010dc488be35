/* framescope report: the page's behaviour. Reads the report's data from the JSON block
 * and builds every view with DOM calls; strings from the corpus are only ever set as
 * text (textContent), never parsed as markup. No network, no eval. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var frames = data.frames, periods = data.periods;
  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                 "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#ad494a", "#637939", "#8c6d31",
                 "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363"];
  var state = {value: "per_10k", log: false, group: "", from: 0, to: lastDated(),
               visible: mostHits(8)};
  var graph = null;
  // The legend plugin writes style attributes (which the page's policy blocks) and
  // markup; the page draws its own legend as text instead.
  Dygraph.PLUGINS = Dygraph.PLUGINS.filter(function (p) { return p !== Dygraph.Plugins.Legend; });

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function escapeHTML(s) {  // for the one string dygraphs sets as markup: axis tick labels
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function color(i) { return PALETTE[i % PALETTE.length]; }
  function count(n, word) {  // "1 hit", "2 hits", "1,024 documents"
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }
  function fmt(v) {
    if (v === null || v === undefined) return "–";
    if (v === 0) return "0";
    if (state.value === "doc_share") return (100 * v).toFixed(1) + "%";
    return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  }
  function view() { return data.views[state.group]; }
  function lastDated() {
    var last = periods.length - 1;
    while (last > 0 && data.calendar && periods[last] === "undated") last--;
    return last;
  }
  function mostHits(n) {  // the n frames with most hits are shown at first
    var order = data.dictionary.map(function (d, i) { return [d.hits, i]; })
      .sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    var shown = frames.map(function () { return false; });
    order.slice(0, n).forEach(function (o) { if (o[0] > 0 || n >= frames.length) shown[o[1]] = true; });
    if (!shown.some(Boolean)) shown[0] = true;
    return shown;
  }
  function charted(p) { return !(data.calendar && periods[p] === "undated"); }

  // ------------------------------------------------------------------ header
  $("title").textContent = data.title;
  var r = data.reading;
  $("summary").textContent = r.documents.toLocaleString("en") + " documents, " +
    r.tokens.toLocaleString("en") + " tokens" +
    (r.first_date ? ", " + r.first_date + " to " + r.last_date : "") + "; " +
    frames.length + " frames of the dictionary “" + data.dictionary_name + "”, by " + data.by +
    (data.group ? " and " + data.group : "") + "; intervals at " + Math.round(100 * data.level) + "%.";
  $("footer").textContent = "Made by framescope " + data.record.versions.framescope + " on " +
    data.created + ". Charts: dygraphs 2.2.1 (MIT). This file needs no network.";

  // ------------------------------------------------------------------ controls
  function option(select, value, text) {
    var o = el("option", text); o.value = String(value); select.appendChild(o);
  }
  periods.forEach(function (p, i) {
    if (!charted(i)) return;
    option($("from"), i, p); option($("to"), i, p);
  });
  $("from").value = String(state.from); $("to").value = String(state.to);
  if (data.groups.length) {
    $("group-label").hidden = false;
    option($("group"), "", "all documents");
    data.groups.forEach(function (g) { option($("group"), g, g); });
  }
  frames.forEach(function (f, i) { option($("pick-frame"), i, f); });
  periods.forEach(function (p, i) { option($("pick-period"), i, p); });

  frames.forEach(function (f, i) {
    var label = el("label");
    var box = el("input"); box.type = "checkbox"; box.checked = state.visible[i];
    box.addEventListener("change", function () {
      state.visible[i] = box.checked;
      if (graph) graph.setVisibility(i, box.checked);
    });
    var sw = el("span", null, "swatch"); sw.style.backgroundColor = color(i);
    label.appendChild(box); label.appendChild(sw); label.appendChild(el("span", f));
    $("legend").appendChild(label);
  });

  document.querySelectorAll("input[name=value]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (radio.checked) { state.value = radio.value; redraw(); }
    });
  });
  $("logscale").addEventListener("change", function () { state.log = this.checked; redraw(); });
  $("group").addEventListener("change", function () { state.group = this.value; redraw(); });
  $("from").addEventListener("change", function () {
    state.from = Math.min(+this.value, state.to); this.value = String(state.from); redraw();
  });
  $("to").addEventListener("change", function () {
    state.to = Math.max(+this.value, state.from); this.value = String(state.to); redraw();
  });
  $("pick-show").addEventListener("click", function () {
    showContexts(+$("pick-frame").value, +$("pick-period").value);
  });

  // ------------------------------------------------------------------ trend chart
  function rows() {
    var v = view(), out = [];
    for (var p = 0; p < periods.length; p++) {
      if (!charted(p)) continue;
      var row = [p];
      for (var f = 0; f < frames.length; f++) {
        var mid = v[state.value][f][p];
        row.push(mid === null ? [null, null, null]
          : [v[state.value + "_low"][f][p], mid, v[state.value + "_high"][f][p]]);
      }
      out.push(row);
    }
    return out;
  }
  function ticker(min, max, pixels) {
    var lo = Math.max(0, Math.ceil(min)), hi = Math.min(periods.length - 1, Math.floor(max));
    var step = Math.max(1, Math.ceil((hi - lo + 1) / Math.max(2, Math.floor(pixels / 70))));
    var ticks = [];
    for (var i = lo; i <= hi; i += step) ticks.push({v: i, label: escapeHTML(periods[i])});
    return ticks;
  }
  function options() {
    return {
      labels: ["period"].concat(frames.map(function (_, i) { return "f" + i; })),
      customBars: true, legend: "never", drawPoints: true, pointSize: 2.5,
      highlightCircleSize: 5, strokeWidth: 1.6, fillAlpha: 0.12, logscale: state.log,
      colors: frames.map(function (_, i) { return color(i); }),
      visibility: state.visible.slice(), includeZero: !state.log,
      dateWindow: [state.from - 0.3, state.to + 0.3],
      highlightSeriesOpts: {strokeWidth: 2.6, highlightCircleSize: 6},
      axes: {
        x: {ticker: ticker, valueFormatter: function (x) { return escapeHTML(periods[x]); },
            axisLabelWidth: 70, drawGrid: false},
        y: {axisLabelWidth: 60, valueFormatter: function (y) { return escapeHTML(fmt(y)); },
            axisLabelFormatter: function (y) {
              return state.value === "doc_share" ? escapeHTML((100 * y).toFixed(0) + "%") : escapeHTML(String(+y.toPrecision(3)));
            }}
      },
      highlightCallback: function (event, x, points, row, series) { describe(series, x); },
      unhighlightCallback: function () { $("hover").textContent = ""; },
      clickCallback: function (event, x) {
        var series = graph.getHighlightSeries();
        if (series) showContexts(+series.slice(1), Math.round(x), true);
      },
      interactionModel: Dygraph.defaultInteractionModel
    };
  }
  function describe(series, x) {
    if (!series) return;
    var f = +series.slice(1), p = Math.round(x), v = view();
    var mid = v[state.value][f][p];
    $("hover").textContent = frames[f] + " · " + periods[p] + ": " + fmt(mid) + " [" +
      fmt(v[state.value + "_low"][f][p]) + " – " + fmt(v[state.value + "_high"][f][p]) + "], " +
      count(v.hits[f][p], "hit") + " in " + v.docs_with_hit[f][p].toLocaleString("en") + " of " +
      count(v.docs[p], "document") + ". Click for contexts.";
  }
  var chartable = periods.some(function (_, p) { return charted(p); });
  if (!chartable) {
    $("chart").replaceChildren(el("p", "No document has a date, so there is no trend over time: " +
      "the heatmap and the contexts below show the undated documents. Read the corpus with " +
      "dates (a date field, a metadata table, or datelines in the text) for a trend.", "help"));
    $("chart").classList.add("empty");
    ["from", "to"].forEach(function (id) { $(id).parentNode.hidden = true; });
  }
  function redraw() {
    if (!chartable) {
      // nothing to plot: the heatmap still follows the switches
    } else if (!graph) {
      graph = new Dygraph($("chart"), rows(), options());
    } else {
      graph.updateOptions(Object.assign({file: rows()}, options()));
    }
    $("ylabel").textContent = state.value === "per_10k"
      ? "Hits per 10,000 tokens, with " + Math.round(100 * data.level) + "% intervals (exact Poisson)"
      : "Share of documents with a hit, with " + Math.round(100 * data.level) + "% intervals (Wilson)";
    if (chartable) $("chart").setAttribute("aria-label", "Trend lines of " + frames.length + " frames, " +
      (state.value === "per_10k" ? "hits per 10,000 tokens" : "share of documents") + ", by " + data.by);
    heatmap();
  }

  // ------------------------------------------------------------------ contexts
  function showContexts(f, p, fromChart) {
    $("pick-frame").value = String(f); $("pick-period").value = String(p);
    var box = $("contexts");
    box.replaceChildren();
    var v = view();
    var g = state.group === "" ? null : data.groups.indexOf(state.group);
    var lines = data.contexts.filter(function (c) {
      return c.f === f && c.p === p && (g === null || c.g === g);
    });
    var head = el("h3", frames[f] + " · " + periods[p] + (g === null ? "" : " · " + state.group));
    head.id = "contexts-title";
    box.appendChild(head);
    box.appendChild(el("p", count(v.hits[f][p], "hit") + " in " + count(v.docs_with_hit[f][p], "document") + "; " +
      (lines.length ? "one line from each of " + count(lines.length, "document") + " drawn at random" +
        " (at most " + data.per_cell + " per frame and period" + (data.groups.length ? " and group" : "") + ")."
        : v.hits[f][p] ? "no contexts sampled here: the report holds at most one line per frame and period when there are more cells than its max_contexts."
        : "no contexts: no hits here."), "help"));
    if (lines.length) {
      var table = el("table", null, "kwic");
      table.setAttribute("aria-labelledby", "contexts-title");
      var body = el("tbody");
      lines.forEach(function (c) {
        var doc = data.docs[c.d];
        var tr = el("tr");
        var meta = el("td", null, "meta");
        meta.appendChild(el("div", doc.id));
        meta.appendChild(el("div", doc.date || "undated"));
        if (doc.source) meta.appendChild(el("div", doc.source, "source"));
        var open = el("button", "context");
        open.type = "button";
        open.setAttribute("aria-expanded", "false");
        meta.appendChild(open);
        tr.appendChild(meta);
        tr.appendChild(el("td", c.left, "left"));
        tr.appendChild(el("td", c.match, "match"));
        tr.appendChild(el("td", c.right, "right"));
        body.appendChild(tr);
        var more = el("tr"); more.hidden = true;
        var cell = el("td"); cell.colSpan = 4;
        cell.appendChild(passage(c, doc));
        more.appendChild(cell);
        body.appendChild(more);
        open.addEventListener("click", function () {
          more.hidden = !more.hidden;
          open.setAttribute("aria-expanded", String(!more.hidden));
        });
      });
      table.appendChild(body);
      box.appendChild(table);
    }
    if (fromChart) box.scrollIntoView({block: "nearest"});
    box.focus({preventScroll: !!fromChart});
  }
  function passage(c, doc) {
    var div = el("div", null, "passage");
    var dl = el("dl");
    function item(k, v) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); }
    item("id", doc.id);
    item("date", (doc.date || "undated") + " (from " + doc.date_source + ")");
    if (doc.source) item("source", doc.source);
    Object.keys(doc.meta).forEach(function (k) { item(k, doc.meta[k]); });
    div.appendChild(dl);
    div.appendChild(document.createTextNode(c.before));
    div.appendChild(el("mark", c.match));
    div.appendChild(document.createTextNode(c.after));
    return div;
  }

  // ------------------------------------------------------------------ heatmap
  function heatmap() {
    var t = $("heatmap"), v = view();
    t.replaceChildren();
    var max = 0;
    v[state.value].forEach(function (row) {
      row.forEach(function (x) { if (x !== null && x > max) max = x; });
    });
    var thead = el("thead"), hr = el("tr");
    hr.appendChild(el("th", "frame"));
    periods.forEach(function (p) { var th = el("th", p); th.scope = "col"; hr.appendChild(th); });
    thead.appendChild(hr); t.appendChild(thead);
    var body = el("tbody");
    frames.forEach(function (f, i) {
      var tr = el("tr"), th = el("th", f); th.scope = "row"; tr.appendChild(th);
      periods.forEach(function (p, j) {
        var x = v[state.value][i][j], td = el("td"), b = el("button", fmt(x));
        b.type = "button";
        b.setAttribute("aria-label", f + ", " + p + ": " + fmt(x) + "; show contexts");
        var level = x === null || max === 0 ? 0 : Math.sqrt(x / max);
        b.style.backgroundColor = "rgba(10, 88, 202, " + (0.05 + 0.85 * level).toFixed(3) + ")";
        b.style.color = level > 0.55 ? "#fff" : "#1f2328";
        b.addEventListener("click", function () { showContexts(i, j); });
        td.appendChild(b); tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
  }

  // ------------------------------------------------------------------ dictionary
  (function dictionary() {
    var t = $("dictionary");
    var hr = el("tr");
    ["frame", "hits", "patterns (hits on their own)", "excluded", "captures", "watch for"].forEach(function (h, k) {
      hr.appendChild(el("th", h, k === 1 ? "num" : null));
    });
    var thead = el("thead"); thead.appendChild(hr); t.appendChild(thead);
    var body = el("tbody");
    data.dictionary.forEach(function (d) {
      var tr = el("tr");
      tr.appendChild(el("th", d.frame));
      tr.appendChild(el("td", d.hits.toLocaleString("en"), "num"));
      var cell = el("td");
      d.patterns.forEach(function (p) {
        var span = el("span", null, "pattern");
        span.appendChild(el("code", p.pattern));
        span.appendChild(el("span", " (" + p.hits.toLocaleString("en") + ")", p.hits ? "n" : "n zero"));
        cell.appendChild(span);
      });
      tr.appendChild(cell);
      tr.appendChild(el("td", d.exclude.join("; ")));
      tr.appendChild(el("td", d.description));
      tr.appendChild(el("td", d.watch));
      body.appendChild(tr);
    });
    t.appendChild(body);
  })();

  // ------------------------------------------------------------------ reading summary
  (function reading() {
    var box = $("reading");
    function list(title, obj) {
      box.appendChild(el("h3", title));
      var keys = Object.keys(obj);
      if (!keys.length) { box.appendChild(el("p", "nothing to report.", "help")); return; }
      var ul = el("ul");
      keys.forEach(function (k) { ul.appendChild(el("li", k + ": " + obj[k].toLocaleString("en"))); });
      box.appendChild(ul);
    }
    function table(title, t) {
      if (!t.total) return;
      box.appendChild(el("h3", title + (t.total > t.rows.length ? " (first " + t.rows.length + " of " + t.total + ")" : "")));
      var wrap = el("div", null, "scroll"), tab = el("table", null, "plain"), hr = el("tr");
      t.columns.forEach(function (c) { hr.appendChild(el("th", c)); });
      var thead = el("thead"); thead.appendChild(hr); tab.appendChild(thead);
      var body = el("tbody");
      t.rows.forEach(function (row) {
        var tr = el("tr");
        row.forEach(function (v) { tr.appendChild(el("td", v)); });
        body.appendChild(tr);
      });
      tab.appendChild(body); wrap.appendChild(tab); box.appendChild(wrap);
    }
    var undated = r.date_sources.none || 0;
    box.appendChild(el("p", r.documents.toLocaleString("en") + " documents, " +
      r.tokens.toLocaleString("en") + " tokens; " + undated.toLocaleString("en") +
      " undated (counted in the period “undated”, never dropped)."));
    var kinds = {metadata: "metadata (a date field, or a metadata table)",
                 text: "text (a dateline or opening in the text)",
                 inferred: "inferred (from neighbouring posts of the same file)", none: "none (undated)"};
    var named = {};
    Object.keys(r.date_sources).forEach(function (k) { named[kinds[k] || k] = r.date_sources[k]; });
    list("Where each date came from", named);
    table("Files read (documents per file)", r.sources);
    list("Reading: formats chosen, records skipped, replaced or renamed", r.read_kinds);
    table("Reading report", r.read_report);
    list("Cleaning and de-duplication", r.dedup_actions);
    if (r.dedup_removed_bytes) box.appendChild(el("p", r.dedup_removed_bytes.toLocaleString("en") + " bytes of boilerplate and repeated lines removed."));
    table("Cleaning report", r.dedup_report);
  })();

  $("record").textContent = JSON.stringify(data.record, null, 2);

  // ------------------------------------------------------------------ downloads
  function csvCell(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return String(v);
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;  // a spreadsheet must not read a formula
    return /[",\n\r]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
  }
  function csv(header, rows) {
    return [header].concat(rows).map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob(["\ufeff" + text], {type: type || "text/csv;charset=utf-8"}));
    var a = el("a"); a.href = url; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  var tables = {
    trends: function () {
      var rows = [], names = data.groups.length ? [""].concat(data.groups) : [""];
      names.forEach(function (g) {
        var v = data.views[g];
        frames.forEach(function (f, i) {
          periods.forEach(function (p, j) {
            var row = [p, f, v.hits[i][j], v.docs_with_hit[i][j], v.docs[j], v.tokens[j],
              v.per_10k[i][j], v.per_10k_low[i][j], v.per_10k_high[i][j],
              v.doc_share[i][j], v.doc_share_low[i][j], v.doc_share_high[i][j]];
            rows.push(data.groups.length ? [g === "" ? "(all)" : g].concat(row) : row);
          });
        });
      });
      var head = ["period", "frame", "hits", "docs_with_hit", "docs", "tokens", "per_10k", "ci_low",
        "ci_high", "doc_share", "share_ci_low", "share_ci_high"];
      return csv(data.groups.length ? [data.group].concat(head) : head, rows);
    },
    heatmap: function () {
      var v = view();
      return csv(["frame"].concat(periods), frames.map(function (f, i) { return [f].concat(v[state.value][i]); }));
    },
    dictionary: function () {
      var rows = [];
      data.dictionary.forEach(function (d) {
        d.patterns.forEach(function (p) { rows.push([d.frame, d.hits, p.pattern, p.hits, d.exclude.join("; ")]); });
      });
      return csv(["frame", "frame_hits", "pattern", "pattern_hits", "exclude"], rows);
    },
    contexts: function () {
      return csv(["frame", "period", "group", "id", "date", "source", "left", "match", "right"],
        data.contexts.map(function (c) {
          var d = data.docs[c.d];
          return [frames[c.f], periods[c.p], c.g === null ? "" : data.groups[c.g], d.id, d.date,
            d.source, c.left, c.match, c.right];
        }));
    }
  };
  $("download-trends").addEventListener("click", function () { download("trends.csv", tables.trends()); });
  $("download-heatmap").addEventListener("click", function () { download("heatmap-" + state.value + ".csv", tables.heatmap()); });
  $("download-dictionary").addEventListener("click", function () { download("dictionary.csv", tables.dictionary()); });
  $("download-contexts").addEventListener("click", function () { download("contexts.csv", tables.contexts()); });
  $("download-record").addEventListener("click", function () {
    download("run-record.json", JSON.stringify(data.record, null, 2), "application/json");
  });

  redraw();
  // A handle for scripted checks (the browser test): read-only views of the page's state.
  window.framescopeReport = {
    graph: function () { return graph; }, chartable: chartable, showContexts: showContexts, csv: tables,
    point: function (f, p) {
      var y = view()[state.value][f][p];
      return y === null ? null : graph.toDomCoords(p, y);
    }
  };
})();
