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

export function state(text) {
  return h('span', { class: 'state ' + text }, text);
}

// A table in a box of its own width: a table wider than the page scrolls inside the box, never the page.
export function table(headers, rows, attrs) {
  return h('div', { class: 'table-wrap' }, h('table', attrs,
    h('thead', null, h('tr', null, headers.map(x => typeof x === 'string'
      ? h('th', null, x) : h('th', { class: x.cls }, x.text)))),
    h('tbody', null, rows.length ? rows
      : h('tr', null, h('td', { colspan: headers.length, class: 'muted' }, 'None.')))));
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
