// Building the page: elements, tables, state badges, and the banner that says what an action did.
import { S } from './session.js';

export function h(tag, attrs, ...children) {
  const el = tag === 'svg' || attrs?.svg
    ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false || k === 'svg') continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'checked' || k === 'value' || k === 'disabled' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  add(el, children);
  return el;
}

function add(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) add(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function s(tag, attrs, ...children) {
  return h(tag, Object.assign({ svg: true }, attrs), ...children);
}

// One way to show a state, however the API spells it: EC2 writes an endpoint's in camel case
// (pendingAcceptance) and a service's capitalised (Available); both read "Pending acceptance",
// "Available", with the API's own value on hover. The colour says good, waiting or gone.
const TONES = { available: 'ok', enabled: 'ok', healthy: 'ok', pendingacceptance: 'warn', pending: 'warn',
  initial: 'warn', draining: 'warn', modifying: 'warn', rejected: 'bad', failed: 'bad', deleted: 'bad',
  deleting: 'bad', expired: 'bad', unavailable: 'bad', unhealthy: 'bad', disabled: 'bad' };

export function stateWords(value) {
  if (!value) return '-';
  const words = value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words[0].toUpperCase() + words.slice(1);
}

export function state(value) {
  if (!value) return '-';
  return h('span', { class: 'state ' + (TONES[value.toLowerCase()] || 'plain'), title: value }, stateWords(value));
}

// A moment as a person reads it: local time to the second, on one line; the exact ISO value (UTC, to
// the millisecond) on hover. The API's own text is shown as it came when it is no time.
export function when(iso) {
  if (!iso) return '-';
  // Date reads three digits of a fraction at most: an Instant's nanoseconds are cut to milliseconds.
  const d = new Date(String(iso).replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = n => String(n).padStart(2, '0');
  return h('time', { class: 'when', datetime: d.toISOString(), title: d.toISOString() },
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`);
}

// A table in a box of its own width: a table wider than the page scrolls inside the box, never the page.
export function table(headers, rows, attrs) {
  return h('div', { class: 'table-wrap' }, h('table', attrs,
    h('thead', null, h('tr', null, headers.map(x => typeof x === 'string'
      ? h('th', null, x) : h('th', { class: x.cls }, x.text)))),
    h('tbody', null, rows.length ? rows
      : h('tr', null, h('td', { colspan: headers.length, class: 'muted' }, 'None.')))));
}

/**
 * A list that stays usable past a screen of rows, as AWS's are: a search over every column's text (and
 * the state's API spelling), a filter by state where rows carry one (data-state), and pages of `size`
 * rows. What was typed, chosen and paged to stays across the redraws of a view that follows the world
 * (S.lists, by the table's id), so that a refresh does not undo it. A `compact` list (the live view's,
 * eight to a page) shows its bar only once it has more than a page of rows, or a search in force.
 */
export function listing(headers, rows, attrs, { size = 10, compact = false } = {}) {
  const key = attrs.id;
  const st = S.lists.get(key) || { query: '', state: '', page: 0, size };
  S.lists.set(key, st);
  const body = h('div', { class: 'list-body' });
  const pager = h('span', { class: 'pager' });
  const search = h('input', { type: 'search', class: 'list-search', value: st.query, placeholder: 'Search',
    'aria-label': 'Search the list' });
  const states = [...new Set(rows.map(r => r.dataset.state).filter(Boolean))].sort();
  if (!states.includes(st.state)) st.state = '';
  const stateFilter = states.length > 1 ? h('select', { class: 'list-state', 'aria-label': 'Filter by state' },
    h('option', { value: '' }, 'Any state'), states.map(v => h('option', { value: v, selected: v === st.state }, stateWords(v))))
    : null;
  const sizes = h('select', { class: 'list-size', 'aria-label': 'Rows per page' }, [10, 25, 50, 100].map(n =>
    h('option', { value: n, selected: n === st.size }, `${n} per page`)));
  const draw = () => {
    const q = st.query.trim().toLowerCase();
    const shown = rows.filter(r => (!st.state || r.dataset.state === st.state)
      && (!q || (r.textContent + ' ' + (r.dataset.state || '')).toLowerCase().includes(q)));
    const pages = Math.max(1, Math.ceil(shown.length / st.size));
    st.page = Math.max(0, Math.min(st.page, pages - 1));
    const from = st.page * st.size;
    const page = shown.slice(from, from + st.size);
    body.replaceChildren(rows.length && !shown.length
      ? table(headers, [h('tr', null, h('td', { colspan: headers.length, class: 'muted no-match' },
        `Nothing of ${rows.length} matches.`))], attrs)
      : table(headers, page, attrs));
    pager.replaceChildren(h('span', { class: 'range muted' }, shown.length
      ? `${from + 1}-${from + page.length} of ${shown.length}` : `0 of ${rows.length}`),
    h('button', { type: 'button', class: 'link prev-page', disabled: st.page === 0, 'aria-label': 'Previous page',
      onclick: () => { st.page--; draw(); } }, '\u2039 Previous'),
    h('button', { type: 'button', class: 'link next-page', disabled: st.page >= pages - 1, 'aria-label': 'Next page',
      onclick: () => { st.page++; draw(); } }, 'Next \u203a'));
  };
  search.addEventListener('input', () => { st.query = search.value; st.page = 0; draw(); });
  stateFilter?.addEventListener('change', () => { st.state = stateFilter.value; st.page = 0; draw(); });
  sizes.addEventListener('change', () => { st.size = Number(sizes.value); st.page = 0; draw(); });
  draw();
  const bar = !compact || rows.length > st.size || st.query || st.state;
  return h('div', { class: 'listing', 'data-list': key }, bar ? h('div', { class: 'bar list-bar' }, search, stateFilter,
    h('span', { class: 'grow' }), pager, sizes) : null, body);
}

// An ID or a DNS name, kept on one line (a browser would break it at its hyphens) with a button that
// copies it whole; a link to its page when given one.
export function ident(value, href) {
  if (!value) return '-';
  return h('span', { class: 'ident' }, href ? h('a', { class: 'id', href }, value) : h('span', { class: 'id' }, value),
    copyButton(value));
}

// A long name that may break only after its separators (an ARN's colons and slashes, a service name's
// dots), never inside an ID.
export function breakable(value, at = /(?<=[:/.])/) {
  if (!value) return '-';
  return h('span', { class: 'breakable' }, value.split(at).map((part, i) => [i ? h('wbr') : null, h('span', null, part)]));
}

export function copyButton(value) {
  return h('button', { type: 'button', class: 'copy', title: 'Copy ' + value, 'aria-label': 'Copy ' + value,
    onclick: ev => copy(ev.currentTarget, value) },
  s('svg', { width: 12, height: 12, viewBox: '0 0 12 12', 'aria-hidden': 'true' },
    s('rect', { x: 3.5, y: 0.5, width: 8, height: 8, rx: 1, fill: 'none', stroke: 'currentColor' }),
    s('rect', { x: 0.5, y: 3.5, width: 8, height: 8, rx: 1, fill: '#fff', stroke: 'currentColor' })));
}

// Copies through the Clipboard API (loopback is a secure context), or a selection where a browser
// refuses it; the button itself says it was done.
async function copy(button, value) {
  try {
    await navigator.clipboard.writeText(value);
  } catch (e) {
    const area = h('textarea', { class: 'offscreen' }, value);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  button.classList.add('copied');
  button.title = 'Copied';
  setTimeout(() => {
    button.classList.remove('copied');
    button.title = 'Copy ' + value;
  }, 1500);
}

// An identity as a person names it: "provider (111122223333), root", or "111122223333, user/alice" for
// an account the sim-config gives no name.
export function who(i) {
  const account = i.accountName ? `${i.accountName} (${i.accountId})` : i.accountId;
  return `${account}, ${i.principal.slice(i.principal.indexOf(':', 'arn:aws:iam::'.length) + 1)}`;
}

// Bytes as a person reads them; the exact count on hover.
export function bytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return h('span', { title: `${n} bytes` }, u === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`);
}

// The tabs of a page about one thing; `base` is its address without the tab.
export function tabs(base, all, current) {
  return h('nav', { class: 'tabs' }, all.map(([key, label]) => h('a', {
    href: `${base}/${key}`, id: 'tab-' + key, class: key === current ? 'current' : null }, label)));
}

// A term and its description in a details list.
export function term(label, ...value) {
  return [h('dt', null, label), h('dd', null, ...value)];
}

// Shows a view's content, unless the user has moved on while it waited for an answer.
export function show(view, ...nodes) {
  if (S.view !== view) return;
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat(Infinity).filter(Boolean));
}

// What an action did or why it was refused, in AWS's words: the error code, then its message. Shown as a
// toast fixed in the window, so that it is in view of the control that made it however far the page is
// scrolled; it lets clicks through to what it covers. A success fades after a while, a refusal stays
// until the next action or page.
let fading = null;

export function flash(kind, ...parts) {
  const box = document.getElementById('flash');
  clearTimeout(fading);
  box.replaceChildren(h('div', { class: kind }, parts));
  if (kind === 'ok') fading = setTimeout(() => box.replaceChildren(), 10000);
}

export function clearFlash() {
  clearTimeout(fading);
  document.getElementById('flash').replaceChildren();
}

/**
 * Asks before an action that deletes something or cuts traffic, in a modal dialog of the page: `title`
 * names the action, `what` says what it will do (how many open connections it resets), `yes` labels the
 * button that does it. Answers true only when that button was pressed; Escape or Cancel answer false.
 */
export function ask(title, what, yes) {
  document.getElementById('ask')?.remove();
  const dialog = h('dialog', { id: 'ask', class: 'ask' }, h('form', { method: 'dialog' },
    h('h3', null, title), h('p', { class: 'what' }, what),
    h('div', { class: 'bar' }, h('span', { class: 'grow' }),
      h('button', { type: 'submit', value: 'cancel', id: 'ask-no' }, 'Cancel'),
      h('button', { type: 'submit', value: 'yes', class: 'danger primary', id: 'ask-yes' }, yes))));
  document.body.append(dialog);
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'yes');
      dialog.remove();
    });
    dialog.showModal();
    dialog.querySelector('#ask-no').focus();
  });
}

// "n open connections" of the endpoints `ids`, as the data plane counts them now: what deleting or
// rejecting them resets.
export function openConnections(live, ids) {
  const n = live.interfaces.filter(i => ids.includes(i.endpointId)).reduce((a, i) => a + i.open, 0);
  return n === 0 ? 'No connection is open through ' + (ids.length === 1 ? 'it' : 'them') + ' now.'
    : `${n} open connection${n === 1 ? '' : 's'} through ${ids.length === 1 ? 'it' : 'them'} will be reset.`;
}

export function refusal(e) {
  if (e && e.name === 'ApiError') {
    flash('error', h('b', { class: 'code' }, e.code), ': ', h('span', { class: 'message' }, e.message));
  } else {
    flash('error', h('b', null, 'Refused'), ': ', h('span', { class: 'message' }, String(e && e.message || e)));
  }
}

// A form in a <details> is folded once it has done its work, so that its table is drawn again.
export function closeForm(form) {
  const d = form.closest('details');
  if (d) d.open = false;
}

export function ticked(form, name) {
  return [...form.querySelectorAll(`input[name=${name}]:checked`)].map(i => i.value);
}
