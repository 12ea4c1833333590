// The provider's side: endpoint services, their connections, principals, notifications and load balancers.
import { S } from './session.js';
import { h, state, when, listing, who, show, flash, ticked, ident, breakable, copyButton, term, ask, openConnections } from './dom.js';
import { call, callAll, describeOne, list, filter, child, text, unsuccessful, serviceOf, services,
  loadBalancers, liveNow } from './query.js';
import { act, route, go, redraw, detailView } from './router.js';
import { drawNotifications } from './notifications.js';

function lbName(arn) {
  const parts = arn.split('/');
  return parts.length >= 3 ? parts[parts.length - 2] : arn;
}

export function servicesView() {
  const body = h('div');
  const draw = async () => {
    const all = await services();
    redraw(body, all, () => listing(['Service ID', 'State', 'Acceptance required', 'Availability Zones',
      'Network Load Balancers'], all.map(svc => h('tr', { 'data-service': svc.id },
      h('td', null, ident(svc.id, `#/services/${svc.id}/details`)),
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
      const [lbs, all] = await Promise.all([loadBalancers().then(v => v.filter(lb => lb.type === 'network')), services()]);
      // An NLB serves one endpoint service at a time: one in use is shown so, not offered to be refused.
      const usedBy = new Map();
      all.forEach(x => x.nlbs.forEach(a => usedBy.set(a, x.id)));
      const acceptance = h('input', { type: 'checkbox', id: 'acceptance-required', checked: true });
      const form = h('form', { class: 'stack', id: 'create-service-form' },
        h('div', null, 'Network Load Balancers'),
        h('div', { class: 'checks' }, lbs.length ? lbs.map(lb => h('label', { 'data-load-balancer': lb.name,
          class: usedBy.has(lb.arn) ? 'in-use' : null },
          h('input', { type: 'checkbox', name: 'nlb', value: lb.arn, disabled: usedBy.has(lb.arn) }), ' ', lb.name,
          h('span', { class: 'muted' }, ' (', lb.zones.join(', '), ')'),
          usedBy.has(lb.arn) ? h('span', { class: 'used-by' }, ' in use by ', h('a', { class: 'id',
            href: `#/services/${usedBy.get(lb.arn)}/details` }, usedBy.get(lb.arn))) : null)) : h('span', { class: 'muted' },
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
          flash('ok', 'Created endpoint service ', h('span', { class: 'id' }, svc.id), ' (', svc.name, ').');
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
  return detailView({ base: '#/services', title: 'Endpoint services', noun: 'endpoint service', id, tab,
    tabList: TABS, draws: TAB_DRAW,
    read: async () => {
      const found = await describeOne('DescribeVpcEndpointServiceConfigurations', { 'ServiceId.1': id },
        'serviceConfigurationSet', 'InvalidVpcEndpointService');
      return found && serviceOf(found);
    },
    head: svc => [
      h('button', { id: 'modify-acceptance', onclick: ev => act(ev.target, async () => {
        if (!await ask(svc.acceptanceRequired ? `Accept new endpoint connections to ${id} without asking?`
          : `Require acceptance of new endpoint connections to ${id}?`, svc.acceptanceRequired
          ? 'Endpoints created from now on become available at once. Those pending stay pending.'
          : 'Endpoints created from now on wait, pending acceptance, until you accept them. Those available stay so.',
        svc.acceptanceRequired ? 'Stop requiring acceptance' : 'Require acceptance')) return;
        await call('ModifyVpcEndpointServiceConfiguration', { ServiceId: id, AcceptanceRequired: !svc.acceptanceRequired });
        flash('ok', 'Acceptance is now ', svc.acceptanceRequired ? 'not required' : 'required', ' for ', id, '.');
        route();
      }) }, acceptanceLabel(svc)),
      svc.privateDns && h('button', { id: 'verify-domain', onclick: ev => act(ev.target, async () => {
        await call('StartVpcEndpointServicePrivateDnsVerification', { ServiceId: id });
        flash('ok', 'Verification of ', svc.privateDns, ' started: publish the TXT record of the Details tab first.');
        route();
      }) }, 'Verify domain ownership for private DNS name'),
      h('button', { class: 'danger', id: 'delete-service', onclick: ev => act(ev.target, async () => {
        const live = await liveNow();
        const attached = live.endpoints.filter(x => x.serviceId === id).map(x => x.endpointId);
        if (!await ask(`Delete endpoint service ${id}?`, [`EC2 refuses while endpoints are attached (${attached.length} now). `,
          openConnections(live, attached).replace('will be reset', 'run through it')], 'Delete endpoint service')) return;
        const root = await call('DeleteVpcEndpointServiceConfigurations', { 'ServiceId.1': id });
        if (unsuccessful(root, 'Delete of')) {
          flash('ok', 'Deleted endpoint service ', h('span', { class: 'id' }, id), '.');
          go('#/services');
        }
      }) }, 'Delete endpoint service')],
  });
}

const TAB_DRAW = {
  async details(body, svc) {
    redraw(body, svc, () => h('div', { class: 'panel' }, h('dl', { class: 'details' },
      term('Service ID', ident(svc.id)),
      h('dt', null, 'Service name'), h('dd', null, h('span', { class: 'ident' },
        h('span', { class: 'id', id: 'service-name' }, svc.name), copyButton(svc.name))),
      term('Service type', 'Interface'),
      term('State', state(svc.state)),
      h('dt', null, 'Acceptance required'), h('dd', { id: 'acceptance' }, svc.acceptanceRequired ? 'Yes' : 'No'),
      term('Availability Zones', svc.zones.map((z, i) => `${z} (${svc.zoneIds[i] || '?'})`).join(', ')),
      term('Network Load Balancers', svc.nlbs.map(a => h('div', null, breakable(a), copyButton(a)))),
      term('Base endpoint DNS names', svc.baseDns.map(a => h('div', null, ident(a)))),
      term('Private DNS name', svc.privateDns || '-'),
      ...(svc.dnsCheck ? [
        term('Domain verification status', h('span', { id: 'domain-verification' }, svc.dnsCheck.state)),
        term('Domain verification name', ident(`${svc.dnsCheck.name}.${svc.privateDns.replace(/^\*\./, '')}`)),
        term('Domain verification value', ident(svc.dnsCheck.value)),
      ] : []))));
  },

  async connections(body, svc, again) {
    const rows = (await callAll('DescribeVpcEndpointConnections', filter('service-id', svc.id),
      'vpcEndpointConnectionSet')).map(c => ({
      id: text(c, 'vpcEndpointId'), owner: text(c, 'vpcEndpointOwner'), state: text(c, 'vpcEndpointState'),
      created: text(c, 'creationTimestamp'),
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
        const live = action === 'RejectVpcEndpointConnections' ? await liveNow() : null;
        const cut = live ? live.endpoints.filter(x => chosen.includes(x.endpointId) && x.state === 'available').length : 0;
        if (live && !await ask(`Reject ${chosen.length === 1 ? chosen[0] : chosen.length + ' endpoint connections'}?`,
          [cut ? `${cut} available endpoint${cut === 1 ? '' : 's'} stop${cut === 1 ? 's' : ''} carrying traffic. ` : '',
            openConnections(live, chosen)], 'Reject')) return;
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
    redraw(listEl, rows, () => listing(['', 'Endpoint ID', 'Owner', 'State', 'Created'], rows.map(r => h('tr',
      { 'data-endpoint': r.id, 'data-state': r.state },
      h('td', null, r.state === 'deleted' || r.state === 'deleting' ? null
        : h('input', { type: 'checkbox', class: 'choose', value: r.id, checked: S.selected.has(r.id),
          onchange: ev => ev.target.checked ? S.selected.add(r.id) : S.selected.delete(r.id) })),
      h('td', null, ident(r.id)), h('td', { class: 'id' }, r.owner), h('td', null, state(r.state)),
      h('td', null, when(r.created)))), { id: 'connections' }));
  },

  async principals(body, svc, again) {
    const rows = (await callAll('DescribeVpcEndpointServicePermissions', { ServiceId: svc.id }, 'allowedPrincipals'))
      .map(p => ({ principal: text(p, 'principal'), type: text(p, 'principalType') }));
    if (!again) {
      const input = h('input', { type: 'text', id: 'principal-arn', class: 'wide',
        placeholder: 'arn:aws:iam::123456789012:root, a user or role ARN, or *', list: 'principal-suggestions' });
      // Each principal of the world once, named as the identity picker names it; then everyone.
      const seen = new Set();
      const suggestions = h('datalist', { id: 'principal-suggestions' },
        S.session.identities.filter(i => !seen.has(i.principal) && seen.add(i.principal))
          .map(i => h('option', { value: i.principal }, who(i))), h('option', { value: '*' }, 'everyone'));
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
    redraw(listEl, rows, () => listing(['Principal', 'Type', ''], rows.map(r => h('tr', { 'data-principal': r.principal },
      h('td', null, breakable(r.principal)), h('td', null, r.type),
      h('td', null, h('button', { class: 'danger remove-principal', onclick: ev => act(ev.target, async () => {
        if (!await ask(`Remove ${r.principal} from the allowlist of ${svc.id}?`, 'It can no longer create endpoints'
          + ' to this service; endpoints it has keep their connections.', 'Remove')) return;
        await call('ModifyVpcEndpointServicePermissions', Object.assign({ ServiceId: svc.id },
          list('RemoveAllowedPrincipals', [r.principal])));
        flash('ok', 'Removed ', r.principal, ' from ', svc.id, '.');
        await TAB_DRAW.principals(body, svc, true);
      }) }, 'Remove')))), { id: 'principals' }));
  },

  notifications: drawNotifications,

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
      if (verb === 'Disassociated' && !await ask(`Disassociate ${lb.name} from ${svc.id}?`, 'The service no longer'
        + ' sends to it; EC2 refuses while endpoints are attached.', 'Disassociate')) return;
      await call('ModifyVpcEndpointServiceConfiguration', Object.assign({ ServiceId: svc.id }, list(param, [lb.arn])));
      flash('ok', verb, ' ', lb.name, ' ', verb === 'Associated' ? 'with ' : 'from ', svc.id, '.');
      route();
    });
    redraw(listEl, rows, () => listing(['Load balancer', 'Availability Zones', 'Associated', ''], rows.map(lb => h('tr',
      { 'data-load-balancer': lb.name },
      h('td', null, lb.name, h('div', { class: 'small' }, breakable(lb.arn))), h('td', null, lb.zones.join(', ')),
      h('td', null, lb.associated ? 'Yes' : lb.usedBy ? ['No, used by ', h('a', { class: 'id',
        href: `#/services/${lb.usedBy}/details` }, lb.usedBy)] : 'No'),
      h('td', null, lb.associated
        ? h('button', { class: 'danger disassociate', onclick: change('RemoveNetworkLoadBalancerArn', 'Disassociated', lb) },
          'Disassociate')
        : lb.usedBy ? null
        : h('button', { class: 'associate', onclick: change('AddNetworkLoadBalancerArn', 'Associated', lb) },
          'Associate')))), { id: 'load-balancers' }));
  },
};
