// What the page knows of its session: who it acts as, what it shows, and the readings the live view
// keeps between polls. One object, shared by every module of the console.

export const S = {
  session: null,
  identity: null,
  timer: null,
  view: null,
  selected: new Set(),
  // What each list's search, state filter and page are (dom.js listing), by the list's table id.
  lists: new Map(),
  keepFlash: false,
  epoch: 0,
  refreshEpoch: 0,
  inRefresh: false,
  live: { prev: null, now: null, left: null, history: new Map() },
};
