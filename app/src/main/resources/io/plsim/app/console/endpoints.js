// The consumer's side: interface endpoints, listed in a few columns, created, and each on a page of its
// own with AWS's tabs (Details, Subnets, Security groups, Policy, Tags) and plsim's Traffic.
import { S } from './session.js';
import { h, state, stateWords, when, table, listing, show, flash, closeForm, ticked, ident, breakable, term, bytes, ask, openConnections } from './dom.js';
import { ApiError, call, callAll, describeOne, list, child, text, items, strings, unsuccessful, liveNow } from './query.js';
import { act, go, redraw, detailView } from './router.js';

function endpointOf(item) {
  return {
    id: text(item, 'vpcEndpointId'), vpc: text(item, 'vpcId'), service: text(item, 'serviceName'),
    state: text(item, 'state'), subnets: strings(item, 'subnetIdSet'), enis: strings(item, 'networkInterfaceIdSet'),
    dns: items(item, 'dnsEntrySet').map(d => text(d, 'dnsName')), created: text(item, 'creationTimestamp'),
    groups: items(item, 'groupSet').map(g => ({ id: text(g, 'groupId'), name: text(g, 'groupName') })),
    tags: items(item, 'tagSet').map(t => [text(t, 'key'), text(t, 'value')]),
    policy: text(item, 'policyDocument'), owner: text(item, 'ownerId'),
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
    h('input', { type: 'checkbox', name, value: x.id, checked: chosen.includes(x.id) }), ' ', h('span', { class: 'id' }, x.id),
    ' ', h('span', { class: 'muted' }, label(x)))));
}

// The zones an endpoint is in, by the names of its owner (who is the one looking).
function zonesOf(e, subnets) {
  const byId = new Map(subnets.map(x => [x.id, x]));
  return e.subnets.map(id => byId.get(id)).filter(Boolean).map(x => `${x.zone} (${x.zoneId})`).sort();
}

export function endpointsView() {
  const body = h('div');
  let subnets = [];
  const draw = async () => {
    const rows = (await callAll('DescribeVpcEndpoints', {}, 'vpcEndpointSet')).map(endpointOf)
      .map(e => Object.assign(e, { zones: zonesOf(e, subnets) }));
    redraw(body, rows, () => listing(['Endpoint ID', 'State', 'Service name', 'Availability Zones'],
      rows.map(e => h('tr', { 'data-endpoint': e.id, 'data-state': e.state },
        h('td', null, ident(e.id, `#/endpoints/${e.id}/details`)), h('td', null, state(e.state)),
        h('td', null, breakable(e.service)), h('td', { class: 'zones-of' }, e.zones.map(z => h('div', null, z))))),
      { id: 'endpoints' }));
  };
  return {
    async render() {
      [subnets] = await subnetsAndGroups();
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

const TABS = [['details', 'Details'], ['subnets', 'Subnets'], ['security-groups', 'Security groups'],
  ['policy', 'Policy'], ['tags', 'Tags'], ['traffic', 'Traffic']];

export function endpointView(id, tab) {
  return detailView({ base: '#/endpoints', title: 'Endpoints', noun: 'endpoint', id, tab, tabList: TABS, draws: TAB_DRAW,
    read: async () => {
      const found = await describeOne('DescribeVpcEndpoints', { 'VpcEndpointId.1': id }, 'vpcEndpointSet',
        'InvalidVpcEndpointId');
      return found && endpointOf(found);
    },
    head: e => (e.state === 'deleted' || e.state === 'deleting' ? [] : [
      h('button', { class: 'danger', id: 'delete-endpoint', onclick: ev => act(ev.target, async () => {
        if (!await ask(`Delete endpoint ${e.id}?`, ['Its network interfaces and DNS names go. ',
          openConnections(await liveNow(), [e.id])], 'Delete endpoint')) return;
        const root = await call('DeleteVpcEndpoints', list('VpcEndpointId', [e.id]));
        if (unsuccessful(root, 'Delete of')) {
          flash('ok', 'Deleting endpoint ', h('span', { class: 'id' }, e.id), '.');
          go('#/endpoints');
        }
      }) }, 'Delete endpoint')]),
  });
}

// The interfaces of an endpoint as EC2 describes them, with where each listens (which EC2 does not say).
async function interfacesOf(e) {
  const [enis, live] = await Promise.all([e.enis.length ? callAll('DescribeNetworkInterfaces',
    list('NetworkInterfaceId', e.enis), 'networkInterfaceSet') : [], liveNow()]);
  const listening = new Map(live.interfaces.filter(i => i.endpointId === e.id).map(i => [i.ip, i.listeners]));
  return enis.map(n => ({ id: text(n, 'networkInterfaceId'), subnet: text(n, 'subnetId'), zone: text(n, 'availabilityZone'),
    zoneId: text(n, 'availabilityZoneId'), ip: text(n, 'privateIpAddress'), listeners: listening.get(text(n, 'privateIpAddress')) || [] }));
}

const TAB_DRAW = {
  async details(body, e) {
    const live = await liveNow();
    const addresses = live.interfaces.filter(i => i.endpointId === e.id).flatMap(i => i.listeners);
    redraw(body, [e, addresses], () => h('div', { class: 'panel' }, h('dl', { class: 'details' },
      term('Endpoint ID', ident(e.id)),
      term('State', state(e.state)),
      term('Service name', ident(e.service)),
      term('Endpoint type', 'Interface'),
      term('VPC', ident(e.vpc)),
      term('Owner', h('span', { class: 'id' }, e.owner)),
      term('Created', when(e.created)),
      term('DNS names', e.dns.length ? e.dns.map(d => h('div', null, ident(d))) : '-'),
      h('dt', null, 'Listening on'), h('dd', { class: 'addresses' }, addresses.length
        ? addresses.map(a => h('div', null, ident(a))) : h('span', { class: 'muted' }, 'nowhere now')))));
  },

  async subnets(body, e, again) {
    const [rows, [subnets]] = await Promise.all([interfacesOf(e), subnetsAndGroups()]);
    const cidr = new Map(subnets.map(x => [x.id, x.cidr]));
    if (!again) body.replaceChildren(manage(e, 'Manage subnets', 'subnet',
      checks('subnet', subnets.filter(x => x.vpc === e.vpc), subnetLabel, e.subnets)), h('div', { class: 'list' }));
    redraw(body.querySelector('.list'), rows, () => table(['Subnet ID', 'Availability Zone', 'Network interface',
      'IP address', 'Listening on'], rows.map(n => h('tr', { 'data-subnet': n.subnet },
      h('td', null, ident(n.subnet), h('div', { class: 'small muted' }, cidr.get(n.subnet) || '')),
      h('td', null, n.zone, ' (', n.zoneId, ')'), h('td', null, ident(n.id)), h('td', { class: 'id' }, n.ip),
      h('td', { class: 'addresses' }, n.listeners.map(a => h('div', null, ident(a)))))), { id: 'endpoint-subnets' }));
  },

  async 'security-groups'(body, e, again) {
    const [, groups] = await subnetsAndGroups();
    if (!again) body.replaceChildren(manage(e, 'Manage security groups', 'group',
      checks('group', groups.filter(g => g.vpc === e.vpc), g => g.name, e.groups.map(g => g.id))), h('div', { class: 'list' }));
    redraw(body.querySelector('.list'), e.groups, () => table(['Group ID', 'Group name'], e.groups.map(g => h('tr',
      { 'data-group': g.id }, h('td', null, ident(g.id)), h('td', null, g.name))), { id: 'endpoint-groups' }));
  },

  async policy(body, e) {
    let pretty = e.policy;
    try {
      pretty = JSON.stringify(JSON.parse(e.policy), null, 2);
    } catch (x) {
      // shown as EC2 gave it
    }
    redraw(body, e.policy, () => h('div', { class: 'panel' }, h('p', { class: 'muted' },
      'Endpoint services do not support endpoint policies: every endpoint to one has the full-access policy,'
      + ' which no PolicyDocument can change (ModifyVpcEndpoint refuses one, as EC2 does).'),
    h('pre', { class: 'policy' }, pretty)));
  },

  async tags(body, e, again) {
    if (!again) body.replaceChildren(manage(e, 'Manage tags', 'tags', null), h('div', { class: 'list' }));
    redraw(body.querySelector('.list'), e.tags, () => table(['Key', 'Value'], e.tags.map(([k, v]) => h('tr',
      { 'data-tag': k }, h('td', null, k), h('td', null, v))), { id: 'endpoint-tags' }));
  },

  async traffic(body, e) {
    const live = await liveNow();
    const mine = live.interfaces.filter(i => i.endpointId === e.id);
    const dns = live.dns.filter(d => d.endpointId === e.id);
    const serving = (live.endpoints.find(x => x.endpointId === e.id) || { servingZoneIds: [] }).servingZoneIds;
    redraw(body, [mine, dns, serving], () => [h('p', { class: 'muted' },
      'What the data plane counted on this endpoint\'s network interfaces, since plsim started; its regional'
      + ' name answers in ', serving.length ? [...serving].sort().join(', ') : 'no zone', '. ',
      h('a', { href: '#/live' }, 'The live data plane'), ' shows every endpoint, with rates.'),
    table(['Zone', 'Listening on', { text: 'Open', cls: 'num' }, { text: 'Admitted', cls: 'num' }, 'Denied by reason',
      { text: 'Bytes up / down', cls: 'num' }], mine.map(i => h('tr', { 'data-interface': i.ip },
      h('td', null, h('span', { class: 'nowrap' }, i.zoneName), ' ', h('span', { class: 'muted id' }, i.zoneId)),
      h('td', null, i.listeners.map(a => h('div', null, ident(a)))),
      h('td', { class: 'num open' }, i.open), h('td', { class: 'num admitted' }, i.admitted),
      h('td', null, Object.entries(i.denied).map(([k, v]) => `${k} ${v}`).join(', ') || '-'),
      h('td', { class: 'num' }, bytes(i.bytesUp), ' / ', bytes(i.bytesDown)))), { id: 'endpoint-traffic' }),
    h('h2', null, 'DNS answers'),
    table(['Name', 'Answer'], dns.map(d => h('tr', { 'data-dns': d.name }, h('td', null, ident(d.name),
      h('div', { class: 'small muted' }, d.zoneName || 'regional')), h('td', { class: 'id' }, d.answer.length ? d.answer.map(a => h('div', null, a)) : '-'))))]);
  },
};

// One of the guide's "Manage subnets", "Manage security groups" and "Manage tags": ModifyVpcEndpoint with
// what was added and removed, or CreateTags and DeleteTags; `what` is the checkboxes' name, or 'tags'.
function manage(e, title, what, boxes) {
  const shown = e.tags.map(([k, v]) => `${k}=${v}`).join(', ');
  const tags = what === 'tags' ? h('input', { type: 'text', class: 'tags', value: shown, placeholder: 'team=payments, env=test' })
    : null;
  const form = h('form', { class: 'stack manage-endpoint', novalidate: true },
    h('div', null, { subnet: 'Subnets', group: 'Security groups', tags: 'Tags' }[what]), boxes || tags,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary apply-endpoint' }, 'Save changes')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const chosen = boxes ? ticked(form, what) : null;
    act(form.querySelector('button'), async () => {
      if (what === 'subnet' && chosen.length === 0) {
        throw new Error('An endpoint keeps at least one subnet; delete it to remove them all.');
      }
      const was = what === 'subnet' ? e.subnets : what === 'group' ? e.groups.map(g => g.id) : [];
      const dropped = what === 'subnet' ? was.filter(x => !chosen.includes(x)) : [];
      // Removing a subnet removes its network interface, and the connections open through it.
      if (dropped.length && !await ask(`Remove ${dropped.join(', ')} from ${e.id}?`,
        ['The network interface in ', dropped.length === 1 ? 'it' : 'each', ' goes, with the connections open through it. ',
          openConnections(await liveNow(), [e.id]).replace('will be', 'may be'), ' (on the whole endpoint)'],
        'Remove subnets')) return;
      if (what === 'tags') {
        await saveTags(e, tags.value, shown);
      } else {
        const param = what === 'subnet' ? 'SubnetId' : 'SecurityGroupId';
        const added = chosen.filter(x => !was.includes(x));
        const removed = was.filter(x => !chosen.includes(x));
        if (added.length + removed.length > 0) {
          await call('ModifyVpcEndpoint', Object.assign({ VpcEndpointId: e.id }, list('Add' + param, added),
            list('Remove' + param, removed)));
        }
      }
      flash('ok', 'Saved ', h('span', { class: 'id' }, e.id), '.');
      closeForm(form);
      go(location.hash);
    });
  });
  return h('details', { class: 'manage' }, h('summary', null, title), form);
}

// Tags are rewritten only when their text was edited: a value the text cannot show (a comma in it,
// spaces around it) stays as the CLI set it.
async function saveTags(e, typed, shown) {
  if (typed === shown) return;
  const wanted = new Map();
  for (const pair of typed.split(',').map(x => x.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    wanted.set(at < 0 ? pair : pair.slice(0, at).trim(), at < 0 ? '' : pair.slice(at + 1).trim());
  }
  const had = new Map(e.tags);
  const gone = [...had.keys()].filter(k => !wanted.has(k));
  const set = [...wanted].filter(([k, v]) => had.get(k) !== v);
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
}

// The service a name stands for, as the consumer sees it (DescribeVpcEndpointServices), or EC2's
// InvalidServiceName, which plsim answers for a name that is not there or does not allow the caller.
async function serviceNamed(name) {
  if (!name) {
    throw new Error('Give the service name the provider shared, like '
      + `com.amazonaws.vpce.${S.session.region}.vpce-svc-0123456789abcdef0.`);
  }
  const found = items(await call('DescribeVpcEndpointServices', { 'ServiceName.1': name }), 'serviceDetailSet');
  if (!found.length) throw new ApiError('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`);
  const d = found[0];
  return { owner: text(d, 'owner'), zones: strings(d, 'availabilityZoneSet'),
    acceptanceRequired: text(d, 'acceptanceRequired') === 'true' };
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
      const service = h('input', { type: 'text', id: 'service-name-input', class: 'wide', list: 'service-names',
        placeholder: 'com.amazonaws.vpce.' + S.session.region + '.vpce-svc-...' });
      // AWS's "Verify service", answered beside the button rather than in a toast.
      const verified = h('div', { id: 'verify-result', role: 'status' });
      const verify = h('button', { type: 'button', id: 'verify-service', onclick: ev => act(ev.target, async () => {
        verified.replaceChildren();
        try {
          const d = await serviceNamed(service.value.trim());
          verified.replaceChildren(h('span', { class: 'state ok' }, 'Service name verified'), ' ',
            h('span', { class: 'muted' }, 'owner ', h('span', { class: 'id' }, d.owner), ', in ', d.zones.join(', '),
              d.acceptanceRequired ? '; the owner accepts each endpoint' : '; endpoints are accepted at once'));
        } catch (e) {
          verified.replaceChildren(h('span', { class: 'state bad' }, e.code || 'Not verified'), ' ', e.message);
        }
      }) }, 'Verify service');
      service.addEventListener('input', () => verified.replaceChildren());
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
        h('div', null, 'Service name'), h('div', null, h('div', { class: 'bar verify' }, service, verify), verified,
          h('datalist', { id: 'service-names' },
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
          // What is wrong is said in the order the form reads: the service name first, then the subnets.
          if (chosen.length === 0) {
            await serviceNamed(service.value.trim());
            throw new Error('Choose at least one subnet: the endpoint gets a network interface in each.');
          }
          if (!service.value.trim()) await serviceNamed('');
          const root = await call('CreateVpcEndpoint', Object.assign({ VpcEndpointType: 'Interface',
            VpcId: vpc.value, ServiceName: service.value.trim() }, list('SubnetId', chosen), list('SecurityGroupId', sg)));
          const e = endpointOf(child(root, 'vpcEndpoint'));
          flash('ok', 'Created endpoint ', h('span', { class: 'id' }, e.id), ': ', stateWords(e.state).toLowerCase(), '.');
          go(`#/endpoints/${e.id}/details`);
        });
      });
      show(this, h('h1', null, h('a', { href: '#/endpoints' }, 'Endpoints'), ' / Create endpoint'),
        h('div', { class: 'panel' }, form));
    },
  };
}
