// The load balancers on the live view: their targets as the nodes see them, and each NLB's settings,
// which its owner changes here through ELBv2 (cross-zone, health checks, the target group, targets).
import { S } from './session.js';
import { h, listing, flash, closeForm, ident, breakable, term, ask } from './dom.js';
import { call, child, text, items } from './query.js';
import { act, redraw } from './router.js';

// The targets of every load balancer, each named by its load balancer.
export function targetsOf(reading) {
  return reading.loadBalancers.flatMap(lb => lb.targets.map(t => Object.assign({ loadBalancer: lb.name }, t)));
}

// Keyed without the flow counters, which move with traffic: the buttons stay put; the counters are set
// in place. `fmt` writes a rate; `list` says how the list pages (dom.js listing).
export function drawTargets(el, now, targets, fmt, list) {
  const arnOf = new Map(now.loadBalancers.map(lb => [lb.name, lb.arn]));
  redraw(el, targets.map(t => [t.loadBalancer, t.address, t.healthByNodeZoneId, t.draining]), () => listing([
    'Load balancer', 'Zone', 'Target', 'Kind', { text: 'Flows/s', cls: 'num' }, { text: 'Flows', cls: 'num' },
    'Health by node', ''], targets.map(t => h('tr', { 'data-target': t.address, 'data-load-balancer': t.loadBalancer },
    h('td', null, t.loadBalancer), h('td', null, t.zoneId), h('td', { class: 'id' }, t.address), h('td', null, t.kind),
    h('td', { class: 'num fps' }), h('td', { class: 'num flows' }),
    h('td', null, Object.entries(t.healthByNodeZoneId).map(([node, hs]) => h('span', { class: 'chip ' + hs },
      'node ', node, ': ', hs)), t.draining ? h('span', { class: 'chip draining' }, 'draining') : null),
    h('td', null, owns(arnOf.get(t.loadBalancer)) ? h('button', { class: t.draining ? 'register-target'
      : 'danger deregister-target', onclick: ev => act(ev.target, async () => {
        if (!t.draining && !await ask(`Deregister ${t.address} from ${t.loadBalancer}?`, 'It drains: no new flow goes'
          + ' to it, and flows open to it are reset once the deregistration delay is over.', 'Deregister')) return;
        await changeTargets(arnOf.get(t.loadBalancer), t.loadBalancer, t.draining ? 'RegisterTargets' : 'DeregisterTargets',
          t.address, t.zoneName);
      }) },
    t.draining ? 'Register again' : 'Deregister') : null))), { id: 'live-target-list' }, list));
  for (const t of targets) {
    const row = [...el.querySelectorAll('tr[data-target]')].find(r => r.dataset.target === t.address
      && r.dataset.loadBalancer === t.loadBalancer);
    if (row) {
      row.querySelector('td.fps').textContent = fmt(t.fps);
      row.querySelector('td.flows').textContent = t.flows;
    }
  }
}

// One panel per load balancer, its forms below its settings, so that an open form widens nothing.
// Keyed on what the panels show, not the targets' counters: their buttons stay put under the pointer.
export function drawLoadBalancers(el, now) {
  const lbs = now.loadBalancers.map(lb => ({ name: lb.name, arn: lb.arn, type: lb.type, crossZone: lb.crossZone,
    nodes: lb.nodes, healthCheck: lb.healthCheck, proxyProtocolV2: lb.proxyProtocolV2,
    deregistrationDelaySeconds: lb.deregistrationDelaySeconds }));
  redraw(el, lbs, () => h('div', { class: 'lbs', id: 'load-balancers-live' }, lbs.map(lb => {
    const mine = owns(lb.arn);
    const network = lb.type === 'network';
    return h('div', { class: 'panel lb', 'data-load-balancer': lb.name },
      h('h3', null, lb.name, ' ', h('span', { class: 'muted' }, lb.type)),
      h('div', { class: 'small' }, breakable(lb.arn)),
      h('dl', { class: 'details' },
        term('Nodes', lb.nodes.map(n => h('div', null, n.zoneId, ' ', h('span', { class: 'id' }, n.ip)))),
        network ? term('Cross-zone', h('span', { class: 'cross-zone' }, lb.crossZone ? 'on' : 'off'), ' ',
          mine ? h('button', { class: 'toggle-cross-zone', onclick: ev => act(ev.target, async () => {
            // ELBv2's own attribute, changed as its owner would change it: another account is refused.
            await call('ModifyLoadBalancerAttributes', { LoadBalancerArn: lb.arn,
              'Attributes.member.1.Key': 'load_balancing.cross_zone.enabled',
              'Attributes.member.1.Value': String(!lb.crossZone) }, 'elasticloadbalancing');
            flash('ok', 'Cross-zone load balancing of ', lb.name, ' is now ', lb.crossZone ? 'off' : 'on', '.');
          }) }, lb.crossZone ? 'Turn off' : 'Turn on') : null) : null,
        lb.healthCheck ? [h('dt', null, 'Health checks'), h('dd', { class: 'health-check' },
          describeChecks(lb.healthCheck), mine ? healthCheckForm(lb) : null)] : null,
        network ? [h('dt', null, 'Target group'), h('dd', { class: 'target-group' },
          `Proxy Protocol v2 ${lb.proxyProtocolV2 ? 'on' : 'off'}, deregistration delay ${lb.deregistrationDelaySeconds} s`,
          mine ? targetGroupForm(lb) : null)] : null,
        network ? term('Targets', mine ? registerForm(lb)
          : h('span', { class: 'muted' }, 'its owner ', lb.arn.split(':')[4], ' can change them')) : null));
  })));
}

// The target group behind a load balancer's listener (plsim's NLBs forward to one).
async function targetGroupArn(lbArn) {
  const groups = await call('DescribeTargetGroups', { LoadBalancerArn: lbArn }, 'elasticloadbalancing');
  return text(items(child(groups, 'DescribeTargetGroupsResult'), 'TargetGroups')[0], 'TargetGroupArn');
}

// Whether the chosen identity's account owns a load balancer (its ARN's account field).
export function owns(arn) {
  return !!arn && arn.split(':')[4] === S.identity.accountId;
}

// Registers or deregisters one target host:port in the load balancer's target group, as its owner would;
// a target on loopback is in no subnet, so registering names its zone (the owner's name for it).
async function changeTargets(lbArn, lbName, action, address, zoneName) {
  const at = address.lastIndexOf(':');
  if (at < 1 || !/^\d+$/.test(address.slice(at + 1))) {
    throw new Error(`A target is host:port, like 127.0.0.1:9001; found ${address || 'nothing'}.`);
  }
  await call(action, { TargetGroupArn: await targetGroupArn(lbArn), 'Targets.member.1.Id': address.slice(0, at),
    'Targets.member.1.Port': address.slice(at + 1),
    'Targets.member.1.AvailabilityZone': action === 'RegisterTargets' ? zoneName : null }, 'elasticloadbalancing');
  flash('ok', action === 'DeregisterTargets' ? 'Deregistered ' : 'Registered ', address,
    action === 'DeregisterTargets' ? ' from ' : ' with ', lbName,
    action === 'DeregisterTargets' ? ': it drains for the deregistration delay.' : '.');
}

function describeChecks(c) {
  return `every ${c.intervalSeconds} s, timeout ${c.timeoutSeconds} s, ${c.healthyThreshold} to healthy,`
    + ` ${c.unhealthyThreshold} to unhealthy`;
}

// ELBv2's ModifyTargetGroup, with its ranges (interval 5-300 s, timeout 2-120 s, thresholds 2-10): a
// sim-config may check faster than the API lets anyone set.
function healthCheckForm(lb) {
  const field = (name, label, unit) => h('label', null, ' ', label, ' ', h('input', { type: 'text', inputmode: 'numeric',
    class: 'num-input', name }), unit ? ' ' + unit : '');
  const form = h('form', { class: 'inline-form health-check-form', novalidate: true },
    field('HealthCheckIntervalSeconds', 'every', 's'), field('HealthCheckTimeoutSeconds', 'timeout', 's'),
    field('HealthyThresholdCount', 'healthy after'), field('UnhealthyThresholdCount', 'unhealthy after'), ' ',
    h('button', { type: 'submit', class: 'apply-health-check' }, 'Apply'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const params = {};
    form.querySelectorAll('input').forEach(i => { if (i.value.trim() !== '') params[i.name] = i.value.trim(); });
    act(form.querySelector('button'), async () => {
      if (Object.keys(params).length === 0) throw new Error('Give at least one health check setting to change.');
      await call('ModifyTargetGroup', Object.assign({ TargetGroupArn: await targetGroupArn(lb.arn) }, params),
        'elasticloadbalancing');
      flash('ok', 'Health checks of ', lb.name, ' changed.');
      closeForm(form);
    });
  });
  return h('details', null, h('summary', null, 'Change'), form);
}

// The target group's attributes a PrivateLink experiment turns: Proxy Protocol v2, and how long a
// deregistered target drains (ModifyTargetGroupAttributes).
function targetGroupForm(lb) {
  const pp2 = h('select', { name: 'proxy_protocol_v2.enabled' }, h('option', { value: '' }, 'Proxy Protocol v2 as is'),
    h('option', { value: 'true' }, 'Proxy Protocol v2 on'), h('option', { value: 'false' }, 'Proxy Protocol v2 off'));
  const delay = h('input', { type: 'text', inputmode: 'numeric', class: 'num-input',
    name: 'deregistration_delay.timeout_seconds' });
  const form = h('form', { class: 'inline-form target-group-form', novalidate: true }, pp2, ' deregistration delay ', delay, ' s ',
    h('button', { type: 'submit', class: 'apply-target-group' }, 'Apply'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const attributes = [[pp2.name, pp2.value], [delay.name, delay.value.trim()]].filter(([, v]) => v !== '');
    act(form.querySelector('button'), async () => {
      if (attributes.length === 0) throw new Error('Choose Proxy Protocol v2 on or off, or give a deregistration delay.');
      const params = { TargetGroupArn: await targetGroupArn(lb.arn) };
      attributes.forEach(([k, v], i) => {
        params[`Attributes.member.${i + 1}.Key`] = k;
        params[`Attributes.member.${i + 1}.Value`] = v;
      });
      await call('ModifyTargetGroupAttributes', params, 'elasticloadbalancing');
      flash('ok', 'Target group of ', lb.name, ': ', attributes.map(([k, v]) => `${k}=${v}`).join(', '), '.');
      closeForm(form);
    });
  });
  return h('details', null, h('summary', null, 'Change'), form);
}

function registerForm(lb) {
  const input = h('input', { type: 'text', class: 'register-address', placeholder: '127.0.0.1:9001' });
  const zone = h('select', { class: 'register-zone' }, lb.nodes.map(n => h('option', { value: n.zoneName },
    `${n.zoneName} (${n.zoneId})`)));
  const form = h('form', { class: 'inline-form register-form', novalidate: true }, input, ' in ', zone, ' ',
    h('button', { type: 'submit', class: 'register-new' }, 'Register target'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.querySelector('button'), () => changeTargets(lb.arn, lb.name, 'RegisterTargets', input.value.trim(),
      zone.value));
  });
  return form;
}
