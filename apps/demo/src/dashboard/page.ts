/**
 * The live dashboard: one HTML page with uPlot charts fed by server-sent events from
 * `/events` (one JSON snapshot a second). About 3 KB of client code; uPlot itself (≈50 KB) is
 * served from the installed package at `/assets/uplot.js`.
 */
const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="perf-kv-token" content="%TOKEN%">
<title>perf-kv dashboard</title>
<link rel="stylesheet" href="/assets/uplot.css">
<style>
  body { font-family: system-ui, sans-serif; margin: 16px; color: #222; }
  header { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
  .kpi { font-size: 14px; background: #f3f5f8; border-radius: 6px; padding: 6px 10px; }
  .kpi b { font-size: 18px; }
  .grid { display: grid; grid-template-columns: repeat(2, minmax(420px, 1fr)); gap: 16px; margin-top: 16px; }
  .card { border: 1px solid #e3e6ea; border-radius: 8px; padding: 8px; }
  .card h2 { font-size: 14px; margin: 0 0 6px; }
  button { font-size: 14px; padding: 6px 14px; cursor: pointer; }
</style>
</head>
<body>
<header>
  <h1 style="font-size:20px;margin:0">perf-kv</h1>
  <span class="kpi">req/s <b id="k-rps">0</b></span>
  <span class="kpi">P99 <b id="k-p99">0</b> ms</span>
  <span class="kpi">cache hits <b id="k-hit">0</b>%</span>
  <span class="kpi">keys <b id="k-keys">0</b></span>
  <button id="start">Start a load run</button>
  <span id="load-state" class="kpi">idle</span>
</header>
<div class="grid">
  <div class="card"><h2>Throughput (requests/s)</h2><div id="c-rps"></div></div>
  <div class="card"><h2>Latency percentiles (ms)</h2><div id="c-lat"></div></div>
  <div class="card"><h2>Cache hit rate (%)</h2><div id="c-hit"></div></div>
  <div class="card"><h2>Shard load (requests/s per shard)</h2><div id="c-shard"></div></div>
  <div class="card" id="cluster" hidden><h2>Cluster members (epoch <span id="k-epoch"></span>)</h2>
    <table id="members" style="border-collapse:collapse;font-size:13px"><thead><tr>
      <th style="text-align:left;padding:2px 10px">node</th><th style="padding:2px 10px">state</th>
      <th style="text-align:right;padding:2px 10px">key share</th><th style="text-align:right;padding:2px 10px">keys held</th>
    </tr></thead><tbody></tbody></table></div>
</div>
<script src="/assets/uplot.js"></script>
<script>
(() => {
  const N = 120, W = 520, H = 220;
  const t = [], rps = [], p50 = [], p95 = [], p99 = [], p999 = [], hit = [], shard = [];
  // A y axis is as wide as its widest tick label (uPlot's default is a fixed 50 px, which cut
  // 10,000 req/s to "0,000"): measured with the axis font, plus the tick and the gap. It is
  // also the room left of the plot for the x axis's first label, centred on a tick that can sit
  // at the plot's left edge (with its date line, about 90 px wide), so it is at least half of
  // that label's widest line. uPlot calls this again after laying out with the new size (x
  // labels are computed first); from the third pass on it keeps its size, so layout converges.
  const widthOf = (self, font, text) => {
    self.ctx.font = font;
    let w = 0;
    for (const line of String(text).split('\\n')) w = Math.max(w, self.ctx.measureText(line).width);
    return w / devicePixelRatio;
  };
  const axisSize = (self, values, i, cycle) => {
    const axis = self.axes[i];
    if (cycle > 1) return axis._size;
    let widest = 0;
    for (const v of values || []) if (v != null) widest = Math.max(widest, widthOf(self, axis.font[0], v));
    const x = self.axes[0];
    const first = (x._values || []).find((v) => v != null);
    const half = first == null ? 0 : widthOf(self, x.font[0], first) / 2;
    return Math.ceil(Math.max(widest + axis.ticks.size + axis.gap + 4, half + 2));
  };
  const opts = (series, y) => ({ width: W, height: H, scales: { x: { time: true }, y: y || {} },
    axes: [{}, { size: axisSize }],
    series: [{}].concat(series.map(([label, stroke]) => ({ label, stroke, width: 2 }))) });
  const charts = {
    rps: new uPlot(opts([['req/s', '#4c9be8']]), [t, rps], document.getElementById('c-rps')),
    lat: new uPlot(opts([['P50', '#4c9be8'], ['P95', '#7bc86c'], ['P99', '#f2b134'], ['P99.9', '#e5534b']]),
      [t, p50, p95, p99, p999], document.getElementById('c-lat')),
    hit: new uPlot(opts([['hit %', '#7bc86c']], { range: [0, 100] }), [t, hit], document.getElementById('c-hit')),
    shard: null,
  };
  window.__perf = { snapshots: 0, points: () => t.length, ingest: (s) => ingest(s), last: null };
  const push = (a, v) => { a.push(v); if (a.length > N) a.shift(); };
  const es = new EventSource('/events');
  es.onmessage = (ev) => ingest(JSON.parse(ev.data));
  // One snapshot into the charts; also on window.__perf, so a browser test can draw values a
  // small test machine does not reach (10,000 req/s) through the same code.
  const ingest = (s) => {
    window.__perf.snapshots++;
    window.__perf.last = s;
    push(t, s.t / 1000); push(rps, s.rps);
    push(p50, s.latencyMs.p50); push(p95, s.latencyMs.p95); push(p99, s.latencyMs.p99); push(p999, s.latencyMs.p999);
    push(hit, s.cache.hitRate * 100);
    if (!charts.shard) {
      for (let i = 0; i < s.shards.length; i++) shard.push([]);
      charts.shard = new uPlot(opts(s.shards.map((_, i) => ['shard ' + i, 'hsl(' + (i * 67) % 360 + ',65%,50%)'])),
        [t].concat(shard), document.getElementById('c-shard'));
    }
    s.shards.forEach((v, i) => push(shard[i], v));
    charts.rps.setData([t, rps]);
    charts.lat.setData([t, p50, p95, p99, p999]);
    charts.hit.setData([t, hit]);
    charts.shard.setData([t].concat(shard));
    document.getElementById('k-rps').textContent = Math.round(s.rps).toLocaleString('en');
    document.getElementById('k-p99').textContent = s.latencyMs.p99.toFixed(2);
    document.getElementById('k-hit').textContent = (s.cache.hitRate * 100).toFixed(1);
    document.getElementById('k-keys').textContent = s.keys.toLocaleString('en');
    document.getElementById('load-state').textContent = s.load;
    if (s.cluster) {
      document.getElementById('cluster').hidden = false;
      document.getElementById('k-epoch').textContent = s.cluster.epoch + (s.cluster.handoff ? ', handing off' : '');
      const body = document.querySelector('#members tbody');
      body.replaceChildren(...s.cluster.members.map((m) => {
        const tr = document.createElement('tr');
        const state = m.leaving ? 'leaving' : m.alive ? 'up' : 'down';
        for (const [text, align] of [[m.id + (m.id === s.cluster.self ? ' (this node)' : ''), 'left'], [state, 'center'],
            [(m.share * 100).toFixed(1) + ' %', 'right'], [m.keys === null ? '–' : m.keys.toLocaleString('en'), 'right']]) {
          const td = document.createElement('td');
          td.textContent = text;
          td.style.cssText = 'padding:2px 10px;text-align:' + align;
          tr.appendChild(td);
        }
        return tr;
      }));
    }
  };
  document.getElementById('start').onclick = async () => {
    const token = document.querySelector('meta[name=perf-kv-token]').content;
    const r = await fetch('/load/start', { method: 'POST', headers: { authorization: 'Bearer ' + token } });
    document.getElementById('load-state').textContent = r.ok ? 'running' : 'busy';
  };
})();
</script>
</body>
</html>
`;

/** The page, carrying the write token its "start load" button sends (hex: nothing to escape). */
export function dashboardHtml(token: string): string {
  if (!/^[\w.~+/=-]*$/.test(token)) throw new TypeError('Expected a token of URL-safe characters');
  return DASHBOARD_HTML.replace('%TOKEN%', token);
}
