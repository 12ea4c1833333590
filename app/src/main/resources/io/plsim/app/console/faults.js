// Faults: the form that adds one, the table of those in force, and the scope choices that follow the world.
import { S } from './session.js';
import { h, table, flash, ask, when } from './dom.js';
import { adminAnswer } from './query.js';
import { act, redraw } from './router.js';

// The directions a connection fault takes, in the API's words and the page's: upstream is what the
// client sends to the service, downstream what comes back.
const DIRECTIONS = [['both', 'both ways'], ['upstream', 'to the service only'], ['downstream', 'back to the client only']];
const SCOPE_WORDS = { az: 'zone', endpoint: 'endpoint', interface: 'interface', node: 'NLB node', target: 'target' };

function unitOf(kind, param) {
  const k = S.session.faultKinds.find(x => x.kind === kind);
  const p = k && k.params.find(x => x.name === param);
  return p && p.unit ? ' ' + p.unit : '';
}

/**
 * A fault in plain words, from the fields the API takes (fault, its parameters, stream, toxicity, the
 * scope's keys): "latency 25 ms, both ways, every new connection, on zone use1-az1". The API's own
 * one-line description goes on hover where it is shown.
 */
export function faultWords(f) {
  const params = Object.entries(f.params || {}).map(([k, v]) => (k === f.fault ? `${v}${unitOf(f.fault, k)}`
    : `${k} ${v}${unitOf(f.fault, k)}`));
  const parts = [[f.fault, ...params].join(' ')];
  if (f.stream) parts.push((DIRECTIONS.find(([v]) => v === f.stream) || [null, f.stream])[1]);
  if (f.toxicity !== undefined && f.toxicity !== null) {
    const p = Number(f.toxicity);
    parts.push(p >= 1 ? 'every new connection' : `${+(p * 100).toFixed(2)}% of new connections`);
  }
  const where = Object.entries(f.scope || {}).map(([k, v]) => `${SCOPE_WORDS[k] || k} ${v}`);
  parts.push(where.length ? 'on ' + where.join(', ') : 'everywhere');
  return parts.join(', ');
}

/**
 * What a latency fault does to a request and its answer, which its direction decides: each write of a
 * direction it covers waits, so both ways adds the latency twice. Null for the other kinds.
 */
export function roundTrip(latency, jitter, stream) {
  if (!(latency > 0)) return null;
  const ways = stream === 'both' ? 2 : 1;
  return `A round trip gains ${ways * latency} ms` + (jitter > 0 ? ` (+- ${ways * jitter} ms)` : '') + ': '
    + (stream === 'both' ? `${latency} ms on the way to the service and ${latency} ms on the way back.`
      : stream === 'upstream' ? `${latency} ms on the way to the service, nothing on the way back.`
      : `${latency} ms on the way back, nothing on the way to the service.`);
}

// What each other kind does, said under the form before it is added; `p` reads a parameter as typed.
const EFFECTS = {
  bandwidth: p => `Each direction it covers is held to ${p('rate') || 'rate'} KB/s.`,
  'slow-close': p => `The close of a connection waits ${p('delay') || 'delay'} ms.`,
  timeout: p => `No data goes through; the connection closes after ${p('timeout') || 'timeout'} ms, or never with 0.`,
  'reset-peer': p => `The connection is reset ${p('timeout') || 0} ms after it opens (0: at once).`,
  slicer: p => `Writes are cut into pieces of about ${p('averageSize') || 'averageSize'} bytes.`,
  'limit-data': p => `The connection closes once ${p('bytes') || 'bytes'} bytes have gone through.`,
  'refuse-first-n': p => `The first ${p('count') || 'count'} new connections are reset, for testing retries.`,
  'az-outage': () => 'The zone\'s endpoint network interfaces and NLB node stop answering; its targets are unreachable.',
  'node-down': () => 'The NLB node stops answering and its zone leaves DNS.',
  'target-down': () => 'The target refuses connections and fails its health checks; its flows are reset.',
  'target-blackhole': () => 'The target accepts but never answers; its health checks still pass.',
  'target-unhealthy': () => 'The target fails its health checks while it still serves.',
};

// The faults in force. Keyed without the hits, which change with every connection: the Remove buttons stay put.
export function drawFaults(faultsEl, now) {
  redraw(faultsEl, now.faults.map(f => [f.id, f.description, f.since]), () => table(['ID', 'Name', 'Fault',
    { text: 'Hits', cls: 'num' }, 'Since', ''], now.faults.map(f => h('tr', { 'data-fault': f.id },
      h('td', { class: 'mono' }, f.id), h('td', null, f.name || '-'),
      h('td', { class: 'fault-words', title: f.description }, faultWords(f),
        f.roundTrip ? h('div', { class: 'small muted round-trip' }, f.roundTrip) : null),
      h('td', { class: 'num hits' }), h('td', null, when(f.since)),
      h('td', null, h('button', { class: 'danger remove-fault', onclick: ev => act(ev.target, async () => {
        if (!await ask(`Remove fault ${f.name || f.id}?`, ['It stops acting on new and open connections: ',
          faultWords(f), '. It has hit ', String(f.hits), ' so far.'], 'Remove fault')) return;
        await adminAnswer(await fetch('/admin/faults/' + encodeURIComponent(f.id), { method: 'DELETE' }));
        flash('ok', 'Removed ', f.id, ' (', faultWords(f), ').');
      }) }, 'Remove'))))));
  for (const f of now.faults) {
    const cell = faultsEl.querySelector(`tr[data-fault="${f.id}"] td.hits`);
    if (cell) cell.textContent = f.hits;
  }
}

// The scope choices of the fault form follow the world: zones, endpoints, interfaces, nodes, targets.
export function updateScopeChoices(now, zoneIds, targets) {
  const choices = {
    az: zoneIds,
    endpoint: [...new Set(now.interfaces.map(i => i.endpointId))].sort(),
    interface: now.interfaces.map(i => i.ip),
    node: now.loadBalancers.flatMap(lb => lb.nodes.map(n => n.ip)),
    target: targets.map(t => t.address),
  };
  for (const [key, values] of Object.entries(choices)) {
    const sel = document.getElementById('fault-' + key);
    if (!sel) continue;
    const want = JSON.stringify(values);
    if (sel.dataset.key === want) continue;
    sel.dataset.key = want;
    const keep = sel.value;
    sel.replaceChildren(h('option', { value: '' }, key === 'az' ? 'any zone' : 'any ' + key),
      ...values.map(v => h('option', { value: v, selected: v === keep }, v)));
  }
}

export function faultForm() {
  const kinds = S.session.faultKinds;
  const kind = h('select', { id: 'fault-kind' }, kinds.map(k => h('option', { value: k.kind }, k.kind)));
  const params = h('span', { id: 'fault-params' });
  const direction = h('select', { id: 'fault-direction' }, DIRECTIONS.map(([v, label]) => h('option', { value: v }, label)));
  const probability = h('input', { type: 'text', inputmode: 'decimal', class: 'num-input', id: 'fault-probability',
    placeholder: '1' });
  const connectionOnly = h('span', { class: 'connection-only' },
    h('label', null, ' direction ', direction),
    h('label', { title: 'The chance that a new connection is hit: 1 hits every one, 0.25 one in four' },
      ' probability ', probability, ' (0 to 1)'));
  // What the fault will do, said before it is added: a latency's round trip, and any kind's effect.
  const effect = h('p', { id: 'fault-effect', class: 'small muted' });
  const value = name => form.querySelector(`.fault-param[name="${name}"]`)?.value.trim() || '';
  const drawEffect = () => {
    const k = kinds.find(x => x.kind === kind.value);
    effect.textContent = k.kind === 'latency'
      ? roundTrip(Number(value('latency')), Number(value('jitter')), direction.value) || 'Give a latency to see what a round trip gains.'
      : (EFFECTS[k.kind] || (() => ''))(value);
  };
  const drawParams = () => {
    const k = kinds.find(x => x.kind === kind.value);
    params.replaceChildren(...k.params.map(p => h('label', null, ' ', p.name, p.required ? '' : ' (optional)', ' ',
      h('input', { type: 'text', inputmode: 'numeric', class: 'fault-param num-input', name: p.name,
        'data-required': p.required ? 'yes' : null, placeholder: p.required ? '' : '0', oninput: drawEffect }),
      p.unit ? ' ' + p.unit : '')));
    connectionOnly.hidden = !k.connectionFault;
    // Only the scopes this kind can take: an az-outage is a zone's, a node-down names its node, ...
    for (const sel of scopes) {
      const takes = k.scopes.includes(sel.name);
      sel.hidden = !takes;
      if (!takes) sel.value = '';
    }
    drawEffect();
  };
  kind.addEventListener('change', drawParams);
  direction.addEventListener('change', drawEffect);
  const scopes = ['az', 'endpoint', 'interface', 'node', 'target'].map(key =>
    h('select', { id: 'fault-' + key, name: key }, h('option', { value: '' }, 'any ' + key)));
  const form = h('form', { class: 'panel', id: 'add-fault-form', novalidate: true },
    h('div', { class: 'bar' }, 'Add a fault: ', kind, params, connectionOnly),
    h('div', { class: 'bar' }, 'where: ', scopes, ' ', h('input', { type: 'text', id: 'fault-name',
      placeholder: 'name (optional)' }), h('button', { type: 'submit', class: 'primary', id: 'add-fault' }, 'Add fault')),
    effect);
  drawParams();
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const body = { fault: kind.value };
    const missing = [...form.querySelectorAll('.fault-param')].filter(i => i.dataset.required === 'yes'
      && i.value.trim() === '').map(i => i.name);
    form.querySelectorAll('.fault-param').forEach(i => { if (i.value.trim() !== '') body[i.name] = i.value.trim(); });
    scopes.forEach(sel => { if (sel.value) body[sel.name] = sel.value; });
    if (!connectionOnly.hidden) {
      // Sent as chosen, both ways included, so that what comes back is what the form said.
      body.stream = direction.value;
      if (probability.value.trim() !== '') body.toxicity = probability.value.trim();
    }
    const name = document.getElementById('fault-name').value.trim();
    if (name) body.name = name;
    act(form.querySelector('button[type=submit]'), async () => {
      if (missing.length) throw new Error(`A ${kind.value} fault needs ${missing.join(' and ')}.`);
      const r = await fetch('/admin/faults', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body) });
      const answer = await adminAnswer(r);
      const notes = (answer.healthChecks || []).map(c => c.note);
      const applies = answer.appliesTo || {};
      const nothing = ['interfaces', 'nodes', 'targets'].every(k => !(applies[k] || []).length);
      const scope = Object.fromEntries(scopes.filter(sel => sel.value).map(sel => [sel.name, sel.value]));
      const words = faultWords(Object.assign({ scope }, answer));
      const trip = answer.roundTrip ? ' ' + answer.roundTrip[0].toUpperCase() + answer.roundTrip.slice(1) + '.' : '';
      if (nothing) {
        // Kept, as a fault for what is yet to come may be meant; but said, since it is usually a slip.
        flash('warn', h('b', null, 'Added, but it applies to nothing now'), ': ', words,
          '. No endpoint network interface, node or target of this world is in its scope.', trip);
      } else {
        flash('ok', 'Added ', words, '.', trip, notes.length ? ' ' + notes.join('; ') + '.' : '');
      }
    });
  });
  return form;
}
