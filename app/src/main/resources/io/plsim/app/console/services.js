// The provider's side: endpoint services, their connections, principals, notifications and load balancers.
import { S } from './session.js';
import { h, state, table, show, flash, ticked } from './dom.js';
import { ApiError, call, callAll, list, filter, child, text, items, strings, unsuccessful, serviceOf, services,
  loadBalancers } from './query.js';
import { act, route, go, redraw } from './router.js';

function lbName(arn) {
  const parts = arn.split('/');
  return parts.length >= 3 ? parts[parts.length - 2] : arn;
}

export function servicesView() {
  const body = h('div');
  const draw = async () => {
    const all = await services();
    redraw(body, all, () => table(['Service ID', 'Service name', 'State', 'Acceptance required', 'Availability Zones',
      'Network Load Balancers'], all.map(svc => h('tr', { 'data-service': svc.id },
      h('td', { class: 'mono' }, h('a', { href: `#/services/${svc.id}/details` }, svc.id)),
      h('td', { class: 'mono' }, svc.name),
      h('td', null, state(svc.state)),
      h('td', null, svc.acceptanceRequired ? 'Yes' : 'No'),
      h('td', null, svc.zones.join(', ')),
      h('td', null, svc.nlbs.map(lbName).join(', ')))), { id: 'services' }));
  };
  return {
    async render() {
      show(this, h('h1', null, 'Endpoint services'),
        h('div', { class: 'bar' }, h('span', { class: 'grow muted' },
          'The endpoint services of ', S.identity.accountId, '.'),
        h('button', { class: 'primary', id: 'create-service', onclick: () => go('#/services/create') },
          'Create endpoint service')),
        body);
      await draw();
    },
    refresh: draw,
  };
}

export function createServiceView() {
  return {
    async render() {
      const lbs = (await loadBalancers()).filter(lb => lb.type === 'network');
      const acceptance = h('input', { type: 'checkbox', id: 'acceptance-required', checked: true });
      const form = h('form', { class: 'stack', id: 'create-service-form' },
        h('div', null, 'Network Load Balancers'),
        h('div', { class: 'checks' }, lbs.length ? lbs.map(lb => h('label', null,
          h('input', { type: 'checkbox', name: 'nlb', value: lb.arn }), ' ', lb.name,
          h('span', { class: 'muted' }, ' (', lb.zones.join(', '), ')'))) : h('span', { class: 'muted' },
          'This account has no Network Load Balancer.')),
        h('div', null, 'Require acceptance'),
        h('label', null, acceptance, ' Require acceptance for endpoint'),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', class: 'primary', id: 'create-service-submit' }, 'Create service'), ' ',
          h('button', { type: 'button', onclick: () => go('#/services') }, 'Cancel')));
      form.addEventListener('submit', ev => {
        ev.preventDefault();
        const arns = ticked(form, 'nlb');
        act(form.querySelector('button[type=submit]'), async () => {
          if (arns.length === 0) throw new Error('Choose at least one Network Load Balancer for the service.');
          const root = await call('CreateVpcEndpointServiceConfiguration', Object.assign(
            list('NetworkLoadBalancerArn', arns), { AcceptanceRequired: acceptance.checked }));
          const svc = serviceOf(child(root, 'serviceConfiguration'));
          flash('ok', 'Created endpoint service ', h('span', { class: 'mono' }, svc.id), ' (', svc.name, ').');
          go(`#/services/${svc.id}/details`);
        });
      });
      show(this, h('h1', null, 'Create endpoint service'), h('div', { class: 'panel' }, form));
    },
  };
}

function acceptanceLabel(svc) {
  return 'Modify endpoint acceptance setting: ' + (svc.acceptanceRequired ? 'stop requiring' : 'require');
}

const TABS = [['details', 'Details'], ['connections', 'Endpoint connections'], ['principals', 'Principals'],
  ['notifications', 'Notifications'], ['loadbalancers', 'Load balancers']];

export function serviceView(id, tab) {
  const body = h('div', { id: 'tab-body' });
  let svc = null;
  const load = async () => {
    try {
      const root = await call('DescribeVpcEndpointServiceConfigurations', { 'ServiceId.1': id });
      const found = items(root, 'serviceConfigurationSet');
      svc = found.length ? serviceOf(found[0]) : null;
    } catch (e) {
      // Deleted meanwhile (by the CLI, say), or another account's: said on the page, not as a failure.
      if (!(e instanceof ApiError) || !e.code.startsWith('InvalidVpcEndpointService')) throw e;
      svc = null;
    }
    return svc;
  };
  const notFound = view => show(view, h('h1', null, id), h('p', null, 'No endpoint service ', id, ' in account ',
    S.identity.accountId, '. ', h('a', { href: '#/services' }, 'Back to the list')));
  const draw = TAB_DRAW[tab] || TAB_DRAW.details;
  let acceptanceButton = null;
  return {
    async render() {
      if (!await load()) {
        notFound(this);
        return;
      }
      const modifyAcceptance = h('button', { id: 'modify-acceptance', onclick: ev => act(ev.target, async () => {
        if (!confirm(svc.acceptanceRequired ? `Accept new endpoint connections to ${id} without asking?`
          : `Require acceptance of new endpoint connections to ${id}?`)) return;
        await call('ModifyVpcEndpointServiceConfiguration', { ServiceId: id, AcceptanceRequired: !svc.acceptanceRequired });
        flash('ok', 'Acceptance is now ', svc.acceptanceRequired ? 'not required' : 'required', ' for ', id, '.');
        route();
      }) }, acceptanceLabel(svc));
      acceptanceButton = modifyAcceptance;
      const del = h('button', { class: 'danger', id: 'delete-service', onclick: ev => act(ev.target, async () => {
        if (!confirm(`Delete endpoint service ${id}?`)) return;
        const root = await call('DeleteVpcEndpointServiceConfigurations', { 'ServiceId.1': id });
        if (unsuccessful(root, 'Delete of')) {
          flash('ok', 'Deleted endpoint service ', h('span', { class: 'mono' }, id), '.');
          go('#/services');
        }
      }) }, 'Delete endpoint service');
      show(this, h('div', { class: 'bar' }, h('h1', { class: 'grow' }, h('a', { href: '#/services' }, 'Endpoint services'),
        ' / ', h('span', { class: 'mono' }, id)), modifyAcceptance, del),
      h('nav', { class: 'tabs' }, TABS.map(([key, label]) => h('a', {
        href: `#/services/${id}/${key}`, id: 'tab-' + key, class: key === tab ? 'current' : null }, label))),
      body);
      await draw(body, svc);
    },
    async refresh() {
      if (await load()) {
        // Changed elsewhere (the CLI, another page): the button says which way it goes now.
        if (acceptanceButton) acceptanceButton.textContent = acceptanceLabel(svc);
        await draw(body, svc, true);
      } else {
        notFound(this);
      }
    },
  };
}

const TAB_DRAW = {
  async details(body, svc) {
    redraw(body, svc, () => h('div', { class: 'panel' }, h('dl', { class: 'details' },
      h('dt', null, 'Service ID'), h('dd', { class: 'mono' }, svc.id),
      h('dt', null, 'Service name'), h('dd', { class: 'mono', id: 'service-name' }, svc.name),
      h('dt', null, 'Service type'), h('dd', null, 'Interface'),
      h('dt', null, 'State'), h('dd', null, state(svc.state)),
      h('dt', null, 'Acceptance required'), h('dd', { id: 'acceptance' }, svc.acceptanceRequired ? 'Yes' : 'No'),
      h('dt', null, 'Availability Zones'), h('dd', null, svc.zones.map((z, i) => `${z} (${svc.zoneIds[i] || '?'})`)
        .join(', ')),
      h('dt', null, 'Network Load Balancers'), h('dd', { class: 'mono' }, svc.nlbs.map(a => h('div', null, a))),
      h('dt', null, 'Base endpoint DNS names'), h('dd', { class: 'mono' }, svc.baseDns.map(a => h('div', null, a))),
      h('dt', null, 'Private DNS name'), h('dd', null, svc.privateDns || '-'))));
  },

  async connections(body, svc, again) {
    const rows = (await callAll('DescribeVpcEndpointConnections', filter('service-id', svc.id),
      'vpcEndpointConnectionSet')).map(c => ({
      id: text(c, 'vpcEndpointId'), owner: text(c, 'vpcEndpointOwner'), state: text(c, 'vpcEndpointState'),
      created: text(c, 'creationTimestamp'), dns: items(c, 'dnsEntrySet').map(d => text(d, 'dnsName')),
    }));
    // The guide's tab lists the connections pending approval first.
    rows.sort((a, b) => (a.state === 'pendingAcceptance' ? 0 : 1) - (b.state === 'pendingAcceptance' ? 0 : 1)
      || a.created.localeCompare(b.created));
    const ids = new Set(rows.map(r => r.id));
    for (const x of [...S.selected]) if (!ids.has(x)) S.selected.delete(x);
    if (!again) {
      const decide = (action, verb) => ev => act(ev.target, async () => {
        const chosen = [...S.selected];
        if (chosen.length === 0) {
          flash('error', 'Choose one or more endpoint connections first.');
          return;
        }
        const root = await call(action, Object.assign({ ServiceId: svc.id }, list('VpcEndpointId', chosen)));
        if (unsuccessful(root, verb)) {
          flash('ok', verb, ' ', chosen.length === 1 ? 'endpoint connection ' : chosen.length + ' endpoint connections: ',
            h('span', { class: 'mono' }, chosen.join(', ')), '.');
        }
        // Drawn again even when all was refused: the choice is cleared, and its boxes with it.
        S.selected.clear();
        body.querySelector('.list').dataset.key = '';
        await TAB_DRAW.connections(body, svc, true);
      });
      body.replaceChildren(h('div', { class: 'bar' }, h('span', { class: 'grow muted' },
        'Connections from interface endpoints to this service. Choose one or many, then accept or reject.'),
      h('button', { class: 'primary', id: 'accept-connections', onclick: decide('AcceptVpcEndpointConnections', 'Accepted') },
        'Accept endpoint connection request'),
      h('button', { class: 'danger', id: 'reject-connections', onclick: decide('RejectVpcEndpointConnections', 'Rejected') },
        'Reject endpoint connection request')), h('div', { class: 'list' }));
    }
    const listEl = body.querySelector('.list');
    redraw(listEl, rows, () => table(['', 'Endpoint ID', 'Owner', 'State', 'Created', 'DNS names'], rows.map(r => h('tr',
      { 'data-endpoint': r.id, 'data-state': r.state },
      h('td', null, r.state === 'deleted' || r.state === 'deleting' ? null
        : h('input', { type: 'checkbox', class: 'choose', value: r.id, checked: S.selected.has(r.id),
          onchange: ev => ev.target.checked ? S.selected.add(r.id) : S.selected.delete(r.id) })),
      h('td', { class: 'mono' }, r.id), h('td', { class: 'mono' }, r.owner), h('td', null, state(r.state)),
      h('td', null, r.created), h('td', { class: 'mono' }, r.dns.map(d => h('div', null, d))))), { id: 'connections' }));
  },

  async principals(body, svc, again) {
    const rows = (await callAll('DescribeVpcEndpointServicePermissions', { ServiceId: svc.id }, 'allowedPrincipals'))
      .map(p => ({ principal: text(p, 'principal'), type: text(p, 'principalType') }));
    if (!again) {
      const input = h('input', { type: 'text', id: 'principal-arn', placeholder: 'arn:aws:iam::123456789012:root, a user or role ARN, or *',
        list: 'principal-suggestions' });
      const suggestions = h('datalist', { id: 'principal-suggestions' },
        S.session.identities.map(i => h('option', { value: i.principal })), h('option', { value: '*' }));
      const addForm = h('form', { class: 'bar', id: 'add-principal-form' }, 'Add principals to allowlist: ', input, suggestions,
        h('button', { type: 'submit', class: 'primary', id: 'add-principal' }, 'Allow principals'));
      addForm.addEventListener('submit', ev => {
        ev.preventDefault();
        const arns = input.value.split(/[\s,]+/).filter(Boolean);
        act(addForm.querySelector('button'), async () => {
          if (arns.length === 0) throw new Error('Give a principal ARN, or * for everyone.');
          await call('ModifyVpcEndpointServicePermissions', Object.assign({ ServiceId: svc.id },
            list('AddAllowedPrincipals', arns)));
          flash('ok', 'Allowed ', arns.join(', '), ' on ', svc.id, '.');
          input.value = '';
          await TAB_DRAW.principals(body, svc, true);
        });
      });
      body.replaceChildren(addForm, h('div', { class: 'list' }));
    }
    const listEl = body.querySelector('.list');
    redraw(listEl, rows, () => table(['Principal', 'Type', ''], rows.map(r => h('tr', { 'data-principal': r.principal },
      h('td', { class: 'mono' }, r.principal), h('td', null, r.type),
      h('td', null, h('button', { class: 'danger remove-principal', onclick: ev => act(ev.target, async () => {
        await call('ModifyVpcEndpointServicePermissions', Object.assign({ ServiceId: svc.id },
          list('RemoveAllowedPrincipals', [r.principal])));
        flash('ok', 'Removed ', r.principal, ' from ', svc.id, '.');
        await TAB_DRAW.principals(body, svc, true);
      }) }, 'Remove')))), { id: 'principals' }));
  },

  async notifications(body, svc, again) {
    const rows = (await callAll('DescribeVpcEndpointConnectionNotifications', filter('service-id', svc.id),
      'connectionNotificationSet')).map(n => ({
      id: text(n, 'connectionNotificationId'), topic: text(n, 'connectionNotificationArn'),
      events: strings(n, 'connectionEvents'), state: text(n, 'connectionNotificationState'),
    }));
    // After a change: the list drawn again whatever it held.
    const changed = () => {
      body.querySelector('.list').dataset.key = '';
      return TAB_DRAW.notifications(body, svc, true);
    };
    if (!again) {
      body.replaceChildren(notificationForm(svc, null, changed), h('div', { class: 'list' }), h('h2', null, 'Sent'),
        h('div', { class: 'sent' }));
    }
    const listEl = body.querySelector('.list');
    redraw(listEl, rows, () => table(['Notification ID', 'SNS topic', 'Events', 'State', ''], rows.map(r => h('tr',
      { 'data-notification': r.id },
      h('td', { class: 'mono' }, r.id), h('td', { class: 'mono' }, r.topic), h('td', { class: 'events' }, r.events.join(', ')),
      h('td', null, state(r.state)),
      h('td', null,
        h('button', { class: 'modify-notification', onclick: () => {
          // One modify form at a time, below the create form, which stays.
          body.querySelector('#modify-notification-form')?.remove();
          body.querySelector('#create-notification-form').after(notificationForm(svc, r, changed));
        } }, 'Modify'), ' ',
        h('button', { class: 'danger delete-notification', onclick: ev => act(ev.target, async () => {
          const root = await call('DeleteVpcEndpointConnectionNotifications', list('ConnectionNotificationId', [r.id]));
          if (unsuccessful(root, 'Delete of')) flash('ok', 'Deleted notification ', r.id, '.');
          await changed();
        }) }, 'Delete')))), { id: 'notifications' }));
    await drawSent(body.querySelector('.sent'), svc, [...new Set(rows.map(r => r.topic))]);
  },

  async loadbalancers(body, svc, again) {
    const [lbs, all] = await Promise.all([loadBalancers(), services()]);
    // An NLB serves one endpoint service at a time: one that another service has is shown as taken.
    const usedBy = new Map();
    all.filter(x => x.id !== svc.id).forEach(x => x.nlbs.forEach(a => usedBy.set(a, x.id)));
    const rows = lbs.filter(lb => lb.type === 'network').map(lb => ({ arn: lb.arn, name: lb.name, zones: lb.zones,
      associated: svc.nlbs.includes(lb.arn), usedBy: usedBy.get(lb.arn) || null }));
    if (!again) body.replaceChildren(h('p', { class: 'muted' },
      'The Network Load Balancers of ', S.identity.accountId, '. A load balancer cannot be disassociated while'
      + ' endpoints are attached to the service.'), h('div', { class: 'list' }));
    const listEl = body.querySelector('.list');
    const change = (param, verb, lb) => ev => act(ev.target, async () => {
      await call('ModifyVpcEndpointServiceConfiguration', Object.assign({ ServiceId: svc.id }, list(param, [lb.arn])));
      flash('ok', verb, ' ', lb.name, ' ', verb === 'Associated' ? 'with ' : 'from ', svc.id, '.');
      route();
    });
    redraw(listEl, rows, () => table(['Load balancer', 'ARN', 'Availability Zones', 'Associated', ''], rows.map(lb => h('tr',
      { 'data-load-balancer': lb.name },
      h('td', null, lb.name), h('td', { class: 'mono' }, lb.arn), h('td', null, lb.zones.join(', ')),
      h('td', null, lb.associated ? 'Yes' : lb.usedBy ? ['No, used by ', h('a', { class: 'mono',
        href: `#/services/${lb.usedBy}/details` }, lb.usedBy)] : 'No'),
      h('td', null, lb.associated
        ? h('button', { class: 'danger disassociate', onclick: change('RemoveNetworkLoadBalancerArn', 'Disassociated', lb) },
          'Disassociate')
        : lb.usedBy ? null
        : h('button', { class: 'associate', onclick: change('AddNetworkLoadBalancerArn', 'Associated', lb) },
          'Associate')))), { id: 'load-balancers' }));
  },
};

const EVENTS = ['Accept', 'Connect', 'Delete', 'Reject'];
const SENT_SHOWN = 20;

// What plsim published to the topics of a service's notifications, about this service, newest first:
// every topic keeps its envelopes in memory (/admin/notifications), whatever its subscribers.
async function drawSent(el, svc, topics) {
  if (!el) return;
  const sent = [];
  for (const topic of topics) {
    // The latest of each topic: enough for this service's, however busy the topic.
    const r = await fetch('/admin/notifications?limit=200&topic=' + encodeURIComponent(topic));
    if (!r.ok) continue;
    for (const env of await r.json()) {
      let m;
      try {
        m = JSON.parse(env.Message);
      } catch (e) {
        continue;
      }
      if (m.serviceId === svc.id) sent.push({ at: env.Timestamp, topic, event: m.eventType, endpoint: m.vpcEndpointId,
        state: m.vpcEndpointState });
    }
  }
  sent.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const shown = sent.slice(0, SENT_SHOWN);
  redraw(el, shown, () => table(['Time', 'SNS topic', 'Event', 'Endpoint', 'Endpoint state'], shown.map(x => h('tr',
    { 'data-event': x.event, 'data-endpoint': x.endpoint },
    h('td', { class: 'mono' }, x.at), h('td', { class: 'mono' }, x.topic), h('td', null, x.event),
    h('td', { class: 'mono' }, x.endpoint), h('td', null, state(x.state)))), { id: 'notifications-sent' }));
}

// The guide's "Create notification" (or, given one, "Modify notification") form.
function notificationForm(svc, existing, after) {
  const topic = h('input', { type: 'text', class: 'topic', list: 'topic-suggestions', value: existing ? existing.topic : '',
    placeholder: 'arn:aws:sns:' + S.session.region + ':' + S.identity.accountId + ':topic' });
  const boxes = EVENTS.map(e => h('label', null, h('input', { type: 'checkbox', name: 'event', value: e,
    checked: existing ? existing.events.includes(e) : true }), ' ', e));
  const form = h('form', { class: 'stack panel', id: existing ? 'modify-notification-form' : 'create-notification-form' },
    h('div', null, 'SNS topic ARN'), h('div', null, topic,
      h('datalist', { id: 'topic-suggestions' }, S.session.topics.map(t => h('option', { value: t })))),
    h('div', null, 'Events'), h('div', { class: 'checks' }, boxes),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' },
      existing ? 'Modify notification ' + existing.id : 'Create notification'),
    existing ? [' ', h('button', { type: 'button', onclick: () => form.remove() }, 'Cancel')] : null));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const events = ticked(form, 'event');
    act(form.querySelector('button[type=submit]'), async () => {
      // EC2 reads no events on a modify as "leave them": the page asks for at least one either way.
      if (events.length === 0) throw new Error('Choose at least one event: Accept, Connect, Delete or Reject.');
      if (existing) {
        await call('ModifyVpcEndpointConnectionNotification', Object.assign({
          ConnectionNotificationId: existing.id, ConnectionNotificationArn: topic.value },
        list('ConnectionEvents', events)));
        flash('ok', 'Modified notification ', existing.id, '.');
        form.remove();
      } else {
        const root = await call('CreateVpcEndpointConnectionNotification', Object.assign({
          ServiceId: svc.id, ConnectionNotificationArn: topic.value }, list('ConnectionEvents', events)));
        flash('ok', 'Created notification ', text(child(root, 'connectionNotification'), 'connectionNotificationId'), '.');
      }
      await after();
    });
  });
  return form;
}
