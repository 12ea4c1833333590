// The live data plane: counters per zone, interface and target, load balancers, DNS answers, events.
import { S } from './session.js';
import { h, s, state, table, show, flash, closeForm } from './dom.js';
import { call, child, text, items } from './query.js';
import { act, redraw } from './router.js';
import { drawFaults, updateScopeChoices, faultForm } from './faults.js';

const LIVE_MS = 1000;
const HISTORY = 60;

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

function fmt(x) {
  return x >= 100 ? Math.round(x).toString() : x.toFixed(1);
}

// A sparkline of the last HISTORY readings of new connections per second, the newest at the right.
function spark(values) {
  const w = 360;
  const hgt = 40;
  const seen = Math.max(0, ...values);
  const max = Math.max(1, seen);
  const step = w / (HISTORY - 1);
  const pts = values.map((v, i) => `${(w - (values.length - 1 - i) * step).toFixed(1)},`
    + `${(hgt - 1 - v * (hgt - 12) / max).toFixed(1)}`);
  return s('svg', { width: w, height: hgt, viewBox: `0 0 ${w} ${hgt}` },
    s('rect', { x: 0, y: 0, width: w, height: hgt, fill: '#f7f9fa' }),
    pts.length > 1 ? s('polyline', { points: pts.join(' '), fill: 'none', stroke: '#0972d3', 'stroke-width': 1.5 }) : null,
    s('text', { x: 3, y: 11, 'font-size': 10, fill: '#5f6b7a' }, `max ${fmt(seen)}/s`));
}

export function liveView() {
  const zonesEl = h('div', { class: 'zones', id: 'live-zones' });
  const ifacesEl = h('div', { id: 'live-interfaces' });
  const targetsEl = h('div', { id: 'live-targets' });
  const faultsEl = h('div', { id: 'live-faults' });
  const dnsEl = h('div', { id: 'live-dns' });
  const endpointsEl = h('div', { id: 'live-endpoints' });
  const lbsEl = h('div', { id: 'live-load-balancers' });
  const eventsEl = h('div', { id: 'live-events' });
  const poll = async () => {
    const [r, ev] = await Promise.all([fetch('/console/api/live'), fetch('/admin/events?limit=' + EVENTS_SHOWN)]);
    if (!r.ok) throw new Error('GET /console/api/live answered ' + r.status);
    const now = await r.json();
    const L = S.live;
    L.prev = L.now;
    L.now = now;
    drawLive(now, L.prev, { zonesEl, endpointsEl, ifacesEl, targetsEl, faultsEl, dnsEl, lbsEl });
    if (ev.ok) drawEvents(eventsEl, await ev.json());
  };
  return {
    async render() {
      S.live.prev = null;
      S.live.now = null;
      S.live.history = new Map();
      const form = faultForm();
      show(this, h('h1', null, 'Live data plane'),
        h('p', { class: 'muted' }, 'The whole world as it runs, whichever identity is chosen; updated every second.'),
        zonesEl,
        h('h2', null, 'Endpoints'), endpointsEl,
        h('h2', null, 'Endpoint network interfaces'), ifacesEl,
        h('h2', null, 'Targets'), targetsEl,
        h('h2', null, 'Load balancers'), lbsEl,
        h('h2', null, 'Faults in force'), faultsEl, form,
        h('h2', null, 'DNS answers'), dnsEl,
        h('h2', null, 'Recent events'), eventsEl);
      await poll();
    },
    refresh: poll,
    every: LIVE_MS,
  };
}

// The targets of every load balancer, each named by its load balancer.
function targetsOf(reading) {
  return reading.loadBalancers.flatMap(lb => lb.targets.map(t => Object.assign({ loadBalancer: lb.name }, t)));
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
  const zoneIds = [...new Set([...ifaces.map(i => i.zoneId), ...targets.map(t => t.zoneId)])].sort();
  for (const z of zoneIds) {
    const hist = L.history.get(z) || [];
    hist.push(sum(ifaces.filter(i => i.zoneId === z).map(i => i.cps)));
    while (hist.length > HISTORY) hist.shift();
    L.history.set(z, hist);
  }

  el.zonesEl.replaceChildren(...zoneIds.map(z => {
    const zi = ifaces.filter(i => i.zoneId === z);
    const zt = targets.filter(t => t.zoneId === z);
    const denied = {};
    zi.forEach(i => Object.entries(i.denied).forEach(([k, v]) => { denied[k] = (denied[k] || 0) + v; }));
    // A target counts as healthy when a node sees it so; counted per load balancer, whose checks differ.
    const health = [...new Set(zt.map(t => t.loadBalancer))].map(lb => {
      const of = zt.filter(t => t.loadBalancer === lb);
      const up = of.filter(t => Object.values(t.healthByNodeZoneId).some(x => x === 'healthy')).length;
      return `${lb} ${up}/${of.length}`;
    });
    const outages = now.faults.filter(f => f.scope.az === z);
    // Zone names are each account's own: the chosen identity's name for this zone ID.
    const name = Object.entries(S.identity.zones).find(([, id]) => id === z);
    return h('div', { class: 'panel zone', 'data-zone': z },
      h('h3', null, z, ' ', h('span', { class: 'muted' }, name ? `${name[0]} in ${S.identity.accountId}`
        : `not a zone of ${S.identity.accountId}`)),
      h('div', null, h('span', { class: 'big cps' }, fmt(sum(zi.map(i => i.cps)))), ' new connections/s'),
      h('div', null, h('span', { class: 'open' }, sum(zi.map(i => i.open))), ' open, ',
        h('span', { class: 'admitted' }, sum(zi.map(i => i.admitted))), ' admitted, ',
        h('span', { class: 'denied' }, sum(Object.values(denied))), ' denied',
        Object.keys(denied).length ? ' (' + Object.entries(denied).map(([k, v]) => `${k} ${v}`).join(', ') + ')' : ''),
      h('div', { class: 'health' }, 'healthy targets: ', health.join(', ') || 'none', outages.length
        ? [', ', h('b', null, outages.map(f => f.fault).join(', '))] : ''),
      spark(L.history.get(z) || []));
  }));

  redraw(el.endpointsEl, now.endpoints, () => table(['Endpoint', 'Service', 'Owner', 'State',
    'Zones its regional name answers'], now.endpoints.map(e => h('tr', { 'data-endpoint': e.endpointId,
    'data-state': e.state },
    h('td', { class: 'mono' }, e.endpointId), h('td', { class: 'mono' }, e.serviceId), h('td', { class: 'mono' }, e.owner),
    h('td', null, state(e.state)), h('td', { class: 'serving' }, [...e.servingZoneIds].sort().join(', ') || '-')))));
  redraw(el.ifacesEl, ifaces, () => table(['Endpoint', 'Service', 'Zone', 'Listening on', { text: 'New/s', cls: 'num' },
    { text: 'Open', cls: 'num' }, { text: 'Admitted', cls: 'num' }, 'Denied by reason', { text: 'Bytes up', cls: 'num' },
    { text: 'Bytes down', cls: 'num' }], ifaces.map(i => h('tr', { 'data-interface': i.ip, 'data-endpoint': i.endpointId },
    h('td', { class: 'mono' }, i.endpointId), h('td', { class: 'mono' }, i.serviceId),
    h('td', null, i.zoneName, ' (', i.zoneId, ')'),
    h('td', { class: 'mono' }, (i.listeners && i.listeners.length ? i.listeners : [i.ip]).map(a => h('div', null, a))),
    h('td', { class: 'num cps' }, fmt(i.cps)), h('td', { class: 'num open' }, i.open),
    h('td', { class: 'num admitted' }, i.admitted),
    h('td', { class: 'denied' }, Object.entries(i.denied).map(([k, v]) => `${k} ${v}`).join(', ') || '-'),
    h('td', { class: 'num' }, i.bytesUp), h('td', { class: 'num' }, i.bytesDown)))));

  // Keyed without the flow counters, which move with traffic: the buttons stay put; the counters are set in place.
  const arnOf = new Map(now.loadBalancers.map(lb => [lb.name, lb.arn]));
  redraw(el.targetsEl, targets.map(t => [t.loadBalancer, t.address, t.healthByNodeZoneId, t.draining]), () => table([
    'Load balancer', 'Zone', 'Target', 'Kind', { text: 'Flows/s', cls: 'num' }, { text: 'Flows', cls: 'num' },
    'Health by node', ''], targets.map(t => h('tr', { 'data-target': t.address, 'data-load-balancer': t.loadBalancer },
    h('td', null, t.loadBalancer), h('td', null, t.zoneId), h('td', { class: 'mono' }, t.address), h('td', null, t.kind),
    h('td', { class: 'num fps' }), h('td', { class: 'num flows' }),
    h('td', null, Object.entries(t.healthByNodeZoneId).map(([node, hs]) => h('span', { class: 'chip ' + hs },
      'node ', node, ': ', hs)), t.draining ? h('span', { class: 'chip draining' }, 'draining') : null),
    h('td', null, owns(arnOf.get(t.loadBalancer)) ? h('button', { class: t.draining ? 'register-target'
      : 'danger deregister-target', onclick: ev => act(ev.target, () => changeTargets(arnOf.get(t.loadBalancer),
      t.loadBalancer, t.draining ? 'RegisterTargets' : 'DeregisterTargets', t.address, t.zoneName)) },
    t.draining ? 'Register again' : 'Deregister') : null)))));
  for (const t of targets) {
    const row = [...el.targetsEl.querySelectorAll('tr[data-target]')].find(r => r.dataset.target === t.address
      && r.dataset.loadBalancer === t.loadBalancer);
    if (row) {
      row.querySelector('td.fps').textContent = fmt(t.fps);
      row.querySelector('td.flows').textContent = t.flows;
    }
  }

  drawFaults(el.faultsEl, now);

  redraw(el.dnsEl, now.dns, () => table(['Endpoint', 'Name', 'Answer'], now.dns.map(d => h('tr', { 'data-dns': d.name },
    h('td', { class: 'mono' }, d.endpointId), h('td', { class: 'mono' }, d.name, d.zoneName
      ? h('span', { class: 'muted' }, ' (', d.zoneName, ')') : ' (regional)'),
    h('td', { class: 'mono answer' }, d.answer.join(', ') || '-')))));
  // Keyed on what the table shows, not the targets' counters: its buttons stay put under the pointer.
  const lbs = now.loadBalancers.map(lb => ({ name: lb.name, arn: lb.arn, type: lb.type, crossZone: lb.crossZone,
    nodes: lb.nodes, healthCheck: lb.healthCheck, proxyProtocolV2: lb.proxyProtocolV2,
    deregistrationDelaySeconds: lb.deregistrationDelaySeconds }));
  redraw(el.lbsEl, lbs, () => table(['Load balancer', 'Type', 'Nodes', 'Cross-zone load balancing', 'Health checks',
    'Target group', ''],
    lbs.map(lb => h('tr', { 'data-load-balancer': lb.name },
      h('td', null, lb.name), h('td', null, lb.type),
      h('td', { class: 'mono' }, lb.nodes.map(n => `${n.zoneId} ${n.ip}`).join(', ')),
      h('td', { class: 'cross-zone' }, lb.type === 'network' ? (lb.crossZone ? 'on' : 'off') : '-'),
      h('td', { class: 'health-check' }, lb.healthCheck ? [describeChecks(lb.healthCheck),
        owns(lb.arn) ? healthCheckForm(lb) : null] : '-'),
      h('td', { class: 'target-group' }, lb.type !== 'network' ? '-' : [
        `Proxy Protocol v2 ${lb.proxyProtocolV2 ? 'on' : 'off'}, deregistration delay ${lb.deregistrationDelaySeconds} s`,
        owns(lb.arn) ? targetGroupForm(lb) : null]),
      h('td', null, lb.type !== 'network' ? null : !owns(lb.arn)
        ? h('span', { class: 'muted' }, 'its owner ', lb.arn.split(':')[4], ' can change it')
        : [registerForm(lb), ' ', h('button', { class: 'toggle-cross-zone', onclick: ev => act(ev.target,
        async () => {
          // ELBv2's own attribute, changed as its owner would change it: another account is refused.
          await call('ModifyLoadBalancerAttributes', { LoadBalancerArn: lb.arn,
            'Attributes.member.1.Key': 'load_balancing.cross_zone.enabled',
            'Attributes.member.1.Value': String(!lb.crossZone) }, 'elasticloadbalancing');
          flash('ok', 'Cross-zone load balancing of ', lb.name, ' is now ', lb.crossZone ? 'off' : 'on', '.');
        }) }, lb.crossZone ? 'Turn off cross-zone' : 'Turn on cross-zone')]))), { id: 'load-balancers-live' }));
  updateScopeChoices(now, zoneIds, targets);
}

// The target group behind a load balancer's listener (plsim's NLBs forward to one).
async function targetGroupArn(lbArn) {
  const groups = await call('DescribeTargetGroups', { LoadBalancerArn: lbArn }, 'elasticloadbalancing');
  return text(items(child(groups, 'DescribeTargetGroupsResult'), 'TargetGroups')[0], 'TargetGroupArn');
}

// Whether the chosen identity's account owns a load balancer (its ARN's account field).
function owns(arn) {
  return !!arn && arn.split(':')[4] === S.identity.accountId;
}

// Registers or deregisters one target host:port in the load balancer's target group, as its owner would;
// a target on loopback is in no subnet, so registering names its zone (the owner's name for it).
async function changeTargets(lbArn, lbName, action, address, zoneName) {
  const at = address.lastIndexOf(':');
  if (at < 1 || !/^\d+$/.test(address.slice(at + 1))) {
    throw new Error(`A target is host:port, like 127.0.0.1:9001; found ${address || 'nothing'}.`);
  }
  await call(action, { TargetGroupArn: await targetGroupArn(lbArn), 'Targets.member.1.Id': address.slice(0, at),
    'Targets.member.1.Port': address.slice(at + 1),
    'Targets.member.1.AvailabilityZone': action === 'RegisterTargets' ? zoneName : null }, 'elasticloadbalancing');
  flash('ok', action === 'DeregisterTargets' ? 'Deregistered ' : 'Registered ', address,
    action === 'DeregisterTargets' ? ' from ' : ' with ', lbName,
    action === 'DeregisterTargets' ? ': it drains for the deregistration delay.' : '.');
}

function describeChecks(c) {
  return `every ${c.intervalSeconds} s, timeout ${c.timeoutSeconds} s, ${c.healthyThreshold} to healthy,`
    + ` ${c.unhealthyThreshold} to unhealthy`;
}

// ELBv2's ModifyTargetGroup, with its ranges (interval 5-300 s, timeout 2-120 s, thresholds 2-10): a
// sim-config may check faster than the API lets anyone set.
function healthCheckForm(lb) {
  const field = (name, label, unit) => h('label', null, ' ', label, ' ', h('input', { type: 'text', inputmode: 'numeric',
    class: 'num-input', name }), unit ? ' ' + unit : '');
  const form = h('form', { class: 'health-check-form', novalidate: true },
    field('HealthCheckIntervalSeconds', 'every', 's'), field('HealthCheckTimeoutSeconds', 'timeout', 's'),
    field('HealthyThresholdCount', 'healthy after'), field('UnhealthyThresholdCount', 'unhealthy after'), ' ',
    h('button', { type: 'submit', class: 'apply-health-check' }, 'Apply'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const params = {};
    form.querySelectorAll('input').forEach(i => { if (i.value.trim() !== '') params[i.name] = i.value.trim(); });
    act(form.querySelector('button'), async () => {
      if (Object.keys(params).length === 0) throw new Error('Give at least one health check setting to change.');
      await call('ModifyTargetGroup', Object.assign({ TargetGroupArn: await targetGroupArn(lb.arn) }, params),
        'elasticloadbalancing');
      flash('ok', 'Health checks of ', lb.name, ' changed.');
      closeForm(form);
    });
  });
  return h('details', null, h('summary', null, 'Change'), form);
}

// The target group's attributes a PrivateLink experiment turns: Proxy Protocol v2, and how long a
// deregistered target drains (ModifyTargetGroupAttributes).
function targetGroupForm(lb) {
  const pp2 = h('select', { name: 'proxy_protocol_v2.enabled' }, h('option', { value: '' }, 'Proxy Protocol v2 as is'),
    h('option', { value: 'true' }, 'Proxy Protocol v2 on'), h('option', { value: 'false' }, 'Proxy Protocol v2 off'));
  const delay = h('input', { type: 'text', inputmode: 'numeric', class: 'num-input',
    name: 'deregistration_delay.timeout_seconds' });
  const form = h('form', { class: 'target-group-form', novalidate: true }, pp2, ' deregistration delay ', delay, ' s ',
    h('button', { type: 'submit', class: 'apply-target-group' }, 'Apply'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const attributes = [[pp2.name, pp2.value], [delay.name, delay.value.trim()]].filter(([, v]) => v !== '');
    act(form.querySelector('button'), async () => {
      if (attributes.length === 0) throw new Error('Choose Proxy Protocol v2 on or off, or give a deregistration delay.');
      const params = { TargetGroupArn: await targetGroupArn(lb.arn) };
      attributes.forEach(([k, v], i) => {
        params[`Attributes.member.${i + 1}.Key`] = k;
        params[`Attributes.member.${i + 1}.Value`] = v;
      });
      await call('ModifyTargetGroupAttributes', params, 'elasticloadbalancing');
      flash('ok', 'Target group of ', lb.name, ': ', attributes.map(([k, v]) => `${k}=${v}`).join(', '), '.');
      closeForm(form);
    });
  });
  return h('details', null, h('summary', null, 'Change'), form);
}

function registerForm(lb) {
  const input = h('input', { type: 'text', class: 'register-address', placeholder: '127.0.0.1:9001' });
  const zone = h('select', { class: 'register-zone' }, lb.nodes.map(n => h('option', { value: n.zoneName },
    `${n.zoneName} (${n.zoneId})`)));
  const form = h('form', { class: 'inline register-form', novalidate: true }, input, ' in ', zone, ' ',
    h('button', { type: 'submit', class: 'register-new' }, 'Register target'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.querySelector('button'), () => changeTargets(lb.arn, lb.name, 'RegisterTargets', input.value.trim(),
      zone.value));
  });
  return form;
}

const EVENTS_SHOWN = 15;

function drawEvents(el, events) {
  redraw(el, events, () => table(['Time', 'Event', 'What'], events.slice().reverse().map(e => h('tr', { 'data-kind': e.kind },
    h('td', { class: 'mono' }, e.time), h('td', null, e.kind),
    h('td', { class: 'mono' }, Object.entries(e).filter(([k]) => k !== 'time' && k !== 'kind')
      .map(([k, v]) => `${k}=${v}`).join(' '))))));
}
