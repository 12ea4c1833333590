// Faults: the form that adds one, the table of those in force, and the scope choices that follow the world.
import { S } from './session.js';
import { h, table, flash, ask } from './dom.js';
import { adminAnswer } from './query.js';
import { act, redraw } from './router.js';

// The faults in force. Keyed without the hits, which change with every connection: the Remove buttons stay put.
export function drawFaults(faultsEl, now) {
  redraw(faultsEl, now.faults.map(f => [f.id, f.description, f.since]), () => table(['ID', 'Name', 'Fault',
    { text: 'Hits', cls: 'num' }, 'Since', ''], now.faults.map(f => h('tr', { 'data-fault': f.id },
      h('td', { class: 'mono' }, f.id), h('td', null, f.name || '-'), h('td', { class: 'mono' }, f.description),
      h('td', { class: 'num hits' }), h('td', null, f.since),
      h('td', null, h('button', { class: 'danger remove-fault', onclick: ev => act(ev.target, async () => {
        if (!await ask(`Remove fault ${f.name || f.id}?`, ['It stops acting on new and open connections: ',
          f.description, '. It has hit ', String(f.hits), ' so far.'], 'Remove fault')) return;
        await adminAnswer(await fetch('/admin/faults/' + encodeURIComponent(f.id), { method: 'DELETE' }));
        flash('ok', 'Removed ', f.id, ' (', f.description, ').');
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
  const connectionOnly = h('span', null,
    ' stream ', h('select', { id: 'fault-stream' }, ['', 'upstream', 'downstream', 'both'].map(v =>
      h('option', { value: v }, v || 'default'))),
    ' toxicity ', h('input', { type: 'text', inputmode: 'decimal', class: 'num-input', id: 'fault-toxicity',
      placeholder: '1' }));
  const drawParams = () => {
    const k = kinds.find(x => x.kind === kind.value);
    params.replaceChildren(...k.params.map(p => h('label', null, ' ', p.name, p.required ? '' : ' (optional)', ' ',
      h('input', { type: 'text', inputmode: 'numeric', class: 'fault-param num-input', name: p.name,
        'data-required': p.required ? 'yes' : null, placeholder: p.unit || 'n' }), ' ', p.unit)));
    connectionOnly.hidden = !k.connectionFault;
    // Only the scopes this kind can take: an az-outage is a zone's, a node-down names its node, ...
    for (const sel of scopes) {
      const takes = k.scopes.includes(sel.name);
      sel.hidden = !takes;
      if (!takes) sel.value = '';
    }
  };
  kind.addEventListener('change', drawParams);
  const scopes = ['az', 'endpoint', 'interface', 'node', 'target'].map(key =>
    h('select', { id: 'fault-' + key, name: key }, h('option', { value: '' }, 'any ' + key)));
  const form = h('form', { class: 'panel', id: 'add-fault-form', novalidate: true },
    h('div', { class: 'bar' }, 'Add a fault: ', kind, params, connectionOnly),
    h('div', { class: 'bar' }, 'where: ', scopes, ' ', h('input', { type: 'text', id: 'fault-name',
      placeholder: 'name (optional)' }), h('button', { type: 'submit', class: 'primary', id: 'add-fault' }, 'Add fault')));
  drawParams();
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const body = { fault: kind.value };
    const missing = [...form.querySelectorAll('.fault-param')].filter(i => i.dataset.required === 'yes'
      && i.value.trim() === '').map(i => i.name);
    form.querySelectorAll('.fault-param').forEach(i => { if (i.value.trim() !== '') body[i.name] = i.value.trim(); });
    scopes.forEach(sel => { if (sel.value) body[sel.name] = sel.value; });
    if (!connectionOnly.hidden) {
      const st = document.getElementById('fault-stream').value;
      const tox = document.getElementById('fault-toxicity').value;
      if (st) body.stream = st;
      if (tox.trim() !== '') body.toxicity = tox.trim();
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
      if (nothing) {
        // Kept, as a fault for what is yet to come may be meant; but said, since it is usually a slip.
        flash('warn', h('b', null, 'Added, but it applies to nothing now'), ': ', answer.description,
          '. No endpoint network interface, node or target of this world is in its scope.');
      } else {
        flash('ok', 'Added ', answer.description, '.', answer.roundTrip ? ' ' + answer.roundTrip + '.' : '',
          notes.length ? ' ' + notes.join('; ') + '.' : '');
      }
    });
  });
  return form;
}
