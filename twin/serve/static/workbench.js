// The what-if workbench of `twin serve`: a form of scenario keys, KPI tiles and plots
// drawn as plain SVG (no library, works offline). Every change sends the base (an example
// or a site) and the form as `--set` assignments to POST /api/whatif; the tiles show the
// answer's KPIs, the same numbers as POST /api/run and `twin run --json`.
"use strict";

const $ = (id) => document.getElementById(id);
const NS = "http://www.w3.org/2000/svg";
const COLOURS = {grid: "#868e96", "PV and wind": "#f59f00", battery: "#1c7ed6",
                 genset: "#c92a2a", UPS: "#7048e8"};
const SHARES = ["renewable_fraction", "cfe_score"];
let baseScenario = null;   // the full scenario of the chosen base (POST /api/scenario)
let lastRun = null;        // the last answer's run object (KPIs and meta)
let seq = 0;               // the newest request; older answers are dropped
const kept = [];

async function api(path, body) {
  const opts = body === undefined ? {} :
    {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
  const r = await fetch(path, opts);
  if (!r.ok) {
    let msg = r.statusText;
    try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return r;
}

function status(text, cls) { const s = $("status"); s.textContent = text; s.className = cls || ""; }

function baseBody() {
  const v = $("base").value;
  if (v.startsWith("example:")) return {example: v.slice(8), set: []};
  return {scenario: null, set: ["site.id=" + JSON.stringify(v.slice(5))]};
}

function tomlValue(v) { return typeof v === "string" ? JSON.stringify(v) : String(v); }

// The request of the current form: the base, then one assignment per field that differs
// from it (IT power scales the racks of every group).
function request() {
  const body = baseBody();
  for (const el of document.querySelectorAll("[data-key]")) {
    const [table, key] = el.dataset.key.split(".");
    const was = baseScenario[table][key];
    let now = el.type === "number" ? Number(el.value) : el.value;
    if (el.value === "" || now === was) continue;
    body.set.push(el.dataset.key + "=" + tomlValue(now));
  }
  const target = Number($("it_mw").value), peak = itPeak(baseScenario);
  if ($("it_mw").value !== "" && Math.abs(target - peak) > 1e-9 && peak > 0) {
    baseScenario.it.groups.forEach((g, i) => {
      body.set.push(`it.groups.${i}.racks=${Math.round(g.racks * target / peak)}`);
    });
  }
  return body;
}

function itPeak(sc) { return sc.it.groups.reduce((s, g) => s + g.racks * g.p_rack_peak_kw, 0) / 1000; }

function fillForm(sc) {
  for (const el of document.querySelectorAll("[data-key]")) {
    const [table, key] = el.dataset.key.split(".");
    el.value = sc[table][key];
  }
  $("it_mw").value = +itPeak(sc).toFixed(3);
}

function fmt(key, v) {
  if (v === null || v === undefined || !isFinite(v)) return String(v);
  if (SHARES.includes(key)) return (100 * v).toFixed(1) + "%";
  if (Math.abs(v) >= 1e4) return Math.round(v).toLocaleString("en-US");
  return Number(v.toPrecision(4)).toString();
}

function showTiles(run) {
  for (const tile of document.querySelectorAll("[data-tile]")) {
    const key = tile.dataset.tile, b = tile.querySelector("b");
    b.textContent = fmt(key, run[key]) + b.dataset.unit;
    tile.dataset.value = String(run[key]);
  }
}

function svg(el, tag, attrs, text) {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  el.appendChild(n);
  return n;
}

function axes(el, w, h, pad, ymax, label) {
  el.replaceChildren();
  svg(el, "line", {x1: pad, y1: h - 20, x2: w - 5, y2: h - 20, stroke: "#adb5bd"});
  svg(el, "line", {x1: pad, y1: 5, x2: pad, y2: h - 20, stroke: "#adb5bd"});
  svg(el, "text", {x: 2, y: 12}, fmt("", ymax) + (label || ""));
  svg(el, "text", {x: 2, y: h - 22}, "0");
}

function drawWeek(week) {
  const el = $("week"), w = 900, h = 220, pad = 50, n = week.demand_mw.length;
  const names = Object.keys(week.supply_mw);
  const total = week.demand_mw.map((d, i) => Math.max(d || 0, names.reduce((s, k) => s + (week.supply_mw[k][i] || 0), 0)));
  const ymax = Math.max(1e-9, ...total) * 1.05;
  axes(el, w, h, pad, ymax, " MW");
  const x = (i) => pad + (w - pad - 5) * i / Math.max(1, n - 1);
  const y = (v) => h - 20 - (h - 25) * v / ymax;
  const lower = new Array(n).fill(0);
  $("week-legend").replaceChildren();
  for (const name of names) {
    const vals = week.supply_mw[name];
    if (!vals.some((v) => v > 0)) continue;
    const upper = lower.map((l, i) => l + (vals[i] || 0));
    const pts = upper.map((u, i) => `${x(i)},${y(u)}`).concat(lower.map((l, i) => `${x(n - 1 - i)},${y(lower[n - 1 - i])}`));
    svg(el, "polygon", {points: pts.join(" "), fill: COLOURS[name] || "#999", opacity: 0.8});
    upper.forEach((u, i) => { lower[i] = u; });
    const item = document.createElement("span");
    item.innerHTML = `<i style="background:${COLOURS[name] || "#999"}"></i>`;
    item.append(name);
    $("week-legend").appendChild(item);
  }
  svg(el, "polyline", {points: week.demand_mw.map((d, i) => `${x(i)},${y(d || 0)}`).join(" "), fill: "none", stroke: "#1d2430", "stroke-width": 1.5});
  const item = document.createElement("span");
  item.innerHTML = '<i style="background:#1d2430"></i>facility demand';
  $("week-legend").appendChild(item);
  if (week.start) svg(el, "text", {x: pad, y: h - 4}, "from " + week.start.slice(0, 16).replace("T", " "));
}

function drawWater(water) {
  const el = $("water"), w = 440, h = 200, pad = 50, n = water.m3.length;
  const top = Math.max(0, ...water.m3), ymax = top > 0 ? top * 1.05 : 1;
  axes(el, w, h, pad, ymax, "");
  if (top === 0) svg(el, "text", {x: pad + 20, y: h / 2}, "no water: the plant evaporates none");
  const bw = (w - pad - 10) / Math.max(1, n);
  water.m3.forEach((v, i) => {
    const bh = (h - 25) * (v || 0) / ymax;
    svg(el, "rect", {x: pad + i * bw + 2, y: h - 20 - bh, width: bw - 4, height: bh, fill: "#1c7ed6"});
    svg(el, "text", {x: pad + i * bw + 2, y: h - 6}, "JFMAMJJASOND"[water.months[i] - 1]);
  });
}

function drawPue(p) {
  const el = $("pue"), w = 440, h = 200, pad = 30;
  el.replaceChildren();
  const vals = p.pue.flat().filter((v) => v !== null);
  const lo = Math.min(...vals), hi = Math.max(...vals), cw = (w - pad - 60) / 24, ch = (h - 25) / 12;
  p.pue.forEach((row, i) => row.forEach((v, j) => {
    const t = hi > lo ? (v - lo) / (hi - lo) : 0;
    svg(el, "rect", {x: pad + p.hours[j] * cw, y: 5 + i * ch, width: cw, height: ch,
      fill: `hsl(${210 - 210 * t},70%,${85 - 35 * t}%)`}).appendChild(
      document.createElementNS(NS, "title")).textContent = `month ${p.months[i]}, ${p.hours[j]} h: PUE ${v}`;
  }));
  p.months.forEach((m, i) => svg(el, "text", {x: 4, y: 5 + (i + 0.8) * ch}, "JFMAMJJASOND"[m - 1]));
  [0, 6, 12, 18].forEach((hh) => svg(el, "text", {x: pad + hh * cw, y: h - 6}, hh + " h"));
  svg(el, "text", {x: w - 55, y: 15}, "max " + fmt("", hi));
  svg(el, "text", {x: w - 55, y: h - 25}, "min " + fmt("", lo));
}

function drawScatter() {
  const el = $("scatter"), w = 440, h = 220, pad = 50;
  el.replaceChildren();
  if (!kept.length) return;
  const xs = kept.map((k) => k.run.cfe_score), ys = kept.map((k) => k.run.cost_per_it_mwh_mad);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const sx = (v) => pad + (w - pad - 20) * (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5);
  const sy = (v) => h - 25 - (h - 40) * (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5);
  svg(el, "text", {x: pad, y: h - 4}, `CFE ${fmt("cfe_score", x0)} … ${fmt("cfe_score", x1)}`);
  svg(el, "text", {x: 2, y: 12}, `cost ${fmt("", y1)} MAD/MWh`);
  svg(el, "text", {x: 2, y: h - 25}, fmt("", y0));
  kept.forEach((k, i) => {
    svg(el, "circle", {cx: sx(xs[i]), cy: sy(ys[i]), r: 5, fill: "#e67700"});
    svg(el, "text", {x: sx(xs[i]) + 7, y: sy(ys[i]) + 4}, String(i + 1));
  });
}

async function update() {
  const mine = ++seq, body = request();
  $("status").dataset.request = JSON.stringify(body);
  status("simulating…", "busy");
  try {
    const answer = await (await api("/api/whatif", body)).json();
    if (mine !== seq) return;
    lastRun = answer.run;
    showTiles(answer.run);
    drawWeek(answer.series.week);
    drawWater(answer.series.water_m3_by_month);
    drawPue(answer.series.pue_month_hour);
    const m = answer.run.meta;
    status(`${m.site_name}: ${m.steps} steps of ${m.step}, IT peak ${fmt("", m.p_it_peak_mw)} MW, simulated in ${m.wall_s} s`);
    $("status").dataset.done = String(mine);
  } catch (e) {
    if (mine === seq) { status(e.message, "err"); $("status").dataset.done = String(mine); }
  }
}

let timer = null;
function later() { clearTimeout(timer); timer = setTimeout(update, 250); }

async function chooseBase() {
  const body = baseBody();
  baseScenario = await (await api("/api/scenario", body)).json();
  fillForm(baseScenario);
  await update();
}

function download(name, text, type) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], {type}));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function describe(body) { return body.set.join(", ") || "as published"; }

function csv() {
  const rows = kept.length ? kept : (lastRun ? [{label: "current", run: lastRun}] : []);
  if (!rows.length) return "";
  const keys = Object.keys(rows[0].run).filter((k) => k !== "meta");
  const quote = (s) => '"' + String(s).replace(/"/g, '""') + '"';
  return ["what_if," + keys.join(",")].concat(rows.map((r) => [quote(r.label), ...keys.map((k) => r.run[k])].join(","))).join("\n") + "\n";
}

async function init() {
  const [sites, exs, schema] = await Promise.all(["/api/sites", "/api/examples", "/api/schema"].map(async (p) => (await api(p)).json()));
  for (const e of exs) $("base").add(new Option(`example: ${e.name}`, "example:" + e.name));
  for (const s of sites) $("base").add(new Option(`site: ${s.name}`, "site:" + s.id));
  $("base").value = exs.some((e) => e.name === "casablanca_nouaceur") ? "example:casablanca_nouaceur" : $("base").options[0].value;
  for (const el of document.querySelectorAll("[data-enum]")) {
    const [def, field] = el.dataset.enum.split(".");
    for (const v of schema.$defs[def].properties[field].enum) el.add(new Option(v, v));
  }
  $("base").addEventListener("change", () => chooseBase().catch((e) => status(e.message, "err")));
  for (const el of document.querySelectorAll("#whatif input, #whatif select")) {
    if (el.id !== "base") el.addEventListener("input", later);
  }
  $("keep").addEventListener("click", () => {
    if (!lastRun) return;
    const body = JSON.parse($("status").dataset.request);
    kept.push({label: `${$("base").value}: ${describe(body)}`, run: lastRun});
    const tr = document.createElement("tr");
    [kept.length, kept[kept.length - 1].label, fmt("", lastRun.pue), fmt("", lastRun.wue_l_per_kwh),
     fmt("cfe_score", lastRun.cfe_score), fmt("", lastRun.cost_per_it_mwh_mad)].forEach((v) => {
      const td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
    document.querySelector("#kept tbody").appendChild(tr);
    drawScatter();
  });
  $("toml").addEventListener("click", async () => {
    try { download("scenario.toml", await (await api("/api/scenario?format=toml", request())).text(), "application/toml"); }
    catch (e) { status(e.message, "err"); }
  });
  $("csv").addEventListener("click", () => download("kpis.csv", csv(), "text/csv"));
  $("report").addEventListener("click", async () => {
    status("writing the report…", "busy");
    try {
      const blob = await (await api("/api/report", request())).blob();
      window.open(URL.createObjectURL(new Blob([blob], {type: "text/html"})), "_blank");
      status("report opened in a new tab");
    } catch (e) { status(e.message, "err"); }
  });
  await chooseBase();
}

window.addEventListener("DOMContentLoaded", () => init().catch((e) => status(e.message, "err")));
