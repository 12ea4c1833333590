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

export function table(headers, rows, attrs) {
  return h('table', attrs,
    h('thead', null, h('tr', null, headers.map(x => typeof x === 'string'
      ? h('th', null, x) : h('th', { class: x.cls }, x.text)))),
    h('tbody', null, rows.length ? rows
      : h('tr', null, h('td', { colspan: headers.length, class: 'muted' }, 'None.'))));
}

// Shows a view's content, unless the user has moved on while it waited for an answer.
export function show(view, ...nodes) {
  if (S.view !== view) return;
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat().filter(Boolean));
}

// What an action did or why it was refused, in AWS's words: the error code, then its message.
export function flash(kind, ...parts) {
  const box = document.getElementById('flash');
  box.replaceChildren(h('div', { class: kind }, parts));
}

export function clearFlash() {
  document.getElementById('flash').replaceChildren();
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
