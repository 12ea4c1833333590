// The plsim console. Every change goes through the EC2 and ELBv2 Query API at "/" (query.js), so the
// page, the CLI and the SDKs act on one world through one set of rules. The live view reads
// /console/api/live and /admin/events; faults are added and removed through /admin/faults.
import { S } from './session.js';
import { h, clearFlash, flash, refusal, who } from './dom.js';
import { hashParts, route, go, routes } from './router.js';
import { servicesView, createServiceView, serviceView } from './services.js';
import { endpointsView, endpointView, createEndpointView } from './endpoints.js';
import { liveView } from './live.js';

routes(parts => (parts[0] === 'services' && parts[1] === 'create' ? createServiceView()
  : parts[0] === 'services' && parts[1] ? serviceView(parts[1], parts[2] || 'details')
  : parts[0] === 'endpoints' && parts[1] === 'create' ? createEndpointView()
  : parts[0] === 'endpoints' && parts[1] ? endpointView(parts[1], parts[2] || 'details')
  : parts[0] === 'endpoints' ? endpointsView()
  : parts[0] === 'live' ? liveView()
  : servicesView()));

async function start() {
  const r = await fetch('/console/api/session');
  S.session = await r.json();
  const select = document.getElementById('identity');
  select.replaceChildren(...S.session.identities.map(i => h('option', { value: i.accessKeyId,
    title: `${i.principal}, signing with access key ${i.accessKeyId}` }, who(i))));
  const saved = localStorage.getItem('plsim.console.identity');
  const chosen = S.session.identities.find(i => i.accessKeyId === saved) || S.session.identities[0];
  select.value = chosen.accessKeyId;
  S.identity = chosen;
  select.addEventListener('change', () => {
    S.identity = S.session.identities.find(i => i.accessKeyId === select.value);
    localStorage.setItem('plsim.console.identity', S.identity.accessKeyId);
    S.selected.clear();
    // Another account sees other resources: back to the list of the section shown, saying why.
    flash('ok', 'Acting as ', who(S.identity), ' now: the list shows what ', S.identity.accountId, ' sees.');
    go('#/' + (hashParts()[0] || 'services'));
  });
  document.getElementById('footer').textContent = `${S.session.source} · ${S.session.region} · the same world as `
    + `aws --endpoint-url ${location.origin}`;
  window.addEventListener('hashchange', () => {
    if (!S.keepFlash) clearFlash();
    S.keepFlash = false;
    route();
  });
  route();
}

start().catch(refusal);
