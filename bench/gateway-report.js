// Turns the JSON lines of bench/gateway-proxy.sh into the tables of bench/README.md: medians over rounds, and ratios.
const fs = require("fs");
const lines = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(JSON.parse);
const median = xs => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x, d = 0) => x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const http = (mode, target) => lines.filter(l => l.kind === "http" && l.mode === mode && l.target === target);
// Older result files have no floor runs: report the targets that were measured.
const targets = ["direct", "nginx", "chp", "gateway", "floor", "before"].filter(t => lines.some(l => l.kind === "http" && l.target === t));
const names = {
  direct: "(a) backend directly", nginx: "(b) nginx 1.22 (Debian)", chp: "(c) configurable-http-proxy 5.3.0",
  gateway: "(d) gateway (session cookie)", floor: "(e) bare-socket .NET proxy (floor, no HTTP stack, no auth)",
  before: "(f) gateway built from BEFORE (session cookie)",
};
const hasBefore = targets.includes("before");
const rounds = Math.max(...lines.filter(l => l.round).map(l => l.round));
const out = [];

const errors = lines.filter(l => l.kind === "http").reduce((n, l) => n + l.wrk.errors, 0);
out.push(`Medians of ${rounds} rounds; targets interleaved within each round. wrk errors (non-2xx, socket): ${errors}.`, "");

const c64 = Object.fromEntries(targets.map(t => {
  const runs = http("c64", t);
  const perRequest = ticks => median(runs.filter(r => ticks(r) > 0).map(r => ticks(r) / r.clk_tck / r.wrk.requests * 1e6));
  return [t, {
    rps: median(runs.map(r => r.wrk.rps)), p50: median(runs.map(r => r.wrk.p50_us)), p99: median(runs.map(r => r.wrk.p99_us)),
    cpu: perRequest(r => r.cpu_ticks), backendCpu: perRequest(r => r.backend_cpu_ticks ?? 0), all: runs.map(r => r.wrk.rps),
  }];
}));
const micros = x => Number.isNaN(x) ? "–" : fmt(x, 1) + " µs";
out.push("#### Throughput, `wrk -t2 -c64 -d10s --latency`", "");
out.push("| Target | Requests/s (median) | each round | p50 | p99 | CPU per request | backend's CPU per request | vs CHP | vs nginx |", "|---|---:|---|---:|---:|---:|---:|---:|---:|");
for (const t of targets) {
  const r = c64[t];
  out.push(`| ${names[t]} | ${fmt(r.rps)} | ${r.all.map(x => fmt(x)).join(" / ")} | ${fmt(r.p50 / 1000, 2)} ms | ${fmt(r.p99 / 1000, 2)} ms | ${micros(r.cpu)} | ${micros(r.backendCpu)} | ${fmt(r.rps / c64.chp.rps, 2)}× | ${fmt(r.rps / c64.nginx.rps * 100)} % |`);
}
// On a shared virtual machine one core can run much slower than the other for minutes, and a single-threaded proxy
// (CHP; the gateway's one event thread on two cores) is as fast as the core it lands on: a median can then compare a
// proxy on the slow core with one on the fast core. Each target's best round is the one it ran on the faster core.
const best = t => Math.max(...c64[t].all);
const bestVsChp = best("gateway") / best("chp");
out.push("", `Per round, gateway ÷ CHP: ${c64.gateway.all.map((x, i) => fmt(x / c64.chp.all[i], 2) + "×").join(", ")}; best round of each: ${fmt(bestVsChp, 2)}× (nginx ${fmt(best("nginx") / best("chp"), 2)}×${c64.floor ? `, floor ${fmt(best("floor") / best("chp"), 2)}×` : ""}).`);
const cores = lines.filter(l => l.kind === "cores");
if (cores.length) {
  out.push(`The same loop on each core before each round (ms): ${cores.map(l => l.loop_ms.join(" / ")).join("; ")}.`);
}
if (c64.floor) {
  out.push(`Gateway ÷ floor: ${fmt(c64.gateway.rps / c64.floor.rps * 100)} % of its throughput, ${c64.floor.cpu ? fmt(c64.gateway.cpu / c64.floor.cpu, 2) + "× its CPU per request" : "CPU not measured"}.`);
}
out.push("");

const c1 = Object.fromEntries(targets.map(t => {
  const runs = http("c1", t);
  return [t, { rps: median(runs.map(r => r.wrk.rps)), p50: median(runs.map(r => r.wrk.p50_us)), mean: median(runs.map(r => r.wrk.mean_us)), p99: median(runs.map(r => r.wrk.p99_us)) }];
}));
out.push("#### Latency, one connection, `wrk -t1 -c1 -d10s --latency`", "");
out.push("| Target | Requests/s | p50 | mean | p99 | added p50 over direct | added / nginx's |", "|---|---:|---:|---:|---:|---:|---:|");
const added = t => c1[t].p50 - c1.direct.p50;
for (const t of targets) {
  const r = c1[t];
  out.push(`| ${names[t]} | ${fmt(r.rps)} | ${r.p50} µs | ${fmt(r.mean)} µs | ${r.p99} µs | ${t === "direct" ? "–" : added(t) + " µs"} | ${t === "direct" ? "–" : fmt(added(t) / Math.max(1, added("nginx")), 2) + "×"} |`);
}
out.push("");

const wsTargets = ["direct", "chp", "gateway", "before"].filter(t => lines.some(l => l.kind === "ws" && l.target === t));
const ws = Object.fromEntries(wsTargets.map(t => {
  const runs = lines.filter(l => l.kind === "ws" && l.target === t).map(l => l.result);
  return [t, Object.fromEntries(["handshake_p50_us", "handshake_p99_us", "rtt_p50_us", "rtt_p99_us"].map(k => [k, median(runs.map(r => r[k]))]))];
}));
out.push("#### WebSockets: 200 handshakes (connect to open) and 2,000 sequential 32-byte echo round trips", "");
out.push("| Target | Handshake p50 | Handshake p99 | Round trip p50 | Round trip p99 | Round-trip overhead over direct |", "|---|---:|---:|---:|---:|---:|");
for (const t of wsTargets) {
  const r = ws[t];
  out.push(`| ${names[t]} | ${fmt(r.handshake_p50_us)} µs | ${fmt(r.handshake_p99_us)} µs | ${fmt(r.rtt_p50_us)} µs | ${fmt(r.rtt_p99_us)} µs | ${t === "direct" ? "–" : fmt(r.rtt_p50_us - ws.direct.rtt_p50_us) + " µs"} |`);
}
out.push("");

const mem = lines.find(l => l.kind === "memory");
if (mem) {
  const mib = k => fmt(k / 1024, 0) + " MiB";
  out.push("#### Memory (resident set)", "");
  out.push("| Gateway state | RSS |", "|---|---:|");
  out.push(`| after the HTTP runs (${fmt(100)} routes) | ${mib(mem.gateway_rss_after_load_kib)} |`);
  out.push(`| ${fmt(mem.routes)} routes in the snapshot | ${mib(mem.gateway_rss_routes_kib)} |`);
  out.push(`| ${fmt(mem.routes)} routes and ${fmt(mem.websockets)} open WebSockets | ${mib(mem.gateway_rss_routes_websockets_kib)} |`);
  if (mem.before_rss_routes_kib) {
    out.push(`| (f) BEFORE's gateway: ${fmt(mem.routes)} routes | ${mib(mem.before_rss_routes_kib)} |`);
    out.push(`| (f) BEFORE's gateway: ${fmt(mem.routes)} routes and ${fmt(mem.websockets)} open WebSockets | ${mib(mem.before_rss_routes_websockets_kib)} |`);
  }
  out.push(`| (CHP with 1 route and ${fmt(mem.websockets)} open WebSockets) | ${mib(mem.chp_rss_websockets_kib)} |`, "");
}

const verdict = (ok, text) => `- ${ok ? "met" : "NOT met"}: ${text}`;
out.push("#### Targets", "");
out.push(verdict(c64.gateway.rps >= 5 * c64.chp.rps && bestVsChp >= 5,
  `throughput ≥ 5× CHP at c64 (medians and best rounds): ${fmt(c64.gateway.rps / c64.chp.rps, 2)}× and ${fmt(bestVsChp, 2)}×`));
out.push(verdict(c64.gateway.rps >= 0.65 * c64.nginx.rps, `throughput ≥ 65 % of nginx at c64: ${fmt(c64.gateway.rps / c64.nginx.rps * 100)} %`));
if (hasBefore) {
  out.push(verdict(c64.gateway.rps >= 0.85 * c64.before.rps, `throughput at c64 within 15 % of BEFORE's gateway: ${fmt(c64.gateway.rps / c64.before.rps * 100)} % (per round: ${c64.gateway.all.map((x, i) => fmt(x / c64.before.all[i] * 100) + " %").join(", ")})`));
  out.push(`- added latency at c1, BEFORE's gateway: ${added("before")} µs (${fmt(added("before") / Math.max(1, added("nginx")), 2)}× nginx's)`);
}
out.push(verdict(added("gateway") <= 2 * added("nginx"), `added latency at c1 ≤ 2× nginx's: ${added("gateway")} µs vs ${added("nginx")} µs (${fmt(added("gateway") / Math.max(1, added("nginx")), 2)}×)`));
out.push(verdict(ws.gateway.rtt_p50_us - ws.direct.rtt_p50_us < ws.chp.rtt_p50_us - ws.direct.rtt_p50_us,
  `WebSocket round-trip overhead below CHP's: ${fmt(ws.gateway.rtt_p50_us - ws.direct.rtt_p50_us)} µs vs ${fmt(ws.chp.rtt_p50_us - ws.direct.rtt_p50_us)} µs`
  + (ws.before ? ` (BEFORE's gateway: ${fmt(ws.before.rtt_p50_us - ws.direct.rtt_p50_us)} µs)` : "")));
if (mem && mem.before_rss_routes_websockets_kib) {
  out.push(verdict(mem.gateway_rss_routes_websockets_kib <= 1.5 * mem.before_rss_routes_websockets_kib,
    `memory with ${fmt(mem.routes)} routes and ${fmt(mem.websockets)} WebSockets ≤ 1.5× BEFORE's gateway: ${fmt(mem.gateway_rss_routes_websockets_kib / mem.before_rss_routes_websockets_kib, 2)}×`));
}
console.log(out.join("\n"));
