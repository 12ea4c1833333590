// The consumer's side: interface endpoints, created, managed and deleted.
import { S } from './session.js';
import { h, state, table, show, flash, closeForm, ticked } from './dom.js';
import { call, callAll, list, child, text, items, strings, unsuccessful } from './query.js';
import { act, go, redraw } from './router.js';

function endpointOf(item) {
  return {
    id: text(item, 'vpcEndpointId'), vpc: text(item, 'vpcId'), service: text(item, 'serviceName'),
    state: text(item, 'state'), subnets: strings(item, 'subnetIdSet'), enis: strings(item, 'networkInterfaceIdSet'),
    dns: items(item, 'dnsEntrySet').map(d => text(d, 'dnsName')), created: text(item, 'creationTimestamp'),
    groups: items(item, 'groupSet').map(g => text(g, 'groupId')),
    tags: items(item, 'tagSet').map(t => [text(t, 'key'), text(t, 'value')]),
  };
}

function subnetOf(x) {
  return { id: text(x, 'subnetId'), vpc: text(x, 'vpcId'), zone: text(x, 'availabilityZone'),
    zoneId: text(x, 'availabilityZoneId'), cidr: text(x, 'cidrBlock') };
}

function groupOf(x) {
  return { id: text(x, 'groupId'), name: text(x, 'groupName'), vpc: text(x, 'vpcId') };
}

// The account's subnets and security groups, which the endpoint forms choose from.
function subnetsAndGroups() {
  return Promise.all([callAll('DescribeSubnets', {}, 'subnetSet').then(v => v.map(subnetOf)),
    callAll('DescribeSecurityGroups', {}, 'securityGroupInfo').then(v => v.map(groupOf))]);
}

function subnetLabel(x) {
  return `${x.zone} (${x.zoneId}) ${x.cidr}`;
}

// Checkboxes of things by ID, those in `chosen` ticked.
function checks(name, things, label, chosen) {
  return h('div', { class: 'checks', 'data-name': name }, things.map(x => h('label', null,
    h('input', { type: 'checkbox', name, value: x.id, checked: chosen.includes(x.id) }), ' ', x.id, ' ',
    h('span', { class: 'muted' }, label(x)))));
}

// The guide's "Manage subnets", "Manage security groups" and "Manage tags" of an endpoint, in one form:
// ModifyVpcEndpoint with what was added and removed, then CreateTags and DeleteTags.
function manageEndpoint(e, subnets, groups, after) {
  const shown = e.tags.map(([k, v]) => `${k}=${v}`).join(', ');
  const tags = h('input', { type: 'text', class: 'tags', value: shown, placeholder: 'team=payments, env=test' });
  const form = h('form', { class: 'stack manage-endpoint', novalidate: true },
    h('div', null, 'Subnets'), checks('subnet', subnets.filter(x => x.vpc === e.vpc),
      subnetLabel, e.subnets),
    h('div', null, 'Security groups'), checks('group', groups.filter(g => g.vpc === e.vpc), g => g.name, e.groups),
    h('div', null, 'Tags'), tags,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary apply-endpoint' }, 'Save changes')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const sn = ticked(form, 'subnet');
    const sg = ticked(form, 'group');
    const wanted = new Map();
    for (const pair of tags.value.split(',').map(x => x.trim()).filter(Boolean)) {
      const at = pair.indexOf('=');
      wanted.set(at < 0 ? pair : pair.slice(0, at).trim(), at < 0 ? '' : pair.slice(at + 1).trim());
    }
    act(form.querySelector('button'), async () => {
      if (sn.length === 0) throw new Error('An endpoint keeps at least one subnet; delete it to remove them all.');
      const diff = (now, was) => [now.filter(x => !was.includes(x)), was.filter(x => !now.includes(x))];
      const [addSn, removeSn] = diff(sn, e.subnets);
      const [addSg, removeSg] = diff(sg, e.groups);
      if (addSn.length + removeSn.length + addSg.length + removeSg.length > 0) {
        await call('ModifyVpcEndpoint', Object.assign({ VpcEndpointId: e.id }, list('AddSubnetId', addSn),
          list('RemoveSubnetId', removeSn), list('AddSecurityGroupId', addSg), list('RemoveSecurityGroupId', removeSg)));
      }
      // Tags are rewritten only when their text was edited: a value the text cannot show (a comma in
      // it, spaces around it) stays as the CLI set it.
      const had = new Map(e.tags);
      const edited = tags.value !== shown;
      const gone = edited ? [...had.keys()].filter(k => !wanted.has(k)) : [];
      const set = edited ? [...wanted].filter(([k, v]) => had.get(k) !== v) : [];
      if (gone.length) {
        const p = { 'ResourceId.1': e.id };
        gone.forEach((k, i) => { p[`Tag.${i + 1}.Key`] = k; });
        await call('DeleteTags', p);
      }
      if (set.length) {
        const p = { 'ResourceId.1': e.id };
        set.forEach(([k, v], i) => { p[`Tag.${i + 1}.Key`] = k; p[`Tag.${i + 1}.Value`] = v; });
        await call('CreateTags', p);
      }
      flash('ok', 'Saved ', h('span', { class: 'mono' }, e.id), '.');
      closeForm(form);
      await after();
    });
  });
  return h('details', { class: 'manage' }, h('summary', null, 'Manage'), form);
}

export function endpointsView() {
  const body = h('div');
  let subnets = [];
  let groups = [];
  const draw = async () => {
    const [all, live] = await Promise.all([callAll('DescribeVpcEndpoints', {}, 'vpcEndpointSet'),
      fetch('/console/api/live').then(r => (r.ok ? r.json() : { interfaces: [] }))]);
    // Where to send traffic: the interfaces' listening addresses, which EC2 does not describe.
    const addresses = new Map();
    live.interfaces.forEach(i => addresses.set(i.endpointId, (addresses.get(i.endpointId) || []).concat(i.listeners)));
    const rows = all.map(endpointOf).map(e => Object.assign(e, { addresses: addresses.get(e.id) || [] }));
    redraw(body, rows, () => table(['Endpoint ID', 'VPC', 'Service name', 'State', 'Subnets', 'Network interfaces',
      'Listening on', 'DNS names', 'Tags', ''], rows.map(e => h('tr', { 'data-endpoint': e.id, 'data-state': e.state },
      h('td', { class: 'mono' }, e.id), h('td', { class: 'mono' }, e.vpc), h('td', { class: 'mono' }, e.service),
      h('td', null, state(e.state)), h('td', { class: 'mono' }, e.subnets.map(x => h('div', null, x))),
      h('td', { class: 'mono' }, e.enis.map(x => h('div', null, x))),
      h('td', { class: 'mono addresses' }, e.addresses.map(x => h('div', null, x))),
      h('td', { class: 'mono' }, e.dns.map(x => h('div', null, x))),
      h('td', { class: 'tags' }, e.tags.map(([k, v]) => h('div', null, `${k}=${v}`))),
      h('td', null, e.state === 'deleted' || e.state === 'deleting' ? null : [
        h('button', { class: 'danger delete-endpoint', onclick: ev => act(ev.target, async () => {
          if (!confirm(`Delete endpoint ${e.id}?`)) return;
          const root = await call('DeleteVpcEndpoints', list('VpcEndpointId', [e.id]));
          if (unsuccessful(root, 'Delete of')) flash('ok', 'Deleting endpoint ', h('span', { class: 'mono' }, e.id), '.');
          await draw();
        }) }, 'Delete'),
        manageEndpoint(e, subnets, groups, draw)]))), { id: 'endpoints' }));
  };
  return {
    async render() {
      [subnets, groups] = await subnetsAndGroups();
      show(this, h('h1', null, 'Endpoints'),
        h('div', { class: 'bar' }, h('span', { class: 'grow muted' }, 'The interface endpoints of ',
          S.identity.accountId, ', in its VPCs.'),
        h('button', { class: 'primary', id: 'create-endpoint', onclick: () => go('#/endpoints/create') }, 'Create endpoint')),
        body);
      await draw();
    },
    refresh: draw,
  };
}

export function createEndpointView() {
  return {
    async render() {
      const [named, vpcs, [subnets, groups]] = await Promise.all([
        callAll('DescribeVpcEndpointServices', {}, 'serviceDetailSet').then(v => v.map(d => ({
          name: text(d, 'serviceName'), owner: text(d, 'owner'), zones: strings(d, 'availabilityZoneSet') }))),
        callAll('DescribeVpcs', {}, 'vpcSet').then(v => v.map(x => text(x, 'vpcId'))),
        subnetsAndGroups(),
      ]);
      const service = h('input', { type: 'text', id: 'service-name-input', list: 'service-names',
        placeholder: 'com.amazonaws.vpce.' + S.session.region + '.vpce-svc-...' });
      const vpc = h('select', { id: 'vpc' }, vpcs.map(v => h('option', { value: v }, v)));
      const subnetBox = h('div', { id: 'subnets' });
      const groupBox = h('div', { id: 'security-groups' });
      // The VPC's subnets, and its security groups with the default one ticked, as EC2 would choose it.
      const drawChoices = () => {
        subnetBox.replaceChildren(checks('subnet', subnets.filter(x => x.vpc === vpc.value),
          subnetLabel, []));
        const mine = groups.filter(g => g.vpc === vpc.value);
        groupBox.replaceChildren(checks('group', mine, g => g.name, mine.filter(g => g.name === 'default').map(g => g.id)));
      };
      vpc.addEventListener('change', drawChoices);
      drawChoices();
      const form = h('form', { class: 'stack', id: 'create-endpoint-form' },
        h('div', null, 'Service name'), h('div', null, service, h('datalist', { id: 'service-names' },
          named.map(n => h('option', { value: n.name }, `${n.owner || 'AWS'} ${n.zones.join(', ')}`))),
        h('div', { class: 'muted' }, 'Services that allow ', S.identity.principal, ' are suggested.')),
        h('div', null, 'VPC'), vpc,
        h('div', null, 'Subnets'), subnetBox,
        h('div', null, 'Security groups'), groupBox,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'create-endpoint-submit' },
          'Create endpoint'), ' ', h('button', { type: 'button', onclick: () => go('#/endpoints') }, 'Cancel')));
      form.addEventListener('submit', ev => {
        ev.preventDefault();
        const chosen = ticked(form, 'subnet');
        const sg = ticked(form, 'group');
        act(form.querySelector('button[type=submit]'), async () => {
          if (!service.value.trim()) throw new Error('Give the service name the provider shared, like '
            + `com.amazonaws.vpce.${S.session.region}.vpce-svc-0123456789abcdef0.`);
          if (chosen.length === 0) throw new Error('Choose at least one subnet: the endpoint gets a network interface in each.');
          const root = await call('CreateVpcEndpoint', Object.assign({ VpcEndpointType: 'Interface',
            VpcId: vpc.value, ServiceName: service.value.trim() }, list('SubnetId', chosen), list('SecurityGroupId', sg)));
          const e = endpointOf(child(root, 'vpcEndpoint'));
          flash('ok', 'Created endpoint ', h('span', { class: 'mono' }, e.id), ', ', e.state, '.');
          go('#/endpoints');
        });
      });
      show(this, h('h1', null, 'Create endpoint'), h('div', { class: 'panel' }, form));
    },
  };
}
