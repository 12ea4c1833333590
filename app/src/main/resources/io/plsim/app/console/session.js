// What the page knows of its session: who it acts as, what it shows, and the readings the live view
// keeps between polls. One object, shared by every module of the console.

export const S = {
  session: null,
  identity: null,
  timer: null,
  view: null,
  selected: new Set(),
  keepFlash: false,
  epoch: 0,
  refreshEpoch: 0,
  inRefresh: false,
  live: { prev: null, now: null, history: new Map(), retired: new Map() },
};
