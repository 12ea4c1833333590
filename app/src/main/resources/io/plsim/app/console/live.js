// The live data plane: counters per zone, interface and target, load balancers, DNS answers, events.
import { S } from './session.js';
import { h, s, state, when, listing, show, ident, bytes } from './dom.js';
import { liveNow } from './query.js';
import { redraw } from './router.js';
import { drawFaults, updateScopeChoices, faultForm } from './faults.js';
import { targetsOf, drawTargets, drawLoadBalancers } from './balancers.js';

const LIVE_MS = 1000;
const HISTORY = 60;
// Rows a table of the live view shows a page: it has nine of them, each a screen at most.
const LIVE_LIST = { size: 10, compact: true };

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

function fmt(x) {
  return x >= 100 ? Math.round(x).toString() : x.toFixed(1);
}

// A sparkline of the last HISTORY readings of new connections per second, the newest at the right; it
// stretches to its panel's width.
function spark(values) {
  const w = 360;
  const hgt = 40;
  const max = Math.max(1, ...values);
  const step = w / (HISTORY - 1);
  const pts = values.map((v, i) => `${(w - (values.length - 1 - i) * step).toFixed(1)},`
    + `${(hgt - 1 - v * (hgt - 4) / max).toFixed(1)}`);
  return s('svg', { class: 'spark', viewBox: `0 0 ${w} ${hgt}`, preserveAspectRatio: 'none', 'aria-hidden': 'true',
    'data-readings': values.length },
    s('rect', { x: 0, y: 0, width: w, height: hgt, fill: '#f7f9fa' }),
    pts.length > 1 ? s('polyline', { points: pts.join(' '), fill: 'none', stroke: '#0972d3', 'stroke-width': 1.5,
      'vector-effect': 'non-scaling-stroke' }) : null);
}

// The sections of the page, in order, with the element each is drawn into; the page opens with links to
// each, as it is several screens long.
const SECTIONS = [['live-zones', 'Zones'], ['live-endpoints', 'Endpoints'], ['live-interfaces', 'Network interfaces'],
  ['live-targets', 'Targets'], ['live-load-balancers', 'Load balancers'], ['live-cross-zone', 'Cross-zone traffic'],
  ['live-faults', 'Faults'],
  ['live-dns', 'DNS answers'], ['live-events', 'Recent events']];

export function liveView() {
  const el = Object.fromEntries(SECTIONS.map(([id]) => [id, h('div', { id, class: id === 'live-zones' ? 'zones' : null })]));
  const poll = async () => {
    const [now, ev] = await Promise.all([liveNow(), fetch('/admin/events?limit=' + EVENTS_SHOWN)]);
    const L = S.live;
    L.prev = L.now;
    L.now = now;
    drawLive(now, L.prev, el);
    if (ev.ok) drawEvents(el['live-events'], await ev.json());
  };
  return {
    async render() {
      // The sparklines' history stays from the last visit, the time away filled in from the zones' totals
      // (drawLive); the rates start again from the next two readings.
      S.live.left = S.live.now;
      S.live.prev = null;
      S.live.now = null;
      const jump = h('nav', { class: 'jump' }, SECTIONS.map(([id, label]) => h('button', { type: 'button', class: 'link',
        onclick: () => el[id].previousElementSibling.scrollIntoView({ block: 'start' }) }, label)));
      show(this, h('h1', null, 'Live data plane'),
        h('p', { class: 'muted' }, 'The whole world as it runs, whichever identity is chosen; updated every second.'),
        jump,
        SECTIONS.map(([id, label]) => [h('h2', null, label), el[id], id === 'live-faults' ? faultForm() : null]));
      await poll();
    },
    refresh: poll,
    every: LIVE_MS,
  };
}

function drawLive(now, prev, el) {
  const L = S.live;
  const seconds = prev ? (now.atMillis - prev.atMillis) / 1000 : 0;
  // A counter's growth per second since the last reading; 0 with no last reading of it.
  const rate = (value, before) => (before !== undefined && seconds > 0 ? Math.max(0, (value - before) / seconds) : 0);
  const prevIface = new Map((prev ? prev.interfaces : []).map(i => [i.endpointId + ' ' + i.ip, i]));
  const ifaces = now.interfaces.map(i => Object.assign({}, i,
    { cps: rate(i.admitted, prevIface.get(i.endpointId + ' ' + i.ip)?.admitted) }));
  const prevTargets = new Map((prev ? targetsOf(prev) : []).map(t => [t.loadBalancer + ' ' + t.address, t]));
  const targets = targetsOf(now).map(t => Object.assign({}, t,
    { fps: rate(t.flows, prevTargets.get(t.loadBalancer + ' ' + t.address)?.flows) }));
  const zoneIds = [...new Set([...ifaces.map(i => i.zoneId), ...targets.map(t => t.zoneId),
    ...Object.keys(now.zoneTotals)])].sort();
  if (!prev && L.left) {
    // Back from another page: the time away is drawn at each zone's mean rate over it, from its totals
    // (counters that never drop), so that a line keeps its history and its scale of a reading a second.
    const away = (now.atMillis - L.left.atMillis) / 1000;
    const steps = Math.max(0, Math.min(HISTORY, Math.round(away * 1000 / LIVE_MS) - 1));
    for (const z of zoneIds) {
      const before = (L.left.zoneTotals[z] || { admitted: 0 }).admitted;
      const mean = away > 0 ? Math.max(0, ((now.zoneTotals[z] || { admitted: 0 }).admitted - before) / away) : 0;
      const hist = L.history.get(z) || [];
      for (let i = 0; i < steps; i++) hist.push(mean);
      while (hist.length > HISTORY) hist.shift();
      L.history.set(z, hist);
    }
    L.left = null;
  }
  for (const z of prev ? zoneIds : []) {
    const hist = L.history.get(z) || [];
    hist.push(sum(ifaces.filter(i => i.zoneId === z).map(i => i.cps)));
    while (hist.length > HISTORY) hist.shift();
    L.history.set(z, hist);
  }

  el['live-zones'].replaceChildren(...zoneIds.map(z => {
    const zi = ifaces.filter(i => i.zoneId === z);
    const zt = targets.filter(t => t.zoneId === z);
    // The zone's totals are plsim's, which keep what deleted endpoints counted: they never drop.
    const total = now.zoneTotals[z] || { admitted: 0, denied: {} };
    const denied = total.denied;
    // A target counts as healthy when a node sees it so; counted per load balancer, whose checks differ.
    const health = [...new Set(zt.map(t => t.loadBalancer))].map(lb => {
      const of = zt.filter(t => t.loadBalancer === lb);
      const up = of.filter(t => Object.values(t.healthByNodeZoneId).some(x => x === 'healthy')).length;
      return `${lb} ${up}/${of.length}`;
    });
    const outages = now.faults.filter(f => f.scope.az === z);
    // Zone names are each account's own: the chosen identity's name for this zone ID.
    const name = Object.entries(S.identity.zones).find(([, id]) => id === z);
    const hist = L.history.get(z) || [];
    return h('div', { class: 'panel zone', 'data-zone': z },
      h('h3', null, z, ' ', h('span', { class: 'muted' }, name ? `${name[0]} in ${S.identity.accountId}`
        : `not a zone of ${S.identity.accountId}`)),
      h('div', null, h('span', { class: 'big cps' }, fmt(sum(zi.map(i => i.cps)))), ' new connections/s',
        h('span', { class: 'muted small' }, ' (at most ', fmt(Math.max(0, ...hist)), '/s in the last minute)')),
      h('div', null, h('span', { class: 'open' }, sum(zi.map(i => i.open))), ' open, ',
        h('span', { class: 'admitted' }, total.admitted), ' admitted, ',
        h('span', { class: 'denied' }, sum(Object.values(denied))), ' denied',
        Object.keys(denied).length ? ' (' + Object.entries(denied).map(([k, v]) => `${k} ${v}`).join(', ') + ')' : ''),
      h('div', { class: 'health' }, 'healthy targets: ', health.join(', ') || 'none', outages.length
        ? [', ', h('b', null, outages.map(f => f.fault).join(', '))] : ''),
      spark(hist));
  }));

  redraw(el['live-endpoints'], now.endpoints, () => listing(['Endpoint', 'Service', 'Owner', 'State',
    'Zones its regional name answers'], now.endpoints.map(e => h('tr', { 'data-endpoint': e.endpointId,
    'data-state': e.state },
    h('td', null, ident(e.endpointId)), h('td', null, ident(e.serviceId)), h('td', { class: 'id' }, e.owner),
    h('td', null, state(e.state)), h('td', { class: 'serving' }, [...e.servingZoneIds].sort().join(', ') || '-'))),
    { id: 'live-endpoint-list' }, LIVE_LIST));
  redraw(el['live-interfaces'], ifaces, () => listing(['Endpoint', 'Zone', 'Listening on', { text: 'New/s', cls: 'num' },
    { text: 'Open', cls: 'num' }, { text: 'Admitted', cls: 'num' }, 'Denied, by reason', { text: 'Bytes up / down', cls: 'num' }],
    ifaces.map(i => h('tr', { 'data-interface': i.ip, 'data-endpoint': i.endpointId },
    h('td', null, ident(i.endpointId)), h('td', null, h('div', { class: 'id' }, i.zoneId),
      h('div', { class: 'muted nowrap' }, i.zoneName)),
    h('td', null, (i.listeners && i.listeners.length ? i.listeners : [i.ip]).map(a => h('div', { class: 'id' }, a))),
    h('td', { class: 'num cps' }, fmt(i.cps)), h('td', { class: 'num open' }, i.open),
    h('td', { class: 'num admitted' }, i.admitted),
    h('td', { class: 'denied' }, Object.entries(i.denied).map(([k, v]) => `${k} ${v}`).join(', ') || '-'),
    h('td', { class: 'num' }, bytes(i.bytesUp), ' / ', bytes(i.bytesDown)))), { id: 'live-interface-list' }, LIVE_LIST));

  drawTargets(el['live-targets'], now, targets, fmt, LIVE_LIST);
  drawFaults(el['live-faults'], now);
  redraw(el['live-dns'], now.dns, () => listing(['Name', 'Answer'], now.dns.map(d => h('tr', { 'data-dns': d.name },
    h('td', null, ident(d.name), h('div', { class: 'small muted' }, d.zoneName || 'regional')),
    h('td', { class: 'id answer' }, d.answer.length ? d.answer.map(a => h('div', null, a)) : '-'))),
    { id: 'live-dns-list' }, LIVE_LIST));
  drawLoadBalancers(el['live-load-balancers'], now);
  drawCrossZone(el['live-cross-zone'], now.crossZone);
  updateScopeChoices(now, zoneIds, targets);
}

// What cross-zone load balancing sends between zones, and what AWS would bill for it at the sim-config's price.
function drawCrossZone(el, cz) {
  const usd = x => '$' + (x === 0 || x >= 0.01 ? x.toFixed(2) : x.toPrecision(2));
  const rows = cz.pairs.map(p => h('tr', { 'data-endpoint': p.endpointId, 'data-from': p.interfaceZoneId,
    'data-to': p.targetZoneId },
  h('td', null, ident(p.endpointId)), h('td', null, p.loadBalancer), h('td', { class: 'id' }, p.interfaceZoneId),
  h('td', { class: 'id' }, p.targetZoneId), h('td', { class: 'num' }, bytes(p.bytesToTarget)),
  h('td', { class: 'num' }, bytes(p.bytesToConsumer)), h('td', { class: 'num' }, usd(p.cost))));
  redraw(el, cz, () => h('div', { class: 'cross-zone' },
    h('p', null, 'Between an endpoint interface and a target in another zone: ',
      h('span', { class: 'cross-zone-bytes' }, bytes(cz.bytes)), ', about ',
      h('span', { class: 'cross-zone-cost' }, usd(cz.cost)), ` at $${cz.pricePerGb} per GB each way `,
      h('span', { class: 'muted small' }, '(simulation.crossZonePricePerGb)'), '.'),
    rows.length ? listing(['Endpoint', 'Load balancer', 'Interface zone', 'Target zone',
      { text: 'To target', cls: 'num' }, { text: 'To consumer', cls: 'num' }, { text: 'Cost', cls: 'num' }],
    rows, { id: 'live-cross-zone-list' }, LIVE_LIST) : h('p', { class: 'muted' }, 'No flow has crossed zones.')));
}

const EVENTS_SHOWN = 15;

function drawEvents(el, events) {
  redraw(el, events, () => listing(['Time', 'Event', 'What'], events.slice().reverse().map(e => h('tr', { 'data-kind': e.kind },
    h('td', null, when(e.time)), h('td', null, e.kind),
    h('td', { class: 'mono' }, Object.entries(e).filter(([k]) => k !== 'time' && k !== 'kind')
      .map(([k, v]) => `${k}=${v}`).join(' ')))), { id: 'live-event-list' }, LIVE_LIST));
}
