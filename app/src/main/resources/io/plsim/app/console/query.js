// The EC2 and ELBv2 Query API at "/", signed with the chosen identity's access key ID as the SDKs sign
// (plsim reads the key, not the signature), and the admin routes' JSON answers.
import { S } from './session.js';
import { h, flash } from './dom.js';

const EC2_VERSION = '2016-11-15';
const ELB_VERSION = '2015-12-01';

export class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

// One Query API call; answers the XML document, or throws ApiError with EC2's code and message.
export async function call(action, params, service) {
  service = service || 'ec2';
  const body = new URLSearchParams();
  body.set('Action', action);
  body.set('Version', service === 'ec2' ? EC2_VERSION : ELB_VERSION);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') body.set(k, String(v));
  }
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  const r = await fetch('/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      'Authorization': `AWS4-HMAC-SHA256 Credential=${S.identity.accessKeyId}/${day}/${S.session.region}/${service}`
        + '/aws4_request, SignedHeaders=content-type;host, Signature=console',
    },
    body,
  });
  const text = await r.text();
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (!r.ok) {
    const code = doc.getElementsByTagName('Code')[0];
    const message = doc.getElementsByTagName('Message')[0];
    throw new ApiError(code ? code.textContent : 'HTTP ' + r.status, message ? message.textContent : text);
  }
  return doc.documentElement;
}

// The one item a Describe call answers for an ID, or null when there is none (deleted meanwhile, by the
// CLI say, or another account's): EC2 answers that with an error whose code starts `notFound`.
export async function describeOne(action, params, set, notFound) {
  try {
    const found = items(await call(action, params), set);
    return found.length ? found[0] : null;
  } catch (e) {
    if (e instanceof ApiError && e.code.startsWith(notFound)) return null;
    throw e;
  }
}

// The data plane now (/console/api/live): counters, never rates, which a reader takes from two readings.
export async function liveNow() {
  const r = await fetch('/console/api/live');
  if (!r.ok) throw new Error('GET /console/api/live answered ' + r.status);
  return r.json();
}

// Every page of a Describe call: the items of `set` over all its pages (at most 50 pages).
export async function callAll(action, params, set) {
  let out = [];
  let token = null;
  for (let i = 0; i < 50; i++) {
    const root = await call(action, Object.assign({}, params, { NextToken: token }));
    out = out.concat(items(root, set));
    token = text(root, 'nextToken');
    if (!token) break;
  }
  return out;
}

// A list parameter as EC2 numbers it: Name.1, Name.2, ...
export function list(name, values) {
  const out = {};
  values.forEach((v, i) => { out[`${name}.${i + 1}`] = v; });
  return out;
}

export function filter(name, value) {
  return { 'Filter.1.Name': name, 'Filter.1.Value.1': value };
}

export function child(el, name) {
  if (!el) return null;
  for (const c of el.children) if (c.localName === name) return c;
  return null;
}

export function text(el, name) {
  const c = child(el, name);
  return c ? c.textContent : null;
}

// The <item> (EC2) or <member> (ELBv2) elements of a set.
export function items(el, set) {
  const c = child(el, set);
  return c ? [...c.children].filter(x => x.localName === 'item' || x.localName === 'member') : [];
}

export function strings(el, set) {
  return items(el, set).map(i => i.textContent);
}

// The failures an action answered in its <unsuccessful> set, shown as refusals; true when there were none.
export function unsuccessful(root, what) {
  const failed = items(root, 'unsuccessful').map(i => {
    const err = child(i, 'error');
    return { id: text(i, 'resourceId'), code: text(err, 'code'), message: text(err, 'message') };
  });
  if (failed.length === 0) return true;
  flash('error', failed.map(f => h('div', { class: 'unsuccessful' },
    what, ' ', h('span', { class: 'mono' }, f.id), ' refused: ', h('b', { class: 'code' }, f.code), ': ',
    h('span', { class: 'message' }, f.message))));
  return false;
}

// An admin route's JSON answer, or an Error with what it said: its "error", or its text when it answered
// otherwise (a 500 is plain text).
export async function adminAnswer(r) {
  const body = await r.text();
  let json = null;
  try {
    json = JSON.parse(body);
  } catch (e) {
    // not JSON: said as it came
  }
  if (!r.ok) throw new Error((json && json.error) || body.trim() || `HTTP ${r.status}`);
  return json;
}

export function serviceOf(item) {
  return {
    id: text(item, 'serviceId'),
    name: text(item, 'serviceName'),
    state: text(item, 'serviceState'),
    acceptanceRequired: text(item, 'acceptanceRequired') === 'true',
    zones: strings(item, 'availabilityZoneSet'),
    zoneIds: strings(item, 'availabilityZoneIdSet'),
    nlbs: strings(item, 'networkLoadBalancerArnSet'),
    baseDns: strings(item, 'baseEndpointDnsNameSet'),
    privateDns: text(item, 'privateDnsName'),
    // The TXT record that proves the name is the provider's, and how far its verification has got.
    dnsCheck: child(item, 'privateDnsNameConfiguration') && {
      state: text(child(item, 'privateDnsNameConfiguration'), 'state'),
      name: text(child(item, 'privateDnsNameConfiguration'), 'name'),
      value: text(child(item, 'privateDnsNameConfiguration'), 'value'),
    },
  };
}

export async function services() {
  return (await callAll('DescribeVpcEndpointServiceConfigurations', {}, 'serviceConfigurationSet')).map(serviceOf);
}

export async function loadBalancers() {
  const root = await call('DescribeLoadBalancers', {}, 'elasticloadbalancing');
  const result = child(root, 'DescribeLoadBalancersResult');
  return items(result, 'LoadBalancers').map(m => ({
    arn: text(m, 'LoadBalancerArn'),
    name: text(m, 'LoadBalancerName'),
    type: text(m, 'Type'),
    zones: items(m, 'AvailabilityZones').map(z => text(z, 'ZoneName')),
  }));
}
