// The core's dashboard: everything it reads is the core's own JSON API and /api/events (SSE).
'use strict';
const $ = (id) => document.getElementById(id);
const text = (v) => (v === null || v === undefined ? '' : String(v));
const cell = (row, value, cls) => { const td = row.insertCell(); td.textContent = text(value); if (cls) td.className = cls; return td; };

// With OFFGRID_API_TOKENS set every /api call needs `Authorization: Bearer <token>`: the page asks for
// the token once (kept for this tab only) and sends it with each call; the event stream, which a
// browser cannot give a header, is opened with a short-lived ticket bought with the token.
let token = sessionStorage.getItem('offgrid-api-token');
const withToken = (headers) => (token ? { ...headers, Authorization: 'Bearer ' + token } : headers);

function needToken() {
  $('token-form').hidden = false;
  $('live').textContent = 'events: need an API token';
  $('live').className = 'pill down';
}

async function api(url, options = {}) {
  const response = await fetch(url, { ...options, headers: withToken(options.headers || {}) });
  if (response.status === 401) needToken();
  return response;
}

async function getJson(url) {
  const response = await api(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
  return response.json();
}

// --- the plot: jobs per second and mean dispatch latency, one point a second -------------------
const WINDOW = 300;
const series = new Map(); // epoch second -> [jobs, latency_ms]
let plot = null;

function mergeRates(rates) {
  rates.t.forEach((t, i) => series.set(t, [rates.jobs[i], rates.latency_ms[i]]));
  const newest = Math.max(...series.keys());
  for (const t of series.keys()) if (t < newest - WINDOW) series.delete(t);
}

function drawPlot() {
  const ts = [...series.keys()].sort((a, b) => a - b);
  const data = [ts, ts.map((t) => series.get(t)[0]), ts.map((t) => series.get(t)[1])];
  if (!plot) {
    plot = new uPlot({
      width: Math.max(400, $('plot-panel').clientWidth - 40), height: 220,
      series: [{}, { label: 'jobs/s', stroke: '#0366d6', width: 2 },
               { label: 'latency ms', stroke: '#d73a49', scale: 'ms', spanGaps: false, points: { show: true, size: 5 } }],
      axes: [{}, { label: 'jobs/s' }, { side: 1, scale: 'ms', label: 'ms', grid: { show: false } }],
    }, data, $('plot'));
  } else {
    plot.setData(data);
  }
}

// --- panels ----------------------------------------------------------------------------------
function jobPath(job) {
  const steps = ['received'];
  if (job.req_id || job.attempt_id) steps.push('mapped');
  const result = job.result || {};
  const tried = result.metrics && result.metrics.tried;
  if (job.method === 'offgrid') steps.push('auction' + (tried ? ' [' + tried.length + ' tried]' : ''));
  if (result.node_id) steps.push('host ' + result.node_id);
  if (job.status === 'queued') steps.push('queue: ' + text(job.reason));
  else if (job.status === 'completed') steps.push('result: ' + text(result.text).slice(0, 40));
  else if (job.status === 'failed') steps.push('failed: ' + text(job.reason));
  else steps.push(job.status);
  return steps.join(' → ');
}

async function refreshJobs() {
  const query = new URLSearchParams({ limit: '25' });
  if ($('filter-status').value) query.set('status', $('filter-status').value);
  if ($('filter-method').value) query.set('method', $('filter-method').value);
  const page = await getJson('/api/jobs?' + query);
  const body = $('jobs').tBodies[0];
  body.replaceChildren();
  for (const job of page.jobs || []) {
    const row = body.insertRow();
    row.id = 'job-' + job.job_id;
    row.dataset.status = job.status;
    cell(row, job.job_id);
    cell(row, job.kind);
    cell(row, job.status, 'status-' + job.status);
    cell(row, job.method);
    cell(row, job.attempts);
    cell(row, jobPath(job));
    cell(row, job.updated_at);
    const actions = row.insertCell();
    if (job.status === 'failed' || job.status === 'queued') {
      const retry = document.createElement('button');
      retry.textContent = 'retry';
      retry.onclick = async () => { await api('/api/jobs/' + encodeURIComponent(job.job_id) + '/retry', { method: 'POST' }); refreshSoon(); };
      actions.append(retry);
    }
  }
}

async function refreshStatus() {
  const status = await getJson('/api/status');
  $('mode').textContent = 'mode ' + status.mode;
  const broker = status.broker || {};
  $('broker').textContent = 'broker ' + text(broker.state);
  $('broker').className = 'pill ' + (broker.state === 'ok' ? 'up' : 'down');
  showCounts(status.jobs);
}

function showCounts(jobs) {
  if (!jobs) return;
  $('counts').textContent = Object.entries(jobs).map(([k, v]) => k + ' ' + v).join(' · ');
}

async function refreshQueue() {
  const queue = await getJson('/api/file-queue');
  $('queue-depth').textContent = text(queue.depth);
  $('queue-oldest').textContent = queue.oldest ? queue.oldest.job_id + ' since ' + queue.oldest.since : '—';
}

// the ledger: its balances, the latest signed checkpoint and whether it verifies (the core checks it)
async function refreshLedger() {
  const ledger = await getJson('/api/ledger');
  const body = $('balances').tBodies[0];
  body.replaceChildren();
  $('balances').hidden = ledger.enabled !== true;
  if (ledger.enabled !== true) {
    $('ledger').textContent = ledger.enabled === false ? 'not enabled' : 'unknown: ' + text(ledger.detail);
    $('ledger').className = 'muted';
    $('ledger-checkpoint').textContent = ledger.enabled === false ? text(ledger.detail) : '';
    return;
  }
  const cp = ledger.checkpoint || {};
  $('ledger').textContent = (ledger.verified ? 'verifies' : 'does NOT verify') + ' · ' + text(ledger.balances && ledger.balances.tree_size) + ' entries';
  $('ledger').className = ledger.verified ? 'status-completed' : 'status-failed';
  $('ledger-checkpoint').textContent = 'checkpoint: ' + text(cp.tree_size) + ' entries at ' + text(cp.ts) + ', root '
    + text(cp.root_hash).slice(0, 16) + '… — ' + text(ledger.detail);
  const accounts = (ledger.balances && ledger.balances.accounts) || {};
  for (const [account, balance] of Object.entries(accounts)) {
    const row = body.insertRow();
    cell(row, account);
    cell(row, balance);
  }
  const sum = body.insertRow();
  cell(sum, 'sum');
  cell(sum, ledger.balances && ledger.balances.sum);
}

// storage: objects and shard health per host, once the core stores objects on the mesh
async function refreshStorage() {
  const storage = await getJson('/api/storage');
  const body = $('storage-hosts').tBodies[0];
  body.replaceChildren();
  $('storage-hosts').hidden = storage.enabled !== true;
  if (storage.enabled !== true) {
    $('storage').textContent = 'not enabled';
    $('storage').title = text(storage.detail);
    return;
  }
  $('storage').textContent = text(storage.objects) + ' objects · ' + text(storage.bytes) + ' bytes';
  for (const host of storage.hosts || []) {
    const row = body.insertRow();
    [host.node_id, host.shards, host.ok, host.missing, host.corrupt].forEach((v) => cell(row, v));
  }
}

async function refreshHosts() {
  const mesh = await getJson('/api/mesh/hosts');
  $('hosts-detail').textContent = text(mesh.detail);
  const body = $('hosts').tBodies[0];
  body.replaceChildren();
  for (const host of mesh.hosts || []) {
    const row = body.insertRow();
    cell(row, text(host.node_id) + ' ' + host.host);
    cell(row, host.active ? 'active (' + host.health + ')' : 'inactive (' + host.health + ')', host.active ? 'status-completed' : 'status-failed');
    cell(row, (host.kinds || []).join(', '));
    cell(row, host.prices ? Object.entries(host.prices).map(([k, v]) => k + ' ' + v).join(', ') : '');
    const rep = host.reputation || {};
    cell(row, 'ok ' + text(rep.successes) + ' · failed ' + text(rep.failures) + ' · recent ' + text(host.recent_failures));
    cell(row, host.last_seen);
  }
}

async function refreshAuctions() {
  const recent = await getJson('/api/auctions');
  const body = $('auctions').tBodies[0];
  body.replaceChildren();
  for (const a of (recent.auctions || []).slice(0, 15)) {
    const row = body.insertRow();
    cell(row, a.job_id);
    cell(row, (a.bids || []).map((b) => b.node_id + ' ' + b.quote + ' (' + Number(b.score).toFixed(4) + ')').join(', '));
    cell(row, a.node_id);
    cell(row, (a.tried || []).join(', '));
  }
}

let pending = null;
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(async () => {
    pending = null;
    await Promise.allSettled([refreshJobs(), refreshQueue(), refreshAuctions(), refreshLedger()]);
  }, 200);
}

// --- the form ----------------------------------------------------------------------------------
$('submit-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  let payload;
  try {
    payload = JSON.parse($('submit-payload').value || '{}');
  } catch (e) {
    $('submit-answer').textContent = 'payload is not JSON: ' + e.message;
    return;
  }
  const job = { kind: $('submit-kind').value, payload };
  if ($('submit-job-id').value) job.job_id = $('submit-job-id').value;
  if ($('submit-mission').value) job.mission_id = $('submit-mission').value;
  $('submit-answer').textContent = 'submitted …';
  const response = await api('/api/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(job) });
  $('submit-answer').textContent = response.status + ' ' + await response.text();
  refreshSoon();
});
$('filter-status').onchange = refreshSoon;
$('filter-method').onchange = refreshSoon;

// --- live: server-sent events ------------------------------------------------------------------
// a ticket is good for one connection: on an error the page closes the stream and buys a new one
let events = null;
async function connect() {
  if (events) events.close();
  events = null;
  let ticket;
  try {
    const response = await api('/api/events/ticket', { method: 'POST' });
    if (response.status === 401) return; // needToken() asked for it; the form reconnects
    ticket = (await response.json()).ticket;
  } catch (e) {
    $('live').textContent = 'events: reconnecting';
    setTimeout(connect, 2000);
    return;
  }
  events = new EventSource('/api/events?ticket=' + encodeURIComponent(ticket));
  events.onopen = () => { $('live').textContent = 'events: live'; $('live').className = 'pill up'; };
  events.onerror = () => {
    $('live').textContent = 'events: reconnecting'; $('live').className = 'pill down';
    events.close();
    setTimeout(connect, 2000);
  };
  events.addEventListener('rates', (e) => { mergeRates(JSON.parse(e.data)); drawPlot(); });
  events.addEventListener('tick', (e) => { const tick = JSON.parse(e.data); mergeRates(tick.rates); drawPlot(); showCounts(tick.jobs); });
  events.addEventListener('job', () => refreshSoon());
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token').value.trim();
  sessionStorage.setItem('offgrid-api-token', token);
  $('token-form').hidden = true;
  connect();
  refreshStatus();
  refreshSoon();
  refreshHosts();
  refreshStorage();
});

connect();
refreshStatus();
refreshSoon();
refreshHosts();
refreshStorage();
setInterval(refreshHosts, 5000);
setInterval(refreshStorage, 5000);
setInterval(refreshLedger, 5000);
setInterval(refreshStatus, 5000);
