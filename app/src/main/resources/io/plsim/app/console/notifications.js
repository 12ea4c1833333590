// The notifications of an endpoint service: the guide's create, modify and delete, and what plsim sent.
import { S } from './session.js';
import { h, state, when, listing, flash, ticked, ident, breakable, ask } from './dom.js';
import { call, callAll, list, filter, child, text, strings, unsuccessful } from './query.js';
import { act, redraw } from './router.js';

export async function drawNotifications(body, svc, again) {
  const rows = (await callAll('DescribeVpcEndpointConnectionNotifications', filter('service-id', svc.id),
    'connectionNotificationSet')).map(n => ({
    id: text(n, 'connectionNotificationId'), topic: text(n, 'connectionNotificationArn'),
    events: strings(n, 'connectionEvents'), state: text(n, 'connectionNotificationState'),
  }));
  // After a change: the list drawn again whatever it held.
  const changed = () => {
    body.querySelector('.list').dataset.key = '';
    return drawNotifications(body, svc, true);
  };
  if (!again) {
    body.replaceChildren(notificationForm(svc, null, changed), h('div', { class: 'list' }), h('h2', null, 'Sent'),
      h('div', { class: 'sent' }));
  }
  const listEl = body.querySelector('.list');
  redraw(listEl, rows, () => listing(['Notification ID and SNS topic', 'Events', 'State', ''], rows.map(r => h('tr',
    { 'data-notification': r.id },
    h('td', null, ident(r.id), h('div', { class: 'small' }, breakable(r.topic))),
    h('td', { class: 'events' }, r.events.join(', ')),
    h('td', null, state(r.state)),
    h('td', null,
      h('button', { class: 'modify-notification', onclick: () => {
        // One modify form at a time, below the create form, which stays.
        body.querySelector('#modify-notification-form')?.remove();
        body.querySelector('#create-notification-form').after(notificationForm(svc, r, changed));
      } }, 'Modify'), ' ',
      h('button', { class: 'danger delete-notification', onclick: ev => act(ev.target, async () => {
        if (!await ask(`Delete notification ${r.id}?`, `${r.topic} hears no more of ${r.events.join(', ')}.`,
          'Delete notification')) return;
        const root = await call('DeleteVpcEndpointConnectionNotifications', list('ConnectionNotificationId', [r.id]));
        if (unsuccessful(root, 'Delete of')) flash('ok', 'Deleted notification ', r.id, '.');
        await changed();
      }) }, 'Delete')))), { id: 'notifications' }));
  await drawSent(body.querySelector('.sent'), svc, [...new Set(rows.map(r => r.topic))]);
}

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
  redraw(el, shown, () => listing(['Time', 'Event', 'Endpoint', 'Endpoint state', 'SNS topic'], shown.map(x => h('tr',
    { 'data-event': x.event, 'data-endpoint': x.endpoint },
    h('td', null, when(x.at)), h('td', null, x.event), h('td', null, ident(x.endpoint)), h('td', null, state(x.state)),
    h('td', { class: 'small' }, breakable(x.topic)))), { id: 'notifications-sent' }));
}

// Where what is sent to a topic the sim-config does not declare goes: plsim takes any ARN, as it cannot
// ask SNS whether the topic exists, and keeps what it sends there in its own log.
function undeclared(arn) {
  return ['The sim-config declares no topic ', h('span', { class: 'mono' }, arn), ': plsim delivers to its own log'
    + ' instead, kept in memory, which this tab shows under Sent and ', h('a', { class: 'mono',
    href: '/admin/notifications?topic=' + encodeURIComponent(arn), target: '_blank' }, 'GET /admin/notifications?topic=...'),
  ' answers.'];
}

// What a create or modify answers: done, and where it goes when the topic is no topic of the sim-config.
function said(done, arn) {
  return S.session.topics.includes(arn) ? ['ok', done] : ['warn', done, ' ', ...undeclared(arn)];
}

// The guide's "Create notification" (or, given one, "Modify notification") form.
function notificationForm(svc, existing, after) {
  const topic = h('input', { type: 'text', class: 'topic wide', list: 'topic-suggestions', value: existing ? existing.topic : '',
    placeholder: 'arn:aws:sns:' + S.session.region + ':' + S.identity.accountId + ':topic' });
  // Said before it is sent: a topic the sim-config does not declare has no subscriber but plsim's log.
  const note = h('div', { class: 'small muted topic-note' });
  const noteTopic = () => note.replaceChildren(...(topic.value.trim() && !S.session.topics.includes(topic.value.trim())
    ? undeclared(topic.value.trim()) : []));
  topic.addEventListener('input', noteTopic);
  noteTopic();
  const boxes = EVENTS.map(e => h('label', null, h('input', { type: 'checkbox', name: 'event', value: e,
    checked: existing ? existing.events.includes(e) : true }), ' ', e));
  const form = h('form', { class: 'stack panel', id: existing ? 'modify-notification-form' : 'create-notification-form' },
    h('div', null, 'SNS topic ARN'), h('div', null, topic,
      h('datalist', { id: 'topic-suggestions' }, S.session.topics.map(t => h('option', { value: t }))), note),
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
        flash(...said('Modified notification ' + existing.id + '.', topic.value.trim()));
        form.remove();
      } else {
        const root = await call('CreateVpcEndpointConnectionNotification', Object.assign({
          ServiceId: svc.id, ConnectionNotificationArn: topic.value }, list('ConnectionEvents', events)));
        flash(...said('Created notification ' + text(child(root, 'connectionNotification'), 'connectionNotificationId') + '.',
          topic.value.trim()));
      }
      await after();
    });
  });
  return form;
}
