// Which view the address shows, how a view follows the world, and how an action runs from a button.
import { S } from './session.js';
import { h, show, tabs, ident, clearFlash, refusal } from './dom.js';

const REFRESH_MS = 2000;

// Runs an action from a button; a refusal is shown, never thrown.
export async function act(button, fn) {
  if (button) button.disabled = true;
  try {
    await fn();
  } catch (e) {
    refusal(e);
  } finally {
    // What a reading begun before this action answers is older than what the action drew.
    S.epoch++;
    if (button) button.disabled = false;
  }
}

// The address's parts after '#/': a section (services, endpoints, live), then its IDs and tab.
export function hashParts() {
  return (location.hash || '#/services').slice(2).split('/');
}

// The view an address shows, given its parts: set once, by the page's entry module.
let viewAt = null;

export function routes(viewOf) {
  viewAt = viewOf;
}

export function route() {
  clearTimeout(S.timer);
  S.timer = null;
  const parts = hashParts();
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('current', a.getAttribute('href') === '#/' + parts[0]);
  }
  const view = viewAt(parts);
  S.view = view;
  // Nothing of the view before stays under the new address, even when this one cannot be read.
  document.getElementById('main').replaceChildren(h('p', { class: 'muted' }, 'Loading...'));
  let rendered = false;
  const first = view.render().then(() => {
    rendered = true;
    reachable(true);
  }, e => {
    refusal(e);
    reachable(!(e instanceof TypeError));
  });
  if (view.refresh) {
    const every = view.every || REFRESH_MS;
    // A view that follows the world: re-read it, and redraw only what changed, so that a row being
    // clicked is not replaced under the pointer. One reading at a time, the first once the view is
    // drawn and each next when the last is done, so that two answers never arrive out of order; a
    // view that could not be drawn is drawn again instead.
    const again = () => {
      if (S.view !== view) return;
      S.refreshEpoch = S.epoch;
      S.inRefresh = true;
      const reading = rendered ? view.refresh() : view.render().then(() => { rendered = true; });
      reading.then(() => reachable(true), e => {
        console.error('plsim console: reading the view failed:', e);
        // A fetch that cannot reach plsim fails with a TypeError; anything else is plsim's answer.
        reachable(!(e instanceof TypeError));
      }).finally(() => {
        S.inRefresh = false;
        if (S.view === view) S.timer = setTimeout(again, every);
      });
    };
    first.finally(() => { if (S.view === view) S.timer = setTimeout(again, every); });
  }
}

// Whether plsim answers: a banner, kept until it answers again, says since when it has not, since a page
// that only stopped changing would look like a world where nothing happens.
function reachable(yes) {
  const banner = document.getElementById('offline');
  if (yes) {
    S.lastAnswer = new Date();
    banner.hidden = true;
  } else if (banner.hidden) {
    banner.hidden = false;
    banner.textContent = `plsim at ${location.origin} is not answering; what is shown is as it was at `
      + `${(S.lastAnswer || new Date()).toLocaleTimeString()}. Trying again.`;
  }
}

// Moves to another view after an action; what the action said stays shown.
export function go(hash) {
  if (location.hash === hash) {
    route();
  } else {
    S.keepFlash = true;
    location.hash = hash;
  }
}

// Redraws `el`'s content from `build()` when the data it is built from changed.
export function redraw(el, data, build) {
  if (S.inRefresh && S.refreshEpoch !== S.epoch) return;
  // Not while the user is filling in a form it holds: an open "Manage" or "Change", a field with focus.
  const typing = document.activeElement;
  if (el.querySelector('details[open]') || (el.contains(typing) && (typing.tagName === 'SELECT'
    || (typing.tagName === 'INPUT' && typing.type !== 'checkbox')))) return;
  const key = JSON.stringify(data);
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  el.replaceChildren(...[build()].flat(Infinity).filter(Boolean));
}

/**
 * A page about one thing (an endpoint service, an endpoint), with tabs. `read()` answers the thing, or
 * null when it is gone or another account's; `head(thing)` draws the bar above the tabs (its name, its
 * actions), again when the thing changed, so that a button says what it does now; each tab draws into
 * the body as `draw(body, thing, again)`.
 */
export function detailView({ base, title, noun, id, tab, tabList, draws, read, head }) {
  const body = h('div', { id: 'tab-body' });
  const bar = h('div', { class: 'bar' });
  const draw = draws[tab] || draws[tabList[0][0]];
  const missing = view => show(view, h('h1', null, h('a', { href: base }, title), ' / ', ident(id)),
    h('p', null, 'No ', noun, ' ', id, ' in account ', S.identity.accountId, ', which you act as now. ',
      h('a', { href: base }, 'Back to the list')));
  const crumb = () => h('h1', { class: 'grow' }, h('a', { href: base }, title), ' / ', ident(id));
  return {
    async render() {
      const thing = await read();
      if (!thing) return missing(this);
      redraw(bar, thing, () => [crumb(), head(thing)]);
      show(this, bar, tabs(`${base}/${id}`, tabList, tab), body);
      await draw(body, thing, false);
    },
    async refresh() {
      const thing = await read();
      if (!thing) return missing(this);
      // Changed elsewhere (the CLI, another page): the bar's buttons say which way they go now.
      redraw(bar, thing, () => [crumb(), head(thing)]);
      await draw(body, thing, true);
    },
  };
}
